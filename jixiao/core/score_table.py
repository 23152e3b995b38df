"""The score table as every page and document prints it (the 附1 layout): every printed total is the sum of the
figures printed above it. The web pages, the report and the tests all take their rows and totals from here.

Each figure is taken as printed (2 places, as the core already rounds every scored line), and each total is
summed from those printed figures, so a reader adding up a column gets the total shown. Where a sum cannot
be honest (a self-score missing) the table says 不完整 instead of printing a wrong number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .result import EvaluationResult, ScoreBasis, compare_scores, score_value


@dataclass(frozen=True)
class ScoreRow:
    name: str
    points: Decimal | None
    target: str
    actual: str
    claimed: Decimal | None  # the unit's own score, as printed
    computed: Decimal | None  # the score entering the computed total, as printed
    note: str = ""  # how the computed figure came about, when not simply computed
    not_applicable: bool = False


@dataclass(frozen=True)
class ScoreTable:
    rows: list[ScoreRow]
    points_total: Decimal
    claimed_total: Decimal | None  # None: some self-score is missing (不完整)
    rescaling: Decimal | None  # 不适用指标折算: the step from the printed parts to the rescaled total
    computed_total: Decimal | None  # result.total.value; None when no total can be given
    stated_total: Decimal | None  # the unit's stated total (所述自评总分), which may differ from its parts
    carried: str  # the share of the computed total that is only the unit's own scores
    comparison: str  # 比单位自评低 4.50 分 / 与单位自评一致
    unscored: bool  # nothing to score yet (未评分)
    total_note: str  # why there is no computed total, if there is none


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{score_value(value)}%"


def score_table(result: EvaluationResult) -> ScoreTable:
    evaluation = result.evaluation
    rows: list[ScoreRow] = []
    if result.execution_points:
        execution = result.execution_score
        rows.append(
            ScoreRow(
                name="预算执行率",
                points=result.execution_points,
                target="100%",
                actual=_pct(result.funds.execution_rate.value),
                claimed=score_value(evaluation.claims.execution_score),
                computed=score_value(execution.value) if execution is not None else None,
            )
        )
    for s in result.indicators:
        na = s.indicator.not_applicable
        rows.append(
            ScoreRow(
                name=" › ".join(s.path),
                points=s.points,
                target=s.indicator.target or "—",
                actual=s.indicator.actual or "—",
                claimed=None if na else s.claimed,
                computed=None if na else s.used,
                note="采用自评分，须人工复核" if s.basis is ScoreBasis.CLAIMED and not na else "",
                not_applicable=na,
            )
        )
    counted = [r for r in rows if not r.not_applicable]
    points_total = sum((score_value(r.points) or Decimal(0) for r in counted), Decimal(0))
    claimed_parts = [r.claimed for r in counted]
    claimed_total = None if any(c is None for c in claimed_parts) else sum(claimed_parts, Decimal(0))
    computed_total = score_value(result.total.value)
    parts = sum((r.computed or Decimal(0) for r in counted), Decimal(0))
    rescaling = None
    if computed_total is not None and computed_total != parts:
        rescaling = computed_total - parts  # only with not-applicable indicators rescaled to 100
    stated = score_value(evaluation.claims.total_score)
    return ScoreTable(
        rows=rows,
        points_total=points_total,
        claimed_total=claimed_total,
        rescaling=rescaling,
        computed_total=computed_total,
        stated_total=stated,
        carried=result.carried.text(),
        comparison=compare_scores(stated, computed_total),
        unscored=result.unscored,
        total_note="" if computed_total is not None else result.total.explanation.formula,
    )
