"""历年对比: five pages (等级分布, 预算执行率, 得分对照, 自评偏高的单位, 整改销号) over the same filters, and one workbook
of all their tables, for 主管部门审核人 (their units), 财政绩效管理员 (their 财政局's 主管部门) and the system
administrator; 403 for anyone else. Each page reads and draws only what it shows."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import scratch
from ..organisations.access import access_for
from . import figures, tables_html
from .access import scope_for
from .forms import TrendFilterForm
from .sections import PAGES, all_sections, build
from .xlsx import write_trends_xlsx


def _read(
    request: HttpRequest, *, gaps: bool, rectified: bool, gap_limit: int | None
) -> tuple[TrendFilterForm, figures.Trends, str]:
    """The form, the figures, and what the reader's own places are called."""
    scope = scope_for(access_for(request.user))
    departments, own = scope.places()
    form = TrendFilterForm(request.GET, scope=scope, departments=departments)
    trends = figures.read(
        scope, form.filters(), timezone.localdate(), gaps=gaps, rectified=rectified, gap_limit=gap_limit
    )
    form.show_years(trends.available, trends.years)
    return form, trends, own


def _chosen(form: TrendFilterForm, name: str, value: object) -> str:
    if value is None or name not in form.fields:
        return ""
    return str(dict(form.fields[name].choices).get(value, ""))  # type: ignore[attr-defined]


def describe(form: TrendFilterForm, trends: figures.Trends, own: str) -> tuple[str, str]:
    """(heading, conditions): whose evaluations over which years, and the filters besides."""
    f = trends.filters
    place = _chosen(form, "unit", f.unit) or _chosen(form, "department", f.department) or own
    years = f"{trends.years[0]}–{trends.years[-1]} 年度" if trends.years else ""
    conditions = []
    if f.unit is not None and f.department is not None:
        conditions.append(f"主管部门：{_chosen(form, 'department', f.department)}")
    if f.grade:
        conditions.append(f"计算等级：{figures.GRADE_LABELS[f.grade]}")
    if f.rules:
        conditions.append(f"评分规则：{_chosen(form, 'rules', f.rules)}")
    return f"{place} {years}", ("筛选条件：" + "；".join(conditions) + "。") if conditions else ""


def _tabs(current: str, query: str) -> str:
    """The pages as tabs, the current one in bold; each link keeps the filters."""
    out = []
    for name, title, _ in PAGES:
        if name == current:
            out.append(f"<b>{escape(title)}</b>")
        else:
            out.append(f'<a href="{_url(name)}{escape(query)}">{escape(title)}</a>')
    return mark_safe("".join(out))  # fixed words and an escaped query


_URLS: dict[str, str] = {}


def _url(name: str) -> str:
    """A page's path, reversed once per process (they never change)."""
    if name not in _URLS:
        _URLS[name] = reverse(f"trends:{name}")
    return _URLS[name]


def _page(name: str) -> Callable[[HttpRequest], HttpResponse]:
    title, keys = next((title, keys) for n, title, keys in PAGES if n == name)

    @login_required
    def page(request: HttpRequest) -> HttpResponse:
        form, trends, own = _read(
            request, gaps="gaps" in keys, rectified="rectifications" in keys, gap_limit=figures.GAP_ROWS_SHOWN
        )
        if "gaps" in keys:
            figures.name_units(trends.gaps)
        today = timezone.localdate()
        sections = [build(key, trends, today) for key in keys]
        heading, conditions = describe(form, trends, own)
        query = request.GET.urlencode()
        query = f"?{query}" if query else ""
        return render(
            request,
            "trends/dashboard.html",
            {
                "form": form,
                "trends": trends,
                "title": title,
                "action": _url(name),
                "tabs": _tabs(name, query),
                "heading": heading,
                "conditions": conditions,
                "panels": [
                    {
                        "section": s,
                        "table": tables_html.table(s, request.GET),
                        "chart": mark_safe(s.chart),  # svg_charts escapes every label
                    }
                    for s in sections
                ],
                "gap_count": trends.gap_count,
                "gap_rows_shown": figures.GAP_ROWS_SHOWN,
                "xlsx_query": query,
            },
        )

    page.__name__ = page.__qualname__ = f"{name}_page"
    return page


dashboard = _page("index")
execution = _page("execution")
scores = _page("scores")
gaps = _page("gaps")
rectifications = _page("rectifications")


@login_required
def workbook(request: HttpRequest) -> FileResponse:
    form, trends, own = _read(request, gaps=True, rectified=True, gap_limit=None)
    figures.name_units(trends.gaps)
    sections = all_sections(trends, timezone.localdate())
    heading, conditions = describe(form, trends, own)
    years = f"{trends.years[0]}-{trends.years[-1]}" if trends.years else ""
    return scratch.workbook_response(
        lambda path: write_trends_xlsx(sections, heading, conditions, path), f"历年对比{years}.xlsx"
    )
