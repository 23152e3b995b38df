"""Opening a 自评任务 fast and, from a long 项目清单, in the background: evaluations created in bulk are the same as
those created one by one (computed fields, findings, version 1, the 新建 transition, the change record); a long
list is checked in the request and opened by the worker in committed batches, unseen by units and reminders until
all of it is there; a failure removes everything and says why; a second run creates nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase, override_settings

from jixiao.web.changes.context import change_context
from jixiao.web.changes.models import ObjectChange
from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.evaluations.choices import Status
from jixiao.web.evaluations.models import EvaluationRecord, EvaluationVersion, StoredFinding, Transition
from jixiao.web.organisations.models import Role
from jixiao.web.tasks import background, services
from jixiao.web.tasks.models import Task, TaskOpening, TaskState
from jixiao.web.tasks.reminders import send_due
from tests.web.conftest import World, client_for, evaluation_for
from tests.web.test_tasks import ROWS, list_xlsx, open_task

#: the worker's batches are of two rows, and a list of more than two rows goes to the worker: ROWS (3) does
BACKGROUND = {"JIXIAO_TASK_INLINE_ROWS": 2, "JIXIAO_TASK_BATCH_ROWS": 2}
#: enqueued tasks are kept, not run: the task stays 正在建立
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
#: what differs between two equal records created at different times
VOLATILE = {"created_at", "updated_at", "task", "project_code"}


def changes_of(record: EvaluationRecord) -> list[ObjectChange]:
    ct = ContentType.objects.get_for_model(EvaluationRecord)
    return list(ObjectChange.objects.filter(content_type=ct, object_id=record.pk).order_by("pk"))


def snapshot(record: EvaluationRecord) -> dict[str, Any]:
    """Everything stored for a new record but its key and times."""
    record = EvaluationRecord.all_objects.get(pk=record.pk)
    [version] = record.versions.all()
    [transition] = record.transitions.all()
    [change] = changes_of(record)
    return {
        "row": {
            f.attname: getattr(record, f.attname)
            for f in record._meta.concrete_fields
            if not f.primary_key and f.name not in VOLATILE
        },
        "findings": sorted(record.findings.values_list("code", "severity", "message", "location")),
        "version": (version.number, version.document, version.summary, version.author_id, version.author_name),
        "transition": (
            transition.action,
            transition.from_status,
            transition.to_status,
            transition.actor_id,
            transition.actor_name,
            transition.comment,
        ),
        "change": (
            change.action,
            change.user_id,
            change.user_name,
            change.source,
            change.object_repr,
            change.before,
            {k: v for k, v in change.after.items() if k not in VOLATILE},
        ),
    }


def test_records_created_in_bulk_equal_those_created_one_by_one(world: World) -> None:
    user = world.user(Role.FILLER, "A1")
    unit, other = world.org("A1"), world.org("B1")
    cases = [
        (unit, evaluation_for(unit, "科普专项经费"), "新建"),
        (other, evaluation_for(other, "学会能力提升", funds=[]), "由自评任务建立"),  # unscored, with findings
        (unit, evaluation_for(unit, "青少年科技创新大赛", claims={"total_score": 99, "grade": "优"}), "新建"),
    ]
    with change_context(user=user, source="web"):
        one_by_one = [
            evaluation_services.create(u, e, user, summary, status=Status.PENDING, project_code=f"A{n}")
            for n, (u, e, summary) in enumerate(cases)
        ]
        bulk = evaluation_services.create_many(
            [
                evaluation_services.NewRecord(u, e, summary, {"project_code": f"B{n}"})
                for n, (u, e, summary) in enumerate(cases)
            ],
            user,
            status=Status.PENDING,
        )
    assert any(StoredFinding.objects.filter(record=r).exists() for r in bulk)
    for single, many in zip(one_by_one, bulk, strict=True):
        assert snapshot(many) == snapshot(single)
        assert changes_of(many)[0].after["project_code"] == many.project_code


def test_a_long_list_is_opened_by_the_worker_as_the_short_one_is_inline(world: World) -> None:
    open_task(world)  # inline: 3 rows
    inline = Task.objects.get()
    assert inline.state == TaskState.OPEN and inline.project_count == 3
    with override_settings(**BACKGROUND):
        response = open_task(world)
    task = Task.objects.exclude(pk=inline.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    assert task.state == TaskState.OPEN and not TaskOpening.objects.exists()
    finance = world.user(Role.FINANCE_ADMIN, "F1")
    for code in ("440800-001", "440800-002", "440800-003"):
        here = EvaluationRecord.objects.get(task=task, project_code=code)
        there = EvaluationRecord.objects.get(task=inline, project_code=code)
        assert (here.document, here.computed_score, here.status, here.unit) == (
            there.document,
            there.computed_score,
            there.status,
            there.unit,
        )
        assert here.versions.get().summary == there.versions.get().summary
        [change] = changes_of(here)  # shown once: one 新建 record, by the opener, from the worker
        assert (change.action, change.user, change.source, change.after["deleted_at"]) == (
            "create",
            finance,
            "task",
            None,
        )
    ct = ContentType.objects.get_for_model(Task)
    states = [c.after["state"] for c in ObjectChange.objects.filter(content_type=ct, object_id=task.pk).order_by("pk")]
    assert states == ["opening", "open"]
    page = client_for(world.user(Role.FILLER, "A1")).get("/tasks/todo/")
    assert [r.task for r, _days, _late in page.context["rows"]] == [inline, task]


@override_settings(**BACKGROUND, TASKS=DUMMY)
def test_while_opening_only_its_owner_sees_it_with_its_progress(world: World) -> None:
    response = open_task(world, unit_deadline="2023-04-20", department_deadline="2023-05-10")
    task = Task.objects.get()
    assert task.state == TaskState.OPENING and TaskOpening.objects.get().done == 0
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    assert "后台正在为 3 个项目建立待填报的评价" in finance.get(response["Location"]).content.decode()
    # a first batch is created, then the worker stops (a crash): two hidden evaluations
    crash = _failing_after(1, SystemExit)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(services, "_create_projects", crash)
        with pytest.raises(SystemExit):
            services.fill(task.pk)
    assert EvaluationRecord.all_objects.filter(task=task).count() == 2 and not EvaluationRecord.objects.exists()
    page = finance.get(f"/tasks/{task.pk}/").content.decode()
    assert '<meta http-equiv="refresh"' in page and 'id="opening-progress" value="2" max="3"' in page
    assert '已建立 <strong id="opening-done">2</strong> 个（66%）' in page
    listed = finance.get("/tasks/").content.decode()
    assert "正在建立" in listed and '<progress value="2" max="3">' in listed
    # not seen by the units, nor by a 主管部门 (whose task it is not), nor reminded of, nor copied from
    assert not client_for(world.user(Role.FILLER, "A1")).get("/tasks/todo/").context["rows"]
    department = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    assert department.get(f"/tasks/{task.pk}/").status_code == 404
    assert task.name not in department.get("/tasks/").content.decode()
    assert send_due(dt.date(2023, 4, 19)) == []
    assert task.pk not in [c.pk for c in finance.get("/tasks/new/").context["form"].fields["copy_from"].queryset]
    # ten minutes without progress: the owner is offered to go on, and going on creates the rest, nothing twice,
    # and shows everything at once
    assert "继续建立" not in page
    TaskOpening.objects.update(updated_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))
    assert "继续建立</button>" in finance.get(f"/tasks/{task.pk}/").content.decode()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        with TestCase.captureOnCommitCallbacks(execute=True):
            finance.post(f"/tasks/{task.pk}/reopen/")
        assert background.open_projects.enqueue(task.pk).return_value == 3  # a second run: nothing to do
    task.refresh_from_db()
    assert task.state == TaskState.OPEN and not TaskOpening.objects.exists()
    records = EvaluationRecord.objects.filter(task=task)
    assert sorted(records.values_list("project_code", flat=True)) == ["440800-001", "440800-002", "440800-003"]
    for record in records:
        assert record.versions.count() == record.transitions.count() == len(changes_of(record)) == 1
    assert len(client_for(world.user(Role.FILLER, "A1")).get("/tasks/todo/").context["rows"]) == 1
    assert len(send_due(dt.date(2023, 4, 19))) == 3
    assert "正在建立" not in finance.get(f"/tasks/{task.pk}/").content.decode()


def _failing_after(calls: int, error: type[BaseException]) -> Any:
    """``services._create_projects`` that works ``calls`` times, then raises ``error``."""
    real = services._create_projects
    count = iter(range(10_000))

    def create(*args: Any, **kwargs: Any) -> Any:
        if next(count) >= calls:
            raise error("模拟的数据库故障")
        return real(*args, **kwargs)

    return create


@override_settings(**BACKGROUND)
def test_a_failure_removes_everything_created_and_says_why(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_create_projects", _failing_after(1, RuntimeError))
    response = open_task(world)
    task = Task.objects.get()
    assert task.state == TaskState.FAILED
    assert task.failure == "建立评价时出错（第5行起的一批）：模拟的数据库故障"
    assert not EvaluationRecord.all_objects.filter(task=task).exists()
    assert not (StoredFinding.objects.exists() or EvaluationVersion.objects.exists() or Transition.objects.exists())
    assert not ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(EvaluationRecord))
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    page = finance.get(response["Location"]).content.decode()
    assert "建立失败" in page and "模拟的数据库故障" in page and "本次建立的评价已全部删除" in page
    assert "建立失败" in finance.get("/tasks/").content.decode()
    assert not client_for(world.user(Role.FILLER, "A1")).get("/tasks/todo/").context["rows"]
    # the checked list is kept: once the cause is gone, the task's owner 重新建立 it, and it opens from the start
    monkeypatch.undo()
    assert "重新建立</button>" in page
    department = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    assert department.post(f"/tasks/{task.pk}/reopen/").status_code in (403, 404)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert finance.post(f"/tasks/{task.pk}/reopen/").status_code == 302
    task.refresh_from_db()
    assert (task.state, task.failure, EvaluationRecord.objects.filter(task=task).count()) == (TaskState.OPEN, "", 3)


@override_settings(**BACKGROUND)
def test_a_long_list_with_problems_creates_nothing(world: World) -> None:
    rows = [*ROWS, ["440800-009", "外市项目", "丙一单位", "丙主管部门", 1, 1, None]]
    response = open_task(world, list_xlsx(rows))
    assert response.status_code == 200 and "未建立任务" in response.content.decode()
    assert not Task.objects.exists() and not TaskOpening.objects.exists()
    assert not EvaluationRecord.all_objects.exists()
