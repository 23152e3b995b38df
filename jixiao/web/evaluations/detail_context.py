"""What the detail page shows beside the engine result: the score table's rows with their explanations,
findings with their place to fix and the unit's explanation, and the return notice.

The score table is the public page's (:mod:`jixiao.core.score_table`): every 合计 is the sum of the
figures printed above it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core.locations import location_label
from ...core.result import EvaluationResult, Finding, Severity
from ...core.score_table import ScoreRow, ScoreTable
from .choices import Action, Status
from .fix_links import fix_url
from .models import EvaluationRecord, Transition


def score_rows(result: EvaluationResult, table: ScoreTable) -> list[tuple[ScoreRow, str]]:
    """The rows of ``table`` (the public page's, so both pages print the same figures and sums), each with why."""
    why = (
        [result.execution_score.explanation.text() if result.execution_score else ""] if result.execution_points else []
    )
    why += [s.explanation.text() for s in result.indicators]
    return list(zip(table.rows, why, strict=True))


@dataclass(frozen=True, slots=True)
class FindingRow:
    finding: Finding
    where: str  # location_label
    fix: str | None  # link to the edit page, for those who may edit
    explanation: str | None
    explainable: bool  # errors and warnings may be explained by the unit

    @property
    def blocks(self) -> bool:
        return self.finding.severity is Severity.ERROR and self.explanation is None


def finding_rows(result: EvaluationResult, record: EvaluationRecord, can_edit: bool) -> list[FindingRow]:
    return [
        FindingRow(
            finding=f,
            where=location_label(f.location),
            fix=fix_url(record.pk, f.location, result.evaluation) if can_edit else None,
            explanation=result.explanation_of(f),
            explainable=f.severity in (Severity.ERROR, Severity.WARNING),
        )
        for f in result.findings
    ]


def return_notice(record: EvaluationRecord) -> Transition | None:
    """The return that put the record in 已退回 (who, when, why), while it is there."""
    if record.status != Status.RETURNED:
        return None
    return record.transitions.filter(action=Action.RETURN).order_by("-created_at", "-pk").first()
