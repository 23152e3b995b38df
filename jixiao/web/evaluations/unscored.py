"""When an evaluation has nothing to score yet (未评分), so that a blank draft is not shown as 「0.00 分 差」.

One rule everywhere: the engine result has no indicator with a score that enters the total (computed or the
unit's own, carried) and no funds arrived or spent (a budget alone scores nothing). The detail page applies it
to the result; lists and the overview only have the stored columns, where the same state reads: computed total
0 and no arrival or execution rate (or no computed total at all). (The two differ only for a draft whose every
entered score is exactly 0 and which has no arrivals or spending: the result calls that scored, 0.00; the list
calls it 未评分.)
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ...core import EvaluationResult

#: the stored columns of a record with nothing scored, as a query condition (no computed total at all counts too)
UNSCORED = Q(computed_score__isnull=True) | (
    Q(computed_score=0) & Q(arrival_rate__isnull=True, execution_rate__isnull=True)
)


def record_unscored(record: Any) -> bool:
    """:data:`UNSCORED` for one record (an ``EvaluationRecord`` or anything with its columns)."""
    if record.computed_score is None:
        return True
    return record.computed_score == 0 and record.arrival_rate is None and record.execution_rate is None


def is_unscored(value: Any) -> bool:
    """The rule for an engine result or a stored record, whichever is at hand."""
    if isinstance(value, EvaluationResult):
        return value.unscored
    return record_unscored(value)
