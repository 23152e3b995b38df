"""Fetching a record for a user: 404 when they may not see it, 403 when they may see but not act."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from ..organisations.access import Access, access_for
from ..organisations.models import Organisation, OrganisationKind, Role
from . import workflow
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


def get_record(request: HttpRequest, pk: int, action: str | None = None) -> EvaluationRecord:
    """The record if the user may see it (else 404) and, when ``action`` is given, take it (else 403)."""
    access = access_for(request.user)
    try:
        record = visible(access).get(pk=pk)
    except EvaluationRecord.DoesNotExist:
        raise Http404("评价不存在或无权查看") from None
    if action is not None and not may(access, record, action):
        raise PermissionDenied("您没有执行此操作的权限，或当前状态不允许此操作")
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
