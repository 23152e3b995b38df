"""Who sees a 部门整体自评: the 主管部门's own people and its 财政局 (404 for everyone else); who may act on it
(``workflow``; 403 when the role never may, 409 when only the status stands in the way)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from ..evaluations.services import NotAllowed
from ..organisations.access import Access, access_for
from ..organisations.models import Organisation, OrganisationKind, Role
from . import workflow
from .choices import Action
from .models import DepartmentEvaluationRecord
from .workflow import EDITABLE, EDITORS


def visible(access: Access) -> QuerySet[DepartmentEvaluationRecord]:
    qs = DepartmentEvaluationRecord.objects.select_related("department", "finance")
    if access.is_system_admin:
        return qs
    q = Q(pk__in=[])
    for _role, kind, org in access.places:
        if kind == OrganisationKind.DEPARTMENT:
            q |= Q(department_id=org)
        elif kind == OrganisationKind.FINANCE:
            q |= Q(finance_id=org)
    return qs.filter(q)


def reaches(access: Access, role: str, record: DepartmentEvaluationRecord) -> bool:
    if access.is_system_admin:
        return True
    column = {Role.DEPARTMENT_REVIEWER: record.department_id, Role.FINANCE_ADMIN: record.finance_id}.get(role)
    return column is not None and any(r == role and org == column for r, _kind, org in access.places)


def may(access: Access, record: DepartmentEvaluationRecord, action: str) -> bool:
    """Whether ``access`` may take ``action`` (or ``"edit"``) on ``record`` now."""
    if action == "edit":
        return record.status in EDITABLE and any(reaches(access, r, record) for r in EDITORS)
    taken = workflow.step(action, record.status)
    return taken is not None and any(reaches(access, r, record) for r in taken.roles)


def may_ever(access: Access, record: DepartmentEvaluationRecord, action: str) -> bool:
    roles = EDITORS if action == "edit" else {r for s in workflow.STEPS if s.action == action for r in s.roles}
    return any(reaches(access, r, record) for r in roles)


def get_record(request: HttpRequest, pk: int, action: str | None = None) -> DepartmentEvaluationRecord:
    access = access_for(request.user)
    record = visible(access).filter(pk=pk).first()
    if record is None:
        raise Http404("部门整体自评不存在或无权查看")
    if action is not None and not may(access, record, action):
        if may_ever(access, record, action):
            what = "修改" if action == "edit" else f"“{Action(action).label}”"
            raise NotAllowed(f"当前状态为“{record.get_status_display()}”，不能{what}")
        raise PermissionDenied("您没有执行此操作的权限")
    return record


def fillable_departments(access: Access) -> QuerySet[Organisation]:
    """The 主管部门 ``access`` may open a 部门整体自评 for."""
    qs = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT)
    if access.is_system_admin:
        return qs
    ids = [org for role, kind, org in access.places if role in EDITORS and kind == OrganisationKind.DEPARTMENT]
    return qs.filter(pk__in=ids)
