"""The cell helpers every workbook uses: house style (宋体, wrapped, thin borders), number formats, merges,
titles, column widths and page setup.

Every sheet opens with a title row naming the project and year; amounts are in 万元 and say so in
their headers. Figures jixiao computed are rounded half-up to 2 places before they reach a cell
(see :func:`number`); amounts the unit entered are written unrounded (see :func:`exact`).
Values, never formulas, are written: openpyxl cannot cache a formula's result, so other readers
would see empty cells.

Every sheet prints: :func:`page_setup`, called last on each sheet, computes every row's height from its
text (:func:`fit_height`) and sets A4, one page wide, repeated header rows, print area and page numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from copy import copy
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
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


def new_workbook() -> Workbook:
    """An empty workbook whose default font (the 常规 style) is 宋体 11.

    Column widths are counted in the width of a digit of the default font. openpyxl's default is Calibri,
    which a Chinese LibreOffice install often lacks and replaces with a much wider font, so every column
    printed half as wide again as in Excel or WPS and the text shrank to fit the page. With 宋体 (or its
    CJK substitute) the unit is about the same everywhere. openpyxl offers no public setter for it.
    """
    wb = Workbook()
    default = Font(name=FONT_NAME, size=11)
    wb._fonts = IndexedList([default])
    wb._named_styles["Normal"].font = default
    return wb


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

    def house_style(cell: Cell) -> None:
        cell.font = Font(name=FONT_NAME, size=size, bold=bold, color=color)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if number_format:
            cell.number_format = number_format
        if border:
            cell.border = BORDER

    restyle(cell, ("put", number_format, bold, size, align, border, color), house_style)
    return cell


#: the attribute of a workbook that remembers, per (a cell's style before, the change), its style after
_STYLES = "_jixiao_styles"


def restyle(cell: Cell, change: tuple[object, ...], apply: Callable[[Cell], None]) -> None:
    """Apply a style ``change`` to ``cell`` through ``apply`` once per workbook and starting style; after that,
    copy the resulting style ids.

    Assigning a Font, Border or Alignment makes openpyxl hash the whole object to find it in the workbook's
    style list: that was most of the time spent writing a sheet. The ids it finds are the same for the same
    change of the same style, so they are remembered (on the workbook: style ids belong to it).
    """
    workbook = cell.parent.parent
    known: dict[tuple[object, ...], StyleArray] | None = getattr(workbook, _STYLES, None)
    if known is None:
        known = {}
        setattr(workbook, _STYLES, known)
    key = (None if cell._style is None else tuple(cell._style), change)  # None: a cell never styled
    after = known.get(key)
    if after is None:
        apply(cell)
        known[key] = copy(cell._style)
    else:
        cell._style = copy(after)


def bold_row(ws: Worksheet, row: int, ncols: int) -> None:
    """Embolden a totals row, keeping each cell's colour."""
    for col in range(1, ncols + 1):
        restyle(ws.cell(row=row, column=col), ("bold",), _embolden)


def _embolden(cell: Cell) -> None:
    cell.font = Font(name=FONT_NAME, size=cell.font.size, bold=True, color=cell.font.color)


def _with_border(cell: Cell) -> None:
    cell.border = BORDER


def merge(ws: Worksheet, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    """Merge a block (when larger than one cell) and give every cell in it the border, so the edge prints."""
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            restyle(ws.cell(row=r, column=c), ("border",), _with_border)
    if max_row > min_row or max_col > min_col:
        merge_cells(ws, min_row, min_col, max_row, max_col)


def merge_cells(ws: Worksheet, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    """What ``ws.merge_cells`` does in openpyxl 3.1 (``Worksheet._clean_merge_range`` and
    ``MergedCellRange.format``), with each style change made through :func:`restyle`.

    The cells of the block but the first become MergedCells; those on an edge take that side of the first
    cell's border; all take its protection. openpyxl's own version spent more time hashing those Border and
    Protection objects than the rest of a sheet took to write. ``tests/io/test_xlsx_cells.py`` checks that
    both give the same cells and styles.
    """
    block = MergedCellRange(ws, CellRange(min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row).coord)
    ws.merged_cells.add(block)
    for row, col in list(block.cells)[1:]:
        ws._cells[row, col] = MergedCell(ws, row, col)
    start = block.start_cell
    for name in ("top", "left", "right", "bottom"):
        side = getattr(start.border, name)
        if side and side.style is None:
            continue
        edge = Border(**{name: side})

        def add_edge(cell: Cell, edge: Border = edge) -> None:
            cell.border += edge

        for row, col in getattr(block, name):
            restyle(ws._cells[row, col], ("edge", name, repr(side)), add_edge)
    protection = copy(start.protection)

    def protect(cell: Cell) -> None:
        cell.protection = protection

    for row, col in block.cells:
        restyle(ws._cells[row, col], ("protection", repr(protection)), protect)


#: Excel's largest row height, in points
MAX_ROW_HEIGHT = 409.0
#: one line of text, in em: Excel gives 宋体 about 1.3, LibreOffice its substitute Noto Serif CJK 1.44
LINE_HEIGHT_EM = 1.45
#: a row never given a height (Excel's default), in points
DEFAULT_ROW_HEIGHT = 15.0
#: above and below the text of a cell, in points
ROW_PADDING = 4.0
#: left and right of the text of a cell, in points
CELL_PADDING = 4.0
#: a column-width unit (the width of "0" in the default font, 宋体 11: 7 px at 96 dpi in Excel and WPS), in
#: points; LibreOffice's substitute font is wider (about 6.15 pt), so rows come out a little tall there
POINTS_PER_WIDTH = 5.25
#: font sizes tried, largest first, for a text that needs more than :data:`MAX_ROW_HEIGHT` at its own size
_SMALLER_SIZES = (9.0, 8.0, 7.5)
#: a Latin word is not broken; every CJK character is a break opportunity
_TOKENS = re.compile(r"[A-Za-z0-9.,:;!?%'\"()\[\]{}<>/+\-_=&#@$*~^|]+| |.")


def _char_em(ch: str) -> float:
    """A character's advance in em, rounded up from 宋体 and Noto Serif CJK (the widest of the two)."""
    if ch == " ":
        return 0.3
    if ch.isascii():
        return 0.72 if ch.isupper() else 0.6
    return 1.0  # CJK, full-width punctuation, and symbols such as ≥ × ÷, which the CJK fonts set full width


def text_lines(text: str, width: float, size: float = 10.5) -> int:
    """Lines that ``text`` wraps into in ``width`` column-width units at ``size`` points.

    Explicit line breaks start a new line; a Latin word moves to the next line whole unless it is longer
    than a line; CJK text breaks between any two characters. A 5% margin leaves room for the line-breaking
    rules (no full-width comma at the start of a line) that push a character to the next line.
    """
    room = max((width * POINTS_PER_WIDTH - CELL_PADDING) / size * 0.95, 1.0)  # in em
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for token in _TOKENS.findall(paragraph):
            advance = sum(_char_em(ch) for ch in token)
            if used + advance <= room or (token == " " and used):
                used += advance
            elif advance <= room:
                lines += 1
                used = advance
            else:  # a word longer than a line breaks anywhere
                for ch in token:
                    if used + _char_em(ch) > room and used:
                        lines += 1
                        used = 0.0
                    used += _char_em(ch)
    return lines


def text_height(text: str, width: float, size: float = 10.5, *, stacked: bool = False) -> float:
    """Points of row height that ``text`` needs wrapped in ``width`` column-width units at ``size`` points.

    ``stacked`` is text written top to bottom, one character a line (``text_rotation=255``).
    """
    lines = len(text.replace("\n", "")) if stacked else text_lines(text, width, size)
    return lines * size * LINE_HEIGHT_EM + ROW_PADDING


def _column_width(ws: Worksheet, col: int) -> float:
    width = ws.column_dimensions[get_column_letter(col)].width
    return width if width else 8.43  # a column never given a width has the default width


def _display_text(cell: Cell) -> str | None:
    """What the cell shows, for measuring: its text, or one line for a number or date."""
    if cell.value is None:
        return None
    if isinstance(cell.value, str):
        return cell.value if cell.value.strip() else None
    return "0"


def fit_height(ws: Worksheet) -> None:
    """Give every row that holds text the height its wrapped text needs; call it once the sheet is filled
    and its column widths set.

    Excel and WPS never fit a row to a merged cell, and do not refit rows on opening a file, so each row's
    height is computed here: from the text, the width of the cell (the merged block's width), its font size
    and explicit line breaks. A merged block spanning several rows shares what it needs among them. A
    single-row text that would need more than Excel's 409 pt is set in a smaller font (down to 7.5 pt);
    beyond that the row stays at 409 pt and its text is cut off in print (still whole in the cell).
    """
    blocks = {(r.min_row, r.min_col): (r.max_row, r.max_col) for r in ws.merged_cells.ranges}
    inside = {
        (row, col)
        for (r1, c1), (r2, c2) in blocks.items()
        for row in range(r1, r2 + 1)
        for col in range(c1, c2 + 1)
        if (row, col) != (r1, c1)
    }
    heights: dict[int, float] = {}
    tall: list[tuple[int, int, float]] = []  # merged over several rows: first row, last row, height needed
    for line in ws.iter_rows():
        for cell in line:
            text = _display_text(cell)
            if text is None or (cell.row, cell.column) in inside:
                continue
            last_row, last_col = blocks.get((cell.row, cell.column), (cell.row, cell.column))
            width = sum(_column_width(ws, c) for c in range(cell.column, last_col + 1))
            size = float(cell.font.sz or 11)
            stacked = cell.alignment.text_rotation == 255
            need = text_height(text, width, size, stacked=stacked)
            if last_row > cell.row:
                tall.append((cell.row, last_row, need))
                continue
            if need > MAX_ROW_HEIGHT and not stacked:
                for smaller in _SMALLER_SIZES:
                    if smaller < size:
                        size, need = smaller, text_height(text, width, smaller)
                        if need <= MAX_ROW_HEIGHT:
                            break
                cell.font = Font(name=cell.font.name, size=size, bold=cell.font.b, color=cell.font.color)
            heights[cell.row] = max(heights.get(cell.row, 0.0), min(need, MAX_ROW_HEIGHT))
    for row, height in heights.items():
        ws.row_dimensions[row].height = max(height, ws.row_dimensions[row].height or 0.0)
    for first, last, need in tall:
        rows = range(first, last + 1)
        have = sum(ws.row_dimensions[r].height or DEFAULT_ROW_HEIGHT for r in rows)
        if need > have:
            extra = (need - have) / len(rows)
            for r in rows:
                current = ws.row_dimensions[r].height or DEFAULT_ROW_HEIGHT
                ws.row_dimensions[r].height = min(current + extra, MAX_ROW_HEIGHT)


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


#: A4's short side, in points
_A4_SHORT = 595.0
_MARGINS = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)  # inches
#: portrait while the columns print at this scale or larger; wider tables turn the page
_PORTRAIT_SCALE = 0.85


def page_setup(ws: Worksheet, *, title_rows: str | None, freeze: str | None) -> None:
    """Finish a sheet for printing; call it last, once the sheet is filled and its column widths set.

    Fits every row's height (:func:`fit_height`); A4, portrait unless the columns would then print below
    85% of their size; fit to one page wide and as many pages tall as needed; ``title_rows`` (e.g. ``"3:4"``)
    repeated at the top of every printed page; the filled range as the print area; the sheet's name and
    「第 1 页，共 3 页」 in the footer.
    """
    fit_height(ws)
    columns = sum(_column_width(ws, c) for c in range(1, ws.max_column + 1)) * POINTS_PER_WIDTH
    room = _A4_SHORT - 72 * (_MARGINS.left + _MARGINS.right)
    landscape = columns * _PORTRAIT_SCALE > room
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.page_margins = copy(_MARGINS)
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.left.font = FONT_NAME
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = FONT_NAME
    if title_rows:
        ws.print_title_rows = title_rows
    if freeze:
        ws.freeze_panes = freeze


def sheet_title(evaluation: Evaluation, what: str) -> str:
    return evaluation.project.with_year("年度") + what


def _diff(claimed: Decimal | None, computed: Decimal | None) -> Decimal | None:
    if claimed is None or computed is None:
        return None
    return quantize(claimed) - quantize(computed)
