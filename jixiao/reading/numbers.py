"""Reading figures from the text of real documents: amounts, plain numbers and percentages.

Documents write the same amount many ways: ``153万元``, ``1530000元``, ``１５３万元``, ``一百五十三万元``,
``壹佰伍拾叁万元整``, ``96萬元``, an OCR slip such as ``153万兀``. Every reader here returns ``None``
rather than a guess, because a wrong figure is worse than no figure. Money comes back in 万元 as an
exact ``Decimal``; percentages as percentage points (``Decimal("65.36")`` means 65.36%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from types import ModuleType

from ..core.values import MONEY_UNITS, normalise

__all__ = [
    "AmountMatch",
    "PercentMatch",
    "find_amounts",
    "find_percents",
    "read_amount",
    "read_number",
    "read_percent",
]

# One character to one character, so that spans found in the translated text are spans of the source.
_VARIANTS = str.maketrans(
    {
        "萬": "万",
        "億": "亿",
        "圓": "元",
        "圆": "元",
        "兩": "两",
        "貳": "贰",
        "參": "叁",
        "叄": "叁",
        "陸": "陆",
        "點": "点",
        "〇": "零",
        "\u3000": " ",
    }
)
# Unlike ``values.normalise`` this keeps "，": in prose it separates clauses, it is not a thousands mark.
_PROSE_WIDTH = str.maketrans("０１２３４５６７８９．％－＋￥", "0123456789.%-+¥")

_CN_DIGITS = "零一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_MAGNITUDES = "十百千万亿拾佰仟"
_CN_DIGIT_VALUE = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {
    c: str(i) for i, c in enumerate("壹贰叁肆伍陆柒捌玖", start=1)
}
_CN_DIGIT_VALUE["两"] = "2"
_POWER = {"十": 1, "百": 2, "千": 3, "万": 4, "亿": 8}

_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# A multiplier between an Arabic number and 元: 1.53亿元, 3千万元, 1530千元.
_MULTIPLIER = r"(?:万亿|[十百千]?亿|[十百千]?万|千|百)"
_CN_NUMERAL = rf"[{_CN_DIGITS}{_CN_MAGNITUDES}]+(?:点[{_CN_DIGITS}]+[万亿]*)?"
_YUAN = "元兀"  # 兀 is a common OCR slip for 元

_CELL_ARABIC = re.compile(rf"(?P<num>{_ARABIC})(?P<mult>{_MULTIPLIER})?(?P<yuan>[{_YUAN}])?")
_CELL_CHINESE = re.compile(rf"(?P<cn>{_CN_NUMERAL})(?P<yuan>[{_YUAN}])?")
_PREFIXES = ("人民币",)

_PROSE_ARABIC = re.compile(
    rf"(?<![\d.,])(?<!\d，)(?P<cur>¥[ \t]*)?(?P<num>{_ARABIC})(?!\d|[.,]\d)"
    rf"[ \t]*(?P<mult>{_MULTIPLIER})?[ \t]*(?P<yuan>[{_YUAN}]整?)?"
)
# Not after another numeral, nor after 数/几/上/成: "数十万元" is an estimate, not 十万元.
_PROSE_CHINESE = re.compile(
    rf"(?<![\d{_CN_DIGITS}{_CN_MAGNITUDES}数几上成])(?P<cn>{_CN_NUMERAL})(?P<yuan>[{_YUAN}]整?)"
)
# 元 that begins a word rather than ends an amount: 一元化, 三元素, 元旦, 元宵.
_NOT_MONEY_AFTER_YUAN = "化素旦宵"

_PERCENT_NUMBER = re.compile(r"(?P<num>[-+]?\d+(?:\.\d+)?)(?P<sign>%)?")
_PROSE_PERCENT = re.compile(
    r"(?P<neg>(?<![\d.%~～])-)?(?<![\d.,])(?P<num>\d+(?:\.\d+)?)[ \t]*%"
    rf"|百分之(?P<cn>{_CN_NUMERAL})"
)
_PLAIN_NUMBER = re.compile(rf"[-+]?{_ARABIC}")


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """An amount found in a sentence: ``text[start:end]`` of the source is ``text``, worth ``wan`` 万元."""

    start: int
    end: int
    wan: Decimal
    text: str


@dataclass(frozen=True, slots=True)
class PercentMatch:
    """A percentage found in a sentence, in percentage points."""

    start: int
    end: int
    value: Decimal
    text: str


def read_amount(text: str, default_unit: str | None = None) -> Decimal | None:
    """An amount in 万元, or ``None`` when it cannot be read with confidence.

    A unit written in the text wins. A bare number is read in ``default_unit`` (a key of
    ``MONEY_UNITS``, such as "元" for a column headed 金额（元）); without one it is ``None``.
    ``"153万"`` needs no 元: 万/亿 after a number are read as 万元/亿元. Negative amounts, ranges,
    placeholders ("—", "/", "") and anything else around the figure give ``None``.

    >>> read_amount("2026400元")
    Decimal('202.64')
    >>> read_amount("387664.62", default_unit="元")
    Decimal('38.766462')
    >>> read_amount("壹佰伍拾叁万元整")
    Decimal('153')
    """
    default_power = _unit_power(default_unit) if default_unit is not None else None
    body = _cell(text)
    currency = body[:1] == "¥"
    body = body.removeprefix("¥")
    if body.endswith("元整") or body.endswith("兀整"):
        body = body[:-1]
    if not body:
        return None

    if match := _CELL_ARABIC.fullmatch(body):
        number = Decimal(match["num"].replace(",", ""))
        multiplier, yuan = match["mult"], match["yuan"]
        if yuan or currency:
            power = _power(multiplier or "") - 4
        elif multiplier and multiplier[-1] in "万亿":
            power = _power(multiplier) - 4
        elif multiplier is None and default_power is not None:
            power = default_power
        else:
            return None
        return _shift(number, power)

    if match := _CELL_CHINESE.fullmatch(body):
        numeral = match["cn"]
        number = _chinese_number(numeral)
        if number is None:
            return None
        if match["yuan"] or currency or numeral[-1] in "万亿":
            return _shift(number, -4)
        if default_power is not None:
            return _shift(number, default_power)
    return None


def read_number(text: str) -> Decimal | None:
    """A plain number as printed (``"10"``, ``"9.72"``, ``"１０"``, ``"十"``), or ``None`` for anything else.

    Decimals are kept as printed: ``"9.70"`` reads as ``Decimal("9.70")``.
    """
    body = _cell(text)
    if _PLAIN_NUMBER.fullmatch(body):
        return Decimal(body.replace(",", ""))
    if re.fullmatch(_CN_NUMERAL, body):
        number = _chinese_number(body)
        return None if number is None else _tidy(number)
    return None


def read_percent(text: str, *, require_sign: bool = False) -> Decimal | None:
    """Percentage points from ``"65.36%"``, ``"６５．３６％"`` or ``"百分之六十五点三六"``.

    Printed decimals are kept (``"100.00%"`` → ``Decimal("100.00")``). A bare number such as
    ``"65.36"`` is read as percentage points unless ``require_sign``; the caller must know that
    the column holds points, since ``0.6536`` would be read as 0.6536%.
    """
    body = _cell(text)
    if match := _PERCENT_NUMBER.fullmatch(body):
        if match["sign"] or not require_sign:
            return Decimal(match["num"])
        return None
    if body.startswith("百分之"):
        return _chinese_percent(body.removeprefix("百分之"))
    return None


def find_amounts(text: str) -> list[AmountMatch]:
    """Every amount written with a money unit (元, 万元, 亿元, ¥…) in a sentence, in reading order.

    A number without a money unit is not an amount here: "2022年", "32.63公里", "15万人", "3万亩"
    and "153万" are skipped. Single-digit Chinese numerals before 元 ("二元结构") are skipped too;
    a Chinese-numeral amount needs a magnitude (十百千万亿). A figure that could also be a
    negative number, or that follows "数/几/上/成" ("数十万元"), is left out.
    """
    prose = text.translate(_PROSE_WIDTH).translate(_VARIANTS)
    found: list[AmountMatch] = []
    for match in _PROSE_ARABIC.finditer(prose):
        wan = _prose_arabic_amount(match, prose)
        if wan is not None:
            found.append(_amount_match(text, match.start(), match.end(), wan))
    for match in _PROSE_CHINESE.finditer(prose):
        numeral = match["cn"]
        if not any(c in _CN_MAGNITUDES for c in numeral) or _starts_word(prose, match.end("yuan")):
            continue
        number = _chinese_number(numeral)
        if number is not None:
            found.append(_amount_match(text, match.start(), match.end(), _shift(number, -4)))
    found.sort(key=lambda m: m.start)
    return [m for i, m in enumerate(found) if i == 0 or m.start >= found[i - 1].end]


def find_percents(text: str) -> list[PercentMatch]:
    """Every percentage in a sentence: ``"到位率65.36%"``, ``"执行率97%"``, ``"百分之百"``.

    In a range ("95%-100%", "95-100%") the dash is not read as a minus sign.
    """
    prose = text.translate(_PROSE_WIDTH).translate(_VARIANTS)
    found: list[PercentMatch] = []
    for match in _PROSE_PERCENT.finditer(prose):
        if match["num"] is not None:
            value = Decimal(match["num"])
            if match["neg"]:
                value = -value
        else:
            value = _chinese_percent(match["cn"])
            if value is None:
                continue
        found.append(PercentMatch(match.start(), match.end(), value, text[match.start() : match.end()]))
    return found


def _cell(text: str) -> str:
    body = normalise(str(text)).translate(_VARIANTS).replace("￥", "¥")
    body = re.sub(r"\s+", "", body)
    for prefix in _PREFIXES:
        body = body.removeprefix(prefix)
    return body


def _unit_power(unit: str) -> int:
    key = normalise(unit).translate(_VARIANTS)
    if key not in MONEY_UNITS:
        raise ValueError(f"未知的金额单位“{unit}”，可用：{'、'.join(MONEY_UNITS)}")
    return MONEY_UNITS[key].adjusted()


def _power(multiplier: str) -> int:
    return sum(_POWER[c] for c in multiplier)


def _shift(number: Decimal, power: int) -> Decimal:
    """``number × 10**power`` exactly; a conversion adds no trailing zeros and never an exponent."""
    if power == 0:
        return number
    return _tidy(number.scaleb(power))


#: beyond this many digits a figure is no budget (the audit reports it as impossible): it is kept as written, since
#: quantizing it would exceed the decimal context's precision
_PRECISION = 28


def _tidy(number: Decimal) -> Decimal:
    exponent = number.normalize().as_tuple().exponent
    if not isinstance(exponent, int) or len(number.as_tuple().digits) + max(0, exponent) >= _PRECISION:
        return number
    return number.quantize(Decimal(1).scaleb(min(0, exponent)))


@cache
def _cn2an() -> ModuleType:
    # cn2an takes ~0.1 s to import; only documents written in Chinese numerals need it.
    import cn2an

    return cn2an


def _chinese_integer(numeral: str) -> Decimal | None:
    # "strict" refuses what "smart" would guess: "一二三" (123?), "五万五" (55000?), "二三十万".
    try:
        value = _cn2an().cn2an(numeral, "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return Decimal(str(value))


def _chinese_number(numeral: str) -> Decimal | None:
    """A Chinese numeral (``一百五十三万``, ``壹佰伍拾叁``, ``一点五三亿``) as an exact Decimal."""
    text = numeral.translate(_VARIANTS).replace("两", "二")
    if not any(c in _CN_DIGITS or c in "十拾" for c in text):
        return None
    whole, point, fraction = text.partition("点")
    if not point:
        return _chinese_integer(whole)
    match = re.fullmatch(rf"([{_CN_DIGITS}]+)([万亿]*)", fraction)
    if not whole or not match:
        return None
    integer = _chinese_integer(whole)
    if integer is None:
        return None
    digits = "".join(_CN_DIGIT_VALUE[c] for c in match[1])
    return Decimal(f"{integer}.{digits}").scaleb(_power(match[2]))


def _chinese_percent(numeral: str) -> Decimal | None:
    if numeral == "百":
        return Decimal(100)
    number = _chinese_number(numeral)
    return None if number is None else _tidy(number)


def _prose_arabic_amount(match: re.Match[str], prose: str) -> Decimal | None:
    multiplier, yuan = match["mult"], match["yuan"]
    if yuan:
        if _starts_word(prose, match.end("yuan")):
            return None
    elif not match["cur"] or (multiplier and multiplier[-1] not in "万亿"):
        return None
    start = match.start()
    if start >= 1 and prose[start - 1] == "-" and (start < 2 or not prose[start - 2].isdigit()):
        return None  # "-50万元" is a negative figure; never report it as 50
    if start >= 2 and prose[start - 1] == " " and (prose[start - 2].isdigit() or prose[start - 2] == "."):
        return None  # "共4 1470万元": a figure a line break split ("4\n1470"); its whole is not known, so not 1470
    return _shift(Decimal(match["num"].replace(",", "")), _power(multiplier or "") - 4)


def _starts_word(prose: str, end: int) -> bool:
    return prose[end - 1] in _YUAN and end < len(prose) and prose[end] in _NOT_MONEY_AFTER_YUAN


def _amount_match(text: str, start: int, end: int, wan: Decimal) -> AmountMatch:
    while end > start and text[end - 1] in " \t\u3000":
        end -= 1
    return AmountMatch(start, end, wan, text[start:end])
