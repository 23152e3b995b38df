"""Who draws and sees 抽查复核计划: a 财政绩效管理员 for its own 财政局, and the system administrator."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from ..organisations.access import Access, access_for
from ..organisations.models import Organisation, OrganisationKind, Role
from .models import SampleDraw


def finances(access: Access) -> QuerySet[Organisation]:
    """The 财政局s ``access`` may draw for and whose draws it sees."""
    if access.is_system_admin:
        return Organisation.objects.filter(kind=OrganisationKind.FINANCE)
    ids = [org for role, kind, org in access.places if role == Role.FINANCE_ADMIN and kind == OrganisationKind.FINANCE]
    return Organisation.objects.filter(pk__in=ids)


def get_draw(request: HttpRequest, pk: int) -> SampleDraw:
    access = access_for(request.user)
    draw = SampleDraw.objects.select_related("finance").filter(pk=pk).first()
    if draw is None or not finances(access).filter(pk=draw.finance_id).exists():
        raise Http404("抽查复核计划不存在或无权查看")
    return draw
