"""Who sees and does what in 结果应用.

* The policy, the next-year budget list, its decisions and the 汇总表: a 财政绩效管理员 for its own 财政局, and the
  system administrator for every one. Another 财政局's evaluation is not found (404).
* 整改事项: a 预算单位's 填报人 and 单位负责人 see their unit's and report 整改情况; a 主管部门审核人 sees its units'
  and a 财政绩效管理员 its 财政局's, and either closes (销号) or sends back; the system administrator sees and
  closes all. Nobody closes an item of their own unit. An item out of one's reach is not found (404); one in reach
  that one's role may not act on is refused (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from ..evaluations.models import EvaluationRecord
from ..evaluations.workflow import EDITORS, UNSUBMITTED
from ..organisations.access import Access, access_for
from ..organisations.models import Organisation, OrganisationKind, Role
from .models import Rectification

#: who closes (销号) or sends back a 整改事项, and which column of it their place must match
CLOSERS: dict[str, str] = {Role.DEPARTMENT_REVIEWER: "department_id", Role.FINANCE_ADMIN: "finance_id"}


# ------------------------------------------------------------------------------------------- finance's pages


def finances(access: Access) -> QuerySet[Organisation]:
    """The 财政局s whose policy, budget list and 汇总表 ``access`` may see and change."""
    if access.is_system_admin:
        return Organisation.objects.filter(kind=OrganisationKind.FINANCE)
    ids = [org for role, kind, org in access.places if role == Role.FINANCE_ADMIN and kind == OrganisationKind.FINANCE]
    return Organisation.objects.filter(pk__in=ids)


def require_finance(request: HttpRequest) -> QuerySet[Organisation]:
    """:func:`finances` of the signed-in person; 403 when there is none (the page is finance's alone)."""
    allowed = finances(access_for(request.user))
    if not allowed.exists():
        raise PermissionDenied("结果应用仅供财政绩效管理员和系统管理员使用")
    return allowed


def budget_records(allowed: QuerySet[Organisation]) -> QuerySet[EvaluationRecord]:
    """The live evaluations of the ``allowed`` 财政局s that get a next-year suggestion and count in the 汇总表: those
    submitted by their unit, at any later step (a draft's grade is not yet the unit's word)."""
    return EvaluationRecord.objects.filter(finance__in=allowed).exclude(status__in=UNSUBMITTED)


def get_budget_record(request: HttpRequest, pk: int) -> EvaluationRecord:
    """An evaluation of one of the person's 财政局s (403 for other roles, 404 for another 财政局's)."""
    allowed = require_finance(request)
    record = budget_records(allowed).select_related("unit", "department", "finance").filter(pk=pk).first()
    if record is None:
        raise Http404("评价不存在或无权查看")
    return record


# ------------------------------------------------------------------------------------------- 整改事项


def rectification_scope(access: Access) -> Q | None:
    """A filter on 整改事项 for what ``access`` sees; None means all."""
    if access.is_system_admin:
        return None
    q = Q(pk__in=[])
    for role, _kind, org in access.places:
        if role in EDITORS:
            q |= Q(owner_id=org)
        elif role in CLOSERS:
            q |= Q(**{CLOSERS[role]: org})
    return q


def visible_rectifications(access: Access) -> QuerySet[Rectification]:
    """The items ``access`` sees (those of a deleted evaluation go with it)."""
    scope = rectification_scope(access)
    qs = Rectification.objects.filter(record__deleted_at__isnull=True)
    return qs if scope is None else qs.filter(scope)


def may_report(access: Access, item: Rectification) -> bool:
    """The unit's own 填报人 and 单位负责人 report what they did."""
    return any(role in EDITORS and org == item.owner_id for role, _kind, org in access.places)


def may_close(access: Access, item: Rectification) -> bool:
    """The 主管部门 or the 财政局 above the unit (or the system administrator) close and send back; never the unit."""
    if access.is_system_admin:
        return True
    return any(role in CLOSERS and getattr(item, CLOSERS[role]) == org for role, _kind, org in access.places)


def may_open(access: Access, record: EvaluationRecord) -> bool:
    """Finance of the evaluation's 财政局 opens its 整改事项 (the 复核 does too, through the service)."""
    return access.is_system_admin or any(
        role == Role.FINANCE_ADMIN and org == record.finance_id for role, _kind, org in access.places
    )


def get_rectification(request: HttpRequest, pk: int, action: str | None = None) -> Rectification:
    """The item if the person sees it (else 404); with ``action`` (``report`` or ``close``) 403 unless they may."""
    access = access_for(request.user)
    item = visible_rectifications(access).select_related("owner", "department", "evidence").filter(pk=pk).first()
    if item is None:
        raise Http404("整改事项不存在或无权查看")
    if action == "report" and not may_report(access, item):
        raise PermissionDenied("整改情况由责任单位报送")
    if action == "close" and not may_close(access, item):
        raise PermissionDenied("整改事项由主管部门或财政部门销号，责任单位不能自行销号")
    return item
