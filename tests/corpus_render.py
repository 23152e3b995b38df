"""A corpus text rendered as the files a unit would submit: .docx (paragraphs and Word tables) and .xlsx (one sheet,
table rows as cell grids, prose in column A); the .pdf is the .docx converted by LibreOffice (see the tests).

The text's first line (``SOURCE: url``) and the blank line after it are not part of the document. Consecutive lines
holding ``|`` are one table, cells split on ``|``; the pipes that open and close a line are borders, not cells, and
the empty cells between them are kept, so columns stay where the text has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

#: a figure as a sheet holds it: a number, not text ("387664.62", "-3", "10"); "01" or "1,000" stay text
_NUMBER = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.\d+)?")
#: characters that XML 1.0 cannot hold (Word and Excel refuse them); real documents never show them
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: an indented line that opens with ``|``: the next cells of the row above
_ROW_GOES_ON = re.compile(r"[ \t]+\|")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (``rows`` is None) or a table (``rows``: cells per row, padded to the same width)."""

    text: str = ""
    rows: tuple[tuple[str, ...], ...] | None = None


def document_lines(path: Path) -> list[str]:
    """The document's lines: the text without its ``SOURCE:`` line and the blank line that follows it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("SOURCE:"):
        lines = lines[1:]
        if lines and not lines[0].strip():
            lines = lines[1:]
    return [_NOT_XML.sub("", line) for line in lines]


def row_cells(line: str) -> list[str]:
    """``| a | b |`` → [a, b]; ``a | | b | ||`` → [a, "", b, "", ""] (a bordering pipe opens or closes no cell)."""
    cells = [cell.strip() for cell in line.split("|")]
    if line.lstrip().startswith("|"):
        cells = cells[1:]
    if line.rstrip().endswith("|") and cells:
        cells = cells[:-1]
    return cells


def blocks(lines: list[str]) -> list[Block]:
    """Paragraphs and tables. Most texts give a table row per line; a web table copied with its cells' line breaks
    gives a row over several lines instead: the first cell, then each further cell on an indented line opening with
    ``|``, and the rest of a cell broken over lines on an indented line without one (the text reading's rule)."""
    lines = [line for line in lines if line.strip()]  # blank lines part nothing, as in the text reading
    out: list[Block] = []
    table: list[list[str]] = []

    def close() -> None:
        if table:
            width = max(len(cells) for cells in table) or 1
            out.append(Block(rows=tuple(tuple(cells + [""] * (width - len(cells))) for cells in table)))
            table.clear()

    def goes_on(at: int) -> bool:
        return 0 <= at < len(lines) and bool(_ROW_GOES_ON.match(lines[at]))

    for at, line in enumerate(lines):
        if table and goes_on(at):
            table[-1].extend(row_cells(line))
        elif table and "|" not in line and line[:1].isspace() and (goes_on(at - 1) or goes_on(at + 1)):
            row = table[-1]
            row[-1:] = ["\n".join([*row[-1:], line.strip()])]
        elif "|" in line:
            table.append(row_cells(line))
        elif _opens_row(lines, at):
            table.append([line.strip()])
        else:
            close()
            out.append(Block(text=line))
    close()
    return out


def _opens_row(lines: list[str], at: int) -> bool:
    """A line whose row goes on below it (past the lines that only carry the rest of its cell)."""
    for line in lines[at + 1 :]:
        if _ROW_GOES_ON.match(line):
            return True
        if "|" in line or not line[:1].isspace():
            return False
    return False


def has_table(parts: list[Block]) -> bool:
    return any(block.rows is not None for block in parts)


def write_docx(parts: list[Block], path: Path) -> Path:
    """Paragraphs and Word tables (grid lines, rows kept whole on a page), landscape when there is a table."""
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    section = document.sections[0]
    if has_table(parts):
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2))
    for block in parts:
        if block.rows is None:
            document.add_paragraph(block.text)
            continue
        width = len(block.rows[0])
        table = document.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        for r, cells in enumerate(block.rows):
            row = table.rows[r]
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for c, text in enumerate(cells):
                if text:
                    row.cells[c].text = text
    document.save(path)
    return path


def write_xlsx(parts: list[Block], path: Path) -> Path:
    """One sheet, 自评表: each paragraph in column A of its own row, each table as a grid from column A; figures
    are numbers, as a finance officer's sheet holds them."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    r = 0
    for block in parts:
        for cells in [(block.text,)] if block.rows is None else block.rows:
            r += 1
            for c, text in enumerate(cells, start=1):
                if text:
                    sheet.cell(r, c, value=_value(text))
    book.save(path)
    return path


def _value(text: str) -> str | int | float:
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def render(text_file: Path, outdir: Path) -> dict[str, Path]:
    """``text_file`` as ``outdir/<stem>.docx`` and ``.xlsx``."""
    parts = blocks(document_lines(text_file))
    stem = text_file.stem
    return {"docx": write_docx(parts, outdir / f"{stem}.docx"), "xlsx": write_xlsx(parts, outdir / f"{stem}.xlsx")}
