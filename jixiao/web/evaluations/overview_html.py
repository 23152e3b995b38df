"""The overview's figure panels written as HTML here, as its score table is (``overview.rows_html``): the counts per
status and per grade, the score histogram and the commonest findings came to some two hundred template variables
and thirty query-string tags a request, half of the page's time when 20 people read it at once. The markup is what
the template wrote; every value is a number, a fixed word or escaped."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def query(params: QueryDict, **changes: str | None) -> str:
    """``params`` with ``changes`` (None removes a key), as Django's ``{% querystring %}`` writes it, escaped."""
    changed = params.copy()
    for key, value in changes.items():
        if value is None:
            changed.pop(key, None)
        else:
            changed[key] = value
    if not changed and not params:
        return ""
    return escape(f"?{changed.urlencode()}")


def status_rows(by_status: list[tuple[Any, str, int]], params: QueryDict) -> SafeString:
    return mark_safe(
        "".join(
            f'<tr data-status="{status.value}"><td><a href="{query(params, status=status.value, page=None)}">'
            f'<span class="badge {colour}">{escape(status.label)}</span></a></td><td class="num">{n}</td></tr>'
            for status, colour, n in by_status
        )
    )


def grade_rows(by_grade: list[tuple[str, int]], params: QueryDict) -> SafeString:
    cells = []
    for grade, n in by_grade:
        name = f'<a href="{query(params, grade=grade, page=None)}">{escape(grade)}</a>' if grade else "未定级"
        cells.append(f'<tr data-grade="{escape(grade)}"><td>{name}</td><td class="num">{n}</td></tr>')
    return mark_safe("".join(cells))


def chart_svg(chart: dict[str, Any]) -> SafeString:
    bars = chart["bars"]
    title = "；".join(f"{escape(bar.label)} 分 {bar.count} 项" for bar in bars)
    groups = "".join(
        f"""
  <g class="bin">
    <rect class="hist-bar" data-bin="{escape(bar.label)}" data-count="{bar.count}" x="{bar.x}" y="{bar.y}" \
width="{bar.width}" height="{bar.height}" fill="#1d4ed8"><title>{escape(bar.label)} 分：{bar.count} 项</title></rect>
    <text x="{bar.label_x}" y="{bar.count_y}" text-anchor="middle" font-size="14" fill="#1f2933">{bar.count}</text>
    <text x="{bar.label_x}" y="{chart["label_y"]}" text-anchor="middle" font-size="13" fill="#616e7c">\
{escape(bar.label)}</text>
  </g>"""
        for bar in bars
    )
    return mark_safe(
        f'<svg id="score-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart["width"]} {chart["height"]}" '
        'width="100%" role="img" aria-labelledby="score-chart-title">\n'
        f'  <title id="score-chart-title">计算得分分布：{title}</title>\n'
        f'  <line x1="{chart["left"]}" y1="{chart["base"]}" x2="{chart["right"]}" y2="{chart["base"]}" '
        'stroke="#9aa5b1" stroke-width="1"/>'
        f"{groups}\n</svg>"
    )


def finding_rows(findings: list[dict[str, Any]], params: QueryDict) -> SafeString:
    if not findings:
        return mark_safe('<tr><td colspan="5" class="muted">没有检查发现。</td></tr>')
    out = []
    for f in findings:
        severity = f' class="sev-{f["severity"].value}"' if f["severity"] else ""
        out.append(
            f'<tr data-code="{escape(f["code"])}"><td><a href="{query(params, finding=f["code"], page=None)}">'
            f'{escape(f["code"])}</a></td><td{severity}>{escape(f["title"])}</td><td class="num">{f["records"]}</td>'
            f'<td class="num">{f["occurrences"]}</td><td class="num">{f["errors"]}</td></tr>'
        )
    return mark_safe("".join(out))
