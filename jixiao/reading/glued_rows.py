"""Indicator rows out of a 绩效自评表 whose cells were run together (PDF/OCR text without separators).

The input is the indicator part of the table, already normalised (NFKC, simplified characters), for
example ``产出指标(40分)数量指标指标1免费发放原原种8550万粒550万粒8…``. Level-1/level-2 names and
``指标N`` row labels are found by vocabulary; the text between them holds one or more rows whose cells
(level-3 name, 分值, 指标值, 实际值, 得分, 原因) are recovered by scoring every reading that fits the column
order and keeping the most plausible one. Where the text admits no confident reading a field is left
``None``: a wrong number is worse than none.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache, partial

from .levels import level1, level2
from .vocabulary import Vocabulary, pattern

__all__ = ["GluedRow", "parse_glued_indicators"]


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


# "指标1:", "指标2", "指标L" (OCR of 1); row labels, not names. One digit: "指标12021年…" is 指标1 + 2021年.
_LABEL = r"指标\s*[1-9LlI]\s*:?"


@pattern
def _anchor_re(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<l1>{level1()}){_POINTS_SUFFIX.format(name='p1')}"
        rf"|(?P<l2>{level2()}){_POINTS_SUFFIX.format(name='p2')}"
        rf"|(?P<label>{_LABEL})"
    )


# A level-2 name ending in 指标 may share that word with the row label: "生态效益指标1病害减少…".
_SHARED_LABEL_RE = re.compile(r"\s*[1-9LlI]\s*:?(?=\D)")


@pattern
def _level1_follower_re(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"\s*(?:{level2()})")


# Page-break markers left inside words by PDF extraction: "社会效益\n3、指标".
_PAGE_MARK_RE = re.compile(r"\n\s*\d{1,2}、")
_POINTS_NOTE_RE = re.compile(r"\(\d+(?:\.\d+)?分\)")
_POINTS_IN_NAME_RE = re.compile(r"\(\d+(?:\.\d+)?分\)\s*$")

# --- column header ----------------------------------------------------------------------------------

_COLUMN_WORDS: tuple[tuple[str, str], ...] = (
    ("points", r"(?:参考)?分值|考值参分|权重|标准分"),
    ("target", r"(?:年度|预期)?(?:绩效)?指标值|目标值|计划值"),
    ("actual", r"(?:全年)?实际(?:完成)?值|实际完成(?:情况)?|完成值"),
    ("score", r"(?:自评)?得分|评分"),
    ("reason", r"(?:偏差|未完成)?原因(?:分析)?(?:及改进措施)?|改进措施|备注"),
)
_COLUMN_RE = re.compile(
    r"\s*(?:\([^)]{0,4}\))?\s*(?:" + "|".join(f"(?P<{kind}>{words})" for kind, words in _COLUMN_WORDS) + r")"
    r"(?:\s*\([^)]{0,4}\))?"
)
_HEADER_START_RE = re.compile(r"一级指标\s*(?:二级指标)?\s*(?:三级指标)?")
_STANDARD_ORDER = ("target", "actual", "points", "score")

# --- cell shapes ------------------------------------------------------------------------------------

_UNIT_CHARS = frozenset(
    "年月日时天周人次个项件场所家户亩元万千亿%‰$斤吨米台套份本册张名位批期篇座条辆株头只粒袋箱公里克升倍栋间处棵部节届轮例村校班组支队"
)
# Words that open many indicator names although their first character is also a unit.
_WORDS_NOT_UNITS = ("人均", "户均", "亩均", "年度", "项目", "村级", "校园", "万元以")
_COMPARATORS = frozenset("≥≤><=≧≦")
_EMPTY_MARKS = frozenset("一-—–")
# "一级…", "一个…": a leading 一 that is a numeral, not the empty-cell mark.
_NUMERAL_FOLLOWERS = frozenset("级个次年项批种类条是")
_NUMBER_RE = re.compile(r"(?<!\d)(?<!\d\.)\d+(?:\.\d+)?")
_OCR_SCORE_RE = re.compile(r"(?<![A-Za-z0-9.])(?=[0-9IOlLo]{0,2}[IOlLo])[0-9IOlLo]{1,3}(?![A-Za-z0-9.])")
# One printed value: an optional comparator (or its OCR: 工, ^, 2=, 5=), a number, a unit.
_VALUE_RE = re.compile(
    r"(?:[≥≤><=≧≦~^约工]|\d=)?\d+(?:\.\d+)?(?:%|‰|\$|万元|万|元|[^\d\s\W]{1,3})?|[是否]",
)
_UNIT_AFTER_NUMBER_RE = re.compile(r"(\d)[" + re.escape("".join(sorted(_UNIT_CHARS))) + "]")
# A number followed by a short unit we do not know by name ("10公顷").
_NUMBER_END_RE = re.compile(r"\d[^\d\s\W]{1,3}$")
_VALUE_END_RE = re.compile(r"\d(?:%|‰|\$|万元|元)$")
_DIGIT_RE = re.compile(r"\d")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_BARE_NUMBER_RE = re.compile(r"(?<!\d)(?<!\d\.)\d+(?:\.\d+)?(?=[\u4e00-\u9fff])")

_VALUE_OPENERS = frozenset("≥≤><=≧≦~^约工是否")
# Longest name or value text considered, and longest single printed value: they keep the search
# near linear on long text that is not a table.
_MAX_CELL = 80
_MAX_VALUE = 16
_MAX_NUMBERS = 8  # numbers a name (or a values text) may hold
_ROW_BASE = 5
_MAX_POINTS = Decimal(100)
_TYPICAL_POINTS = Decimal(30)


def parse_glued_indicators(text: str) -> list[GluedRow]:
    """Rows of a glued indicator section. Spans (``start``/``end``) index ``text`` itself."""
    clean, origin = _strip_page_marks(text)
    order, body_start = _read_header(clean)
    points_first = order.index("points") < order.index("target")
    rows: list[GluedRow] = []
    for segment in _segments(clean, body_start):
        for cells in _parse_segment(segment.text, points_first):
            rows.append(_to_row(cells, segment, origin))
    return rows


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


def _read_header(text: str) -> tuple[tuple[str, ...], int]:
    """Column order (points/target/actual/score) and where the rows begin."""
    head = _HEADER_START_RE.search(text)
    if head is None:
        return _STANDARD_ORDER, 0
    kinds: list[str] = []
    pos = head.end()
    while (col := _COLUMN_RE.match(text, pos)) is not None:
        kind = col.lastgroup
        if kind and kind not in kinds:
            kinds.append(kind)
        pos = col.end()
    order = tuple(k for k in kinds if k in _STANDARD_ORDER)
    if set(order) != set(_STANDARD_ORDER):
        return _STANDARD_ORDER, pos
    return order, pos


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
        # "财务管理财务管理制度有效性": a level-2 name right after the same name starts the level-3 name.
        if kind == "l2" and prev_kind == "l2" and not gap.strip() and name == level2:
            pos = m.start() + 1
            continue
        if kind == "l1" and name == "满意度指标" and not m.group("p1"):
            # Level 1 when a level-2 name follows, else the level-2 of an older template.
            if not _level1_follower_re().match(text, end):
                kind = "l2"
        if gap.strip():
            yield _Segment(gap, prev_end, level1, level2)
        if kind == "l1":
            level1, level2 = name, None
        elif kind == "l2":
            level2 = name
            if name.endswith("指标") and (shared := _SHARED_LABEL_RE.match(text, end)):
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


def _parse_segment(seg: str, points_first: bool) -> list[_Cells]:
    # "(10分)" after a name is the name's own weight, not a cell.
    weights = [m.span() for m in _POINTS_NOTE_RE.finditer(seg)]
    numbers = [
        _Token(m.start(), m.end(), m.group(), Decimal(m.group()))
        for m in _NUMBER_RE.finditer(seg)
        if not any(a <= m.start() < b for a, b in weights)
    ]
    garbled = [_Token(m.start(), m.end(), m.group(), None) for m in _OCR_SCORE_RE.finditer(seg)]
    garbled = [t for t in garbled if not t.text.isdigit()]
    scores = sorted(numbers + garbled, key=lambda t: t.start)
    row_options: Callable[[str, int, list[_Token], list[_Token]], Iterator[tuple[float, _Cells]]] = (
        _points_first_rows
        if points_first
        # where values may start before a number is the same for every row that reaches it: found once
        else partial(_values_first_rows, value_starts=cache(partial(_value_starts, seg)))
    )
    text_end = len(seg.rstrip())
    # where unscored rows may start their values (a number, not a decimal's fraction, or a comparator): found once
    value_positions = [
        a for a in range(1, len(seg)) if (seg[a].isdigit() and seg[a - 1] != ".") or seg[a] in _COMPARATORS
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
        unscored = _partial_row(seg, i, value_positions)
        if unscored is not None and (found is None or unscored[0] > found[0]):
            found = (unscored[0], unscored[1], None)
        best[i] = found
    rows: list[_Cells] = []
    step = best[0]
    while step is not None and step[1] is not None:
        rows.append(step[1])
        step = best[step[2]] if step[2] is not None else None
    return rows


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
        name_q = _name_quality(seg[i : tok.start], _after_digit(seg, i))
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
                split = _split_values(seg[values_start : sc.start])
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
            name_q = _name_quality(seg[i:a], after_digit)
            split = _split_values(seg[a : tok.start])
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


def _partial_row(seg: str, i: int, value_positions: list[int]) -> tuple[float, _Cells] | None:
    """A row without 分值/得分 (unscored, or cut off): name, then values that start with a number (the first of
    ``value_positions`` after ``i``)."""
    k = bisect_right(value_positions, i)
    if k == len(value_positions):
        return None
    a = value_positions[k]
    if len(seg) - a > _MAX_CELL or a - i > 2 * _MAX_CELL:
        return None
    name_q = _name_quality(seg[i:a], _after_digit(seg, i))
    split = _split_values(seg[a:])
    if name_q is None or split is None:
        return None
    target, actual, _ = split
    if seg[a:].rstrip()[-1].isdigit():
        # The number may end with a glued 分值/得分; only the name is certain.
        target = actual = None
    return 1.0, _Cells(_clean_name(seg[i:a]), target, actual, None, None, None, i, len(seg.rstrip()))


def _value_starts(seg: str, end: int) -> tuple[int, ...]:
    """Where the values before ``end`` may start (at most :data:`_MAX_CELL` before it)."""
    starts = []
    for a in range(max(1, end - _MAX_CELL), end):
        ch = seg[a]
        prev = seg[a - 1]
        if (ch.isdigit() and not prev.isdigit() and prev != ".") or ch in _COMPARATORS or ch in "是否":
            starts.append(a)
        elif ch in _EMPTY_MARKS:
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
    return pos < len(text) and text[pos] in _UNIT_CHARS and not text.startswith(_WORDS_NOT_UNITS, pos)


def _after_digit(seg: str, i: int) -> bool:
    return i > 0 and seg[i - 1].isdigit()


@lru_cache(maxsize=4096)
def _name_quality(name: str, after_digit: bool) -> float | None:
    stripped = name.strip()
    if not stripped or not _CJK_RE.search(stripped):
        return None
    if stripped[-1] in _COMPARATORS or stripped.count("(") > stripped.count(")"):
        return None
    # "2人次…" after a score: "人" would be torn from its number.
    if after_digit and _unit_at(name, 0):
        return None
    # A bare number glued to a word ("合格率8采购") is a cell boundary, not part of a name; so, more
    # weakly, is a name that ends in a value ("完成率1090%" before 分值 9).
    quality = -3.0 * len(_BARE_NUMBER_RE.findall(_without_units(stripped)))
    if _VALUE_END_RE.search(stripped):
        quality -= 5.0
    if any(ch in _COMPARATORS for ch in stripped):
        quality -= 4.0
    return quality


def _without_units(text: str) -> str:
    return _UNIT_AFTER_NUMBER_RE.sub(r"\1", text)


@lru_cache(maxsize=4096)
def _split_values(values: str) -> tuple[str | None, str | None, float] | None:
    """指标值 and 实际值 out of their glued text, with a plausibility bonus; None if it cannot be values."""
    v = values.strip()
    if not v or all(ch in _COMPARATORS for ch in v):
        return None
    if v[0] in _UNIT_CHARS or v[0] == "." or (v[0] == "0" and v[1:2].isdigit()):
        return None
    penalty = -3.0 * len(_BARE_NUMBER_RE.findall(_without_units(v)))
    parts = v.split()
    if len(parts) == 2:
        return parts[0], parts[1], 4.0 + penalty
    half = len(v) // 2
    if len(v) % 2 == 0 and v[:half] == v[half:]:
        return v[:half], v[half:], 6.0
    if v[0] in _EMPTY_MARKS and len(v) > 1 and v[1] not in _NUMERAL_FOLLOWERS:
        rest = v[1:].strip()
        if rest[0] in _UNIT_CHARS:
            return None
        return v[0], rest, 3.0 + penalty
    if v[0] in "是否" and len(v) > 1 and v[1] not in "是否":
        return v[0], v[1:], 2.0 + penalty
    cuts = _value_cuts(v)
    if cuts:
        same = [p for p in cuts if _same_number(v[:p], v[p:])]
        cut = same[0] if len(same) == 1 else cuts[0] if len(cuts) == 1 else None
        # "90%95%80%": which two of three values are the cells is a guess.
        if cut is not None and not any(any(ch.isdigit() for ch in v[:q]) for q in _value_cuts(v[:cut])):
            return v[:cut], v[cut:], (5.0 if same else 2.0) + penalty
        return None, None, -2.0 + penalty
    if _VALUE_RE.fullmatch(v) or not any(ch.isdigit() for ch in v):
        return None, v, penalty
    return None, None, -2.0 + penalty


def _value_cuts(v: str) -> list[int]:
    """Positions after a unit where the rest of ``v`` is one printed value."""
    return [
        p
        for p in range(max(1, len(v) - _MAX_VALUE), len(v))
        if (v[p].isdigit() or v[p] in _VALUE_OPENERS)
        and not v[p - 1].isdigit()
        and v[p - 1] not in "._"
        and v[p - 1] not in _COMPARATORS
        and (v[p - 1] in _UNIT_CHARS or _NUMBER_END_RE.search(v[:p]))
        and _VALUE_RE.fullmatch(v[p:])
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
