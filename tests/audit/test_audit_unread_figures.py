"""Checks on what a document states never fabricate: a figure the reader did not get is unknown, not 0.

Each case is an :class:`Extraction` built in code (what a reader would have got), audited as a document is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.audit.document import DocumentKind, Evidence, Extraction, Fact, FoundIndicator, FundLine
from jixiao.core.audit.run import audit_extraction
from jixiao.core.audit.source import Place
from jixiao.io.catalogue import load_framework, load_risk_weights, load_rules


def _evidence(line: int, text: str = "…") -> Evidence:
    return Evidence(Place(line=line), text)


def _facts(**values: object) -> dict[str, Fact]:
    return {
        name: Fact(
            Decimal(str(v)) if isinstance(v, int | float | str) and name.endswith(("_wan", "_pct", "score")) else v,
            _evidence(n + 1, f"{name} {v}"),
        )
        for n, (name, v) in enumerate(values.items())
    }


def _placed(**values: tuple[object, int]) -> dict[str, Fact]:
    """Facts each read on the given line."""
    return {
        name: Fact(Decimal(str(v)) if name.endswith(("_wan", "_pct", "score")) else v, _evidence(line, f"{name} {v}"))
        for name, (v, line) in values.items()
    }


def _row(name: str, points: str, score: str, target: str = "≥90%", actual: str = "95%") -> FoundIndicator:
    return FoundIndicator(
        "产出指标", "数量指标", name, target, actual, Decimal(points), Decimal(score), None, _evidence(20)
    )


def _audit(ex: Extraction) -> list[tuple[str, str, str]]:
    doc = audit_extraction("测试.txt", ex, load_rules("mof-2020"), load_framework("mof-selfeval"), load_risk_weights())
    return [(f.id, f.severity.value, f.message) for f in doc.findings]


def _ids(findings: list[tuple[str, str, str]]) -> set[str]:
    return {f[0] for f in findings}


def test_an_unread_budget_is_unknown_so_a_claimed_100_is_not_called_unattainable():
    """S010 with no budget read: the execution score is unknown, not 0; no finding quotes a budget of 0.00."""
    ex = Extraction(DocumentKind.REPORT, facts=_facts(year=2022, self_score=100, grade="优"))
    findings = _audit(ex)
    assert "S010" not in _ids(findings)
    assert not [f for f in findings if "0.00 万元" in f[2]]
    assert not [f for f in findings if f[1] == "error"]


def test_a_read_budget_with_little_spent_makes_a_claimed_100_unattainable():
    facts = _placed(budget_wan=(153, 4), spent_wan=(100, 4), self_score=("100", 9), grade=("优", 9))
    findings = _audit(Extraction(DocumentKind.TABLE, facts=facts))
    s010 = [f for f in findings if f[0] == "S010"]
    assert s010 and s010[0][1] == "error"
    assert "全年预算 153.00 万元" in s010[0][2] and "预算执行率 65.36%" in s010[0][2]
    assert "实际到位" not in s010[0][2]  # the amount arrived was not read: not shown as a dash or a 0


def test_a_budget_read_without_the_amount_spent_is_no_ground_for_s010_either():
    ex = Extraction(DocumentKind.REPORT, facts=_facts(year=2022, budget_wan=153, self_score=100, grade="优"))
    assert "S010" not in _ids(_audit(ex))


def test_a_full_table_without_fund_figures_is_not_given_a_computed_total_that_counts_them_as_0():
    """S006 compares the stated total with the computed one only where the execution score could be computed."""
    rows = [_row("举办活动场次", "50", "50", "≥50场", "52场"), _row("群众满意度", "40", "40")]
    ex = Extraction(DocumentKind.TABLE, facts=_facts(year=2022, self_score=100), indicators=rows)
    findings = _audit(ex)
    assert not [f for f in findings if f[0] == "S006" and "总分" in f[2]]
    assert "S010" not in _ids(findings)


# -- the audit checks on fund rows and totals (A011–A013), on extractions built in code ---------------------------


def _fund(label: str, budget: str | None, spent: str | None, points: str | None, rate: str | None, score: str | None,
          *, total: bool = True) -> FundLine:  # fmt: skip
    def d(v: str | None) -> Decimal | None:
        return None if v is None else Decimal(v)

    return FundLine(label, d(budget), d(budget), d(spent), d(points), d(rate), d(score), _evidence(5), is_total=total)


def test_a011_a_fund_row_whose_rate_is_not_spent_over_budget():
    ex = Extraction(DocumentKind.TABLE, fund_lines=[_fund("中央财政补助", "50", "47.68", None, "95.00", None)])
    findings = [f for f in _audit(ex) if f[0] == "A011"]
    assert findings == [
        (
            "A011",
            "error",
            "“中央财政补助”执行率 95.00%，而全年执行数 47.68 万元 ÷ 全年预算数 50.00 万元 = 95.360%",
        )
    ]


@pytest.mark.parametrize("rate", ["95.36", "95.4", "95", "95.37"])
def test_a011_a_rate_as_rounded_or_truncated_or_within_the_amounts_own_rounding(rate: str):
    ex = Extraction(DocumentKind.TABLE, fund_lines=[_fund("中央财政补助", "50", "47.68", None, rate, None)])
    assert "A011" not in _ids(_audit(ex))


def test_a011_a_slip_in_the_last_place_is_a_warning():
    ex = Extraction(DocumentKind.TABLE, fund_lines=[_fund("年度资金总额", "25", "21.54576", None, "86.19", None)])
    findings = [f for f in _audit(ex) if f[0] == "A011"]
    assert [(f[1], f[2].split("，")[-1]) for f in findings] == [("warning", "执行率取舍有误")]
    assert "= 86.183%" in findings[0][2]


def test_a011_leaves_the_stated_facts_to_f001():
    line = _fund("年度资金总额", "50", "47.68", "10", "95.00", None)
    ex = Extraction(
        DocumentKind.TABLE,
        facts=_facts(year=2023, budget_wan="50", spent_wan="47.68", execution_rate_pct="95.00"),
        fund_lines=[line],
    )
    ids = [f[0] for f in _audit(ex)]
    assert "A011" not in ids and "F001" in ids


def test_a002_a_score_rounded_the_wrong_way_is_a_warning_and_a_score_far_off_an_error():
    slip = Extraction(
        DocumentKind.TABLE, fund_lines=[_fund("年度资金总额", "278.4449", "30.00", "20", "10.77", "2.16")]
    )
    found = [f for f in _audit(slip) if f[0] == "A002"]
    assert [f[1] for f in found] == ["warning"] and "表中得分 2.16 分，得分取舍有误" in found[0][2]
    right = Extraction(
        DocumentKind.TABLE, fund_lines=[_fund("年度资金总额", "278.4449", "30.00", "20", "10.77", "2.15")]
    )
    assert "A002" not in _ids(_audit(right))
    far = Extraction(DocumentKind.TABLE, fund_lines=[_fund("基本支出", "985.19", "914.97", "10", None, "10")])
    assert [f[1] for f in _audit(far) if f[0] == "A002"] == ["error"]
    other_rule = Extraction(DocumentKind.TABLE, fund_lines=[_fund("年度资金总额", "100", "96", "10", "96.00", "10.00")])
    assert "A002" not in _ids(_audit(other_rule))  # 0.4 分: perhaps another scoring rule, not judged


def test_a012_points_beyond_100():
    rows = [_row("举办活动场次", "50", "50", "≥50场", "52场"), _row("群众满意度", "45", "45")]
    ex = Extraction(
        DocumentKind.TABLE, indicators=rows, fund_lines=[_fund("年度资金总额", "50", "50", "10", "100", "10")]
    )
    found = [f for f in _audit(ex) if f[0] == "A012"]
    assert found == [
        ("A012", "warning", "2 项指标分值合计 95.00 分，加预算执行率分值 10.00 分，共 105.00 分，超过满分 100 分")
    ]
    rows[1] = _row("群众满意度", "40", "40")
    assert "A012" not in _ids(_audit(ex))


def test_a013_a_total_that_is_not_the_sum_of_a_complete_table():
    rows = [_row("举办活动场次", "50", "50", "≥50场", "52场"), _row("群众满意度", "40", "40")]
    fund = _fund("年度资金总额", "25", "21.54576", "10", "86.18", "8.62")
    ex = Extraction(DocumentKind.TABLE, facts=_facts(year=2022, self_score="99.62"), indicators=rows, fund_lines=[fund])
    found = [f for f in _audit(ex) if f[0] == "A013"]
    assert [f[1] for f in found] == ["error"]
    assert "各指标得分合计 90.00 分，加预算执行率得分 8.62 分，共 98.62 分，自评总分却为 99.62 分" in found[0][2]
    ex.facts = _facts(year=2022, self_score="98.62")
    assert "A013" not in _ids(_audit(ex))
    ex.facts = _facts(year=2022, self_score="99.62")
    ex.indicators = rows[:1]  # 50 + 10 分: the table is not complete, the total cannot be re-added
    assert "A013" not in _ids(_audit(ex))


def test_a001_parts_under_their_own_total_and_only_when_they_exceed_it():
    lines = [
        _fund("年度资金总额", "763", None, None, None, None),
        _fund("其中:中央补助", "502", None, None, None, None, total=False),  # other parts unread: no finding
        _fund("年度资金总额", "321.25", None, None, None, None),
        _fund("其中:中央补助", "166", None, None, None, None, total=False),
        _fund("市级资金", "136", None, None, None, None, total=False),
        _fund("本级资金", "20.25", None, None, None, None, total=False),
    ]
    found = [f for f in _audit(Extraction(DocumentKind.TABLE, fund_lines=lines)) if f[0] == "A001"]
    assert len(found) == 1
    assert "全年预算数 321.25 万元，其下各行合计 166.00 + 136.00 + 20.25 = 322.25 万元" in found[0][2]


def test_a009_two_things_named_alike_in_the_goal_are_told_apart():
    """The goal counts 总氮 and 氨氮 apart; each indicator matches its own clause, not its neighbour's."""
    goal = _evidence(3, "年度总体目标:新增污染负荷总氮削减量490吨/年,新增污染负荷氨氮削减量250吨/年")
    rows = [
        _row("新增污染负荷总氮削减量", "10", "10", "490吨/年", "490吨/年"),
        _row("新增污染负荷氨氮削减量", "10", "10", "250吨/年", "250吨/年"),
    ]
    assert "A009" not in _ids(_audit(Extraction(DocumentKind.TABLE, indicators=rows, goal=goal)))
    rows[1] = _row("新增污染负荷氨氮削减量", "10", "10", "300吨/年", "300吨/年")
    found = [f for f in _audit(Extraction(DocumentKind.TABLE, indicators=rows, goal=goal)) if f[0] == "A009"]
    assert [f[2] for f in found] == [
        "年度总体目标写“新增污染负荷氨氮削减量250吨/年”，指标“新增污染负荷氨氮削减量”的年度指标值却为 300吨/年"
    ]


def test_what_could_not_be_checked_is_said_in_a_note():
    rules, framework, weights = load_rules("mof-2020"), load_framework("mof-selfeval"), load_risk_weights()
    unread = Extraction(DocumentKind.REPORT, facts=_facts(year=2022, self_score=100))
    doc = audit_extraction("测试.txt", unread, rules, framework, weights)
    assert "未读出预算数或执行数，预算执行率得分无从计算，未核对所述总分、等级在资金执行情况下能否达到" in doc.notes
    read = Extraction(DocumentKind.REPORT, facts=_facts(year=2022, budget_wan=153, spent_wan=150, self_score=100))
    assert not [n for n in audit_extraction("测试.txt", read, rules, framework, weights).notes if "未核对" in n]


def test_amounts_compared_across_sentences_are_a_warning_not_an_error():
    """“中央资金到位 2077 万元” in one sentence, “执行 2089 万元” in another: perhaps two scopes, so a warning."""
    apart = Extraction(
        DocumentKind.REPORT, facts=_placed(budget_wan=(2089, 3), arrived_wan=(2077, 5), spent_wan=(2089, 9))
    )
    found = [f for f in _audit(apart) if f[0] == "F003"]
    assert [f[1] for f in found] == ["warning"] and "口径可能不同" in found[0][2]
    together = Extraction(
        DocumentKind.REPORT, facts=_placed(budget_wan=(2089, 3), arrived_wan=(2077, 5), spent_wan=(2089, 5))
    )
    assert [f[1] for f in _audit(together) if f[0] == "F003"] == ["error"]


def test_a_rate_and_its_amounts_in_one_table_row_keep_the_error():
    facts = _placed(budget_wan=(50, 4), spent_wan=(47.68, 4), execution_rate_pct=("95.00", 4))
    assert [f[1] for f in _audit(Extraction(DocumentKind.TABLE, facts=facts)) if f[0] == "F001"] == ["error"]
    facts = _placed(budget_wan=(50, 4), spent_wan=(47.68, 12), execution_rate_pct=("95.00", 20))
    assert [f[1] for f in _audit(Extraction(DocumentKind.REPORT, facts=facts)) if f[0] == "F001"] == ["warning"]


def test_rows_worth_100_points_leave_no_room_for_an_assumed_execution_score():
    """No fund block read, rows worth 100 分: 预算执行率 is not scored apart, so no 10 分 is assumed on top."""
    rows = [_row("举办活动场次", "60", "60", "≥50场", "52场"), _row("群众满意度", "40", "40")]
    facts = _placed(budget_wan=(100, 4), spent_wan=(80, 4), self_score=("100", 9))
    findings = _audit(Extraction(DocumentKind.TABLE, facts=facts, indicators=rows))
    assert not [f for f in findings if f[0] in ("S006", "S010") and f[1] == "error"]


def test_amounts_apart_that_a_stated_rate_ties_keep_the_error():
    """“预算153万元”, later “划拨100万元”, “到位率65.36%”: the document itself ties the two, so S010 and F006 are errors."""
    facts = _placed(
        budget_wan=(153, 3),
        arrived_wan=(100, 30),
        arrival_rate_pct=("65.36", 32),
        spent_wan=(100, 40),
        spend_rate_pct=("100", 40),
        self_score=("100", 50),
        grade=("优秀", 50),
    )
    facts["funds_timely"] = Fact(True, _evidence(30, "资金到位及时"))
    found = {f[0]: f[1] for f in _audit(Extraction(DocumentKind.REPORT, facts=facts))}
    assert found["S010"] == "error" and found["F006"] == "error"
    del facts["arrival_rate_pct"]  # nothing ties 预算 to the rest: perhaps another scope
    found = {f[0]: f[1] for f in _audit(Extraction(DocumentKind.REPORT, facts=facts))}
    assert found["S010"] == "warning" and found["F006"] == "warning"


def test_a001_a_total_at_the_foot_of_its_block_sums_the_rows_above_it():
    lines = [
        _fund("财政拨款", "80", None, None, None, None, total=False),
        _fund("其他资金", "30", None, None, None, None, total=False),
        _fund("合计", "100", None, None, None, None),
    ]
    found = [f for f in _audit(Extraction(DocumentKind.TABLE, fund_lines=lines)) if f[0] == "A001"]
    assert len(found) == 1 and "其下各行合计 80.00 + 30.00 = 110.00 万元" in found[0][2]
