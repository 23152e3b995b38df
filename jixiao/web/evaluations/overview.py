"""Overview for 主管部门 and 财政局: counts, findings, a score histogram and self/computed/复核 side by side.

Everything is counted by the database, so the page does the same small number of queries for 50 records or
500,000; only the 50 rows of the current table page are handled in Python. For a 财政局's or a 主管部门's
evaluations filtered by year, status or grade (the usual views), the counts are sums over the tallies the database
keeps exact on every write (migration 0006, ``filters.tally_where``); otherwise one aggregate query and one grouped
query for findings over the records. Nothing is cached: with people saving all day, no cached figure would last.
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
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ...core.checks import CATALOGUE
from ...core.values import fmt
from ..organisations.access import access_for
from ..organisations.models import Role
from . import overview_html, workflow
from .access import visible
from .choices import STATUS_COLOURS, Status
from .filters import (
    EvaluationFilterForm,
    ListRow,
    apply_filters,
    list_rows_of,
    paged_rows,
    scope_of,
    tally_filters,
    tally_finding_where,
    tally_rows,
    tally_where,
)
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
    record: ListRow
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


def _rows(records: list[ListRow]) -> list[Row]:
    def diff(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None else a - b

    rows = []
    for r in records:
        if record_unscored(r):
            rows.append(Row(r, None, None, unscored=True))
        else:
            rows.append(Row(r, diff(r.claimed_score, r.computed_score), diff(r.review_score, r.computed_score)))
    return rows


def _signed(gap: Decimal | None) -> str:
    if gap is None:
        return "—"
    return ("+" if gap > 0 else "") + fmt(gap)


def rows_html(rows: list[Row]) -> SafeString:
    """The score table's rows. Written here, not in the template: 50 rows of 11 cells through the template engine
    cost more than all the rest of the page. Every value is escaped."""
    base = reverse("evaluations:list")
    out = []
    for row in rows:
        r = row.record
        claim = " diff" if row.claim_flag else ""
        review = " diff" if row.review_flag else ""
        if row.unscored:
            computed, grade = '<td class="num muted unscored">未评分</td>', "—"
        else:
            computed, grade = f'<td class="num">{fmt(r.computed_score)}</td>', escape(r.computed_grade or "—")
        errors = f'<span class="sev-error">{r.error_count}</span>' if r.error_count else "0"
        out.append(
            f'<tr data-pk="{r.pk}">\n  <td>{r.year}</td>\n  <td><a href="{base}{r.pk}/">{escape(r.project_name)}</a></td>\n'
            f"  <td>{escape(r.unit_name)}</td>\n"
            f'  <td><span class="badge {r.status_colour}">{escape(r.status_label)}</span></td>\n'
            f'  <td class="num{claim}">{fmt(r.claimed_score)}</td>\n  {computed}\n'
            f'  <td class="num{review}">{fmt(r.review_score)}</td>\n'
            f'  <td class="num{claim}">{_signed(row.claim_gap)}</td>\n'
            f'  <td class="num{review}">{_signed(row.review_gap)}</td>\n'
            f'  <td>{grade}</td>\n  <td class="num">{errors}</td>\n</tr>'
        )
    return mark_safe("\n".join(out))  # every value above is a number, a fixed word or escaped


def tallied_summary(where: tuple[str, list[object]]) -> dict[str, Any]:
    """:func:`summarise` from ``evaluations_tally`` (rows per status and grade; ``u`` is 未评分)."""
    sums = ", ".join(f"SUM({m})" for m in ("n", "with_errors", "claim_gap", "review_gap", "bin0", "bin1", "bin2",
                                           "bin3", "bin4"))  # fmt: skip
    rows = tally_rows(f"SELECT status, grade, {sums} FROM evaluations_tally WHERE {where[0]} GROUP BY status, grade",
                      where[1])  # fmt: skip
    by_status: dict[str, int] = {}
    by_grade: dict[str, int] = {}
    figures = [0] * 8
    for status, grade, n, *rest in rows:
        n = int(n)
        by_status[str(status)] = by_status.get(str(status), 0) + n
        by_grade[str(grade)] = by_grade.get(str(grade), 0) + n
        figures = [a + int(b) for a, b in zip(figures, rest, strict=True)]
    with_errors, claim_gap, review_gap, *bins = figures
    return {
        "total": sum(by_status.values()),
        "with_errors": with_errors,
        "unscored": by_grade.get("u", 0),
        "claim_gap": claim_gap,
        "review_gap": review_gap,
        "by_status": [(s, STATUS_COLOURS[s], by_status.get(s.value, 0)) for s in Status],
        "by_grade": [(g, by_grade.get(g, 0)) for g in GRADES] + [("", by_grade.get("", 0) + by_grade.get("u", 0))],
        "bins": [(label, bins[i]) for i, (label, _, _) in enumerate(BINS)],
    }


def tallied_findings(where: tuple[str, list[object]], limit: int = TOP_FINDINGS) -> list[dict[str, Any]]:
    """:func:`top_findings` from ``evaluations_findingtally``."""
    rows = tally_rows(
        "SELECT code, SUM(records) AS r, SUM(occurrences) AS o, SUM(errors) FROM evaluations_findingtally "
        f"WHERE {where[0]} GROUP BY code HAVING SUM(occurrences) > 0 ORDER BY r DESC, o DESC, code LIMIT {int(limit)}",
        where[1],
    )
    out = []
    for code, records, occurrences, errors in rows:
        check = CATALOGUE.get(code)
        out.append({
            "code": code, "records": int(records), "occurrences": int(occurrences), "errors": int(errors),
            "title": check.title if check else "", "severity": check.severity if check else None,
        })  # fmt: skip
    return out


def figures(
    base: QuerySet[EvaluationRecord], records: QuerySet[EvaluationRecord], form: EvaluationFilterForm
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Counts and top findings of ``records`` (``base`` filtered by ``form``): from the tallies when they can say."""
    scope, filters = scope_of(base), tally_filters(form)
    where = finding_where = None
    if scope is not None and filters is not None:
        where, finding_where = tally_where(scope, filters), tally_finding_where(scope, filters)
    summary = tallied_summary(where) if where is not None else summarise(records)
    findings = tallied_findings(finding_where) if finding_where is not None else top_findings(records)
    return summary, findings


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.has_role(*OVERSEERS):
        raise PermissionDenied("汇总分析仅供主管部门审核人、财政绩效管理员和系统管理员使用")
    form = EvaluationFilterForm(request.GET or None, access=access)
    base = visible(access)
    records = apply_filters(base, form)

    summary, findings = figures(base, records, form)
    sort = request.GET.get("sort", "")
    if sort not in SORTS:
        sort = ""
    table = records  # read as the stored figures only (table_rows), not the whole document
    if sort:
        other = "claimed_score" if sort == "claim_gap" else "review_score"
        gap = Abs(F(other) - F("computed_score"))
        table = table.annotate(**{sort: Case(When(UNSCORED, then=Value(None)), default=gap)})
    table = table.order_by(*SORTS[sort])
    paginator = Paginator(paged_rows(table, form), PAGE_SIZE)
    paginator.count = summary["total"]  # type: ignore[misc]  # already counted by the aggregate above
    page = paginator.get_page(request.GET.get("page"))
    rows = _rows(list_rows_of(page))
    return render(
        request,
        "evaluations/overview.html",
        {
            "form": form,
            "summary": summary,
            "findings": findings,
            "status_rows": overview_html.status_rows(summary["by_status"], request.GET),
            "grade_rows": overview_html.grade_rows(summary["by_grade"], request.GET),
            "chart_svg": overview_html.chart_svg(histogram(summary["bins"])),
            "finding_rows": overview_html.finding_rows(findings, request.GET),
            "page": page,
            "rows": rows,
            "rows_html": rows_html(rows),
            "sort": sort,
            "gap": GAP,
        },
    )
