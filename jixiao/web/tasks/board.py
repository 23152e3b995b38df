"""A task's progress board: per 主管部门 (or, drilled down, per 预算单位) counts per status, the share submitted and
approved, how many are overdue, and the mean self score beside the mean computed score (both over the same
records: those with a self score and something to compute). Over the records the viewer may see, so a 主管部门
sees its own units and finance sees all.

Per 主管部门, the figures are sums over the tally the database keeps exact on every write (migration 0006 of the
evaluations; a few hundred rows for a task of 100,000 projects); only the overdue count looks at records, of the few
units whose deadline was extended. Per unit (one 主管部门, drilled down) and for scopes the tally does not cover, one
grouped query over the records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.safestring import SafeString, mark_safe

from ...core.values import HUNDRED, fmt, quantize
from ..evaluations.choices import Status
from ..evaluations.filters import scope_of, tally_rows, tally_where
from ..evaluations.models import EvaluationRecord
from ..evaluations.unscored import UNSCORED
from ..evaluations.workflow import UNSUBMITTED
from ..organisations.models import Organisation
from .models import Task

#: the records whose two scores are compared: the unit stated its score, and there is something to compute
COMPARABLE = Q(claimed_score__isnull=False, computed_score__isnull=False) & ~UNSCORED

#: past the 主管部门's review: approved by it, re-checked by finance, or published
APPROVED = (Status.DEPARTMENT_APPROVED, Status.FINANCE_REVIEWED, Status.PUBLISHED)

#: the statuses as the plain strings the rows are keyed by (an enum member hashes in Python, a string in C: a board
#: of a hundred rows looks them up thousands of times)
_STATUSES = tuple(s.value for s in Status)
_UNSUBMITTED = tuple(s.value for s in UNSUBMITTED)
_APPROVED = tuple(s.value for s in APPROVED)
_UNSUBMITTED_AT = tuple(_STATUSES.index(s) for s in _UNSUBMITTED)


@dataclass
class BoardRow:
    key: int | None  # the 主管部门's or unit's id (None: the total row)
    name: str
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    mean_claimed: Decimal | None = None
    mean_computed: Decimal | None = None
    extended_to: dt.date | None = None  # a unit's 单位填报截止日期 as extended (the board sets it per unit)

    @property
    def status_counts(self) -> list[int]:
        """The count in each status, in the order of ``Status``."""
        return [self.by_status.get(s, 0) for s in _STATUSES]

    @property
    def submitted(self) -> int:
        return self.total - sum(self.by_status.get(s, 0) for s in _UNSUBMITTED)

    @property
    def approved(self) -> int:
        return sum(self.by_status.get(s, 0) for s in _APPROVED)

    def share(self, part: int) -> Decimal | None:
        return quantize(Decimal(part) * HUNDRED / self.total) if self.total else None

    @property
    def submitted_pct(self) -> Decimal | None:
        return self.share(self.submitted)

    @property
    def approved_pct(self) -> Decimal | None:
        return self.share(self.approved)

    @property
    def figures_html(self) -> SafeString:
        """The row's figure cells. Written here, not by a template included per row: a board of a hundred 主管部门
        spent most of its time including that template."""
        shares = [percent(self.submitted, self.total), percent(self.approved, self.total)]
        cells = [*self.status_counts, *shares, self.overdue, fmt(self.mean_claimed), fmt(self.mean_computed)]
        return mark_safe("".join(f'<td class="num">{cell}</td>' for cell in cells))  # numbers only


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` in percent to two places, rounded half up, as ``fmt_pct`` of :meth:`BoardRow.share`
    writes it, in whole-number arithmetic (a board writes hundreds of them)."""
    if not whole:
        return "—"
    hundredths = (part * 20000 + whole) // (2 * whole)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def board(
    task: Task,
    records: QuerySet[EvaluationRecord],
    by: str,
    today: dt.date,
    extended: dict[int, dt.date] | None = None,
) -> tuple[list[BoardRow], BoardRow]:
    """Rows grouped ``by`` "department" or "unit", and the total row, over ``records`` of ``task``; ``extended`` is
    :func:`~.reminders.unit_deadlines` of the task when the caller already has it."""
    from .reminders import unit_deadlines

    column = {"department": "department", "unit": "unit"}[by]
    extended = unit_deadlines(task) if extended is None else extended
    scope = scope_of(records)
    where = tally_where(scope, {"task_id": task.pk}) if scope is not None else None
    if where is not None:
        if by == "department":
            return _tallied(task, where, today, extended)
        return _per_unit(task, where, today, extended)
    overdue = overdue_filter(task, today, extended)
    grouped = (
        records.filter(task=task)
        .values_list(column, "status")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=overdue),
            comparable=Count("pk", filter=COMPARABLE),
            claimed_sum=Sum("claimed_score", filter=COMPARABLE),
            computed_sum=Sum("computed_score", filter=COMPARABLE),
        )
        .order_by()
    )
    late: dict[int | None, int] = {}
    pivoted: dict[int | None, list[int]] = {}
    for key, status, n, late_n, comparable, claimed_sum, computed_sum in grouped:
        late[key] = late.get(key, 0) + late_n
        figures = pivoted.setdefault(key, [0] * (len(_STATUSES) + 3))
        figures[_STATUSES.index(status)] += n
        for at, value in ((-3, comparable), (-2, _cents(claimed_sum)), (-1, _cents(computed_sum))):
            figures[at] += value
    names = dict(Organisation.objects.filter(pk__in={key for key in pivoted if key}).values_list("pk", "name"))
    entries = [(key, *figures) for key, figures in pivoted.items()]
    rows, sums = _cent_rows(entries, lambda key: names.get(key, "") if key else "（未归属主管部门）")
    for key, row in rows.items():
        row.overdue = late.get(key, 0)
    return _with_total(rows, sums)


def _tallied(
    task: Task, where: tuple[str, list[object]], today: dt.date, extended: dict[int, dt.date]
) -> tuple[list[BoardRow], BoardRow]:
    """:func:`board` per 主管部门 from ``evaluations_tally``; the overdue counts from the records of extended units."""
    # the sums as integers: PostgreSQL sums integers as numeric, and reading them as Decimal cost more than the sum
    entries, names = _with_names(
        f"SELECT department_id AS org_id, {_per_status('n')}, {_sum('comparable')}, {_sum('claimed_c')}, "
        f"{_sum('computed_c')} FROM evaluations_tally WHERE {where[0]} GROUP BY department_id",
        where[1],
    )
    late = _overdue_per_department(task, where, entries, today, extended)
    rows, sums = _cent_rows(entries, lambda key: names.get(key, "") if key else "（未归属主管部门）")
    for key, row in rows.items():
        row.overdue = late.get(key, 0)
    return _with_total(rows, sums)


def _with_names(grouped: str, params: list[object]) -> tuple[list[tuple[Any, ...]], dict[int, str]]:
    """The rows of ``grouped`` (SQL whose first column, ``org_id``, is an organisation's id) and the names of those
    organisations, read together."""
    # a name looked up per row, not a join: the planner, expecting hundreds of groups, would hash every organisation
    name = f"(SELECT o.name FROM {Organisation._meta.db_table} o WHERE o.id = g.org_id)"
    rows = tally_rows(f"SELECT g.*, {name} FROM ({grouped}) g", params)
    names = {int(row[0]): row[-1] for row in rows if row[0] and row[-1] is not None}
    return [row[:-1] for row in rows], names


_RECORDS = EvaluationRecord._meta.db_table

#: the records :data:`COMPARABLE` picks, in SQL (as ``comparable`` in migration 0006 of the evaluations)
_UNSCORED_SQL = "(computed_score IS NULL OR (computed_score = 0 AND arrival_rate IS NULL AND execution_rate IS NULL))"
_COMPARABLE_SQL = f"(claimed_score IS NOT NULL AND computed_score IS NOT NULL AND NOT {_UNSCORED_SQL})"


def _per_unit(
    task: Task, where: tuple[str, list[object]], today: dt.date, extended: dict[int, dt.date]
) -> tuple[list[BoardRow], BoardRow]:
    """:func:`board` per unit, in one plain query over the records of a scope the tallies describe (``where``, on
    the columns the records share with the tally): the ORM's grouped query with filtered aggregates cost more to
    build than to run. Scores are summed in hundredths, as the tally keeps them; a unit's records are overdue
    when not yet submitted and its deadline (extended or the task's) has passed."""
    cents = "CASE WHEN {c} THEN ROUND({column} * 100) ELSE 0 END"
    entries, names = _with_names(
        f"SELECT unit_id AS org_id, {_per_status('1')}, {_sum(f'CASE WHEN {_COMPARABLE_SQL} THEN 1 ELSE 0 END')}, "
        f"{_sum(cents.format(c=_COMPARABLE_SQL, column='claimed_score'))}, "
        f"{_sum(cents.format(c=_COMPARABLE_SQL, column='computed_score'))} "
        f"FROM {_RECORDS} WHERE deleted_at IS NULL AND {where[0]} GROUP BY unit_id",
        where[1],
    )
    rows, sums = _cent_rows(entries, lambda key: names.get(key or 0, ""))
    for key, row in rows.items():
        if key is not None and today > extended.get(key, task.unit_deadline):
            row.overdue = sum(row.by_status.get(status, 0) for status in _UNSUBMITTED)
    return _with_total(rows, sums)


def _sum(expression: str) -> str:
    """SQL summing ``expression`` (whole numbers) to an integer on either database."""
    integer = "BIGINT" if connection.vendor == "postgresql" else "INTEGER"
    return f"CAST(SUM({expression}) AS {integer})"


def _per_status(count: str) -> str:
    """SQL columns: ``count`` summed for each status, in the order of :data:`_STATUSES` (one row per organisation,
    not one per organisation and status: a task's board reads a hundred rows, not six hundred)."""
    return ", ".join(_sum(f"CASE WHEN status = '{status}' THEN {count} ELSE 0 END") for status in _STATUSES)


def _cent_rows(
    entries: list[tuple[Any, ...]], name_of: Callable[[int | None], str]
) -> tuple[dict[int | None, BoardRow], dict[int | None, list[int]]]:
    """Rows from ``(key, n per status (as _STATUSES)…, comparable, claimed_c, computed_c)`` entries, and per row
    its comparable records and their claimed and computed scores summed in hundredths."""
    rows: dict[int | None, BoardRow] = {}
    sums: dict[int | None, list[int]] = {}
    for raw_key, *figures in entries:
        key = (int(raw_key) or None) if raw_key is not None else None
        counts = [(status, int(n)) for status, n in zip(_STATUSES, figures, strict=False) if n]
        if not counts:
            continue
        row = rows.get(key)
        if row is None:
            row = rows[key] = BoardRow(key, name_of(key))
            sums[key] = [0, 0, 0]
        for status, n in counts:
            row.total += n
            row.by_status[status] = row.by_status.get(status, 0) + n
        acc = sums[key]
        for at, value in enumerate(figures[-3:]):
            acc[at] += int(value or 0)
    return rows, sums


def _with_total(rows: dict[int | None, BoardRow], sums: dict[int | None, list[int]]) -> tuple[list[BoardRow], BoardRow]:
    """The rows with their mean scores, in name order, and the total row."""
    total = BoardRow(None, "合计")
    total_sums = [0, 0, 0]
    for key, row in rows.items():
        row.mean_claimed, row.mean_computed = _cent_means(sums[key])
        total.total += row.total
        total.overdue += row.overdue
        for status, n in row.by_status.items():
            total.by_status[status] = total.by_status.get(status, 0) + n
        total_sums = [a + b for a, b in zip(total_sums, sums[key], strict=True)]
    total.mean_claimed, total.mean_computed = _cent_means(total_sums)
    return sorted(rows.values(), key=lambda r: (r.key is None, r.name, r.key or 0)), total


def _cent_means(acc: list[int]) -> tuple[Decimal | None, Decimal | None]:
    """Means of sums kept in hundredths of a point over ``acc[0]`` records."""
    if not acc[0]:
        return None, None
    return quantize(Decimal(acc[1]) / HUNDRED / acc[0]), quantize(Decimal(acc[2]) / HUNDRED / acc[0])


def _overdue_per_department(
    task: Task,
    where: tuple[str, list[object]],
    entries: list[tuple[Any, ...]],
    today: dt.date,
    extended: dict[int, dt.date],
) -> dict[int | None, int]:
    """Unsubmitted records of units past their deadline (:func:`overdue_filter`), per 主管部门: after the task's
    deadline, all unsubmitted ones (tallied) less those of units whose extension still runs; before it, those of
    units whose (earlier) extension has run out. Either way only a few units' records are read (``where``: the
    scope and task, on the columns the records share with the tally)."""
    out: dict[int | None, int] = {}
    if today > task.unit_deadline:
        for department, *counts in entries:
            key = (int(department) or None) if department is not None else None
            out[key] = out.get(key, 0) + sum(int(counts[at] or 0) for at in _UNSUBMITTED_AT)
        sign, units = -1, [unit for unit, deadline in extended.items() if today <= deadline]
    else:
        sign, units = 1, [unit for unit, deadline in extended.items() if today > deadline]
    if units:
        # grouped by unit as well: the index by task and unit then reaches these units' records directly, where
        # grouping by 主管部门 alone drew the planner to the one by task and 主管部门, which walks the whole task
        grouped = tally_rows(
            f"SELECT department_id, COUNT(*) FROM {_RECORDS} WHERE deleted_at IS NULL AND {where[0]} "
            f"AND status IN ({', '.join(['%s'] * len(_UNSUBMITTED))}) AND unit_id IN ({', '.join(['%s'] * len(units))}) "
            "GROUP BY unit_id, department_id",
            [*where[1], *_UNSUBMITTED, *units],
        )
        for department, n in grouped:
            key = int(department) if department else None
            out[key] = out.get(key, 0) + sign * int(n)
    return out


def overdue_filter(task: Task, today: dt.date, extended: dict[int, dt.date] | None = None) -> Q:
    """Records not yet submitted whose unit's 填报 deadline (the task's, or its latest extension: ``extended``, from
    :func:`~.reminders.unit_deadlines`) has passed."""
    from .reminders import unit_deadlines

    extended = unit_deadlines(task) if extended is None else extended
    late_extended = [unit for unit, deadline in extended.items() if today > deadline]
    late = Q(unit_id__in=late_extended)
    if today > task.unit_deadline:
        late |= ~Q(unit_id__in=list(extended))
    return Q(status__in=UNSUBMITTED) & late


def _cents(score_sum: Decimal | None) -> int:
    """A sum of scores (two decimal places) in hundredths, as the tally keeps it."""
    return int((score_sum or 0) * 100)
