"""部门整体 self-evaluation in core: each ratio from its stated amounts with its formula written out, an unstated input
leaving its ratio unread (never 0), each scoring rule at its boundaries, the total and its grade from the rule set's
bands, the roll-up of the department's projects, and the frameworks as data."""

from __future__ import annotations

import copy
from decimal import Decimal as D
from typing import Any

import pytest

from jixiao.core.department.accounts import compute_ratios
from jixiao.core.department.engine import Basis, DepartmentResult, rule_score, score
from jixiao.core.department.framework import DepartmentFramework, ScoringRule
from jixiao.core.department.model import DepartmentEvaluation
from jixiao.core.department.rollup import ProjectOutcome, roll_up
from jixiao.io.department.catalogue import framework_ids, grades_for, load_department_framework, load_formulas
from jixiao.io.errors import InputError

#: the department's accounts (万元, people)
ACCOUNTS: dict[str, Any] = {
    "initial_budget": 450,
    "budget": 480,
    "spent": 456,
    "basic_spent": "303.2",
    "project_spent": "152.8",
    "carry_over": 12,
    "three_public_budget": 10,
    "three_public_spent": "9.2",
    "three_public_budget_last": 11,
    "procurement_budget": 60,
    "procurement_actual": 57,
    "public_funds_budget": 40,
    "public_funds_spent": 38,
    "key_project_budget": 153,
    "project_budget": 220,
    "staff_actual": 46,
    "staff_quota": 48,
}


def base(framework: str = "mof-2013-53") -> dict[str, Any]:
    """A complete document: every account figure, every self-scored item at full points, nothing else stated."""
    fw = load_department_framework(framework)
    items = {"/".join(p): {"score": str(leaf.points)} for p, leaf in fw.leaves() if not leaf.formula}
    return {
        "header": {"department": "湛江市科学技术协会", "year": 2022, "finance": "湛江市财政局"},
        "framework": framework,
        "accounts": copy.deepcopy(ACCOUNTS),
        "items": items,
    }


def evaluate(data: dict[str, Any], projects: list[ProjectOutcome] | None = None) -> DepartmentResult:
    from jixiao.core.department.engine import evaluate as run

    document = DepartmentEvaluation.model_validate(data)
    fw = load_department_framework(document.framework)
    return run(document, fw, load_formulas(), grades_for(fw), projects or [])


# ------------------------------------------------------------------------------------------------ ratios

RATIOS = [
    (
        "execution_rate",
        "95.00",
        "预算执行率 = 全年执行数 456.00 万元 ÷ 全年预算数（调整后） 480.00 万元 × 100% = 95.00%",
    ),
    (
        "carry_over_rate",
        "2.50",
        "结转结余率 = 结转结余总额 12.00 万元 ÷ 全年预算数（调整后） 480.00 万元 × 100% = 2.50%",
    ),
    (
        "adjustment_rate",
        "6.67",
        "预算调整率 = （全年预算数（调整后） 480.00 万元 − 年初预算数 450.00 万元） ÷ 年初预算数 450.00 万元 × 100% = 6.67%",
    ),
    (
        "three_public_control_rate",
        "92.00",
        "“三公经费”控制率 = 三公经费实际支出 9.20 万元 ÷ 三公经费预算数 10.00 万元 × 100% = 92.00%",
    ),
    (
        "three_public_change_rate",
        "-9.09",
        "“三公经费”变动率 = （三公经费预算数 10.00 万元 − 上年三公经费预算数 11.00 万元） ÷ 上年三公经费预算数 11.00 万元"
        " × 100% = -9.09%",
    ),
    (
        "procurement_rate",
        "95.00",
        "政府采购执行率 = 实际政府采购金额 57.00 万元 ÷ 政府采购预算数 60.00 万元 × 100% = 95.00%",
    ),
    (
        "public_funds_control_rate",
        "95.00",
        "公用经费控制率 = 公用经费实际支出 38.00 万元 ÷ 公用经费预算数 40.00 万元 × 100% = 95.00%",
    ),
    (
        "key_spending_rate",
        "69.55",
        "重点支出安排率 = 重点项目支出预算数 153.00 万元 ÷ 项目支出预算总数 220.00 万元 × 100% = 69.55%",
    ),
    ("staff_control_rate", "95.83", "在职人员控制率 = 实际在职人员数 46 人 ÷ 编制数 48 人 × 100% = 95.83%"),
]


@pytest.mark.parametrize(("id", "value", "text"), RATIOS, ids=[r[0] for r in RATIOS])
def test_each_ratio_is_computed_from_its_amounts_and_shows_them(id: str, value: str, text: str) -> None:
    document = DepartmentEvaluation.model_validate(base())
    ratio = compute_ratios(load_formulas(), document.accounts)[id]
    assert ratio.value is not None and f"{ratio.value:.2f}" == value
    assert ratio.text() == text


def test_every_formula_is_tested() -> None:
    assert {f.id for f in load_formulas().formulas} == {r[0] for r in RATIOS}


def test_an_unstated_input_leaves_its_ratio_unread_never_zero() -> None:
    data = base()
    del data["accounts"]["carry_over"]
    data["accounts"]["procurement_budget"] = 0
    document = DepartmentEvaluation.model_validate(data)
    ratios = compute_ratios(load_formulas(), document.accounts)
    assert ratios["carry_over_rate"].value is None
    assert ratios["carry_over_rate"].text() == "结转结余率 = 未填写结转结余总额，不计算"
    assert ratios["procurement_rate"].value is None
    assert "政府采购预算数 0.00 万元为 0，不计算" in ratios["procurement_rate"].text()
    # the item it scores has no score then, and the total waits for it
    result = evaluate(data)
    item = result.item("过程/预算执行/结转结余率")
    assert item is not None and item.used is None and item.basis is Basis.NONE
    assert result.total.value is None and "有 2 项指标未评分" in result.total.explanation.formula


def test_an_unread_ratio_carries_the_departments_own_score() -> None:
    data = base()
    del data["accounts"]["carry_over"]
    data["items"]["过程/预算执行/结转结余率"] = {"score": "2.5", "reason": "年末结余数待决算确认"}
    item = evaluate(data).item("过程/预算执行/结转结余率")
    assert item is not None and item.basis is Basis.SELF and item.used == D("2.50")
    assert "未填写结转结余总额，不计算，采用部门自评 2.50 分" in item.explanation.formula


# ------------------------------------------------------------------------------------------------ scoring rules

PROPORTIONAL = ScoringRule(method="proportional", full_at=D(95))
ABOVE = ScoringRule(method="deduct_above", limit=D(100), step=D(1), deduct=D("0.5"))
BELOW = ScoringRule(method="deduct_below", full_at=D(100), step=D(5), deduct=D(2))


@pytest.mark.parametrize(
    ("rule", "rate", "expected"),
    [
        (PROPORTIONAL, "95", "5"),  # at the full mark
        (PROPORTIONAL, "120", "5"),
        (PROPORTIONAL, "94.994", "5"),  # scored as shown: 95.00%
        (PROPORTIONAL, "94.99", "5.00"),  # 94.99 ÷ 95 × 5 = 4.9995, the line rounded to 2 places
        (PROPORTIONAL, "94", "4.95"),  # 4.947…
        (PROPORTIONAL, "60", "3.16"),
        (PROPORTIONAL, "-3", "0"),
        (ABOVE, "100", "5"),  # at the limit
        (ABOVE, "100.01", "4.5"),  # a started step counts
        (ABOVE, "101", "4.5"),
        (ABOVE, "101.01", "4.0"),
        (ABOVE, "200", "0"),  # down to zero, never below
        (BELOW, "100", "5"),
        (BELOW, "95", "3"),
        (BELOW, "94.99", "1"),
        (BELOW, "10", "0"),
    ],
)
def test_scoring_rules_at_their_boundaries(rule: ScoringRule, rate: str, expected: str) -> None:
    value, why = rule_score(D(rate), D(5), rule, "某比率")
    assert value == D(expected)
    assert "某比率" in why and "分" in why


def test_the_arithmetic_of_a_deduction_is_written_out() -> None:
    _, why = rule_score(D("101.01"), D(3), ABOVE, "“三公经费”控制率")
    assert why == (
        "“三公经费”控制率 101.01% 超过 100.00% 1.01 个百分点，每 1.00 个百分点（不足按 1 档计）扣 0.50 分，"
        "共 2 档：3.00 − 2 × 0.50 = 2.00 分"
    )


def test_total_and_grade_come_from_the_items_and_the_rule_sets_bands() -> None:
    result = evaluate(base())
    # 政府采购执行率 95% of 100%: 2.85 of 3; 预算调整率 6.67% is one started step of 10 above 0: 2 of 3
    assert result.total.value == D("98.85") and result.grade == "优"
    assert [b.min_score for b in result.rules.grades] == [90, 80, 60, 0]
    data = base()
    data["items"]["效果/履职效益/社会效益"] = {"score": "0", "reason": "未开展"}
    data["items"]["效果/履职效益/经济效益"] = {"score": "4.15", "reason": "部分"}
    result = evaluate(data)
    assert result.total.value == D("90.00") and result.grade == "优"  # 90 is 优
    data["items"]["效果/履职效益/经济效益"] = {"score": "4.14", "reason": "部分"}
    assert evaluate(data).grade == "良"


def test_every_point_is_explained() -> None:
    result = evaluate(base())
    for item in result.items:
        assert item.explanation.formula, item.key
    execution = result.item("过程/预算执行/预算执行率")
    assert execution is not None and execution.basis is Basis.COMPUTED
    assert execution.explanation.formula == (
        "预算执行率 = 全年执行数 456.00 万元 ÷ 全年预算数（调整后） 480.00 万元 × 100% = 95.00%；"
        "预算执行率 95.00% 达到满分线 95.00%，得满分 5.00 分"
    )


# ------------------------------------------------------------------------------------------------ roll-up


def test_the_roll_up_counts_grades_and_weights_execution_by_budget() -> None:
    projects = [
        ProjectOutcome("科普专项", "机关", "优", D(153), D(140), D("92")),
        ProjectOutcome("学会能力提升", "机关", "差", D(30), D(12), D("55")),
        ProjectOutcome("科技馆运行", "科技馆", "中", D(50), D(45), D("70")),
        ProjectOutcome("院士工作站", "机关", None, D(20), None, None),  # not scored, no execution yet
    ]
    r = roll_up(projects)
    assert r.counts == {"优": 1, "良": 0, "中": 1, "差": 1, "未评": 1}
    assert r.distribution() == "优 1 项、良 0 项、中 1 项、差 1 项、未评 1 项"
    assert (r.budget_wan, r.spent_wan) == (D(233), D(197))
    assert r.execution_rate.value is not None and f"{r.execution_rate.value:.2f}" == "84.55"
    assert r.execution_rate.explanation.formula == (
        "各项目全年执行数合计 197.00 万元 ÷ 全年预算数合计 233.00 万元 × 100% = 84.55%（1 个项目未填写预算数或执行数，未计入）"
    )
    assert [p.project for p in r.weak] == ["学会能力提升", "科技馆运行"]  # 差 first
    assert [p.project for p in r.poor] == ["学会能力提升"]


def test_an_empty_roll_up_has_no_rate() -> None:
    r = roll_up([])
    assert r.counts["未评"] == 0 and r.execution_rate.value is None


# ------------------------------------------------------------------------------------------------ frameworks as data


@pytest.mark.parametrize("id", framework_ids())
def test_shipped_frameworks_total_100_points(id: str) -> None:
    fw = load_department_framework(id)
    assert fw.total_points == 100 and sum(leaf.points for _, leaf in fw.leaves()) == 100
    assert all(len(path) == 3 for path, _ in fw.leaves())
    assert all(leaf.standard for _, leaf in fw.leaves()), "every leaf states its 评分标准"


def test_the_provincial_preset_is_the_table_as_published() -> None:
    fw = load_department_framework("sichuan-100")
    assert [(n.name, n.points) for n in fw.tree] == [("部门决策", 25), ("综合管理", 30), ("部门绩效情况", 45)]
    assert len(fw.leaves()) == 28
    assert fw.node(("部门绩效情况", "满意度", "社会公众满意度")).points == 4  # type: ignore[union-attr]


def test_a_framework_whose_parts_do_not_add_up_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="“投入”的分值 15 不等于其下级指标分值之和 14"):
        DepartmentFramework.model_validate(
            {
                "id": "x",
                "name": "x",
                "source": "x",
                "grades_from": "mof-2021",
                "tree": [{"name": "投入", "points": 15, "children": [{"name": "a", "points": 14}]}],
            }
        )


def test_an_unknown_framework_is_named() -> None:
    with pytest.raises(InputError, match="未知的部门整体指标体系“no-such”，可用的有：mof-2013-53、sichuan-100"):
        load_department_framework("no-such")


def test_score_without_checks_has_no_findings() -> None:
    document = DepartmentEvaluation.model_validate(base())
    fw = load_department_framework("mof-2013-53")
    assert score(document, fw, load_formulas(), grades_for(fw), []).findings == []
