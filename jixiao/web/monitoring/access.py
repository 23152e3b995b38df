"""Who sees and does what in 运行监控.

* A 财政绩效管理员 sets 监控批次 for its 财政局 and sees every record of its tree; a 主管部门审核人 sees its units'
  records; a unit's 填报人 and 单位负责人 see, fill in and submit their own (only while 草稿).
* A 监控批次 is seen by the 财政局 that set it and by whoever sees one of its records.
* Outside one's branch nothing exists (404); seeing without the role to act is 403; a record already submitted
  is 409 (``NotAllowed``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from ..evaluations.services import NotAllowed
from ..organisations.access import Access, access_for
from ..organisations.models import Organisation, OrganisationKind, Role
from .models import MonitoringRecord, MonitoringRound

#: who fills in and submits a unit's monitoring
FILLERS = (Role.FILLER, Role.UNIT_HEAD)
#: who sees the warning boards
OVERSEERS = (Role.DEPARTMENT_REVIEWER, Role.FINANCE_ADMIN)


def visible_records(access: Access) -> QuerySet[MonitoringRecord]:
    scope = access.scope()
    qs = MonitoringRecord.objects.select_related("round", "unit", "department")
    return qs if scope is None else qs.filter(scope)


def round_finances(access: Access) -> QuerySet[Organisation]:
    """The 财政局 ``access`` may set 监控批次 for."""
    qs = Organisation.objects.filter(kind=OrganisationKind.FINANCE)
    if access.is_system_admin:
        return qs
    return qs.filter(pk__in=[org for role, _kind, org in access.places if role == Role.FINANCE_ADMIN])


def visible_rounds(access: Access) -> QuerySet[MonitoringRound]:
    if access.is_system_admin:
        return MonitoringRound.objects.all()
    own = [org for role, _kind, org in access.places if role == Role.FINANCE_ADMIN]
    seen = visible_records(access).values("round_id")
    return MonitoringRound.objects.filter(finance_id__in=own) | MonitoringRound.objects.filter(pk__in=seen)


def get_round(request: HttpRequest, pk: int) -> MonitoringRound:
    found = visible_rounds(access_for(request.user)).select_related("finance").filter(pk=pk).first()
    if found is None:
        raise Http404("监控批次不存在或无权查看")
    return found


def may_fill(access: Access, record: MonitoringRecord) -> bool:
    return any(access.reaches(role, record) for role in FILLERS)


def may_return(access: Access, record: MonitoringRecord) -> bool:
    """The record's 主管部门审核人 or its 财政局's 财政绩效管理员 may send a submitted record back."""
    return any(access.reaches(role, record) for role in OVERSEERS)


def get_record(request: HttpRequest, pk: int, fill: bool = False) -> MonitoringRecord:
    """The record if the user sees it (else 404); with ``fill``, also that they may fill it in now (403, 409)."""
    access = access_for(request.user)
    record = visible_records(access).filter(pk=pk).first()
    if record is None:
        raise Http404("监控记录不存在或无权查看")
    if fill:
        if not may_fill(access, record):
            raise PermissionDenied("只有本单位的填报人和单位负责人可以填报运行监控")
        if not record.is_draft:
            raise NotAllowed(f"当前状态为“{record.get_status_display()}”，不能修改")
    return record


def oversees(access: Access) -> bool:
    return access.has_role(*OVERSEERS)
