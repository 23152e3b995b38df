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


def get_task(request: HttpRequest, pk: int) -> Task:
    try:
        return visible_tasks(access_for(request.user)).select_related("owner").get(pk=pk)
    except Task.DoesNotExist:
        raise Http404("任务不存在或无权查看") from None


def may_manage(access: Access, task: Task) -> bool:
    """Whether ``access`` runs ``task``: the organisation that opened it, or the 财政局 above it."""
    allowed = set(owners(access).values_list("pk", flat=True))
    return task.owner_id in allowed or task.owner.parent_id in allowed
