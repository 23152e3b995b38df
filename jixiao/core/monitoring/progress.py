"""The formulas of 双监控, each kept with its inputs so that it can be shown: 序时进度 (by month or by day),
预算执行率, and an indicator's completion so far.

序时进度 by month counts the months *completed* at the date (a date that is its month's last day completes
that month): 2022-07-31 → 7 ÷ 12 = 58.33%, 2022-07-15 → 6 ÷ 12 = 50.00%. By day it is the day of the year over
the days in the year: 2022-07-31 → 212 ÷ 365 = 58.08%, 2024-07-31 → 213 ÷ 366 = 58.20%.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..values import Measure, fmt, fmt_count, fmt_pct, parse_measure, ratio_pct


class TimeProgressMode(StrEnum):
    MONTH = "month"  # 按月：已过完整月份数 ÷ 12
    DAY = "day"  # 按日：当年第几天 ÷ 全年天数

    @property
    def label(self) -> str:
        return "按月" if self is TimeProgressMode.MONTH else "按日"


@dataclass(frozen=True, slots=True)
class Formula:
    """A rate with its inputs: ``value_pct`` = ``numerator`` ÷ ``denominator`` × 100 (None when the denominator
    is zero), and how each input is named and printed."""

    name: str
    numerator: Decimal
    denominator: Decimal
    numerator_label: str
    denominator_label: str
    unit: str  # 万元, 个月, 天, or an indicator's unit
    value_pct: Decimal | None

    def _amount(self, value: Decimal) -> str:
        shown = fmt(value) if self.unit == "万元" else fmt_count(value)
        return f"{shown} {self.unit}" if self.unit else shown

    @property
    def inputs(self) -> str:
        """``执行数 53.55 万元 ÷ 全年预算数 153.00 万元``."""
        return (
            f"{self.numerator_label} {self._amount(self.numerator)} ÷ "
            f"{self.denominator_label} {self._amount(self.denominator)}"
        )

    @property
    def text(self) -> str:
        """``预算执行率 = 执行数 53.55 万元 ÷ 全年预算数 153.00 万元 = 35.00%``."""
        return f"{self.name} = {self.inputs} = {fmt_pct(self.value_pct)}"


def time_progress(date: dt.date, mode: TimeProgressMode | str = TimeProgressMode.MONTH) -> Formula:
    mode = TimeProgressMode(mode)
    if mode is TimeProgressMode.MONTH:
        last_day = calendar.monthrange(date.year, date.month)[1]
        months = date.month if date.day == last_day else date.month - 1
        return Formula(
            "序时进度",
            Decimal(months),
            Decimal(12),
            "已过月数",
            "全年月数",
            "个月",
            ratio_pct(Decimal(months), Decimal(12)),
        )
    days_in_year = 366 if calendar.isleap(date.year) else 365
    day = date.timetuple().tm_yday
    return Formula(
        "序时进度",
        Decimal(day),
        Decimal(days_in_year),
        "已过天数",
        "全年天数",
        "天",
        ratio_pct(Decimal(day), Decimal(days_in_year)),
    )


def execution_rate(executed_wan: Decimal, annual_budget_wan: Decimal) -> Formula:
    return Formula(
        "预算执行率",
        executed_wan,
        annual_budget_wan,
        "执行数",
        "全年预算数",
        "万元",
        ratio_pct(executed_wan, annual_budget_wan),
    )


def numeric(text: str | None) -> Measure | None:
    """The measure of a written value when it holds a number, else None."""
    measure = parse_measure(text)
    return measure if measure.number is not None else None


def completion(target: str | None, done: str | None, what: str = "截至监控时点完成值") -> Formula | None:
    """How much of a numeric target ``done`` reaches (``done`` ÷ target × 100); None unless both are numbers."""
    goal, reached = numeric(target), numeric(done)
    if goal is None or reached is None or goal.number is None or reached.number is None:
        return None
    return Formula(
        "完成比例",
        reached.number,
        goal.number,
        what,
        "年度指标值",
        goal.unit or reached.unit or "",
        ratio_pct(reached.number, goal.number),
    )


def gap_points(time: Formula, execution: Formula) -> Decimal | None:
    """序时进度 − 预算执行率, in percentage points (positive when execution lags)."""
    if time.value_pct is None or execution.value_pct is None:
        return None
    return time.value_pct - execution.value_pct
