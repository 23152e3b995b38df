"""The work a 自评任务 hands to the background worker (django-tasks; ``manage.py db_worker`` runs it)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from ..changes.context import change_context
from . import services
from .models import Task
from .reminders import send_due


@task()
def send_reminders(day: str) -> int:
    """The daily reminders for ``day`` (YYYY-MM-DD), with the weekly ones of overdue 整改事项; how many were sent.
    Safe to run twice: each is sent once."""
    from ..monitoring.reminders import remind_monitoring
    from ..results.services import remind_overdue

    with change_context(source="task"):
        today = dt.date.fromisoformat(day)
        return len(send_due(today)) + remind_overdue(today) + remind_monitoring(today)


@task()
def open_projects(task_id: int) -> int:
    """Create the evaluations of a task opened from a long 项目清单 (``services.fill``), as the person who opened
    it; how many the task has. Safe to run again: what is already there is not created twice."""
    opened = Task.objects.select_related("created_by").filter(pk=task_id).first()
    with change_context(user=opened.created_by if opened else None, source="task"):
        return services.fill(task_id)
