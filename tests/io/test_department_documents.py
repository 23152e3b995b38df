"""The 部门整体 documents, written and read back: the 自评表 xlsx in the table's layout (header cells, a scored row, the
合计, the roll-up sheet), the 自评报告 docx (the formulas with their inputs, the scored table, the roll-up), and its PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import docx
import openpyxl
import pytest

from jixiao.core.audit.document import DocumentKind
from jixiao.core.department.model import ItemEntry
from jixiao.core.department.rollup import ProjectOutcome
from jixiao.io.audit.audit_file import AuditSettings, audit_file
from jixiao.io.department.catalogue import load_department_framework, load_formulas
from jixiao.io.department.report import write_department_report_docx, write_department_report_pdf
from jixiao.io.department.table_read import read_department_table
from jixiao.io.department.table_xlsx import HEADERS, ROLLUP_SHEET, SHEET_NAME, write_department_table
from jixiao.io.errors import InputError
from tests.core.test_department import base, evaluate

PROJECTS = [
    ProjectOutcome("2022年科普专项经费", "湛江市科学技术协会机关", "良", D(153), D(140), D("86.5")),
    ProjectOutcome("学会能力提升", "湛江市科学技术协会机关", "差", D(30), D(12), D(55)),
]


def result():
    data = base()
    data["header"].update(contact="张三", phone="0759-1234567")
    data["items"]["过程/预算管理/资金使用合规性"] = {"score": "3", "reason": "审计发现 1 笔支出凭证不全"}
    data["narrative"] = {"overview": "湛江市科学技术协会是市委领导的人民团体。", "problems": "预算执行进度前慢后快。"}
    return evaluate(data, PROJECTS)


def _row_of(ws, text: str, col: int | None = None) -> int:
    """The first row with ``text`` (in column ``col``, or any)."""
    cols = [col] if col else range(1, 8)
    return next(r for r in range(1, ws.max_row + 1) if any(ws.cell(r, c).value == text for c in cols))


def test_the_table_reads_back_in_its_layout(tmp_path: Path) -> None:
    path = write_department_table(result(), tmp_path / "自评表.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_NAME]
    assert ws["A1"].value == "湛江市科学技术协会 2022 年度部门整体支出绩效自评表"
    assert (ws["A2"].value, ws["B2"].value, ws["D2"].value, ws["F2"].value) == (
        "主管部门", "湛江市科学技术协会", "财政部门", "湛江市财政局",
    )  # fmt: skip
    assert (ws["A4"].value, ws["B4"].value, ws["D4"].value, ws["F4"].value) == (
        "自评总分（分）",
        "97.85",
        "自评等级",
        "优",
    )
    header = _row_of(ws, "一级指标")
    assert tuple(ws.cell(header, c).value for c in range(1, 8)) == HEADERS
    row = _row_of(ws, "资金使用合规性", 3)
    assert ws.cell(row, 4).value == 4 and ws.cell(row, 6).value == 3
    assert ws.cell(row, 7).value == "审计发现 1 笔支出凭证不全"
    assert ws.cell(row, 5).value.startswith("资金使用符合法律法规")
    row = _row_of(ws, "政府采购执行率", 3)
    assert ws.cell(row, 6).value == 2.85
    assert ws.cell(row, 7).value.startswith("政府采购执行率 = 实际政府采购金额 57.00 万元 ÷ 政府采购预算数 60.00 万元")
    total = _row_of(ws, "合计")
    assert (ws.cell(total, 4).value, ws.cell(total, 6).value) == (100, 97.85)
    execution = _row_of(ws, "预算执行率")
    assert ws.cell(execution, 3).value == "95.00%" and "全年执行数 456.00 万元" in ws.cell(execution, 4).value
    assert ws.print_title_rows == f"${header}:${header}" and ws.page_setup.fitToWidth == 1
    projects = wb[ROLLUP_SHEET]
    assert "优 0 项、良 1 项、中 0 项、差 1 项、未评 0 项" in projects["A2"].value
    assert [projects.cell(r, 2).value for r in (4, 5)] == ["2022年科普专项经费", "学会能力提升"]
    assert projects.cell(6, 1).value == "合计" and projects.cell(6, 3).value == 183


def test_the_report_shows_every_formula_the_scores_and_the_roll_up(tmp_path: Path) -> None:
    path = write_department_report_docx(result(), tmp_path / "报告.docx", dt.date(2023, 3, 31))
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "湛江市科学技术协会2022年度部门整体支出绩效自评报告" in text
    for heading in (
        "一、部门基本情况",
        "二、预算执行情况",
        "三、绩效自评结果",
        "四、所属项目绩效自评情况",
        "六、存在的问题",
    ):
        assert heading in text
    assert "结转结余率 = 结转结余总额 12.00 万元 ÷ 全年预算数（调整后） 480.00 万元 × 100% = 2.50%" in text
    assert "“三公经费”控制率 = 三公经费实际支出 9.20 万元 ÷ 三公经费预算数 10.00 万元 × 100% = 92.00%" in text
    assert "自评得分 97.85 分，等级为“优”（优 ≥ 90 分，良 80～90 分，中 60～80 分，差 < 60 分）" in text
    assert "共开展项目支出绩效自评 2 项，其中优 0 项、良 1 项、中 0 项、差 1 项、未评 0 项" in text
    assert "各项目全年执行数合计 152.00 万元 ÷ 全年预算数合计 183.00 万元 × 100% = 83.06%" in text
    assert "审计发现 1 笔支出凭证不全" in cells and "学会能力提升" in cells
    assert "2023年3月31日" in text


@pytest.mark.office
def test_the_report_prints_as_pdf(tmp_path: Path) -> None:
    import subprocess

    pdf = write_department_report_pdf(result(), tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "年度部门整体支出" in text and "绩效自评报告" in text and "2.50%" in text and "学会能力提升" in text


# ------------------------------------------------------------------------------------------- reading it back


def test_the_table_reads_back_into_the_same_figures_and_self_scores(tmp_path: Path) -> None:
    written = result()
    path = write_department_table(written, tmp_path / "自评表.xlsx")
    fw = load_department_framework("mof-2013-53")
    read = read_department_table(path, fw, load_formulas())
    assert (read.contact, read.phone) == ("张三", "0759-1234567")
    assert read.accounts == written.evaluation.accounts
    assert read.accounts["three_public_spent"] == D("9.2") and read.accounts["staff_quota"] == 48
    self_scored = {k: v for k, v in written.evaluation.items.items() if not fw.node(tuple(k.split("/"))).formula}
    assert read.items == self_scored
    assert read.items["过程/预算管理/资金使用合规性"] == ItemEntry(score=D(3), reason="审计发现 1 笔支出凭证不全")


def _edited(tmp_path: Path, row_text: str, col: int, value: object) -> Path:
    path = write_department_table(result(), tmp_path / "自评表.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_NAME]
    ws.cell(_row_of(ws, row_text, 3 if col > 3 else None), col).value = value
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("row_text", "col", "value", "message"),
    [
        ("资金使用合规性", 6, "四分", "第 {row} 行：“资金使用合规性”得分应为数字，实际为“四分”"),
        ("资金使用合规性", 6, 5, "“资金使用合规性”得分 5 超过分值 4"),
        (
            "资金使用合规性",
            3,
            "资金使用规范性",
            "指标“过程/预算管理/资金使用规范性”不在“部门整体支出绩效评价共性指标体系框架",
        ),
        ("指标体系", 2, "另一个指标体系", "自评表的指标体系为“另一个指标体系”"),
    ],
)
def test_a_table_that_does_not_fit_is_refused_with_its_place_named(
    tmp_path: Path, row_text: str, col: int, value: object, message: str
) -> None:
    path = _edited(tmp_path, row_text, col, value)
    ws = openpyxl.load_workbook(path)[SHEET_NAME]
    row = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 6).value == "四分"), 0)
    with pytest.raises(InputError) as refused:
        read_department_table(path, load_department_framework("mof-2013-53"), load_formulas())
    assert message.format(row=row) in str(refused.value)


def test_a_file_that_is_not_the_table_is_refused(tmp_path: Path) -> None:
    fw, formulas = load_department_framework("mof-2013-53"), load_formulas()
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="文件不是有效的 xlsx 工作簿"):
        read_department_table(junk, fw, formulas)
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(InputError, match="找不到工作表“部门整体自评表”"):
        read_department_table(other, fw, formulas)


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import zipfile

    from jixiao.io.department import table_read

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (table_read.MAX_UNPACKED_BYTES + 1))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InputError, match="工作簿解压后超过 20 MB"):
        read_department_table(bomb, load_department_framework("mof-2013-53"), load_formulas())


def test_jixiao_audit_reads_the_table_back_as_a_department_wide_evaluation(tmp_path: Path) -> None:
    path = write_department_table(result(), tmp_path / "自评表.xlsx")
    doc = audit_file(path, AuditSettings.load())
    facts = {name: fact.value for name, fact in doc.extraction.facts.items()}
    assert doc.extraction.kind is DocumentKind.DEPARTMENT
    assert (facts["unit"], facts["year"], facts["project"]) == ("湛江市科学技术协会", 2022, "部门整体支出")
    assert (facts["initial_budget_wan"], facts["budget_wan"], facts["spent_wan"]) == (D(450), D(480), D(456))
    assert "execution_rate_pct" not in facts  # the 评分标准's "达到 95% 得满分" is a threshold, not a statement
    assert [f.id for f in doc.findings if f.severity.name == "ERROR"] == []
