"""Real files for the reader tests, and LibreOffice conversions run once per module."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook


def soffice_convert(source: Path, target: str, outdir: Path) -> Path:
    """``source`` converted by LibreOffice (``target`` as for ``--convert-to``); skips when it cannot."""
    return soffice_convert_all([source], target, outdir)[0]


def soffice_convert_all(sources: list[Path], target: str, outdir: Path) -> list[Path]:
    """Every one of ``sources`` converted in one LibreOffice run (its start-up is most of the cost)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *(str(source) for source in sources),
        ],
        capture_output=True,
        timeout=180,
    )
    results = [outdir / f"{source.stem}.{target.split(':')[0]}" for source in sources]
    for source, result in zip(sources, results, strict=True):
        if not result.exists():
            pytest.skip(f"LibreOffice could not convert {source.name} to {target} (component not installed?)")
    return results


def make_selfeval_xlsx(path: Path) -> Path:
    """A small 自评表-like workbook: merged title, Chinese labels, amounts, a rate as text, a date, a flag."""
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:F1")
    ws["A2"] = "项目名称"
    ws["B2"] = "科普专项经费"
    for col, label in zip("BCDEF", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率"), strict=True):
        ws[f"{col}3"] = label
    ws["A4"] = "年度资金总额"
    ws["B4"] = 400000
    ws["C4"] = 387664.62
    ws["D4"] = 153.0
    ws["E4"] = 10
    ws["F4"] = "100%"
    ws["A5"] = "完成时间"
    ws["B5"] = date(2022, 6, 30)
    ws["C5"] = True
    ws["D5"] = 0.6536
    notes = wb.create_sheet("说明")
    notes["A1"] = "填表说明"
    wb.save(path)
    return path


def make_report_docx(path: Path, page_break: bool = False) -> Path:
    """Paragraphs around a table with a horizontal (B2:C2) and a vertical (A2:A3) merge."""
    doc = Document()
    doc.add_paragraph("一、基本情况")
    doc.add_paragraph("")
    doc.add_paragraph("预算 153 万元，执行 387664.62 元。")
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for col, text in enumerate(("指标", "指标值", "实际完成值")):
        table.cell(0, col).text = text
    table.cell(1, 0).merge(table.cell(2, 0)).text = "产出指标"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "合并内容"
    table.cell(2, 1).text = "100%"
    table.cell(2, 2).text = "98%"
    if page_break:
        doc.add_page_break()
    doc.add_paragraph("二、结论")
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def selfeval_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_selfeval_xlsx(tmp_path_factory.mktemp("xlsx") / "自评表.xlsx")


@pytest.fixture(scope="module")
def report_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_report_docx(tmp_path_factory.mktemp("docx") / "自评报告.docx")
