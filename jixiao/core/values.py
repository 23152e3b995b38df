"""Parsing and display of money, percentages and indicator values.

Every figure is a ``Decimal``. Money is held in 万元; other units are converted on the way in.
Percentages are held as percentage points (``Decimal("65.36")`` means 65.36%).
Parsers raise :class:`ValueProblem` with a Chinese message; callers add the file and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

#: factor that turns an amount in the key's unit into 万元
MONEY_UNITS: dict[str, Decimal] = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
}

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％－＋＜＞＝", "0123456789.,%-+<>=")
_OPERATORS = {
    "≥": ">=",
    ">=": ">=",
    "＞=": ">=",
    "大于等于": ">=",
    "不低于": ">=",
    "不少于": ">=",
    ">": ">=",
    "≤": "<=",
    "<=": "<=",
    "小于等于": "<=",
    "不高于": "<=",
    "不超过": "<=",
    "<": "<=",
    "=": "=",
    "＝": "=",
    "等于": "=",
}
_OPERATOR_WORDS = tuple(sorted(_OPERATORS, key=len, reverse=True))
_NUMBER = r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?"
_MEASURE = re.compile(rf"({_NUMBER})(.{{0,8}})")
_DIGIT = re.compile(r"\d")
_PLACES = {n: Decimal(1).scaleb(-n) for n in range(7)}


class ValueProblem(ValueError):
    """A value that cannot be read; the message is Chinese and names the value."""


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII, surrounding blanks removed."""
    return text.translate(_FULLWIDTH).strip()


def to_decimal(value: object, what: str = "数值") -> Decimal:
    """A number from int, Decimal, float (through its shortest repr) or text; never via float maths."""
    if isinstance(value, bool) or value is None:
        raise ValueProblem(f"{what}应为数字，实际为“{value}”")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, float)):
        result = Decimal(str(value))
    else:
        text = normalise(str(value)).replace(",", "")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueProblem(f"{what}应为数字，实际为“{value}”") from None
    if not result.is_finite():
        raise ValueProblem(f"{what}应为有限的数字，实际为“{value}”")
    return result


def parse_amount(value: object, default_unit: str = "万元", what: str = "金额") -> Decimal:
    """An amount in 万元 from a number (in ``default_unit``) or text such as ``"1530000元"``.

    Negative amounts are refused: budgets, arrivals and spending are never below zero.
    """
    if isinstance(value, str):
        text = normalise(value).replace(",", "").replace(" ", "")
        match = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)(元|千元|万元|万|亿元|亿)?", text)
        if not match:
            raise ValueProblem(f"{what}“{value}”不是有效的金额，应写成数字或带单位的金额，如“153”或“153万元”")
        number, unit = Decimal(match.group(1)), match.group(2) or default_unit
    else:
        number, unit = to_decimal(value, what), default_unit
    if number < 0:
        raise ValueProblem(f"{what}不能为负数：{value}")
    return number * MONEY_UNITS[unit]


def parse_percent(value: object, what: str = "比率") -> Decimal:
    """Percentage points from ``"65.36%"``. A bare number is refused: 65.36 and 0.6536 are both common."""
    if isinstance(value, str):
        text = normalise(value).replace(" ", "")
        if text.startswith("百分之"):
            raise ValueProblem(f"{what}“{value}”请用阿拉伯数字加百分号书写，如“65.36%”")
        match = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)%", text)
        if match:
            return Decimal(match.group(1))
    raise ValueProblem(
        f"{what}“{value}”缺少百分号，无法判断是 {value}% 还是 {value}×100%，请写成带百分号的形式，如“65.36%”"
    )


@dataclass(frozen=True, slots=True)
class Measure:
    """A written value split into its parts: ``"≥50个"`` → operator ``>=``, number 50, unit 个."""

    raw: str
    operator: str | None = None
    number: Decimal | None = None
    unit: str | None = None

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def parse_measure(text: object) -> Measure:
    """Split a target or actual value into operator, number and unit; text without a number stays text."""
    if text is None:
        return Measure(raw="")
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return Measure(raw=str(text), number=to_decimal(text))
    return _parse_text_measure(str(text))


@lru_cache(maxsize=8192)
def _parse_text_measure(text: str) -> Measure:
    # Targets repeat across thousands of projects ("≥90%", "=0起"); Measure is immutable, so caching is safe.
    raw = text.strip()
    body = normalise(raw).replace(" ", "")
    operator = None
    for word in _OPERATOR_WORDS:
        if body.startswith(word):
            operator = _OPERATORS[word]
            body = body[len(word) :]
            break
    match = _MEASURE.fullmatch(body)
    if not match:
        return Measure(raw=raw, operator=operator)
    unit = match.group(2) or None
    if unit and _DIGIT.search(unit):
        return Measure(raw=raw, operator=operator)
    return Measure(raw=raw, operator=operator, number=Decimal(match.group(1).replace(",", "")), unit=unit)


def quantize(value: Decimal, places: Decimal = TWO_PLACES) -> Decimal:
    """Round half up, the way a finance officer rounds, for display only. A figure past the decimal precision (a
    rate of 10²⁹ %) is returned as it is: it has no cents to round."""
    try:
        return value.quantize(places, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value


def fmt(value: Decimal | None, places: int = 2) -> str:
    """Display a figure with a fixed number of decimals; ``—`` for nothing."""
    if value is None or not value.is_finite():
        return "—"
    try:
        return f"{value.quantize(_PLACES[places], rounding=ROUND_HALF_UP):f}"
    except InvalidOperation:  # past the decimal precision: a figure no document can mean, shown as it is
        return _unrounded(value)


#: the most digits before the point a figure is printed with in full; beyond, it is printed as 1.235E+40
_FULL_DIGITS = 40


def _unrounded(value: Decimal) -> str:
    return f"{value:f}" if value.adjusted() < _FULL_DIGITS else f"{value:.3E}"


def fmt_count(value: Decimal | None) -> str:
    """A count as written: ``6115``, ``2.6`` (万); no padding to two decimals."""
    if value is None:
        return "—"
    return f"{value.normalize():f}"


def fmt_pct(value: Decimal | None) -> str:
    """Percentage points for display: ``65.36%``."""
    shown = fmt(value)
    return shown if shown == "—" else f"{shown}%"


def ratio_pct(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator × 100, unrounded; None when the denominator is zero."""
    if denominator == 0:
        return None
    return numerator * HUNDRED / denominator
