"""Fetching a declaration for a user: 404 when they may not see it, 403 when they may see it but never take the
step, 409 (``NotAllowed``) when only its status stands in the way."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from ..evaluations.services import NotAllowed
from ..organisations.access import Access, access_for
from ..organisations.models import Organisation, OrganisationKind
from .models import TargetDeclaration
from .workflow import LABELS, STEPS, UNIT_ROLES


def visible(access: Access) -> QuerySet[TargetDeclaration]:
    """The declarations of the user's branch: a unit its own, a 主管部门 its units', a 财政局 all of its tree."""
    scope = access.scope()
    qs = TargetDeclaration.objects.select_related("unit")
    return qs if scope is None else qs.filter(scope)


def holds_role(access: Access, declaration: TargetDeclaration, action: str) -> bool:
    return any(access.reaches(role, declaration) for role in STEPS[action].roles)


def may(access: Access, declaration: TargetDeclaration, action: str) -> bool:
    step = STEPS[action]
    return declaration.status in step.sources and holds_role(access, declaration, action)


def get_declaration(request: HttpRequest, pk: int, action: str | None = None) -> TargetDeclaration:
    access = access_for(request.user)
    declaration = visible(access).filter(pk=pk).first()
    if declaration is None:
        raise Http404("绩效目标申报不存在或无权查看")
    if action is not None and not may(access, declaration, action):
        if holds_role(access, declaration, action):
            raise NotAllowed(f"当前状态为“{declaration.get_status_display()}”，不能{LABELS[action]}")
        raise PermissionDenied("您没有执行此操作的权限")
    return declaration


def declaring_units(access: Access) -> QuerySet[Organisation]:
    """The 预算单位 the user may declare for."""
    units = access.units(*UNIT_ROLES)
    qs = Organisation.objects.filter(kind=OrganisationKind.UNIT)
    return qs if units is None else qs.filter(pk__in=units)
