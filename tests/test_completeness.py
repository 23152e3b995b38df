"""What a report still lacks before submission (jixiao.core.completeness), against the shipped list and small ones."""

from __future__ import annotations

import copy

from jixiao.core.completeness import Gap, Requirements, completeness
from jixiao.io.catalogue import read_yaml
from tests.conftest import BASE, ROOT, make, run

SHIPPED = Requirements.model_validate(read_yaml(ROOT / "jixiao" / "data" / "submission" / "required.yaml"))


def test_the_base_evaluation_lacks_what_the_shipped_list_requires() -> None:
    found = completeness(run(make()), SHIPPED)
    assert found.missing == [
        Gap("项目背景", "project.background"),
        Gap("主要内容及实施情况", "project.content_items"),
        Gap("自评结论", "narrative.conclusion"),
        Gap("预算执行率自评得分", "claims.execution_score"),
    ]
    assert [g.label for g in found.recommended] == [
        "实施依据",
        "自评对象和范围",
        "评价方法",
        "自评工作领导小组",
        "主要经验及做法",
        "自评结果拟应用和公开情况",
    ]


def test_one_of_several_paths_is_enough_and_blank_text_is_empty() -> None:
    requirements = Requirements(
        note="测试",
        required=[{"label": "主要内容及实施情况", "paths": ["project.content_items", "project.implementation"]}],
    )
    project = copy.deepcopy(BASE["project"])
    assert completeness(run(make(project={**project, "implementation": "   "})), requirements).missing == [
        Gap("主要内容及实施情况", "project.content_items")
    ]
    assert completeness(run(make(project={**project, "content_items": ["开展科普活动"]})), requirements).missing == []


def test_every_row_means_every_row_and_at_least_one() -> None:
    requirements = Requirements(note="测试", required=[{"label": "全年执行数", "paths": ["funds[*].executed_wan"]}])
    second = {"source": "other", "annual_budget_wan": 10}
    funds = [*copy.deepcopy(BASE["funds"]), second]
    assert completeness(run(make(funds=funds)), requirements).missing == [Gap("全年执行数", "funds[1].executed_wan")]
    assert completeness(run(make(funds=[])), requirements).missing == [Gap("全年执行数", "funds")]
    assert completeness(run(make()), requirements).missing == []


def test_leaves_in_use_need_their_values_and_empty_categories_are_placeholders() -> None:
    requirements = Requirements(
        note="测试",
        leaves=[
            {"label": "年度指标值", "field": "target", "categories": ["output", "benefit", "satisfaction"]},
            {"label": "实际完成值", "field": "actual", "fund_leaves": False},
            {"label": "自评得分", "field": "claimed_score"},
        ],
    )
    indicators = copy.deepcopy(BASE["indicators"])
    quantity = indicators[0]["children"][0]["children"]
    quantity[0] = {"name": "科普活动场次", "points": 30, "target": "≥100场"}  # no actual, no claimed score
    # a fund leaf takes its actual from the funds: it needs only its target and the unit's score
    quantity.append({"name": "资金到位率", "points": 0, "fund_measure": "arrival_rate", "target": "100%"})
    indicators[1]["children"].append({"name": "生态效益指标"})  # the framework's category, left unused
    found = completeness(run(make(indicators=indicators)), requirements)
    assert found.missing == [
        Gap("“科普活动场次”的实际完成值、自评得分", "指标:产出指标/数量指标/科普活动场次"),
        Gap("“资金到位率”的自评得分", "指标:产出指标/数量指标/资金到位率"),
    ]


def test_a_target_is_required_only_in_the_categories_named() -> None:
    requirements = Requirements(
        note="测试", leaves=[{"label": "年度指标值", "field": "target", "categories": ["output", "benefit"]}]
    )
    indicators = copy.deepcopy(BASE["indicators"])
    indicators[0]["children"][0]["children"][0]["target"] = None  # 产出
    indicators[2]["children"][0]["children"][0]["target"] = None  # 满意度: not named
    found = completeness(run(make(indicators=indicators)), requirements)
    assert found.missing == [Gap("“科普活动场次”的年度指标值", "指标:产出指标/数量指标/科普活动场次")]


def test_no_indicator_in_use_is_one_gap() -> None:
    requirements = Requirements(note="测试", leaves=[{"label": "自评得分", "field": "claimed_score"}])
    skeleton = [{"name": "产出指标", "points": 50, "children": [{"name": "数量指标"}]}]
    assert completeness(run(make(indicators=skeleton)), requirements).missing == [
        Gap("绩效指标（至少一个末级指标）", "indicators")
    ]


def test_the_shipped_list_names_only_real_fields() -> None:
    """A typo in the YAML would raise when the list is applied; apply it to a full and an empty evaluation."""
    for evaluation in (make(), make(funds=[], goals=[], indicators=[], narrative={}, claims={})):
        assert completeness(run(evaluation), SHIPPED).missing
