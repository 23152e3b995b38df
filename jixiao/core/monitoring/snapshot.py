"""What the year-end self-evaluation keeps of a monitoring: :class:`~jixiao.core.model.MonitoringSnapshot`."""

from __future__ import annotations

from decimal import Decimal

from ..model import MonitoredIndicator, MonitoringSnapshot
from .progress import TimeProgressMode, completion, execution_rate, time_progress
from .record import MonitoringRecord
from .warnings import MonitoringWarning


def to_snapshot(
    record: MonitoringRecord, mode: TimeProgressMode | str, warnings: list[MonitoringWarning] | None = None
) -> MonitoringSnapshot:
    time = time_progress(record.monitoring_date, mode)
    executed = record.executed_wan if record.executed_wan is not None else Decimal(0)
    execution = execution_rate(executed, record.annual_budget_wan)
    return MonitoringSnapshot(
        monitoring_date=record.monitoring_date,
        time_progress_mode=TimeProgressMode(mode).value,
        elapsed=time.numerator,
        period=time.denominator,
        time_progress_pct=time.value_pct,
        annual_budget_wan=record.annual_budget_wan,
        executed_wan=executed,
        execution_rate_pct=execution.value_pct,
        indicators=[
            MonitoredIndicator(
                path=row.path,
                target=row.target,
                completed=row.completed,
                completion_pct=(c.value_pct if (c := completion(row.target, row.completed)) else None),
                expected=row.expected,
                likelihood=row.likelihood,
                causes=row.causes,
                cause_note=row.cause_note,
                measures=row.measures,
            )
            for row in record.indicators
        ],
        warnings=[w.message for w in warnings or []],
    )
