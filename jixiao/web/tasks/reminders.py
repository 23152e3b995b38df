"""Reminders of a task's deadlines: who is behind, who is told, and never the same event twice.

Each day (``manage.py send_reminders``, from cron or the worker's schedule) every open task is looked at (one
still 正在建立 in the background is not: its units see none of it yet):

* a unit with evaluations not yet submitted is reminded ``REMINDER_DAYS_BEFORE`` days (or fewer) before its
  填报 deadline (the task's, or its latest extension), and once more when the deadline has passed;
* a 主管部门 with submitted evaluations it has not yet decided is reminded the same way before and after the
  task's 审核 deadline.

The people told are the unit's 填报人 and 单位负责人, or the department's 审核人: an in-app notice each, and an
e-mail where they have an address (Django's mail settings: the console by default, SMTP from the environment).
Every reminder is logged (:class:`Reminder`); the automatic ones are unique per (task, organisation, kind,
deadline), so running twice a day, or on two machines, sends each once. The board sends one by hand.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from ..evaluations.choices import Status
from ..evaluations.models import EvaluationRecord
from ..evaluations.workflow import EDITORS, UNSUBMITTED
from ..organisations.models import Membership, Organisation, OrganisationKind, Role
from .models import DeadlineExtension, Notice, Reminder, Task, TaskState

Kind = Reminder.Kind


def days_before() -> int:
    return int(getattr(settings, "REMINDER_DAYS_BEFORE", 3))


#: the extensions of one task in the order granted (a plain query: the board asks on every view)
_EXTENSIONS_SQL = (
    f"SELECT unit_id, deadline FROM {DeadlineExtension._meta.db_table} WHERE task_id = %s ORDER BY granted_at, id"
)


def unit_deadlines(task: Task) -> dict[int, dt.date]:
    """Each extended unit's 填报 deadline (the latest extension counts); other units keep the task's."""
    with connection.cursor() as cursor:
        cursor.execute(_EXTENSIONS_SQL, [task.pk])
        return dict(cursor.fetchall())


@dataclass(frozen=True)
class Due:
    organisation: Organisation
    kind: str
    deadline: dt.date
    pending: int


def due(task: Task, today: dt.date) -> list[Due]:
    """The reminders ``task`` calls for today."""
    out: list[Due] = []
    window = days_before()
    extended = unit_deadlines(task)
    records = EvaluationRecord.objects.filter(task=task)
    behind = Counter(records.filter(status__in=UNSUBMITTED).values_list("unit_id", flat=True))
    units = Organisation.objects.in_bulk(list(behind))
    for unit_id, pending in behind.items():
        deadline = extended.get(unit_id, task.unit_deadline)
        kind = _kind(deadline, today, window, Kind.UNIT_SOON, Kind.UNIT_OVERDUE)
        if kind:
            out.append(Due(units[unit_id], kind, deadline, pending))
    waiting = Counter(
        records.filter(status=Status.SUBMITTED, department__isnull=False).values_list("department_id", flat=True)
    )
    departments = Organisation.objects.in_bulk(list(waiting))
    for department_id, pending in waiting.items():
        kind = _kind(task.department_deadline, today, window, Kind.REVIEW_SOON, Kind.REVIEW_OVERDUE)
        if kind:
            out.append(Due(departments[department_id], kind, task.department_deadline, pending))
    return out


def _kind(deadline: dt.date, today: dt.date, window: int, soon: str, overdue: str) -> str | None:
    left = (deadline - today).days
    if left < 0:
        return overdue
    if left <= window:
        return soon
    return None


#: who is told about an organisation's work: a unit's own people, a 主管部门's reviewers, a 财政局's 绩效管理员
TOLD: dict[str, tuple[str, ...]] = {
    OrganisationKind.UNIT: EDITORS,
    OrganisationKind.DEPARTMENT: (Role.DEPARTMENT_REVIEWER,),
    OrganisationKind.FINANCE: (Role.FINANCE_ADMIN,),
}


def recipients(organisation: Organisation) -> list[AbstractBaseUser]:
    roles = TOLD[organisation.kind]
    ids = Membership.objects.filter(organisation=organisation, role__in=roles).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def message(task: Task, item: Due) -> str:
    when = f"{item.deadline:%Y年%m月%d日}"
    overdue = item.kind in (Kind.UNIT_OVERDUE, Kind.REVIEW_OVERDUE)
    tail = f"截止日期 {when} 已过，请尽快办理。" if overdue else f"截止日期为 {when}，请按时办理。"
    if item.kind in (Kind.REVIEW_SOON, Kind.REVIEW_OVERDUE):
        return f"【{task.name}】{item.organisation.name}有 {item.pending} 份已提交的评价等待审核；{tail}"
    return f"【{task.name}】{item.organisation.name}有 {item.pending} 份评价尚未提交；{tail}"


def send(task: Task, item: Due, user: AbstractBaseUser | None = None) -> Reminder | None:
    """Log and send one reminder; None when this automatic one was already sent (nothing is sent again)."""
    people = recipients(item.organisation)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                task=task,
                organisation=item.organisation,
                kind=item.kind,
                deadline=item.deadline,
                pending=item.pending,
                recipients=len(people),
                sent_by=user,
            )
    except IntegrityError:
        return None
    text = message(task, item)
    url = reverse("tasks:todo") if item.organisation.kind == "unit" else reverse("tasks:board", args=[task.pk])
    Notice.objects.bulk_create(Notice(user=person, text=text, url=url) for person in people)
    addresses = [p.email for p in people if getattr(p, "email", "")]
    if addresses:
        send_mail(f"绩效自评提醒：{task.name}", text, None, addresses, fail_silently=True)
    return reminder


def send_due(today: dt.date, tasks: list[Task] | None = None) -> list[Reminder]:
    """Every reminder due today, each sent once (the daily run); tasks not yet 已建立 are skipped."""
    sent = []
    if tasks is None:
        tasks = list(Task.objects.filter(finance_deadline__gte=today - dt.timedelta(days=90)))
    for task in tasks:
        if task.state != TaskState.OPEN:  # still being opened (or failed to): its units have nothing to see yet
            continue
        for item in due(task, today):
            reminder = send(task, item)
            if reminder is not None:
                sent.append(reminder)
    return sent


def send_by_hand(task: Task, unit: Organisation, user: AbstractBaseUser, today: dt.date) -> Reminder | None:
    """A reminder from the board to one unit about its evaluations not yet submitted (None: nothing is pending)."""
    pending = EvaluationRecord.objects.filter(task=task, unit=unit, status__in=UNSUBMITTED).count()
    if not pending:
        return None
    deadline = unit_deadlines(task).get(unit.pk, task.unit_deadline)
    return send(task, Due(unit, Kind.MANUAL, deadline, pending), user)
