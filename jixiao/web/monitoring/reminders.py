"""Reminders of a round's 填报截止日期: a unit with records still in draft is told once when the date is near
(``REMINDER_DAYS_BEFORE`` days, as for 自评任务) and once when it has passed. Run daily by ``send_reminders``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from ..organisations.models import Organisation
from ..tasks.models import Notice
from ..tasks.reminders import days_before, recipients
from .models import MonitoringRecord, MonitoringReminder, MonitoringRound, RecordStatus

Kind = MonitoringReminder.Kind


def _kind(due: dt.date, today: dt.date) -> str | None:
    left = (due - today).days
    if left < 0:
        return Kind.OVERDUE
    if left <= days_before():
        return Kind.SOON
    return None


def remind_monitoring(today: dt.date) -> int:
    """Send the reminders due on ``today``; how many units were reminded."""
    sent = 0
    for stored in MonitoringRound.objects.filter(due_date__lte=today + dt.timedelta(days=days_before())):
        kind = _kind(stored.due_date, today)
        if kind is None:
            continue
        drafts = (
            MonitoringRecord.objects.filter(round=stored, status=RecordStatus.DRAFT)
            .values("unit")
            .annotate(pending=Count("pk"))
        )
        done = set(stored.reminders.filter(kind=kind).values_list("unit_id", flat=True))
        pending = {row["unit"]: row["pending"] for row in drafts if row["unit"] not in done}
        for unit in Organisation.objects.filter(pk__in=pending).order_by("pk"):
            sent += _send(stored, unit, kind, pending[unit.pk])
    return sent


@transaction.atomic
def _send(stored: MonitoringRound, unit: Organisation, kind: str, pending: int) -> int:
    people = recipients(unit)
    when = f"{stored.due_date:%Y年%m月%d日}"
    tail = f"填报截止日期 {when} 已过，请尽快提交。" if kind == Kind.OVERDUE else f"请于 {when} 前提交。"
    text = f"【运行监控】{stored}：本单位还有 {pending} 个项目的监控未提交，{tail}"
    url = reverse("monitoring:index")
    Notice.objects.bulk_create(Notice(user=person, text=text, url=url) for person in people)
    MonitoringReminder.objects.create(round=stored, unit=unit, kind=kind, pending=pending, recipients=len(people))
    return 1
