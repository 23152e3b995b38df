"""The cell helpers every workbook uses: house style (宋体, wrapped, thin borders), number formats, merges,
titles, column widths and page setup.

Every sheet opens with a title row naming the project and year; amounts are in 万元 and say so in
their headers. Figures jixiao computed are rounded half-up to 2 places before they reach a cell
(see :func:`number`); amounts the unit entered are written unrounded (see :func:`exact`).
Values, never formulas, are written: openpyxl cannot cache a formula's result, so other readers
would see empty cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from ...core.model import Evaluation
from ...core.values import HUNDRED, quantize

FONT_NAME = "宋体"
#: computed figures: points, scores, percentage points
NUMBER = "0.00"
#: rates written as fractions (0.6536 shows as 65.36%)
PERCENT = "0.00%"
#: amounts in 万元 as entered: always 2 decimals, up to 6 (to the 分) so no entered digit is hidden
AMOUNT = "0.00####"
#: points and claimed scores as entered: 30 shows as 30, 7.5 as 7.5
PLAIN = "General"

_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def number(value: Decimal | None) -> float | None:
    """A computed figure for a cell: rounded half-up to 2 places, then float.

    Decimal leaves the program only here, at the cell boundary. openpyxl stores numbers as
    floats whatever it is given, so a raw Decimal would land as a binary approximation of, say,
    65.359477…; rounding first makes the cell hold exactly the 2-place figure the reports print,
    and Excel sums and a re-import agree with what the user sees.
    """
    return None if value is None else float(quantize(value))


def percent(value_pct: Decimal | None) -> float | None:
    """Percentage points as a fraction for a ``0.00%`` cell, rounded to 2 places of the percentage first."""
    return None if value_pct is None else float(quantize(value_pct) / HUNDRED)


def exact(value: Decimal | None) -> float | None:
    """An entered figure (amount, points, claimed score) unrounded.

    Entered figures are data, not results: rounding them would change the evaluation on
    re-import. A float's shortest repr keeps up to 15 significant digits, which covers any amount
    the model allows, so ``Decimal(str(cell.value))`` gives the same decimal back.
    """
    return None if value is None else float(value)


def clean_text(value: str) -> str:
    """Text without the control characters xlsx cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def put(
    ws: Worksheet,
    row: int,
    col: int,
    value: object = None,
    *,
    number_format: str | None = None,
    bold: bool = False,
    size: float = 10.5,
    align: str = "left",
    border: bool = True,
    color: str | None = None,
) -> Cell:
    """Write one cell with the house style: 宋体, wrapped, vertically centred, thin border."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = clean_text(value)
        # text such as "=0起" must stay text, not become a formula
        cell.data_type = "s"
    else:
        cell.value = value
    cell.font = Font(name=FONT_NAME, size=size, bold=bold, color=color)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if number_format:
        cell.number_format = number_format
    if border:
        cell.border = BORDER
    return cell


def bold_row(ws: Worksheet, row: int, ncols: int) -> None:
    """Embolden a totals row, keeping each cell's colour."""
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(name=FONT_NAME, size=cell.font.size, bold=True, color=cell.font.color)


def merge(ws: Worksheet, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    """Merge a block (when larger than one cell) and give every cell in it the border, so the edge prints."""
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            ws.cell(row=r, column=c).border = BORDER
    if max_row > min_row or max_col > min_col:
        ws.merge_cells(start_row=min_row, start_column=min_col, end_row=max_row, end_column=max_col)


def fit_height(ws: Worksheet, row: int, text: str | None, width: float) -> None:
    """Row height for wrapped text in a merged cell, which spreadsheet programs do not fit by themselves.

    ``width`` is in column-width units; a CJK character takes about two.
    """
    if not text:
        return
    lines = 0
    for part in text.split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
        lines += max(1, -(-units // int(width)))
    ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 15, 14.5 * lines + 2)


def title_row(ws: Worksheet, row: int, text: str, ncols: int, *, size: float = 16, bold: bool = True) -> None:
    """A centred title merged across the table, without borders."""
    put(ws, row, 1, text, bold=bold, size=size, align="center", border=False)
    if ncols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = 30 if size >= 14 else 20


def header_cells(ws: Worksheet, row: int, labels: Sequence[str], start_col: int = 1) -> None:
    for offset, label in enumerate(labels):
        put(ws, row, start_col + offset, label, bold=True, align="center")


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def page_setup(ws: Worksheet, *, title_rows: str | None, freeze: str | None, landscape: bool = True) -> None:
    """A4, fit to one page wide, repeat the header rows on every printed page, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = FONT_NAME
    if title_rows:
        ws.print_title_rows = title_rows
    if freeze:
        ws.freeze_panes = freeze


def sheet_title(evaluation: Evaluation, what: str) -> str:
    return f"{evaluation.project.name}（{evaluation.project.year}年度）{what}"


def _diff(claimed: Decimal | None, computed: Decimal | None) -> Decimal | None:
    if claimed is None or computed is None:
        return None
    return quantize(claimed) - quantize(computed)
