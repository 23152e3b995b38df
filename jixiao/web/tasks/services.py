"""Opening a 年度自评任务: check the 项目清单 against the organisation tree, then open every project as 待填报, all or
nothing. Each record is pre-filled from its row (name, unit, 主管部门, budgets, 绩效目标) and, where the project
was evaluated the year before, from that evaluation's targets (``core.carry_forward``).

The list is always checked in the request, whole, before anything is created. A list of up to
``JIXIAO_TASK_INLINE_ROWS`` rows (500) is then opened in the request, in one transaction. A longer one is handed
to the background worker (``background.open_projects``): the task is stored as 正在建立 with its checked rows
(:class:`TaskOpening`), and the worker creates the evaluations in committed batches of ``JIXIAO_TASK_BATCH_ROWS``
(500), hidden (soft-deleted) so that no unit, list, count or reminder sees any of them; when all are there it
shows them at once, in one transaction, writing their 新建 change records, and the task is 已建立. If it fails,
every evaluation it created is removed and the task is 建立失败 with the reason. Run again, the worker carries on
where it stopped: projects whose 项目编码 is already there are not created twice."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings as django_settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ...core.carry_forward import carry_forward
from ...core.model import Evaluation
from ...io.catalogue import load_framework
from ...io.xlsx.project_list import ListProblem, ProjectList, ProjectRow
from ..changes.bulk import record_created
from ..evaluations import services as evaluation_services
from ..evaluations.choices import Status
from ..evaluations.models import EvaluationRecord, EvaluationVersion, StoredFinding, Transition
from ..organisations.models import Organisation, OrganisationKind
from .models import Task, TaskOpening, TaskState

log = logging.getLogger(__name__)
T = TypeVar("T")


def _setting(name: str, default: int) -> int:
    """An integer from the Django settings, else from the environment, else ``default``."""
    value = getattr(django_settings, name, None)
    return int(value if value is not None else os.environ.get(name, default))


def inline_rows() -> int:
    """The longest 项目清单 opened in the request; a longer one is opened by the background worker."""
    return _setting("JIXIAO_TASK_INLINE_ROWS", 500)


def batch_rows() -> int:
    """How many evaluations the background worker creates (and commits) at a time."""
    return max(1, _setting("JIXIAO_TASK_BATCH_ROWS", 500))


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class TaskSettings:
    owner: Organisation
    year: int
    name: str
    rules: str
    framework: str
    unit_deadline: dt.date
    department_deadline: dt.date
    finance_deadline: dt.date


class OpeningFailed(Exception):
    """The background opening cannot go on; ``reason`` (Chinese) is shown on the task."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ListRefused(Exception):
    """The 项目清单 has problems; nothing was created."""

    def __init__(self, problems: list[ListProblem]) -> None:
        super().__init__(f"项目清单有 {len(problems)} 处问题，未建立任务")
        self.problems = problems


def units_under(owner: Organisation) -> dict[str, Organisation]:
    """The 预算单位 at or below ``owner``, by name (the name a 项目清单 uses)."""
    ids = owner.unit_ids() if owner.kind != OrganisationKind.UNIT else [owner.pk]
    return {unit.name: unit for unit in Organisation.objects.filter(pk__in=ids).select_related("parent")}


def check_against_tree(listing: ProjectList, units: dict[str, Organisation]) -> list[ListProblem]:
    """Problems the reader cannot see: a 主管部门 that is not the unit's own."""
    problems: list[ListProblem] = []
    for row in listing.rows:
        unit = units.get(row.unit)
        if unit is None or not row.department:
            continue
        departments = {node.name for node in unit.ancestors() if node.kind == OrganisationKind.DEPARTMENT}
        if departments and row.department not in departments:
            problems.append(
                ListProblem(
                    row.row,
                    None,
                    f"第{row.row}行：主管部门“{row.department}”与系统中{row.unit}的主管部门"
                    f"“{'、'.join(sorted(departments))}”不一致",
                )
            )
    return problems


def _column(cell: str | None) -> tuple[int, str]:
    """ "项目清单!AB7" → (2, "AB"): problems of one row in the order of its columns."""
    letters = "".join(ch for ch in (cell or "").rsplit("!", 1)[-1] if ch.isalpha())
    return (len(letters), letters)


def list_from_task(earlier: Task) -> ProjectList:
    """An earlier task's projects as a 项目清单: the same codes, names, units and 主管部门; the budgets are the new
    year's, so they are left for the unit to fill in."""
    records = EvaluationRecord.objects.filter(task=earlier).select_related("unit", "department").order_by("pk")
    rows = [
        ProjectRow(
            row=n,
            code=r.project_code,
            name=r.project_name,
            unit=r.unit.name,
            department=r.department.name if r.department else None,
            initial_budget_wan=None,
            annual_budget_wan=None,
            goal=None,
        )
        for n, r in enumerate(records, start=1)
    ]
    return ProjectList(file=f"沿用“{earlier.name}”", sheet="", amount_unit="万元", rows=rows, problems=[])


def _evaluation_of(row: ProjectRow, settings: TaskSettings) -> Evaluation:
    data: dict[str, object] = {
        "project": {"name": row.name, "year": settings.year, "unit": row.unit, "department": row.department},
        "rules": settings.rules,
        "framework": settings.framework,
        "indicators": [i.model_dump(mode="json") for i in load_framework(settings.framework).skeleton()],
    }
    if row.annual_budget_wan is not None:
        data["funds"] = [
            {
                "source": "current",
                "initial_budget_wan": row.initial_budget_wan,
                "annual_budget_wan": row.annual_budget_wan,
            }
        ]
    if row.goal:
        data["goals"] = [{"kind": "overall", "expected": row.goal}]
    return Evaluation.model_validate(data)


class LastYear:
    """Last year's evaluations of the task's units, by (unit, 项目编码) and (unit, 项目名称): the newest of each
    (as ``EvaluationRecord.objects.filter(...).order_by("-pk").first()``), read once as keys, not documents."""

    def __init__(self, unit_ids: Sequence[int], year: int) -> None:
        self.by_code: dict[tuple[int, str], int] = {}
        self.by_name: dict[tuple[int, str], int] = {}
        earlier = EvaluationRecord.objects.filter(unit_id__in=unit_ids, year=year - 1).order_by("pk")
        for pk, unit_id, code, name in earlier.values_list("pk", "unit_id", "project_code", "project_name"):
            self.by_code[(unit_id, code)] = pk
            self.by_name[(unit_id, name)] = pk

    def of(self, unit: Organisation, row: ProjectRow) -> int | None:
        return self.by_code.get((unit.pk, row.code)) or self.by_name.get((unit.pk, row.name))

    def documents(self, pks: set[int]) -> dict[int, Any]:
        if not pks:
            return {}
        return dict(EvaluationRecord.objects.filter(pk__in=pks).values_list("pk", "document"))


def _create_projects(
    task: Task,
    settings: TaskSettings,
    rows: Sequence[tuple[ProjectRow, Organisation]],
    user: AbstractBaseUser | None,
    last_year: LastYear,
    hidden_at: dt.datetime | None = None,
) -> list[EvaluationRecord]:
    """One 待填报 evaluation per row, written in bulk (``evaluations.services.create_many``)."""
    previous = {row.row: last_year.of(unit, row) for row, unit in rows}
    documents = last_year.documents({pk for pk in previous.values() if pk is not None})
    items = []
    for row, unit in rows:
        evaluation = _evaluation_of(row, settings)
        summary = f"由自评任务“{task.name}”建立"
        pk = previous[row.row]
        if pk is not None:
            evaluation = carry_forward(Evaluation.model_validate(documents[pk]), evaluation)
            summary += f"，已带入{settings.year - 1}年度评价的指标和目标值（实际完成值和得分留空）"
        items.append(evaluation_services.NewRecord(unit, evaluation, summary, {"task": task, "project_code": row.code}))
    return evaluation_services.create_many(items, user, status=Status.PENDING, hidden_at=hidden_at)


def check_list(settings: TaskSettings, listing: ProjectList) -> dict[str, Organisation]:
    """The units of ``settings.owner`` by name, when every row of ``listing`` is right; else :class:`ListRefused`
    with every problem, in sheet order."""
    units = units_under(settings.owner)
    problems = [*listing.problems, *check_against_tree(listing, units)]
    faulted = {p.row for p in listing.problems}  # (a reader given the unit names has said so already)
    problems += [
        ListProblem(row.row, None, f"第{row.row}行：预算单位“{row.unit}”不在{settings.owner.name}所辖的单位中")
        for row in listing.rows
        if row.unit not in units and row.row not in faulted
    ]
    if not listing.rows:
        problems.append(ListProblem(None, None, "项目清单中没有项目"))
    if problems:
        raise ListRefused(sorted(problems, key=lambda p: (p.row or 0, _column(p.cell), p.message)))
    return units


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _row_data(row: ProjectRow, unit: Organisation) -> dict[str, Any]:
    """A checked row as JSON, for the worker (the unit by its id: what was checked is what is opened)."""
    return {
        "row": row.row,
        "code": row.code,
        "name": row.name,
        "unit": row.unit,
        "unit_id": unit.pk,
        "department": row.department,
        "initial_budget_wan": _amount(row.initial_budget_wan),
        "annual_budget_wan": _amount(row.annual_budget_wan),
        "goal": row.goal,
    }


def _row_of(data: dict[str, Any]) -> ProjectRow:
    def amount(key: str) -> Decimal | None:
        return None if data[key] is None else Decimal(data[key])

    return ProjectRow(
        row=data["row"],
        code=data["code"],
        name=data["name"],
        unit=data["unit"],
        department=data["department"],
        initial_budget_wan=amount("initial_budget_wan"),
        annual_budget_wan=amount("annual_budget_wan"),
        goal=data["goal"],
    )


def _settings_of(task: Task) -> TaskSettings:
    return TaskSettings(
        owner=task.owner,
        year=task.year,
        name=task.name,
        rules=task.rules,
        framework=task.framework,
        unit_deadline=task.unit_deadline,
        department_deadline=task.department_deadline,
        finance_deadline=task.finance_deadline,
    )


def open_task(
    settings: TaskSettings, listing: ProjectList, user: AbstractBaseUser | None, source_name: str = ""
) -> Task:
    """The task and one 待填报 evaluation per row; raises :class:`ListRefused` (and creates nothing) on any problem.

    A list longer than :func:`inline_rows` is handed to the background worker: the task returned is then
    正在建立 (or already 已建立 where the worker runs at once, as under test)."""
    units = check_list(settings, listing)
    rows = listing.rows
    background = len(rows) > inline_rows()
    with transaction.atomic():
        task = Task.objects.create(
            owner=settings.owner,
            year=settings.year,
            name=settings.name,
            rules=settings.rules,
            framework=settings.framework,
            unit_deadline=settings.unit_deadline,
            department_deadline=settings.department_deadline,
            finance_deadline=settings.finance_deadline,
            source_name=source_name,
            created_by=user,
            project_count=len(rows),
            state=TaskState.OPENING if background else TaskState.OPEN,
        )
        if not background:
            last_year = LastYear([u.pk for u in units.values()], settings.year)
            for batch in _chunks(rows, batch_rows()):
                _create_projects(task, settings, [(row, units[row.unit]) for row in batch], user, last_year)
            return task
        TaskOpening.objects.create(task=task, rows=[_row_data(row, units[row.unit]) for row in rows])
        from .background import open_projects

        # stored in the same transaction as the task (the database backend): the job exists if and only if the task
        # does; the worker picks it up once this commits
        open_projects.enqueue(task.pk)
    task.refresh_from_db()
    return task


def fill(task_id: int) -> int:
    """The background opening of a 正在建立 task (``background.open_projects``): create what is missing, batch by
    batch, then show everything at once; on any error remove all of it and mark the task 建立失败 (and raise).
    How many evaluations the task has. Nothing to do for a task already 已建立; a 建立失败 task starts over."""
    task = Task.objects.select_related("owner", "created_by").get(pk=task_id)
    if task.state == TaskState.OPEN:
        return task.project_count
    if task.state == TaskState.FAILED:
        task.state, task.failure = TaskState.OPENING, ""
        task.save()
    data: list[dict[str, Any]] = []
    rows_done = 0
    try:
        opening = TaskOpening.objects.filter(task=task).first()
        if opening is None:
            raise OpeningFailed("找不到本任务已检查的项目清单，无法建立评价；请重新发起任务")
        data = opening.rows
        units = Organisation.objects.select_related("parent").in_bulk({r["unit_id"] for r in data})
        for r in data:
            if r["unit_id"] not in units:
                raise OpeningFailed(f"第{r['row']}行：预算单位“{r['unit']}”已不在系统中（检查清单之后被删除）")
        settings = _settings_of(task)
        last_year = LastYear(list(units), task.year)
        user = task.created_by
        for batch in _chunks(data, batch_rows()):
            with transaction.atomic():
                state = Task.objects.select_for_update().values_list("state", flat=True).get(pk=task.pk)
                if state != TaskState.OPENING:  # another run finished it, or gave up
                    return task.project_count
                codes = [r["code"] for r in batch]
                there = set(
                    EvaluationRecord.all_objects.filter(task=task, project_code__in=codes).values_list(
                        "project_code", flat=True
                    )
                )
                rows = [(_row_of(r), units[r["unit_id"]]) for r in batch if r["code"] not in there]
                if rows:
                    _create_projects(task, settings, rows, user, last_year, hidden_at=opening.started_at)
                rows_done += len(batch)
                TaskOpening.objects.filter(pk=task.pk).update(done=rows_done, updated_at=timezone.now())
        _show(task)
    except Exception as err:
        reason = err.reason if isinstance(err, OpeningFailed) else _reason(err, data, rows_done)
        _fail(task, reason)
        raise
    return task.project_count


def _reason(err: Exception, data: list[dict[str, Any]], rows_done: int) -> str:
    at = f"（第{data[rows_done]['row']}行起的一批）" if rows_done < len(data) else ""
    log.error("自评任务建立评价时出错%s", at, exc_info=err)  # (the traceback is for the operator, not the page)
    return f"建立评价时出错{at}：{err or type(err).__name__}"


@transaction.atomic
def _show(task: Task) -> None:
    """Show the hidden evaluations of ``task`` all at once, each with its 新建 change record; the task is 已建立."""
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.state != TaskState.OPENING:
        return
    hidden = EvaluationRecord.all_objects.filter(task=task, deleted_at__isnull=False)
    ids = list(hidden.order_by("pk").values_list("pk", flat=True))
    if len(ids) != task.project_count:
        raise OpeningFailed(f"项目清单有 {task.project_count} 个项目，只建立了 {len(ids)} 份评价")
    now = timezone.now()
    for chunk in _chunks(ids, batch_rows()):
        records = list(EvaluationRecord.all_objects.filter(pk__in=chunk).order_by("pk"))
        for record in records:
            record.deleted_at, record.updated_at = None, now
        record_created(records)
    hidden.update(deleted_at=None, updated_at=now)  # (updated_at: the lists' cached fragments are renewed)
    task.state, task.failure = TaskState.OPEN, ""
    task.save()
    TaskOpening.objects.filter(task=task).delete()


def _fail(task: Task, reason: str) -> None:
    """Remove every evaluation the opening created (hidden, never shown, so without change records) and mark the
    task 建立失败 with ``reason``; the checked rows are kept, so that a later run can start over."""
    try:
        with transaction.atomic():
            hidden = EvaluationRecord.all_objects.filter(task=task, deleted_at__isnull=False)
            for model in (StoredFinding, EvaluationVersion, Transition):
                model.objects.filter(record__in=hidden).delete()
            hidden._raw_delete(hidden.db)  # type: ignore[attr-defined]  # (no signals: they were never shown)
            task.state, task.failure = TaskState.FAILED, reason[:2000]
            task.save()
    except Exception:
        log.exception("自评任务 %s 建立失败后清理也失败", task.pk)
