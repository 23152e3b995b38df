"""What PDFium tells about one page, fast: its text segments with their boxes, its ruling lines, its images.

PDFium (through pypdfium2, Apache-2.0/BSD) segments a page's text into runs on one line; asking for those
runs and their text is some forty times faster than a character-by-character layout analysis. Ruling
lines are the page's path objects that are thin, or the edges of its rectangles.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .pdf_layout import CLOSING, OPENING, SNAP, SPACE_GAP, Rule, Segment, is_western, rules_from_boxes

#: a page with more characters than this is read as plain text, without looking for tables
MAX_CHARS = 60_000
_BLANK = re.compile(r"\s")
_BLANKS = re.compile(r"\s+")
#: path objects looked at per page (a chart drawn in thousands of strokes is not a table)
MAX_PATHS = 5_000


@dataclass(slots=True)
class PageContent:
    chars: int
    width: float
    height: float
    segments: list[Segment] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    image_cover: float = 0.0  # share of the page covered by images
    text: str | None = None  # the whole text, when the page was too large to segment
    typed_blanks: bool = False  # the page writes its blanks as characters
    paths: int = 0


def read_page(page: pdfium.PdfPage) -> PageContent:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        chars = textpage.count_chars()
        content = PageContent(chars, width, height)
        if chars > MAX_CHARS:
            content.text = textpage.get_text_range()
        elif chars:
            content.segments, content.typed_blanks = _segments(textpage, chars)
    finally:
        textpage.close()
    boxes, images = _objects(page)
    content.paths = len(boxes)
    content.rules = rules_from_boxes(boxes) if len(boxes) <= MAX_PATHS else []
    area = width * height or 1.0
    content.image_cover = sum((r - left) * (t - b) for left, b, r, t in images) / area
    return content


def _segments(textpage: pdfium.PdfTextPage, count: int) -> tuple[list[Segment], bool]:
    """The page's text in PDFium's order, cut into runs where PDFium itself put a line end or a blank of
    its own (a gap between pieces of text); a typed blank stays inside its run. A run's box joins the boxes
    of its first and last characters. The same run drawn twice on itself (fake bold) is kept once."""
    raw = textpage.raw
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP: no one-to-one index; read them one by one
        text = "".join(textpage.get_text_range(i, 1) for i in range(count))
    is_generated = pdfium_c.FPDFText_IsGenerated
    blanks = [(m.start(), m.group() in "\r\n" or bool(is_generated(raw, m.start()))) for m in _BLANK.finditer(text)]
    cuts = [at for at, cut in blanks if cut]
    typed_blanks = len(cuts) < len(blanks)
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    get_box = pdfium_c.FPDFText_GetLooseCharBox  # the font's box, as layout analysers use, not the ink
    out: list[Segment] = []
    seen: set[tuple[str, int, int]] = set()
    start = 0
    for cut in [*cuts, len(text)]:
        piece = text[start:cut]
        first = start + len(piece) - len(piece.lstrip())
        last = start + len(piece.rstrip()) - 1
        start = cut + 1
        if last < first:
            continue
        get_box(raw, first, rect_ref)
        head = (rect.left, rect.bottom, rect.right, rect.top)
        pieces = [(first, last, head)]
        if last > first:
            get_box(raw, last, rect_ref)
            tail = (rect.left, rect.bottom, rect.right, rect.top)
            height = max(head[3] - head[1], tail[3] - tail[1], 1.0)
            if abs(tail[1] - head[1]) > 0.5 * height or tail[0] < head[0]:
                pieces = _by_character(raw, text, first, last)  # a run that turns a line: look closer
            else:
                pieces = [(first, last, (head[0], min(head[1], tail[1]), tail[2], max(head[3], tail[3])))]
        for a, b, (left, bottom, right, top) in pieces:
            words = text[a : b + 1]
            if not words.isprintable() or "  " in words:  # tabs, runs of blanks
                words = _BLANKS.sub(" ", words).strip()
            key = (words, round(left), round(bottom))
            if not words or key in seen:
                continue
            seen.add(key)
            first, size = _lead(raw, text, a, b, head if a == pieces[0][0] else None, rect, rect_ref)
            out.append(Segment(words, left, bottom, right, top, first, size))
    return out, typed_blanks


def _lead(
    raw: object, text: str, a: int, b: int, head: tuple[float, ...] | None, rect: object, rect_ref: object
) -> tuple[float, float]:
    """Widths of the run's first unbreakable piece and of its first character (``head``, the first character's box,
    when known): opening punctuation goes with what follows it, a Western word or number is one piece, closing
    punctuation stays with what it closes."""
    i = a
    while i < b and text[i] in OPENING:
        i += 1
    if is_western(text[i]):
        while i < b and is_western(text[i + 1]):
            i += 1
    while i < b and text[i + 1] in CLOSING:
        i += 1
    if head is None:
        pdfium_c.FPDFText_GetLooseCharBox(raw, a, rect_ref)
        head = (rect.left, rect.bottom, rect.right, rect.top)  # type: ignore[attr-defined]
    if i == a:
        return head[2] - head[0], head[2] - head[0]
    pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect_ref)
    return rect.right - head[0], head[2] - head[0]  # type: ignore[attr-defined]


def _by_character(raw: object, text: str, first: int, last: int) -> list[tuple[int, int, tuple[float, ...]]]:
    """One run cut wherever the next character is not to the right on the same line (text set in a column
    one or two characters wide, or pieces that PDFium joined across table rows)."""
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    pieces: list[tuple[int, int, tuple[float, ...]]] = []
    start, box = first, None
    for i in range(first, last + 1):
        if text[i].isspace():
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect_ref)
        here = (rect.left, rect.bottom, rect.right, rect.top)
        if box is not None:
            height = max(box[3] - box[1], here[3] - here[1], 1.0)
            if abs(here[1] - box[1]) > 0.5 * height or here[0] < box[2] - SNAP or here[0] - box[2] > SPACE_GAP:
                pieces.append((start, i - 1, box))
                start, box = i, None
        box = here if box is None else (box[0], min(box[1], here[1]), max(box[2], here[2]), max(box[3], here[3]))
    if box is not None:
        pieces.append((start, last, box))
    return pieces


def _objects(page: pdfium.PdfPage) -> tuple[list[tuple[float, float, float, float]], list[tuple[float, ...]]]:
    """Bounding boxes of the page's path objects (lines and rectangles; a path made of many strokes is
    broken into its straight segments) and of its images. Read through PDFium's C interface: a page of
    text has thousands of text objects, and wrapping each in Python would cost more than the text itself."""
    boxes: list[tuple[float, float, float, float]] = []
    images: list[tuple[float, ...]] = []
    values = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in values]
    path, image, form = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM
    get_type, get_bounds = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDFPageObj_GetBounds

    def walk(objects: list[object], depth: int) -> None:
        for obj in objects:
            kind = get_type(obj)
            if kind == path:
                if len(boxes) > MAX_PATHS:
                    return
                get_bounds(obj, *refs)
                left, bottom, right, top = (v.value for v in values)
                boxes.extend(_path_boxes(obj, (left, bottom, right, top)))
            elif kind == image:
                get_bounds(obj, *refs)
                images.append(tuple(v.value for v in values))
            elif kind == form and depth < 2:
                count = pdfium_c.FPDFFormObj_CountObjects(obj)
                walk([pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(count)], depth + 1)

    raw = page.raw
    walk([pdfium_c.FPDFPage_GetObject(raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(raw))], 0)
    return boxes, images


def _path_boxes(raw: object, bounds: tuple[float, float, float, float]) -> list[tuple[float, float, float, float]]:
    left, bottom, right, top = bounds
    count = pdfium_c.FPDFPath_CountSegments(raw)
    if count <= 5 or (right - left) <= 2.5 or (top - bottom) <= 2.5:
        return [(left, bottom, right, top)]  # one line or one rectangle
    if count > 2_000:
        return []
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(raw, matrix):
        return [(left, bottom, right, top)]
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[int, float, float, bool]] = []
    for i in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        px = matrix.a * x.value + matrix.c * y.value + matrix.e
        py = matrix.b * x.value + matrix.d * y.value + matrix.f
        points.append(
            (pdfium_c.FPDFPathSegment_GetType(segment), px, py, bool(pdfium_c.FPDFPathSegment_GetClose(segment)))
        )
    out: list[tuple[float, float, float, float]] = []
    start: tuple[float, float] | None = None
    previous: tuple[float, float] | None = None
    for kind, px, py, close in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = previous = (px, py)
            continue
        if previous is not None and kind == pdfium_c.FPDF_SEGMENT_LINETO:
            out.append(_box(previous, (px, py)))
        previous = (px, py)
        if close and start is not None:
            out.append(_box(previous, start))
            previous = start
    return [b for b in out if (b[2] - b[0]) <= 2.5 or (b[3] - b[1]) <= 2.5]  # straight, axis-parallel


def _box(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float, float, float]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
