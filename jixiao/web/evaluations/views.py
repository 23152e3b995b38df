"""Evaluation pages: list, create, detail with scores and findings, lifecycle actions, versions, files."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from ...core import EvaluationResult
from ...core.model import Evaluation, Project
from ...core.score_table import score_table
from ...core.values import fmt, fmt_pct
from ...io.catalogue import load_framework, shipped_ids
from ...io.errors import InputError
from .. import scratch
from ..organisations.access import access_for
from ..organisations.models import Organisation, OrganisationKind
from . import confirmations, files, filters, importing, services, workflow
from .access import IMPORT_ROLES, get_record, may, visible
from .choices import Action
from .detail_context import finding_rows, return_notice, score_rows
from .filters import EvaluationFilterForm, apply_filters
from .models import EvaluationRecord, ReportingYear
from .submit_gate import gate_of
from .unscored import record_unscored

PARTS = [
    ("project", "项目概况"),
    ("funds", "项目资金"),
    ("goals", "绩效目标"),
    ("indicators", "绩效指标"),
    ("outputs", "产出记录"),
    ("surveys", "满意度调查"),
    ("organisation", "自评工作组织"),
    ("narrative", "报告正文"),
    ("claims", "单位自述"),
]


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    form = EvaluationFilterForm(request.GET or None, access=access)
    base = visible(access)
    records = apply_filters(base, form)
    paginator = Paginator(filters.paged_rows(records.order_by("-year", "project_name", "pk"), form), 50)
    # counted from the tallies the database keeps where they can say (no cache: every save would void it)
    paginator.count = filters.count(base, records, form)  # type: ignore[misc]
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/list.html",
        {
            "form": form,
            "page": page,
            "rows": list_rows(filters.list_rows_of(page)),
            "total": page.paginator.count,
            "can_import": any(access.has_role(*roles) for roles in IMPORT_ROLES.values()),
        },
    )


def list_rows(records: list[filters.ListRow]) -> SafeString:
    """The table's rows. Written here, not in the template: 50 rows of 11 cells through the template engine cost
    more than all the rest of the page, and 20 people reading lists at once feel it. Every value is escaped."""
    base = reverse("evaluations:list")
    out = []
    for r in records:
        if record_unscored(r):
            scored = '<td class="num muted unscored">未评分</td><td>—</td>'
        else:
            scored = f'<td class="num">{fmt(r.computed_score)}</td><td>{escape(r.computed_grade or "—")}</td>'
        errors = f'<span class="sev-error">{r.error_count}</span>' if r.error_count else "0"
        out.append(
            f'<tr>\n  <td>{r.year}</td>\n  <td><a href="{base}{r.pk}/">{escape(r.project_name)}</a></td>\n'
            f"  <td>{escape(r.unit_name)}</td>\n"
            f'  <td><span class="badge {r.status_colour}">{escape(r.status_label)}</span></td>\n'
            f'  <td class="num">{fmt(r.budget_wan)}</td>\n  <td class="num">{fmt_pct(r.execution_rate)}</td>\n'
            f'  <td class="num">{fmt(r.claimed_score)}</td>\n  {scored}\n  <td class="num">{fmt(r.review_score)}</td>\n'
            f'  <td class="num">{errors}</td>\n</tr>'
        )
    return mark_safe("\n".join(out))  # every value above is a number, a fixed word or escaped


@login_required
def evaluation_new(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    units = access.units(*workflow.EDITORS)
    choices = Organisation.objects.filter(kind=OrganisationKind.UNIT)
    if units is not None:
        choices = choices.filter(pk__in=units)
    if not choices.exists():
        raise PermissionDenied("只有预算单位的填报人或单位负责人可以新建评价")
    from .forms import NewEvaluationForm

    form = NewEvaluationForm(request.POST or None, units=choices, frameworks=shipped_ids("frameworks"))
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        framework = load_framework(form.cleaned_data["framework"])
        evaluation = Evaluation(
            project=Project(
                name=form.cleaned_data["name"],
                year=form.cleaned_data["year"],
                unit=unit.name,
                department=unit.parent.name if unit.parent else None,
            ),
            framework=framework.id,
            rules=form.cleaned_data["rules"],
            indicators=framework.skeleton(),
        )
        record = services.create(unit, evaluation, request.user, f"按“{framework.name}”新建")
        messages.success(request, "已新建评价，请逐项填写。")
        return redirect("evaluations:detail", pk=record.pk)
    return render(request, "evaluations/new.html", {"form": form})


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record(request, pk)
    access = access_for(request.user)
    result = services.result_of(record)
    actions = [a for a in workflow.ACTIONS if may(access, record, a)]
    can_edit = may(access, record, "edit")
    table = score_table(result)
    return render(
        request,
        "evaluations/detail.html",
        {
            "record": record,
            "result": result,
            "evaluation": result.evaluation,
            "can_edit": can_edit,
            "actions": actions,
            "gate": gate_of(result, record.pk) if can_edit or Action.SUBMIT in actions else None,
            "returned": return_notice(record),
            "finding_rows": finding_rows(result, record, can_edit),
            "table": table,
            "score_rows": score_rows(result, table),
            "explanation_max": services.EXPLANATION_MAX,
            "parts": PARTS,
            "transitions": record.transitions.all(),
            "versions": record.versions.all()[:10],
            "downloads": files.downloads_for(access, record),
            "sources": importing.panels_of(record),
            "review_sheet_total": _sheet_total(record, result) if Action.REVIEW in actions else None,
            "open_queries": record.messages.filter(kind="query", answered_at__isnull=True).count(),
        },
    )


def _sheet_total(record: EvaluationRecord, result: EvaluationResult) -> Decimal | None:
    """The 复核 total of the indicator-by-indicator 复核, when one was started (it then is the 复核得分)."""
    from ..review import services as review

    return review.sheet_of(record, result).review_total.value if review.has_sheet(record) else None


@login_required
@require_POST
def evaluation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A lifecycle step: checked, then a confirmation page stating what will happen, then done on ``confirm=yes``.

    Without JavaScript the confirmation is this page; a POST that lacks ``confirm`` never moves the record.
    """
    if action not in workflow.ACTIONS:
        raise Http404("未知操作")
    record = get_record(request, pk, action)
    comment = request.POST.get("comment", "").replace("\r\n", "\n").strip()  # browsers send a textarea's lines as CRLF
    review_score: Decimal | None = None
    result = services.result_of(record)
    if workflow.needs_comment(action) and not comment:
        messages.error(request, f"{Action(action).label}时必须填写{Action(action).label}意见")
        return redirect("evaluations:detail", pk=pk)
    if workflow.needs_score(action) and (sheet_total := _sheet_total(record, result)) is not None:
        review_score = sheet_total  # the 逐项复核's total is the 复核得分: never a second, typed figure
    elif workflow.needs_score(action):
        try:
            review_score = Decimal(request.POST.get("review_score", "").strip())
        except InvalidOperation:
            messages.error(request, "复核得分：请输入 0–100 之间的数字")
            return redirect("evaluations:detail", pk=pk)
        if not review_score.is_finite() or not Decimal(0) <= review_score <= Decimal(100):  # NaN cannot be compared
            messages.error(request, "复核得分：请输入 0–100 之间的数字")
            return redirect("evaluations:detail", pk=pk)
    gate = gate_of(result, record.pk) if action == Action.SUBMIT else None
    if gate is not None and gate.blocked:
        messages.error(request, gate.refusal())
        return redirect(reverse("evaluations:detail", args=[pk]) + "#submit-gate")
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "evaluations/confirm.html",
            {
                "record": record,
                "action": action,
                "label": Action(action).label,
                "statement": confirmations.statement(record, action, review_score),
                "button": confirmations.BUTTONS[action],
                "comment": comment,
                "review_score": request.POST.get("review_score", "").strip(),
                "gate": gate,
                "finding_rows": finding_rows(result, record, can_edit=False),
                "result": result,
            },
        )
    try:
        services.move(record.pk, action, request.user, comment, review_score)
    except services.NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已{Action(action).label}。")
    return redirect("evaluations:detail", pk=pk)


@login_required
@require_POST
def finding_explain(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's written explanation of one finding, saved as a new version like any edit."""
    record = get_record(request, pk, "edit")
    key = request.POST.get("key", "")
    text = request.POST.get("explanation", "")
    try:
        services.explain(record.pk, key, text, request.user, _revision(request))
    except (services.ConcurrentEdit, services.NotAllowed) as exc:
        messages.error(request, str(exc))
    else:
        code = key.partition("@")[0]
        messages.success(request, f"已保存对检查发现 {code} 的说明。" if text.strip() else f"已撤回对 {code} 的说明。")
    return redirect(reverse("evaluations:detail", args=[pk]) + "#findings")


@login_required
def version_list(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record(request, pk)
    return render(
        request,
        "evaluations/versions.html",
        {
            "record": record,
            "versions": record.versions.all(),
            "can_edit": may(access_for(request.user), record, "edit"),
        },
    )


def _revision(request: HttpRequest) -> int:
    """The revision the user's page showed; 0 (never current, so the save is refused) when missing or garbled."""
    revision = request.POST.get("revision", "").strip()
    return int(revision) if revision.isdigit() else 0


@login_required
@require_POST
def version_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    record = get_record(request, pk, "edit")
    if not record.versions.filter(number=number).exists():
        raise Http404("没有这个版本")
    try:
        services.restore(record.pk, number, request.user, _revision(request))
    except services.ConcurrentEdit as exc:
        messages.error(request, str(exc))
    except services.NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已恢复为第 {number} 版（恢复本身也记为一个新版本）。")
    return redirect("evaluations:detail", pk=pk)


@login_required
@require_POST
def evaluation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record(request, pk, "edit")
    services.soft_delete(record.pk, request.user)
    messages.success(request, f"已删除“{record.project_name}”（数据保留，可由系统管理员恢复）。")
    return redirect("evaluations:list")


@login_required
def evaluation_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    record = get_record(request, pk)
    if kind not in files.ALL_DOWNLOADS:
        raise Http404("未知文件类型")
    if kind not in files.downloads_for(access_for(request.user), record):
        raise PermissionDenied("审核版报告只供主管部门和财政部门审核人员使用")
    path, filename = files.build(record, kind)
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename)


@login_required
@require_POST
def evaluation_upload(request: HttpRequest) -> HttpResponse:
    """附1 自评表 .xlsx → a new draft, or the document of an existing draft (``record`` given)."""
    access = access_for(request.user)
    upload = request.FILES.get("file")
    target = request.POST.get("record")
    if target and not target.isdigit():
        raise Http404("评价不存在或无权查看")
    back = reverse("evaluations:detail", args=[target]) if target else reverse("evaluations:list")
    if upload is None:
        messages.error(request, "请选择要上传的 .xlsx 文件")
        return redirect(back)
    if upload.size > importing.MAX_BYTES:
        messages.error(
            request,
            f"“{upload.name}”有 {upload.size / 2**20:.1f} MB，超过 {importing.MAX_BYTES // 2**20} MB 的上限，未导入",
        )
        return redirect(back)
    data = b"".join(upload.chunks())
    with scratch.folder("upload-") as tmp:
        # never the user's file name: it may be longer than the file system allows
        path = Path(tmp) / f"upload{Path(upload.name).suffix.lower()[:10]}"
        path.write_bytes(data)
        try:
            from ...io.evaluation_file import load_evaluation

            if path.suffix.lower() != ".xlsx":
                raise InputError("只能上传 .xlsx 格式的项目支出绩效自评表", upload.name)
            # empty, locked, not a workbook, or a “zip bomb”: the reader refuses it in the words of every other path,
            # before openpyxl would expand it
            evaluation = load_evaluation(path)
        except InputError as exc:
            messages.error(request, str(exc).replace(str(path), upload.name))
            return redirect(back)
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = importing.earlier_import(sha256)
    if earlier is not None:
        messages.error(request, f"“{upload.name}”：{importing.DuplicateImport(earlier)}")
        return redirect(back)
    named = evaluation.project.unit
    if target:
        record = get_record(request, int(target), "edit")
        if named and named != record.unit.name:
            messages.error(request, _other_unit(upload.name, named, record.unit.name))
            return redirect(back)
        kept = Evaluation.model_validate(record.document).monitoring
        if evaluation.monitoring is None and kept is not None:  # the 附1 table has no place for the monitoring
            evaluation = evaluation.model_copy(update={"monitoring": kept})
        try:
            record = services.save(record.pk, evaluation, request.user, _revision(request), f"上传自评表 {upload.name}")
        except (services.ConcurrentEdit, services.NotAllowed) as exc:
            messages.error(request, str(exc))
            return redirect(back)
    else:
        units = access.units(*workflow.EDITORS)
        unit_qs = Organisation.objects.filter(kind=OrganisationKind.UNIT)
        if units is not None:
            unit_qs = unit_qs.filter(pk__in=units)
        if not unit_qs.exists():
            raise PermissionDenied("只有预算单位的填报人或单位负责人可以上传自评表")
        # the unit the table names; a table that names none goes to the uploader's one unit
        unit = unit_qs.filter(name=named).first() if named else (unit_qs.first() if unit_qs.count() == 1 else None)
        if unit is None:
            messages.error(
                request,
                f"“{upload.name}”：自评表中的实施单位“{named or '（未填写）'}”不是您可以填报的单位；"
                "请在“实施单位”中写明本单位全称，或到该单位的评价页面上传",
            )
            return redirect(back)
        record = services.create(unit, evaluation, request.user, f"上传自评表 {upload.name}")
    importing.keep_upload(record, upload.name, data, request.user)
    messages.success(request, f"已导入“{upload.name}”并重新评分。")
    return redirect("evaluations:detail", pk=record.pk)


def _other_unit(file_name: str, named: str, unit: str) -> str:
    return (
        f"“{file_name}”：自评表中的实施单位是“{named}”，不是这份评价的单位“{unit}”，未导入；"
        "请核对文件，或到该单位的评价页面上传"
    )


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    """Evaluations not yet submitted after their year's deadline."""
    access = access_for(request.user)
    today = dt.date.today()
    years = {y.year: y.deadline for y in ReportingYear.objects.all()}
    past = [year for year, deadline in years.items() if deadline < today]
    records = visible(access).filter(year__in=past, status__in=workflow.UNSUBMITTED)
    rows = [(r, years[r.year], (today - years[r.year]).days) for r in records.order_by("year", "unit__name")]
    return render(request, "evaluations/overdue.html", {"rows": rows, "years": sorted(years.items(), reverse=True)})
