"""Overview for 主管部门 and 财政局: counts, findings, a score histogram and self/computed/复核 side by side.

Everything is counted by the database (one aggregate query, one grouped query for findings), so the page
does the same small number of queries for 50 records or 50,000; only the 50 rows of the current table page
are handled in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Abs
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ...core.checks import CATALOGUE
from ..organisations.access import access_for
from ..organisations.models import Role
from . import workflow
from .access import visible
from .choices import STATUS_COLOURS, Status
from .filters import EvaluationFilterForm, apply_filters, cache_key, cached
from .models import EvaluationRecord, StoredFinding
from .unscored import UNSCORED, record_unscored

#: roles that may see the overview (a 系统管理员 always may)
OVERSEERS = (*workflow.REVIEWERS, Role.SYSTEM_ADMIN)

#: histogram bins of the computed score: label, lower bound (inclusive), upper bound (exclusive)
BINS: tuple[tuple[str, int | None, int | None], ...] = (
    ("0–59", None, 60),
    ("60–69", 60, 70),
    ("70–79", 70, 80),
    ("80–89", 80, 90),
    ("90–100", 90, None),
)

GRADES = ("优", "良", "中", "差")

#: a difference between two scores larger than this is highlighted
GAP = Decimal("0.5")
#: the same test in SQL: scores have two decimals, so "> 0.50" is "≥ 0.51"; comparing with 0.505 keeps SQLite's
#: floating-point arithmetic on the stored decimals from tipping an exact 0.50 either way
_GAP_SQL = Decimal("0.505")

PAGE_SIZE = 50
TOP_FINDINGS = 10

SORTS = {
    "": ("-year", "project_name", "pk"),
    "claim_gap": (F("claim_gap").desc(nulls_last=True), "-year", "project_name", "pk"),
    "review_gap": (F("review_gap").desc(nulls_last=True), "-year", "project_name", "pk"),
}

# SVG geometry of the histogram (user units)
_CHART_W, _CHART_H = 560, 260
_LEFT, _BOTTOM, _TOP = 40, 36, 28
_BAR_W, _BAR_GAP = 72, 28


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    height: float
    width: float
    label_x: float
    count_y: float


@dataclass(frozen=True)
class Row:
    record: EvaluationRecord
    claim_gap: Decimal | None  # 自评 − 计算
    review_gap: Decimal | None  # 复核 − 计算
    unscored: bool = False  # 未评分: nothing to compare with

    @property
    def claim_flag(self) -> bool:
        return self.claim_gap is not None and abs(self.claim_gap) > GAP

    @property
    def review_flag(self) -> bool:
        return self.review_gap is not None and abs(self.review_gap) > GAP


def _gap(a: str, b: str) -> Q:
    """Fields ``a`` and ``b`` both filled in and more than 0.5 apart."""
    return Q(**{f"{a}__gt": F(b) + _GAP_SQL}) | Q(**{f"{a}__lt": F(b) - _GAP_SQL})


def _bin_q(low: int | None, high: int | None) -> Q:
    q = Q(computed_score__isnull=False) & ~UNSCORED
    if low is not None:
        q &= Q(computed_score__gte=low)
    if high is not None:
        q &= Q(computed_score__lt=high)
    return q


def summarise(records: QuerySet[EvaluationRecord]) -> dict[str, Any]:
    """Every count on the page in one aggregate query (COUNT … FILTER / CASE WHEN per figure)."""
    figures: dict[str, Any] = {
        "total": Count("pk"),
        "with_errors": Count("pk", filter=Q(error_count__gt=0)),
        # a blank draft is stored as 0.00 分 差; it is 未评分, in no grade, bin or gap
        "unscored": Count("pk", filter=UNSCORED),
        "ungraded": Count("pk", filter=Q(computed_grade="") | UNSCORED),
        "claim_gap": Count("pk", filter=_gap("claimed_score", "computed_score") & ~UNSCORED),
        "review_gap": Count("pk", filter=_gap("review_score", "computed_score") & ~UNSCORED),
    }
    for i, status in enumerate(Status):
        figures[f"status_{i}"] = Count("pk", filter=Q(status=status))
    for i, grade in enumerate(GRADES):
        figures[f"grade_{i}"] = Count("pk", filter=Q(computed_grade=grade) & ~UNSCORED)
    for i, (_, low, high) in enumerate(BINS):
        figures[f"bin_{i}"] = Count("pk", filter=_bin_q(low, high))
    raw = records.aggregate(**figures)
    return {
        "total": raw["total"],
        "with_errors": raw["with_errors"],
        "unscored": raw["unscored"],
        "claim_gap": raw["claim_gap"],
        "review_gap": raw["review_gap"],
        "by_status": [(s, STATUS_COLOURS[s], raw[f"status_{i}"]) for i, s in enumerate(Status)],
        "by_grade": [(g, raw[f"grade_{i}"]) for i, g in enumerate(GRADES)] + [("", raw["ungraded"])],
        "bins": [(label, raw[f"bin_{i}"]) for i, (label, _, _) in enumerate(BINS)],
    }


def top_findings(records: QuerySet[EvaluationRecord], limit: int = TOP_FINDINGS) -> list[dict[str, Any]]:
    """The most frequent check ids among ``records``: how many evaluations have each, and how often it occurs."""
    rows = (
        StoredFinding.objects.filter(record__in=records.values("pk"))
        .values("code")
        .annotate(
            records=Count("record", distinct=True),
            occurrences=Count("pk"),
            errors=Count("pk", filter=Q(severity="error")),
        )
        .order_by("-records", "-occurrences", "code")[:limit]
    )
    out = []
    for row in rows:
        check = CATALOGUE.get(row["code"])
        out.append({**row, "title": check.title if check else "", "severity": check.severity if check else None})
    return out


def histogram(bins: list[tuple[str, int]]) -> dict[str, Any]:
    """Bar geometry for the inline SVG: heights proportional to the largest bin."""
    top = max((n for _, n in bins), default=0) or 1
    plot_h = _CHART_H - _BOTTOM - _TOP
    base = _CHART_H - _BOTTOM
    bars = []
    for i, (label, n) in enumerate(bins):
        h = round(plot_h * n / top, 1)
        x = _LEFT + _BAR_GAP / 2 + i * (_BAR_W + _BAR_GAP)
        y = round(base - h, 1)
        bars.append(Bar(label, n, x, y, h, _BAR_W, x + _BAR_W / 2, y - 6))
    return {
        "bars": bars,
        "width": _CHART_W,
        "height": _CHART_H,
        "base": base,
        "left": _LEFT,
        "right": _CHART_W - 8,
        "label_y": base + 20,
    }


def _rows(records: list[EvaluationRecord]) -> list[Row]:
    def diff(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None else a - b

    rows = []
    for r in records:
        if record_unscored(r):
            rows.append(Row(r, None, None, unscored=True))
        else:
            rows.append(Row(r, diff(r.claimed_score, r.computed_score), diff(r.review_score, r.computed_score)))
    return rows


class _LazyRows:
    """The table rows, read from the database only when iterated: a cached fragment never asks for them."""

    def __init__(self, page: Any) -> None:
        self._page = page
        self._rows: list[Row] | None = None

    def _load(self) -> list[Row]:
        if self._rows is None:
            self._rows = _rows(list(self._page.object_list))
        return self._rows

    def __iter__(self) -> Any:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __getitem__(self, index: Any) -> Any:
        return self._load()[index]


def _figures(request: HttpRequest, access: Any, records: QuerySet[EvaluationRecord]) -> tuple[dict[str, Any], list]:
    """Counts and top findings, reused until any evaluation changes (see :func:`filters.cached`)."""
    return cached(request, access, "overview", lambda: (summarise(records), top_findings(records)))


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.has_role(*OVERSEERS):
        raise PermissionDenied("汇总分析仅供主管部门审核人、财政绩效管理员和系统管理员使用")
    form = EvaluationFilterForm(request.GET or None, access=access)
    records = apply_filters(visible(access), form)

    summary, findings = _figures(request, access, records)
    sort = request.GET.get("sort", "")
    if sort not in SORTS:
        sort = ""
    table = records.defer("document")  # the table needs the stored figures, not the whole document
    if sort:
        other = "claimed_score" if sort == "claim_gap" else "review_score"
        gap = Abs(F(other) - F("computed_score"))
        table = table.annotate(**{sort: Case(When(UNSCORED, then=Value(None)), default=gap)})
    table = table.order_by(*SORTS[sort])
    paginator = Paginator(table, PAGE_SIZE)
    paginator.count = summary["total"]  # type: ignore[misc]  # already counted by the aggregate above
    page = paginator.get_page(request.GET.get("page"))

    return render(
        request,
        "evaluations/overview.html",
        {
            "form": form,
            "summary": summary,
            "findings": findings,
            "chart": histogram(summary["bins"]),
            "page": page,
            "rows": _LazyRows(page),
            "sort": sort,
            "gap": GAP,
            "fragment": cache_key(request, access, "overview-body", with_page=True),
        },
    )
