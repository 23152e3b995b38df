"""The 绩效目标申报表 as data, and the self-evaluation skeleton it becomes once approved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from jixiao.core import evaluate
from jixiao.core.model import FundSource, GoalKind, IndicatorKind, ValueBasis
from jixiao.core.targets.declaration import Comparator, Declaration, TargetLeaf
from jixiao.core.targets.to_evaluation import to_evaluation
from jixiao.io.catalogue import load_framework, load_rules
from jixiao.io.targets.data import load_review_grades, load_target_rules
from tests.core.targets_base import base, declaration

FRAMEWORK = load_framework("mof-selfeval")


def leaf(**fields: object) -> TargetLeaf:
    return TargetLeaf.model_validate({"name": "指标", **fields})


def test_a_leaf_writes_its_target_as_the_self_evaluation_table_does() -> None:
    assert leaf(comparator="≥", value=120, unit="场").target_text() == "≥120 场"
    assert leaf(comparator="≤", value="153.00", unit="万元").target_text() == "≤153 万元"
    assert leaf(comparator="=", value=100, unit="%").target_text() == "=100%"
    assert leaf(comparator="≥", value="95.50", unit="%").target_text() == "≥95.5%"
    assert (
        leaf(comparator="定性", scale="好/较好/一般/差", expected="较好").target_text()
        == "定性：较好（好/较好/一般/差）"
    )
    assert leaf(comparator="定性", scale="好、一般、差").target_text() == "定性：好（好/一般/差）"
    assert leaf(comparator="定性", expected="好").target_text() == "定性：好"


def test_leaves_carry_their_path_and_totals_add_up() -> None:
    d = declaration()
    paths = [(a.first, a.second, a.leaf.name) for a in d.leaves()]
    assert paths[0] == ("产出指标", "数量指标", "科普活动场次")
    assert len(paths) == 6
    assert d.points == Decimal(90)
    assert [f.points for f in d.indicators] == [Decimal(50), Decimal(30), Decimal(10)]
    assert d.total_wan == Decimal(153) and d.funds_total_wan == Decimal(153)
    assert d.leaf("效益指标", "社会效益指标", "科普工作社会影响").comparator is Comparator.QUALITATIVE


def test_money_is_decimal_in_wan_and_bad_input_names_the_field() -> None:
    d = Declaration.model_validate({**base(), "total_wan": "1530000元"})
    assert d.total_wan == Decimal(153)
    with pytest.raises(ValidationError) as err:
        Declaration.model_validate({**base(), "total_wan": "一百万"})
    assert err.value.errors()[0]["loc"] == ("total_wan",)


def test_the_approved_targets_become_the_self_evaluation_indicators_without_retyping() -> None:
    e = to_evaluation(declaration(), FRAMEWORK)
    assert e.framework == "mof-selfeval"
    assert e.project.name == "科普专项经费" and e.project.year == 2022
    assert e.project.unit == "湛江市科学技术协会机关" and e.project.department == "湛江市科学技术协会"
    assert e.project.expected_input_wan == Decimal(153)
    assert [(f.source, f.annual_budget_wan, f.initial_budget_wan) for f in e.funds] == [
        (FundSource.CURRENT, Decimal(153), Decimal(153))
    ]
    assert [(g.kind, g.expected) for g in e.goals] == [(GoalKind.OVERALL, "开展科普活动 120 场以上，提升公民科学素质")]
    targets = {path: (node.target, node.points) for path, node in e.leaves()}
    assert targets == {
        ("产出指标", "数量指标", "科普活动场次"): ("≥120 场", Decimal(30)),
        ("产出指标", "数量指标", "科普答题人数"): ("≥5000 人", Decimal(10)),
        ("产出指标", "时效指标", "活动按期完成率"): ("=100%", Decimal(10)),
        ("效益指标", "社会效益指标", "公民具备科学素质比例"): ("≥14.5%", Decimal(20)),
        ("效益指标", "社会效益指标", "科普工作社会影响"): ("定性：好（好/较好/一般/差）", Decimal(10)),
        ("满意度指标", "服务对象满意度指标", "参与群众满意度"): ("≥90%", Decimal(10)),
    }
    assert [(i.name, i.points) for i in e.indicators] == [
        ("产出指标", Decimal(50)),
        ("效益指标", Decimal(30)),
        ("满意度指标", Decimal(10)),
    ]
    nodes = dict(e.nodes())
    assert nodes[("产出指标", "数量指标", "科普活动场次")].value_basis is ValueBasis.HISTORY
    assert nodes[("效益指标", "社会效益指标", "科普工作社会影响")].kind is IndicatorKind.QUALITATIVE


def test_a_declared_cost_indicator_sits_under_output_as_the_self_evaluation_table_has_it() -> None:
    """101号 makes 成本指标 a 一级 indicator; 财政部 附1 (财预〔2020〕10号) has it as 产出指标's 二级 成本指标."""
    data = base()
    data["indicators"][0]["children"][0]["children"][0]["points"] = 20
    data["indicators"][1]["children"][0]["children"][0]["points"] = 10
    data["indicators"].insert(
        0,
        {
            "name": "成本指标",
            "children": [
                {
                    "name": "经济成本指标",
                    "children": [
                        {"name": "每场活动平均成本", "comparator": "≤", "value": "1.2", "unit": "万元", "points": 20}
                    ],
                }
            ],
        },
    )
    e = to_evaluation(Declaration.model_validate(data), FRAMEWORK)
    assert [(i.name, i.points) for i in e.indicators] == [
        ("产出指标", Decimal(60)),
        ("效益指标", Decimal(20)),
        ("满意度指标", Decimal(10)),
    ]
    cost = dict(e.nodes())[("产出指标", "成本指标", "每场活动平均成本")]
    assert cost.target == "≤1.2 万元" and cost.points == Decimal(20)


def test_the_skeleton_is_scored_by_the_engine_with_execution_reserved_for_self_evaluation() -> None:
    """With the year's actuals typed in, the engine scores the skeleton: 90 points in the tree, 10 for 预算执行率."""
    e = to_evaluation(declaration(), FRAMEWORK)
    actuals = {
        "科普活动场次": "126场",
        "科普答题人数": "5200人",
        "活动按期完成率": "100%",
        "公民具备科学素质比例": "14.8%",
        "科普工作社会影响": "达成年度指标",
        "参与群众满意度": "95%",
    }
    data = e.model_dump(mode="json")
    for first in data["indicators"]:
        for second in first["children"]:
            for node in second["children"]:
                node["actual"] = actuals[node["name"]]
    data["funds"][0]["executed_wan"] = 150
    data["funds"][0]["arrivals"] = [{"amount_wan": 153}]
    filled = type(e).model_validate(data)
    result = evaluate(filled, load_rules("mof-2020"), FRAMEWORK)
    assert result.execution_points == Decimal(10)
    assert result.funds.execution_rate.value is not None
    assert f"{result.funds.execution_rate.value:.2f}" == "98.04"
    assert result.execution_score is not None
    assert f"{result.execution_score.value:.2f}" == "9.80"  # 预算执行率 98.04% of its 10 points, outside the tree
    assert f"{result.total.value:.2f}" == "99.80"  # the six leaves in full (90) + 9.80
    assert result.grade == "优"


def test_review_grades_and_their_consequences_are_data_from_88() -> None:
    grades = load_review_grades()
    assert grades.names == ["优", "良", "中", "差"]
    assert [g.approves for g in grades.grades] == [True, True, False, False]
    assert grades.get("差").consequence == "不得进入下一步预算安排流程"  # type: ignore[union-attr]
    assert "88号" in grades.source


def test_weight_profiles_are_data_from_101() -> None:
    rules = load_target_rules()
    with_cost = rules.profile(True, True)
    without_cost = rules.profile(False, True)
    assert with_cost is not None and without_cost is not None
    assert {k.value: v for k, v in with_cost.weights.items()} == {
        "cost": 20,
        "output": 40,
        "benefit": 20,
        "satisfaction": 10,
    }
    assert {k.value: v for k, v in without_cost.weights.items()} == {"output": 50, "benefit": 30, "satisfaction": 10}
    assert all(p.total == 90 for p in rules.weight_profiles)
    assert rules.cost_is_required("工程基建类") and not rules.cost_is_required(None)
