"""The 复核 page of one evaluation (复核工作台) and what is posted from it; the evidence downloads; the 复核意见书."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...core.result import compare_scores
from ...core.review import EXECUTION_KEY
from ..evaluations.access import get_record, may
from ..evaluations.choices import Action
from ..organisations.access import access_for
from . import access as review_access
from . import evidence as evidence_files
from . import opinion, services
from .models import Evidence, IndicatorReview, ReviewMessage, ReviewProblem

#: the 整改 due date offered when a 复核 is finished: this many days after it
DEFAULT_RECTIFICATION_DAYS = 60


def _back(pk: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("review:workbench", args=[pk]) + anchor)


def _refuse_unless(allowed: bool, why: str) -> None:
    if not allowed:
        raise PermissionDenied(why)


@login_required
def workbench(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record(request, pk)
    access = access_for(request.user)
    outcome = review_access.sees_outcome(access, record)
    sheet = services.sheet_of(record)
    names = services.line_names(sheet)
    threads: dict[str, list[ReviewMessage]] = defaultdict(list)
    for message in ReviewMessage.objects.filter(record=record).prefetch_related("files"):
        threads[message.key].append(message)
    files: dict[str, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(record=record):
        files[item.key].append(item)
    queries = [m for thread in threads.values() for m in thread if m.kind == ReviewMessage.Kind.QUERY]
    known = set(names)
    stale = [row for row in IndicatorReview.objects.filter(record=record) if row.key not in known]
    lines = [
        {
            "index": i,
            "line": line,
            "name": names[line.key],
            "messages": threads.get(line.key, []),
            "files": files.get(line.key, []),
        }
        for i, line in enumerate(sheet.lines)
    ]
    context: dict[str, Any] = {
        "record": record,
        "sheet": sheet if outcome else None,
        "lines": lines,
        "overall_messages": threads.get("", []),
        "overall_files": files.get("", []),
        "orphan_threads": {names.get(k, k): v for k, v in threads.items() if k and k not in known},
        "problems": [(names.get(p.key, p.key) or "整体", p) for p in ReviewProblem.objects.filter(record=record)]
        if outcome
        else [],
        "message_count": sum(len(thread) for thread in threads.values()),
        "file_count": sum(len(items) for items in files.values()),
        "query_changes": services.changes_since(record, queries) if outcome else [],
        "open_queries": [q for q in queries if q.answered_at is None],
        "stale": stale,
        "side": review_access.side_of(access, record),
        "may_score": review_access.may_score(access, record),
        "may_write": review_access.may_write(access, record),
        "may_finish": may(access, record, Action.REVIEW),
        "comparison": compare_scores(_own_total(sheet), sheet.review_total.value),
        "due_default": timezone.localdate() + dt.timedelta(days=DEFAULT_RECTIFICATION_DAYS),
        "max_label": evidence_files.MAX_LABEL,
        "accepted": evidence_files.ACCEPTED_LABEL,
        "execution_key": EXECUTION_KEY,
        "text_max": services.TEXT_MAX,
    }
    return render(request, "review/workbench.html", context)


def _own_total(sheet: services.ReviewSheet) -> Decimal | None:
    """The unit's own total: the one it stated, else the sum of its line scores."""
    return sheet.stated_total if sheet.stated_total is not None else sheet.self_total.value


@login_required
@require_POST
def save_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record(request, pk)
    _refuse_unless(review_access.is_reviewer(access_for(request.user), record), "只有财政绩效管理员可以填写复核得分")
    values: dict[str, tuple[str, str]] = {}  # keys the sheet no longer has are left out by the service
    for name, key in request.POST.items():
        if name.startswith("key-"):
            index = name.removeprefix("key-")
            values[key] = (request.POST.get(f"score-{index}", ""), request.POST.get(f"comment-{index}", ""))
    try:
        sheet = services.save_sheet(record.pk, values, request.user)
    except services.NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已保存复核得分：复核总分 {sheet.review_total.value or 0:.2f} 分。")
    return _back(pk, "#sheet")


def _upload(request: HttpRequest) -> services.Upload | None:
    file = request.FILES.get("file")
    if file is None:
        return None
    return services.Upload(file, file.name or "未命名文件", file.size or 0)


@login_required
@require_POST
def post_message(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record(request, pk)
    access = access_for(request.user)
    _refuse_unless(review_access.may_write(access, record), "您不能在此评价的复核中留言")
    side = review_access.side_of(access, record)
    assert side is not None
    kind = request.POST.get("kind", ReviewMessage.Kind.COMMENT)
    if kind not in ReviewMessage.Kind.values:
        raise Http404("未知的留言类型")
    key = request.POST.get("key", "")
    reply_to = request.POST.get("reply_to", "")
    try:
        message = services.post_message(
            record.pk,
            side=side,
            kind=kind,
            key=key,
            body=request.POST.get("body", ""),
            user=request.user,
            reply_to=int(reply_to) if reply_to.isdigit() else None,
            upload=_upload(request),
        )
    except (services.NotAllowed, evidence_files.EvidenceRefused) as exc:
        messages.error(request, str(exc))
        return _back(pk)
    messages.success(request, f"已发送{message.get_kind_display()}。")
    return _back(pk, f"#message-{message.pk}")


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record(request, pk)
    access = access_for(request.user)
    _refuse_unless(review_access.may_write(access, record), "您不能为此评价上传佐证材料")
    side = review_access.side_of(access, record)
    assert side is not None
    key = request.POST.get("key", "")
    upload = _upload(request)
    if upload is None:
        messages.error(request, "请选择要上传的文件")
    else:
        try:
            item = services.attach(record.pk, side=side, key=key, upload=upload, user=request.user)
        except (services.NotAllowed, evidence_files.EvidenceRefused) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已上传佐证材料“{item.file_name}”（{item.kind}）。")
    return _back(pk, "#evidence")


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence: int) -> FileResponse:
    record = get_record(request, pk)
    item = Evidence.objects.filter(pk=evidence, record=record).first()
    if item is None:
        raise Http404("佐证材料不存在")
    path = evidence_files.path_of(item.sha256)
    if not path.is_file():
        raise Http404("佐证材料的文件已不在服务器上，请联系系统管理员从备份恢复")
    response = FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=evidence_files.download_name(item.file_name, item.media_type),
        content_type=item.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def add_problem(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record(request, pk)
    _refuse_unless(review_access.is_reviewer(access_for(request.user), record), "只有财政绩效管理员可以记录复核问题")
    key = request.POST.get("key", "")
    try:
        services.add_problem(
            record.pk,
            key=key,
            problem=request.POST.get("problem", ""),
            requirement=request.POST.get("requirement", ""),
            user=request.user,
        )
    except services.NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已记录问题及整改要求。")
    return _back(pk, "#problems")


@login_required
@require_POST
def remove_problem(request: HttpRequest, pk: int, problem: int) -> HttpResponse:
    record = get_record(request, pk)
    _refuse_unless(review_access.is_reviewer(access_for(request.user), record), "只有财政绩效管理员可以修改复核问题")
    try:
        services.remove_problem(record.pk, problem)
    except services.NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已删除该问题。")
    return _back(pk, "#problems")


@login_required
@require_POST
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    """「完成复核」: first a page stating the outcome, then done on ``confirm=yes`` (as every lifecycle step)."""
    record = get_record(request, pk, Action.REVIEW)
    conclusion = request.POST.get("conclusion", "").replace("\r\n", "\n").strip()
    due_text = request.POST.get("due", "").strip()
    try:
        due = dt.date.fromisoformat(due_text)
    except ValueError:
        messages.error(request, f"整改期限“{due_text}”不是日期，请按 2024-06-30 的格式填写")
        return _back(pk, "#finish")
    if due < timezone.localdate():
        messages.error(request, "整改期限不能早于今天")
        return _back(pk, "#finish")
    sheet = services.sheet_of(record)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "review/finish_confirm.html",
            {
                "record": record,
                "sheet": sheet,
                "conclusion": conclusion,
                "due": due,
                "problems": ReviewProblem.objects.filter(record=record).count(),
                "errors": record.findings.filter(severity="error").count(),
                "comparison": compare_scores(_own_total(sheet), sheet.review_total.value),
            },
        )
    record, sheet = services.finish(record.pk, conclusion=conclusion, due=due, user=request.user)
    messages.success(request, f"已完成财政复核：复核得分 {sheet.review_total.value:.2f} 分（{record.review_grade}）。")
    return _back(pk)


@login_required
def opinion_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    record = get_record(request, pk)
    _refuse_unless(review_access.sees_outcome(access_for(request.user), record), "复核完成后才能查看复核意见书")
    if fmt not in ("docx", "pdf"):
        raise Http404("未知的文件类型")
    content, name = opinion.render(record, fmt)
    return FileResponse(BytesIO(content), as_attachment=True, filename=name)
