"""A document as read, before anything is extracted: prose lines and table cells, each with its place.

Readers in :mod:`jixiao.io.audit` turn .txt/.docx/.xlsx/.xls/.pdf files into a :class:`SourceText`;
the extractor in :mod:`jixiao.reading.extract` only ever sees this, so it needs no file I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)  # not frozen: readers build one per cell, and frozen dataclasses cost 3× to create
class Place:
    """Where a piece of text was read: page and line (1-based), or a cell such as ``自评表!C7``."""

    page: int | None = None
    line: int | None = None
    cell: str | None = None

    def label(self) -> str:
        if self.cell:
            return f"第{self.page}页{self.cell}" if self.page is not None else self.cell
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        return "".join(parts) or "全文"


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line of prose (or of flattened text), as the file holds it."""

    text: str
    place: Place


@dataclass(frozen=True, slots=True)
class SourceCell:
    text: str
    place: Place


@dataclass(frozen=True, slots=True)
class SourceTable:
    """A table whose structure the file knows (a sheet, a Word table, a table found on a PDF page).

    ``rows`` keep the file's order; merged cells appear once, in their top-left position, and empty
    cells are kept as empty strings so that columns line up.
    """

    rows: tuple[tuple[SourceCell, ...], ...]
    name: str = ""


@dataclass(slots=True)
class SourceText:
    """Everything a reader got out of one file. ``lines`` and ``tables`` are in reading order;
    ``order`` interleaves them: ``("line", i)`` or ``("table", j)``."""

    file: str
    format: str  # txt, docx, xlsx, xls, pdf
    lines: list[SourceLine] = field(default_factory=list)
    tables: list[SourceTable] = field(default_factory=list)
    order: list[tuple[str, int]] = field(default_factory=list)
    pages: int | None = None
    ocr: bool = False  # text came from OCR, so it is less certain
    notes: list[str] = field(default_factory=list)  # Chinese remarks from the reader (e.g. "第3页无文本层")

    def add_line(self, text: str, place: Place) -> None:
        self.order.append(("line", len(self.lines)))
        self.lines.append(SourceLine(text, place))

    def add_table(self, table: SourceTable) -> None:
        self.order.append(("table", len(self.tables)))
        self.tables.append(table)

    @property
    def is_empty(self) -> bool:
        return not any(line.text.strip() for line in self.lines) and not any(
            cell.text.strip() for table in self.tables for row in table.rows for cell in row
        )
