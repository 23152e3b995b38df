"""An object's change history, for whoever may see the object."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .models import ChangeAction, ObjectChange
from .registry import DIGESTED, ignored_in_comparison, label_of


def _evaluation(request: HttpRequest, pk: int) -> models.Model:
    from ..evaluations.access import get_record

    return get_record(request, pk)


def _task(request: HttpRequest, pk: int) -> models.Model:
    from ..tasks.access import get_task

    return get_task(request, pk)


@dataclass(frozen=True)
class Kind:
    model: str  # "app_label.ModelName"
    fetch: Callable[[HttpRequest, int], models.Model]  # the object if the user may see it, else Http404
    back: str  # the URL name of the object's own page


#: the URL slug of each model with a history page → its model, and who may see an object of it
KINDS: dict[str, Kind] = {
    "evaluation": Kind("evaluations.EvaluationRecord", _evaluation, "evaluations:detail"),
    "task": Kind("tasks.Task", _task, "tasks:board"),
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def _shown(field: models.Field[Any, Any] | None, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            return timezone.localtime(dt.datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(field, models.ForeignKey):
        # a related object by its name, never by its id (a deleted one says so)
        related = field.related_model._default_manager.filter(pk=value).first()  # type: ignore[union-attr]
        return str(related) if related is not None else f"（已删除的{field.related_model._meta.verbose_name}）"  # type: ignore[union-attr]
    return str(value)


def field_changes(model: type[models.Model], change: ObjectChange) -> list[FieldChange]:
    """The fields that differ between ``before`` and ``after`` (every filled one for a 新建 or 删除), by their
    Chinese names; columns that change on every save are left out."""
    before, after = change.before or {}, change.after or {}
    ignored = ignored_in_comparison(model) if change.action == ChangeAction.UPDATE else set()
    digested = {f"{name}_sha256": name for name in DIGESTED.get(label_of(model), ())}
    out = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if (
            key in ignored
            or old == new
            or (change.action != ChangeAction.UPDATE and old in (None, "") and new in (None, ""))
        ):
            continue
        try:
            field: models.Field[Any, Any] | None = model._meta.get_field(digested.get(key, key))  # type: ignore[assignment]
        except FieldDoesNotExist:
            field = None
        label = str(field.verbose_name) if field is not None else key
        if key in digested:  # a SHA-256: its first characters tell two versions apart
            out.append(FieldChange(f"{label}（摘要）", old[:12] if old else "—", new[:12] if new else "—"))
            continue
        out.append(FieldChange(label, _shown(field, old), _shown(field, new)))
    return out


@login_required
@require_GET
def history(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    kind = KINDS.get(model)
    if kind is None:
        raise Http404("没有这种对象")
    obj = kind.fetch(request, pk)
    model_class = apps.get_model(kind.model)
    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model_class), object_id=obj.pk
    ).select_related("user")
    rows = [(c, field_changes(model_class, c)) for c in changes]
    return render(
        request,
        "changes/history.html",
        {
            "object": obj,
            "rows": rows,
            "back": reverse(kind.back, args=[obj.pk]),
            "model_name": model_class._meta.verbose_name,
        },
    )
