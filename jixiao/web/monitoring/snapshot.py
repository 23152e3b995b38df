"""The monitoring a year-end self-evaluation starts from: called by the targets app when the unit opens its
self-evaluation from the approved targets."""

from __future__ import annotations

from typing import Any

from ...core.model import MonitoringSnapshot
from .models import MonitoringRecord, RecordStatus


def latest_snapshot(declaration: Any) -> MonitoringSnapshot | None:
    """The latest submitted monitoring of ``declaration``'s project (the latest monitoring date, then the latest
    submission), as a snapshot with its warnings; None when there is none."""
    from .services import assessment_of

    record = (
        MonitoringRecord.objects.filter(declaration=declaration, status=RecordStatus.SUBMITTED)
        .select_related("round")
        .order_by("-round__monitoring_date", "-submitted_at", "-pk")
        .first()
    )
    if record is None:
        return None
    return assessment_of(record).snapshot()
