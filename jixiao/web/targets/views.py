"""The pages of 绩效目标申报: the list, new and edit (header + indicator rows), the detail with its quality findings
and history, the review steps, adjustments of approved targets, the self-evaluation they open, and the xlsx."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ...core.targets.checks import TargetSubject
from ...core.targets.declaration import Comparator
from ...core.targets.rules import TargetCategory
from ...io.errors import InputError
from ...io.targets.data import load_review_grades, load_target_rules
from ...io.targets.xlsx import read_declaration_xlsx, write_declaration_template, write_declaration_xlsx
from .. import scratch
from ..organisations.access import access_for
from . import services
from .access import declaring_units, get_declaration, may, visible
from .choices import DeclarationStatus
from .forms import (
    BASIS_LABELS,
    FIRST_LEVELS,
    ROW_FIELDS,
    AdjustForm,
    FinanceReviewForm,
    HeaderForm,
    ReviewForm,
    build_declaration,
    header_initial,
    read_rows,
    rows_of,
    with_blanks,
)
from .models import TargetDeclaration
from .workflow import LABELS, STEPS

#: declarations a list page shows
PAGE_SIZE = 50


@login_required
def declaration_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    rows = visible(access)
    status = request.GET.get("status", "")
    if status in DeclarationStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.defer("document"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/list.html",
        {
            "page": page,
            "declarations": list(page),
            "can_declare": declaring_units(access).exists(),
            "statuses": DeclarationStatus.choices,
            "status": status,
        },
    )


def _header_errors(header: HeaderForm) -> list[str]:
    """The header's problems, each naming its field (“资金总额（万元）”：输入一个数字。)."""
    if not header.is_bound or header.is_valid():
        return []
    out = []
    for name, errors in header.errors.items():
        label = header.fields[name].label if name in header.fields else "申报表"
        out.extend(f"“{label}”：{error}" for error in errors)
    return out


def _form_context(header: HeaderForm, rows: list[dict[str, str]], errors: list[str]) -> dict[str, Any]:
    return {
        "header": header,
        "rows": with_blanks(rows),
        "row_errors": _header_errors(header) + errors,
        "columns": ROW_FIELDS,
        "first_levels": FIRST_LEVELS,
        "comparators": [c.value for c in Comparator],
        "bases": list(BASIS_LABELS.items()),
    }


#: the largest 申报表 accepted (a filled-in table is some 20 KB)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _from_upload(
    request: HttpRequest, units: Any, initial: dict[str, Any]
) -> tuple[HeaderForm, list[dict[str, str]], list[str]]:
    """The form filled from an uploaded 申报表 (not saved: the unit checks it, then saves), with the problems."""
    upload = request.FILES.get("xlsx")
    if upload is None:
        return HeaderForm(initial=initial, units=units), [], ["“上传申报表”：请选择 .xlsx 文件"]
    if not upload.name.lower().endswith(".xlsx") or upload.size > MAX_UPLOAD_BYTES:
        problem = "须为 .xlsx 文件" if not upload.name.lower().endswith(".xlsx") else "文件超过 5 MB"
        return HeaderForm(initial=initial, units=units), [], [f"文件 {upload.name}：{problem}"]
    with scratch.folder("declaration-") as folder:
        path = Path(folder) / "declaration.xlsx"  # never the user's file name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            read = read_declaration_xlsx(path)
        except InputError as err:
            return HeaderForm(initial=initial, units=units), [], [f"文件 {upload.name}：{err.reason}"]
    values = {**initial, **{k: v for k, v in read.header.items() if v not in ("", None)}}
    if units.count() == 1:
        values.setdefault("unit", units.first())
    messages.info(request, f"已读入 {upload.name}：{len(read.rows)} 行指标。请核对后点“保存”（尚未保存）。")
    return HeaderForm(initial=values, units=units), read.rows, read.problems


@login_required
def declaration_template(request: HttpRequest) -> FileResponse:
    return scratch.workbook_response(write_declaration_template, "绩效目标申报表模板.xlsx")


@login_required
def declaration_new(request: HttpRequest) -> HttpResponse:
    units = declaring_units(access_for(request.user))
    if not units.exists():
        raise PermissionDenied("只有预算单位的填报人或单位负责人可以申报绩效目标")
    if request.method == "POST" and "load_xlsx" in request.POST:
        header, rows, errors = _from_upload(request, units, {})
        context = _form_context(header, rows, errors)
        return render(request, "targets/form.html", {**context, "title": "申报绩效目标"})
    header = HeaderForm(request.POST or None, units=units)
    rows: list[dict[str, str]] = []
    errors: list[str] = []
    if request.method == "POST":
        parsed = read_rows(request.POST)
        rows, errors = parsed.rows, list(parsed.errors)
        if header.is_valid() and not errors:
            declaration, errors = build_declaration(header.cleaned_data, parsed)
            problem = declaration and services.duplicate_of(header.cleaned_data["unit"].pk, declaration)
            if problem:
                errors = [problem]
            elif declaration is not None:
                row = services.create(header.cleaned_data["unit"], declaration, request.user)
                messages.success(request, "绩效目标申报表已保存（草稿），检查结果见下方；无误后请提交审核。")
                return redirect("targets:detail", pk=row.pk)
    return render(request, "targets/form.html", {**_form_context(header, rows, errors), "title": "申报绩效目标"})


@login_required
def declaration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_declaration(request, pk, "edit")
    units = declaring_units(access_for(request.user)).filter(pk=row.unit_id)
    declaration = row.parsed()
    if request.method == "POST" and "load_xlsx" in request.POST:
        header, rows, errors = _from_upload(request, units, header_initial(declaration, row.unit))
    elif request.method == "POST":
        header = HeaderForm(request.POST, units=units)
        parsed = read_rows(request.POST)
        rows, errors = parsed.rows, list(parsed.errors)
        if header.is_valid() and not errors:
            built, errors = build_declaration(header.cleaned_data, parsed)
            problem = built and services.duplicate_of(row.unit_id, built, exclude=row.pk)
            if problem:
                errors = [problem]
            elif built is not None:
                text = str(request.POST.get("revision") or "")
                revision = int(text) if text.isdigit() else 0
                services.save(row.pk, built, request.user, revision)
                messages.success(request, "已保存。")
                return redirect("targets:detail", pk=row.pk)
    else:
        header = HeaderForm(initial=header_initial(declaration, row.unit), units=units)
        rows, errors = rows_of(declaration), []
    context = _form_context(header, rows, errors)
    return render(request, "targets/form.html", {**context, "title": "修改绩效目标申报表", "row": row})


def _detail_context(request: HttpRequest, row: TargetDeclaration) -> dict[str, Any]:
    access = access_for(request.user)
    declaration = row.parsed()
    rules = load_target_rules()
    subject = TargetSubject(declaration, rules)
    findings = services.findings_of(declaration)
    by_first = []
    for first in declaration.indicators:
        category = rules.category_of(first.name)
        by_first.append({"name": first.name, "points": first.points, "category": category})
    has_cost = bool(subject.leaves_of(TargetCategory.COST))
    has_satisfaction = bool(subject.leaves_of(TargetCategory.SATISFACTION))
    profile = rules.profile(has_cost, has_satisfaction)
    grade = load_review_grades().get(row.review_grade) if row.review_grade else None
    return {
        "row": row,
        "declaration": declaration,
        "leaves": list(declaration.leaves()),
        "firsts": by_first,
        "profile": profile,
        "findings": findings,
        "grade": grade,
        "transitions": list(row.transitions.all()),
        "adjustments": list(row.adjustments.all()),
        "actions": {action: may(access, row, action) for action in STEPS},
        "labels": LABELS,
    }


@login_required
def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_declaration(request, pk)
    return render(request, "targets/detail.html", _detail_context(request, row))


@login_required
@require_POST
def declaration_submit(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_declaration(request, pk, "submit")
    services.submit(row.pk, request.user)
    messages.success(request, "已提交主管部门审核。")
    return redirect("targets:detail", pk=row.pk)


@login_required
def department_review(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_declaration(request, pk, "department_review")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passed = request.POST.get("decision") == "pass"
        try:
            services.department_review(row.pk, passed, form.cleaned_data["comment"], request.user)
        except ValueError as err:
            form.add_error("comment", str(err))
        else:
            messages.success(request, "已审核通过，报送财政审核。" if passed else "已退回单位修改。")
            return redirect("targets:detail", pk=row.pk)
    context = _detail_context(request, row)
    return render(request, "targets/review.html", {**context, "form": form, "stage": "department"})


@login_required
def finance_review(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_declaration(request, pk, "finance_review")
    form = FinanceReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        returned = request.POST.get("decision") == "return"
        try:
            done = services.finance_review(
                row.pk, form.cleaned_data["grade"], form.cleaned_data["comment"], request.user, returned=returned
            )
        except ValueError as err:
            form.add_error("comment", str(err))
        else:
            grade = load_review_grades().get(done.review_grade)
            consequence = grade.consequence if grade else ""
            if done.status == DeclarationStatus.APPROVED:
                messages.success(request, f"已批复，审核等级“{done.review_grade}”：{consequence}。")
            else:
                messages.success(request, f"已退回单位，审核等级“{done.review_grade}”：{consequence}。")
            return redirect("targets:detail", pk=row.pk)
    context = _detail_context(request, row)
    return render(request, "targets/review.html", {**context, "form": form, "stage": "finance"})


@login_required
def declaration_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_declaration(request, pk, "adjust")
    declaration = row.parsed()
    form = AdjustForm(request.POST or None, declaration=declaration)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        comparator = Comparator(data["comparator"])
        value: Decimal | None = data["value"] if comparator is not Comparator.QUALITATIVE else None
        try:
            result = services.adjust(
                row.pk,
                form.path(),
                comparator,
                value,
                (data["unit"] or "").strip() or None,
                data["reason"],
                request.user,
                expected=(data["expected"] or "").strip() or None,
            )
        except ValueError as err:
            form.add_error(None, str(err))
        else:
            a = result.adjustment
            text = f"已调整“{a.path}”：{a.old_target} → {a.new_target}。"
            if result.evaluation_updated:
                text += "年度自评中该指标的年度指标值已同步更新（新版本）。"
            elif result.evaluation_updated is False:
                text += "年度自评已提交或该指标在自评中无法唯一对应，自评未同步更新，请在自评中说明。"
            messages.success(request, text)
            return redirect("targets:detail", pk=row.pk)
    return render(request, "targets/adjust.html", {"row": row, "form": form, "leaves": list(declaration.leaves())})


@login_required
@require_POST
def start_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_declaration(request, pk, "start_evaluation")
    record = services.start_evaluation(row.pk, request.user)
    messages.success(request, "已按批复的绩效目标新建年度自评，指标和年度指标值已带入，请填写实际完成情况。")
    return redirect("evaluations:detail", pk=record.pk)


@login_required
def declaration_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    row = get_declaration(request, pk)
    declaration = row.parsed()
    return scratch.workbook_response(
        lambda path: write_declaration_xlsx(declaration, path, grade=row.review_grade),
        f"{declaration.project.year}年{declaration.project.name}-绩效目标申报表.xlsx",
    )
