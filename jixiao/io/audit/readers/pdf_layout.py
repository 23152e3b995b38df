"""The layout of one PDF page from positions alone: text lines by baseline, tables from ruling lines, and the
cells of a table drawn without rules by the wide gaps between its words.

Input is what PDFium gives quickly (:mod:`.pdfium_page`): text segments with their boxes, and the thin
lines and rectangles drawn on the page. Output is the page's prose lines and its tables, top to bottom.
Coordinates are PDF points with y growing upwards; a box is ``(left, bottom, right, top)``.

A table is a set of ruling lines that cross each other. Its rows are the distinct heights of its
horizontal rules, its columns the distinct positions of its vertical rules; two neighbouring grid cells
are one merged cell where no rule separates them. Text is placed in the cell that holds the centre of its
box. Where that cannot be done (a segment straddles a rule, rules that do not meet), the page is
reported as not placed, and the caller reads it another way.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

#: rules closer than this (points) are one rule; a gap narrower than this between two segments is no space
SNAP = 2.0
#: a drawn rectangle thinner than this is a line
THIN = 2.5
#: what may not end a line (it moves down with the next character) and what may not open one (it moves down with
#: the character before it): line-breaking rules of Chinese and Western typesetting
OPENING = frozenset("([{（［｛【〔《〈「『“‘")
CLOSING = frozenset(")]}）］｝】〕》〉」』”’，。、；：？！,.;:?!%…·")
#: the widest gap (points) inside one word of a line before a space is written (as pdfplumber's x_tolerance)
SPACE_GAP = 3.0
#: on a page that writes its blanks, the narrowest gap (in characters) read as a blank where none is written: the
#: room Word and LibreOffice set between Chinese and Western text ("2022 年") is narrower
WORD_GAP = 0.5
#: a blank wider than this many characters parts columns, not words
COLUMN_GAP = 2


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text on one line, as PDFium segments it (a change of font or a gap starts a new one)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float
    first: float = 0.0  # width of its first unbreakable piece (a character with its punctuation, a word, a number)
    size: float = 0.0  # width of its first character

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.bottom + self.top) / 2


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line: horizontal (``at`` is its y, from ``start`` to ``end`` in x) or vertical."""

    horizontal: bool
    at: float
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Line:
    """A printed line of prose: its text, the top of its highest segment, and where it sits across the page
    (to tell a paragraph that wraps from one that ends)."""

    top: float
    text: str
    x0: float
    x1: float
    first: float
    size: float
    columns: bool = False  # words far apart, as the cells of a table drawn without rules


@dataclass(slots=True)
class Table:
    top: float
    bbox: tuple[float, float, float, float]
    cells: list[list[str]]  # rows of cells; a merged cell's text in its top-left position, the rest ""


@dataclass(slots=True)
class PageLayout:
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    placed: bool = True  # False: the tables' cells could not be placed from positions alone


def is_western(char: str) -> bool:
    """A letter, digit or sign of a word that lines break only at its ends (Latin with accents too), not a Chinese
    character or full-width form, which a line may break before."""
    return not char.isspace() and not ("\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\uffef")


def rules_from_boxes(boxes: list[tuple[float, float, float, float]]) -> list[Rule]:
    """Thin boxes are lines; a larger rectangle is its four edges (cell borders drawn as rectangles)."""
    rules: list[Rule] = []
    for left, bottom, right, top in boxes:
        width, height = right - left, top - bottom
        if width < 0.1 and height < 0.1:
            continue
        if height <= THIN and width > height:
            rules.append(Rule(True, (bottom + top) / 2, left, right))
        elif width <= THIN:
            rules.append(Rule(False, (left + right) / 2, bottom, top))
        else:
            rules += [
                Rule(True, bottom, left, right),
                Rule(True, top, left, right),
                Rule(False, left, bottom, top),
                Rule(False, right, bottom, top),
            ]
    return rules


def lay_out(segments: list[Segment], rules: list[Rule], *, typed_blanks: bool = False) -> PageLayout:
    """``typed_blanks``: the page writes its blanks as characters, so a gap without one is a blank only when wide
    (:data:`WORD_GAP`)."""
    layout = PageLayout()
    tables = [_grid(group) for group in _connected(_merge(rules))]
    tables = [t for t in tables if t is not None]
    inside: list[list[Segment]] = [[] for _ in tables]
    outside: list[Segment] = []
    for seg in segments:
        for i, grid in enumerate(tables):
            left, bottom, right, top = grid.bbox
            if left - SNAP <= seg.cx <= right + SNAP and bottom - SNAP <= seg.cy <= top + SNAP:
                inside[i].append(seg)
                break
        else:
            outside.append(seg)
    for grid, segs in zip(tables, inside, strict=True):
        table = grid.fill(segs, typed_blanks)
        if table is None:
            layout.placed = False
            return layout
        layout.tables.append(table)
    layout.lines = text_lines(outside, typed_blanks, cells=True)
    return layout


def text_lines(segments: list[Segment], typed_blanks: bool = False, *, cells: bool = False) -> list[Line]:
    """Segments grouped into lines (vertical overlap of more than half the smaller height), top to bottom,
    each line left to right with a blank where the gap is a blank's (:func:`_join`); with ``cells``, words far
    apart are the cells of a table drawn without rules."""
    rows: list[list[Segment]] = []
    tops: list[float] = []
    bottom = top = 0.0  # of the row being filled
    for seg in sorted(segments, key=lambda s: (-s.top, s.left)):
        if rows:
            overlap = min(top, seg.top) - max(bottom, seg.bottom)
            if overlap > 0.5 * min(top - bottom, seg.top - seg.bottom):
                rows[-1].append(seg)
                bottom, top = min(bottom, seg.bottom), max(top, seg.top)
                tops[-1] = top
                continue
        rows.append([seg])
        tops.append(seg.top)
        bottom, top = seg.bottom, seg.top
    lines = []
    for row, top in zip(rows, tops, strict=True):
        row.sort(key=lambda s: s.left)
        text = _join(row, typed_blanks, cells)
        if text.strip():
            size = row[0].size or (row[0].top - row[0].bottom)
            widest = max((b.left - a.right for a, b in pairwise(row)), default=0.0)
            lines.append(
                Line(top, text, row[0].left, row[-1].right, row[0].first, row[0].size, widest > COLUMN_GAP * size)
            )
    return lines


def _join(row: list[Segment], typed_blanks: bool, cells: bool = False) -> str:
    """The row's text; with ``cells``, a gap wider than :data:`COLUMN_GAP` characters parts two cells of a table
    drawn without rules, written `` | `` as the borders of a table are."""
    parts: list[str] = []
    previous: Segment | None = None
    for seg in row:
        if previous is not None:
            if seg.left < previous.right - SNAP and seg.text == previous.text:
                continue  # the same text drawn twice on itself (fake bold)
            size = seg.size or seg.top - seg.bottom
            gap = seg.left - previous.right
            if cells and gap > COLUMN_GAP * size:
                parts.append(" | ")
                previous = seg
                parts.append(seg.text)
                continue
            if (
                gap > (WORD_GAP * size if typed_blanks else SPACE_GAP)
                and not parts[-1].endswith(" ")
                and not seg.text.startswith(" ")
            ):
                parts.append(" ")
        parts.append(seg.text)
        previous = seg
    return "".join(parts).strip()


def _merge(rules: list[Rule]) -> list[Rule]:
    """Collinear rules that touch or overlap become one (tables drawn cell by cell)."""
    merged: list[Rule] = []
    for horizontal in (True, False):
        same = sorted((r for r in rules if r.horizontal is horizontal), key=lambda r: (round(r.at / SNAP), r.start))
        current: Rule | None = None
        for rule in same:
            if current is not None and abs(rule.at - current.at) <= SNAP and rule.start <= current.end + SNAP:
                current = Rule(horizontal, current.at, current.start, max(current.end, rule.end))
                continue
            if current is not None:
                merged.append(current)
            current = rule
        if current is not None:
            merged.append(current)
    return merged


def _crosses(h: Rule, v: Rule) -> bool:
    return h.start - SNAP <= v.at <= h.end + SNAP and v.start - SNAP <= h.at <= v.end + SNAP


def _connected(rules: list[Rule]) -> list[list[Rule]]:
    """Groups of rules that cross or touch each other: one group per table."""
    horizontal = [r for r in rules if r.horizontal]
    vertical = [r for r in rules if not r.horizontal]
    parent = list(range(len(rules)))
    index = {id(r): i for i, r in enumerate(rules)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for h in horizontal:
        for v in vertical:
            if _crosses(h, v):
                a, b = find(index[id(h)]), find(index[id(v)])
                if a != b:
                    parent[a] = b
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(find(i), []).append(rule)
    return [g for g in groups.values() if any(r.horizontal for r in g) and any(not r.horizontal for r in g)]


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= SNAP:
            continue
        out.append(v)
    return out


@dataclass(slots=True)
class _Grid:
    xs: list[float]  # left to right
    ys: list[float]  # top to bottom
    horizontal: list[Rule]
    vertical: list[Rule]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[-1], self.xs[-1], self.ys[0])

    def _by_position(self, rules: list[Rule], edges: list[float]) -> list[list[Rule]]:
        """The rules at each edge (rules are merged and edges are SNAP apart, so each rule is at one edge)."""
        at: list[list[Rule]] = [[] for _ in edges]
        for rule in rules:
            i = _nearest(edges, rule.at)
            if i is not None:
                at[i].append(rule)
        return at

    def fill(self, segments: list[Segment], typed_blanks: bool) -> Table | None:
        rows, cols = len(self.ys) - 1, len(self.xs) - 1
        parent = list(range(rows * cols))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def union(a: int, b: int) -> None:
            a, b = find(a), find(b)
            if a != b:
                parent[max(a, b)] = min(a, b)  # the top-left cell owns the merged one

        verticals = self._by_position(self.vertical, self.xs)
        horizontals = self._by_position(self.horizontal, self.ys)
        for r in range(rows):
            top, bottom = self.ys[r], self.ys[r + 1]
            mid_y = (top + bottom) / 2
            for c in range(cols):
                left, right = self.xs[c], self.xs[c + 1]
                if c + 1 < cols and not _covers(verticals[c + 1], mid_y):
                    union(r * cols + c, r * cols + c + 1)
                if r + 1 < rows and not _covers(horizontals[r + 1], (left + right) / 2):
                    union(r * cols + c, (r + 1) * cols + c)
        spans: dict[int, list[float]] = {}  # owner -> [left, right] of the merged cell
        for i in range(rows * cols):
            c = i % cols
            span = spans.setdefault(find(i), [self.xs[c], self.xs[c + 1]])
            span[0] = min(span[0], self.xs[c])
            span[1] = max(span[1], self.xs[c + 1])
        texts: dict[int, list[Segment]] = {}
        ups = [-y for y in self.ys]  # ascending, for bisect
        for seg in segments:
            r = _band(ups, -seg.cy)
            c = _band(self.xs, seg.cx)
            if r is None or c is None:
                return None
            key = find(r * cols + c)
            left, right = spans[key]
            slack = 3 * SNAP
            if seg.right > right + slack or seg.left < left - slack:
                return None  # reaches well past its cell's rules: not drawn inside one cell
            texts.setdefault(key, []).append(seg)
        cells = [["" for _ in range(cols)] for _ in range(rows)]
        for key, segs in texts.items():
            if len(segs) == 1:  # most cells: one run of text
                cells[key // cols][key % cols] = segs[0].text.strip()
            else:
                cells[key // cols][key % cols] = "\n".join(line.text for line in text_lines(segs, typed_blanks))
        return Table(self.ys[0], self.bbox, cells)


def _band(edges: list[float], value: float) -> int | None:
    """The band between two ascending edges that holds ``value`` (within SNAP of the outer edges)."""
    if value < edges[0] - SNAP or value > edges[-1] + SNAP:
        return None
    return min(max(bisect_right(edges, value) - 1, 0), len(edges) - 2)


def _nearest(edges: list[float], value: float) -> int | None:
    """The index of the edge within SNAP of ``value`` (edges sorted either way)."""
    for i, edge in enumerate(edges):
        if abs(edge - value) <= SNAP:
            return i
    return None


def _covers(rules: list[Rule], point: float) -> bool:
    return any(r.start - SNAP <= point <= r.end + SNAP for r in rules)


def _grid(rules: list[Rule]) -> _Grid | None:
    horizontal = [r for r in rules if r.horizontal]
    vertical = [r for r in rules if not r.horizontal]
    xs = _positions([r.at for r in vertical])
    ys = sorted(_positions([r.at for r in horizontal]), reverse=True)
    if len(xs) < 2 or len(ys) < 2:
        return None
    return _Grid(xs, ys, horizontal, vertical)
