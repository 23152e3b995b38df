"""Demo data for 运行监控 (called by ``manage.py load_demo`` after the targets' demo; idempotent).

The same project's story: 湛江市财政局 monitors 2022 at the end of July; 湛江市科学技术协会机关's 科普 project (153 万元)
has spent 53.55 万元 (35.00% against a 序时进度 of 58.33%: the lag warning), and expects its first quantity indicator
to fall short (有可能, with a 纠偏措施); the record is submitted, so the year-end self-evaluation opened from the
approved targets shows it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from ...core.monitoring import MonitoringRecord
from ...core.monitoring.progress import numeric
from ..organisations.models import Organisation
from . import services
from .models import MonitoringRound

DATE = dt.date(2022, 7, 31)
UNIT = "湛江市科学技术协会机关"


def load_demo(finance: Organisation) -> None:
    if MonitoringRound.objects.filter(finance=finance, monitoring_date=DATE).exists():
        return
    if not services.approved_declarations(finance, DATE.year).exists():
        return  # the targets' demo has not approved anything to monitor
    opened = services.open_round(finance, DATE.year, DATE, "default", "month", dt.date(2022, 8, 15), None)
    record = opened.records.filter(unit__name=UNIT).first()
    if record is None:
        return
    document = _filled(record.parsed())
    services.save(record.pk, document, None, record.revision, submit=True)


def _filled(document: MonitoringRecord) -> MonitoringRecord:
    data = document.model_dump(mode="json")
    budget = document.annual_budget_wan
    data["executed_wan"] = str((budget * Decimal("0.35")).quantize(Decimal("0.01")))
    data["expected_executed_wan"] = str(budget)
    short_done = False
    for row in data["indicators"]:
        target = numeric(row["target"])
        if target is None or target.number is None:
            row.update(completed="按计划推进", expected=row["target"], likelihood="certain")
            continue
        unit = target.unit or ""
        row["completed"] = f"{_share(target.number, '0.45')}{unit}"
        if not short_done and len(row["path"]) > 1 and row["path"][-2] == "数量指标":
            short_done = True
            row.update(
                expected=f"{_share(target.number, '0.6')}{unit}",
                likelihood="possible",
                causes=["funding"],
                cause_note="上半年经费到位较晚，部分活动推迟",
                measures="下半年集中开展科普进校园和科普讲座活动，确保全年完成",
            )
        else:
            row.update(expected=row["target"], likelihood="certain")
    return MonitoringRecord.model_validate(data)


def _share(number: Decimal, part: str) -> Decimal:
    return (number * Decimal(part)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
