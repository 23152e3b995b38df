"""The same documents as .txt, .xlsx, .docx and .pdf read to the same facts: corpus tables rebuilt as real
files, and the Zhanjiang example written by our own writers, then audited back."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement

from jixiao.core import evaluate
from jixiao.io.audit.audit_file import AuditSettings, audit_file
from jixiao.io.catalogue import load_framework, load_rules
from jixiao.io.evaluation_file import load_evaluation
from jixiao.io.outputs import BASIC_DATA_XLSX, REPORT_DOCX, REPORT_PDF, SELFEVAL_TABLE_XLSX, write_outputs
from jixiao.io.report.pdf import convert_to_pdf
from tests.conftest import EXAMPLE, SHARED, requires_shared
from tests.io.audit.conftest import soffice_convert_all

CORPUS = SHARED / "corpus" / "public"
TABLES = ("01-yongde-2022-nutrition-table.txt", "03-xiaoxian-hexi-2023-farming-table.txt")
FACTS = ("year", "project", "unit", "budget_wan", "spent_wan", "execution_rate_pct", "self_score", "grade")
ROW_FIELDS = ("level1", "level2", "level3", "target", "actual", "points", "score")

needs_corpus = requires_shared(CORPUS / "expected.json")


def table_rows(name: str) -> list[list[str]]:
    """The corpus file's pipe-delimited table, one list of cells per line (the page's own row breaks)."""
    rows = []
    for line in (CORPUS / name).read_text(encoding="utf-8").splitlines()[2:]:
        cells = [c.strip() for c in line.split("|")]
        cells = [c for c in cells if c]
        if cells:
            rows.append(cells)
    return rows


def write_xlsx(rows: list[list[str]], path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    for r, cells in enumerate(rows, start=1):
        for c, text in enumerate(cells, start=1):
            # figures go in as numbers, as a finance officer's sheet holds them
            try:
                sheet.cell(r, c, value=float(text) if "." in text else int(text))
            except ValueError:
                sheet.cell(r, c, value=text)
    book.save(path)
    return path


def write_docx(rows: list[list[str]], path: Path, width: int = 8) -> Path:
    """A Word table at most ``width`` columns wide (longer lines continue on the next row), landscape."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    wrapped = [cells[i : i + width] for cells in rows for i in range(0, len(cells), width)]
    table = document.add_table(rows=len(wrapped), cols=width)
    table.style = "Table Grid"
    for r, cells in enumerate(wrapped):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    # rows do not break across pages: joining a cell split over a page break is not what this test is about
    # (whether a row lands at a page foot depends on the fonts installed)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    document.save(path)
    return path


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict]:
    work = tmp_path_factory.mktemp("formats")
    settings = AuditSettings.load()
    files: dict[tuple[str, str], Path] = {}
    for name in TABLES:
        stem = name.removesuffix(".txt")
        rows = table_rows(name)
        files[(name, "xlsx")] = write_xlsx(rows, work / f"{stem}.xlsx")
        files[(name, "docx")] = write_docx(rows, work / f"{stem}.docx")
    xlsx_files = [files[(name, "xlsx")] for name in TABLES]
    for name, xls in zip(TABLES, soffice_convert_all(xlsx_files, "xls", work / "xls"), strict=True):
        files[(name, "xls")] = xls
    docx_files = [files[(name, "docx")] for name in TABLES]
    for name, pdf in zip(TABLES, convert_to_pdf(docx_files, work / "pdf"), strict=True):
        files[(name, "pdf")] = pdf
    return {key: audit_file(path, settings).to_dict() for key, path in files.items()}


EXPECTED = (
    {e["file"]: e for e in json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))}
    if CORPUS.exists()
    else {}
)
CASES = [(name, fmt) for name in TABLES for fmt in ("xlsx", "xls", "docx", "pdf")]


@needs_corpus
@pytest.mark.office
@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n[:2]}-{f}" for n, f in CASES])
def test_a_table_reads_the_same_in_every_format(name, fmt, rebuilt):
    doc, want = rebuilt[(name, fmt)], EXPECTED[name]
    assert doc["error"] is None
    assert doc["kind"] == "table"
    assert {k: doc["facts"][k] for k in FACTS} == {k: want[k] for k in FACTS}
    rows = [{k: r[k] for k in ROW_FIELDS} for r in doc["indicators"]]
    assert rows == [{k: r[k] for k in ROW_FIELDS} for r in want["indicators"]]


@needs_corpus
@pytest.mark.office
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_cells_are_named_as_in_the_file(fmt, rebuilt):
    where = rebuilt[(TABLES[0], fmt)]["provenance"]["budget_wan"]
    assert where["cell"].startswith("自评表!" if fmt == "xlsx" else "表1!")
    assert "387664.62" in where["text"]


@needs_corpus
@pytest.mark.office
def test_pdf_cells_name_their_page(rebuilt):
    where = rebuilt[(TABLES[0], "pdf")]["provenance"]["budget_wan"]
    assert where["page"] == 1 and where["cell"].startswith("表")


# --------------------------------------------------------------------------------------------
# The Zhanjiang example through our own writers
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    evaluation = load_evaluation(EXAMPLE)
    result = evaluate(evaluation, load_rules(evaluation.rules), load_framework(evaluation.framework))
    out = tmp_path_factory.mktemp("example") / "out"
    # the files these tests read back: the official report (the review version adds nothing to read, and its
    # PDF would cost seconds to make and parse) and two workbooks
    write_outputs(result, out, pdf=False)
    (pdf,) = convert_to_pdf([out / REPORT_DOCX], out)
    assert pdf.name == REPORT_PDF
    settings = AuditSettings.load()
    wanted = (REPORT_DOCX, REPORT_PDF, BASIC_DATA_XLSX, SELFEVAL_TABLE_XLSX)
    return {name: audit_file(out / name, settings).to_dict() for name in wanted}


@pytest.mark.office
@pytest.mark.parametrize("name", ["自评报告.docx", "自评报告.pdf"])
def test_our_own_report_audits_to_the_seed_facts(name, example_outputs):
    doc = example_outputs[name]
    facts = doc["facts"]
    assert doc["kind"] == "report"
    assert (facts["year"], facts["budget_wan"], facts["arrived_wan"], facts["spent_wan"]) == (2022, 153, 100, 100)
    assert facts["arrival_rate_pct"] == pytest.approx(65.36)
    assert (facts["self_score"], facts["grade"]) == (100, "优秀")
    s010 = [f for f in doc["findings"] if f["id"] == "S010"]
    assert s010 and s010[0]["severity"] == "error" and "不能成立" in s010[0]["message"]


@pytest.mark.office
def test_our_basic_data_sheet_audits_to_the_fund_figures(example_outputs):
    facts = example_outputs["自评基础数据表.xlsx"]["facts"]
    assert (facts["budget_wan"], facts["arrived_wan"], facts["spent_wan"]) == (153, 100, 100)
    assert Decimal(str(facts["arrival_rate_pct"])) == Decimal("65.36")


@pytest.mark.office
def test_a_percent_formatted_rate_cell_is_read_as_a_percentage(example_outputs):
    doc = example_outputs["项目支出绩效自评表.xlsx"]
    assert doc["facts"]["execution_rate_pct"] == pytest.approx(65.36)
    assert any("百分比格式" in n for n in doc["notes"])


@pytest.mark.office
def test_a_four_level_table_is_not_read_row_by_row_and_says_so(example_outputs):
    doc = example_outputs["项目支出绩效自评表.xlsx"]  # the example uses the 4-level guangdong framework
    assert doc["indicators"] == []
    assert any("四级指标" in note for note in doc["notes"])
    assert (doc["facts"]["budget_wan"], doc["facts"]["spent_wan"], doc["facts"]["self_score"]) == (153, 100, 100)


def test_our_own_three_level_selfeval_table_audits_back_to_its_rows_and_claims(tmp_path):
    from jixiao.io.xlsx.selfeval_write import write_selfeval_table
    from tests.conftest import BASE, make, run

    evaluation = make()
    path = write_selfeval_table(run(BASE), tmp_path / "附1.xlsx")
    doc = audit_file(path, AuditSettings.load()).to_dict()
    assert doc["kind"] == "table" and doc["findings"] == []
    facts = doc["facts"]
    assert (facts["year"], facts["project"], facts["unit"]) == (2022, "科普专项经费", "湛江市科学技术协会")
    assert (facts["budget_wan"], facts["spent_wan"], facts["execution_rate_pct"]) == (100, 98, 98)
    assert facts["self_score"] == 99.8
    rows = [
        (r["level1"], r["level2"], r["level3"], r["target"], r["actual"], r["points"], r["score"])
        for r in doc["indicators"]
    ]
    assert rows == [
        (*path_, leaf.target, leaf.actual, int(leaf.points), int(leaf.claimed_score))
        for path_, leaf in evaluation.leaves()
    ]
