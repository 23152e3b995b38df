"""PDF pages at the speed of PDFium: text and tables from character positions and ruling lines.

Each page is decided on its own:
- a page with a text layer is laid out from PDFium's characters and the page's ruling lines
  (:mod:`.pdf_layout`);
- a page whose table cells cannot be placed from positions alone is read again by pdfplumber's table
  finder, and the document's notes say which pages;
- a page without a text layer (a scan) goes to OCR, as before (:mod:`.pdf`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .base import UnreadableDocument, corrupt
from .pdf_layout import Line, PageLayout, lay_out
from .pdfium_page import PageContent, read_page

#: pages read of one file; a self-evaluation report has tens, and a longer file is read this far and said so
MAX_PAGES = 1_000
#: fewer characters than this over a page mostly covered by images: a scan with a stamped page number
FEW_CHARS = 30
ENCRYPTED_PDF = "PDF 已加密，无法读取"


@dataclass(slots=True)
class PageRead:
    number: int
    width: float = 0.0
    #: ("line", Line) and ("table", rows of cell texts), top to bottom
    items: list[tuple[str, Line | list[list[str]]]] = field(default_factory=list)
    scanned: bool = False
    not_placed: bool = False  # tables to be read by pdfplumber


@dataclass(slots=True)
class DocumentRead:
    page_count: int
    pages: list[PageRead]
    notes: list[str] = field(default_factory=list)


class NotOpened(Exception):
    """PDFium would not open the file (other than for a password): the caller tries its slower reader, which
    is more lenient with some damaged or unusual files, and which says in Chinese what is wrong otherwise."""


def open_pdf(path: Path, head: bytes) -> pdfium.PdfDocument:
    if b"%PDF" not in head:
        raise corrupt(path, ".pdf")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadableDocument(ENCRYPTED_PDF, path) from exc
        raise NotOpened(str(exc)) from exc


def read_pages(path: Path, head: bytes) -> DocumentRead:
    pdf = open_pdf(path, head)
    try:
        count = len(pdf)
        read = DocumentRead(count, [])
        if count > MAX_PAGES:
            read.notes.append(f"文件共 {count:,} 页，只读取了前 {MAX_PAGES:,} 页")
        for index in range(min(count, MAX_PAGES)):
            page = pdf[index]
            try:
                read.pages.append(_page(page, index + 1, read.notes))
            finally:
                page.close()
        return read
    except pdfium.PdfiumError as exc:
        raise NotOpened(str(exc)) from exc
    finally:
        pdf.close()


def _page(page: pdfium.PdfPage, number: int, notes: list[str]) -> PageRead:
    content = read_page(page)
    out = PageRead(number, content.width)
    if _is_scanned(content):
        out.scanned = True
        return out
    if content.text is not None:  # too many characters to lay out: its text as PDFium orders it
        notes.append(f"第{number}页字符过多（{content.chars:,} 个），只按文字读取，未识别表格")
        out.items = [("line", Line(0.0, t.strip(), 0.0, 0.0, 0.0, 0.0)) for t in content.text.splitlines() if t.strip()]
        return out
    layout: PageLayout = lay_out(content.segments, content.rules, typed_blanks=content.typed_blanks)
    if not layout.placed:
        out.not_placed = True
        return out
    entries: list[tuple[float, int, tuple[str, Line | list[list[str]]]]] = [
        (-line.top, 0, ("line", line)) for line in layout.lines
    ]
    entries += [(-table.top, 1, ("table", table.cells)) for table in layout.tables]
    entries.sort(key=lambda e: (e[0], e[1]))
    out.items = [item for _, _, item in entries]
    return out


def _is_scanned(content: PageContent) -> bool:
    """No text layer: no characters, or a few (a stamped page number) over a page-sized image."""
    if content.chars == 0:
        return content.image_cover > 0 or content.paths > 0
    return content.chars <= FEW_CHARS and content.image_cover > 0.5
