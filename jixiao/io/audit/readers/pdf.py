"""PDF through pdfplumber: per page, ruled tables and the prose around them, ordered top to bottom.

Pages without a text layer (scans) go to Tesseract when it is installed; see :mod:`.ocr`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ....core.audit.source import Place, SourceCell, SourceTable, SourceText
from .base import UnreadableDocument, column_letters, corrupt
from .ocr import ocr_pdf_pages, tesseract_chi_sim

NEEDS_OCR = "无文本层，需 OCR"
_FEW_CHARS = 30
_Item = tuple[str, Any]  # ("line", (text, Place)) or ("table", SourceTable)


def read_pdf(path: Path, head: bytes) -> SourceText:
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
            raise UnreadableDocument("PDF 已加密，无法读取", path) from exc
        raise corrupt(path, ".pdf") from exc
    except PDFEncryptionError as exc:
        raise UnreadableDocument("PDF 已加密，无法读取", path) from exc
    except (MalformedPDFException, PDFException, PSException) as exc:
        raise corrupt(path, ".pdf") from exc

    source = SourceText(file=str(path), format="pdf", pages=page_count)
    if scanned:
        _ocr(path, scanned, content, source, all_scanned=not content)
    for number in sorted(content):
        for kind, item in content[number]:
            if kind == "line":
                source.add_line(*item)
            else:
                source.add_table(item)
    return source


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
    placed: list[tuple[float, int, _Item]] = [
        (line["top"], 0, ("line", line["text"])) for line in text_page.extract_text_lines(return_chars=False)
    ]
    placed.extend((table.bbox[1], 1, ("table", table.extract())) for table in tables)
    placed.sort(key=lambda entry: (entry[0], entry[1]))  # stable: lines keep their order

    items: list[_Item] = []
    lines = tables_seen = 0
    for _, _, (kind, payload) in placed:
        if kind == "line":
            lines += 1
            items.append(("line", (payload, Place(page=number, line=lines))))
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
        content[page] = [("line", (text, Place(page=page, line=i))) for i, text in enumerate(lines, start=1)]
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
