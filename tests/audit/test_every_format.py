"""Every corpus document reads to the same facts whatever file it comes in.

Each text is rendered as a .docx (paragraphs, and Word tables where the text has ``|`` rows), as an .xlsx (one sheet:
prose in column A, tables as cell grids, figures as numbers) and, through LibreOffice, as a .pdf of the .docx; see
:mod:`tests.corpus_render`. Each rendering is audited and compared with the audit of the text itself, read in the same
run (the text reading improves over time, so nothing here is a stored value). The text is compared without its first
line, ``SOURCE: url``, which records where the corpus found the document and is not part of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.core.audit.source import Place, SourceCell, SourceTable, SourceText
from jixiao.io.audit.audit_file import AuditSettings, audit_file
from jixiao.io.audit.read import read_source
from jixiao.io.audit.readers.pdf import _paragraphs, _Span, read_pdf_with_pdfplumber
from jixiao.io.report.pdf import PdfError, convert_to_pdf
from jixiao.reading.audit import audit_source
from jixiao.reading.extract.flat import flatten
from tests.conftest import SHARED, requires_shared
from tests.corpus_render import blocks, document_lines, render
from tests.fuzz.seeds import _show, pdf_document

CORPUS = SHARED / "corpus" / "public"
FACTS = (
    "year",
    "project",
    "unit",
    "budget_wan",
    "arrived_wan",
    "spent_wan",
    "execution_rate_pct",
    "self_score",
    "grade",
)
ROW_FIELDS = ("level1", "level2", "level3", "points", "score")
NAMES = sorted(path.name for path in CORPUS.glob("[0-9][0-9]-*.txt")) or ["(no corpus)"]

#: renderings whose reading is known to differ from the text's, with why; strict, so a fix shows up
KNOWN: dict[tuple[str, str], str] = {
    # Both texts are whole tables flattened into one line of ~1000 characters, whose blanks are the only cell
    # borders. Printed as a paragraph, the line wraps; where it wraps at a blank between two Chinese words that
    # leave no room at the line's end, a PDF keeps no trace of the blank (a line-end blank is not printed), so the
    # reader joins the words: 02 reads "执行率得分" (the 执行率 column is lost) and one indicator row less, 15 reads
    # "…体育局年初预算" and three indicator rows less. Not decidable from the PDF.
    ("02", "pdf"): "换行处的空格在 PDF 中不可见：整表压成一行的文本在“执行率 得分”处换行，读成“执行率得分”",
    ("15", "pdf"): "换行处的空格在 PDF 中不可见：整表压成一行的文本在单元格之间换行，相邻单元格被连读",
}

needs_corpus = requires_shared(CORPUS / "expected.json")


def reading(doc: dict) -> dict:
    """What must not depend on the format: the kind, the facts, and the indicator rows."""
    return {
        "kind": doc["kind"],
        "error": doc["error"],
        "facts": {name: doc["facts"].get(name) for name in FACTS},
        "rows": [{field: row[field] for field in ROW_FIELDS} for row in doc["indicators"]],
    }


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict], dict[tuple[str, str], Path]]:
    """The text readings, and the .docx and .xlsx renderings of every document."""
    work = tmp_path_factory.mktemp("every-format")
    settings = AuditSettings.load()
    texts: dict[str, dict] = {}
    files: dict[tuple[str, str], Path] = {}
    for name in NAMES:
        source = CORPUS / name
        text = work / name
        text.write_text("\n".join(document_lines(source)) + "\n", encoding="utf-8")
        texts[name] = reading(audit_file(text, settings).to_dict())
        for fmt, path in render(source, work).items():
            files[(name, fmt)] = path
    return texts, files


@pytest.fixture(scope="module")
def read_back(rendered) -> dict[tuple[str, str], dict]:
    """Each .docx and .xlsx read back, and audited once."""
    settings = AuditSettings.load()
    _, files = rendered
    return {key: reading(audit_file(path, settings).to_dict()) for key, path in files.items()}


@pytest.fixture(scope="module")
def pdf_files(rendered, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every .docx converted to PDF in one LibreOffice run."""
    _, files = rendered
    docx_files = [files[(name, "docx")] for name in NAMES]
    try:
        converted = convert_to_pdf(docx_files, tmp_path_factory.mktemp("every-format-pdf"))
    except PdfError as exc:
        pytest.skip(f"LibreOffice 无法转换为 PDF：{exc}")
    return dict(zip(NAMES, converted, strict=True))


@pytest.fixture(scope="module")
def pdfs(pdf_files) -> dict[str, dict]:
    """Each PDF audited once."""
    settings = AuditSettings.load()
    return {name: reading(audit_file(pdf, settings).to_dict()) for name, pdf in pdf_files.items()}


def cases(formats: tuple[str, ...]) -> list:
    out = []
    for name in NAMES:
        for fmt in formats:
            reason = KNOWN.get((name[:2], fmt))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(name, fmt, marks=marks, id=f"{name[:2]}-{fmt}"))
    return out


@needs_corpus
@pytest.mark.parametrize(("name", "fmt"), cases(("docx", "xlsx")))
def test_a_word_file_and_a_workbook_read_as_the_text(name, fmt, rendered, read_back):
    texts, _ = rendered
    assert read_back[(name, fmt)] == texts[name]


@needs_corpus
@pytest.mark.office
@pytest.mark.parametrize(("name", "fmt"), cases(("pdf",)))
def test_a_pdf_made_from_the_word_file_reads_as_the_text(name, fmt, rendered, pdfs):
    texts, _ = rendered
    assert pdfs[name] == texts[name]


@needs_corpus
@pytest.mark.office
@pytest.mark.parametrize("name", NAMES, ids=[name[:2] for name in NAMES])
def test_pdfium_reads_every_pdf_as_well_as_pdfplumber_did(name, rendered, pdf_files, pdfs):
    """Issue 14: the fast reader's facts and rows are those of the text, or, where the PDF itself lost something
    (see KNOWN), those that pdfplumber's layout analysis reads from the same file."""
    texts, _ = rendered
    path = pdf_files[name]
    settings = AuditSettings.load()
    slow = read_pdf_with_pdfplumber(path, path.read_bytes()[:1024])
    before = reading(audit_source(slow, settings.rules, settings.framework, settings.weights).to_dict())
    assert pdfs[name] == texts[name] or pdfs[name] == before


# --------------------------------------------------------------------------------------------
# The renderer itself, on small texts
# --------------------------------------------------------------------------------------------


def test_pipe_lines_become_one_table_and_other_lines_paragraphs():
    parts = blocks(["标题", "| 项目名称 | 科普经费 |", "预算 | 100 | | |", "结论"])
    assert [part.text for part in parts if part.rows is None] == ["标题", "结论"]
    (table,) = [part.rows for part in parts if part.rows is not None]
    # the bordering pipes open and close no cell; empty cells inside keep the columns; short rows are padded
    assert table == (("项目名称", "科普经费", "", ""), ("预算", "100", "", ""))


def test_a_row_copied_with_its_cells_line_breaks_is_one_row():
    lines = ["项目名称", "        | 中央资金", "        | 资金到位", "       情况", "说明"]
    parts = blocks(lines)
    assert parts[0].rows == (("项目名称", "中央资金", "资金到位\n情况"),)
    assert parts[1].text == "说明"


def test_the_source_line_is_not_part_of_the_document(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("SOURCE: https://example.org/x\n\n第一行\n\n第三行\n", encoding="utf-8")
    assert document_lines(text) == ["第一行", "", "第三行"]


# --------------------------------------------------------------------------------------------
# What the renderings needed from the readers, on small inputs
# --------------------------------------------------------------------------------------------


def _flat_of_cells(*rows: tuple[str, ...]) -> str:
    source = SourceText(file="t.xlsx", format="xlsx")
    source.add_table(
        SourceTable(tuple(tuple(SourceCell(text, Place(cell=f"A{r}")) for text in row) for r, row in enumerate(rows)))
    )
    return flatten(source).text


def test_a_label_wrapped_in_its_cell_is_closed_up():
    assert _flat_of_cells(("经济效益 指标", "年度 总体 目标", "产 出 指 标 (50分)")) == (
        "经济效益指标 | 年度总体目标 | 产出指标 (50分)"
    )


def test_a_line_of_prose_in_one_cell_keeps_the_blanks_between_its_words():
    # a document pasted into a workbook, one line per cell: its blanks part label from value, as in a text line
    line = "项目名称 乡村道路养护经费 主管部门 某县交通运输局 实施单位 某县公路养护中心 年度资金总额 120"
    assert _flat_of_cells((line,)) == line


def _line(text: str, x0: float, x1: float, first: float = 10.0, columns: bool = False) -> tuple:
    return ("line", (text, Place(page=1, line=1), _Span(x0, x1, first, 10.0, 600.0, columns)))


def test_printed_lines_of_one_paragraph_are_joined_again():
    right = 550.0
    items = [
        _line("本项目年初预算一百二十", 50, right),  # full: the next character did not fit
        _line("万元,全年执行一百一十八万元。", 50, 300),
        _line("二、绩效目标", 50, 110),  # the paragraph above ended with room to spare
        _line("Total budget 1,200,000 and", 50, 530, first=40),  # a number too wide for the room left
        _line("1,180,000 spent.", 50, 200, first=40),
        _line("(续)下一页", 70, 200),  # indented: a paragraph of its own
    ]
    texts = [item[1][0] for item in _paragraphs(items)]
    assert texts == [
        "本项目年初预算一百二十万元,全年执行一百一十八万元。",
        "二、绩效目标",
        "Total budget 1,200,000 and 1,180,000 spent.",
        "(续)下一页",
    ]


def test_rows_of_a_table_without_rules_are_not_joined():
    items = [_line("项目名称      乡村道路养护经费", 50, 550, columns=True), _line("主管部门 某县交通运输局", 50, 300)]
    assert [item[1][0] for item in _paragraphs(items)] == ["项目名称      乡村道路养护经费", "主管部门 某县交通运输局"]


def _pdf(tmp_path: Path, lines: list[list[tuple[str, float]]]) -> Path:
    """A one-page PDF: each line a list of (text, x) pieces, 10 pt characters 10 pt wide, from the top down."""
    shows = [_show(text, x, 780 - 15 * row) for row, pieces in enumerate(lines) for text, x in pieces]
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_document(["\n".join(shows).encode()]))
    return path


def test_a_pdf_paragraph_is_read_as_one_line_and_its_heading_as_another(tmp_path):
    # margins of 50 pt on a 595 pt page: a full line holds 49 characters (50 to 540)
    full = "本项目年初预算一百二十万元，全年执行一百一十八万元，执行率百分之九十八点三三，资金到位及时，项目管"
    assert len(full) == 49
    lines = [[("一、基本情况", 50)], [(full, 50)], [("理规范。", 50)], [("二、绩效目标", 50)], [("（一）总体目标", 70)]]
    for n in range(4):  # short lines below: the right edge mirrors the left one, however short the lines
        lines.append([(f"第{n}项", 50)])
    texts = [line.text for line in read_source(_pdf(tmp_path, lines)).lines]
    assert texts[:4] == ["一、基本情况", full + "理规范。", "二、绩效目标", "（一）总体目标"]


def test_the_room_set_between_chinese_and_western_text_is_no_blank_where_blanks_are_written(tmp_path):
    # "2022" then "年" 3.5 pt further (Word's and LibreOffice's autospace); "1. 项目" has a written blank
    lines = [[("2022", 50), ("年度项目支出绩效自评报告", 93.5)], [("1. 项目背景", 50)]]
    texts = [line.text for line in read_source(_pdf(tmp_path, lines)).lines]
    assert texts == ["2022年度项目支出绩效自评报告", "1. 项目背景"]
