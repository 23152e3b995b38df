"""Fetching a record for a user: 404 when they may not see it, 403 when they may see but not act."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from ..organisations.access import Access, access_for
from ..organisations.models import Organisation, OrganisationKind, Role
from . import services, workflow
from .choices import Action
from .models import EvaluationRecord, ImportMode
from .workflow import EDITABLE, EDITORS


def visible(access: Access) -> QuerySet[EvaluationRecord]:
    scope = access.scope()
    qs = EvaluationRecord.objects.select_related("unit")
    return qs if scope is None else qs.filter(scope)


def may(access: Access, record: EvaluationRecord, action: str) -> bool:
    """Whether ``access`` may take ``action`` (or ``"edit"``) on ``record`` now (``workflow`` says who and when)."""
    if action == "edit":
        return record.status in EDITABLE and any(access.reaches(r, record) for r in EDITORS)
    taken = workflow.step(action, record.status)
    return taken is not None and any(access.reaches(r, record) for r in taken.roles)


def may_in_some_status(access: Access, record: EvaluationRecord, action: str) -> bool:
    """Whether ``access`` holds a role that takes ``action`` (or ``"edit"``) on ``record`` in some status."""
    roles = EDITORS if action == "edit" else {role for s in workflow.STEPS if s.action == action for role in s.roles}
    return any(access.reaches(role, record) for role in roles)


def get_record(request: HttpRequest, pk: int, action: str | None = None) -> EvaluationRecord:
    """The record if the user may see it (else 404) and, when ``action`` is given, take it: else 409 when only its
    status stands in the way (someone moved it on since the page was read), 403 when the user's roles never may."""
    access = access_for(request.user)
    try:
        record = visible(access).get(pk=pk)
    except EvaluationRecord.DoesNotExist:
        raise Http404("评价不存在或无权查看") from None
    if action is not None and not may(access, record, action):
        if may_in_some_status(access, record, action):
            what = "修改" if action == "edit" else f"“{Action(action).label}”"
            raise services.NotAllowed(f"当前状态为“{record.get_status_display()}”，不能{what}")
        raise PermissionDenied("您没有执行此操作的权限")
    return record


#: who may import an existing document, and as what: a unit's own people as its draft, 财政 as a submitted one
IMPORT_ROLES: dict[str, tuple[str, ...]] = {
    ImportMode.DRAFT: EDITORS,
    ImportMode.SUBMITTED: (Role.FINANCE_ADMIN,),
}


def import_units(access: Access) -> dict[str, QuerySet[Organisation]]:
    """The 预算单位 ``access`` may import into, per import mode; modes open to none of its roles are left out."""
    out: dict[str, QuerySet[Organisation]] = {}
    for mode, roles in IMPORT_ROLES.items():
        if access.has_role(*roles):
            units = access.units(*roles)
            qs = Organisation.objects.filter(kind=OrganisationKind.UNIT)
            out[mode] = qs if units is None else qs.filter(pk__in=units)
    return out
