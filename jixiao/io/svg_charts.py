"""Charts as inline SVG text, drawn on the server: stacked bars, grouped bars and lines over a few categories
(years), with Chinese labels, a value axis with ticks, a legend, and a ``<title>`` on the chart and on every bar and
point so that a screen reader (and a test) reads the same numbers as the table beside it.

No JavaScript, no library, nothing fetched: the page's Content-Security-Policy allows none of it, and a chart that
is text prints and saves with the page. Only presentation attributes are written (no ``style``: the policy refuses
inline style). Every label is escaped; the output is a pure function of the input (same input, same bytes).

Values are ``int`` (counts) or ``Decimal`` (averages, rates); ``None`` is no value (nothing drawn). Positions are
computed in floats and written with one decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from html import escape

Value = int | Decimal

#: colours that stay apart on screen and in grey print (blue, green, amber, red, grey, purple, teal, orange)
PALETTE = ("#1d4ed8", "#15803d", "#d97706", "#b91c1c", "#9aa5b1", "#6d28d9", "#0f766e", "#c2410c")
#: dash patterns of the lines, in series order: colour is not the only difference
DASHES = ("", "7 4", "2 3", "10 3 2 3")
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
INK, MUTED, GRID = "#1f2933", "#616e7c", "#d9e2ec"

WIDTH, HEIGHT = 600, 320
LEFT, RIGHT, BOTTOM = 58, 16, 34
FONT_SIZE, SMALL = 13, 12


@dataclass(frozen=True)
class Series:
    """One named row of values, one per category; ``colour`` empty takes the palette's next colour."""

    name: str
    values: Sequence[Value | None]
    colour: str = ""


# ------------------------------------------------------------------------------------------------------- helpers


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The width ``text`` takes at ``size``: a CJK character is square, others about 0.6 of it."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in text)


_PLACES = {n: Decimal(1).scaleb(-n) for n in range(7)}


def number(value: Value, places: int = 2) -> str:
    """A value as shown: a count as it is, a Decimal rounded half up to ``places``."""
    if isinstance(value, int):
        return str(value)
    if value.as_tuple().exponent == -places:  # already rounded (the dashboard's means are)
        return f"{value:f}"
    return f"{value.quantize(_PLACES[places], rounding=ROUND_HALF_UP):f}"


def with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _f(x: float) -> str:
    """A coordinate with one decimal, without a trailing ``.0``."""
    shown = f"{x:.1f}"
    return shown[:-2] if shown.endswith(".0") else shown


def _e(text: str) -> str:
    return escape(text, quote=True)


def nice_step(span: Decimal, count: int, *, integral: bool) -> Decimal:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) that cuts ``span`` into about ``count`` parts; whole numbers only for
    counts."""
    raw = span / count if span > 0 else Decimal(1)
    base = Decimal(1).scaleb(raw.adjusted())
    for multiple in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        step = base * multiple
        if integral and step != step.to_integral_value():
            continue
        if step >= raw:
            return step
    return base * 10  # pragma: no cover - 10 × base is always ≥ raw


def ticks(low: Decimal, high: Decimal, *, count: int = 5, integral: bool = False) -> list[Decimal]:
    """Tick values from a round number at or below ``low`` to one at or above ``high``."""
    step = nice_step(high - low, count, integral=integral)
    first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    last = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    if last == first:
        last = first + step
    out, tick = [], first
    while tick <= last:
        out.append(tick.normalize() if tick != 0 else Decimal(0))
        tick += step
    return out


def _tick_label(tick: Decimal) -> str:
    return f"{tick:f}" if tick == tick.to_integral_value() else f"{tick.normalize():f}"


@dataclass(frozen=True)
class _Frame:
    """The plot area inside the chart, below the legend."""

    top: float
    base: float
    left: float
    right: float
    low: Decimal
    high: Decimal

    def y(self, value: Decimal | int) -> float:
        span = float(self.high - self.low) or 1.0
        return self.base - (float(Decimal(value) - self.low) / span) * (self.base - self.top)

    def slot(self, n: int) -> float:
        return (self.right - self.left) / max(n, 1)


def _colours(series: Sequence[Series]) -> list[str]:
    return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]


def _legend(series: Sequence[Series], colours: list[str], width: int, *, line: bool) -> tuple[list[str], float]:
    """The legend's items, left to right and wrapped to ``width``; and the height it takes."""
    out, x, y = [], float(LEFT), 16.0
    for i, (s, colour) in enumerate(zip(series, colours, strict=True)):
        item = 14 + 6 + text_width(s.name, SMALL) + 18
        if x + item > width - RIGHT and x > LEFT:
            x, y = float(LEFT), y + 20
        if line:
            dash = DASHES[i % len(DASHES)]
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            swatch = (
                f'<line x1="{_f(x)}" y1="{_f(y - 4)}" x2="{_f(x + 16)}" y2="{_f(y - 4)}" stroke="{colour}" '
                f'stroke-width="2.5"{dashed}/>'
            )
        else:
            swatch = f'<rect x="{_f(x)}" y="{_f(y - 11)}" width="14" height="14" fill="{colour}"/>'
        out.append(
            f'<g class="chart-legend-item">{swatch}<text x="{_f(x + 20)}" y="{_f(y)}" font-size="{SMALL}" '
            f'fill="{INK}">{_e(s.name)}</text></g>'
        )
        x += item
    return out, y + 14


def _axis(frame: _Frame, values: list[Decimal], unit: str, width: int) -> list[str]:
    out = []
    for tick in values:
        y = _f(frame.y(tick))
        out.append(
            f'<line class="chart-grid" x1="{_f(frame.left)}" y1="{y}" x2="{_f(width - RIGHT)}" y2="{y}" stroke="{GRID}" '
            'stroke-width="1"/>'
            f'<text class="chart-tick" x="{_f(frame.left - 6)}" y="{_f(frame.y(tick) + 4)}" text-anchor="end" '
            f'font-size="{SMALL}" fill="{MUTED}">{_tick_label(tick)}</text>'
        )
    if unit:
        out.append(
            f'<text class="chart-unit" x="{_f(frame.left - 6)}" y="{_f(frame.top - 12)}" text-anchor="end" '
            f'font-size="{SMALL}" fill="{MUTED}">{_e(unit)}</text>'
        )
    out.append(
        f'<line class="chart-baseline" x1="{_f(frame.left)}" y1="{_f(frame.base)}" x2="{_f(width - RIGHT)}" '
        f'y2="{_f(frame.base)}" stroke="#9aa5b1" stroke-width="1"/>'
    )
    return out


def _categories(frame: _Frame, categories: Sequence[str]) -> list[str]:
    slot = frame.slot(len(categories))
    return [
        f'<text class="chart-category" x="{_f(frame.left + slot * (i + 0.5))}" y="{_f(frame.base + 20)}" '
        f'text-anchor="middle" font-size="{FONT_SIZE}" fill="{INK}">{_e(label)}</text>'
        for i, label in enumerate(categories)
    ]


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: list[str]) -> str:
    ident = _e(chart_id)
    return (
        f'<svg id="{ident}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc" font-family="{FONT}">\n'
        f'<title id="{ident}-title">{_e(title)}</title>\n<desc id="{ident}-desc">{_e(description)}</desc>\n'
        + "\n".join(body)
        + "\n</svg>"
    )


def _check(categories: Sequence[str], series: Sequence[Series], *, positive: bool) -> None:
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"系列“{s.name}”有 {len(s.values)} 个值，类别有 {len(categories)} 个")
        if positive and any(v is not None and v < 0 for v in s.values):
            raise ValueError(f"系列“{s.name}”有负值，柱形图不能表示")


def _describe(categories: Sequence[str], series: Sequence[Series], unit: str) -> str:
    parts = []
    for i, category in enumerate(categories):
        shown = [f"{s.name} {with_unit(number(v), unit)}" for s in series if (v := s.values[i]) is not None]
        parts.append(f"{category}：{'，'.join(shown) or '无数据'}")
    return "；".join(parts)


def _empty(chart_id: str, title: str, width: int, height: int) -> str:
    body = [
        f'<text x="{_f(width / 2)}" y="{_f(height / 2)}" text-anchor="middle" font-size="{FONT_SIZE}" '
        f'fill="{MUTED}">没有数据</text>'
    ]
    return _svg(chart_id, title, "没有数据", width, height, body)


# -------------------------------------------------------------------------------------------------------- charts


def stacked_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    unit: str = "项",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """One bar per category, the series stacked in order from the bottom; the total above each bar, a segment's
    value inside it where it fits. Each segment's ``<title>`` reads 「2022年 优：12 项」; a zero draws nothing.

    Classes are prefixed ``chart-``: the site's style sheet gives ``.bar`` a height, which an SVG rect obeys."""
    _check(categories, series, positive=True)
    if not categories or not series:
        return _empty(chart_id, title, width, height)
    colours = _colours(series)
    legend, legend_h = _legend(series, colours, width, line=False)
    totals = [sum((s.values[i] or 0 for s in series), 0) for i in range(len(categories))]
    axis = ticks(Decimal(0), Decimal(max(totals)) if max(totals) > 0 else Decimal(1), integral=_integral(series))
    frame = _Frame(legend_h + 22, height - BOTTOM, LEFT, width - RIGHT, axis[0], axis[-1])
    slot = frame.slot(len(categories))
    bar_w = min(slot * 0.6, 64.0)
    body = [*legend, *_axis(frame, axis, unit, width)]
    names, width_bar = [_e(s.name) for s in series], _f(bar_w)
    for i, category in enumerate(categories):
        x = frame.left + slot * i + (slot - bar_w) / 2
        below: Value = 0
        label = _e(category)
        for s, name, colour in zip(series, names, colours, strict=True):
            value = s.values[i]
            if not value:
                continue
            top, bottom = frame.y(below + value), frame.y(below)
            text = number(value)
            body.append(
                f'<rect class="chart-bar" data-series="{name}" data-category="{label}" data-value="{text}" '
                f'x="{_f(x)}" y="{_f(top)}" width="{width_bar}" height="{_f(bottom - top)}" fill="{colour}">'
                f"<title>{label} {name}：{_e(with_unit(text, unit))}</title></rect>"
            )
            if bottom - top >= 16 and text_width(text, SMALL) + 4 <= bar_w:
                body.append(
                    f'<text class="chart-inside" x="{_f(x + bar_w / 2)}" y="{_f((top + bottom) / 2 + 4)}" '
                    f'text-anchor="middle" font-size="{SMALL}" fill="#ffffff">{text}</text>'
                )
            below += value
        body.append(
            f'<text class="chart-total" x="{_f(x + bar_w / 2)}" y="{_f(frame.y(below) - 5)}" text-anchor="middle" '
            f'font-size="{SMALL}" fill="{INK}">{number(below)}</text>'
        )
    body += _categories(frame, categories)
    return _svg(chart_id, title, _describe(categories, series, unit), width, height, body)


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    unit: str = "项",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """Per category, one bar per series side by side, the value above each bar where it fits; a zero or missing
    value draws nothing (the description and the table beside the chart say it)."""
    _check(categories, series, positive=True)
    if not categories or not series:
        return _empty(chart_id, title, width, height)
    colours = _colours(series)
    legend, legend_h = _legend(series, colours, width, line=False)
    top_value = max((v for s in series for v in s.values if v is not None), default=0)
    axis = ticks(Decimal(0), Decimal(top_value) if top_value > 0 else Decimal(1), integral=_integral(series))
    frame = _Frame(legend_h + 22, height - BOTTOM, LEFT, width - RIGHT, axis[0], axis[-1])
    slot = frame.slot(len(categories))
    group_w = min(slot * 0.8, 30.0 * len(series))
    bar_w = group_w / len(series)
    body = [*legend, *_axis(frame, axis, unit, width)]
    names = [_e(s.name) for s in series]
    for i, category in enumerate(categories):
        start = frame.left + slot * i + (slot - group_w) / 2
        label = _e(category)
        for k, (s, name, colour) in enumerate(zip(series, names, colours, strict=True)):
            value = s.values[i]
            if not value:
                continue
            x, top = start + bar_w * k, frame.y(value)
            text = number(value)
            body.append(
                f'<rect class="chart-bar" data-series="{name}" data-category="{label}" data-value="{text}" '
                f'x="{_f(x + 1)}" y="{_f(top)}" width="{_f(bar_w - 2)}" height="{_f(frame.base - top)}" '
                f'fill="{colour}"><title>{label} {name}：{_e(with_unit(text, unit))}</title></rect>'
            )
            if text_width(text, SMALL - 1) <= bar_w + 2:
                body.append(
                    f'<text class="chart-value" x="{_f(x + bar_w / 2)}" y="{_f(top - 4)}" text-anchor="middle" '
                    f'font-size="{SMALL - 1}" fill="{INK}">{text}</text>'
                )
    body += _categories(frame, categories)
    return _svg(chart_id, title, _describe(categories, series, unit), width, height, body)


def lines(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    unit: str = "分",
    from_zero: bool = False,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """One line per series across the categories, a marker (with its ``<title>``) at each value; a missing value
    breaks the line. The value axis spans the values (from 0 with ``from_zero``), so that a few points' difference
    between scores shows."""
    _check(categories, series, positive=False)
    present = [v for s in series for v in s.values if v is not None]
    if not categories or not series or not present:
        return _empty(chart_id, title, width, height)
    colours = _colours(series)
    legend, legend_h = _legend(series, colours, width, line=True)
    low = Decimal(0) if from_zero else Decimal(min(present))
    high = Decimal(max(present))
    if high == low:
        low, high = (low - 1 if low >= 1 else Decimal(0)), high + 1
    axis = ticks(low, high, integral=_integral(series))
    frame = _Frame(legend_h + 22, height - BOTTOM, LEFT, width - RIGHT, axis[0], axis[-1])
    slot = frame.slot(len(categories))
    body = [*legend, *_axis(frame, axis, unit, width)]
    for k, (s, colour) in enumerate(zip(series, colours, strict=True)):
        dash = DASHES[k % len(DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[str]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(f"{_f(frame.left + slot * (i + 0.5))},{_f(frame.y(value))}")
        for run in runs:
            if len(run) > 1:
                body.append(
                    f'<polyline class="chart-line" data-series="{_e(s.name)}" points="{" ".join(run)}" fill="none" '
                    f'stroke="{colour}" stroke-width="2.5"{dashed}/>'
                )
        name = _e(s.name)
        for i, (category, value) in enumerate(zip(categories, s.values, strict=True)):
            if value is None:
                continue
            text, label = number(value), _e(category)
            body.append(
                f'<circle class="chart-point" data-series="{name}" data-category="{label}" data-value="{text}" '
                f'cx="{_f(frame.left + slot * (i + 0.5))}" cy="{_f(frame.y(value))}" r="4" fill="{colour}">'
                f"<title>{label} {name}：{_e(with_unit(text, unit))}</title></circle>"
            )
    body += _categories(frame, categories)
    return _svg(chart_id, title, _describe(categories, series, unit), width, height, body)


def _integral(series: Sequence[Series]) -> bool:
    return all(isinstance(v, int) for s in series for v in s.values if v is not None)
