"""The unit of a report that names it nowhere in a label: the organisation that signs it (落款: its name, then the
date), else the organisation a paragraph of the report's head opens with as the subject of what it does. Anything
less clear — two signatures, a finance bureau, a name without a verb after it — stays unread."""

from __future__ import annotations

from jixiao.core.audit.document import Extraction
from tests.reading.sources import read_lines

BODY = (
    "2023年度农田水利设施维修资金绩效自评报告",
    "一、基本情况",
    "全年共维修渠道12公里，资金已按时拨付。",
    "二、绩效目标完成情况",
    "各项指标均已完成。",
)


def _unit(ex: Extraction) -> object:
    fact = ex.facts.get("unit")
    return None if fact is None else fact.value


def test_the_signature_at_the_end_names_the_unit() -> None:
    ex = read_lines(*BODY, "某某县水利局", "2024年3月15日")
    assert _unit(ex) == "某某县水利局"
    fact = ex.facts["unit"]
    assert fact.evidence.place.line == 6 and fact.note is not None


def test_a_signature_with_its_seal_and_the_date_on_one_line() -> None:
    assert _unit(read_lines(*BODY, "某某县水利局(盖章) 二〇二四年三月十五日")) == "某某县水利局"
    assert _unit(read_lines(*BODY, "某某县水利局", "2024年3月")) == "某某县水利局"


def test_two_different_signatures_or_a_finance_bureau_leave_the_unit_unread() -> None:
    assert _unit(read_lines(*BODY, "某某县水利局", "2024年3月15日", "附件", "某某县农业农村局", "2024年1月2日")) is None
    assert _unit(read_lines(*BODY, "某某县财政局", "2024年3月15日")) is None


def test_a_name_before_a_date_in_a_sentence_is_no_signature() -> None:
    assert _unit(read_lines(*BODY, "某某县水利局于2024年3月15日完成验收")) is None
    assert _unit(read_lines(*BODY, "某某县水利局 2024年3月15日前完成验收")) is None
    assert _unit(read_lines(*BODY, "维修工作", "2024年3月15日")) is None


def test_a_paragraph_opening_with_the_organisation_as_its_subject() -> None:
    ex = read_lines(
        "项目绩效自评报告",
        "一、项目基本情况",
        "(一)绩效目标情况",
        "某某市科学技术局主要有部门预算项目支出、专项预算支出二类支出，总预算为2455.5万元。",
    )
    assert _unit(ex) == "某某市科学技术局"
    assert ex.facts["unit"].evidence.place.line == 4


def test_an_organisation_without_a_verb_after_it_or_a_finance_bureau_is_no_subject() -> None:
    assert _unit(read_lines("项目绩效自评报告", "一、基本情况", "某某市科学技术局的项目支出共二类。")) is None
    assert _unit(read_lines("项目绩效自评报告", "一、基本情况", "某某市财政局负责资金拨付。")) is None
    assert _unit(read_lines("项目绩效自评报告", "一、基本情况", "我局主要负责全市科技项目管理。")) is None
