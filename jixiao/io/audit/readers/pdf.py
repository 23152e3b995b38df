"""PDF: per page, ruled tables and the prose around them, ordered top to bottom; the printed lines of a paragraph
joined again into the one line the author typed (see :func:`_paragraphs`).

Pages are read through PDFium from character positions and ruling lines (:mod:`.pdf_fast`), some forty times
faster than a layout analysis. A page whose table cells cannot be placed that way is read by pdfplumber's table
finder, and the notes say which; a file PDFium will not open is read by pdfplumber whole. Pages without a text
layer (scans) go to Tesseract when it is installed; see :mod:`.ocr`.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ....core.audit.source import Place, SourceCell, SourceTable, SourceText
from .base import UnreadableDocument, column_letters, corrupt
from .ocr import ocr_pdf_pages, tesseract_chi_sim
from .pdf_fast import ENCRYPTED_PDF, NotOpened, PageRead, read_pages
from .pdf_layout import CLOSING, COLUMN_GAP, OPENING, WORD_GAP, Line, is_western

NEEDS_OCR = "无文本层，需 OCR"
_FEW_CHARS = 30
_Item = tuple[str, Any]  # ("line", (text, Place, _Span | None)) or ("table", SourceTable)
#: a page with fewer printed lines than this does not show where its text starts and ends
_FEW_LINES = 5


class _Span(NamedTuple):
    """Where a printed line sits across the page, to tell a paragraph that wraps from one that ends."""

    x0: float
    x1: float
    first: float  # the width of the line's first unbreakable piece (a character, a word or a number)
    size: float  # the width of its first character, the unit of an indent
    page_width: float
    columns: bool  # words far apart, as the cells of a table drawn without rules
    page: int = 0


def read_pdf(path: Path, head: bytes) -> SourceText:
    try:
        read = read_pages(path, head)
    except NotOpened:
        return read_pdf_with_pdfplumber(path, head)
    content: dict[int, list[_Item]] = {page.number: _fast_items(page) for page in read.pages if page.items}
    scanned = [page.number for page in read.pages if page.scanned]
    notes = list(read.notes)
    slow = [page.number for page in read.pages if page.not_placed]
    if slow:
        content.update(_pdfplumber_pages(path, slow))
        notes.append(f"{pages_label(slow)}的表格无法按字符位置确定单元格，已改用 pdfplumber 读取")
    return _assemble(path, read.page_count, content, scanned, notes)


def _fast_items(page: PageRead) -> list[_Item]:
    items: list[_Item] = []
    lines = tables = 0
    for _, payload in page.items:
        if isinstance(payload, Line):
            lines += 1
            span = _Span(payload.x0, payload.x1, payload.first, payload.size, page.width, payload.columns, page.number)
            items.append(("line", (payload.text, Place(page=page.number, line=lines), span if payload.size else None)))
        else:
            tables += 1
            items.append(("table", _table(list(payload), page.number, tables)))
    return items


def _pdfplumber_pages(path: Path, numbers: list[int]) -> dict[int, list[_Item]]:
    try:
        with pdfplumber.open(path, pages=numbers) as pdf:
            return {number: _page_items(page, number) for number, page in zip(numbers, pdf.pages, strict=True)}
    except (PdfminerException, PDFException, PSException, MalformedPDFException) as exc:
        raise corrupt(path, ".pdf") from exc


def read_pdf_with_pdfplumber(path: Path, head: bytes) -> SourceText:
    """Every page through pdfplumber's layout analysis (the reader before PDFium, kept for the files PDFium will
    not open, and for measuring)."""
    if b"%PDF" not in head:
        raise corrupt(path, ".pdf")
    try:
        with pdfplumber.open(path) as pdf:
            page_count = len(pdf.pages)
            content: dict[int, list[_Item]] = {}
            scanned: list[int] = []
            for number, page in enumerate(pdf.pages, start=1):
                if _is_scanned(page):
                    scanned.append(number)
                elif page.chars:
                    content[number] = _page_items(page, number)
                page.close()
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFEncryptionError):
            raise UnreadableDocument(ENCRYPTED_PDF, path) from exc
        raise corrupt(path, ".pdf") from exc
    except PDFEncryptionError as exc:
        raise UnreadableDocument(ENCRYPTED_PDF, path) from exc
    except (MalformedPDFException, PDFException, PSException) as exc:
        raise corrupt(path, ".pdf") from exc
    return _assemble(path, page_count, content, scanned, [])


def _assemble(
    path: Path, page_count: int, content: dict[int, list[_Item]], scanned: list[int], notes: list[str]
) -> SourceText:
    source = SourceText(file=str(path), format="pdf", pages=page_count, notes=notes)
    if scanned:
        _ocr(path, scanned, content, source, all_scanned=not content)
    items = [item for number in sorted(content) for item in content[number]]
    for kind, item in _paragraphs(items):
        if kind == "line":
            source.add_line(*item)
        else:
            source.add_table(item)
    return source


def _paragraphs(items: list[_Item]) -> list[_Item]:
    """The printed lines of a paragraph that wraps joined again into one line, as the author typed it.

    A line continues on the next when the next line starts at the text's left edge (no indent) and its first piece
    (a character with the punctuation that cannot part from it, or a whole word or number), with a blank before
    it, would not have fitted in the room left at the end of the line: the typesetter moved it down. A line that
    ends with room to spare ends its paragraph. A table, a page number in between, or a scanned page ends a
    paragraph; a line with wide gaps between its words is a row of columns without rules, never joined.
    """
    edges = _edges([item[1][2] for item in items if item[0] == "line" and item[1][2] is not None])
    out: list[_Item] = []
    for kind, item in items:
        if kind == "line" and out and out[-1][0] == "line":
            text, _, span = item
            before, before_place, before_span = out[-1][1]
            if (
                span is not None
                and before_span is not None
                and not (span.columns or before_span.columns)
                and span.page_width == before_span.page_width
                and span.x0 - edges[span.page][0] < span.size / 2
                and (room := edges[before_span.page][1] - before_span.x1) < span.first + span.size / 2
            ):
                # room for the piece but not for a blank before it: the line broke at a blank
                joined = before + (" " if room >= span.first else _wrap_gap(before, text)) + text
                out[-1] = ("line", (joined, before_place, span))
                continue
        out.append((kind, item))
    return [(kind, (item[0], item[1]) if kind == "line" else item) for kind, item in out]


def _edges(spans: list[_Span]) -> dict[int, tuple[float, float]]:
    """Each page's text edges (left, right). The left edge is where its printed lines start at the farthest; a page
    of a few lines does not show it and takes the middle of those of the other pages of its width. The right edge
    mirrors the left one (pages have their side margins alike): the ends of the lines do not show it, as a page of
    short lines never reaches it, and a hanging comma or a line set tight may overshoot it."""
    by_page: dict[int, list[_Span]] = {}
    for span in spans:
        by_page.setdefault(span.page, []).append(span)
    lefts = {page: min(s.x0 for s in lines) for page, lines in by_page.items()}
    out: dict[int, tuple[float, float]] = {}
    for page, lines in by_page.items():
        width = lines[0].page_width
        left = lefts[page]
        if len(lines) < _FEW_LINES:
            like = [lefts[p] for p, ls in by_page.items() if len(ls) >= _FEW_LINES and ls[0].page_width == width]
            if like:
                left = sorted(like)[len(like) // 2]
        out[page] = (left, width - left)
    return out


def _wrap_gap(before: str, after: str) -> str:
    """A blank where the line broke between two Western words or numbers ("100%" | "30"), which lines break only at
    a blank (or after a hyphen); nothing where Chinese was broken, which lines break anywhere."""
    last, first = before[-1:], after[:1]
    if last and first and is_western(last) and is_western(first) and last not in "-/":
        return " "
    return ""


def _span(line: dict[str, Any], page_width: float, page: int) -> _Span | None:
    chars = [char for char in line.get("chars", ()) if char["text"].strip()]
    if not chars:
        return None
    i, n = 0, len(chars)
    while i < n - 1 and chars[i]["text"] in OPENING:
        i += 1
    if is_western(chars[i]["text"]):
        while i + 1 < n and is_western(chars[i + 1]["text"]) and chars[i + 1]["x0"] - chars[i]["x1"] < 1:
            i += 1
    while i + 1 < n and chars[i + 1]["text"] in CLOSING:
        i += 1
    first = float(chars[i]["x1"] - chars[0]["x0"])
    size = float(chars[0]["x1"] - chars[0]["x0"])
    widest = max((b["x0"] - a["x1"] for a, b in pairwise(chars)), default=0.0)
    columns = widest > COLUMN_GAP * size
    return _Span(float(line["x0"]), float(line["x1"]), first, size, page_width, columns, page)


def _is_scanned(page: pdfplumber.page.Page) -> bool:
    """No text layer: no characters, or a few (a stamped page number) over a page-sized image."""
    chars = len(page.chars)
    if chars == 0:
        return bool(page.images or page.curves)
    if chars > _FEW_CHARS or not page.images:
        return False
    area = float(page.width * page.height) or 1.0
    covered = sum(abs(float(image["width"]) * float(image["height"])) for image in page.images)
    return covered / area > 0.5


def _overprinted(chars: list[dict[str, Any]]) -> bool:
    """Whether some character is drawn twice at the same spot (fake bold), which would read "项项目目"."""
    seen: set[tuple[str, int, int]] = set()
    for char in chars:
        key = (char["text"], round(char["x0"]), round(char["top"]))
        if key in seen:
            return True
        seen.add(key)
    return False


def _page_items(page: pdfplumber.page.Page, number: int) -> list[_Item]:
    base: Any = page.dedupe_chars() if _overprinted(page.chars) else page
    # a page that writes its blanks as characters: a gap without one is the room set between Chinese and Western
    # text ("2022 年") or a stretched line, not a blank, unless it is wide enough to part columns
    spacing: dict[str, float] = {"x_tolerance_ratio": WORD_GAP} if any(c["text"].isspace() for c in page.chars) else {}
    # tables need ruling lines (the default strategy), so a page without any has none to find
    tables = base.find_tables() if page.lines or page.rects or page.curves else []
    text_page = base
    if tables:
        boxes = [table.bbox for table in tables]

        def outside(obj: dict[str, Any]) -> bool:
            if obj.get("object_type") != "char":
                return True
            x = (obj["x0"] + obj["x1"]) / 2
            y = (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

        text_page = text_page.filter(outside)
    width = float(page.width)
    placed: list[tuple[float, int, _Item]] = [
        (line["top"], 0, ("line", (line["text"], _span(line, width, number))))
        for line in text_page.extract_text_lines(return_chars=True, **spacing)
    ]
    placed.extend((table.bbox[1], 1, ("table", table.extract(**spacing))) for table in tables)
    placed.sort(key=lambda entry: (entry[0], entry[1]))  # stable: lines keep their order

    items: list[_Item] = []
    lines = tables_seen = 0
    for _, _, (kind, payload) in placed:
        if kind == "line":
            lines += 1
            text, span = payload
            items.append(("line", (text, Place(page=number, line=lines), span)))
        else:
            tables_seen += 1
            items.append(("table", _table(payload, number, tables_seen)))
    return items


def _table(cells: list[list[str | None]], page: int, index: int) -> SourceTable:
    width = max((len(row) for row in cells), default=0)
    letters = column_letters(width)
    rows = tuple(
        tuple(
            SourceCell(text or "", Place(page=page, cell=f"表{index}!{letter}{r}"))
            for letter, text in zip(letters, row + [None] * (width - len(row)), strict=True)
        )
        for r, row in enumerate(cells, start=1)
    )
    return SourceTable(rows, name=f"第{page}页表{index}")


def _ocr(
    path: Path, scanned: list[int], content: dict[int, list[_Item]], source: SourceText, all_scanned: bool
) -> None:
    if not tesseract_chi_sim():
        if all_scanned:
            raise UnreadableDocument(f"PDF {NEEDS_OCR}（扫描件）；本机未安装 Tesseract chi_sim，无法识别", path)
        source.notes.append(f"{pages_label(scanned)}{NEEDS_OCR}；本机未安装 Tesseract chi_sim，这些页未读取")
        return
    results = ocr_pdf_pages(path, scanned)
    read = [page for page in scanned if results.get(page)]
    failed = [page for page in scanned if page not in read]
    if all_scanned and not read:
        raise UnreadableDocument(f"PDF {NEEDS_OCR}（扫描件）；Tesseract（chi_sim）未识别出文字", path)
    for page in read:
        lines = results[page] or []
        content[page] = [("line", (text, Place(page=page, line=i), None)) for i, text in enumerate(lines, start=1)]
    if read:
        source.ocr = True
        source.notes.append(f"{pages_label(read)}{NEEDS_OCR}：已用 Tesseract（chi_sim）识别，数字须人工核对")
    if failed:
        source.notes.append(f"{pages_label(failed)}{NEEDS_OCR}，但未能识别出文字，这些页未读取")


def pages_label(pages: list[int]) -> str:
    """[1, 2, 3, 5] → "第1至3、5页"."""
    spans: list[str] = []
    start = prev = pages[0]
    for page in [*pages[1:], None]:
        if page is not None and page == prev + 1:
            prev = page
            continue
        spans.append(str(start) if start == prev else f"{start}至{prev}")
        if page is not None:
            start = prev = page
    return f"第{'、'.join(spans)}页"
