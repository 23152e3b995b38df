"""A monitoring record judged: its formulas and warnings together, as the pages and documents show them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import MonitoringSnapshot
from .progress import Formula, TimeProgressMode, completion, execution_rate, gap_points, time_progress
from .record import IndicatorProgress, MonitoringRecord
from .snapshot import to_snapshot
from .warnings import MonitoringWarning, WarningPreset, evaluate


@dataclass(frozen=True, slots=True)
class Assessment:
    record: MonitoringRecord
    preset: WarningPreset
    mode: TimeProgressMode
    time: Formula
    execution: Formula | None
    warnings: tuple[MonitoringWarning, ...]

    @property
    def gap_points(self) -> Decimal | None:
        """序时进度 − 预算执行率 (positive: execution lags)."""
        return None if self.execution is None else gap_points(self.time, self.execution)

    @property
    def months_label(self) -> str:
        """``1-7月``: the period the 监控表's 执行情况 columns cover (by month: the months completed)."""
        months = self.record.monitoring_date.month
        return f"1-{months}月"

    def completion(self, row: IndicatorProgress) -> Formula | None:
        return completion(row.target, row.completed)

    def warnings_of(self, row: IndicatorProgress) -> list[MonitoringWarning]:
        return [w for w in self.warnings if w.indicator == row.path_text]

    def snapshot(self) -> MonitoringSnapshot:
        return to_snapshot(self.record, self.mode, list(self.warnings))


def assess(record: MonitoringRecord, preset: WarningPreset, mode: TimeProgressMode | str | None = None) -> Assessment:
    chosen = TimeProgressMode(mode or preset.time_progress_mode)
    execution = None if record.executed_wan is None else execution_rate(record.executed_wan, record.annual_budget_wan)
    return Assessment(
        record,
        preset,
        chosen,
        time_progress(record.monitoring_date, chosen),
        execution,
        tuple(evaluate(record, preset, chosen)),
    )
