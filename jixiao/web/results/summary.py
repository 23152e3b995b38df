"""The figures of a 财政局's 结果应用汇总表 for a year, one row per 主管部门, each measure one GROUP BY over the
evaluations (or the 整改事项), never a loop over the records; and the workbook (``io.xlsx.results_summary``).

Amounts are summed in the database (PostgreSQL exactly, as ``numeric``; SQLite, which has no decimal type, in
floating point like every sum it makes, then quantized to the 4 places of the amounts). 全年执行数 is the record's
``spent_wan``, kept by the save path beside 全年预算数.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum

from ...core.sampling import NO_DEPARTMENT
from ...core.values import quantize
from ...io.xlsx.results_summary import SummaryRow, total_of, write_results_summary
from ..evaluations.models import EvaluationRecord
from ..organisations.models import Organisation
from .access import budget_records
from .models import Rectification
from .services import GRADE_USED

_TABLE = EvaluationRecord._meta.db_table
_PLACES = Decimal("0.0001")
_AMOUNT = DecimalField(max_digits=24, decimal_places=4)


def _amount(value: Any) -> Decimal:
    return Decimal(0) if value is None else quantize(Decimal(str(value)), _PLACES)


def summary_rows(finance: Organisation, year: int) -> list[SummaryRow]:
    """One row per 主管部门 of ``finance`` with evaluations in ``year`` (submitted and later), in the order of their
    codes, then names; evaluations of no 主管部门 last."""
    records = budget_records(Organisation.objects.filter(pk=finance.pk)).filter(year=year).order_by()
    reviewed = Q(review_score__isnull=False)
    gap = reviewed & Q(claimed_score__isnull=False)
    sums = {
        row["department_id"]: row
        for row in records.values("department_id").annotate(
            count=Count("pk"),
            budget=Sum("budget_wan"),
            executed=Sum("spent_wan"),
            reviewed=Count("pk", filter=reviewed),
            gap_count=Count("pk", filter=gap),
            gap_sum=Sum(ExpressionWrapper(F("claimed_score") - F("review_score"), output_field=_AMOUNT), filter=gap),
        )
    }
    grades: dict[int | None, dict[str, int]] = defaultdict(dict)
    for department, grade, n in (
        records.annotate(grade=GRADE_USED).values("department_id", "grade").annotate(n=Count("pk"))
        .values_list("department_id", "grade", "n")
    ):  # fmt: skip
        grades[department][grade] = n
    closed = Q(state=Rectification.State.CLOSED)
    items = {
        row["department_id"]: row
        for row in Rectification.objects.filter(finance=finance, year=year, record__deleted_at__isnull=True)
        .order_by()
        .values("department_id")
        .annotate(closed=Count("pk", filter=closed), unclosed=Count("pk", filter=~closed))
    }
    named = {pk: (code, name) for pk, code, name in Organisation.objects.filter(pk__in=[d for d in sums if d])
             .values_list("pk", "code", "name")}  # fmt: skip
    order = {department: (department is None, *named.get(department, ("", ""))) for department in sums}
    rows = [
        SummaryRow(
            department=named[department][1] if department in named else NO_DEPARTMENT,
            count=row["count"],
            grades=grades[department],
            budget_wan=_amount(row["budget"]),
            executed_wan=_amount(row["executed"]),
            reviewed=row["reviewed"],
            gap_count=row["gap_count"],
            gap_sum=_amount(row["gap_sum"]),
            closed=items.get(department, {}).get("closed", 0),
            unclosed=items.get(department, {}).get("unclosed", 0),
        )
        for department, row in sorted(sums.items(), key=lambda pair: order[pair[0]])
    ]
    return rows


def summary_title(finance: Organisation, year: int) -> str:
    return f"{finance.name}{year}年度项目支出绩效自评结果应用汇总表"


def write_summary(finance: Organisation, year: int, path: Path) -> Path:
    rows = summary_rows(finance, year)
    return write_results_summary(
        rows, total_of(rows), title=summary_title(finance, year), year=year, issuer=finance.name, path=path
    )
