"""A sheet is located before calamine builds it: one that reaches absurdly far (a damaged or hostile file) is not
read, in Chinese words naming the sheet, and never costs the process its memory (fuzz findings F4, F5)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from jixiao.io.audit.read import UnreadableDocument, read_source
from jixiao.io.audit.readers.extent import MAX_CELLS, MAX_ROWS, column_number, sheet_extent, xls_oversized
from tests.fuzz import seeds

from .conftest import soffice_convert

TOO_FAR = "工作表“自评报告”表格范围过大（1048576 行 × 16384 列），可能已损坏，未读取"


def _xlsx(tmp_path: Path, cells: bytes, *, sheet: str = "xl/worksheets/sheet2.xml", name: str = "自评.xlsx") -> Path:
    """The seed workbook with ``cells`` (rows of sheetData) added to one sheet."""
    members = []
    for part, data in seeds.zip_members(seeds.seed_bytes(".xlsx")):
        if part == sheet:
            data = data.replace(b"</sheetData>", cells + b"</sheetData>", 1)
        members.append((part, data))
    path = tmp_path / name
    path.write_bytes(seeds.zip_package(members))
    return path


def _xls(tmp_path: Path, extra: list[bytes] | None = None, dimensions: tuple[int, int, int, int] | None = None) -> Path:
    globals_, sheets = seeds.biff_records(seeds.xls_sheets(seeds.SEED))
    sheets[0][-1:-1] = extra or []
    if dimensions is not None:
        sheets[0][1] = seeds.record(0x0200, struct.pack("<IIHHH", *dimensions, 0))
    path = tmp_path / "旧表.xls"
    path.write_bytes(seeds.compound_file(seeds.biff_stream(globals_, sheets)))
    return path


def _number(row: int, column: int) -> bytes:
    return seeds.record(0x0203, struct.pack("<HHHd", row, column, 15, 1.0))


# --- where a sheet's cells are ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("xml", "extent"),
    [
        (b'<row r="3"><c r="B3" t="n"><v>1</v></c></row>', (3, 2)),
        (b'<row r="3"><c s="1" r="AB30"><v>1</v></c></row>', (30, 28)),
        (b'<x:row r="2"><x:c r="C2"><x:v>1</x:v></x:c></x:row>', (2, 3)),
        # a formatted empty cell is not in calamine's grid
        (b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576" s="1"/></row>', (1, 1)),
        # cells without a reference are placed by counting
        (b'<row r="5"><c><v>1</v></c><c><v>2</v></c></row>', (5, 2)),
        (b"<row><c><v>1</v></c></row><row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>", (2, 3)),
        # a damaged reference is counted as far as it says
        (b'<row r="1"><c r="AAAA1"><v>1</v></c></row>', (1, 18279)),
    ],
)
def test_a_sheet_s_extent_is_found_in_its_xml(xml: bytes, extent: tuple[int, int]) -> None:
    assert sheet_extent(b"<worksheet><sheetData>" + xml + b"</sheetData></worksheet>") == extent


def test_column_letters_are_numbered_as_excel_numbers_them() -> None:
    assert [column_number(b) for b in (b"A", b"Z", b"AA", b"XFD", b"xfd")] == [1, 26, 27, 16384, 16384]


# --- .xlsx: the sheet that reaches too far is left out, the others are read --------------------------------------------


def test_a_workbook_with_a_cell_at_its_last_row_and_column_is_read_without_that_sheet(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>')
    source = read_source(path)
    assert TOO_FAR in source.notes
    assert [t.name for t in source.tables] == ["项目支出绩效自评表", "自评报告"]
    assert source.tables[0].rows[2][2].text == "2022年湛江市科普专项经费"
    assert source.tables[1].rows == ()


def test_a_workbook_whose_only_text_is_in_the_sheet_too_far_is_refused_in_those_words(tmp_path: Path) -> None:
    members = []
    for part, data in seeds.zip_members(seeds.seed_bytes(".xlsx")):
        if part == "xl/worksheets/sheet1.xml":
            data = re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData/>", data, flags=re.DOTALL)
        if part == "xl/worksheets/sheet2.xml":
            data = data.replace(b"</sheetData>", b'<row r="300000"><c r="A300000"><v>1</v></c></row></sheetData>')
        members.append((part, data))
    path = tmp_path / "只有远处.xlsx"
    path.write_bytes(seeds.zip_package(members))
    with pytest.raises(UnreadableDocument) as refused:
        read_source(path)
    assert refused.value.reason == "工作表“自评报告”表格范围过大（300000 行 × 1 列），可能已损坏，未读取"
    assert str(path) in str(refused.value)


@pytest.mark.parametrize("reference", ["Z1000", f"A{MAX_ROWS}", "BX20000"])
def test_a_far_cell_within_the_bounds_is_read_in_its_place(tmp_path: Path, reference: str) -> None:
    row = re.sub(r"[A-Z]", "", reference)
    path = _xlsx(tmp_path, f'<row r="{row}"><c r="{reference}" t="n"><v>7</v></c></row>'.encode())
    source = read_source(path)
    table = source.tables[1]
    assert len(table.rows) == int(row)
    assert table.rows[-1][-1].text == "7" and table.rows[-1][-1].place.cell == f"自评报告!{reference}"
    assert not any("表格范围过大" in note for note in source.notes)
    assert len(table.rows) * len(table.rows[0]) <= MAX_CELLS


def test_the_empty_rows_between_a_sheet_s_parts_share_one_row(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, b'<row r="100000"><c r="A100000" t="n"><v>7</v></c></row>')
    rows = read_source(path).tables[1].rows
    assert rows[50] is rows[5000] and rows[-1][0].text == "7"


# --- .xls: calamine builds every sheet at once, so a sheet too large is the whole file ------------------------------


def test_an_old_workbook_with_a_cell_past_its_last_column_is_refused_naming_the_sheet(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument) as refused:
        read_source(_xls(tmp_path, [_number(254, 60_672)]))
    assert refused.value.reason == "工作表“项目支出绩效自评表”表格范围过大（255 行 × 60673 列），可能已损坏，未读取"


def test_an_old_workbook_declaring_more_than_an_xls_holds_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument) as refused:
        read_source(_xls(tmp_path, dimensions=(0, 1 << 20, 0, 1 << 14)))
    assert refused.value.reason == (
        "工作表“项目支出绩效自评表”声明的表格范围过大（1048576 行 × 16384 列），可能已损坏，未读取"
    )


def test_an_old_workbook_declaring_its_largest_range_or_a_far_cell_within_bounds_is_read(tmp_path: Path) -> None:
    assert read_source(_xls(tmp_path, dimensions=(0, 65_536, 0, 256))).tables[0].rows[2][2].text
    table = read_source(_xls(tmp_path, [_number(5000, 200)])).tables[0]
    assert table.rows[-1][-1].place.cell == "项目支出绩效自评表!GS5001"


def test_an_xls_saved_by_libreoffice_is_located_through_its_mini_stream(tmp_path: Path) -> None:
    """LibreOffice writes a small workbook's stream into the compound file's mini stream (under 4096 bytes)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "自评表"
    book.active["A1"] = "项目"
    book.active["GR60000"] = "远"
    book.create_sheet("说明")["A1"] = "填表说明"
    book.save(tmp_path / "远.xlsx")
    far = soffice_convert(tmp_path / "远.xlsx", "xls", tmp_path)
    extent = xls_oversized(far.read_bytes())
    assert extent is not None and (extent.sheet, extent.rows, extent.columns) == ("自评表", 60000, 200)


@pytest.mark.parametrize(
    ("body", "declared"),
    [
        (struct.pack("<IIHHH", 5, 0, 0, 10, 0), "4294967291 行 × 10 列"),  # the first row after the last: wraps round
        (struct.pack("<HHHHH", 10, 6, 15, 28, 0), "4294967292 行 × 28 列"),  # the older, shorter record likewise
        (struct.pack("<HHHHH", 0, 65535, 0, 65535, 0), "65535 行 × 65535 列"),
    ],
)
def test_an_old_workbook_declaring_a_range_calamine_cannot_reserve_is_refused(
    tmp_path: Path, body: bytes, declared: str
) -> None:
    """Found by the long fuzz (.xls#423, #1622, #3822 of seed 2026): a record's type or bytes changed, calamine
    reserved terabytes for the range and Rust aborted the process."""
    globals_, sheets = seeds.biff_records(seeds.xls_sheets(seeds.SEED))
    sheets[1][1] = seeds.record(0x0200, body)
    path = tmp_path / "旧表.xls"
    path.write_bytes(seeds.compound_file(seeds.biff_stream(globals_, sheets)))
    with pytest.raises(UnreadableDocument) as refused:
        read_source(path)
    assert refused.value.reason == f"工作表“自评报告”声明的表格范围过大（{declared}），可能已损坏，未读取"
