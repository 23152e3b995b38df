"""The pages of 自评任务: the list, opening one from a 项目清单, its progress board (and its xlsx), the template, and
a unit's to-do list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...io.errors import InputError
from ...io.xlsx.project_list import read_project_list, write_project_list_template
from .. import scratch
from ..evaluations.access import visible
from ..evaluations.choices import Status
from ..evaluations.workflow import EDITORS, REVIEWERS, UNSUBMITTED
from ..intake.access import may_upload
from ..organisations.access import access_for
from ..organisations.models import Organisation, person_name
from . import services
from .access import get_task, may_manage, owners, visible_tasks
from .background import open_projects
from .board import board
from .board_html import board_rows, reminder_rows
from .board_xlsx import write_board_xlsx
from .forms import ExtensionForm, TaskForm
from .models import DeadlineExtension, Notice, Task, TaskOpening, TaskState
from .reminders import send_by_hand, unit_deadlines


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    tasks = list(visible_tasks(access).select_related("owner"))
    opening = [t.pk for t in tasks if t.state == TaskState.OPENING]
    done = dict(TaskOpening.objects.filter(task_id__in=opening).values_list("task_id", "done")) if opening else {}
    for t in tasks:
        t.done = done.get(t.pk, 0)  # type: ignore[attr-defined]
    return render(request, "tasks/list.html", {"tasks": tasks, "can_open": owners(access).exists()})


#: the problems of a refused 项目清单 listed in the page; the rest are counted
SHOWN_PROBLEMS = 200


@login_required
def task_new(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    allowed = owners(access)
    if not allowed.exists():
        raise PermissionDenied("只有财政绩效管理员或主管部门审核人可以发起自评任务")
    earlier = visible_tasks(access).filter(owner__in=allowed, state=TaskState.OPEN)
    form = TaskForm(request.POST or None, request.FILES or None, owners=allowed, earlier=earlier)
    problems: list = []
    unlisted = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner: Organisation = data["owner"]
        listing = None
        if data["copy_from"] is not None:
            listing = services.list_from_task(data["copy_from"])
            source_name = listing.file
        else:
            upload = data["project_list"]
            source_name = upload.name
            with scratch.folder("list-") as folder:
                # never the user's file name: it may be longer than the file system allows
                path = Path(folder) / "list.xlsx"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    # empty, locked, not a workbook or a “zip bomb”: the reader says it in the words of every path
                    listing = read_project_list(path, known_units=set(services.units_under(owner)))
                except InputError as err:
                    form.add_error("project_list", str(err).replace(str(path), upload.name))
        if listing is not None:
            settings = services.TaskSettings(
                owner=owner,
                year=data["year"],
                name=data["name"],
                rules=data["rules"],
                framework=data["framework"],
                unit_deadline=data["unit_deadline"],
                department_deadline=data["department_deadline"],
                finance_deadline=data["finance_deadline"],
            )
            try:
                task = services.open_task(settings, listing, request.user, source_name=source_name)
            except services.ListRefused as refused:
                # the first SHOWN_PROBLEMS in the page, the rest counted: 100,000 rows are not a page to read
                problems = refused.problems[:SHOWN_PROBLEMS]
                unlisted = len(refused.problems) - len(problems)
                messages.error(
                    request,
                    f"文件 {source_name}：项目清单有 {len(refused.problems):,} 处问题，未建立任务，也未建立任何评价。",
                )
            else:
                if task.state == TaskState.OPEN:
                    messages.success(request, f"已发起“{task.name}”，为 {len(listing.rows)} 个项目建立了待填报的评价。")
                elif task.state == TaskState.OPENING:
                    messages.success(
                        request,
                        f"已发起“{task.name}”：项目清单检查无误，共 {len(listing.rows)} 个项目，正在后台建立待填报的评价；"
                        "建立完成后单位即可在“待办”中看到。",
                    )
                else:
                    messages.error(request, f"“{task.name}”建立失败：{task.failure}")
                return redirect("tasks:board", pk=task.pk)
    context = {
        "form": form,
        "problems": problems,
        "problem_count": f"{len(problems) + unlisted:,}",
        "unlisted": f"{unlisted:,}" if unlisted else "",
        "inline_rows": services.inline_rows(),
    }
    return render(request, "tasks/new.html", context)


@login_required
def list_template(request: HttpRequest) -> FileResponse:
    return scratch.workbook_response(write_project_list_template, "项目清单模板.xlsx")


def _board_context(request: HttpRequest, task: Task) -> dict:
    records = visible(access_for(request.user))
    department = request.GET.get("department", "")
    if department.isdigit():
        records = records.filter(department_id=int(department))
        by = "unit"
    else:
        by = "department"
    today = timezone.localdate()
    extended = unit_deadlines(task)
    rows, total = board(task, records, by, today, extended)
    if by == "unit":
        for row in rows:
            row.extended_to = extended.get(row.key)
    statuses = [(s.value, s.label) for s in Status]
    return {"task": task, "rows": rows, "total": total, "by": by, "statuses": statuses, "today": today}


#: seconds between reloads of the board of a task being opened
OPENING_REFRESH = 5
#: an opening whose progress has not moved for this long was left by a worker that stopped
OPENING_STALLED_AFTER = dt.timedelta(minutes=10)


@login_required
def task_board(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    if task.state != TaskState.OPEN:  # 正在建立 or 建立失败: its progress or its failure, no figures yet
        opening = TaskOpening.objects.filter(task=task).first()
        done = opening.done if opening else 0
        percent = int(100 * done / task.project_count) if task.project_count else 0
        stalled = task.state == TaskState.OPENING and (
            opening is None or timezone.now() - opening.updated_at > OPENING_STALLED_AFTER
        )
        context = {
            "task": task,
            "done": done,
            "percent": percent,
            "refresh": OPENING_REFRESH,
            "stalled": stalled,
            "may_manage": may_manage(access_for(request.user), task),
        }
        return render(request, "tasks/board.html", context)
    context = _board_context(request, task)
    access = access_for(request.user)
    context["may_manage"] = manages = may_manage(access, task)
    context["may_upload"] = manages or may_upload(access, task)
    context["body"] = board_rows(
        context["rows"],
        context["by"],
        manage=context["may_manage"],
        list_url=reverse("evaluations:list"),
        remind_url=reverse("tasks:remind", args=[task.pk]),
        extend_url=reverse("tasks:extend", args=[task.pk]),
        department=request.GET.get("department", ""),
        csrf_token=get_token(request),
    )
    context["reminders"] = reminder_rows(task)
    return render(request, "tasks/board.html", context)


@login_required
@require_POST
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the opening of a 正在建立 task again (its worker stopped) or of a 建立失败 one (after its cause was removed):
    what is already there is not created twice."""
    task = get_task(request, pk)
    if not may_manage(access_for(request.user), task):
        raise PermissionDenied("只有发起任务的单位（或其上级财政局）可以重新建立任务")
    if task.state == TaskState.OPEN:
        messages.info(request, f"“{task.name}”已建立完毕，无需重新建立。")
    else:
        transaction.on_commit(lambda: open_projects.enqueue(task.pk))
        messages.success(request, f"已重新安排建立“{task.name}”的评价，已建立的不会重复建立。")
    return redirect("tasks:board", pk=task.pk)


def _managed_unit(request: HttpRequest, pk: int) -> tuple[Task, Organisation]:
    """The task (404 unless visible) and the POSTed unit (404 unless the user sees its records), for a manager."""
    task = get_task(request, pk)
    access = access_for(request.user)
    if not may_manage(access, task):
        raise PermissionDenied("只有发起任务的单位（或其上级财政局）可以发送提醒或批准延期")
    unit_id = request.POST.get("unit", "")
    units = access.units(*REVIEWERS)
    if not unit_id.isdigit() or (units is not None and int(unit_id) not in units):
        raise Http404("预算单位不存在或不在您的范围内")
    try:
        unit = Organisation.objects.get(pk=int(unit_id), kind="unit")
    except Organisation.DoesNotExist:
        raise Http404("预算单位不存在") from None
    return task, unit


@login_required
@require_POST
def task_remind(request: HttpRequest, pk: int) -> HttpResponse:
    task, unit = _managed_unit(request, pk)
    reminder = send_by_hand(task, unit, request.user, timezone.localdate())
    if reminder is None:
        messages.info(request, f"{unit.name}在本任务中没有未提交的评价，未发送提醒。")
    else:
        messages.success(request, f"已提醒{unit.name}（{reminder.recipients} 人）：{reminder.pending} 份评价尚未提交。")
    return redirect(_back_to_board(task, request))


@login_required
@require_POST
def task_extend(request: HttpRequest, pk: int) -> HttpResponse:
    task, unit = _managed_unit(request, pk)
    form = ExtensionForm(request.POST, task=task)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{unit.name}延期未保存：{error}")
        return redirect(_back_to_board(task, request))
    extension = DeadlineExtension.objects.create(
        task=task,
        unit=unit,
        deadline=form.cleaned_data["deadline"],
        reason=form.cleaned_data["reason"],
        granted_by=request.user,
        granted_by_name=person_name(request.user),
    )
    messages.success(request, f"{unit.name}的填报截止日期已延至 {extension.deadline:%Y年%m月%d日}。")
    return redirect(_back_to_board(task, request))


def _back_to_board(task: Task, request: HttpRequest) -> str:
    department = request.POST.get("department", "")
    url = reverse("tasks:board", args=[task.pk])
    return f"{url}?department={department}" if department.isdigit() else url


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notices, newest first; opening the page marks them read."""
    notices = list(Notice.objects.filter(user=request.user)[:200])
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "tasks/notices.html", {"notices": notices})


@login_required
def task_board_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    c = _board_context(request, get_task(request, pk))
    return scratch.workbook_response(
        lambda path: write_board_xlsx(c["task"], c["rows"], c["total"], c["by"], path, c["today"]),
        f"{c['task'].name}-进度.xlsx",
    )


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """A unit's evaluations still to submit, task by task, with their deadlines."""
    access = access_for(request.user)
    records = (
        visible(access)
        .filter(status__in=UNSUBMITTED, task__isnull=False)
        .select_related("task", "unit")
        .order_by("task__unit_deadline", "project_name")
    )
    units = access.units(*EDITORS)
    if units is not None:
        records = records.filter(unit_id__in=units)
    today = timezone.localdate()
    rows = [(r, (r.task.unit_deadline - today).days) for r in records]
    rows = [(r, days, abs(days)) for r, days in rows]
    return render(request, "tasks/todo.html", {"rows": rows, "today": today})
