"""MonitoringWarning rules kept as data (``jixiao/data/monitoring/warnings.yaml``): presets of rules, and their evaluation
on a monitoring record.

Rule kinds:

* ``lag`` — 预算执行率 below 序时进度 by more than ``points`` percentage points;
* ``execution_below`` — projects of at least ``min_budget_wan`` 万元 whose 预算执行率 is below (or, ``inclusive``,
  at or below) the rate due by the latest ``milestones`` month that has ended at the monitoring date;
* ``quantity_deviation`` — an indicator under one of ``second_levels`` (数量指标) whose 全年预计 (or, with
  ``compare: completed``, its value so far) falls short of its numeric target by more than ``points_pct`` percent
  (for a ≤ target: exceeds it; for = : either way);
* ``impossible`` — an indicator judged 完全不可能.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, RootModel

from ..model import Likelihood, Model, Num
from ..values import fmt, fmt_count, fmt_pct
from .progress import Formula, TimeProgressMode, execution_rate, gap_points, numeric, time_progress
from .record import IndicatorProgress, MonitoringRecord


class Level(StrEnum):
    RED = "red"
    YELLOW = "yellow"

    @property
    def label(self) -> str:
        return "红色预警" if self is Level.RED else "黄色预警"


class _Rule(Model):
    id: str = Field(title="规则编号", pattern=r"^[a-z0-9_-]+$")
    title: str = Field(title="规则名称", min_length=1)
    level: Level = Field(default=Level.YELLOW, title="预警级别")
    basis: str = Field(default="", title="依据")


class LagRule(_Rule):
    kind: Literal["lag"]
    points: Num = Field(title="落后序时进度超过（个百分点）", ge=0)


class Milestone(Model):
    month: int = Field(title="截至月份（月底）", ge=1, le=12)
    rate_pct: Num = Field(title="预算执行率应达到（%）", ge=0, le=100)


class ExecutionBelowRule(_Rule):
    kind: Literal["execution_below"]
    min_budget_wan: Num = Field(default=Decimal(0), title="适用的全年预算数下限（万元，含本数）", ge=0)
    milestones: list[Milestone] = Field(title="各时点应达到的执行率", min_length=1)
    inclusive: bool = Field(default=False, title="等于应达执行率也预警（“以下”含本数）")


class QuantityDeviationRule(_Rule):
    kind: Literal["quantity_deviation"]
    points_pct: Num = Field(default=Decimal(30), title="偏差率超过（%）", ge=0)
    compare: Literal["expected", "completed"] = Field(default="expected", title="比较的值")
    second_levels: list[str] = Field(default_factory=lambda: ["数量指标"], title="适用的二级指标")


class ImpossibleRule(_Rule):
    kind: Literal["impossible"]


Rule = Annotated[LagRule | ExecutionBelowRule | QuantityDeviationRule | ImpossibleRule, Field(discriminator="kind")]


class WarningPreset(Model):
    name: str = Field(title="预设名称", min_length=1)
    authority: str = Field(title="规定出处（用于预警说明，如“本地”“太原市”）", min_length=1)
    source: str = Field(default="", title="来源")
    time_progress_mode: TimeProgressMode = Field(default=TimeProgressMode.MONTH, title="序时进度口径")
    rules: list[Rule] = Field(title="预警规则", min_length=1)


class WarningPresets(RootModel[dict[str, WarningPreset]]):
    """Every preset by id, as the YAML file holds them."""

    def ids(self) -> list[str]:
        return list(self.root)

    def get(self, preset_id: str) -> WarningPreset:
        return self.root[preset_id]


@dataclass(frozen=True, slots=True)
class MonitoringWarning:
    rule_id: str
    kind: str
    level: Level
    message: str
    indicator: str | None = None  # the indicator's path, when the warning is about one


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _pct(value: Decimal) -> str:
    """A threshold as written in a rule: ``60%``, ``12.5%``."""
    return f"{fmt_count(value)}%"


def evaluate(
    record: MonitoringRecord, preset: WarningPreset, mode: TimeProgressMode | str | None = None
) -> list[MonitoringWarning]:
    """Every warning ``preset``'s rules raise on ``record`` (none about execution while 执行数 is not filled)."""
    time = time_progress(record.monitoring_date, mode or preset.time_progress_mode)
    execution = None if record.executed_wan is None else execution_rate(record.executed_wan, record.annual_budget_wan)
    out: list[MonitoringWarning] = []
    for rule in preset.rules:
        if isinstance(rule, LagRule) and execution is not None:
            out.extend(_lag(rule, preset, time, execution))
        elif isinstance(rule, ExecutionBelowRule) and execution is not None:
            out.extend(_below(rule, preset, record, execution))
        elif isinstance(rule, QuantityDeviationRule):
            out.extend(w for row in record.indicators if (w := _quantity(rule, preset, row)) is not None)
        elif isinstance(rule, ImpossibleRule):
            out.extend(
                MonitoringWarning(
                    rule.id,
                    rule.kind,
                    rule.level,
                    f"指标“{row.name}”（{row.path_text}）完成目标可能性为“完全不可能”"
                    + (f"，纠偏措施：{row.measures.strip()}" if (row.measures or "").strip() else "，未填写纠偏措施"),
                    row.path_text,
                )
                for row in record.indicators
                if row.likelihood is Likelihood.IMPOSSIBLE
            )
    return out


def _lag(rule: LagRule, preset: WarningPreset, time: Formula, execution: Formula) -> list[MonitoringWarning]:
    gap = gap_points(time, execution)
    if gap is None or gap <= rule.points:
        return []
    return [
        MonitoringWarning(
            rule.id,
            rule.kind,
            rule.level,
            f"预算执行率 {fmt_pct(execution.value_pct)}（{execution.inputs}）低于序时进度 "
            f"{fmt_pct(time.value_pct)}（{time.inputs}）达 {fmt(gap)} 个百分点，"
            f"超过{preset.authority}规定的 {fmt_count(rule.points)} 个百分点",
        )
    ]


def _below(
    rule: ExecutionBelowRule, preset: WarningPreset, record: MonitoringRecord, execution: Formula
) -> list[MonitoringWarning]:
    if record.annual_budget_wan < rule.min_budget_wan or execution.value_pct is None:
        return []
    due = [m for m in rule.milestones if _month_end(record.year, m.month) <= record.monitoring_date]
    if not due:
        return []
    milestone = max(due, key=lambda m: m.month)
    rate = execution.value_pct
    if rate > milestone.rate_pct or (rate == milestone.rate_pct and not rule.inclusive):
        return []
    size = (
        f"全年预算数 {fmt(record.annual_budget_wan)} 万元，属 {fmt_count(rule.min_budget_wan)} 万元以上的项目；"
        if rule.min_budget_wan > 0
        else ""
    )
    if milestone.rate_pct == 0:
        judged = f"按{preset.authority}规定，资金执行率为 0 的项目须说明问题和原因"
    else:
        word = "不高于" if rule.inclusive else "低于"
        judged = f"{word}{preset.authority}规定的截至 {milestone.month} 月底应达到的 {_pct(milestone.rate_pct)}"
    return [
        MonitoringWarning(
            rule.id,
            rule.kind,
            rule.level,
            f"{size}截至 {record.monitoring_date:%Y-%m-%d} 预算执行率 {fmt_pct(rate)}（{execution.inputs}），{judged}",
        )
    ]


def _quantity(rule: QuantityDeviationRule, preset: WarningPreset, row: IndicatorProgress) -> MonitoringWarning | None:
    if len(row.path) < 2 or row.path[-2] not in rule.second_levels:
        return None
    target = numeric(row.target)
    value_text = row.expected if rule.compare == "expected" else row.completed
    value = numeric(value_text)
    if target is None or value is None or target.number is None or value.number is None or target.number == 0:
        return None
    deviation = (value.number - target.number) * 100 / target.number
    if target.operator == "<=":
        off = deviation
    elif target.operator == "=":
        off = abs(deviation)
    else:  # ≥ or no comparator: only falling short is a deviation
        off = -deviation
    if off <= rule.points_pct:
        return None
    what = "全年预计完成值" if rule.compare == "expected" else "截至监控时点完成值"
    direction = "低于" if deviation < 0 else "高于"
    return MonitoringWarning(
        rule.id,
        rule.kind,
        rule.level,
        f"数量指标“{row.name}”{what} {value_text} {direction}年度指标值 {row.target} {fmt(abs(deviation))}%"
        f"（|{fmt_count(value.number)} − {fmt_count(target.number)}| ÷ {fmt_count(target.number)}），"
        f"偏差超过{preset.authority}规定的 {_pct(rule.points_pct)}",
        row.path_text,
    )
