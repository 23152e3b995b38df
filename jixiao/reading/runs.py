"""Splitting runs of digits where PDF or OCR text glued table cells together.

A row of a self-evaluation table often comes out of a PDF as one run::

    年度资金总额:50.0050.0048.601097.20%9.72

which is 年初预算数 50.00 | 全年预算数 50.00 | 全年执行数 48.60 | 分值 10 | 执行率 97.20% | 得分 9.72.
:func:`split_run` tries every way of cutting the run into the expected columns, keeps the cuts in
which every piece is a well-formed number for its column and the row's arithmetic holds, and
returns the one cut left, or ``None`` when none or several are left: it never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import accumulate
from typing import Any, NamedTuple

__all__ = [
    "Col",
    "Constraint",
    "LabelledRun",
    "candidate_splits",
    "label_and_run",
    "printed_as",
    "split_fields",
    "split_run",
]


class Col(StrEnum):
    """What a column of a glued row holds; this decides which numbers may stand in it."""

    AMOUNT = "amount"  # 金额：at most 6 decimals
    POINTS = "points"  # 分值：0 < p ≤ 100, at most 1 decimal
    RATE = "rate"  # 执行率等：percentage points ≤ 1000, at most 2 decimals, may carry a trailing %
    SCORE = "score"  # 得分：≤ 100 and ≤ the row's 分值, at most 6 decimals


Constraint = Callable[[tuple[Decimal, ...]], bool]
_Candidate = tuple[Decimal, ...]


class LabelledRun(NamedTuple):
    label: str
    run: str


_WIDTH = str.maketrans("０１２３４５６７８９．％，｜：\u3000", "0123456789.%,|: ")
_NUMBER = re.compile(r"(?P<int>0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.(?P<frac>\d+))?")
_SEPARATORS = re.compile(r"[\s|]+")
_LABELLED = re.compile(r"(?P<label>.*?)[\s:、|]*(?P<run>\d[\d.,%|\s]*)")
_MAX_INTEGER_DIGITS = 12
_MAX_DECIMALS = {Col.AMOUNT: 6, Col.POINTS: 1, Col.RATE: 2, Col.SCORE: 6}
_MAX_TOKEN = {Col.AMOUNT: 22, Col.POINTS: 5, Col.RATE: 7, Col.SCORE: 10}
_MAX_VALUE = {Col.POINTS: Decimal(100), Col.RATE: Decimal(1000), Col.SCORE: Decimal(100)}
_HUNDRED = Decimal(100)
_SCORE_SLACK = Decimal("0.01")
# Beyond these the run is either not a row of figures or too ambiguous to be worth listing.
_MAX_RUN = 120
_MAX_CANDIDATES = 5000


def label_and_run(line: str) -> LabelledRun | None:
    """The leading label and the glued run of figures that ends the line, or ``None`` if none ends it.

    >>> label_and_run("年度资金总额:50.0050.0048.601097.20%9.72")
    LabelledRun(label='年度资金总额', run='50.0050.0048.601097.20%9.72')

    Both parts are slices of the line as given (full-width characters are kept). A label that
    itself ends in a digit ("项目2") cannot be told from the run and is read as part of it.
    """
    stripped = line.rstrip()
    match = _LABELLED.fullmatch(stripped.translate(_WIDTH))
    if not match:
        return None
    return LabelledRun(stripped[: match.end("label")].strip(), stripped[match.start("run") :])


def split_fields(run: str) -> list[str]:
    """The pieces of a run between blanks and ``|``; a lone ``%`` rejoins the figure before it."""
    fields: list[str] = []
    for piece in _SEPARATORS.split(_normalise(run)):
        if piece == "%" and fields:
            fields[-1] += piece
        elif piece:
            fields.append(piece)
    return fields


def split_run(
    run: str,
    columns: Sequence[Col],
    *,
    constraints: Sequence[Constraint] = (),
    prefer_equal_amounts: bool = False,
    check_arithmetic: bool = True,
) -> tuple[Decimal, ...] | None:
    """The one way to read ``run`` as ``columns``, or ``None`` when there is none or more than one.

    Blanks and ``|`` in the run are cell boundaries the document kept. When they already give one
    field per column, the fields are read as they stand: no cutting and no constraints, so that a
    document whose own arithmetic is wrong is read as written and the error can be reported.

    Otherwise every cut is tried (see :func:`candidate_splits`). Among the cuts left, those whose
    amounts all show the same number of decimals win; then, with ``prefer_equal_amounts``, those
    whose amounts are most nearly equal (fewest distinct values, then smallest spread), which is
    how ``800800800`` reads as 800 | 800 | 800. A tie is ambiguous and gives ``None``.

    The decimals preference is a preference, not proof: ``3311.031861946.15052364.881361`` as three
    amounts reads as 3311.031861 | 946.150523 | 64.881361 unless the caller adds the row's known
    relation, here ``constraints=[lambda v: v[0] == v[1] + v[2]]``.

    >>> split_run("64.864.864.8100%", [Col.AMOUNT, Col.AMOUNT, Col.AMOUNT, Col.RATE])
    (Decimal('64.8'), Decimal('64.8'), Decimal('64.8'), Decimal('100'))
    """
    columns = tuple(columns)
    if not columns:
        return None
    fields = split_fields(run)
    if len(fields) == len(columns):
        values = [_read(field, column) for field, column in zip(fields, columns, strict=True)]
        return None if any(v is None for v in values) else tuple(v for v in values if v is not None)
    candidates = candidate_splits(run, columns, constraints=constraints, check_arithmetic=check_arithmetic)
    if not candidates:
        return None
    amounts = [i for i, column in enumerate(columns) if column is Col.AMOUNT]
    candidates = _best(candidates, lambda c: len({_decimals(c[i]) for i in amounts}) > 1)
    if prefer_equal_amounts and amounts:
        candidates = _best(candidates, lambda c: _spread(c, amounts))
    return candidates[0] if len(candidates) == 1 else None


def candidate_splits(
    run: str,
    columns: Sequence[Col],
    *,
    constraints: Sequence[Constraint] = (),
    check_arithmetic: bool = True,
) -> list[tuple[Decimal, ...]] | None:
    """Every reading of ``run`` as ``columns`` that passes the rules, or ``None`` when there are too many.

    A piece is a number without leading zeros ("0" and "0.xx" are fine) and with at most 12 integer
    digits, shaped for its column (see :class:`Col`); a ``%`` may only follow a RATE. Blanks and
    ``|`` are kept as cuts. Within a row, the amounts are printed consistently: all to the same
    decimals, or else none with a trailing zero in its decimals ("50.00" beside "50.003" is a
    misreading; "946.1505" beside "3311.031861" is trimmed printing). A SCORE may not exceed its
    分值 (the nearest POINTS before it, else after it). With ``check_arithmetic`` (the default) a RATE must equal the last
    AMOUNT before it over the AMOUNT before that, ×100, to the printed decimals (rounded or
    truncated), and a SCORE must equal min(RATE, 100) × 分值 / 100 within 0.01 or the printed
    decimals. ``constraints`` then filter the values further; one that raises an arithmetic error
    rejects the reading.
    """
    columns = tuple(columns)
    fields = split_fields(run)
    if not columns or not fields or len(fields) > len(columns):
        return []
    text = "".join(fields)
    if len(text) > _MAX_RUN:
        return None
    cuts = frozenset(accumulate(len(field) for field in fields[:-1]))
    enumeration = _Enumeration(text, columns, cuts)
    readings = enumeration.readings()
    if readings is None:
        return None
    checks = [*_row_rules(columns, check_arithmetic), *constraints]
    survivors: dict[tuple[str, ...], tuple[Decimal, ...]] = {}
    for values in readings:
        if all(_passes(check, values) for check in checks):
            survivors.setdefault(tuple(map(str, values)), values)
    return list(survivors.values())


@dataclass(frozen=True, slots=True)
class _Piece:
    end: int  # where the next piece starts (after a RATE's %, if any)
    value: Decimal


class _Enumeration:
    """All cuts of ``text`` into ``columns``, exploring only prefixes that can still be completed."""

    def __init__(self, text: str, columns: tuple[Col, ...], cuts: frozenset[int]) -> None:
        self.text, self.columns, self.cuts = text, columns, cuts
        self._pieces: dict[tuple[int, int], list[_Piece]] = {}
        self._completes: dict[tuple[int, int], bool] = {}

    def readings(self) -> list[tuple[Decimal, ...]] | None:
        found: list[tuple[Decimal, ...]] = []
        stack: list[tuple[int, int, tuple[Decimal, ...]]] = [(0, 0, ())]
        while stack:
            column, start, values = stack.pop()
            if column == len(self.columns):
                found.append(values)
                if len(found) > _MAX_CANDIDATES:
                    return None
                continue
            for piece in self.pieces(column, start):
                if self.completes(column + 1, piece.end):
                    stack.append((column + 1, piece.end, (*values, piece.value)))
        found.reverse()
        return found

    def completes(self, column: int, start: int) -> bool:
        if column == len(self.columns):
            return start == len(self.text)
        key = (column, start)
        if key not in self._completes:
            self._completes[key] = any(self.completes(column + 1, piece.end) for piece in self.pieces(column, start))
        return self._completes[key]

    def pieces(self, column: int, start: int) -> list[_Piece]:
        key = (column, start)
        if key not in self._pieces:
            self._pieces[key] = list(self._find_pieces(self.columns[column], start))
        return self._pieces[key]

    def _find_pieces(self, column: Col, start: int) -> list[_Piece]:
        text, pieces = self.text, []
        for end in range(start + 1, min(len(text), start + _MAX_TOKEN[column]) + 1):
            if any(start < cut < end for cut in self.cuts):
                break
            value = _read(text[start:end], column, percent_allowed=False)
            if value is None:
                continue
            after = end
            if end < len(text) and text[end] == "%":
                if column is not Col.RATE:
                    continue
                after = end + 1
            pieces.append(_Piece(after, value))
        return pieces


def _normalise(text: str) -> str:
    return text.translate(_WIDTH).strip()


def _read(token: str, column: Col, *, percent_allowed: bool = True) -> Decimal | None:
    """``token`` as a number fit for ``column``, or ``None``."""
    token = _normalise(token)
    if token.endswith("%"):
        if column is not Col.RATE or not percent_allowed:
            return None
        token = token[:-1]
    match = _NUMBER.fullmatch(token)
    if not match:
        return None
    if len(match["int"].replace(",", "")) > _MAX_INTEGER_DIGITS:
        return None
    if len(match["frac"] or "") > _MAX_DECIMALS[column]:
        return None
    value = Decimal(token.replace(",", ""))
    if column in _MAX_VALUE and value > _MAX_VALUE[column]:
        return None
    if column is Col.POINTS and value == 0:
        return None
    return value


def _row_rules(columns: tuple[Col, ...], check_arithmetic: bool) -> list[Constraint]:
    amounts = [i for i, column in enumerate(columns) if column is Col.AMOUNT]
    rules: list[Constraint] = [lambda v: _consistently_printed([v[i] for i in amounts])]
    for index, column in enumerate(columns):
        if column is Col.SCORE:
            points = _nearest(columns, index, Col.POINTS, before_only=False)
            if points is not None:
                rules.append(lambda v, s=index, p=points: v[s] <= v[p])
            rate = _nearest(columns, index, Col.RATE)
            if check_arithmetic and points is not None and rate is not None:
                rules.append(lambda v, s=index, p=points, r=rate: _score_fits(v[s], v[r], v[p]))
        elif column is Col.RATE and check_arithmetic:
            amounts = [i for i in range(index) if columns[i] is Col.AMOUNT]
            if len(amounts) >= 2:
                rules.append(lambda v, r=index, b=amounts[-2], s=amounts[-1]: _rate_fits(v[r], v[s], v[b]))
    return rules


def _nearest(columns: tuple[Col, ...], index: int, kind: Col, *, before_only: bool = True) -> int | None:
    before = [i for i in range(index) if columns[i] is kind]
    if before:
        return before[-1]
    if before_only:
        return None
    return next((i for i in range(index + 1, len(columns)) if columns[i] is kind), None)


def _rate_fits(rate: Decimal, spent: Decimal, budget: Decimal) -> bool:
    if budget == 0:
        return False
    return _printed_as(rate, spent * _HUNDRED / budget)


def _score_fits(score: Decimal, rate: Decimal, points: Decimal) -> bool:
    return _printed_as(score, min(rate, _HUNDRED) * points / _HUNDRED, slack=_SCORE_SLACK)


def _printed_as(printed: Decimal, exact: Decimal, *, slack: Decimal = Decimal(0)) -> bool:
    """Whether ``printed`` is ``exact`` rounded or truncated to the decimals it shows (or within ``slack``)."""
    unit = Decimal(1).scaleb(-_decimals(printed))
    difference = exact - printed
    return abs(difference) <= max(unit / 2, slack) or 0 <= difference < unit


def printed_as(printed: Decimal, exact: Decimal, *, slack: Decimal = Decimal(0)) -> bool:
    """Whether a printed figure is ``exact`` rounded or truncated to the decimals it shows (or within ``slack``)."""
    return _printed_as(printed, exact, slack=slack)


def _consistently_printed(amounts: list[Decimal]) -> bool:
    """A row prints its amounts either all to the same decimals ("50.00", "48.60") or trimmed
    ("50", "48.6", "946.1505"); "50.00" beside "0.0010" is neither, so that cut is a misreading."""
    if len({_decimals(a) for a in amounts}) <= 1:
        return True
    return not any(_decimals(a) and str(a).endswith("0") for a in amounts)


def _passes(check: Constraint, values: tuple[Decimal, ...]) -> bool:
    try:
        return bool(check(values))
    except ArithmeticError:
        return False


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _spread(values: tuple[Decimal, ...], indexes: list[int]) -> tuple[int, Decimal]:
    amounts = [values[i] for i in indexes]
    return len(set(amounts)), max(amounts) - min(amounts)


def _best(candidates: list[_Candidate], key: Callable[[_Candidate], Any]) -> list[_Candidate]:
    keys = [key(c) for c in candidates]
    best = min(keys)
    return [c for c, k in zip(candidates, keys, strict=True) if k == best]
