"""Numbered lists whose numbers slip: a number used twice in a list counted by ones is found where it is; lists that
jump, decimals and lists started again are not slips."""

from jixiao.io.audit.audit_file import AuditSettings
from jixiao.reading.audit import audit_source
from jixiao.reading.extract.flat import flatten
from jixiao.reading.extract.numbering import find_numbering_slips
from tests.reading.sources import text_source


def slips(*lines: str) -> list[tuple[int, str]]:
    return [(s.number, s.evidence.place.label()) for s in find_numbering_slips(flatten(text_source(*lines)))]


def test_a_number_used_twice_in_one_paragraph_s_list_is_a_slip():
    assert slips("主要工作：", "1.建立台账。2.开展培训。3.组织检查。4.完成考核。4.受理投诉。5.指导业务。") == [
        (4, "第2行")
    ]


def test_items_on_lines_of_their_own_are_one_list():
    assert slips("1、摸底", "2、申报", "2、审核", "3、公示", "4、拨付") == [(2, "第3行")]


def test_lists_that_skip_a_number_or_start_again_or_hold_decimals_are_not_slips():
    assert slips("1.甲。2.乙。4.丙。5.丁。") == []
    assert slips("1.甲。2.乙。3.丙。", "1.子。2.丑。3.寅。4.卯。") == []
    assert slips("1.甲。2.占比1.5%。3.丙。4.丁。") == []
    assert slips("1.甲。2.乙。2.丙。") == []  # too short a list to tell a slip from a sub-item


def test_the_audit_warns_of_the_slip_where_it_is():
    settings = AuditSettings.load()
    doc = audit_source(
        text_source("2022年度部门整体支出绩效自评报告", "1.甲项工作。2.乙项工作。3.丙项工作。3.丁项工作。4.戊项工作。"),
        settings.rules,
        settings.framework,
        settings.weights,
    )
    found = [(f.id, f.severity.name, f.message, f.location) for f in doc.findings if f.id == "A014"]
    assert found == [("A014", "WARNING", "列表中序号“3.”用了两次，其后接着 4.，条目数与序号对不上", "第2行")]
