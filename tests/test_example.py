"""The Zhanjiang 2022 科普专项经费 example: the report transcribed as data, then scored under both rule sets.

Hand computation of the expected totals (points are the example's configuration, not official; every scored
line is rounded to 2 places before it is added):

    qualitative leaves computed from the tier their actual names (claims within 80–100% are taken):
        论证充分性 4 (“相符”) + 资金到位及时性 3 (“及时”) + 支出规范性 4 (“规范”) + 监管有效性 3 (“健全”)
        + 完成进度 12 (“全部完成”) + 完成质量 12 (“高质量地完成了”) + 社会效益 10 (“较好的社会效益”)
        + 可持续发展 5 (“较显著”) + 满意度 5 (“满意度较高”)                                  = 58.00
    leaves whose actual is empty or names no tier: the unit's claim is carried, 须人工复核, but never above the
    top of 部分达成 (80% of the points), so an unverifiable claim earns no tier-1 points by default:
        目标申报 2 + 完整性 2 + 合理性 2 + 可衡量性 2 + 预算编制科学性 4 + 资金分配合理性 4
        + 程序规范性 4 (“严格按照相关程序执行” names no degree) + 绩效自评规范性 3 + 预算控制 3 + 成本节约 3
        = 29 points, claimed in full, carried at 80%                                          = 23.20
                                                                                      subtotal 81.20
    fund leaves, 资金到位率 = 预算执行率 = 100 ÷ 153 = 65.359…%:
        mof-2020 (ratio):  资金到位率 5 × 65.36% = 3.268 → 3.27;  预算执行率 8 × 65.36% = 5.229 → 5.23
                           total 81.20 + 3.27 + 5.23 = 89.70, 良
        mof-2021:          资金到位率 (65.36 − 60) ÷ 40 × 5 = 0.670 → 0.67;  预算执行率 band [60%, 80%) → 4.00
                           total 81.20 + 0.67 + 4.00 = 85.87, 良
    经济效益 and 生态效益 are not applicable with 0 points, so nothing is rescaled.
    Best attainable (every non-fund leaf full = 87): mof-2020 87 + 8.50 = 95.50; mof-2021 87 + 4.67 = 91.67:
    100 分 cannot stand; 优 could, but only if the carried claims are verified in full.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core import EvaluationResult, Severity, evaluate
from jixiao.core.model import Evaluation
from jixiao.core.values import quantize
from jixiao.io.catalogue import load_framework, load_rules
from jixiao.io.evaluation_file import load_evaluation

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zhanjiang-2022-kepu"


@pytest.fixture(scope="module")
def example() -> Evaluation:
    return load_evaluation(EXAMPLE)


def scored(evaluation: Evaluation, rules: str) -> EvaluationResult:
    return evaluate(evaluation, load_rules(rules), load_framework(evaluation.framework))


@pytest.fixture(scope="module")
def under_2020(example: Evaluation) -> EvaluationResult:
    return scored(example, "mof-2020")


@pytest.fixture(scope="module")
def under_2021(example: Evaluation) -> EvaluationResult:
    return scored(example, "mof-2021")


def ids(result: EvaluationResult) -> set[str]:
    return {f.id for f in result.findings}


# --- the report as data ----------------------------------------------------------------------


def test_example_folder_loads_as_a_2022_project_of_the_zhanjiang_association(example: Evaluation) -> None:
    assert example.project.name == "2022年湛江市科普专项经费"
    assert example.project.year == 2022
    assert example.project.unit == "湛江市科学技术协会"
    assert example.project.expected_input_wan == Decimal(153)
    assert example.framework == "guangdong-4level"
    assert example.rules == "mof-2020"


def test_only_the_funds_management_measure_carries_a_document_number(example: Evaluation) -> None:
    numbered = [(b.title, b.number) for b in example.project.basis if b.number]
    assert numbered == [("湛江市级科普专项资金管理暂行办法", "湛财工〔2014〕54号")]
    assert len(example.project.basis) == 6
    assert len(example.project.content_items) == 4


def test_funds_row_has_153_budgeted_100_arrived_without_date_and_no_explanation(example: Evaluation) -> None:
    (row,) = example.funds
    assert row.annual_budget_wan == Decimal(153)
    assert row.initial_budget_wan == Decimal(153)
    assert [(a.amount_wan, a.date) for a in row.arrivals] == [(Decimal(100), None)]
    assert row.executed_wan == Decimal(100)
    assert row.explanation is None


def test_academic_projects_allocation_counts_19_projects_for_23_wan(example: Evaluation) -> None:
    academic = next(a for a in example.allocations if a.count is not None)
    assert academic.count == 19
    assert academic.amount_wan == Decimal(23)


def test_three_allocations_sum_to_33_wan_and_exclude_the_20_wan_application(example: Evaluation) -> None:
    assert len(example.allocations) == 3
    assert sum((a.amount_wan for a in example.allocations), Decimal(0)) == Decimal(33)
    assert {a.recipient for a in example.allocations} >= {"廉江市科协", "赤坎区科协"}
    application = next(o for o in example.outputs if "老科技工作者协会" in o.title)
    assert application.amount_wan is None
    assert any("不是本项科普专项经费的资金分配" in note for note in example.notes)  # an editor's note, not report text


def test_goals_hold_one_overall_paragraph_six_numbered_items_and_three_phase_goals(example: Evaluation) -> None:
    kinds = [g.kind.value for g in example.goals]
    assert kinds.count("overall") == 7
    assert kinds.count("phase") == 3
    assert all(g.actual for g in example.goals if g.kind.value == "phase")


def test_leadership_group_has_four_entries_led_by_guo_rongbo(example: Evaluation) -> None:
    group = example.organisation.leadership
    assert [(m.role, m.name) for m in group] == [
        ("组长", "郭荣波"),
        ("副组长", "王宏彪"),
        ("副组长", "熊汉臣"),
        ("组员", None),
    ]
    assert group[-1].position == "各科室负责人"


def test_self_evaluation_deadline_is_20_april_2023(example: Evaluation) -> None:
    assert example.organisation.deadline == dt.date(2023, 4, 20)
    assert example.organisation.documents == [
        "项目支出绩效自评报告",
        "项目支出绩效自评基础数据表",
        "项目支出绩效自评指标评分表",
    ]


def test_output_records_keep_counts_dates_and_approximations(example: Evaluation) -> None:
    by_count = {(o.count, o.count_unit): o for o in example.outputs if o.count is not None}
    quiz = by_count[(Decimal(6115), "人")]
    assert quiz.participants == 6115
    assert "6115" in (quiz.source_text or "")
    academic = by_count[(Decimal(100), "场次")]
    assert academic.approximate and academic.participants == 20000
    visit = next(o for o in example.outputs if o.date == dt.date(2022, 5, 25))
    assert (visit.end_date, visit.count, visit.participants) == (dt.date(2022, 5, 31), Decimal(16), 17)
    course = next(o for o in example.outputs if o.date == dt.date(2022, 11, 7))
    assert course.end_date == dt.date(2022, 11, 9)
    assert sorted(o.amount_wan for o in example.outputs if o.amount_wan is not None) == [3, 7, 23]


def test_no_survey_data_is_recorded(example: Evaluation) -> None:
    assert example.surveys == []


def test_claims_keep_the_units_figures_with_their_sentences(example: Evaluation) -> None:
    c = example.claims
    assert (c.total_score, c.grade) == (Decimal(100), "优秀")
    assert (c.budget_wan, c.arrived_wan, c.spent_wan) == (Decimal(153), Decimal(100), Decimal(100))
    assert (c.arrival_rate_pct, c.spend_rate_pct, c.funds_timely) == (Decimal("65.36"), Decimal(100), True)
    assert c.quotes["total_score"] == "本次湛江市科学技术协会项目绩效自评分数和等级为：100分，优秀。"
    assert c.quotes["arrival_rate_pct"].endswith("到位率65.36%")
    assert c.quotes["spend_rate_pct"].endswith("支出率100%")
    assert c.quotes["funds_timely"] == "资金到位及时"


# --- the indicator tree ------------------------------------------------------------------------


def test_tree_has_four_levels_with_16_fourth_level_and_7_third_level_leaves(example: Evaluation) -> None:
    depths = {len(path) for path, _ in example.nodes()}
    assert max(depths) == 4
    leaves = example.leaves()
    fourth = [path[-1] for path, _ in leaves if len(path) == 4]
    third = [path[-1] for path, _ in leaves if len(path) == 3]
    assert len(fourth) == 16
    assert "绩效自评规范性" in fourth and "续效自评规范性" not in fourth
    assert third == ["完成进度", "完成质量", "经济效益", "社会效益", "生态效益", "可持续发展", "满意度"]
    assert [len([p for p, _ in example.nodes() if len(p) == d]) for d in (1, 2, 3)] == [4, 9, 20]


def test_points_sum_to_100_and_every_leaf_claims_its_points(example: Evaluation) -> None:
    assert [(r.name, r.points) for r in example.indicators] == [("决策", 20), ("过程", 30), ("产出", 30), ("效益", 20)]
    for _, node in example.nodes():
        if not node.is_leaf:
            assert node.points == sum((c.points or Decimal(0) for c in node.children), Decimal(0)), node.name
    leaves = example.leaves()
    assert sum((n.points or Decimal(0) for _, n in leaves), Decimal(0)) == Decimal(100)
    assert all(n.claimed_score == n.points for _, n in leaves)
    assert {p[-1] for p, n in leaves if n.not_applicable} == {"经济效益", "生态效益"}


def test_framework_points_are_marked_as_this_examples_configuration(example: Evaluation) -> None:
    assert example.framework_note is not None and "并非官方分值" in example.framework_note
    assert load_framework("guangdong-4level").points_official is False


# --- scoring -----------------------------------------------------------------------------------


def test_fund_rates_are_arrival_65_36_spend_100_and_execution_65_36(under_2020: EvaluationResult) -> None:
    f = under_2020.funds
    assert quantize(f.arrival_rate.value) == Decimal("65.36")
    assert quantize(f.spend_rate.value) == Decimal("100.00")
    assert f.execution_basis.value == "budget"
    assert quantize(f.execution_rate.value) == Decimal("65.36")


def test_under_mof_2020_fund_leaves_score_pro_rata_and_total_is_89_70_grade_liang(under_2020: EvaluationResult) -> None:
    arrival = under_2020.score_of(("过程", "资金管理", "资金到位", "资金到位率"))
    execution = under_2020.score_of(("过程", "资金管理", "资金支付", "预算执行率"))
    assert arrival is not None and execution is not None
    assert quantize(arrival.computed) == Decimal("3.27")
    assert quantize(execution.computed) == Decimal("5.23")
    assert under_2020.total.value == Decimal("89.70")
    assert under_2020.grade == "良"
    assert quantize(under_2020.max_attainable.value) == Decimal("95.50")


def test_under_mof_2021_fund_leaves_score_by_threshold_and_band_and_total_is_85_87_grade_liang(
    under_2021: EvaluationResult,
) -> None:
    arrival = under_2021.score_of(("过程", "资金管理", "资金到位", "资金到位率"))
    execution = under_2021.score_of(("过程", "资金管理", "资金支付", "预算执行率"))
    assert arrival is not None and execution is not None
    assert quantize(arrival.computed) == Decimal("0.67")
    assert quantize(execution.computed) == Decimal("4.00")
    assert under_2021.total.value == Decimal("85.87")
    assert under_2021.grade == "良"
    assert quantize(under_2021.max_attainable.value) == Decimal("91.67")


def test_social_benefit_described_as_jiaohao_is_achieved(under_2020: EvaluationResult) -> None:
    social = under_2020.score_of(("效益", "效果性", "社会效益"))
    assert social is not None and social.basis.value == "computed"
    assert social.tier == "达成年度指标" and social.computed == Decimal("10.00")


def test_unverifiable_claims_are_carried_at_most_at_80_percent_and_the_share_is_stated(
    under_2020: EvaluationResult,
) -> None:
    declared = under_2020.score_of(("决策", "目标设置", "目标完整性", "目标申报"))
    assert declared is not None and declared.basis.value == "claimed"
    assert (declared.claimed, declared.used) == (Decimal("2.00"), Decimal("1.60"))
    assert "须人工复核" in declared.explanation.text()
    carried = under_2020.carried
    assert (carried.count, carried.leaves, carried.points, carried.score) == (10, 21, Decimal(29), Decimal("23.20"))


@pytest.mark.parametrize("rules", ["mof-2020", "mof-2021"])
def test_claimed_100_is_an_unattainable_error_naming_100_and_65_36(example: Evaluation, rules: str) -> None:
    result = scored(example, rules)
    s010 = [f for f in result.findings if f.id == "S010"]
    assert s010 and all(f.severity is Severity.ERROR for f in s010)
    assert any("100" in f.message and "65.36%" in f.message for f in s010)


@pytest.mark.parametrize("rules", ["mof-2020", "mof-2021"])
def test_funds_timely_claim_is_contradicted_by_65_36_arrival(example: Evaluation, rules: str) -> None:
    result = scored(example, rules)
    f006 = [f for f in result.findings if f.id == "F006"]
    assert len(f006) == 1
    assert f006[0].severity is Severity.ERROR
    assert "资金到位及时" in f006[0].message and "65.36%" in f006[0].message


def test_other_fund_and_score_findings_are_raised(under_2020: EvaluationResult, under_2021: EvaluationResult) -> None:
    assert {"S005", "S006", "S008", "F005", "F009"} <= ids(under_2020)
    assert "S011" in ids(under_2020) and "S011" in ids(under_2021)  # 89.70 and 85.87 are 良, not the 优秀 claimed
    assert not {"F001", "F002", "F003", "F007", "S001", "S002", "S003", "S004", "S009"} & ids(under_2020)


def test_satisfaction_scored_without_survey_data_is_flagged_and_no_placeholder_text_is_left(
    under_2020: EvaluationResult,
) -> None:
    i009 = [f for f in under_2020.findings if f.id == "I009"]
    assert [f.location for f in i009] == ["指标:效益/公平性/满意度"]
    assert "T001" not in ids(under_2020)
