"""The list and overview filters: year, unit, status, grade, finding."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import HttpRequest

from ...core.checks import CATALOGUE
from ..organisations.access import Access
from .choices import Status
from .models import EvaluationRecord, StoredFinding
from .unscored import UNSCORED

GRADES = [("", "全部等级"), ("优", "优"), ("良", "良"), ("中", "中"), ("差", "差")]


class EvaluationFilterForm(forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    unit = forms.CharField(label="单位", required=False, max_length=100)
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *Status.choices], required=False)
    grade = forms.ChoiceField(label="计算等级", choices=GRADES, required=False)
    finding = forms.ChoiceField(label="检查发现", required=False)
    q = forms.CharField(label="项目名称", required=False)

    def __init__(self, *args: object, access: Access, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["finding"].choices = [("", "全部"), ("any-error", "有错误级发现")] + [  # type: ignore[attr-defined]
            (c.id, f"{c.id} {c.title}") for c in CATALOGUE.values()
        ]


def apply_filters(records: QuerySet[EvaluationRecord], form: EvaluationFilterForm) -> QuerySet[EvaluationRecord]:
    if not form.is_bound or not form.is_valid():
        return records
    data = form.cleaned_data
    if data.get("year"):
        records = records.filter(year=data["year"])
    if data.get("unit"):
        # a text match, not a select: a finance bureau reaches thousands of units
        records = records.filter(unit__name__icontains=data["unit"].strip())
    if data.get("status"):
        records = records.filter(status=data["status"])
    if data.get("grade"):
        # a blank draft is stored as 差 but shown as 未评分: it is in no grade (as in the overview's counts)
        records = records.filter(Q(computed_grade=data["grade"]) & ~UNSCORED)
    if data.get("q"):
        records = records.filter(project_name__icontains=data["q"])
    finding = data.get("finding")
    if finding == "any-error":
        records = records.filter(error_count__gt=0)
    elif finding:
        records = records.filter(Exists(StoredFinding.objects.filter(record=OuterRef("pk"), code=finding)))
    return records


T = TypeVar("T")


def data_stamp(request: HttpRequest) -> str:
    """The newest change to any evaluation (one index lookup), once per request.

    Every write (services, soft delete, lifecycle, admin undelete) moves ``updated_at``, so anything
    cached under this stamp is never stale.
    """
    stamp = getattr(request, "_jixiao_stamp", None)
    if stamp is None:
        stamp = str(EvaluationRecord.all_objects.aggregate(m=Max("updated_at"))["m"])
        request._jixiao_stamp = stamp  # type: ignore[attr-defined]
    return stamp


def cache_key(request: HttpRequest, access: Access, what: str, *, with_page: bool = False) -> str:
    """A key for ``what`` under this user's scope, the request's filters and the data stamp."""
    scope = "all" if access.is_system_admin else repr(access.places)
    skip = () if with_page else ("page", "sort")
    filters = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()) if k not in skip)
    return f"{what}:" + hashlib.sha256(f"{data_stamp(request)}|{scope}|{filters}".encode()).hexdigest()


def cached(request: HttpRequest, access: Access, what: str, compute: Callable[[], T]) -> T:
    """``compute()`` for this user's scope and filters, reused until any evaluation changes."""
    key = cache_key(request, access, what)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=600)
    return value


def cached_count(records: QuerySet[EvaluationRecord], access: Access, request: HttpRequest) -> int:
    return cached(request, access, "count", records.count)
