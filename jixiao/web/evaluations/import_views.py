"""导入已有自评材料: upload a document, see what was read from it, confirm it as a draft or a submitted record.

Unit people import their own documents as drafts; 财政 staff import legacy submissions of the units in their
scope as submitted evaluations (``access.IMPORT_ROLES``). Other people get 403; records 404 as elsewhere.
"""

from __future__ import annotations

import io
from functools import reduce
from operator import or_
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from pydantic import ValidationError

from ...core.model import PROJECT_NAME_MAX
from ...io.audit.read import EMPTY, SUPPORTED_SUFFIXES, unsupported_type
from ...io.errors import InputError
from ..organisations.access import access_for
from ..organisations.models import Organisation
from . import importing
from .access import get_record, import_units, visible
from .edit_forms import model_problems
from .models import ImportedSource, ImportMode
from .widgets import ChineseFileInput

OUT_OF_SCOPE = "所选预算单位不在您可以导入的范围内"

MODE_LABELS = {
    ImportMode.DRAFT: "作为本单位的草稿导入（导入后可继续修改，再提交）",
    ImportMode.SUBMITTED: "作为已提交的自评导入（财政复核历史材料）",
}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="自评材料文件",
        help_text=f"自评报告或自评表，支持 {' '.join(SUPPORTED_SUFFIXES)}，不超过 {importing.MAX_BYTES // 2**20} MB",
        error_messages={"required": "请选择要导入的文件", "invalid": "没有收到文件，请重新选择"},
        widget=ChineseFileInput(attrs={"accept": ",".join(SUPPORTED_SUFFIXES)}),
        allow_empty_file=True,  # refused below, by name, in the words of every other path
    )

    def clean_file(self) -> Any:
        """The upload, or why not in the words ``jixiao audit`` and 批量接收 use, naming the file."""
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise forms.ValidationError(str(InputError(unsupported_type(suffix), upload.name)))
        if not upload.size:
            raise forms.ValidationError(str(InputError(EMPTY, upload.name)))
        if upload.size > importing.MAX_BYTES:
            raise forms.ValidationError(
                str(
                    InputError(
                        f"文件大小 {upload.size / 2**20:.1f} MB，超过 {importing.MAX_BYTES // 2**20} MB 的上限",
                        upload.name,
                    )
                )
            )
        return upload


class ImportConfirmForm(forms.Form):
    mode = forms.ChoiceField(label="导入方式")
    unit = forms.ModelChoiceField(
        label="预算单位", queryset=Organisation.objects.none(), error_messages={"invalid_choice": OUT_OF_SCOPE}
    )
    name = forms.CharField(
        label="项目名称",
        max_length=PROJECT_NAME_MAX,
        error_messages={"max_length": "不能超过 %(limit_value)d 个字（现为 %(show_value)d 个字）"},
    )
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)

    def __init__(self, *args: Any, modes: dict[str, QuerySet[Organisation]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.modes = modes
        mode = self.fields["mode"]
        mode.choices = [(m, MODE_LABELS[ImportMode(m)]) for m in modes]  # type: ignore[attr-defined]
        mode.widget = forms.RadioSelect(choices=mode.choices) if len(modes) > 1 else forms.HiddenInput()  # type: ignore[attr-defined]
        self.fields["unit"].queryset = reduce(or_, modes.values()).order_by("name")  # type: ignore[attr-defined]

    @classmethod
    def prefilled(cls, source: ImportedSource, modes: dict[str, QuerySet[Organisation]]) -> ImportConfirmForm:
        """Name, year and unit as the document states them, where it does."""
        facts = source.audit.get("facts") or {}
        units = reduce(or_, modes.values())
        unit = units.filter(name=facts["unit"]).first() if facts.get("unit") else None
        if unit is None and units.count() == 1:
            unit = units.first()
        initial = {
            "mode": next(iter(modes)),
            "unit": unit,
            "name": facts.get("project") or "",
            "year": facts.get("year"),
        }
        return cls(modes=modes, initial=initial)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode, unit = data.get("mode"), data.get("unit")
        if mode and unit and not self.modes[mode].filter(pk=unit.pk).exists():
            self.add_error("unit", OUT_OF_SCOPE)
        return data


def _modes(request: HttpRequest) -> dict[str, QuerySet[Organisation]]:
    modes = import_units(access_for(request.user))
    if not modes:
        raise PermissionDenied("只有预算单位的填报人、单位负责人或财政绩效管理员可以导入自评材料")
    return modes


def _upload_page(request: HttpRequest, form: ImportUploadForm) -> HttpResponse:
    return render(request, "evaluations/import.html", {"form": form})


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload form; a readable file is audited, kept and shown for confirmation."""
    _modes(request)
    if request.method != "POST":
        return _upload_page(request, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form)
    upload = form.cleaned_data["file"]
    data = b"".join(upload.chunks())
    name = Path(upload.name).name
    doc = importing.audit_upload(data, name)
    if doc.error:
        form.add_error("file", doc.error)
        return _upload_page(request, form)
    source = importing.stage(data, name, doc, request.user)
    return redirect(f"{reverse('evaluations:import-confirm')}?staged={source.pk}")


@login_required
def import_confirm(request: HttpRequest) -> HttpResponse:
    """What was read from the staged upload, and the form that imports it."""
    modes = _modes(request)
    staged = request.POST.get("staged") if request.method == "POST" else request.GET.get("staged")
    source = importing.staged_for(request.user, staged)
    if source is None:
        messages.error(request, "没有待确认的上传（已导入或已超过一天），请重新上传文件。")
        return _upload_page(request, ImportUploadForm())
    if request.method != "POST":
        return _confirm_page(request, source, ImportConfirmForm.prefilled(source, modes))

    form = ImportConfirmForm(request.POST, modes=modes)
    duplicate = None
    problems: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = importing.import_staged(
                source.pk, unit=data["unit"], name=data["name"], year=data["year"], mode=data["mode"], user=request.user
            )
        except importing.DuplicateImport as exc:
            duplicate = exc.record
        except importing.StagedGone as exc:
            messages.error(request, str(exc))
            return redirect("evaluations:import")
        except ValidationError as err:
            problems = model_problems(err)
        else:
            done = "已导入并登记为“已提交”" if data["mode"] == ImportMode.SUBMITTED else "已导入为草稿"
            messages.success(request, f"{done}：“{source.file_name}”。请核对读取结果和检查发现。")
            return redirect("evaluations:detail", pk=record.pk)
    return _confirm_page(request, source, form, duplicate=duplicate, problems=problems)


def _confirm_page(request: HttpRequest, source: ImportedSource, form: ImportConfirmForm, **extra: Any) -> HttpResponse:
    earlier = visible(access_for(request.user)).filter(imported_sources__sha256=source.sha256).distinct()
    return render(
        request,
        "evaluations/import_confirm.html",
        {
            "source": source,
            "form": form,
            "kind": importing.kind_label(source.audit),
            "facts": importing.fact_rows(source.audit),
            "indicators": source.audit.get("indicators") or [],
            "findings": importing.finding_rows(source.audit),
            "notes": source.audit.get("notes") or [],
            "earlier": earlier,
            **extra,
        },
    )


@login_required
def source_download(request: HttpRequest, pk: int, source: int | None = None) -> HttpResponse:
    """An original file of an imported record (the latest, or the one asked for), byte for byte, to whoever may see
    the record."""
    record = get_record(request, pk)
    sources = ImportedSource.objects.filter(record=record).order_by("-imported_at", "-pk")
    found = (sources.filter(pk=source) if source is not None else sources).first()
    if found is None:
        raise Http404("本评价不是从文件导入的" if source is None else "本评价没有这份来源文件")
    return FileResponse(io.BytesIO(bytes(found.content)), as_attachment=True, filename=found.file_name)
