"""The fund block of a 自评表: headers give the column order, then 年度资金总额 and its 其中 rows.

Works on real tables (cells separated by ``|``), on flat text and on PDF/OCR text whose cells ran
together (``64.864.864.8100%``), which is split by the column order and the row's own arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...core.audit.document import FundLine
from ..numbers import read_number, read_percent
from ..runs import Col, split_run
from .flat import Flat

#: column kinds in the order the standard table (财预〔2020〕10号 附1) prints them
STANDARD_COLUMNS = ("initial", "budget", "spent", "points", "rate", "score")

_HEADERS = re.compile(
    r"(?P<rate>预算执行率|执行率(?:\(B/A\))?)"
    r"|(?P<spent>全年执行数(?:\(B\))?|预算执行数|实际支出金额|执行数)"
    r"|(?P<initial>年初预[算匏]数?(?:\(A\))?)"
    r"|(?P<budget>全年预算数(?:\(A\))?|调整后预算数?|调整预算[数将]?|预算计划安排)"
    r"|(?P<arrived>实际到位数?|到位数)"
    r"|(?P<points>分值(?:\(\d+分\))?|权重)"
    r"|(?P<score>得分(?!计算))"
)
_ROW_LABEL = re.compile(
    r"(?P<total>年度资金总额|资金总额|(?<![\u4e00-\u9fff])总额|合计)"
    r"|(?P<part>其中[:]?\s*(?:本年|当年)?财政\s*拨款|(?:本年|当年)财政\s*拨款|其中[:]?\s*财政资金|财政资金|财政专户管理资金"
    r"|单位资金|上年结转\s*资金|其他资金|基本支出|项目支出|其中[:]?\s*中央补助(?:自治区补助)?|自治区补助|中央补助|市县资金)"
)
_REGION_START = re.compile(r"项目资金|资金情况|预算执行情况|资金来源|年度资金总额|总体\s*资金")
_REGION_END = re.compile(r"年度\s*总体|总体目标|绩效指标|项目基本情况")
_UNIT = re.compile(r"\((万元|元)\)")
_NUMERIC_CELL = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?\s*(?:%|万元|元)?$")
_PLACEHOLDER = re.compile(r"^[—\-/一–]+$")
_RUN = re.compile(r"(\d[\d.,%]{4,})")
# 11 or more digits before the point is no amount a table prints (10¹¹ 元 is 100 亿): cells ran together
_TOO_LONG = re.compile(r"^\d{11,}")
_INLINE = re.compile(r"(\d+(?:\.\d+)?)(?=\D|$)")


@dataclass(slots=True)
class _Value:
    value: Decimal | None
    is_rate: bool
    start: int
    end: int


def read_fund_block(flat: Flat, start: int = 0) -> tuple[list[FundLine], list[str]]:
    """Fund lines of the block after ``start`` and Chinese notes on what could not be read."""
    text = flat.text
    m = _REGION_START.search(text, start)
    if not m:
        return [], []
    end_m = _REGION_END.search(text, m.end())
    region_end = end_m.start() if end_m else min(len(text), m.start() + 1500)
    region = (m.start(), region_end)
    unit_m = _UNIT.search(text, max(m.start() - 40, 0), region_end)
    in_yuan = bool(unit_m and unit_m.group(1) == "元")
    columns = _columns(text[region[0] : region[1]])
    labels = list(_ROW_LABEL.finditer(text, region[0], region[1]))
    notes: list[str] = []
    lines: list[FundLine] = []
    for i, label in enumerate(labels):
        stop = labels[i + 1].start() if i + 1 < len(labels) else region[1]
        inline = _inline_values(text, label.end(), stop)
        values = _values(text, label.end(), stop, columns, notes)
        figures = _align(values, columns) if values else {}
        for kind, value in inline.items():
            figures.setdefault(kind, value)
        if not any(v is not None for v in figures.values()):
            continue
        if in_yuan:
            figures = {
                k: (v / 10000 if k in ("initial", "budget", "spent", "arrived") and v is not None else v)
                for k, v in figures.items()
            }
        _percent_cell_as_fraction(figures, notes)
        span_end = max([v.end for v in values], default=label.end())
        lines.append(
            FundLine(
                label=label.group(0).replace(" ", ""),
                initial_budget_wan=figures.get("initial"),
                budget_wan=figures.get("budget"),
                spent_wan=figures.get("spent"),
                points=figures.get("points"),
                rate_pct=figures.get("rate"),
                score=figures.get("score"),
                evidence=flat.evidence(label.start(), span_end),
                is_total=label.lastgroup == "total",
            )
        )
    if in_yuan and lines:
        notes.append("资金栏以“元”为单位，已折算为万元")
    return lines, notes


def _percent_cell_as_fraction(figures: dict[str, Decimal | None], notes: list[str]) -> None:
    """A spreadsheet cell formatted as a percentage stores 0.6536 for 65.36%; the row's own amounts say so."""
    rate, spent = figures.get("rate"), figures.get("spent")
    budget = figures.get("budget") if figures.get("budget") is not None else figures.get("initial")
    if rate is None or spent is None or not budget or rate > Decimal("1.5"):
        return
    if abs(spent * 100 / budget - rate * 100) < Decimal("0.05") and abs(spent * 100 / budget - rate) >= Decimal("0.05"):
        figures["rate"] = Decimal(f"{(rate * 100).normalize():f}")
        notes.append(f"执行率单元格存为小数 {rate}（百分比格式），按 {figures['rate']:f}% 读取")


def _columns(region: str) -> tuple[str, ...]:
    seen: list[str] = []
    for m in _HEADERS.finditer(region):
        kind = m.lastgroup or ""
        if kind not in seen:
            seen.append(kind)
    return tuple(seen) if len(seen) >= 2 else STANDARD_COLUMNS


def _inline_values(text: str, start: int, stop: int) -> dict[str, Decimal]:
    """A header immediately followed by its number, as OCR prints "全年预算数(A)300"."""
    found: dict[str, Decimal] = {}
    for m in _HEADERS.finditer(text, start, stop):
        after = _INLINE.match(text, m.end(), stop)
        if after and m.lastgroup and m.lastgroup != "rate":
            value = read_number(after.group(1))
            if value is not None:
                found.setdefault(m.lastgroup, value)
    return found


def _values(text: str, start: int, stop: int, columns: tuple[str, ...], notes: list[str]) -> list[_Value]:
    """The numbers after a row label, one per cell; a glued run is split by the column order."""
    values: list[_Value] = []
    pos = start
    for cell in re.split(r"(\||\n)", text[start:stop]):
        cell_start = pos
        pos += len(cell)
        stripped = cell.strip(" :")
        if cell in ("|", "\n") or not stripped:
            continue
        at = cell_start + cell.index(stripped)
        if _PLACEHOLDER.match(stripped):
            values.append(_Value(None, False, at, at + len(stripped)))
            continue
        words = stripped.split(" ")
        if len(words) > 1 and all(_NUMERIC_CELL.match(w) or _PLACEHOLDER.match(w) for w in words):
            offset = at
            for w in words:
                values.append(_word_value(w, offset))
                offset += len(w) + 1
            continue
        # glued to its label ("年度资金总额:100100100"), a long run of digits is cells run together
        glued = cell_start == start and len(stripped) >= 9 and "." not in stripped
        if _NUMERIC_CELL.match(stripped) and not _TOO_LONG.match(stripped) and not glued:
            values.append(_word_value(stripped, at))
            continue
        run = _RUN.search(stripped)
        if run and (
            run.group(1).count(".") > 1
            or "%" in run.group(1)[:-1]
            or len(run.group(1)) > 8
            or _TOO_LONG.match(stripped)
        ):
            remaining = columns[len(values) :] or columns
            parts = split_run(run.group(1), [_COL[c] for c in remaining if c in _COL])
            if parts:
                run_at = at + run.start(1)
                rate_index = [c for c in remaining if c in _COL].index("rate") if "rate" in remaining else -1
                for j, part in enumerate(parts):
                    values.append(_Value(part, j == rate_index, run_at, run_at + len(run.group(1))))
                continue
            notes.append(f"数字粘连“{run.group(1)}”没有唯一一种符合列序和行内算术的拆法，未读取")
        if values:  # text after the figures (a reason, a method): the row's figures end here
            break
    return values


_COL = {
    "initial": Col.AMOUNT,
    "budget": Col.AMOUNT,
    "spent": Col.AMOUNT,
    "arrived": Col.AMOUNT,
    "points": Col.POINTS,
    "rate": Col.RATE,
    "score": Col.SCORE,
}


def _word_value(word: str, at: int) -> _Value:
    if _PLACEHOLDER.match(word):
        return _Value(None, False, at, at + len(word))
    if word.endswith("%"):
        return _Value(read_percent(word), True, at, at + len(word))
    return _Value(read_number(word.removesuffix("万元").removesuffix("元")), False, at, at + len(word))


def _align(values: list[_Value], columns: tuple[str, ...]) -> dict[str, Decimal | None]:
    """Put a row's values under its columns. A row with fewer values than columns is aligned on its
    rate (the one value with %): the figures before it end at the rate column, the others follow it."""
    if len(values) == len(columns):
        return {c: v.value for c, v in zip(columns, values, strict=True)}
    rate_at = next((i for i, v in enumerate(values) if v.is_rate), None)
    if rate_at is None or "rate" not in columns:
        if len(values) > len(columns):
            return {}
        return {c: v.value for c, v in zip(columns, values, strict=False)}
    col_rate = columns.index("rate")
    before, after = values[:rate_at], values[rate_at + 1 :]
    if len(before) > col_rate or len(after) > len(columns) - col_rate - 1:
        return {}
    out: dict[str, Decimal | None] = {"rate": values[rate_at].value}
    for c, v in zip(columns[col_rate - len(before) : col_rate], before, strict=True):
        out[c] = v.value
    for c, v in zip(columns[col_rate + 1 :], after, strict=False):
        out[c] = v.value
    return out
