"""The scoring engine under both shipped rule sets: every figure computed and explained."""

from decimal import Decimal

import pytest

from jixiao.core.values import quantize
from tests.conftest import BASE, make, run


def leaf(name, points, target, actual, claimed=None, **extra):
    node = {"name": name, "points": points, "target": target, "actual": actual, **extra}
    if claimed is not None:
        node["claimed_score"] = claimed
    return node


def one_leaf_tree(node):
    """A mof-selfeval tree whose only scored leaf is ``node`` (its points reused for the branches)."""
    return [{"name": "产出指标", "children": [{"name": "数量指标", "children": [node]}]}]


def score_of(node, rules="mof-2020"):
    result = run(make(indicators=one_leaf_tree(node)), rules)
    return result.indicators[0]


def q(value):
    return quantize(value)


def test_it_computes_fund_rates_with_their_formula_and_inputs():
    funds = [{"source": "current", "annual_budget_wan": 153, "arrivals": [{"amount_wan": 100}], "executed_wan": 100}]
    r = run(make(funds=funds))
    assert q(r.funds.arrival_rate.value) == Decimal("65.36")
    assert q(r.funds.spend_rate.value) == Decimal("100.00")
    assert q(r.funds.execution_rate.value) == Decimal("65.36")
    text = r.funds.arrival_rate.explanation.text()
    assert "实际到位资金 ÷ 全年预算数" in text and "100.00 万元" in text and "153.00 万元" in text


def test_execution_score_is_rate_times_points_under_mof_2020():
    funds = [{"source": "current", "annual_budget_wan": 153, "arrivals": [{"amount_wan": 100}], "executed_wan": 100}]
    r = run(make(funds=funds), "mof-2020")
    assert q(r.execution_score.value) == Decimal("6.54")
    assert "65.36% × 10.00 = 6.54" in r.execution_score.explanation.text()


@pytest.mark.parametrize(("spent", "expected"), [(100, "10.00"), (85, "7.00"), (65.36, "5.00"), (59.99, "0.00")])
def test_execution_score_is_banded_under_mof_2021(spent, expected):
    funds = [{"source": "current", "annual_budget_wan": 100, "arrivals": [{"amount_wan": 100}], "executed_wan": spent}]
    r = run(make(funds=funds), "mof-2021")
    assert q(r.execution_score.value) == Decimal(expected)


def test_it_can_take_the_execution_rate_against_arrived_funds(tmp_path):
    from jixiao.core import evaluate
    from jixiao.io.catalogue import load_framework, load_rules

    data = tmp_path / "r.yaml"
    src = load_rules("mof-2020").model_dump(mode="json")
    src["id"], src["execution"]["basis"] = "arrived-basis", "arrived"
    import yaml

    data.write_text(yaml.safe_dump(src, allow_unicode=True), encoding="utf-8")
    funds = [{"source": "current", "annual_budget_wan": 153, "arrivals": [{"amount_wan": 100}], "executed_wan": 100}]
    r = evaluate(make(funds=funds), load_rules(str(data)), load_framework("mof-selfeval"))
    assert q(r.funds.execution_rate.value) == Decimal("100.00")
    assert "附2" in r.funds.execution_rate.explanation.text()


def test_positive_indicator_is_pro_rata_under_mof_2020():
    s = score_of(leaf("场次", 20, "≥120场", "100场"))
    assert q(s.computed) == Decimal("16.67")
    assert q(s.completion_pct) == Decimal("83.33")


def test_positive_indicator_is_linear_above_60_percent_under_mof_2021():
    assert q(score_of(leaf("场次", 20, "≥120场", "100场"), "mof-2021").computed) == Decimal("11.67")
    assert score_of(leaf("场次", 20, "≥100场", "59场"), "mof-2021").computed == 0


def test_met_target_earns_full_points():
    assert score_of(leaf("人数", 20, "≥5000人", "6115人")).computed == 20


def test_reverse_indicator_uses_target_over_actual():
    s = score_of(leaf("成本", 10, "≤90万元", "100万元"))
    assert q(s.computed) == Decimal("9.00")
    assert score_of(leaf("成本", 10, "≤90万元", "80万元")).computed == 10


def test_equal_zero_indicator_is_all_or_nothing():
    assert score_of(leaf("安全事故", 5, "=0起", "0起")).computed == 5
    assert score_of(leaf("安全事故", 5, "=0起", "1起")).computed == 0


def test_yes_no_indicator_is_all_or_nothing():
    assert score_of(leaf("制度健全", 5, "是", "是")).computed == 5
    assert score_of(leaf("制度健全", 5, "是", "否")).computed == 0


def test_qualitative_indicator_stays_within_its_tier():
    full = score_of(leaf("效果", 10, "效果明显", "达成年度指标", claimed=9))
    assert full.computed == 9 and full.tier == "达成年度指标"
    capped = score_of(leaf("效果", 10, "效果明显", "部分达成年度指标", claimed=10))
    assert q(capped.computed) == Decimal("8.00")
    assert "超出档内上限" in capped.explanation.text()


def test_unscorable_indicator_carries_the_claim_capped_below_the_top_tier_and_says_so():
    s = score_of(leaf("效果", 10, "效果明显", "开展宣传活动12次", claimed=10))
    assert s.computed is None and s.basis.value == "claimed" and s.used == 8
    assert "须人工复核" in s.explanation.text() and "“部分达成”档上限，暂按上限 8.00 分计入" in s.explanation.text()


def test_a_non_numeric_quantitative_actual_still_carries_the_whole_claim():
    s = score_of(leaf("场次", 10, "≥100场", "全年开展了多场活动", claimed=10))
    assert s.basis.value == "claimed" and s.used == 10
    assert "实际完成值不是数值，暂按单位自评 10.00 分计入，须人工复核" in s.explanation.text()


def test_satisfaction_is_banded_under_mof_2021():
    node = leaf("满意度", 10, "≥90%", "85%")
    tree = [{"name": "满意度指标", "children": [{"name": "服务对象满意度指标", "children": [node]}]}]
    r = run(make(indicators=tree), "mof-2021")
    assert q(r.indicators[0].computed) == Decimal("8.00")


def test_satisfaction_from_a_survey():
    node = leaf("满意度", 10, "≥90%", None, survey="s1")
    tree = [{"name": "满意度指标", "children": [{"name": "服务对象满意度指标", "children": [node]}]}]
    surveys = [{"id": "s1", "title": "群众问卷", "respondents": 200, "satisfied": 170}]
    r = run(make(indicators=tree, surveys=surveys), "mof-2020")
    # 85% of a 90% target: 85/90 × 10 = 9.44
    assert q(r.indicators[0].computed) == Decimal("9.44")
    assert "170 人" in r.indicators[0].explanation.text()


def test_total_and_grade_of_the_consistent_base():
    r = run(make())
    assert q(r.total.value) == Decimal("99.80") and r.grade == "优"
    assert r.findings == []


def test_not_applicable_points_are_dropped_and_the_total_rescaled():
    data = make().model_dump(mode="json")
    benefit = data["indicators"][1]["children"][0]["children"]
    benefit.append({"name": "生态效益", "points": 10, "not_applicable": True})
    data["indicators"][1]["points"] = 40
    data["indicators"][1]["children"][0]["points"] = 40
    data["indicators"][0]["points"] = 40
    data["indicators"][0]["children"][0]["points"] = 40
    data["indicators"][0]["children"][0]["children"][0]["points"] = 20
    data["indicators"][0]["children"][0]["children"][0]["claimed_score"] = 20
    r = run(data)
    # applicable points 90 (incl. execution 10); raw 9.8 + 20 + 20 + 30 + 10 = 89.8 → 89.8 / 90 × 100
    assert q(r.total.value) == Decimal("99.78")
    assert "不适用" in r.total.explanation.text()


def test_base_fixture_is_consistent():
    assert BASE["claims"]["total_score"] == 99.8


def test_an_evaluation_survives_a_json_round_trip_unchanged():
    from jixiao.core.model import Evaluation
    from jixiao.io.evaluation_file import load_evaluation
    from tests.conftest import EXAMPLE

    example = load_evaluation(EXAMPLE)
    again = Evaluation.model_validate(example.model_dump(mode="json"))
    assert again == example
    assert again.claims.arrival_rate_pct == Decimal("65.36")
