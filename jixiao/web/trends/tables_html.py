"""The sections' tables written as HTML here, as the overview writes its rows (``evaluations/overview_html.py``): a
few hundred cells through the template engine cost more than the figures themselves. Every value is a number, a
fixed word or escaped."""

from __future__ import annotations

from html import escape

from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

from .sections import Section, cell_text


def table(section: Section, params: QueryDict) -> SafeString:
    """``section``'s table; a row's 「预算单位」 links to the dashboard narrowed to that unit (the other filters kept)."""
    kept = params.copy()
    for name in ("department", "unit"):
        kept.pop(name, None)
    prefix = escape(kept.urlencode() + "&" if kept else "")
    head = "".join(f"<th{_num(c.kind)}>{escape(c.label)}</th>" for c in section.columns)
    # per column: the cell's opening tag, once
    opening = [f'<td data-col="{escape(c.key)}"{_num(c.kind)}>' for c in section.columns]
    body = []
    for i, row in enumerate(section.rows):
        cells = []
        for c, start, value in zip(section.columns, opening, row, strict=True):
            text = cell_text(value, c.kind)
            if isinstance(value, str):
                text = escape(text)  # a number's text is digits, a point and 「%」 or 「—」
            if c.key == "unit" and i < len(section.links):
                link = section.links[i]  # ids: nothing to encode
                narrowed = "&amp;".join(f"{k}={v}" for k, v in link.items() if v is not None)
                text = f'<a href="?{prefix}{narrowed}">{text}</a>'
            cells.append(f"{start}{text}</td>")
        body.append(f'<tr data-row="{escape(cell_text(row[0], section.columns[0].kind))}">{"".join(cells)}</tr>')
    if not section.rows:
        body.append(f'<tr><td colspan="{len(section.columns)}" class="muted">没有符合条件的数据。</td></tr>')
    return mark_safe(
        f'<table id="{escape(section.key)}-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )  # every value above is a number, a fixed word or escaped


def _num(kind: str) -> str:
    return "" if kind == "text" else ' class="num"'
