"""A grand total followed by its sub-funds, each with the same sources (中央补助, 市级资金 …): where the sub-funds'
totals add up to the grand total, each source of the sub-funds adds up to the grand total's source (A019)."""

from __future__ import annotations

from jixiao.io.audit.audit_file import AuditSettings
from jixiao.reading.audit import audit_source
from tests.reading.sources import text_source


def _block(title: str, total: str, central: str, city: str) -> tuple[str, ...]:
    return (f"{title}(万元)", f"年度预算资金总额: {total}", f"其中:中央补助 {central}", f"市级资金 {city}", "其中:")


def _a019(*lines: str) -> list[tuple[str, str]]:
    settings = AuditSettings.load()
    doc = audit_source(text_source(*lines), settings.rules, settings.framework, settings.weights)
    return [(f.message, f.location) for f in doc.findings if f.id == "A019"]


HEAD = ("某县2024年度转移支付项目绩效自评表", "项目资金")
FOOT = ("资金下达 资金发放及时性",)


def test_a_source_of_the_grand_total_that_its_sub_funds_do_not_add_up_to_is_warned() -> None:
    found = _a019(
        *HEAD,
        *_block("资金合计", "1084.00", "668.00", "416.00"),
        *_block("奖励扶助资金", "763.00", "502.00", "261.00"),
        *_block("特别扶助资金", "321.00", "166.00", "156.00"),
        *FOOT,
    )
    message = (
        "“市级资金”全年预算数：合计栏为 416.00 万元，各分项的“市级资金”合计 261.00 + 156.00 = 417.00 万元"
        "（各分项总额 763.00 + 321.00 = 1084.00 万元，与合计栏相符）"
    )
    assert found == [(message, "第6行")]


def test_sub_funds_that_add_up_in_every_source_give_nothing() -> None:
    found = _a019(
        *HEAD,
        *_block("资金合计", "1084.00", "668.00", "416.00"),
        *_block("奖励扶助资金", "763.00", "502.00", "261.00"),
        *_block("特别扶助资金", "321.00", "166.00", "155.00"),
        *FOOT,
    )
    assert found == []


def test_blocks_whose_totals_do_not_add_up_to_the_first_are_not_its_parts() -> None:
    found = _a019(
        *HEAD,
        *_block("资金合计", "1000.00", "600.00", "400.00"),
        *_block("奖励扶助资金", "763.00", "502.00", "261.00"),
        *_block("特别扶助资金", "321.00", "166.00", "156.00"),
        *FOOT,
    )
    assert found == []
