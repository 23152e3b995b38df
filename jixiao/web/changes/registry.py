"""Which models' writes are recorded, and how one of their rows becomes a JSON snapshot."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from typing import Any

from django.apps import apps
from django.db import models

#: the models whose writes are recorded, as "app_label.ModelName"
TRACKED: tuple[str, ...] = (
    "evaluations.EvaluationRecord",
    "evaluations.ReportingYear",
    "organisations.Organisation",
    "organisations.Membership",
    "tasks.Task",
    "sampling.SampleDraw",
    "review.IndicatorReview",
    "review.ReviewProblem",
    "results.ResultPolicy",
    "results.BudgetDecision",
    "results.Rectification",
    "targets.TargetDeclaration",
    "targets.TargetAdjustment",
    "monitoring.MonitoringRound",
    "monitoring.MonitoringRecord",
    "department.DepartmentEvaluationRecord",
    "department.DepartmentTransition",
)

#: fields left out of a model's snapshot, each replaced by ``<name>_sha256`` (their history lives elsewhere:
#: an evaluation's document in its EvaluationVersion rows)
DIGESTED: dict[str, tuple[str, ...]] = {
    "evaluations.EvaluationRecord": ("document",),
}


def label_of(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def tracked_models() -> list[type[models.Model]]:
    """The tracked model classes (looked up lazily: the registry is read before every app is loaded)."""
    return [apps.get_model(label) for label in TRACKED]


def is_tracked(model: type[models.Model]) -> bool:
    return label_of(model) in TRACKED


def digest(value: Any) -> str:
    """SHA-256 of a JSON value in a canonical form (sorted keys), so that equal documents hash equally."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json_safe(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.loads(json.dumps(value, default=str))
    try:
        value = field.to_python(value)  # "85" or 85 into Decimal, a date string into a date, …
    except Exception:
        pass
    if isinstance(value, decimal.Decimal):
        places = getattr(field, "decimal_places", None)
        if places is not None and value.is_finite():
            value = value.quantize(decimal.Decimal(1).scaleb(-places))
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def serialise(instance: models.Model) -> dict[str, Any]:
    """The row as JSON-safe values, as ``model_to_dict`` but of every concrete field but the key (a foreign key as
    its id, a Decimal as a string, dates in ISO form); digested fields as their ``<name>_sha256``."""
    left_out = DIGESTED.get(label_of(type(instance)), ())
    out: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(instance, field.attname)
        if field.name in left_out:
            out[f"{field.name}_sha256"] = None if value is None else digest(value)
            continue
        out[field.name] = _json_safe(field, value)  # a foreign key: its id (the attname value)
    return out


def ignored_in_comparison(model: type[models.Model]) -> set[str]:
    """Fields that change on every save (``auto_now``): a save that changes only them is no change."""
    return {f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
