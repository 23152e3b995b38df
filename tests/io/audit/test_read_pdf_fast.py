"""PDF pages read through PDFium: real files written byte by byte (Adobe-GB1 text, stroked ruling lines), read
to lines and tables; and the bad ones — encrypted, broken cross-references, no pages, two thousand pages, a page of
100,000 characters — each refused in Chinese or read within bounds."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest

from jixiao.io.audit.audit_file import AuditSettings, audit_file
from jixiao.io.audit.read import read_source
from jixiao.io.audit.readers.base import UnreadableDocument
from jixiao.io.audit.readers.pdf_fast import MAX_PAGES, NotOpened, read_pages
from jixiao.io.audit.readers.pdf_layout import Line
from tests.fuzz.seeds import _show, pdf_document
from tests.hostile import encrypted_pdf


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(path):
    return read_pages(path, path.read_bytes()[:1024])


def ruled_table(rows: list[list[str]], *, left: float = 60, top: float = 700, width: float = 120, height: float = 24):
    """One stroked path for all the rules of a grid (as many writers draw it), and each cell's text inside it."""
    ops = [
        f"{left} {top - r * height} m {left + width * len(rows[0])} {top - r * height} l" for r in range(len(rows) + 1)
    ]
    ops += [
        f"{left + c * width} {top} m {left + c * width} {top - len(rows) * height} l" for c in range(len(rows[0]) + 1)
    ]
    ops.append("S")
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            ops.append(_show(text, left + c * width + 4, top - r * height - 16))
    return "\n".join(ops)


def lines_of(page) -> list[str]:
    return [item.text for kind, item in page.items if kind == "line" and isinstance(item, Line)]


def tables_of(page) -> list[list[list[str]]]:
    return [item for kind, item in page.items if kind == "table"]


def test_prose_and_a_ruled_table_are_read_in_page_order_with_each_text_in_its_cell(tmp_path):
    stream = "\n".join(
        [
            _show("2022年度项目支出绩效自评表", 60, 760),
            ruled_table([["项目名称", "科普活动经费"], ["全年预算数", "153.00"]]),
            _show("填报人：张三", 60, 600),
        ]
    )
    doc = read(write(tmp_path, "自评表.pdf", pdf_document([stream.encode("latin-1")])))
    assert doc.page_count == 1
    page = doc.pages[0]
    assert [kind for kind, _ in page.items] == ["line", "table", "line"]
    assert lines_of(page) == ["2022年度项目支出绩效自评表", "填报人：张三"]
    assert tables_of(page) == [[["项目名称", "科普活动经费"], ["全年预算数", "153.00"]]]


def test_typed_blanks_stay_and_pages_keep_their_numbers(tmp_path):
    pages = [_show("第一页 100 万元", 60, 760).encode("latin-1"), _show("第二页", 60, 760).encode("latin-1")]
    doc = read(write(tmp_path, "两页.pdf", pdf_document(pages)))
    assert [p.number for p in doc.pages] == [1, 2]
    assert lines_of(doc.pages[0]) == ["第一页 100 万元"]


def test_an_encrypted_pdf_is_refused_in_chinese_naming_the_file(tmp_path):
    with pytest.raises(UnreadableDocument, match=r"加密\.pdf：PDF 已加密，无法读取"):
        read(encrypted_pdf(tmp_path))


def test_broken_cross_references_are_repaired_or_refused_never_raised_raw(tmp_path):
    data = pdf_document([_show("资金到位率 100%", 60, 760).encode("latin-1")])
    broken = re.sub(rb"\d{10} 00000 n", b"0000000999 00000 n", data)
    doc = read(write(tmp_path, "交叉引用表损坏.pdf", broken))
    assert lines_of(doc.pages[0]) == ["资金到位率 100%"]  # PDFium rebuilds the table from the objects
    with pytest.raises(NotOpened):  # left to the slower, more lenient reader, which says what is wrong
        read(write(tmp_path, "截断.pdf", data[:200]))


def test_a_two_thousand_page_file_is_read_to_its_first_thousand_pages_and_says_so(tmp_path):
    page = _show("第 N 页", 60, 760).encode("latin-1")
    path = write(tmp_path, "两千页.pdf", pdf_document([page] * 2000))
    started = time.perf_counter()
    doc = read(path)
    assert time.perf_counter() - started < 30
    assert len(doc.pages) == MAX_PAGES == 1000
    assert doc.notes == ["文件共 2,000 页，只读取了前 1,000 页"]


def test_a_page_of_a_hundred_thousand_characters_is_read_as_text_without_tables_and_says_so(tmp_path):
    ops = [_show("资" * 500, 10, 800 - (i % 160) * 5, size=1) for i in range(200)]
    path = write(tmp_path, "十万字.pdf", pdf_document(["\n".join(ops).encode("latin-1")]))
    doc = read(path)
    assert len(doc.notes) == 1
    assert re.fullmatch(r"第1页字符过多（100,\d{3} 个），只按文字读取，未识别表格", doc.notes[0])
    assert tables_of(doc.pages[0]) == []
    assert sum(len(text) for text in lines_of(doc.pages[0])) == 100_000


# --- through read_source: the reader a submitted PDF meets -------------------------------------------------------


def test_a_page_whose_cells_cannot_be_placed_is_read_by_pdfplumber_and_the_notes_say_which(tmp_path):
    ops = ruled_table([["项目名称", "科普活动经费"], ["全年预算数", "153.00"], ["", ""]])
    ops += "\n" + _show("跨过两栏的一段说明文字写在表格线上", 100, 636)  # the last row, across its middle rule
    source = read_source(write(tmp_path, "跨线.pdf", pdf_document([ops.encode("latin-1")])))
    assert source.notes == ["第1页的表格无法按字符位置确定单元格，已改用 pdfplumber 读取"]
    assert source.tables and source.tables[0].rows[0][0].text == "项目名称"


def test_pages_read_fast_keep_their_places_for_every_fact(tmp_path):
    stream = "\n".join([_show("2022年度项目支出绩效自评表", 60, 760), ruled_table([["全年预算数", "153.00"]])])
    source = read_source(write(tmp_path, "出处.pdf", pdf_document([stream.encode("latin-1")])))
    assert [(line.text, line.place.label()) for line in source.lines] == [("2022年度项目支出绩效自评表", "第1页第1行")]
    assert [(cell.text, cell.place.label()) for cell in source.tables[0].rows[0]] == [
        ("全年预算数", "第1页表1!A1"),
        ("153.00", "第1页表1!B1"),
    ]


def test_a_pdf_without_pages_says_it_is_empty_as_before(tmp_path):
    with pytest.raises(UnreadableDocument, match=r"零页\.pdf：文件为空：未读到任何文字"):
        read_source(write(tmp_path, "零页.pdf", pdf_document([])))


def test_a_fund_table_drawn_without_rules_is_read_by_its_columns(tmp_path):
    rows = [
        ("项目名称", "科普活动经费", "", ""),
        ("项目资金(万元)", "全年预算数", "全年执行数", "执行率"),
        ("年度资金总额", "153.00", "100.00", "65.36%"),
    ]
    ops = [_show("2022年度项目支出绩效自评表", 60, 780)]
    ops += [_show(text, 40 + 130 * c, 740 - 24 * r) for r, row in enumerate(rows) for c, text in enumerate(row) if text]
    path = write(tmp_path, "无线表格.pdf", pdf_document(["\n".join(ops).encode("latin-1")]))
    doc = audit_file(path, AuditSettings.load())
    assert [line.text for line in read_source(path).lines][1:] == [
        "项目名称 | 科普活动经费",
        "项目资金(万元) | 全年预算数 | 全年执行数 | 执行率",
        "年度资金总额 | 153.00 | 100.00 | 65.36%",
    ]
    facts = {name: doc.extraction.value(name) for name in ("project", "budget_wan", "spent_wan", "execution_rate_pct")}
    assert facts == {
        "project": "科普活动经费",
        "budget_wan": Decimal("153.00"),
        "spent_wan": Decimal("100.00"),
        "execution_rate_pct": Decimal("65.36"),
    }
