"""The 复核 sheet: the reviewer's scores beside the unit's own and the computed ones, each column added up and
graded by the rule set's own rules."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from jixiao.core import evaluate
from jixiao.core.review import (
    EXECUTION_KEY,
    ReviewEntry,
    ReviewScoreError,
    check_score,
    indicator_key,
    review_sheet,
)
from jixiao.io.catalogue import load_framework, load_rules
from tests.conftest import BASE, make, run

ACTIVITIES = ("产出指标", "数量指标", "科普活动场次")  # 30 分, claimed and computed 30
RESPONDENTS = ("产出指标", "数量指标", "答题人数")  # 20 分, claimed and computed 20
#: the base claims with the 预算执行率 score the unit gave itself (the base leaves it blank)
CLAIMS = {"total_score": 99.8, "grade": "优", "execution_score": 9.8}


def d(text: str) -> Decimal:
    return Decimal(text)


def with_not_applicable_leaf() -> dict:
    """The base with a 10-point 生态效益 leaf marked 不适用: applicable points 90 (execution included); raw
    9.80 + 20 + 20 + 30 + 10 = 89.80, rescaled to 89.80 ÷ 90 × 100 = 99.78."""
    data = make(claims=CLAIMS).model_dump(mode="json")
    benefit = data["indicators"][1]["children"][0]["children"]
    benefit.append({"name": "生态效益", "points": 10, "not_applicable": True})
    data["indicators"][1]["points"] = 40
    data["indicators"][1]["children"][0]["points"] = 40
    data["indicators"][0]["points"] = 40
    data["indicators"][0]["children"][0]["points"] = 40
    data["indicators"][0]["children"][0]["children"][0]["points"] = 20
    data["indicators"][0]["children"][0]["children"][0]["claimed_score"] = 20
    return data


# ------------------------------------------------------------------------------------------------
# lines
# ------------------------------------------------------------------------------------------------


def test_one_line_per_applicable_leaf_and_one_for_the_execution_rate():
    sheet = review_sheet(run(make()), {})
    assert [line.key for line in sheet.lines] == [
        "产出指标 › 数量指标 › 科普活动场次",
        "产出指标 › 数量指标 › 答题人数",
        "效益指标 › 社会效益指标 › 公民科学素质",
        "满意度指标 › 服务对象满意度指标 › 参与群众满意度",
        EXECUTION_KEY,
    ]
    activities = sheet.line(indicator_key(ACTIVITIES))
    assert activities is not None
    assert activities.path == ACTIVITIES and activities.name == "科普活动场次"
    assert (activities.points, activities.claimed, activities.computed) == (d("30"), d("30.00"), d("30.00"))
    assert activities.reviewed is None and activities.review == d("30.00") and activities.computed_basis == "计算"
    execution = sheet.line(EXECUTION_KEY)
    assert execution is not None
    assert execution.path == () and execution.name == "预算执行率"
    # 98 of 100 万元 spent: 98% × 10 = 9.80
    assert (execution.points, execution.computed, execution.claimed) == (d("10"), d("9.80"), None)


def test_no_execution_line_where_the_framework_does_not_score_execution_outside_the_tree():
    framework = load_framework("guangdong-4level")
    assert framework.execution_points == 0
    result = evaluate(make(framework="guangdong-4level"), load_rules("mof-2020"), framework)
    sheet = review_sheet(result, {EXECUTION_KEY: ReviewEntry(d("1"), "不应计入")})
    assert sheet.line(EXECUTION_KEY) is None
    assert all(line.path for line in sheet.lines)
    assert sheet.review_total.value == result.total.value


# ------------------------------------------------------------------------------------------------
# the 复核 column
# ------------------------------------------------------------------------------------------------


def test_without_entries_the_review_total_and_grade_are_the_computed_ones():
    result = run(make())
    sheet = review_sheet(result, {})
    assert sheet.review_total.value == result.total.value == d("99.80")
    assert sheet.computed_total is result.total
    assert sheet.review_grade == sheet.computed_grade == result.grade == "优"
    assert sheet.reviewed_count == 0
    assert all(line.review == line.computed for line in sheet.lines)


def test_a_reviewers_score_moves_the_review_total_by_exactly_the_difference():
    result = run(make())
    key = indicator_key(ACTIVITIES)
    sheet = review_sheet(result, {key: ReviewEntry(d("21.5"), "活动台账仅能核实 72 场")})
    line = sheet.line(key)
    assert line is not None
    assert line.reviewed == d("21.50") and line.review == d("21.50") and line.comment == "活动台账仅能核实 72 场"
    assert sheet.review_total.value == result.total.value - (d("30.00") - d("21.50")) == d("91.30")
    assert sheet.computed_total.value == d("99.80")  # the computed column is untouched
    assert sheet.review_grade == "优"  # 91.30 ≥ 90
    assert sheet.reviewed_count == 1


@pytest.mark.parametrize(
    ("score", "total", "grade"),
    [
        ("20", "89.80", "良"),  # 99.80 − 10: below the 90 of 优
        ("10.00", "79.80", "中"),  # below the 80 of 良
        ("0", "69.80", "中"),
    ],
)
def test_the_review_grade_follows_the_rule_sets_bands(score, total, grade):
    result = run(make())
    sheet = review_sheet(result, {indicator_key(ACTIVITIES): ReviewEntry(d(score))})
    assert sheet.review_total.value == d(total)
    assert sheet.review_grade == grade == result.rules.grade_for(d(total))
    assert sheet.computed_grade == "优"


def test_grades_at_the_band_edges():
    result = run(make())
    # 99.80 − 9.80 = 90.00: exactly the lower bound of 优
    sheet = review_sheet(result, {indicator_key(RESPONDENTS): ReviewEntry(d("10.20"))})
    assert sheet.review_total.value == d("90.00") and sheet.review_grade == "优"
    sheet = review_sheet(result, {indicator_key(RESPONDENTS): ReviewEntry(d("10.19"))})
    assert sheet.review_total.value == d("89.99") and sheet.review_grade == "良"


def test_an_entry_without_a_score_keeps_the_computed_one_and_its_comment():
    result = run(make())
    key = indicator_key(ACTIVITIES)
    sheet = review_sheet(result, {key: ReviewEntry(None, "已核实活动台账，计算得分无误")})
    line = sheet.line(key)
    assert line is not None
    assert line.reviewed is None and line.review == d("30.00") and line.comment == "已核实活动台账，计算得分无误"
    assert sheet.review_total.value == d("99.80") and sheet.reviewed_count == 0


def test_the_execution_lines_review_enters_the_total():
    result = run(make())
    sheet = review_sheet(result, {EXECUTION_KEY: ReviewEntry(d("8"), "支出凭证中 3 万元不属本项目")})
    line = sheet.line(EXECUTION_KEY)
    assert line is not None
    assert line.reviewed == d("8.00") and line.computed == d("9.80") and line.comment == "支出凭证中 3 万元不属本项目"
    assert sheet.review_total.value == d("98.00")  # 90 + 8
    assert sheet.computed_total.value == d("99.80")


def test_several_entries_add_up():
    result = run(make())
    entries = {
        indicator_key(ACTIVITIES): ReviewEntry(d("25"), "a"),
        indicator_key(RESPONDENTS): ReviewEntry(d("18.35"), "b"),
        EXECUTION_KEY: ReviewEntry(d("9"), "c"),
    }
    sheet = review_sheet(result, entries)
    assert sheet.review_total.value == d("25") + d("18.35") + d("30") + d("10") + d("9") == d("92.35")
    assert sheet.review_total.value == sum(line.review for line in sheet.lines)
    assert sheet.reviewed_count == 3


def test_entries_whose_keys_are_no_longer_in_the_tree_are_ignored():
    result = run(make())
    entries = {
        "产出指标 › 数量指标 › 科普讲座场次": ReviewEntry(d("0"), "原指标已改名"),
        "科普活动场次": ReviewEntry(d("0"), "只有末级名称，不是完整路径"),
    }
    sheet = review_sheet(result, entries)
    assert sheet.review_total.value == d("99.80") and sheet.reviewed_count == 0
    assert {line.key for line in sheet.lines}.isdisjoint(entries)
    assert all(line.comment == "" for line in sheet.lines)


def test_the_reviewers_score_is_kept_at_two_places():
    sheet = review_sheet(run(make()), {indicator_key(ACTIVITIES): ReviewEntry(d("21.455"))})
    line = sheet.line(indicator_key(ACTIVITIES))
    assert line is not None and line.reviewed == d("21.46")  # half up, as every printed score
    assert sheet.review_total.value == d("91.26")


# ------------------------------------------------------------------------------------------------
# 不适用 indicators
# ------------------------------------------------------------------------------------------------


def test_a_not_applicable_leaf_is_left_out_and_the_review_column_is_rescaled_like_the_computed_one():
    result = run(with_not_applicable_leaf())
    assert result.rules.not_applicable == "rescale"
    sheet = review_sheet(result, {})
    assert all(line.name != "生态效益" for line in sheet.lines)
    assert len(sheet.lines) == 5  # four applicable leaves and 预算执行率
    assert sheet.computed_total.value == d("99.78")
    assert sheet.review_total.value == d("99.78")
    assert "按 100 分折算" in sheet.review_total.explanation.text()
    # the unit's own column, rescaled by the same rule: 9.80 + 20 + 20 + 30 + 10 = 89.80 → 99.78
    assert sheet.self_total.value == d("99.78")

    sheet = review_sheet(result, {indicator_key(ACTIVITIES): ReviewEntry(d("15"))})
    # raw 89.80 − 5 = 84.80 → 84.80 ÷ 90 × 100 = 94.222… → 94.22
    assert sheet.review_total.value == d("94.22")
    assert sheet.review_grade == "优"


def test_an_entry_on_a_not_applicable_leaf_is_ignored():
    result = run(with_not_applicable_leaf())
    key = indicator_key(("效益指标", "社会效益指标", "生态效益"))
    sheet = review_sheet(result, {key: ReviewEntry(d("5"), "不适用指标不复核")})
    assert sheet.line(key) is None
    assert sheet.review_total.value == d("99.78")


def test_under_a_drop_rule_the_review_column_is_not_rescaled_either():
    rules = load_rules("mof-2020").model_copy(update={"not_applicable": "drop"})
    evaluation = make(**{k: v for k, v in with_not_applicable_leaf().items() if k in ("indicators", "claims")})
    result = evaluate(evaluation, rules, load_framework("mof-selfeval"))
    sheet = review_sheet(result, {indicator_key(ACTIVITIES): ReviewEntry(d("15"))})
    assert result.total.value == d("89.80")
    assert review_sheet(result, {}).review_total.value == d("89.80")
    assert sheet.review_total.value == d("84.80")
    assert sheet.review_grade == "良"


# ------------------------------------------------------------------------------------------------
# the 自评 column and the gap
# ------------------------------------------------------------------------------------------------


def test_the_self_column_sums_the_units_claimed_scores():
    claims = {"total_score": 97, "grade": "优", "execution_score": 9}
    indicators = copy.deepcopy(BASE["indicators"])
    indicators[0]["children"][0]["children"][0]["claimed_score"] = 28.5
    sheet = review_sheet(run(make(indicators=indicators, claims=claims)), {})
    assert sheet.self_total.value == d("28.5") + d("20") + d("30") + d("10") + d("9") == d("97.50")
    assert sheet.stated_total == d("97.00")  # what the unit wrote, which need not be the sum of its lines
    assert sheet.self_grade == "优"


def test_the_self_total_is_none_when_the_claimed_execution_score_is_missing():
    sheet = review_sheet(run(make()), {})  # the base claims no 预算执行率 score
    assert sheet.self_total.value is None
    assert "预算执行率" in sheet.self_total.explanation.text()
    assert "不能合计" in sheet.self_total.explanation.text()


def test_the_self_total_is_none_when_a_claimed_leaf_score_is_missing():
    indicators = copy.deepcopy(BASE["indicators"])
    del indicators[0]["children"][0]["children"][1]["claimed_score"]
    sheet = review_sheet(run(make(indicators=indicators, claims=CLAIMS)), {})
    line = sheet.line(indicator_key(RESPONDENTS))
    assert line is not None and line.claimed is None and line.computed == d("20.00")
    assert sheet.self_total.value is None
    text = sheet.self_total.explanation.text()
    assert "答题人数" in text and "自评得分" in text and "不能合计" in text
    # the other columns are whole
    assert sheet.review_total.value == sheet.computed_total.value == d("99.80")


def test_the_self_grade_is_the_units_own_word_normalised():
    sheet = review_sheet(run(make(claims={"total_score": 85, "grade": "优秀", "execution_score": 9.8})), {})
    assert sheet.self_grade == "优"  # what the unit wrote (优秀), not what 85 would be
    sheet = review_sheet(run(make(claims={"total_score": 85, "execution_score": 9.8})), {})
    assert sheet.self_grade == "良"  # no word: the band of the stated total


def test_gap_uses_the_stated_total_when_present():
    result = run(make(claims={"total_score": 100, "grade": "优", "execution_score": 9.8}))
    sheet = review_sheet(result, {indicator_key(ACTIVITIES): ReviewEntry(d("25"))})
    assert sheet.self_total.value == d("99.80")  # the lines add up to 99.80 …
    assert sheet.review_total.value == d("94.80")
    assert sheet.gap == d("5.20")  # … but the unit wrote 100


def test_gap_falls_back_on_the_sum_of_the_units_lines():
    result = run(make(claims={"execution_score": 9.8}))
    sheet = review_sheet(result, {indicator_key(ACTIVITIES): ReviewEntry(d("25"))})
    assert sheet.stated_total is None
    assert sheet.gap == d("99.80") - d("94.80") == d("5.00")


def test_gap_is_none_without_any_own_total():
    sheet = review_sheet(run(make(claims={})), {})
    assert sheet.stated_total is None and sheet.self_total.value is None
    assert sheet.gap is None


def test_line_gap_and_differs():
    result = run(make(claims=CLAIMS))
    sheet = review_sheet(result, {indicator_key(ACTIVITIES): ReviewEntry(d("25"), "核减")})
    reviewed = sheet.line(indicator_key(ACTIVITIES))
    untouched = sheet.line(indicator_key(RESPONDENTS))
    assert reviewed is not None and untouched is not None
    assert reviewed.self_gap == d("5.00") and reviewed.differs
    assert untouched.self_gap == d("0.00") and not untouched.differs


def test_a_missing_claim_is_no_difference():
    sheet = review_sheet(run(make()), {})  # no claimed 预算执行率 score
    execution = sheet.line(EXECUTION_KEY)
    assert execution is not None and execution.claimed is None
    assert execution.self_gap is None and not execution.differs
    sheet = review_sheet(run(make()), {EXECUTION_KEY: ReviewEntry(d("9"))})
    execution = sheet.line(EXECUTION_KEY)
    assert execution is not None and execution.differs  # 9.00 against the computed 9.80


def test_two_leaves_of_the_same_name_each_keep_their_scores_in_the_totals():
    indicators = copy.deepcopy(BASE["indicators"])
    twin = copy.deepcopy(indicators[0]["children"][0]["children"][1])
    twin.update(claimed_score=15, actual="4000人")  # 4000 of 5000: 16.00 computed
    indicators[0]["children"][0]["children"].append(twin)
    result = run(make(indicators=indicators, claims=CLAIMS))
    sheet = review_sheet(result, {})
    assert result.total.value == d("115.80")
    assert sheet.review_total.value == d("115.80")
    assert sheet.self_total.value == d("114.80")


# ------------------------------------------------------------------------------------------------
# the reviewer's input
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("abc", "不是数字"),
        ("7.5分", "不是数字"),
        ("-1", "不能小于 0"),
        ("10.01", "超过该指标分值 10.00 分"),
        ("11", "超过该指标分值"),
        ("7.125", "最多保留两位小数"),
        ("NaN", "不是数字"),
        ("Infinity", "不是数字"),
        ("-Infinity", "不是数字"),
        ("sNaN", "不是数字"),
    ],
)
def test_check_score_rejects_what_cannot_stand_with_a_chinese_message_naming_the_line(text, says):
    with pytest.raises(ReviewScoreError) as caught:
        check_score("科普活动场次", d("10"), text)
    message = str(caught.value)
    assert says in message
    assert "“科普活动场次”" in message


def test_check_score_rejects_a_score_past_any_precision_without_points():
    with pytest.raises(ReviewScoreError, match="科普活动场次"):
        check_score("科普活动场次", None, "1e999999999")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("   ", None),
        (None, None),
        ("7.5", d("7.50")),
        (" 7.5 ", d("7.50")),
        ("10", d("10.00")),
        ("0", d("0.00")),
        ("7.500", d("7.50")),
        (d("3.2"), d("3.20")),
    ],
)
def test_check_score_accepts(text, expected):
    value = check_score("科普活动场次", d("10"), text)
    assert value == expected
    if expected is not None:
        assert str(value) == str(expected)  # at two places


def test_check_score_reads_minus_zero_as_zero():
    assert str(check_score("科普活动场次", d("10"), "-0")) == "0.00"


def test_check_score_without_points_has_no_upper_bound():
    assert check_score("科普活动场次", None, "120") == d("120.00")
