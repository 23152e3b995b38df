"""A task's progress board: per 主管部门 (or, drilled down, per 预算单位) counts per status, the share submitted and
approved, how many are overdue, and the mean self score beside the mean computed score (both over the same
records: those with a self score and something to compute). One grouped query over
the records the viewer may see, so a 主管部门 sees its own units and finance sees all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from ...core.values import HUNDRED, quantize
from ..evaluations.choices import Status
from ..evaluations.models import EvaluationRecord
from ..evaluations.unscored import UNSCORED
from ..evaluations.workflow import UNSUBMITTED
from .models import Task

#: the records whose two scores are compared: the unit stated its score, and there is something to compute
COMPARABLE = Q(claimed_score__isnull=False, computed_score__isnull=False) & ~UNSCORED

#: past the 主管部门's review: approved by it, re-checked by finance, or published
APPROVED = (Status.DEPARTMENT_APPROVED, Status.FINANCE_REVIEWED, Status.PUBLISHED)


@dataclass
class BoardRow:
    key: int | None  # the 主管部门's or unit's id (None: the total row)
    name: str
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    mean_claimed: Decimal | None = None
    mean_computed: Decimal | None = None

    @property
    def status_counts(self) -> list[int]:
        """The count in each status, in the order of ``Status``."""
        return [self.by_status.get(s.value, 0) for s in Status]

    @property
    def submitted(self) -> int:
        return self.total - sum(self.by_status.get(s, 0) for s in UNSUBMITTED)

    @property
    def approved(self) -> int:
        return sum(self.by_status.get(s, 0) for s in APPROVED)

    def share(self, part: int) -> Decimal | None:
        return quantize(Decimal(part) * HUNDRED / self.total) if self.total else None

    @property
    def submitted_pct(self) -> Decimal | None:
        return self.share(self.submitted)

    @property
    def approved_pct(self) -> Decimal | None:
        return self.share(self.approved)


def board(task: Task, records: QuerySet[EvaluationRecord], by: str, today: dt.date) -> tuple[list[BoardRow], BoardRow]:
    """Rows grouped ``by`` "department" or "unit", and the total row, over ``records`` of ``task``."""
    column = {"department": "department", "unit": "unit"}[by]
    overdue = overdue_filter(task, today)
    grouped = (
        records.filter(task=task)
        .values(column, f"{column}__name", "status")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=overdue),
            claimed_sum=Sum("claimed_score", filter=COMPARABLE),
            claimed_n=Count("claimed_score", filter=COMPARABLE),
            computed_sum=Sum("computed_score", filter=COMPARABLE),
            computed_n=Count("computed_score", filter=COMPARABLE),
        )
        .order_by(f"{column}__name", column)
    )
    rows: dict[int | None, BoardRow] = {}
    sums: dict[int | None, list[Decimal]] = {}
    total = BoardRow(None, "合计")
    total_sums = [Decimal(0), Decimal(0), Decimal(0), Decimal(0)]
    for entry in grouped:
        key = entry[column]
        row = rows.setdefault(key, BoardRow(key, entry[f"{column}__name"] or "（未归属主管部门）"))
        acc = sums.setdefault(key, [Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
        for target, bucket in ((row, acc), (total, total_sums)):
            target.total += entry["n"]
            target.by_status[entry["status"]] = target.by_status.get(entry["status"], 0) + entry["n"]
            target.overdue += entry["late"]
            _add_mean(bucket, entry)
    for key, row in rows.items():
        row.mean_claimed, row.mean_computed = _means(sums[key])
    total.mean_claimed, total.mean_computed = _means(total_sums)
    return list(rows.values()), total


def overdue_filter(task: Task, today: dt.date) -> Q:
    """Records not yet submitted whose unit's 填报 deadline (the task's, or its latest extension) has passed."""
    from .reminders import unit_deadlines

    extended = unit_deadlines(task)
    late_extended = [unit for unit, deadline in extended.items() if today > deadline]
    late = Q(unit_id__in=late_extended)
    if today > task.unit_deadline:
        late |= ~Q(unit_id__in=list(extended))
    return Q(status__in=UNSUBMITTED) & late


def _add_mean(bucket: list[Decimal], entry: dict) -> None:
    """Sums and counts of the scores that exist (Count of a column skips NULLs), so means are exact."""
    bucket[0] += entry["claimed_sum"] or Decimal(0)
    bucket[1] += entry["claimed_n"]
    bucket[2] += entry["computed_sum"] or Decimal(0)
    bucket[3] += entry["computed_n"]


def _means(bucket: list[Decimal]) -> tuple[Decimal | None, Decimal | None]:
    claimed = quantize(bucket[0] / bucket[1]) if bucket[1] else None
    computed = quantize(bucket[2] / bucket[3]) if bucket[3] else None
    return claimed, computed
