"""Indicator rows of a 自评表: levels, 年度指标值, 实际完成值, 分值, 得分 and the reason, as printed.

The header row gives the column order (templates differ: 分值 before or after the values, 指标性质 and
度量单位 in cells of their own). Each row is read by that order with a type test per cell, so a
missing reason or a wrapped cell does not shift the columns. Text without cell borders goes to
:mod:`..glued_rows`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...core.audit.document import FoundIndicator
from .. import levels
from ..glued_rows import parse_glued_indicators
from ..numbers import read_number
from ..vocabulary import Vocabulary, pattern
from .flat import Flat

_POINTS = r"\s*(?:\((\d+(?:\.\d+)?)分\))?$"


@pattern
def level1_cell(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"^({v.alternation('levels', 'level1_in_tables')}|{levels.level1()}){_POINTS}")


@pattern
def level2_cell(v: Vocabulary) -> re.Pattern[str]:
    return re.compile(rf"^({v.alternation('levels', 'level2_in_tables')}|{levels.level2()}){_POINTS}")


_HEADER_WORDS = re.compile(
    r"^(绩效指标(?:\(\d+分\))?|一级指标|二级指标|三级指标|指标性质|指标值|度量单位|计量单位|年度指标值(?:\(A\))?|实际完成值"
    r"|全年实际值(?:\(B\))?|完成值|实际值|分值|权重|得分|偏差原因分析及改进措施|未完成原因分析?(?:及改进措施|及拟采取的改进措施)?"
    r"|……|\.\.\.|\.{3,}|…+|指标\d[:]?|一级|指标)$"
)
_FIELDS = re.compile(
    r"(?P<op>指标性质)|(?P<unit>度量单位|计量单位)|(?P<target>年度指标值|指标值)"
    r"|(?P<actual>实际完成值|全年实际值|完成值|实际值)|(?P<points>分值|权重)|(?P<score>得分)"
    r"|(?P<reason>偏差原因|未完成原因|原因分析)"
)
_OPERATOR = re.compile(r"^(≥|≧|>=|>|≤|≦|<=|<|=|═|＝)$")
_UNIT = re.compile(
    r"^(%|‰|个|人|人次|次|场|项|家|户|元|万元|亿元|天|日|月|年|亩|公里|千米|米|吨|册|本|所|台|套|篇|期|件|只|头|株|份|分|小时)$"
)
_END = re.compile(r"(其他需要说明事项|总分|合计|评价结论|项目负责人)")
_STANDARD_LAYOUT = ("target", "actual", "points", "score", "reason")


FOUR_LEVELS = re.compile(r"四级\s*指标")


def read_indicator_rows(flat: Flat, start: int = 0) -> list[FoundIndicator]:
    """The scored rows of a three-level table (a four-level one is not read: see :data:`FOUR_LEVELS`)."""
    text = flat.text
    head = re.search(r"一级\s*指标", text[start:])
    if not head:
        return []
    begin = start + head.start()
    end_m = _END.search(text, begin)
    end = end_m.start() if end_m else len(text)
    title = text.rfind("绩效指标", max(begin - 200, start), begin)
    first = title if title >= 0 else begin
    if FOUR_LEVELS.search(text, first, min(begin + 300, end)):
        return []
    layout = _layout(text[first : min(begin + 300, end)])
    cells = _cells(text, begin, end)
    if _glued(text[begin:end], cells):
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
            for row in parse_glued_indicators(text[first:end])
        ]
    return _rows(flat, cells, layout)


def _glued(region: str, cells: list[tuple[str, int]]) -> bool:
    """PDF or OCR text whose cells ran together: no borders and a few very long "cells"."""
    return "|" not in region and bool(cells) and (len(cells) < 10 or max(len(c) for c, _ in cells) > 80)


def _layout(header: str) -> tuple[str, ...]:
    fields: list[str] = []
    for m in _FIELDS.finditer(header):
        kind = m.lastgroup or ""
        if kind not in fields:
            fields.append(kind)
    if "target" not in fields or "points" not in fields:
        return _STANDARD_LAYOUT
    if "op" in fields or "unit" in fields:  # 年度指标值 split into 指标性质 | 指标值 | 度量单位
        fields = [f for f in fields if f not in ("op", "unit")]
        at = fields.index("target")
        fields[at : at + 1] = ["op", "target", "unit"]
    return tuple(fields)


def _cells(text: str, begin: int, end: int) -> list[tuple[str, int]]:
    """(cell text, offset) of the region; without any cell border, words are cells."""
    region = text[begin:end]
    bordered = "|" in region
    pattern = r"[^|\n]+" if bordered else r"[^\s|]+"
    out = []
    for m in re.finditer(pattern, region):
        cell = m.group(0).strip()
        if cell:
            out.append((cell, begin + m.start() + m.group(0).index(cell)))
    return out


def _is_name(cell: str) -> bool:
    return len(re.findall(r"[\u4e00-\u9fff]", cell)) >= 2 and not _HEADER_WORDS.match(cell)


def _rows(flat: Flat, cells: list[tuple[str, int]], layout: tuple[str, ...]) -> list[FoundIndicator]:
    level1 = level2 = None
    rows: list[FoundIndicator] = []
    i = 0
    while i < len(cells):
        cell, at = cells[i]
        if (m := level1_cell().match(cell)) and not (m.group(1) == "成本指标" and level1 == "产出指标"):
            level1, level2 = m.group(1), None
            i += 1
            continue
        if m := level2_cell().match(cell):
            level2 = m.group(1)
            i += 1
            continue
        if _HEADER_WORDS.match(cell) or not _is_name(cell):
            i += 1
            continue
        parsed = _row(cells, i + 1, layout)
        if parsed is None:
            i += 1
            continue
        fields, next_i = parsed
        if not cell.startswith("其中"):
            last = cells[next_i - 1][1] + len(cells[next_i - 1][0])
            rows.append(
                FoundIndicator(
                    level1=level1,
                    level2=level2,
                    level3=cell,
                    target=fields.get("target"),
                    actual=fields.get("actual"),
                    points=_num(fields.get("points")),
                    score=_num(fields.get("score")),
                    reason=fields.get("reason"),
                    evidence=flat.evidence(at, last),
                )
            )
        i = next_i
    return rows


def _num(text: str | None) -> Decimal | None:
    return read_number(text) if text is not None else None


def _row(cells: list[tuple[str, int]], i: int, layout: tuple[str, ...]) -> tuple[dict[str, str], int] | None:
    """Read the cells after a row's name by the layout; None if they do not form a row."""
    fields: dict[str, str] = {}
    op = unit = ""
    points = Decimal(100)  # the 分值 as read (the cell may be 「1 5」), which the 得分 may not exceed
    for field in layout:
        if i >= len(cells):
            if "points" in fields and "score" in fields:
                break
            # the text is cut off: a row with its values so far still counts if it has a target
            if "target" in fields and "points" not in fields:
                return _compose(fields, op, unit), i
            return None
        cell = cells[i][0]
        if level1_cell().match(cell) or level2_cell().match(cell):
            break
        if field == "op":
            if _OPERATOR.match(cell):
                op = cell
                i += 1
        elif field == "unit":
            if _UNIT.match(cell):
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
    if "points" not in fields or "score" not in fields:
        return None
    return _compose(fields, op, unit), i


def _compose(fields: dict[str, str], op: str, unit: str) -> dict[str, str]:
    """年度指标值 as one string: 指标性质 + 指标值 + 度量单位 ("≧" "735" "人次" -> "≧735人次")."""
    if "target" in fields:
        fields["target"] = f"{op}{fields['target']}{unit}"
    return fields


def _starts_row(cells: list[tuple[str, int]], i: int, layout: tuple[str, ...]) -> bool:
    cell = cells[i][0]
    if level1_cell().match(cell) or level2_cell().match(cell):
        return True
    return _is_name(cell) and _row_no_reason(cells, i + 1, layout)


def _row_no_reason(cells: list[tuple[str, int]], i: int, layout: tuple[str, ...]) -> bool:
    return _row(cells, i, tuple(f for f in layout if f != "reason")) is not None


def _is_reason(cell: str) -> bool:
    return not _HEADER_WORDS.match(cell) and read_number(cell) is None
