"""Indicator rows out of a 绩效自评表 whose cells were run together (PDF/OCR text without separators).

The input is the indicator part of the table, already normalised (NFKC, simplified characters), for
example ``产出指标(40分)数量指标指标1免费发放原原种8550万粒550万粒8…``. Level-1/level-2 names and
``指标N`` row labels are found by vocabulary; the text between them holds one or more rows whose cells
(level-3 name, 分值, 指标值, 实际值, 得分, 原因) are recovered by scoring every reading that fits the column
order and keeping the most plausible one. Where the text admits no confident reading a field is left
``None``: a wrong number is worse than none.

Tables in other layouts (指标值 | 分值 | 实际值 | 得分, no 分值 column: 部门整体 and OCR tables) have rows of
figures only; their run of figures is cut only where exactly one cut fits the row's arithmetic, and a run
that fits none or several is left unread with a Chinese note (:func:`read_glued_indicators`).
:func:`locate_glued_table` finds such a table by its glued header when it does not start with 一级指标.

General rules instead of one document's wording: a level name printed twice is one name (a category
heading such as 数量指标 is a repeat; a topic such as 财务管理 opens the level-3 name); a name listed at both
levels is level 1 only when a level-2 name follows. The words (units, empty-cell marks, column names, OCR
slips of digits, ≥ and %) are data: ``glued.yaml``, ``comparators.yaml``, ``ocr.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache, partial

from .levels import level1, level2
from .vocabulary import Vocabulary, VocabularyError, mapping, pattern

__all__ = ["GluedReading", "GluedRow", "locate_glued_table", "parse_glued_indicators", "read_glued_indicators"]


@dataclass(frozen=True, slots=True)
class GluedRow:
    """One indicator row. Names keep the document's spelling (OCR slips included) minus "(N分)";
    ``start``/``end`` are the row's span in the parser input."""

    level1: str | None
    level2: str | None
    level3: str | None
    target: str | None
    actual: str | None
    points: Decimal | None
    score: Decimal | None
    reason: str | None
    start: int
    end: int


# --- vocabulary -------------------------------------------------------------------------------------

_POINTS_SUFFIX = r"(?:\((?P<{name}>\d+(?:\.\d+)?)分\))?"
# A level name ending in this word is a category heading (数量指标), never the start of a level-3 name.
_CATEGORY_WORD = "指标"


@dataclass(frozen=True, eq=False, slots=True)
class _Words:
    """The vocabulary of glued tables (``glued.yaml``, ``comparators.yaml``, ``ocr.yaml``), built once per
    vocabulary. Compared by identity, so it can key the caches of the cell tests."""

    comparators: frozenset[str]  # characters of the comparator spellings (≥ ≤ = > < and their variants)
    openers: frozenset[str]  # characters a printed value may start with besides a digit
    units: frozenset[str]
    not_units: tuple[str, ...]
    empty: frozenset[str]
    numeral_followers: frozenset[str]
    yes_no: frozenset[str]
    result_words: tuple[str, ...]  # longest first
    value_re: re.Pattern[str]  # one printed value: an optional comparator (or its OCR), a number, a unit
    value_end_re: re.Pattern[str]
    unit_after_number_re: re.Pattern[str]
    ocr_score_re: re.Pattern[str]  # a score cell with digits read as letters ("IO")
    label: str  # "指标1:", "指标L" (OCR of 1): row labels, not names
    shared_label_re: re.Pattern[str]
    column_re: re.Pattern[str]
    header_start_re: re.Pattern[str]


def _char_class(chars: Iterable[str]) -> str:
    """The characters as the inside of a regex character class."""
    return "".join(re.escape(ch) for ch in sorted(set("".join(chars))))


@pattern
def _words(v: Vocabulary) -> _Words:
    comparators = frozenset("".join(v.mapping("comparators", "spellings")))
    ocr_ge = frozenset("".join(v.words("comparators", "ocr_greater_equal")))
    yes_no = frozenset("".join(v.words("glued", "yes_no")))
    openers = comparators | ocr_ge | frozenset("".join(v.words("glued", "value_openers")))
    percent = "|".join(re.escape(p) for p in ("%", "‰", *v.words("ocr", "percent_signs")))
    units = frozenset(v.words("glued", "unit_characters")) | frozenset("".join(v.words("ocr", "percent_signs")))
    slips = v.alternation("ocr", "fragments_comparator_slips", escape=False)
    digits = v.mapping("ocr", "digits")
    letters = _char_class(digits)
    ones = _char_class(k for k, d in digits.items() if d != "0")
    columns = "|".join(
        f"(?P<{kind}>{v.alternation('glued', 'fragments_column_' + kind, escape=False)})"
        for kind in ("points", "target", "actual", "score", "reason", "other")
    )
    return _Words(
        comparators=comparators,
        openers=openers | yes_no,
        units=units,
        not_units=v.words("glued", "words_not_units"),
        empty=frozenset(v.words("glued", "empty_marks")),
        numeral_followers=frozenset(v.words("glued", "numeral_followers")),
        yes_no=yes_no,
        result_words=tuple(sorted(v.words("glued", "result_words"), key=len, reverse=True)),
        value_re=re.compile(
            rf"(?:[{_char_class(openers)}]|{slips})?\d+(?:\.\d+)?(?:{percent}|万元|万|元|[^\d\s\W]{{1,3}})?"
            rf"|[{_char_class(yes_no)}]"
        ),
        value_end_re=re.compile(rf"\d(?:{percent}|万元|元)$"),
        unit_after_number_re=re.compile(rf"(\d)[{_char_class(units)}]"),
        ocr_score_re=re.compile(
            rf"(?<![A-Za-z0-9.])(?=[0-9{letters}]{{0,2}}[{letters}])[0-9{letters}]{{1,3}}(?![A-Za-z0-9.])"
        ),
        # One digit: "指标12021年…" is 指标1 + 2021年.
        label=rf"指标\s*[1-9{ones}]\s*:?",
        shared_label_re=re.compile(rf"\s*[1-9{ones}]\s*:?(?=\D)"),
        column_re=re.compile(rf"\s*(?:\([^)]{{0,4}}\))?\s*(?:{columns})(?:\s*\([^)]{{0,4}}\))?"),
        header_start_re=re.compile(v.alternation("glued", "fragments_header_start", escape=False)),
    )


@pattern
def _anchor_re(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<l1>{level1()}){_POINTS_SUFFIX.format(name='p1')}"
        rf"|(?P<l2>{level2()}){_POINTS_SUFFIX.format(name='p2')}"
        rf"|(?P<label>{_words().label})"
    )


@pattern
def _level1_follower_re(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"\s*(?:{level2()})")


@pattern
def _level2_name_re(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"(?:{level2()})")


# Page-break markers left inside words by PDF extraction: "社会效益\n3、指标".
_PAGE_MARK_RE = re.compile(r"\n\s*\d{1,2}、")
_POINTS_NOTE_RE = re.compile(r"\(\d+(?:\.\d+)?分\)")
_POINTS_IN_NAME_RE = re.compile(r"\(\d+(?:\.\d+)?分\)\s*$")

_STANDARD_ORDER = ("target", "actual", "points", "score")
_POINTS_FIRST_ORDER = ("points", "target", "actual", "score")
_HEADER_GAP = 12  # an unknown column name is at most this long

# --- cell shapes ------------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"(?<!\d)(?<!\d\.)\d+(?:\.\d+)?")
# A number followed by a short unit we do not know by name ("10公顷").
_NUMBER_END_RE = re.compile(r"\d[^\d\s\W]{1,3}$")
_DIGIT_RE = re.compile(r"\d")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_BARE_NUMBER_RE = re.compile(r"(?<!\d)(?<!\d\.)\d+(?:\.\d+)?(?=[\u4e00-\u9fff])")

# Longest name or value text considered, and longest single printed value: they keep the search
# near linear on long text that is not a table.
_MAX_CELL = 80
_MAX_VALUE = 16
_MAX_NUMBERS = 8  # numbers a name (or a values text) may hold
_ROW_BASE = 5
_MAX_POINTS = Decimal(100)
_TYPICAL_POINTS = Decimal(30)


@dataclass(frozen=True, slots=True)
class GluedReading:
    """The rows read, and Chinese notes on figures that could not be placed (their rows are left out)."""

    rows: list[GluedRow]
    notes: list[str]


def parse_glued_indicators(text: str) -> list[GluedRow]:
    """Rows of a glued indicator section. Spans (``start``/``end``) index ``text`` itself."""
    return read_glued_indicators(text).rows


def read_glued_indicators(text: str) -> GluedReading:
    """Rows of a glued indicator section, with notes on what could not be placed.

    The header decides how a row is cut: 分值 before the values, or after them (both read by plausibility
    of names and values); values only (an unscored table); or any other order of figure cells (指标值 |
    分值 | 实际值 | 得分, or no 分值 column), whose glued run of figures is cut only where exactly one cut fits
    the arithmetic of a row (得分 ≤ 分值, 得分 = 分值 × 完成比例)."""
    clean, origin = _strip_page_marks(text)
    header = _read_header(clean)
    order = header.order
    rows: list[GluedRow] = []
    notes: list[str] = []
    for segment in _segments(clean, header.end):
        if "points" not in order and "score" not in order:
            found = _parse_segment(segment.text, points_first=False, scored=False)
        elif order == _STANDARD_ORDER or order == _POINTS_FIRST_ORDER:
            found = _parse_segment(segment.text, points_first=order == _POINTS_FIRST_ORDER, scored=True)
        else:
            found = _run_rows(segment.text, header, notes)
        rows.extend(_to_row(cells, segment, origin) for cells in found)
    total = sum((r.points for r in rows if r.points is not None), Decimal(0))
    if total > _MAX_POINTS:
        # The rows' 分值 and 预算执行率's add up to 100: more means figures were cut or placed wrongly.
        notes.append(f"粘连的指标行分值合计 {total:f} 分，超过 100 分，数字的拆分不可靠，指标行未读取")
        return GluedReading([], notes)
    return GluedReading(rows, notes)


# --- text preparation -------------------------------------------------------------------------------


def _strip_page_marks(text: str) -> tuple[str, list[int]]:
    """Text without page-break markers, and for each kept character its index in ``text``."""
    kept: list[str] = []
    origin: list[int] = []
    pos = 0
    for mark in _PAGE_MARK_RE.finditer(text):
        kept.append(text[pos : mark.start()])
        origin.extend(range(pos, mark.start()))
        pos = mark.end()
    kept.append(text[pos:])
    origin.extend(range(pos, len(text)))
    origin.append(len(text))
    return "".join(kept), origin


@dataclass(frozen=True, slots=True)
class _Header:
    order: tuple[str, ...]  # the figure columns (target/actual/points/score) in the document's order
    end: int  # where the rows begin
    unit_column: bool = False  # a 计量单位/指标性质 column stands before the values
    reason_column: bool = False


def _read_header(text: str) -> _Header:
    """Column order (points/target/actual/score) and where the rows begin."""
    w = _words()
    head = w.header_start_re.search(text)
    if head is None:
        return _Header(_STANDARD_ORDER, 0)
    kinds: list[str] = []
    pos = head.end()
    while (col := w.column_re.match(text, pos)) is not None:
        kind = col.lastgroup
        if kind and kind not in kinds:
            kinds.append(kind)
        pos = col.end()
    order = tuple(k for k in kinds if k in _STANDARD_ORDER)
    unknown = len(order) < len(_STANDARD_ORDER)
    if unknown and any(c.lastgroup in _STANDARD_ORDER for c in w.column_re.finditer(text, pos, pos + _HEADER_GAP)):
        # A column name we do not know stopped the reading ("指标分值"): the order is not known.
        return _Header(_STANDARD_ORDER, pos)
    # 指标值 and 实际值 are in every layout; 分值 may be missing (only 得分), or both (an unscored table).
    if "target" not in order or "actual" not in order or ("points" in order and "score" not in order):
        return _Header(_STANDARD_ORDER, pos)
    unit = "other" in kinds and kinds.index("other") < kinds.index("target")
    return _Header(order, pos, unit_column=unit, reason_column="reason" in kinds)


# --- anchors and segments ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Segment:
    text: str
    start: int
    level1: str | None
    level2: str | None


def _segments(text: str, start: int) -> Iterator[_Segment]:
    """Split the body at level-1/level-2 names and row labels; yield the text between them."""
    level1: str | None = None
    level2: str | None = None
    prev_end = start
    prev_kind = ""
    pos = start
    while (m := _anchor_re().search(text, pos)) is not None:
        gap = text[prev_end : m.start()]
        end = m.end()
        if m.group("l1") is not None:
            kind = "l1"
        elif m.group("l2") is not None:
            kind = "l2"
        else:
            kind = "label"
        name = m.group(kind)
        if kind == "l1" and not m.group("p1") and _level2_name_re().fullmatch(name):
            # A name listed at both levels: level 1 when a level-2 name follows, else a level-2 name.
            if not _level1_follower_re().match(text, end):
                kind = "l2"
        if kind in ("l1", "l2") and kind == prev_kind and not gap.strip() and name == (level1, level2)[kind == "l2"]:
            # A level name printed twice in a row: once in its merged cell, once more at the row. A category
            # heading (数量指标) is a repeat; a topic name (财务管理) starts the level-3 name (财务管理制度有效性).
            if name.endswith(_CATEGORY_WORD):
                prev_end = pos = end
            else:
                pos = m.start() + 1
            continue
        if gap.strip():
            yield _Segment(gap, prev_end, level1, level2)
        if kind == "l1":
            level1, level2 = name, None
        elif kind == "l2":
            level2 = name
            if name.endswith(_CATEGORY_WORD) and (shared := _words().shared_label_re.match(text, end)):
                end = shared.end()
        prev_kind = kind
        prev_end = pos = end
    tail = text[prev_end:]
    if tail.strip():
        yield _Segment(tail, prev_end, level1, level2)


# --- rows within a segment --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cells:
    name: str | None
    target: str | None
    actual: str | None
    points: Decimal | None
    score: Decimal | None
    reason: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str
    value: Decimal | None  # None for an OCR-garbled score such as "IO"


def _start(token: _Token) -> int:
    return token.start


# A reading of the text from some position on: its plausibility, its first row, and where the next
# row starts (None at the end).
_Parse = tuple[float, _Cells | None, int | None]


def _parse_segment(seg: str, *, points_first: bool, scored: bool) -> list[_Cells]:
    # "(10分)" after a name is the name's own weight, not a cell.
    weights = [m.span() for m in _POINTS_NOTE_RE.finditer(seg)]
    numbers = [
        _Token(m.start(), m.end(), m.group(), Decimal(m.group()))
        for m in _NUMBER_RE.finditer(seg)
        if not any(a <= m.start() < b for a, b in weights)
    ]
    w = _words()
    garbled = [_Token(m.start(), m.end(), m.group(), None) for m in w.ocr_score_re.finditer(seg)]
    garbled = [t for t in garbled if not t.text.isdigit()]
    scores = sorted(numbers + garbled, key=lambda t: t.start)
    row_options: Callable[[str, int, list[_Token], list[_Token]], Iterator[tuple[float, _Cells]]] = (
        _no_rows
        if not scored
        else _points_first_rows
        if points_first
        # where values may start before a number is the same for every row that reaches it: found once
        else partial(_values_first_rows, value_starts=cache(partial(_value_starts, seg)))
    )
    text_end = len(seg.rstrip())
    # where unscored rows may start their values (a number, not a decimal's fraction, or a comparator): found once
    value_positions = [
        a for a in range(1, len(seg)) if (seg[a].isdigit() and seg[a - 1] != ".") or seg[a] in w.comparators
    ]

    # Best reading of seg[i:] for every place a row can start, filled from the right (rows end after a
    # number, so every later start is known before it is needed).
    best: dict[int, _Parse | None] = {}
    for i in sorted({0} | {t.end for t in scores}, reverse=True):
        if i >= text_end:
            best[i] = (0.0, None, None)
            continue
        found: _Parse | None = None
        for quality, cells in row_options(seg, i, numbers, scores):
            tail = _finish(seg, cells, best, text_end)
            if tail is not None and (found is None or quality + tail[0] > found[0]):
                found = (quality + tail[0], tail[1], tail[2])
        unscored = _partial_row(seg, i, value_positions, scored=scored)
        if unscored is not None and (found is None or unscored[0] > found[0]):
            found = (unscored[0], unscored[1], None)
        best[i] = found
    rows: list[_Cells] = []
    step = best[0]
    while step is not None and step[1] is not None:
        rows.append(step[1])
        step = best[step[2]] if step[2] is not None else None
    return rows


def _no_rows(seg: str, i: int, numbers: list[_Token], scores: list[_Token]) -> Iterator[tuple[float, _Cells]]:
    """An unscored table has no 分值/得分 to end a row on."""
    return iter(())


def _finish(seg: str, cells: _Cells, best: dict[int, _Parse | None], text_end: int) -> _Parse | None:
    """The rest of the segment after one row: more rows, or this row's reason text."""
    if cells.end >= text_end:
        return 0.0, cells, None
    options: list[_Parse] = []
    if not _DIGIT_RE.search(seg, cells.end):
        reason = seg[cells.end :].strip()
        options.append(
            (
                0.0,
                _Cells(
                    cells.name, cells.target, cells.actual, cells.points, cells.score, reason, cells.start, text_end
                ),
                None,
            )
        )
    following = best.get(cells.end)
    if following is not None and following[1] is not None:
        options.append((following[0], cells, cells.end))
    return max(options, key=lambda o: o[0]) if options else None


def _points_first_rows(seg: str, i: int, numbers: list[_Token], scores: list[_Token]) -> Iterator[tuple[float, _Cells]]:
    """Readings name | 分值 | values | 得分 that start at ``i``."""
    first = bisect_right(numbers, i, key=_start)
    for tok in numbers[first : first + _MAX_NUMBERS]:
        if tok.start - i > _MAX_CELL:
            break
        name_q = _name_quality(seg[i : tok.start], _after_digit(seg, i), _words())
        if name_q is None:
            continue
        for points, values_start in _leading_points(tok):
            after = bisect_right(scores, values_start, key=_start)
            for sc in scores[after : after + _MAX_NUMBERS]:
                if sc.start - values_start > _MAX_CELL:
                    break
                if sc.value is not None and (points is None or sc.value > points):
                    continue
                if _unit_at(seg, sc.end):
                    continue
                split = _split_values(seg[values_start : sc.start], _words())
                if split is None:
                    continue
                target, actual, values_q = split
                quality = _ROW_BASE + name_q + values_q + _points_quality(points)
                if values_start == tok.end:
                    quality += 1
                yield (
                    quality,
                    _Cells(_clean_name(seg[i : tok.start]), target, actual, points, sc.value, None, i, sc.end),
                )


def _values_first_rows(
    seg: str,
    i: int,
    numbers: list[_Token],
    scores: list[_Token],
    *,
    value_starts: Callable[[int], tuple[int, ...]],
) -> Iterator[tuple[float, _Cells]]:
    """Readings name | values | 分值 得分 that start at ``i`` (the standard 财预〔2020〕10号 layout)."""
    first = bisect_right(numbers, i + 1, key=_start)
    after_digit = _after_digit(seg, i)
    w = _words()
    for tok in numbers[first : first + 2 * _MAX_NUMBERS]:
        if seg[tok.start - 1].isdigit():
            continue
        if tok.start - i > 2 * _MAX_CELL:
            break
        if _unit_at(seg, tok.end):
            continue
        points, score = _split_points_score(tok.text)
        readings: list[tuple[float, int, tuple[str | None, str | None]]] = []
        for a in value_starts(tok.start):
            if a <= i:
                continue
            name_q = _name_quality(seg[i:a], after_digit, w)
            split = _split_values(seg[a : tok.start], w)
            if name_q is None or split is None:
                continue
            readings.append((name_q + split[2], a, split[:2]))
        if not readings:
            # Cells we cannot tell apart (two different texts): keep the numbers, not a guessed name.
            yield _ROW_BASE - 3 + _points_quality(points), _Cells(None, None, None, points, score, None, i, tok.end)
            continue
        top = max(r[0] for r in readings)
        tops = [r for r in readings if r[0] == top]
        quality = _ROW_BASE + top + (_points_quality(points) if points is not None else -2)
        if len(tops) > 1:
            yield quality - 3, _Cells(None, None, None, points, score, None, i, tok.end)
            continue
        _, a, (target, actual) = tops[0]
        yield quality, _Cells(_clean_name(seg[i:a]), target, actual, points, score, None, i, tok.end)


def _partial_row(seg: str, i: int, value_positions: list[int], *, scored: bool) -> tuple[float, _Cells] | None:
    """A row without 分值/得分 (unscored, or cut off): name, then values that start with a number (the first of
    ``value_positions`` after ``i``)."""
    k = bisect_right(value_positions, i)
    if k == len(value_positions):
        return None
    a = value_positions[k]
    if len(seg) - a > _MAX_CELL or a - i > 2 * _MAX_CELL:
        return None
    w = _words()
    name_q = _name_quality(seg[i:a], _after_digit(seg, i), w)
    split = _split_values(seg[a:], w)
    if name_q is None or split is None:
        return None
    target, actual, _ = split
    if target is None and actual is None and seg[a] not in w.comparators:
        # Values that cannot be told apart: unless a comparator opens them, where the name ends is not known
        # either ("…销售量同比2022年…").
        return None
    if (scored or target is None) and seg[a:].rstrip()[-1].isdigit():
        # The number may end with a glued 分值/得分 (or be two figures run together); only the name is certain.
        target = actual = None
    return 1.0, _Cells(_clean_name(seg[i:a]), target, actual, None, None, None, i, len(seg.rstrip()))


def _value_starts(seg: str, end: int) -> tuple[int, ...]:
    """Where the values before ``end`` may start (at most :data:`_MAX_CELL` before it)."""
    w = _words()
    starts = []
    for a in range(max(1, end - _MAX_CELL), end):
        ch = seg[a]
        prev = seg[a - 1]
        if (ch.isdigit() and not prev.isdigit() and prev != ".") or ch in w.comparators or ch in w.yes_no:
            starts.append(a)
        elif ch in w.empty:
            starts.append(a)
        elif (end - a) % 2 == 0 and seg[a : (a + end) // 2] == seg[(a + end) // 2 : end]:
            starts.append(a)
    return tuple(starts)


def _leading_points(tok: _Token) -> Iterator[tuple[Decimal | None, int]]:
    """分值 read from the front of a number run: "8550万粒" may be 8 | 550万粒."""
    digits = tok.text.split(".")[0]
    for length in range(1, min(3, len(digits)) + 1):
        head = digits[:length]
        if head.startswith("0"):
            continue
        if length == len(digits) and "." in tok.text:
            yield Decimal(tok.text), tok.end
        yield Decimal(head), tok.start + length


def _split_points_score(run: str) -> tuple[Decimal | None, Decimal | None]:
    """分值 and 得分 glued into one run ("1010"); both None unless exactly one split is plausible."""
    found: list[tuple[Decimal, Decimal]] = []
    # 分值 is at most _TYPICAL_POINTS (two digits): longer heads cannot be it, and trying them all is quadratic
    for k in range(1, min(len(run), len(str(_TYPICAL_POINTS)) + 1)):
        head, tail = run[:k], run[k:]
        if "." in head or head.startswith("0") or tail.startswith("."):
            continue
        if tail.startswith("0") and tail != "0" and not tail.startswith("0."):
            continue
        points, score = Decimal(head), Decimal(tail)
        if 0 < points <= _TYPICAL_POINTS and score <= points:
            found.append((points, score))
    if len(found) == 1:
        return found[0]
    return None, None


# --- cell plausibility ------------------------------------------------------------------------------


def _points_quality(points: Decimal | None) -> float:
    if points is None or points <= 0 or points > _MAX_POINTS:
        return -100.0
    if points > 2 * _TYPICAL_POINTS:
        return -12.0
    if points > _TYPICAL_POINTS:
        return -6.0
    return 0.0


def _unit_at(text: str, pos: int) -> bool:
    """Whether ``text[pos]`` would be the unit of a number ending just before it."""
    w = _words()
    return pos < len(text) and text[pos] in w.units and not text.startswith(w.not_units, pos)


def _after_digit(seg: str, i: int) -> bool:
    return i > 0 and seg[i - 1].isdigit()


@lru_cache(maxsize=4096)
def _name_quality(name: str, after_digit: bool, w: _Words) -> float | None:
    stripped = name.strip()
    if not stripped or not _CJK_RE.search(stripped):
        return None
    if stripped[-1] in w.comparators or stripped.count("(") > stripped.count(")"):
        return None
    # "2人次…" after a score: "人" would be torn from its number.
    if after_digit and _unit_at(name, 0):
        return None
    # A bare number glued to a word ("合格率8采购") is a cell boundary, not part of a name; so, more
    # weakly, is a name that ends in a value ("完成率1090%" before 分值 9).
    quality = -3.0 * len(_BARE_NUMBER_RE.findall(_without_units(stripped, w)))
    if w.value_end_re.search(stripped):
        quality -= 5.0
    if any(ch in w.comparators for ch in stripped):
        quality -= 4.0
    return quality


def _without_units(text: str, w: _Words) -> str:
    return w.unit_after_number_re.sub(r"\1", text)


@lru_cache(maxsize=4096)
def _split_values(values: str, w: _Words) -> tuple[str | None, str | None, float] | None:
    """指标值 and 实际值 out of their glued text, with a plausibility bonus; None if it cannot be values."""
    v = values.strip()
    if not v or all(ch in w.comparators for ch in v):
        return None
    if v[0] in w.units or v[0] == "." or (v[0] == "0" and v[1:2].isdigit()):
        return None
    penalty = -3.0 * len(_BARE_NUMBER_RE.findall(_without_units(v, w)))
    parts = v.split()
    if len(parts) == 2:
        return parts[0], parts[1], 4.0 + penalty
    half = len(v) // 2
    if len(v) % 2 == 0 and v[:half] == v[half:]:
        return v[:half], v[half:], 6.0
    if v[0] in w.empty and len(v) > 1 and v[1] not in w.numeral_followers:
        rest = v[1:].strip()
        if rest[0] in w.units:
            return None
        return v[0], rest, 3.0 + penalty
    if v[0] in w.yes_no and len(v) > 1 and v[1] not in w.yes_no:
        return v[0], v[1:], 2.0 + penalty
    cuts = _value_cuts(v, w)
    if cuts:
        same = [p for p in cuts if _same_number(v[:p], v[p:])]
        cut = same[0] if len(same) == 1 else cuts[0] if len(cuts) == 1 else None
        # "90%95%80%": which two of three values are the cells is a guess.
        if cut is not None and not any(any(ch.isdigit() for ch in v[:q]) for q in _value_cuts(v[:cut], w)):
            return v[:cut], v[cut:], (5.0 if same else 2.0) + penalty
        return None, None, -2.0 + penalty
    for word in w.result_words:
        # "12月已完成": a printed value, then a result written out in words.
        if v.endswith(word) and w.value_re.fullmatch(head := v[: -len(word)]) and _DIGIT_RE.search(head):
            return head, word, 2.0 + penalty
    if w.value_re.fullmatch(v) or not any(ch.isdigit() for ch in v):
        return None, v, penalty
    return None, None, -2.0 + penalty


def _value_cuts(v: str, w: _Words) -> list[int]:
    """Positions after a unit where the rest of ``v`` is one printed value."""
    return [
        p
        for p in range(max(1, len(v) - _MAX_VALUE), len(v))
        if (v[p].isdigit() or v[p] in w.openers)
        and not v[p - 1].isdigit()
        and v[p - 1] not in "._"
        and v[p - 1] not in w.comparators
        and (v[p - 1] in w.units or _NUMBER_END_RE.search(v[:p]))
        and w.value_re.fullmatch(v[p:])
    ]


def _same_number(left: str, right: str) -> bool:
    a = _NUMBER_RE.findall(left)
    b = _NUMBER_RE.findall(right)
    if not a or not b:
        return False
    try:
        return Decimal(a[-1]) == Decimal(b[-1])
    except InvalidOperation:
        return False


def _clean_name(name: str) -> str:
    return _POINTS_IN_NAME_RE.sub("", name.replace("\n", "").strip()).strip()


def _to_row(cells: _Cells, segment: _Segment, origin: list[int]) -> GluedRow:
    body = segment.text[cells.start : cells.end]
    start = origin[segment.start + cells.start + len(body) - len(body.lstrip())]
    end = origin[segment.start + cells.end - 1] + 1
    return GluedRow(
        level1=segment.level1,
        level2=segment.level2,
        level3=cells.name or None,
        target=cells.target,
        actual=cells.actual,
        points=cells.points,
        score=cells.score,
        reason=cells.reason,
        start=start,
        end=end,
    )


# --- rows whose cells are all figures, cut by arithmetic --------------------------------------------

# A name (the text since the last figures), then the row's figures run together ("完成率%901010010"). A figure run
# longer than _MAX_RUN is not a row of cells: it is left alone (this also keeps the search small).
_FIGURES_RE = re.compile(r"\d[\d.%]*")
# A reason (说明) cell is a sentence; a name is not. Text with these marks before a row's figures may hold the
# reason of the row above.
_SENTENCE_MARKS = frozenset(",，;；。:：")
_MAX_NAME = 30
_MAX_RUN = 24
_PIECE_RE = {
    "target": re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?%?"),
    "actual": re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?%?"),
    "points": re.compile(r"[1-9]\d?(?:\.\d)?|0\.\d"),
    "score": re.compile(r"(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?"),
}
_PERCENT_LIMIT = Decimal(1000)  # a percentage cell above 1000% is a misreading of two cells
_SCORE_SLACK = Decimal("0.01")


def _run_rows(seg: str, header: _Header, notes: list[str]) -> list[_Cells]:
    """Rows name | figures in ``header.order``; a row is kept only when its figures cut exactly one way."""
    w = _words()
    rows: list[_Cells] = []
    doubtful_name = False  # the text before this row's figures may end with the last row's reason
    after_row = False
    # "(10分)" in a name is its weight, not a figure cell: hidden from the search, dropped from the name.
    masked = _POINTS_NOTE_RE.sub(lambda n: "_" * len(n.group()), seg)
    name_start = 0
    for m in _FIGURES_RE.finditer(masked):
        raw_name, figures = seg[name_start : m.start()], m.group()
        name = _POINTS_NOTE_RE.sub("", raw_name)
        comparator = ""
        name = name.rstrip()
        while name and name[-1] in w.comparators:
            comparator, name = name[-1] + comparator, name[:-1]
        nature = next((word for word in _nature_words() if name.endswith(word)), "") if header.unit_column else ""
        name = name[: len(name) - len(nature)]
        unit: str | None = ""
        if name.endswith("%"):
            unit, name = "%", name[:-1]
        elif header.unit_column:
            unit = _trailing_unit(name, w)
            name = name[: len(name) - len(unit)] if unit is not None else ""
        label = _clean_name(name)
        was_doubtful, doubtful_name = doubtful_name, header.reason_column
        # A 得分 takes no unit, so a unit character after a row's figures opens the next name ("天保工程…");
        # after figures that belong to no name it may be their unit ("12" "月底前完成").
        after_digit = name_start > 0 and seg[name_start - 1].isdigit() and not after_row
        after_row = bool(raw_name.strip())
        row_start, name_start = name_start + len(raw_name) - len(raw_name.lstrip()), m.end()
        if unit is None or len(figures) > _MAX_RUN or len(_CJK_RE.findall(label)) < 2:
            continue  # no name (a lone character is a wrapped remnant), or no row of cells
        if _name_quality(label, after_digit, w) is None:
            continue
        direction = _direction(comparator or mapping("glued", "nature_words").get(nature, ""))
        cuts = _figure_cuts(figures, header.order, percent=unit == "%", direction=direction)
        sentence = len(label) > _MAX_NAME or any(ch in _SENTENCE_MARKS for ch in label)
        if len(cuts) != 1:
            if not sentence:
                notes.append(f"“{label}”一行的数字“{figures}”没有唯一一种符合列序和分值、得分算术的拆法，该行未读取")
            continue
        (cells,) = cuts
        points, score = cells.get("points"), cells.get("score")
        if was_doubtful and sentence:
            notes.append(f"“{label}”一行前的文字可能连着上一行的说明，名称不能确定，该行未读取")
            continue
        doubtful_name = header.reason_column and (points is None or score != points)
        target = comparator + str(cells["target"]) if "target" in cells else None
        rows.append(
            _Cells(
                label,
                target,
                str(cells["actual"]) if "actual" in cells else None,
                points if isinstance(points, Decimal) else None,
                score if isinstance(score, Decimal) else None,
                None,
                row_start,
                m.end(),
            )
        )
    return rows


def _trailing_unit(name: str, w: _Words) -> str | None:
    """The 计量单位 cell glued to the end of the name: the longest unit of ``indicator_columns.yaml``
    ``indicator_units`` that ends it ("管护面积万亩"), else none (an empty unit cell); None when the name ends
    in more unit characters than a known unit takes ("…人次个人"), so that where the name ends is unsure."""
    stripped = name.rstrip()
    unit = next((u for u in _indicator_units() if stripped.endswith(u) and len(stripped) > len(u)), "")
    k = len(stripped) - len(unit)
    run = 0
    while k - run > 0 and stripped[k - run - 1] in w.units:
        run += 1
    return None if run > 2 else unit


@pattern
def _nature_words(v: Vocabulary) -> tuple[str, ...]:
    return tuple(sorted(v.mapping("glued", "nature_words"), key=len, reverse=True))


@pattern
def _indicator_units(v: Vocabulary) -> tuple[str, ...]:
    try:
        units = v.words("indicator_columns", "indicator_units")
    except VocabularyError:
        units = ()
    return tuple(sorted(units, key=len, reverse=True))


def _direction(comparator: str) -> int:
    """+1 when the target is a floor (≥, >: more is better), -1 when it is a ceiling (≤, <), 0 when unknown."""
    standard = mapping("comparators", "spellings").get(comparator, "")
    return 1 if standard in ("≥", ">") else -1 if standard in ("≤", "<") else 0


def _figure_cuts(
    figures: str, order: tuple[str, ...], *, percent: bool, direction: int = 0
) -> list[dict[str, Decimal | str]]:
    """Every cut of ``figures`` into ``order`` that fits a row: numbers well formed for their column,
    0 < 分值 < 100, 得分 ≤ 分值, percentages ≤ 1000% and printed alike in 指标值 and 实际值, and 得分 equal to
    分值 × 完成比例 (实际值 ÷ 指标值, or 指标值 ÷ 实际值 for a 越低越好 indicator, at most 1)."""
    found: list[dict[str, Decimal | str]] = []

    def walk(pos: int, k: int, cells: dict[str, Decimal | str]) -> None:
        if k == len(order):
            if pos == len(figures) and _fits(cells, percent=percent, direction=direction):
                found.append(dict(cells))
            return
        kind = order[k]
        for end in range(pos + 1, len(figures) + 1):
            piece = figures[pos:end]
            if not _PIECE_RE[kind].fullmatch(piece):
                continue
            if end < len(figures) and figures[end] in ".%":
                continue
            cells[kind] = piece if kind in ("target", "actual") else Decimal(piece)
            walk(end, k + 1, cells)
            del cells[kind]

    walk(0, 0, {})
    return found


def _fits(cells: dict[str, Decimal | str], *, percent: bool, direction: int) -> bool:
    values = [str(cells[k]) for k in ("target", "actual") if k in cells]
    if len({v.endswith("%") for v in values}) > 1:
        return False
    numbers = [Decimal(v.rstrip("%")) for v in values]
    # Printed alike: to the same decimals, or trimmed ("0.4" beside "0.1"); "0.410" beside "1" is a misreading.
    if len({_decimals(n) for n in numbers}) > 1 and any(_decimals(n) and str(n).endswith("0") for n in numbers):
        return False
    if (percent or any(v.endswith("%") for v in values)) and any(n > _PERCENT_LIMIT for n in numbers):
        return False
    points = cells.get("points")
    score = cells.get("score")
    if not isinstance(score, Decimal) or not isinstance(points, Decimal):
        return isinstance(score, Decimal) and score <= _MAX_POINTS
    if not 0 < points < _MAX_POINTS or score > points:
        return False
    if len(numbers) < 2:
        return True
    target, actual = numbers
    higher = Decimal(1) if target == 0 else min(actual / target, Decimal(1))
    lower = Decimal(1) if actual == 0 else min(target / actual, Decimal(1))
    rates = (higher,) if direction > 0 else (lower,) if direction < 0 else (higher, lower)
    return any(_printed_as(score, points * rate) for rate in rates)


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _printed_as(printed: Decimal, exact: Decimal) -> bool:
    """Whether ``printed`` is ``exact`` rounded or truncated to the decimals it shows (or within 0.01)."""
    unit = Decimal(1).scaleb(-_decimals(printed))
    difference = exact - printed
    return abs(difference) <= max(unit / 2, _SCORE_SLACK) or 0 <= difference < unit


# --- finding a glued table whose header does not start with 一级指标 ---------------------------------

_MIN_HEADER_COLUMNS = 3  # a header names at least 指标值, 实际值 and 得分
_FOUR_LEVELS_RE = re.compile(r"四级\s*指标")


@pattern
def _table_end_re(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(v.alternation("indicator_columns", "table_end"))


def locate_glued_table(text: str) -> tuple[int, int] | None:
    """Where an indicator table whose cells ran together lies in ``text``: from a header that names its
    columns (``glued.yaml`` ``fragments_header_start`` followed by at least three column names, e.g. 指标名称
    计量单位 … 指标得分 in a 部门整体自评表), its column names run together, to the table's end word (总分,
    合计…). None when there is no such header, or when the region has cell borders (then it is not glued)."""
    w = _words()
    for head in w.header_start_re.finditer(text):
        pos, columns = head.end(), 0
        while (col := w.column_re.match(text, pos)) is not None:
            columns += col.lastgroup in _STANDARD_ORDER
            pos = col.end()
        if columns < _MIN_HEADER_COLUMNS or any(ch.isspace() for ch in text[head.start() : pos].strip()):
            continue  # not a header, or one whose cells are apart (then the table is read by its cells)
        if _FOUR_LEVELS_RE.search(text, max(0, head.start() - _HEADER_GAP), pos):
            return None  # a four-level table: its rows are not read
        end_m = _table_end_re().search(text, pos)
        end = end_m.start() if end_m else len(text)
        if "|" in text[head.start() : end]:
            return None
        return head.start(), end
    return None
