"""An excess over a task ("实际改造数超任务43%") read with the task count and the count done that the report states in
other sentences, where all three are unambiguous; nothing is computed or judged here."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.audit.source import Place, SourceText
from jixiao.io.audit.audit_file import AuditSettings
from jixiao.reading.audit import audit_source
from jixiao.reading.extract.flat import flatten
from jixiao.reading.extract.rates import ExcessStatement, find_excess_statements


def _read(*lines: str) -> list[ExcessStatement]:
    source = SourceText("报告.txt", "txt")
    for i, line in enumerate(lines, 1):
        source.add_line(line, Place(line=i))
    return find_excess_statements(flatten(source))


HEAD = "一、绩效目标情况"
COUNTS = "我县2023年改厕任务数为200户，实际完成农村户厕改造260户，发放补助资金52万元。"
EXCESS = "由于群众积极性高，我县实际改造数超任务30%。"


def test_the_excess_is_read_with_the_counts_stated_in_another_sentence() -> None:
    (found,) = _read(HEAD, COUNTS, "二、完成情况", EXCESS)
    assert (found.excess_pct, found.planned, found.done, found.unit) == (Decimal(30), Decimal(200), Decimal(260), "户")
    assert found.evidence.place.line == 4 and found.counts.place.line == 2


def test_counts_repeated_alike_still_give_one_pair() -> None:
    (found,) = _read(HEAD, COUNTS, "年初计划补助200户，最终实际完成260户。", EXCESS)
    assert (found.planned, found.done) == (Decimal(200), Decimal(260))


def test_two_task_counts_or_two_excesses_give_nothing() -> None:
    assert _read(HEAD, COUNTS, "其中计划新建150户。", EXCESS) == []
    assert _read(HEAD, COUNTS, EXCESS, "全年实际改造数超计划25%。") == []


def test_counts_in_two_units_that_both_pair_give_nothing() -> None:
    assert _read(HEAD, COUNTS, "计划培训农户500人，实际完成培训620人。", EXCESS) == []


def test_an_excess_about_something_else_than_the_counts_gives_nothing() -> None:
    assert _read(HEAD, COUNTS, "全市粮食产量超计划5%。") == []


def test_money_is_no_count_and_an_excess_without_a_percentage_is_none() -> None:
    assert _read(HEAD, "计划投资300万元，实际完成投资390万元。", "实际投资超计划30%。") == []
    assert _read(HEAD, COUNTS, "我县实际改造数超任务较多。") == []


def test_the_audit_warns_when_the_stated_excess_is_not_what_the_counts_give() -> None:
    settings = AuditSettings.load()
    found = []
    for excess in (EXCESS, "由于群众积极性高，我县实际改造数超任务40%。"):
        source = SourceText("报告.txt", "txt")
        for i, line in enumerate(("2023年度农村改厕项目绩效自评报告", COUNTS, "二、完成情况", excess), 1):
            source.add_line(line, Place(line=i))
        findings = audit_source(source, settings.rules, settings.framework, settings.weights).findings
        found.append([(f.id, f.severity.name, f.message, f.location) for f in findings if f.id == "A016"])
    message = "所述超出任务 40%，而任务数 200 户、实际完成 260 户（第2行），（260 − 200）÷ 200 = 30.00%"
    assert found == [[], [("A016", "WARNING", message, "第4行")]]
