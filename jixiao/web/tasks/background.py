"""The work a 自评任务 hands to the background worker (django-tasks; ``manage.py db_worker`` runs it)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from ..changes.context import change_context
from .reminders import send_due


@task()
def send_reminders(day: str) -> int:
    """The daily reminders for ``day`` (YYYY-MM-DD); how many were sent. Safe to run twice: each is sent once."""
    with change_context(source="task"):
        return len(send_due(dt.date.fromisoformat(day)))
