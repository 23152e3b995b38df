"""The same figure written as a fund's amount in 元 in one place and in 万元 in another is a unit slip (A017): one of
the two is ten thousand times off. Different figures in 元 and 万元, and rates per head in 元, are the normal case."""

from __future__ import annotations

from decimal import Decimal

from jixiao.io.audit.audit_file import AuditSettings
from jixiao.reading.audit import audit_source
from jixiao.reading.extract.amounts import find_unit_slips
from jixiao.reading.extract.flat import flatten
from tests.reading.sources import text_source


def _slips(*lines: str) -> list[tuple[Decimal, str, str]]:
    return [
        (s.figure, s.in_yuan.place.label(), s.in_wan.place.label())
        for s in find_unit_slips(flatten(text_source(*lines)))
    ]


HEAD = "一、绩效目标分解下达情况"
IN_WAN = "2024年农机购置补贴项目预算资金合计2089万元。"
IN_YUAN = "2024年农机购置补贴项目资金全年预算数2089元。"


def test_a_budget_in_yuan_that_is_elsewhere_in_wan_is_a_slip() -> None:
    assert _slips(HEAD, IN_WAN, "二、完成情况", IN_YUAN) == [(Decimal(2089), "第4行", "第2行")]


def test_different_figures_in_yuan_and_wan_are_no_slip() -> None:
    assert _slips(HEAD, IN_WAN, "全年预算数20890000元。") == []


def test_a_rate_per_head_in_yuan_is_no_fund_amount() -> None:
    assert _slips(HEAD, "预算资金1000万元。", "发放补助标准每人1000元。", "共发放1000元/人。") == []


def test_a_figure_in_a_clause_naming_no_fund_is_not_compared() -> None:
    assert _slips(HEAD, IN_WAN, "农户购机节约成本2089元。") == []


def test_the_audit_warns_of_the_slip_with_both_places() -> None:
    settings = AuditSettings.load()
    doc = audit_source(
        text_source(HEAD, IN_WAN, "二、完成情况", IN_YUAN), settings.rules, settings.framework, settings.weights
    )
    found = [(f.id, f.severity.name, f.message, f.location) for f in doc.findings if f.id == "A017"]
    message = "“2089 元”（第4行）与“2089 万元”（第2行）数字相同而单位不同，两者相差一万倍，应有一处单位写错"
    assert found == [("A017", "WARNING", message, "第4行")]
    assert doc.extraction is not None and doc.extraction.facts["budget_wan"].value == Decimal(2089)
