"""The pages of 批量接收: sending a task's files, a batch's progress and per-file results, confirming the uncertain
matches, and registering what was imported as submitted."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..evaluations.models import EvaluationRecord, ImportedSource
from ..organisations.access import access_for
from ..tasks.access import get_task, may_manage
from . import services
from .access import REFUSED, batches_of, get_batch, may_upload
from .forms import IntakeForm
from .models import IntakeBatch, IntakeFile, Outcome

PER_PAGE = 100


@login_required
def intake_new(request: HttpRequest, task: int) -> HttpResponse:
    found = get_task(request, task)
    access = access_for(request.user)
    if not may_upload(access, found):
        raise PermissionDenied(REFUSED)
    if not found.is_open:
        messages.error(request, f"“{found.name}”{found.get_state_display()}，项目尚未全部建立，暂不能接收文件。")
        return redirect("tasks:board", pk=found.pk)
    form = IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = [services.Upload(Path(f.name).name, f, f.size) for f in form.cleaned_data["files"]]
        try:
            batch = services.receive(found, uploads, request.user)
        except services.UploadRefused as exc:
            form.add_error("files", f"{exc}。本次上传的文件均未保存，请处理后重新上传。")
        else:
            return redirect("intake:batch", pk=batch.pk)
    context = {"task": found, "form": form, "batches": _summaries(batches_of(access, found, request.user.pk))}
    return render(request, "intake/new.html", context)


@dataclass(frozen=True)
class Progress:
    """What has become of a batch's files, for the progress bar and the counts."""

    counts: dict[str, int]
    total: int

    @property
    def waiting(self) -> int:
        return self.counts.get(Outcome.QUEUED, 0)

    @property
    def handled(self) -> int:
        return self.total - self.waiting

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.handled * 100 // self.total

    def rows(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.counts.get(value, 0)) for value, label in Outcome.choices]

    def present(self) -> list[tuple[str, str, int]]:
        """The outcomes some file has."""
        return [row for row in self.rows() if row[2]]


def progress_of(batch: IntakeBatch) -> Progress:
    counts = dict(batch.files.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    return Progress(counts, sum(counts.values()))


def _summaries(batches: list[IntakeBatch]) -> list[tuple[IntakeBatch, Progress]]:
    return [(batch, progress_of(batch)) for batch in batches]


@dataclass(frozen=True)
class Choice:
    record: EvaluationRecord
    reason: str
    preselected: bool


def _choices(files: list[IntakeFile]) -> dict[int, list[Choice]]:
    """For each file awaiting confirmation, its candidate projects (best first); the best is preselected when its
    name is the same or nearly so and no other candidate is as close."""
    wanted = {c["record"] for f in files if f.outcome == Outcome.CONFIRM for c in f.candidates}
    records = EvaluationRecord.objects.filter(pk__in=wanted).select_related("unit").defer("document").in_bulk()
    out: dict[int, list[Choice]] = {}
    for f in files:
        if f.outcome != Outcome.CONFIRM:
            continue
        found = [c for c in f.candidates if c["record"] in records]
        clear = (
            bool(found)
            and found[0]["similarity"] >= 0.8
            and (len(found) == 1 or found[1]["similarity"] < found[0]["similarity"])
        )
        out[f.pk] = [Choice(records[c["record"]], c["reason"], clear and i == 0) for i, c in enumerate(found)]
    return out


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch(request, pk)
    progress = progress_of(batch)
    outcome = request.GET.get("outcome", "")
    files = batch.files.defer("content", "audit").select_related("record__unit").order_by("position")
    if outcome in Outcome.values:
        files = files.filter(outcome=outcome)
    page = Paginator(files, PER_PAGE).get_page(request.GET.get("page"))
    files_here = list(page.object_list)
    choices = _choices(files_here)
    access = access_for(request.user)
    stalled = progress.waiting and services.stalled(batch).exists()
    context: dict[str, Any] = {
        "batch": batch,
        "task": batch.task,
        "progress": progress,
        "page": page,
        "rows": [(f, choices.get(f.pk, [])) for f in files_here],
        "confirming": bool(choices),
        "outcome": outcome,
        "outcomes": Outcome.choices,
        "may_manage": may_manage(access, batch.task),
        "drafts": len(services.imported_drafts(batch)) if not progress.waiting else 0,
        "stalled": stalled,
        "refresh": progress.waiting and not stalled,
    }
    return render(request, "intake/batch.html", context)


@login_required
@require_POST
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Import each file awaiting confirmation into the project chosen for it (or by the 项目编码 typed for it), or
    mark it 「确认不导入」."""
    batch = get_batch(request, pk)
    ids = [int(key.split("-", 1)[1]) for key in request.POST if key.startswith("choice-") and key[7:].isdigit()]
    files = {f.pk: f for f in batch.files.filter(pk__in=ids, outcome=Outcome.CONFIRM).select_related("batch")}
    done = skipped = 0
    for file_id, file in files.items():
        choice = request.POST.get(f"choice-{file_id}", "")
        code = request.POST.get(f"code-{file_id}", "").strip()
        if choice == "skip":
            services.skip(file, request.user)
            skipped += 1
            continue
        if code:
            record = services.record_by_code(batch, code)
            if record is None:
                messages.error(request, f"“{file.name}”：本任务中（您的范围内）没有项目编码为“{code}”的项目，未导入")
                continue
            choice = str(record.pk)
        if not choice.isdigit():
            continue
        try:
            services.choose(file, int(choice), request.user)
        except services.ChoiceRefused as exc:
            messages.error(request, str(exc))
            continue
        file.refresh_from_db(fields=["outcome", "reason"])
        if file.outcome == Outcome.IMPORTED:
            done += 1
        else:
            messages.error(request, f"“{file.name}”未导入：{file.reason}")
    if done or skipped:
        messages.success(request, f"已导入 {done} 个文件" + (f"，{skipped} 个确认不导入" if skipped else "") + "。")
    return redirect(reverse("intake:batch", args=[batch.pk]) + "?outcome=confirm")


@login_required
@require_POST
def batch_submit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch(request, pk)
    if not may_manage(access_for(request.user), batch.task):
        raise PermissionDenied("只有发起任务的单位（或其上级财政局）可以把导入的评价登记为已提交")
    done = services.submit_imported(batch, request.user)
    messages.success(request, f"已把本批导入的 {done} 份评价登记为“已提交”，可以进入审核。")
    return redirect("intake:batch", pk=batch.pk)


@login_required
@require_POST
def batch_retry(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch(request, pk)
    count = services.retry(batch)
    if count:
        messages.success(request, f"已重新安排处理 {count} 个文件。")
    else:
        messages.info(request, "没有需要重新处理的文件（仍在处理中的文件请稍候）。")
    return redirect("intake:batch", pk=batch.pk)


@login_required
def file_original(request: HttpRequest, pk: int) -> FileResponse:
    """A received file, byte for byte: as received, or (once imported) as the evaluation keeps it."""
    file = IntakeFile.objects.filter(pk=pk).defer("content").first()
    if file is None:
        raise Http404("文件不存在")
    get_batch(request, file.batch_id)
    data: bytes | None = None
    if file.source_id is not None:
        data = ImportedSource.objects.filter(pk=file.source_id).values_list("content", flat=True).first()
    else:
        data = IntakeFile.objects.filter(pk=pk).values_list("content", flat=True).first()
    if data is None:
        raise Http404("这个文件未能读取，没有保存内容")
    return FileResponse(io.BytesIO(bytes(data)), as_attachment=True, filename=Path(file.name).name)
