"""The board's table rows, written here rather than by the template: a board of a hundred 主管部门 (or a 主管部门's
hundred units, each with its reminder and extension forms) spent most of its time in the template engine.
Every value written is a number, a fixed word, a URL built here or escaped."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.db import connection
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ..organisations.models import Organisation
from .board import BoardRow
from .models import Reminder, Task


def _name_cell(row: BoardRow, by: str, list_url: str) -> str:
    if by == "department" and row.key:
        return f'<a href="?department={row.key}">{escape(row.name)}</a>'
    return f'<a href="{list_url}?q=&amp;unit={escape(quote(row.name))}">{escape(row.name)}</a>'


def _manage_cells(remind_url: str, extend_url: str, department: str, csrf: str) -> tuple[str, str, str]:
    """The parts of a unit's 提醒与延期 cell that are the same on every row (the row puts its unit id between them):
    a board of a 主管部门's hundred units writes them once."""
    hidden = '<input type="hidden" name="unit" value="{unit}"><input type="hidden" name="department" value="%s">'
    hidden %= department  # digits only (see board_rows)
    remind = (
        f'<td class="manage">\n  <form method="post" action="{escape(remind_url)}" class="inline">{csrf}{hidden}'
        '<button type="submit" class="secondary">发送提醒</button></form>\n'
    )
    extend = (
        f'  <details><summary>延期</summary>\n  <form method="post" action="{escape(extend_url)}" novalidate>{csrf}{hidden}\n'
        '    <label>延至：<input type="date" name="deadline" required></label> '
        '<label>理由：<input name="reason" maxlength="500" required></label> '
        '<button type="submit" class="secondary">批准延期</button></form></details>\n'
    )
    return remind, extend, "  {extended}\n</td>"


def _manage_cell(row: BoardRow, parts: tuple[str, str, str]) -> str:
    unit = row.key or ""  # a number
    extended = (
        f'<div class="muted">已延至 {row.extended_to.year}年{row.extended_to.month}月{row.extended_to.day}日</div>'
        if row.extended_to
        else ""
    )
    remind, extend, end = parts
    return (
        remind.replace("{unit}", str(unit)) + extend.replace("{unit}", str(unit)) + end.replace("{extended}", extended)
    )


def board_rows(
    rows: list[BoardRow],
    by: str,
    *,
    manage: bool,
    list_url: str,
    remind_url: str,
    extend_url: str,
    department: str,
    csrf_token: str,
) -> SafeString:
    """The ``<tr>`` of every row (the forms to remind and extend only for a manager looking at units)."""
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
    department = department if department.isdigit() else ""
    parts = _manage_cells(remind_url, extend_url, department, csrf)
    out = []
    for row in rows:
        cells = f'<td>{_name_cell(row, by, list_url)}</td><td class="num">{row.total}</td>\n{row.figures_html}'
        if by == "unit" and manage:
            cells += "\n" + _manage_cell(row, parts)
        out.append(f'<tr data-key="{row.key or ""}">{cells}</tr>')
    return mark_safe("\n".join(out))  # see the module's docstring


#: a task's latest reminders with their organisations' names (a plain query: the board asks on every view)
_REMINDERS_SQL = (
    f"SELECT r.sent_at, o.name, r.kind, r.deadline, r.pending, r.recipients FROM {Reminder._meta.db_table} r "
    f"JOIN {Organisation._meta.db_table} o ON o.id = r.organisation_id WHERE r.task_id = %s "
    "ORDER BY r.sent_at DESC, r.id DESC LIMIT %s"
)


def reminder_rows(task: Task, limit: int = 20) -> SafeString:
    """The task's latest reminders as table rows (empty when none has been sent)."""
    kinds = dict(Reminder.Kind.choices)
    with connection.cursor() as cursor:
        cursor.execute(_REMINDERS_SQL, [task.pk, limit])
        latest = cursor.fetchall()
    return mark_safe(
        "".join(
            f"<tr><td>{_local(sent):%Y-%m-%d %H:%M}</td><td>{escape(name)}</td>"
            f"<td>{escape(kinds.get(kind, kind))}</td><td>{deadline:%Y-%m-%d}</td>"
            f'<td class="num">{pending}</td><td class="num">{recipients}</td></tr>'
            for sent, name, kind, deadline, pending, recipients in latest
        )
    )


def _local(moment: dt.datetime) -> dt.datetime:
    """A stored moment in local time: SQLite hands a plain query its UTC time without the zone."""
    return timezone.localtime(moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC))
