"""The list and overview filters: year, unit, status, grade, finding; and reading the counts the database keeps.

Migration 0006 has the database keep ``evaluations_tally`` and ``evaluations_findingtally`` exact on every write (see
its docstring). A count over a 财政局's or a 主管部门's evaluations, filtered by year, status or grade only, is then a
sum over a few hundred tally rows instead of a scan of hundreds of thousands of records; anything else (a unit's own
scope, a text or finding filter) is counted from the records themselves, which such filters keep few.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.db.models.lookups import Exact, In, IsNull
from django.db.models.sql.where import AND, OR, WhereNode
from django.http import HttpRequest

from ...core.checks import CATALOGUE
from ..organisations.access import Access
from ..organisations.models import Organisation
from .choices import STATUS_COLOURS, Status
from .models import EvaluationRecord, StoredFinding
from .unscored import UNSCORED

GRADES = [("", "全部等级"), ("优", "优"), ("良", "良"), ("中", "中"), ("差", "差")]


class EvaluationFilterForm(forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    unit = forms.CharField(label="单位", required=False, max_length=100)
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *Status.choices], required=False)
    grade = forms.ChoiceField(label="计算等级", choices=GRADES, required=False)
    finding = forms.ChoiceField(
        label="检查发现",
        required=False,
        choices=[
            ("", "全部"),
            ("any-error", "有错误级发现"),
            *((c.id, f"{c.id} {c.title}") for c in CATALOGUE.values()),
        ],
    )
    q = forms.CharField(label="项目名称", required=False)

    def __init__(self, *args: object, access: Access, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


#: how many units matched by name are handed to PostgreSQL as a list of ids (see _matched_units)
_LISTED_UNITS = 200


def _matched_units(units: QuerySet[Organisation]) -> list[int] | QuerySet[Organisation]:
    """What a record's unit must be among: the ids of ``units``, or on PostgreSQL past :data:`_LISTED_UNITS` of
    them the match itself, to be joined (it plans a list of a thousand ids for some milliseconds at every query).
    SQLite joins such a match the slow way round, and always takes the list."""
    if connection.vendor != "postgresql":
        return list(units.values_list("pk", flat=True))
    ids = list(units.values_list("pk", flat=True)[: _LISTED_UNITS + 1])
    return units.values("pk") if len(ids) > _LISTED_UNITS else ids


def apply_filters(records: QuerySet[EvaluationRecord], form: EvaluationFilterForm) -> QuerySet[EvaluationRecord]:
    if not form.is_bound or not form.is_valid():
        return records
    data = form.cleaned_data
    if data.get("year"):
        records = records.filter(year=data["year"])
    if data.get("unit"):
        # a text match, not a select: a finance bureau reaches thousands of units. The matching units first (a few
        # thousand names at most), then their records by the unit index, not a join the planner may walk the wrong way
        units = Organisation.objects.filter(text_match("name", data["unit"].strip())).order_by()
        records = records.filter(unit_id__in=_matched_units(units))
    if data.get("status"):
        records = records.filter(status=data["status"])
    if data.get("grade"):
        # a blank draft is stored as 差 but shown as 未评分: it is in no grade (as in the overview's counts)
        records = records.filter(Q(computed_grade=data["grade"]) & ~UNSCORED)
    if data.get("q"):
        records = records.filter(text_match("project_name", data["q"]))
    finding = data.get("finding")
    if finding == "any-error":
        records = records.filter(error_count__gt=0)
    elif finding:
        records = records.filter(Exists(StoredFinding.objects.filter(record=OuterRef("pk"), code=finding)))
    return records


def text_match(field: str, text: str) -> Q:
    """``field`` contains ``text``, whatever the case of its letters. Text with no letter that has a case (Chinese,
    digits) is matched as it is, which finds the same rows: PostgreSQL's case-blind match upper-cases every name it
    reads, several times the cost over the thousands of names of a 主管部门 or 财政局."""
    lookup = "contains" if text.upper() == text.lower() else "icontains"
    return Q(**{f"{field}__{lookup}": text})


def has_text_filter(form: EvaluationFilterForm) -> bool:
    return form.is_bound and form.is_valid() and bool(form.cleaned_data.get("q") or form.cleaned_data.get("unit"))


@dataclass(frozen=True, slots=True)
class ListRow:
    """One row of the list's or the overview's table: the stored figures as plain values. Fifty model instances,
    each with its unit, cost more than the query that reads them, and 20 people reading lists at once feel it."""

    pk: int
    year: int
    project_name: str
    unit_name: str
    status: str
    budget_wan: Decimal | None
    arrival_rate: Decimal | None
    execution_rate: Decimal | None
    claimed_score: Decimal | None
    computed_score: Decimal | None
    computed_grade: str | None
    review_score: Decimal | None
    error_count: int

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[Status(self.status)]


#: the columns of :class:`ListRow`, in its order (not the document, not the unit's other columns)
ROW_COLUMNS = tuple(name if name != "unit_name" else "unit__name" for name in ListRow.__dataclass_fields__)
STATUS_LABELS = {str(value): str(label) for value, label in Status.choices}


def table_rows(records: QuerySet[EvaluationRecord]) -> QuerySet[Any]:
    """``records`` as :data:`ROW_COLUMNS` tuples, for a paginator; :func:`list_rows_of` turns a page into rows."""
    return records.values_list(*ROW_COLUMNS)


def list_rows_of(page: Iterable[tuple[Any, ...]]) -> list[ListRow]:
    return [ListRow(*values) for values in page]


class DeferredRows:
    """``records`` (ordered) as :data:`ROW_COLUMNS` tuples for a paginator, a page read in two steps: its ids first,
    from the list's order index alone, then those rows. Under a text filter the database cannot tell how many rows
    match, and PostgreSQL then reads every row of a 主管部门's scope with its unit and sorts them all to keep fifty;
    the ids need only the index. The paginator's count is set by the caller."""

    def __init__(self, records: QuerySet[EvaluationRecord]) -> None:
        self.records = records

    def __len__(self) -> int:
        return self.records.count()

    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]:
        ids = list(self.records.values_list("pk", flat=True)[index])
        found = {row[0]: row for row in table_rows(EvaluationRecord.objects.filter(pk__in=ids).order_by())}
        return [found[pk] for pk in ids if pk in found]


def paged_rows(records: QuerySet[EvaluationRecord], form: EvaluationFilterForm) -> QuerySet[Any] | DeferredRows:
    """The rows of ``records`` (ordered) for a paginator: in two steps under a text filter (:class:`DeferredRows`),
    else in one query."""
    return DeferredRows(records) if has_text_filter(form) else table_rows(records)


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


#: a scope: AND-ed groups, each OR-ing organisation columns of the record to sets of ids (``[]`` is everything)
Scope = list[dict[str, set[int]]]
_SCOPE_COLUMNS = ("finance_id", "department_id", "unit_id")


def _scope_pair(node: object) -> tuple[str, int] | None:
    if isinstance(node, Exact) and not isinstance(node.rhs, (list, tuple, QuerySet)):
        column = getattr(getattr(node.lhs, "target", None), "column", None)
        if column in _SCOPE_COLUMNS and isinstance(node.rhs, int):
            return column, node.rhs
    return None


def scope_of(records: QuerySet[EvaluationRecord]) -> Scope | None:
    """What ``records`` (live records, :func:`access.visible`, perhaps narrowed to a 主管部门) may see, as a
    :data:`Scope`; None when the query holds anything else, and the caller counts the records themselves."""
    where = records.query.where
    if where.connector != AND or where.negated:
        return None
    live, scope = False, []
    for child in where.children:
        column = getattr(getattr(child, "lhs", None), "target", None)
        if isinstance(child, IsNull) and getattr(column, "column", None) == "deleted_at" and child.rhs:
            live = True
        elif (pair := _scope_pair(child)) is not None:
            scope.append({pair[0]: {pair[1]}})
        elif isinstance(child, WhereNode) and child.connector == OR and not child.negated:
            group: dict[str, set[int]] = {}
            for node in child.children:
                if isinstance(node, In) and not node.rhs:
                    continue  # Q(pk__in=[]): the empty start of an access scope
                pair = _scope_pair(node)
                if pair is None:
                    return None
                group.setdefault(pair[0], set()).add(pair[1])
            scope.append(group)
        else:
            return None
    return scope if live else None


def tally_filters(form: EvaluationFilterForm) -> dict[str, object] | None:
    """The form's filters the tallies can answer (year, status, grade), or None when another one is set."""
    if not form.is_bound or not form.is_valid():
        return {}  # apply_filters ignores an invalid form as a whole
    data = form.cleaned_data
    if data.get("unit") or data.get("q") or data.get("finding"):
        return None
    return {name: data[name] for name in ("year", "status", "grade") if data.get(name)}


def tally_where(scope: Scope, filters: dict[str, object]) -> tuple[str, list[object]] | None:
    """A WHERE clause on ``evaluations_tally`` for ``scope`` and ``filters`` (None: a unit's scope, not tallied)."""
    parts, params = ["1 = 1"], []
    for group in scope:
        alternatives = []
        for column, ids in sorted(group.items()):
            if column not in ("finance_id", "department_id"):
                return None
            alternatives.append(f"{column} IN ({', '.join(['%s'] * len(ids))})")
            params += sorted(ids)
        parts.append("(" + (" OR ".join(alternatives) or "1 = 0") + ")")
    for name, value in filters.items():
        parts.append(f"{name} = %s")
        params.append(value)
    return " AND ".join(parts), params


def tally_finding_where(scope: Scope, filters: dict[str, object]) -> tuple[str, list[object]] | None:
    """The same for ``evaluations_findingtally``: one level only, so a scope of 财政局s or of 主管部门s (or all)."""
    if len(scope) > 1 or (scope and len(scope[0]) > 1):
        return None
    parts, params = ["level = %s"], []
    if not scope:
        params.append("f")
    else:
        ((column, ids),) = scope[0].items()
        if column not in ("finance_id", "department_id"):
            return None
        params.append("f" if column == "finance_id" else "d")
        parts.append(f"scope_id IN ({', '.join(['%s'] * len(ids))})" if ids else "1 = 0")
        params += sorted(ids)
    for name, value in filters.items():
        parts.append(f"{name} = %s")
        params.append(value)
    return " AND ".join(parts), params


def tally_rows(sql: str, params: list[object]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def count(base: QuerySet[EvaluationRecord], records: QuerySet[EvaluationRecord], form: EvaluationFilterForm) -> int:
    """How many of ``records`` (``base`` filtered by ``form``) there are: from the tally when it can say, else counted."""
    scope, filters = scope_of(base), tally_filters(form)
    where = tally_where(scope, filters) if scope is not None and filters is not None else None
    if where is None:
        return records.count()
    ((total,),) = tally_rows(f"SELECT COALESCE(SUM(n), 0) FROM evaluations_tally WHERE {where[0]}", where[1])
    return int(total)
