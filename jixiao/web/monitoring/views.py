"""The pages of 运行监控: the rounds and one's records, opening a round, a round's records, one record (its figures,
formulas, warnings, and the form while the unit may fill it in), the warning board, and the downloads."""

from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ...core.model import LIKELIHOOD_LABELS
from ...io.monitoring.presets import load_warning_preset, load_warning_presets
from ...io.monitoring.report_docx import write_monitoring_report_docx, write_monitoring_report_pdf
from ...io.monitoring.table_xlsx import write_monitoring_table
from .. import scratch
from ..evaluations.services import NotAllowed
from ..organisations.access import access_for
from . import services
from .access import (
    get_record,
    get_round,
    may_fill,
    may_return,
    oversees,
    round_finances,
    visible_records,
    visible_rounds,
)
from .forms import RecordForm, RoundForm
from .models import MonitoringRecord, RecordStatus

#: the most records a list or the board shows
#: records per page of the lists and the board
PAGE_SIZE = 50


def _page(request: HttpRequest, records: QuerySet[MonitoringRecord]) -> dict[str, Any]:
    """One page of ``records`` (their documents left unread: the lists show the columns and the warnings)."""
    page = Paginator(records.defer("document"), PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "records": list(page)}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    finances = round_finances(access)
    records = (
        visible_records(access)
        .filter(round__in=visible_rounds(access))
        .order_by("-round__monitoring_date", "project_name")
    )
    return render(
        request,
        "monitoring/index.html",
        {
            "rounds": visible_rounds(access).select_related("finance")[:50],
            **_page(request, records),
            "may_open": finances.exists(),
            "oversees": oversees(access),
        },
    )


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    finances = round_finances(access_for(request.user))
    if not finances.exists():
        raise PermissionDenied("只有财政绩效管理员可以新建监控")
    form = RoundForm(request.POST or None, finances=finances)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stored = services.open_round(
                data["finance"], data["year"], data["monitoring_date"], data["preset"],
                data["time_progress_mode"], data["due_date"], request.user,
            )  # fmt: skip
        except NotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已新建监控批次，共 {stored.records.count()} 个项目待单位填报。")
            return redirect("monitoring:round", pk=stored.pk)
    return render(request, "monitoring/new.html", {"form": form})


@login_required
@require_POST
def round_add_late(request: HttpRequest, pk: int) -> HttpResponse:
    """补建: records for the declarations approved since the round was opened."""
    found = get_round(request, pk)
    if not round_finances(access_for(request.user)).filter(pk=found.finance_id).exists():
        raise PermissionDenied("只有本财政局的财政绩效管理员可以补建监控记录")
    added = services.add_late_approvals(found.pk)
    if added:
        messages.success(request, f"已为批次建立后新批复的 {added} 个项目补建监控记录，并通知了相关单位。")
    else:
        messages.info(request, "没有批次建立后新批复的项目，无需补建。")
    return redirect("monitoring:round", pk=found.pk)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_round(request, pk)
    access = access_for(request.user)
    records = visible_records(access).filter(round=found)
    return render(
        request,
        "monitoring/round.html",
        {
            "round": found,
            **_page(request, records.order_by("project_name", "pk")),
            "preset": load_warning_preset(found.preset),
            "may_add": round_finances(access).filter(pk=found.finance_id).exists(),
        },
    )


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request.user)
    record = get_record(request, pk, fill=request.method == "POST")
    document = record.parsed()
    fillable = record.is_draft and may_fill(access, record)
    form = RecordForm(request.POST or None, document=document) if fillable else None
    if request.method == "POST" and form is not None and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            revision = int(request.POST.get("revision", "0"))
        except ValueError:
            revision = 0
        try:
            updated = form.to_document()
            record = services.save(record.pk, updated, request.user, revision, submit=submit)
        except services.Incomplete as exc:
            form.add_problems(exc.problems)
        else:
            if submit:
                messages.success(request, f"已提交运行监控，触发预警 {record.warning_count} 条。")
            else:
                messages.success(request, f"已保存，触发预警 {record.warning_count} 条。")
            return redirect("monitoring:record", pk=record.pk)
    assessment = services.assessment_of(record, document)
    return render(
        request,
        "monitoring/record.html",
        {
            "record": record,
            "document": document,
            "assessment": assessment,
            "form": form,
            "rows": [(row, assessment.completion(row)) for row in document.indicators],
            "likelihoods": LIKELIHOOD_LABELS,
            "may_return": record.status == RecordStatus.SUBMITTED and may_return(access, record),
        },
    )


@login_required
@require_POST
def record_return(request: HttpRequest, pk: int) -> HttpResponse:
    """退回: a submitted record back to its unit with the reviewer's reason."""
    record = get_record(request, pk)
    if not may_return(access_for(request.user), record):
        raise PermissionDenied("只有所属主管部门的审核人和财政绩效管理员可以退回运行监控")
    try:  # (a record no longer submitted raises NotAllowed: the 409 page says why)
        services.send_back(record.pk, request.POST.get("comment", ""), request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已退回，单位修改后重新提交。")
    return redirect("monitoring:record", pk=record.pk)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """预警看板: the records with warnings a 主管部门 (its units) or 财政局 (its tree) sees, filterable by rule."""
    access = access_for(request.user)
    if not oversees(access):
        raise PermissionDenied("预警看板供主管部门审核人和财政绩效管理员使用")
    records = visible_records(access).filter(warning_count__gt=0)
    rule = request.GET.get("rule", "").strip()
    if rule:
        records = records.filter(warning_rules__contains=f",{rule},")
    round_pk = request.GET.get("round", "").strip()
    if round_pk.isdigit():
        records = records.filter(round_id=int(round_pk))
    rules: dict[str, str] = {}
    for preset in load_warning_presets().root.values():
        for r in preset.rules:
            rules.setdefault(r.id, r.title)
    return render(
        request,
        "monitoring/board.html",
        {
            **_page(request, records.order_by("-round__monitoring_date", "department__name", "project_name", "pk")),
            "rules": sorted(rules.items()),
            "rule": rule,
            "rounds": visible_rounds(access),
            "round_pk": round_pk,
        },
    )


def _filename(record: MonitoringRecord, what: str, suffix: str) -> str:
    return f"{record.project_name}{what}（截至{record.round.monitoring_date:%Y%m%d}）.{suffix}"


@login_required
def table_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    record = get_record(request, pk)
    assessment = services.assessment_of(record)
    return scratch.workbook_response(
        lambda path: write_monitoring_table(assessment, path), _filename(record, "绩效目标执行监控表", "xlsx")
    )


@login_required
def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    record = get_record(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404("未知的文件类型")
    assessment = services.assessment_of(record)
    with tempfile.TemporaryDirectory(prefix="jixiao-monitoring-") as work:
        if fmt == "docx":
            path = write_monitoring_report_docx(assessment, Path(work) / "report.docx")
        else:
            path = write_monitoring_report_pdf(assessment, Path(work))
        content = path.read_bytes()
    return FileResponse(BytesIO(content), as_attachment=True, filename=_filename(record, "绩效运行监控报告", fmt))
