"""The pages of 部门整体自评: the list, opening one, its page (filled in where it may be changed, with the ratios,
the roll-up and the findings), lifecycle steps, downloads, and the public pages of published ones."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from ...core.department.engine import DepartmentResult
from ...io.department.catalogue import load_department_framework, load_formulas
from ...io.department.report import REPORT_DOCX, REPORT_PDF, write_department_report_docx, write_department_report_pdf
from ...io.department.table_read import read_department_table
from ...io.department.table_xlsx import write_department_table
from ...io.errors import InputError
from ...io.report.pdf import PdfError
from .. import scratch
from ..evaluations.services import NotAllowed
from ..organisations.access import access_for
from . import services, workflow
from .access import fillable_departments, get_record, may, visible
from .choices import Action, Status
from .forms import DepartmentEvaluationForm, NewDepartmentEvaluationForm, StepForm
from .models import DepartmentEvaluationRecord

#: evaluations per page of the list
PAGE_SIZE = 50


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    page = Paginator(visible(access).defer("document"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "department/list.html",
        {"page": page, "records": list(page), "can_open": fillable_departments(access).exists()},
    )


@login_required
def record_new(request: HttpRequest) -> HttpResponse:
    departments = fillable_departments(access_for(request.user))
    if not departments.exists():
        raise PermissionDenied("只有主管部门审核人可以建立部门整体自评")
    form = NewDepartmentEvaluationForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.create(data["department"], data["year"], data["framework"], request.user)
        except NotAllowed as refused:
            form.add_error("year", str(refused))
        else:
            messages.success(request, f"已建立“{record}”。")
            return redirect("department:detail", pk=record.pk)
    return render(request, "department/new.html", {"form": form})


def _form(record: DepartmentEvaluationRecord, data: object = None) -> DepartmentEvaluationForm:
    document = services.document_of(record)
    return DepartmentEvaluationForm(
        data,
        framework=load_department_framework(record.framework),
        formulas=load_formulas(),
        document=document,
        revision=record.revision,
    )


def _page(
    request: HttpRequest, record: DepartmentEvaluationRecord, form: DepartmentEvaluationForm | None, status: int = 200
) -> HttpResponse:
    access = access_for(request.user)
    result = services.result_of(record)
    editable = may(access, record, "edit")
    if form is None and editable:
        form = _form(record)
    steps = [s for s in workflow.STEPS if s.source == record.status and may(access, record, s.action)]
    context = {
        "record": record,
        "result": result,
        "form": form if editable else None,
        "rows": _rows(result, form if editable else None),
        "steps": [(s, Action(s.action).label) for s in steps],
        "gate": services.submit_gate(result),
        "transitions": record.transitions.all(),
        "returned": record.transitions.filter(action=Action.RETURN).last()
        if record.status == Status.RETURNED
        else None,
    }
    return render(request, "department/detail.html", context, status=status)


def _rows(result: DepartmentResult, form: DepartmentEvaluationForm | None) -> list[dict[str, object]]:
    """One row per leaf: its score and, where the page is a form, its two fields."""
    rows = []
    for n, item in enumerate(result.items):
        row: dict[str, object] = {"item": item, "levels": item.path}
        if form is not None:
            row["score"], row["reason"] = form.item_fields(n)
        rows.append(row)
    return rows


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_record(request, pk), None)


@login_required
@require_POST
def record_save(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record(request, pk, "edit")
    form = _form(record, request.POST)
    if not form.is_valid():
        messages.error(request, "未保存，请修改：" + "；".join(form.error_lines()) + "。")
        return _page(request, record, form, status=400)
    services.save(record.pk, form.to_document(), request.user, form.cleaned_data["revision"])
    messages.success(request, "已保存，比率、得分和项目汇总已重新计算。")
    return redirect("department:detail", pk=record.pk)


#: the largest 自评表 accepted for import: the table this system writes is about 20 KB
IMPORT_MAX_BYTES = 2 * 1024 * 1024


@login_required
@require_POST
def record_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill the evaluation from a 自评表 xlsx (one this system wrote, perhaps completed in Excel)."""
    record = get_record(request, pk, "edit")
    upload = request.FILES.get("table")
    if upload is None:
        messages.error(request, "未导入：请选择要导入的自评表（xlsx）文件")
        return redirect("department:detail", pk=record.pk)
    if upload.size is not None and upload.size > IMPORT_MAX_BYTES:
        messages.error(
            request, f"未导入：文件 {upload.name} 超过 {IMPORT_MAX_BYTES // 1024 // 1024} MB，不是本系统的自评表"
        )
        return redirect("department:detail", pk=record.pk)
    framework = load_department_framework(record.framework)
    with scratch.folder("department-import-") as folder:
        path = Path(folder) / "table.xlsx"  # never the user's file name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            read = read_department_table(path, framework, load_formulas())
        except InputError as err:
            messages.error(request, f"未导入：文件 {upload.name}：{str(err).replace(str(path), upload.name)}")
            return redirect("department:detail", pk=record.pk)
    revision = request.POST.get("revision", "")
    document = services.imported(services.document_of(record), read, framework)
    services.save(record.pk, document, request.user, int(revision) if revision.isdigit() else -1)
    messages.success(
        request, f"已从 {upload.name} 导入账面数据 {len(read.accounts)} 项、指标自评 {len(read.items)} 项，并重新计算。"
    )
    return redirect("department:detail", pk=record.pk)


@login_required
@require_POST
def record_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in workflow.ACTIONS:
        raise Http404("没有这个操作")
    record = get_record(request, pk, action)
    form = StepForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.move(record.pk, action, request.user, comment)
    except NotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("department:detail", pk=record.pk)
    messages.success(request, f"已{Action(action).label}。")
    return redirect("department:detail", pk=record.pk)


def _file_name(record: DepartmentEvaluationRecord, name: str) -> str:
    return f"{record.department.name}{record.year}年度{name}"


def _download(record: DepartmentEvaluationRecord, kind: str) -> HttpResponse:
    result = services.result_of(record)
    with scratch.folder("department-") as folder:
        if kind == "docx":
            path = write_department_report_docx(result, Path(folder) / REPORT_DOCX)
            name = REPORT_DOCX
        elif kind == "pdf":
            try:
                path = write_department_report_pdf(result, Path(folder))
            except PdfError as err:
                return _failed(str(err))
            name = REPORT_PDF
        else:
            path = write_department_table(result, Path(folder) / "table.xlsx")
            name = "部门整体支出绩效自评表.xlsx"
        data = path.read_bytes()
    response = HttpResponse(data, content_type=_TYPES[kind])
    response["Content-Disposition"] = _disposition(_file_name(record, name))
    return response


_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _disposition(name: str) -> str:
    return content_disposition_header(True, name) or "attachment"


def _failed(message: str) -> HttpResponse:
    """LibreOffice could not make the PDF: say so in Chinese (503), the Word version is still there."""
    return HttpResponse(
        f"生成 PDF 失败：{message}。请下载 Word 版本。", status=503, content_type="text/plain; charset=utf-8"
    )


@login_required
def download_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(get_record(request, pk), "docx")


@login_required
def download_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(get_record(request, pk), "pdf")


@login_required
def download_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(get_record(request, pk), "xlsx")


# ------------------------------------------------------------------------------------------- public pages


def _published() -> list[DepartmentEvaluationRecord]:
    return list(
        DepartmentEvaluationRecord.objects.filter(status=Status.PUBLISHED).select_related("department", "finance")
    )


def public_list(request: HttpRequest) -> HttpResponse:
    return render(request, "department/public_list.html", {"records": _published()})


def _get_published(pk: int) -> DepartmentEvaluationRecord:
    record = (
        DepartmentEvaluationRecord.objects.filter(pk=pk, status=Status.PUBLISHED)
        .select_related("department", "finance")
        .first()
    )
    if record is None:
        raise Http404("未公开的部门整体自评")
    return record


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _get_published(pk)
    return render(request, "department/public_detail.html", {"record": record, "result": services.result_of(record)})


def public_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(_get_published(pk), "pdf")
