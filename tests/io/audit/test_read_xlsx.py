"""Workbooks through calamine: one table per sheet, exact cell texts, ``sheet!A1`` places."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jixiao.core.audit.source import Place, SourceTable
from jixiao.io.audit import read_source
from jixiao.io.audit.readers.sheets import cell_text

from .conftest import soffice_convert


def cells(table: SourceTable) -> dict[str, str]:
    return {cell.place.cell or "": cell.text for row in table.rows for cell in row}


@pytest.fixture(scope="module")
def selfeval_xls(selfeval_xlsx: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return soffice_convert(selfeval_xlsx, "xls", tmp_path_factory.mktemp("xls"))


def test_xlsx_cells_and_places(selfeval_xlsx):
    source = read_source(selfeval_xlsx)
    assert source.format == "xlsx"
    assert [t.name for t in source.tables] == ["自评表", "说明"]
    assert source.order == [("table", 0), ("table", 1)]
    assert source.lines == []
    sheet = source.tables[0]
    got = cells(sheet)
    assert got["自评表!A1"] == "项目支出绩效自评表"
    assert sheet.rows[0][1].text == "" and sheet.rows[0][1].place.cell is None  # inside the merge: empty, column kept
    assert got["自评表!B2"] == "科普专项经费"
    assert got["自评表!B4"] == "400000"
    assert got["自评表!C4"] == "387664.62"
    assert got["自评表!D4"] == "153"
    assert got["自评表!E4"] == "10"
    assert got["自评表!F4"] == "100%"
    assert got["自评表!B5"] == "2022-06-30"
    assert got["自评表!C5"] == "是"
    assert got["自评表!D5"] == "0.6536"
    assert sheet.rows[3][2].place == Place(cell="自评表!C4")
    assert sheet.rows[3][2].place.label() == "自评表!C4"
    assert {len(row) for row in sheet.rows} == {6}  # rectangular, trimmed to the used range
    assert len(sheet.rows) == 5
    assert cells(source.tables[1]) == {"说明!A1": "填表说明"}


@pytest.mark.office
def test_xls_made_by_libreoffice_reads_the_same(selfeval_xls):
    source = read_source(selfeval_xls)
    assert source.format == "xls"
    got = cells(source.tables[0])
    for ref, text in {
        "自评表!A1": "项目支出绩效自评表",
        "自评表!C4": "387664.62",
        "自评表!D4": "153",
        "自评表!E4": "10",
        "自评表!F4": "100%",
        "自评表!A4": "年度资金总额",
        "自评表!B5": "2022-06-30",
    }.items():
        assert got[ref] == text, ref


@pytest.mark.office
def test_xls_named_xlsx_is_read_with_a_note(selfeval_xls, tmp_path):
    renamed = shutil.copy(selfeval_xls, tmp_path / "旧表.xlsx")
    source = read_source(renamed)
    assert source.format == "xls"
    assert cells(source.tables[0])["自评表!C4"] == "387664.62"
    assert source.notes == ["文件扩展名为 .xlsx，实为旧版 .xls 格式"]


def test_xlsx_named_xls_is_read_with_a_note(selfeval_xlsx, tmp_path):
    renamed = shutil.copy(selfeval_xlsx, tmp_path / "自评表.XLS")
    source = read_source(renamed)
    assert source.format == "xlsx"
    assert cells(source.tables[0])["自评表!C4"] == "387664.62"
    assert source.notes == ["文件扩展名为 .xls，实为 .xlsx 格式"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (10.0, "10"),
        (387664.62, "387664.62"),
        (0.1 + 0.2, "0.30000000000000004"),
        (-3.0, "-3"),
        (1e20, "1e+20"),
        (7, "7"),
        (True, "是"),
        (False, "否"),
        (None, ""),
        ("  保留空格 ", "  保留空格 "),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_cell_text_dates():
    from datetime import date, datetime, time

    assert cell_text(datetime(2022, 6, 30)) == "2022-06-30"
    assert cell_text(datetime(2022, 6, 30, 8, 5)) == "2022-06-30 08:05:00"
    assert cell_text(date(2022, 1, 2)) == "2022-01-02"
    assert cell_text(time(9, 30)) == "09:30:00"


def test_hidden_sheet_is_read_and_noted(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "自评表"
    wb.active["A1"] = "项目名称"
    hidden = wb.create_sheet("下拉选项")
    hidden["A1"] = "是"
    hidden.sheet_state = "hidden"
    path = tmp_path / "隐藏.xlsx"
    wb.save(path)
    source = read_source(path)
    assert [t.name for t in source.tables] == ["自评表", "下拉选项"]
    assert source.notes == ["含隐藏工作表：下拉选项（已一并读取）"]
