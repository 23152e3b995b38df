"""Who opens a 自评任务 and who sees its board: a 财政绩效管理员 for its 财政局, a 主管部门审核人 for its 主管部门.
Finance sees its departments' tasks too; a department sees its 财政局's tasks (the board then shows only its own
units, since the board reads the records through ``evaluations.access.visible``). A task still 正在建立 (or
建立失败) is seen only by those who run it."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from ..organisations.access import Access, access_for
from ..organisations.models import Organisation, OrganisationKind, Role
from .models import Task, TaskState

#: who may open a task, and at which kind of organisation
OPENERS: dict[str, str] = {
    Role.FINANCE_ADMIN: OrganisationKind.FINANCE,
    Role.DEPARTMENT_REVIEWER: OrganisationKind.DEPARTMENT,
}


def owners(access: Access) -> QuerySet[Organisation]:
    """The organisations ``access`` may open a task for."""
    if access.is_system_admin:
        return Organisation.objects.filter(kind__in=OPENERS.values())
    ids = [org for role, kind, org in access.places if OPENERS.get(role) == kind]
    return Organisation.objects.filter(pk__in=ids)


def visible_tasks(access: Access) -> QuerySet[Task]:
    """The tasks ``access`` sees; one not yet 已建立 (正在建立, 建立失败) only by those who run it."""
    if access.is_system_admin:
        return Task.objects.all()
    q = Q(pk__in=[])
    for role, _kind, org in access.places:
        if role == Role.FINANCE_ADMIN:
            q |= Q(owner_id=org) | Q(owner__parent_id=org)
        elif role == Role.DEPARTMENT_REVIEWER:
            q |= Q(owner_id=org) | Q(owner__children__id=org)
    managed = [org for role, kind, org in access.places if OPENERS.get(role) == kind]
    runs = Q(state=TaskState.OPEN) | Q(owner_id__in=managed) | Q(owner__parent_id__in=managed)
    return Task.objects.filter(q).filter(runs).distinct()


def sees(access: Access, task: Task) -> bool:
    """Whether :func:`visible_tasks` holds ``task``, decided from ``access`` and the task's owner (with its parent)
    without asking the database again: every page of a task asks it."""
    if access.is_system_admin:
        return True
    owner, above = task.owner_id, task.owner.parent_id
    reached = any(
        (role == Role.FINANCE_ADMIN and org in (owner, above))
        or (role == Role.DEPARTMENT_REVIEWER and (org == owner or access.parent_of(org) == owner))
        for role, _kind, org in access.places
    )
    return reached and (task.state == TaskState.OPEN or may_manage(access, task))


def get_task(request: HttpRequest, pk: int) -> Task:
    task = Task.objects.select_related("owner").filter(pk=pk).first()
    if task is None or not sees(access_for(request.user), task):
        raise Http404("任务不存在或无权查看")
    return task


def may_manage(access: Access, task: Task) -> bool:
    """Whether ``access`` runs ``task``: the organisation that opened it, or the 财政局 above it (as
    :func:`owners` chooses them)."""
    if access.is_system_admin:  # owners() gives every 财政局 and 主管部门, and only they open tasks
        return True
    allowed = {org for role, kind, org in access.places if OPENERS.get(role) == kind}
    return task.owner_id in allowed or task.owner.parent_id in allowed
