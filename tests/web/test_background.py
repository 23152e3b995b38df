"""Background work goes through django-tasks: in the tests it runs at once (ImmediateBackend); here, once, it is
stored by the real database backend and run by the real worker (``db_worker``), as in production."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from jixiao.web.tasks import background
from jixiao.web.tasks.models import Reminder
from tests.web.conftest import World
from tests.web.test_reminders import opened

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_reminders_run_in_process_under_test(world: World) -> None:
    opened(world)
    result = background.send_reminders.enqueue("2023-04-18")
    assert result.return_value == 3
    assert Reminder.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_the_reminders_once(world: World) -> None:
    opened(world)
    with override_settings(TASKS=DATABASE_BACKEND):
        out = StringIO()
        call_command("send_reminders", "--date", "2023-04-18", "--background", stdout=out)
        assert "已交给后台任务进程" in out.getvalue()
        assert not Reminder.objects.exists()  # stored, not yet run
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.get().status == "READY"
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
        row = DBTaskResult.objects.get()
        assert row.status == "SUCCESSFUL" and row.return_value == 3
    assert Reminder.objects.count() == 3
