"""The pages of 抽查复核: the draws of one's 财政局 with the form to draw, one draw with the reason each evaluation
was drawn, and its workbook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ...core.sampling import SamplingError
from ...io.catalogue import load_sampling_weights
from .. import scratch
from ..organisations.access import access_for
from . import services
from .access import finances, get_draw
from .forms import DrawForm
from .models import SampleDraw
from .xlsx import write_sample_xlsx


@login_required
def draw_list(request: HttpRequest) -> HttpResponse:
    allowed = finances(access_for(request.user))
    if not allowed.exists():
        raise PermissionDenied("抽查复核计划仅供财政绩效管理员和系统管理员使用")
    form = DrawForm(request.POST or None, finances=allowed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        size = data["size"]
        plan = {
            "size_pct": size if data["size_kind"] == "pct" else None,
            "size_count": int(size) if data["size_kind"] == "count" else None,
            "minimum_per_department": data["minimum_per_department"],
            "random_share_pct": data["random_share_pct"],
            "seed": data["seed"],
        }
        try:
            stored = services.draw_sample(data["finance"], data["year"], plan, request.user, load_sampling_weights())
        except SamplingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"已抽取 {stored.drawn:,} 个评价（候选 {stored.candidates:,} 个），种子 {stored.seed}。"
            )
            return redirect("sampling:detail", pk=stored.pk)
    draws = SampleDraw.objects.filter(finance__in=allowed).select_related("finance")[:50]
    return render(request, "sampling/list.html", {"form": form, "draws": draws})


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The draw, its departments, and the evaluations drawn (a page at a time, optionally of one 主管部门) with how
    far each one's 复核 has come."""
    stored = get_draw(request, pk)
    department = request.GET.get("department", "")
    items = stored.items.all()
    if department:
        items = items.filter(department_name=department)
    reviewed = stored.items.filter(record__review_score__isnull=False).count()
    page = Paginator(
        items.select_related("record").only(
            *ITEM_COLUMNS, "record__status", "record__review_score", "record__review_grade", "record__deleted_at"
        ),
        ITEMS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "sampling/detail.html",
        {"draw": stored, "items": page.object_list, "page": page, "department": department, "reviewed": reviewed},
    )


#: a page of the drawn evaluations
ITEMS_PER_PAGE = 100
ITEM_COLUMNS = (
    "draw_id", "record_id", "position", "department_name", "unit_name", "project_name", "budget_wan", "part",
    "rank", "risk_score", "why",
)  # fmt: skip


@login_required
def draw_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    stored = get_draw(request, pk)
    return scratch.workbook_response(
        lambda path: write_sample_xlsx(stored, list(stored.items.all()), path), f"{stored.year}年度抽查复核名单.xlsx"
    )
