"""Editing one part of an evaluation: a form (or formsets) prefilled from the stored document.

A POST is validated field by field; only when everything is valid is the part rebuilt into a copy of the
document, the whole document validated as a core ``Evaluation`` and saved once through ``services.save``
against the revision the user opened. Any problem re-renders the page with the user's input and nothing saved.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from pydantic import ValidationError

from ...core.model import Evaluation
from ...core.values import fmt
from . import services
from .access import get_record
from .edit_forms import EDITORS, EditRefused, PartEditor, RevisionForm, model_problems
from .models import EvaluationRecord
from .unscored import record_unscored
from .views import PARTS


def _saved_message(title: str, record: EvaluationRecord) -> str:
    if record_unscored(record):
        score = "尚无可计分的指标和资金数（未评分）"
    else:
        grade = f"（{record.computed_grade}）" if record.computed_grade else ""
        score = f"重新计算得分 {fmt(record.computed_score)} 分{grade}"
    return (
        f"已保存“{title}”，当前为第 {record.revision} 版。{score}，"
        f"检查发现错误 {record.error_count} 项、警告 {record.warning_count} 项。"
    )


@login_required
def edit_part(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    record = get_record(request, pk, "edit")
    editor_class = EDITORS.get(part)
    if editor_class is None:
        raise Http404("未知的编辑部分")
    document = copy.deepcopy(record.document)

    if request.method != "POST":
        editor = editor_class(document)
        revision_form = RevisionForm(initial={"revision": record.revision})
        return _render(request, record, editor, revision_form)

    editor = editor_class(document, request.POST)
    revision_form = RevisionForm(request.POST)
    revision_ok = revision_form.is_valid()
    fields_ok = editor.is_valid()  # validated even when the revision is missing, so every error shows at once
    if not (revision_ok and fields_ok):
        editor.add_error("有内容未通过校验，请修正下方标红的项目。所有修改均未保存。")
        return _render(request, record, editor, revision_form)
    try:
        outcome = editor.outcome()
        evaluation = Evaluation.model_validate(outcome.document)
    except EditRefused as exc:
        editor.add_error(str(exc))
        return _render(request, record, editor, revision_form)
    except ValidationError as err:
        editor.add_error("数据未通过校验，所有修改均未保存：")
        for problem in model_problems(err):
            editor.add_error(problem)
        return _render(request, record, editor, revision_form)

    expected = revision_form.cleaned_data["revision"]
    try:
        saved = services.save(record.pk, evaluation, request.user, expected, outcome.summary)
    except (services.ConcurrentEdit, services.NotAllowed) as exc:
        editor.add_error(str(exc))
        return _render(request, record, editor, revision_form)

    if saved.revision == expected:
        messages.info(request, f"“{editor.title}”没有改动，未生成新版本。")
    else:
        messages.success(request, _saved_message(editor.title, saved))
    if outcome.stay:
        url = reverse("evaluations:edit", args=[record.pk, part])
        return redirect(f"{url}#node-{outcome.anchor}" if outcome.anchor else url)
    return redirect("evaluations:detail", pk=record.pk)


def _render(
    request: HttpRequest, record: EvaluationRecord, editor: PartEditor, revision_form: RevisionForm
) -> HttpResponse:
    context = {
        "record": record,
        "editor": editor,
        "revision_form": revision_form,
        "part": editor.slug,
        "title": editor.title,
        "parts": PARTS,
    }
    return render(request, editor.template, context)
