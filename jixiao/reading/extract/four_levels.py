"""Rows of a four-level indicator table (一级指标 | 二级指标 | 三级指标 | 四级指标 | 分值 | 得分 …), read by its columns.

Only a table whose cells keep their columns is read: a table the file knows (a sheet, a Word table: merged cells
are empty below their first row) or text lines with cell borders (``|``, empty cells kept). The header row is
found by its column names (``indicator_columns.yaml``); each row is read cell by cell under the header's columns,
and an empty level cell takes the name above it (a merged cell). A row keeps the three levels a
:class:`FoundIndicator` has room for (一级, 二级, 三级), so the table is read only where each 三级 is one row, its
四级 cell a further name or the 指标解释 of that one row; where several 四级 rows share one 三级, the leaves
would lose their names, and nothing is read. Whatever does not fit the header is left unread and said so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ...core.audit.document import Evidence, FoundIndicator
from ...core.audit.source import Place, SourceText
from ..normalise import clean
from ..numbers import read_number
from ..vocabulary import Vocabulary, pattern
from .flat import cell_words
from .indicators import column_meaning

_LEVELS = ("level1", "level2", "level3", "level4")
_VALUES = ("op", "target", "unit", "actual", "points", "score", "reason")
_NUMERIC = ("points", "score")
_MAX_POINTS = Decimal(100)
_POINTS_NOTE = re.compile(r"\s*\(\d+(?:\.\d+)?分\)$")  # a level's own weight: "投入(5分)"
_CELL_WRAP = re.compile(r"[ \t]*\n[ \t]*")


@pattern
def _table_end(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"^(?:{v.alternation('indicator_columns', 'table_end')})")


@pattern
def _comparator(v: Vocabulary) -> re.Pattern[str]:
    """A 指标性质 cell that is a comparator (``comparators.yaml``); 正向/定量 and the like are not part of the value."""
    words = {*v.mapping("comparators", "spellings"), *v.mapping("comparators", "words")}
    return re.compile("^(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")$")


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    place: Place


_Row = list[_Cell]


def read_four_level_table(source: SourceText) -> tuple[list[FoundIndicator], list[str]]:
    """The rows of the first four-level table whose header names its columns, and notes on what was left unread."""
    for grid in _grids(source):
        for at, row in enumerate(grid):
            columns = _header(row)
            if columns is not None:
                return _read(grid[at + 1 :], columns)
    return [], []


def _grids(source: SourceText) -> Iterator[list[_Row]]:
    """Each table with its columns kept: a table of the file, or a run of text lines with cell borders."""
    lines: list[_Row] = []
    for kind, index in source.order:
        if kind == "table":
            if lines:
                yield lines
                lines = []
            table = source.tables[index]
            yield [[_Cell(_text(cell.text), cell.place) for cell in row] for row in table.rows]
            continue
        line = source.lines[index]
        if "|" not in line.text:
            if lines:
                yield lines
                lines = []
            continue
        # an outer border gives an empty first cell, in the header as in the rows, so columns still line up; and a
        # row of a table without outer borders that opens with an empty (merged) cell keeps that cell
        lines.append([_Cell(_text(part), line.place) for part in line.text.strip().split("|")])
    if lines:
        yield lines


def _text(raw: str) -> str:
    return cell_words(clean(_CELL_WRAP.sub("", raw))).strip()


def _header(row: _Row) -> dict[int, str] | None:
    """Column index -> meaning, when ``row`` names the four levels in order and at least one 分值 or 得分 column."""
    columns: dict[int, str] = {}
    for i, cell in enumerate(row):
        meaning = column_meaning(cell.text) if cell.text else None
        if meaning is not None and meaning not in columns.values():
            columns[i] = meaning
    at = [next((i for i, m in columns.items() if m == level), -1) for level in _LEVELS]
    if min(at) < 0 or at != sorted(at):
        return None
    if not any(m in _NUMERIC for m in columns.values()):
        return None
    return columns


def _read(rows: list[_Row], columns: dict[int, str]) -> tuple[list[FoundIndicator], list[str]]:
    width = max(columns) + 1
    level_at = {m: i for i, m in columns.items() if m in _LEVELS}
    above: list[str | None] = [None, None, None]  # the 一级, 二级, 三级 names printed above (None: not known)
    found: list[tuple[tuple[str, str, str], FoundIndicator]] = []
    notes: list[str] = []
    for row in rows:
        texts = [cell.text for cell in row]
        first = next((t for t in texts if t), "")
        if not first:
            continue
        if _table_end().match(first):
            break
        if len(row) < width:
            notes.append(f"四级指标表中“{first}”一行的格子与表头对不上，其下沿用的层级不再可靠，未读取")
            above = [None, None, None]
            continue
        if all(column_meaning(t) is not None for t in texts if t):
            continue  # a second header row
        levels = _levels([texts[level_at[m]] for m in _LEVELS[:3]], above)
        if levels is None:
            notes.append(f"四级指标表中“{first}”一行的层级格与上一行对不上，未读取")
            above = [None, None, None]
            continue
        above = levels
        if levels[2] is None or levels[1] is None or levels[0] is None:
            continue  # a heading (or subtotal) row of a 一级 or 二级: the rows below print the levels under it
        names = (levels[0], levels[1], levels[2])
        values = {m: texts[i] for i, m in columns.items() if m in _VALUES and texts[i]}
        if not any(m in values for m in ("target", "actual", *_NUMERIC)):
            continue
        numbers = _numbers(values)
        if numbers is None:
            notes.append(f"四级指标表中“{names[2]}”一行的分值、得分不是可读的数，未读取")
            continue
        level3_cell = row[level_at["level3"]]
        found.append(
            (
                names,
                FoundIndicator(
                    level1=names[0],
                    level2=names[1],
                    level3=names[2],
                    target=_target(values),
                    actual=values.get("actual"),
                    points=numbers.get("points"),
                    score=numbers.get("score"),
                    reason=values.get("reason"),
                    evidence=Evidence(level3_cell.place, " | ".join(t for t in texts if t)),
                ),
            )
        )
    keys = [key for key, _ in found]
    if len(set(keys)) < len(keys):
        return [], [*notes, "四级指标表中一个三级指标下有几行四级指标，三个层级容纳不下末级名称，指标行未读取"]
    return [row for _, row in found], notes


def _numbers(values: dict[str, str]) -> dict[str, Decimal] | None:
    """分值 and 得分 as printed; None when one is not a number from 0 to 100, or the 得分 is above the 分值."""
    numbers: dict[str, Decimal] = {}
    for name in _NUMERIC:
        if name in values:
            number = read_number(values[name])
            if number is None or not 0 <= number <= _MAX_POINTS:
                return None
            numbers[name] = number
    points, score = numbers.get("points"), numbers.get("score")
    if points is not None and score is not None and score > points:
        return None
    return numbers


def _levels(cells: list[str], above: list[str | None]) -> list[str | None] | None:
    """The row's 一级, 二级, 三级: a name printed, or an empty (merged) cell taking the name above. Names are printed
    from some level down: a name opens a new group, so the levels below it are printed too, or (a heading row of
    that group) none of them are, and they are left unknown for the rows below. None when the row does not fit."""
    printed = [_POINTS_NOTE.sub("", cell) for cell in cells]
    first = next((i for i, name in enumerate(printed) if name), len(printed))
    last = max((i for i, name in enumerate(printed) if name), default=-1)
    if any(not name for name in printed[first : last + 1]):
        return None  # a gap between printed levels
    if first == len(printed):  # nothing printed: the row continues the group above
        return None if any(name is None for name in above) else list(above)
    if any(name is None for name in above[:first]):
        return None
    return [*above[:first], *printed[first : last + 1], *([None] * (len(printed) - last - 1))]


def _target(values: dict[str, str]) -> str | None:
    """年度指标值 as one string: 指标性质 + 指标值 + 度量单位, as the three-level reader composes it."""
    if "target" not in values:
        return None
    op = values.get("op", "")
    if op and not _comparator().match(op):
        op = ""
    return f"{op}{values['target']}{values.get('unit', '')}"
