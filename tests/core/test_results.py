"""结果应用 policy: per grade an action and a budget change, bands within a grade, a 主管部门's own rules; the
suggested next-year budget with its formula and inputs; every policy the rules forbid refused in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.results import GRADES, Policy, change_text, suggest
from jixiao.io.catalogue import DEFAULT_RESULT_POLICY, load_result_policy
from jixiao.io.errors import InputError

D = Decimal

#: a policy of the tests, kept apart from the shipped default so that retuning it does not rewrite the specification
POLICY = """
name: 测试政策
source: 测试
rules:
  - {grade: 优, action: 优先保障, change_pct: 0, note: 第一条}
  - {grade: 良, action: 维持, change_pct: 0}
  - {grade: 中, action: 压减 20%, change_pct: -20, score_from: 60, score_to: 70, note: 第三条第一款}
  - {grade: 中, action: 压减 10%, change_pct: -10, score_from: 70, note: 第三条第二款}
  - {grade: 差, action: 取消, cancel: true, note: 第四条}
departments:
  - department: 市教育局
    note: 教育优先
    rules:
      - {grade: 中, action: 维持, change_pct: 0, note: 教育局中等维持}
  - department: "0042"
    rules:
      - {grade: 差, action: 压减 30%, change_pct: -30}
"""


@pytest.fixture
def policy() -> Policy:
    return load_result_policy(POLICY)


def text_of(body: str) -> str:
    """A policy whose four grades are plain, with ``body`` rules added."""
    base = "name: 测试\nrules:\n  - {grade: 优, action: 保障, change_pct: 0}\n  - {grade: 良, action: 维持, change_pct: 0}\n"
    return base + body


def refused(text: str) -> str:
    with pytest.raises(InputError) as caught:
        load_result_policy(text)
    return str(caught.value)


# ------------------------------------------------------------------------------------------- suggestions


def test_a_lower_band_of_a_grade_is_cut_more_and_the_formula_shows_its_inputs(policy: Policy) -> None:
    s = suggest(policy, budget_wan=D("153"), grade="中", score=D("65.5"), department="市卫健委")
    assert (s.action, s.change_pct, s.change, s.suggested_wan) == ("压减 20%", D(-20), "压减 20%", D("122.4000"))
    assert s.explanation.rule == "“中”（60–70 分）：压减 20%"
    assert s.explanation.formula == "建议预算 = 本年全年预算数 153.00 万元 × (1 − 20%) = 122.40 万元"
    assert s.explanation.inputs == (("等级", "中"), ("得分", "65.50"), ("依据", "第三条第一款"))
    assert s.override is None


def test_a_band_includes_its_lower_end_and_not_its_upper_one(policy: Policy) -> None:
    at_70 = suggest(policy, budget_wan=D("153"), grade="中", score=D("70"), department=None)
    assert (at_70.change_pct, at_70.suggested_wan) == (D(-10), D("137.7000"))
    assert at_70.explanation.formula == "建议预算 = 本年全年预算数 153.00 万元 × (1 − 10%) = 137.70 万元"
    assert at_70.explanation.rule == "“中”（70 分及以上）：压减 10%"
    assert suggest(policy, budget_wan=D("153"), grade="中", score=D("69.99"), department=None).change_pct == D(-20)


def test_the_amount_is_kept_to_four_places_and_shown_at_two(policy: Policy) -> None:
    s = suggest(policy, budget_wan=D("12.3457"), grade="中", score=D("75"), department=None)
    assert s.suggested_wan == D("11.1111")  # 12.3457 × 0.9 = 11.11113
    assert s.explanation.formula.endswith("= 11.11 万元")


def test_a_cancelled_project_is_suggested_nothing_and_the_note_is_cited(policy: Policy) -> None:
    s = suggest(policy, budget_wan=D("80"), grade="差", score=D("45"), department="市卫健委")
    assert (s.action, s.change_pct, s.change, s.suggested_wan) == ("取消", D(-100), "取消", D(0))
    assert s.explanation.formula == "建议预算 = 0.00 万元（取消项目；本年全年预算数 80.00 万元）"
    assert ("依据", "第四条") in s.explanation.inputs


def test_a_departments_own_rule_replaces_the_grade_it_names_by_name_or_by_code(policy: Policy) -> None:
    by_name = suggest(policy, budget_wan=D("100"), grade="中", score=D("65"), department="市教育局")
    assert (by_name.action, by_name.suggested_wan, by_name.override) == ("维持", D("100.0000"), "市教育局")
    assert ("适用", "主管部门“市教育局”的单独规则") in by_name.explanation.inputs
    assert by_name.explanation.formula == "建议预算 = 本年全年预算数 100.00 万元 × (1 + 0%) = 100.00 万元"
    # the grades it does not name keep the policy's rule
    other_grade = suggest(policy, budget_wan=D("100"), grade="差", score=D("50"), department="市教育局")
    assert (other_grade.action, other_grade.suggested_wan, other_grade.override) == ("取消", D(0), None)
    by_code = suggest(policy, budget_wan=D("100"), grade="差", score=D("50"), department="某局", department_code="0042")
    assert (by_code.action, by_code.suggested_wan, by_code.override) == ("压减 30%", D("70.0000"), "0042")


def test_without_a_budget_the_action_is_suggested_without_an_amount_and_says_so(policy: Policy) -> None:
    s = suggest(policy, budget_wan=None, grade="中", score=D("75"), department=None)
    assert (s.action, s.suggested_wan) == ("压减 10%", None)
    assert s.explanation.formula == "本年全年预算数未填，只建议处理方式（压减 10%），不计算建议预算金额"


def test_an_unscored_evaluation_gets_no_suggestion(policy: Policy) -> None:
    s = suggest(policy, budget_wan=D("100"), grade=None, score=None, department=None)
    assert (s.rule, s.action, s.suggested_wan) == (None, "—", None)
    assert s.explanation.text() == "无建议：尚未评分，无法按结果应用政策提出建议（本年全年预算数 100.00 万元）"


def test_a_score_outside_every_band_of_its_grade_gets_no_rule_and_says_why(policy: Policy) -> None:
    s = suggest(policy, budget_wan=D("100"), grade="中", score=D("55"), department=None)
    assert (s.rule, s.suggested_wan) == (None, None)
    assert s.explanation.formula == "政策中“中”的分数区间（70 分及以上、60–70）不含 55.00 分，请补充政策或人工决定"
    none = suggest(policy, budget_wan=D("100"), grade="中", score=None, department=None)
    assert none.explanation.formula.startswith("政策中“中”按分数区间（70 分及以上、60–70）区分，但没有得分")


def test_the_shipped_default_covers_every_grade_and_cites_88() -> None:
    default = load_result_policy(DEFAULT_RESULT_POLICY)
    assert [(r.grade, r.action, r.change_pct, r.cancel) for r in default.rules] == [
        ("优", "优先保障", D(0), False),
        ("良", "维持", D(0), False),
        ("中", "压减 10%", D(-10), False),
        ("差", "压减 50%，视整改情况决定是否取消", D(-50), False),
    ]
    assert all("财预〔2015〕88号" in r.note for r in default.rules)
    assert load_result_policy() is load_result_policy()  # the default file is read once
    s = suggest(default, budget_wan=D("153"), grade="中", score=D("72"), department="甲主管部门")
    assert s.explanation.formula == "建议预算 = 本年全年预算数 153.00 万元 × (1 − 10%) = 137.70 万元"


@pytest.mark.parametrize(
    ("pct", "cancel", "text"),
    [(D(0), False, "不变"), (D("-12.50"), False, "压减 12.5%"), (D(5), False, "增加 5%"), (D(-100), True, "取消")],
)
def test_a_change_reads_as_words(pct: Decimal, cancel: bool, text: str) -> None:
    assert change_text(pct, cancel) == text


# ------------------------------------------------------------------------------------------- refusals


def test_two_rules_of_a_grade_whose_bands_overlap_are_refused_naming_the_grade_and_ranges() -> None:
    body = (
        "  - {grade: 中, action: a, change_pct: -20, score_from: 60, score_to: 75}\n"
        "  - {grade: 中, action: b, change_pct: -10, score_from: 70, score_to: 80}\n"
        "  - {grade: 差, action: c, change_pct: -50}\n"
    )
    assert refused(text_of(body)) == "“中”的两条规则分数区间 60–75 与 70–80 重叠"


def test_an_unbanded_rule_beside_a_banded_one_of_the_same_grade_overlaps() -> None:
    body = (
        "  - {grade: 中, action: a, change_pct: -20}\n"
        "  - {grade: 中, action: b, change_pct: -10, score_from: 70}\n"
        "  - {grade: 差, action: c, change_pct: -50}\n"
    )
    assert refused(text_of(body)) == "“中”的两条规则分数区间 不限 与 70 分及以上 重叠"


def test_overlapping_bands_in_a_departments_own_rules_are_refused_naming_the_department() -> None:
    body = (
        "  - {grade: 中, action: a, change_pct: -10}\n  - {grade: 差, action: c, change_pct: -50}\n"
        "departments:\n  - department: 市教育局\n    rules:\n"
        "      - {grade: 差, action: a, change_pct: -20, score_to: 50}\n"
        "      - {grade: 差, action: b, change_pct: -10, score_from: 40, score_to: 60}\n"
    )
    assert refused(text_of(body)) == (
        "字段 departments[0]（主管部门单独规则）：主管部门“市教育局”的单独规则中，“差”的两条规则分数区间 低于 50 分 与 40–60 重叠"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "  - {grade: 甲, action: a, change_pct: 0}\n",
            "字段 rules[2].grade（等级）：未知的等级“甲”，应为 优、良、中、差 之一",
        ),
        ("  - {grade: 中, action: a, change_pct: -10}\n", "缺少等级“差”的规则：优、良、中、差 四个等级都要有规则"),
        (
            "  - {grade: 中, action: a, change_pct: -10}\n  - {grade: 差, action: b, change_pct: -120}\n",
            "字段 rules[3].change_pct（预算调整比例（%））：预算调整比例 -120% 低于 -100%：压减不能超过全部预算",
        ),
        (
            "  - {grade: 中, action: a, change_pct: -10}\n  - {grade: 差, action: b, change_pct: -50, cancel: true}\n",
            "字段 rules[3]（规则）：“差”的规则取消项目（cancel: true），预算调整比例应为 -100% 或不写，现为 -50%",
        ),
        (
            "  - {grade: 中, action: a}\n  - {grade: 差, action: b, change_pct: -50}\n",
            "字段 rules[2]（规则）：“中”的规则缺少预算调整比例（change_pct）：维持写 0，压减 10% 写 -10，取消写 cancel: true",
        ),
        (
            "  - {grade: 中, action: a, change_pct: -10, score_from: 80, score_to: 70}\n"
            "  - {grade: 差, action: b, change_pct: -50}\n",
            "字段 rules[2]（规则）：“中”的规则分数区间 80–70 无效：下限应小于上限",
        ),
        (
            "  - {grade: 中, action: a, change_pct: -10}\n  - {grade: 差, action: b, change_pct: -50}\n"
            "departments:\n  - {department: 市教育局, rules: [{grade: 中, action: a, change_pct: 0}]}\n"
            "  - {department: 市教育局, rules: [{grade: 差, action: a, change_pct: 0}]}\n",
            "主管部门“市教育局”的单独规则写了两处，请合并为一处",
        ),
        (
            "  - {grade: 中, action: a, change_pct: 十}\n  - {grade: 差, action: b, change_pct: -50}\n",
            "字段 rules[2].change_pct（预算调整比例（%））：数值应为数字，实际为“十”",
        ),
    ],
)
def test_each_forbidden_policy_is_refused_in_chinese(body: str, message: str) -> None:
    assert refused(text_of(body)) == message


def test_a_yaml_syntax_error_says_where() -> None:
    assert refused("name: 测试\nrules: [\n") == "YAML 格式错误，位于第 3 行第 1 列"


def test_a_text_that_is_not_a_table_is_refused() -> None:
    assert refused("- 优\n- 良\n") == "结果应用政策的内容应为字段表（name、rules 等）"


def test_the_grades_are_the_rule_sets_grades() -> None:
    from jixiao.io.catalogue import load_rules

    assert [band.grade for band in load_rules("mof-2020").grades] == list(GRADES)
