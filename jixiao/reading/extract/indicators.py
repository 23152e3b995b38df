"""Indicator rows of a 自评表: levels, 年度指标值, 实际完成值, 分值, 得分 and the reason, as printed.

The header row is found by its vocabulary (``indicator_columns.yaml``) and gives the column order
(templates differ: 分值 before or after the values, 指标性质 and 度量单位 in cells of their own, no 分值
column at all). Each row is read by that order with a type test per cell, so a missing reason or a
wrapped cell does not shift the columns. Cells are the table's own (``|``), whole lines (a web table
copied one cell per line) or words (text with blanks between cells); text without any cell border
goes to :mod:`..glued_rows`. Merged level cells are printed once: later rows inherit them, unless the
row's level-2 belongs under another level-1 (``levels.yaml`` ``level2_under``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...core.audit.document import FoundIndicator
from .. import levels
from ..glued_rows import locate_glued_table, read_glued_indicators
from ..numbers import read_number
from ..vocabulary import Vocabulary, mapping, pattern
from .flat import Flat

_POINTS = r"\s*(?:\((\d+(?:\.\d+)?)分\))?$"


@pattern
def level1_cell(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"^({v.alternation('levels', 'level1_in_tables')}|{levels.level1()}){_POINTS}")


@pattern
def level2_cell(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"^({v.alternation('levels', 'level2_in_tables')}|{levels.level2()}){_POINTS}")


_PARENTHETICAL = re.compile(r"\([^()]{0,10}\)|\s+")
_STANDARD_LAYOUT = ("target", "actual", "points", "score", "reason")
_VALUE_FIELDS = ("op", "target", "unit", "actual", "points", "score", "reason")
# a level-2 cell whose name is not in the vocabulary, printed right after its level-1 ("社会效益效益指标")
_LEVEL_SHAPE = re.compile(r"^([\u4e00-\u9fff]{1,10}指标)" + _POINTS)
_ONE_CELL_LINES = re.compile(r"一级\s*指标[ \t]*\n[ \t]*二级\s*指标[ \t]*\n")
FOUR_LEVELS = re.compile(r"四级\s*指标")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"\d")
_POINTS_NOTE = re.compile(r"\s*\(\d+(?:\.\d+)?分\)$")  # a name's own weight: "培训人数(10分)"


@pattern
def _column_word(v: Vocabulary) -> re.Pattern[str]:
    words = sorted(v.mapping("indicator_columns", "columns"), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


@pattern
def _header_cell(v: Vocabulary) -> re.Pattern[str]:
    """A header cell (a column name, a merged heading, a placeholder): never a row's name."""
    words = {*v.mapping("indicator_columns", "columns"), *v.words("indicator_columns", "header_cells")}
    escaped = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^(?:{escaped}|指标\d[:]?|\.{{3,}}|…+)$")


@pattern
def _comparator(v: Vocabulary) -> str:
    """Any spelling of a comparator (``comparators.yaml``), as a regex alternation: recognised, kept as printed."""
    words = {*v.mapping("comparators", "spellings"), *v.mapping("comparators", "words")}
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@pattern
def _operator_cell(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"^(?:{_comparator()})$")


@pattern
def _nature_cell(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"^(?:{v.alternation('indicator_columns', 'indicator_natures')})$")


@pattern
def _unit_cell(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"^(?:{v.alternation('indicator_columns', 'indicator_units')})$")


@pattern
def _end_word(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(v.alternation("indicator_columns", "table_end"))


@pattern
def _level1_start(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"(?:^|[|\n\s])(?:{levels.level1()})")


def column_meaning(cell: str) -> str | None:
    """What a header cell names (``target``, ``points``…), by its whole text less blanks and "(A)"/"(10分)"."""
    return mapping("indicator_columns", "columns").get(_PARENTHETICAL.sub("", cell))


def _is_header(cell: str) -> bool:
    return bool(_header_cell().match(_PARENTHETICAL.sub("", cell)))


@dataclass(frozen=True, slots=True)
class _Layout:
    """The value columns after the level-3 name, in order; ``trailing_score``: the table names a 自评得分
    column elsewhere (in its first rows) and the indicator header does not, so a number after the last
    column is the row's 得分."""

    fields: tuple[str, ...]
    trailing_score: bool = False
    assumed: bool = False  # no header named the values: the 财预〔2020〕10号 order is assumed

    @property
    def numeric(self) -> tuple[str, ...]:
        return tuple(f for f in self.fields if f in ("points", "score"))


def read_indicators(flat: Flat) -> tuple[list[FoundIndicator], list[str]]:
    """The indicator rows of the document's table, else those its sentences list by level-2; and notes
    (in Chinese) on what was seen but left unread."""
    rows, notes = _read_table(flat)
    if rows:
        return rows, notes
    if (span := locate_glued_table(flat.text)) is not None:  # glued, with a header not opening with 一级指标
        rows, glued_notes = _glued_rows(flat, *span)
        notes = notes + glued_notes
        if rows:
            return rows, notes
    listed, listed_notes = read_listed_indicators(flat)
    return listed, notes + listed_notes


def read_indicator_rows(flat: Flat, start: int = 0) -> list[FoundIndicator]:
    """The scored rows of a three-level table (a four-level one is not read: see :data:`FOUR_LEVELS`)."""
    return _read_table(flat, start)[0]


def _read_table(flat: Flat, start: int = 0) -> tuple[list[FoundIndicator], list[str]]:
    text = flat.text
    head = re.search(r"一级\s*指标", text[start:])
    if not head:
        return [], []
    begin = start + head.start()
    end_m = _end_word().search(text, begin)
    end = end_m.start() if end_m else len(text)
    title = text.rfind("绩效指标", max(begin - 200, start), begin)
    first = title if title >= 0 else begin
    if FOUR_LEVELS.search(text, first, min(begin + 300, end)):
        return [], []
    body = _level1_start().search(text, begin, end)
    header_end = min(begin + 300, end, body.start() + 1 if body else end)
    layout = _layout(text[first:header_end], text[start:first])
    lines = bool(_ONE_CELL_LINES.match(text, begin))
    cells = _cells(text, begin, end, lines)
    if not lines and _glued(text[begin:end], cells):
        return _glued_rows(flat, first, end)
    rows, notes = _rows(flat, cells, layout, lines)
    if not rows and layout.numeric and not lines:
        return _columns_apart(flat, cells, layout)
    return rows, notes


def _glued_rows(flat: Flat, first: int, end: int) -> tuple[list[FoundIndicator], list[str]]:
    """The rows of ``flat.text[first:end]``, a table whose cells ran together (:mod:`..glued_rows`)."""
    reading = read_glued_indicators(flat.text[first:end])
    return [
        FoundIndicator(
            level1=row.level1,
            level2=row.level2,
            level3=row.level3,
            target=row.target,
            actual=row.actual,
            points=row.points,
            score=row.score,
            reason=row.reason,
            evidence=flat.evidence(first + row.start, first + row.end),
        )
        for row in reading.rows
    ], reading.notes


def _glued(region: str, cells: list[tuple[str, int]]) -> bool:
    """PDF or OCR text whose cells ran together: no borders and a few very long "cells"."""
    return "|" not in region and bool(cells) and (len(cells) < 10 or max(len(c) for c, _ in cells) > 80)


def _layout(header: str, above: str) -> _Layout:
    fields: list[str] = []
    for m in _column_word().finditer(header):
        kind = mapping("indicator_columns", "columns")[m.group(0)]
        if kind in _VALUE_FIELDS and kind not in fields:
            fields.append(kind)
    if "target" not in fields:
        return _Layout(_STANDARD_LAYOUT, assumed=True)
    if "op" in fields or "unit" in fields:  # 年度指标值 split into 指标性质 | 指标值 | 度量单位
        fields = [f for f in fields if f not in ("op", "unit")]
        at = fields.index("target")
        fields[at : at + 1] = ["op", "target", "unit"]
    trailing = not any(f in fields for f in ("points", "score")) and any(
        column_meaning(cell) == "score" for cell in re.split(r"[|\n]", above)
    )
    return _Layout(tuple(fields), trailing)


def _cells(text: str, begin: int, end: int, lines: bool) -> list[tuple[str, int]]:
    """(cell text, offset) of the region: bordered cells, whole lines, or (without any border) words."""
    region = text[begin:end]
    if "|" in region:
        pattern = r"[^|\n]+"
    elif lines:
        pattern = r"[^\n]+"
    else:
        pattern = r"[^\s|]+"
    out = []
    for m in re.finditer(pattern, region):
        cell = m.group(0).strip()
        if cell:
            out.append((cell, begin + m.start() + m.group(0).index(cell)))
    return out


def _is_name(cell: str) -> bool:
    return len(_CJK.findall(cell)) >= 2 and not _is_header(cell) and not _value_shape().match(cell)


@pattern
def _value_shape(v: Vocabulary) -> re.Pattern[str]:
    """A printed value, not a name: "≥30课时", "98.5%", "2023年12月31日"."""
    return re.compile(
        rf"^(?:(?:{_comparator()})?\s*\d+(?:\.\d+)?\s*[^\d\s]{{0,3}}|\d{{4}}年(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?(?:前|底|之前)?)$"
    )


def _level(cells: list[tuple[str, int]], i: int, after_level1: bool) -> tuple[str, str] | None:
    """("l1" | "l2", name) when cell ``i`` is a level cell. A name that is both (满意度指标, 成本指标) is the
    level-1 when a level-2 follows it, else a level-2; after a level-1, a cell shaped like a level name is
    its level-2 even if the vocabulary does not know it."""
    cell = cells[i][0]
    m1 = level1_cell().match(cell)
    m2 = level2_cell().match(cell)
    if m1 and m2:
        following = cells[i + 1][0] if i + 1 < len(cells) else ""
        if _is_level2(following):
            return "l1", m1.group(1)
        return "l2", m2.group(1)
    if m1:
        return "l1", m1.group(1)
    if m2:
        return "l2", m2.group(1)
    if after_level1 and not _is_header(cell) and (shape := _LEVEL_SHAPE.match(cell)):
        return "l2", shape.group(1)
    return None


def _is_level2(cell: str) -> bool:
    return bool(level2_cell().match(cell)) or (bool(_LEVEL_SHAPE.match(cell)) and not level1_cell().match(cell))


def _under(level1: str, level2: str) -> bool:
    """Whether ``level2`` may sit under ``level1`` (``levels.yaml`` ``level2_under``; unknown pairs may)."""
    parents = mapping("levels", "level2_under").get(level2)
    return parents is None or any(word in level1 for word in parents.split("、"))


def _rows(
    flat: Flat, cells: list[tuple[str, int]], layout: _Layout, lines: bool = False
) -> tuple[list[FoundIndicator], list[str]]:
    """Rows read cell by cell. With one cell per line (``lines``) nothing but the cell count tells rows
    apart, so once a cell fits no row, the rows after it up to the next level name are not trusted."""
    level1 = level2 = None
    stray = False  # one cell per line: a cell that fits no row was passed in this level's block
    rows: list[FoundIndicator] = []
    notes: list[str] = []
    bordered = "|" in flat.text[cells[0][1] : cells[-1][1]] if cells else False
    text = flat.text
    after_level1 = False
    line_open = True  # only level cells so far on this line
    i = 0
    while i < len(cells):
        cell, at = cells[i]
        if at == 0 or text[at - 1] == "\n" or "\n" in text[cells[i - 1][1] if i else 0 : at]:
            line_open = True
        level = _level(cells, i, after_level1)
        if level is not None:
            kind, name = level
            if kind == "l1":
                level1, level2 = name, None
            else:
                if not after_level1 and level1 is not None and not _under(level1, name):
                    level1 = None  # the level-1 printed above does not head this level-2
                level2 = name
            after_level1 = kind == "l1"
            stray = False
            i += 1
            continue
        after_level1 = False
        opens_line, line_open = line_open, False
        if _is_header(cell) or not _is_name(cell):
            stray = stray or (lines and level2 is not None and not _is_header(cell))
            i += 1
            continue
        parsed = _row(cells, i + 1, layout)
        if parsed is None:
            stray = stray or lines
            if (
                bordered
                and opens_line
                and not cell.startswith("其中")
                and _DIGIT.search(text[at : text.find("\n", at) % (len(text) + 1)])
            ):
                notes.append(f"“{cell}”一行的数值无法与表头各栏一一对应，未读取")
            i += 1
            continue
        fields, next_i = parsed
        last = cells[next_i - 1][1] + len(cells[next_i - 1][0])
        if (
            not layout.numeric
            and "score" not in fields
            and not (opens_line and _one_line(text, at, last, next_i, cells))
        ):
            # a row with no number to anchor it is read only where the table's rows are lines of their own
            stray = stray or lines
            i += 1
            continue
        if stray:
            notes.append(f"“{cell}”一行之前有对不上栏目的格子，本行未读取（逐格换行的表无法确定其所在行）")
            i = next_i
            continue
        if layout.numeric and (orphan := _orphan_values(cells, next_i, layout)) is not None:
            # a full set of values with no name of its own follows: names and values are out of step
            # (text taken from a PDF in the wrong order), so this row's values may be another row's
            notes.append(f"“{cell}”之后的数值与指标名称错位，这几行未读取")
            i = orphan
            continue
        if not cell.startswith("其中"):
            rows.append(
                FoundIndicator(
                    level1=level1,
                    level2=level2,
                    level3=_POINTS_NOTE.sub("", cell),
                    target=fields.get("target"),
                    actual=fields.get("actual"),
                    points=_num(fields.get("points")),
                    score=_num(fields.get("score")),
                    reason=fields.get("reason"),
                    evidence=flat.evidence(at, last),
                )
            )
        i = next_i
    return rows, notes


def _orphan_values(cells: list[tuple[str, int]], i: int, layout: _Layout) -> int | None:
    """Where values that follow a row without a name of their own end (None if no such values follow)."""
    if i >= len(cells) or _is_name(cells[i][0]) or _is_header(cells[i][0]) or _level(cells, i, False):
        return None
    parsed = _row(cells, i, layout)
    if parsed is None or not all(f in parsed[0] for f in layout.numeric):
        return None
    return parsed[1]


def _columns_apart(flat: Flat, cells: list[tuple[str, int]], layout: _Layout) -> tuple[list[FoundIndicator], list[str]]:
    """PDF text that printed the table by columns: every row's values together, the names and the level
    names elsewhere. Read only when the sets of values, the names and the level-2 names are equally many,
    so that the k-th of each is one row; the level-1 is the one printed the level-2 belongs under."""
    values: list[tuple[dict[str, str], int, int]] = []
    names: list[tuple[str, int]] = []
    level1s: list[str] = []
    level2s: list[str] = []
    i = 0
    while i < len(cells):
        cell, at = cells[i]
        level = _level(cells, i, False)
        if level is not None:
            (level1s if level[0] == "l1" else level2s).append(level[1])
            i += 1
            continue
        parsed = _row(cells, i, layout) if not _is_header(cell) else None
        if parsed is not None and all(f in parsed[0] for f in layout.numeric):
            fields, next_i = parsed
            values.append((fields, at, cells[next_i - 1][1] + len(cells[next_i - 1][0])))
            i = next_i
            continue
        if _is_name(cell):
            names.append((cell, at))
        elif len(cell) == 1 and names and _CJK.match(cell) and cells[i - 1][1] == names[-1][1]:
            names[-1] = (names[-1][0] + cell, names[-1][1])  # the wrapped last character of a name
        i += 1
    if not values or not (len(values) == len(names) == len(level2s)):
        return [], []
    rows = [
        FoundIndicator(
            level1=_parent(level2, level1s),
            level2=level2,
            level3=name,
            target=fields.get("target"),
            actual=fields.get("actual"),
            points=_num(fields.get("points")),
            score=_num(fields.get("score")),
            reason=fields.get("reason"),
            evidence=flat.evidence(start, end),
        )
        for (fields, start, end), (name, _), level2 in zip(values, names, level2s, strict=True)
        if not name.startswith("其中")
    ]
    return rows, ["指标表的名称与数值分处两处（文字按列导出），按出现顺序一一对应读取"]


def _parent(level2: str, level1s: list[str]) -> str | None:
    """The one printed level-1 that ``level2`` belongs under (``levels.yaml`` ``level2_under``), if any."""
    parents = mapping("levels", "level2_under").get(level2)
    if parents is None:
        return None
    for word in parents.split("、"):
        found = {name for name in level1s if word in name}
        if len(found) == 1:
            return found.pop()
    return None


def _one_line(text: str, start: int, end: int, next_i: int, cells: list[tuple[str, int]]) -> bool:
    """The row's cells share one line, and the next cell opens a new one (the name opens the line, or
    follows only level cells: checked by the caller)."""
    if "\n" in text[start:end]:
        return False
    return next_i >= len(cells) or "\n" in text[end : cells[next_i][1]]


def _num(text: str | None) -> Decimal | None:
    return read_number(text) if text is not None else None


def _row(cells: list[tuple[str, int]], i: int, layout: _Layout) -> tuple[dict[str, str], int] | None:
    """Read the cells after a row's name by the layout; None if they do not form a row."""
    fields: dict[str, str] = {}
    op = unit = ""
    points = Decimal(100)  # the 分值 as read (the cell may be 「1 5」), which the 得分 may not exceed
    numeric = layout.numeric
    for field in layout.fields:
        if i >= len(cells):
            if numeric and all(f in fields for f in numeric):
                break
            # the text is cut off: a row with its values so far still counts if it has a target
            if "target" in fields and not any(f in fields for f in numeric) and not layout.assumed:
                return _compose(fields, op, unit), i
            return None
        cell = cells[i][0]
        if level1_cell().match(cell) or level2_cell().match(cell):
            break
        if field == "op":
            if _operator_cell().match(cell):
                op = cell
                i += 1
            elif _nature_cell().match(cell):  # 正向/反向, 定量/定性: the column's other use, not part of the value
                i += 1
        elif field == "unit":
            if _unit_cell().match(cell):
                unit = cell
                i += 1
        elif field in ("points", "score"):
            value = read_number(cell)
            if value is None or value > 100:
                return None
            if field == "score" and value > points:
                return None
            if field == "points":
                points = value
            fields[field] = cell
            i += 1
        elif field == "reason":
            if not _starts_row(cells, i, layout) and _is_reason(cell):
                fields["reason"] = cell
                i += 1
        else:
            fields[field] = cell
            i += 1
    if not all(f in fields for f in numeric):
        return None
    if not numeric and not ("target" in fields and "actual" in fields):
        return None
    if layout.trailing_score and i < len(cells):
        value = read_number(cells[i][0])
        if value is not None and value <= 100 and cells[i][0].strip().replace(".", "", 1).isdigit():
            fields["score"] = cells[i][0]
            i += 1
    return _compose(fields, op, unit), i


def _compose(fields: dict[str, str], op: str, unit: str) -> dict[str, str]:
    """年度指标值 as one string: 指标性质 + 指标值 + 度量单位 ("≧" "735" "人次" -> "≧735人次")."""
    if "target" in fields:
        fields["target"] = f"{op}{fields['target']}{unit}"
    return fields


def _starts_row(cells: list[tuple[str, int]], i: int, layout: _Layout) -> bool:
    cell = cells[i][0]
    if level1_cell().match(cell) or level2_cell().match(cell):
        return True
    return _is_name(cell) and _row_no_reason(cells, i + 1, layout)


def _row_no_reason(cells: list[tuple[str, int]], i: int, layout: _Layout) -> bool:
    fields = tuple(f for f in layout.fields if f != "reason")
    return _row(cells, i, _Layout(fields, layout.trailing_score, layout.assumed)) is not None


def _is_reason(cell: str) -> bool:
    return not _is_header(cell) and read_number(cell) is None


# --- indicators listed in a report's sentences --------------------------------------------------------


@pattern
def _listed_value(v: Vocabulary) -> re.Pattern[str]:
    """One listed indicator: its name, then the value it is to reach (comparator, number, unit) at the end."""
    return re.compile(
        rf"^(?P<name>.*?[^\d.\s])\s*(?P<value>(?:{_comparator()})?\d+(?:\.\d+)?(?:%|‰|[^\d\s.,，、;；。:：()]{{1,5}})?)$"
    )


@pattern
def _listed_heading(v: Vocabulary) -> re.Pattern[str]:
    """“2.质量指标1个:”: a level-2 name with the number of indicators listed after it."""
    return re.compile(
        rf"(?:^|\n)\s*(?:\d{{1,2}}\s*[.、．]|\(\d{{1,2}}\))\s*(?P<level2>{levels.level2()})\s*(?P<count>\d{{1,2}})\s*[个项]\s*[:：]"
    )


def read_listed_indicators(flat: Flat, start: int = 0) -> tuple[list[FoundIndicator], list[str]]:
    """Indicators a report lists by level-2 ("1.数量指标2个:A 6个、B 1659吨/年。"): the stated count must
    equal the items, and every item must end in its value, or the list is left unread (with a note)."""
    text = flat.text
    rows: list[FoundIndicator] = []
    notes: list[str] = []
    for m in _listed_heading().finditer(text, start):
        stop = re.compile(r"[。\n]").search(text, m.end())
        end = stop.start() if stop else len(text)
        items = [(item.group(0), item.start()) for item in re.finditer(r"[^、,，;；]+", text[m.end() : end])]
        read = [(_listed_value().match(item.strip()), m.end() + at, item) for item, at in items]
        if len(read) != int(m.group("count")) or not all(r for r, _, _ in read):
            notes.append(f"“{m.group('level2')}”所列 {m.group('count')} 项指标与所写的值对不上，未逐项读取")
            continue
        for found, at, item in read:
            assert found is not None
            rows.append(
                FoundIndicator(
                    level1=None,
                    level2=m.group("level2"),
                    level3=found.group("name").strip(),
                    target=found.group("value"),
                    actual=None,
                    points=None,
                    score=None,
                    reason=None,
                    evidence=flat.evidence(at, at + len(item)),
                )
            )
    return rows, notes
