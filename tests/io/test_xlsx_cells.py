"""The cell helpers' fast paths give the workbook openpyxl's own calls would: ``merge_cells`` the same cells,
borders and protection as ``Worksheet.merge_cells``, and remembered styles the same styles as assigning them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from jixiao.io.xlsx.cells import BORDER, NUMBER, merge_cells, new_workbook, put

BLOCKS = [(2, 2, 2, 5), (3, 1, 6, 1), (8, 2, 10, 4), (12, 1, 12, 2)]


def styles(path: Path) -> dict[str, tuple[str, ...]]:
    sheet = openpyxl.load_workbook(path).active
    return {
        cell.coordinate: (
            type(cell).__name__,
            str(cell.value),
            repr(cell.font),
            repr(cell.border),
            repr(cell.alignment),
            repr(cell.protection),
            cell.number_format,
        )
        for row in sheet.iter_rows(min_row=1, max_row=12, max_col=6)
        for cell in row
    } | {"merged": tuple(sorted(str(r) for r in sheet.merged_cells.ranges))}


def fill(sheet, *, bold: bool) -> None:
    for row in range(1, 13):
        for col in range(1, 7):
            put(sheet, row, col, f"{row}-{col}" if (row + col) % 3 else 1.5, number_format=NUMBER, bold=bold)


@pytest.mark.parametrize("bold", [False, True])
def test_merge_cells_gives_what_openpyxl_gives(tmp_path: Path, bold: bool) -> None:
    ours, theirs = new_workbook(), new_workbook()
    for book in (ours, theirs):
        fill(book.active, bold=bold)
    for block in BLOCKS:
        merge_cells(ours.active, *block)
        r1, c1, r2, c2 = block
        theirs.active.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    ours.save(tmp_path / "ours.xlsx")
    theirs.save(tmp_path / "theirs.xlsx")
    assert styles(tmp_path / "ours.xlsx") == styles(tmp_path / "theirs.xlsx")
    assert isinstance(ours.active.cell(row=9, column=3), MergedCell)
    assert ours.active.cell(row=8, column=3).border.top.style == "thin"  # an edge keeps the top border


def test_a_remembered_style_is_the_style_put_gives_a_fresh_workbook(tmp_path: Path) -> None:
    """The second and later cells get their style ids copied; they must read back as the first did."""
    book = new_workbook()
    for row in range(1, 4):
        put(book.active, row, 1, "文字", bold=True, align="center", color="FF0000")
    book.save(tmp_path / "book.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "book.xlsx").active
    for row in range(1, 4):
        cell = sheet.cell(row=row, column=1)
        assert (cell.font.b, cell.font.name, cell.font.color.rgb) == (True, "宋体", "00FF0000")
        assert (cell.alignment.horizontal, cell.alignment.wrap_text) == ("center", True)
        assert repr(cell.border) == repr(BORDER)
