"""Small helpers shared by the check modules."""

from __future__ import annotations

from decimal import Decimal

from ..result import EvaluationResult, IndicatorScore


def where(score: IndicatorScore) -> str:
    """Location of an indicator: its path of names."""
    return "指标:" + "/".join(score.path)


def differs(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) > tolerance


def fund_scores_known(r: EvaluationResult) -> bool:
    """Whether every score that comes from fund figures could be computed: 预算执行率 scored outside the tree and
    every fund indicator (资金到位率 …). Where the budget or the amount spent was not read or entered, those scores
    are unknown; a total or a best total that counted them as 0 would state a figure nobody wrote."""
    if r.execution_score is not None and r.execution_score.value is None:
        return False
    return all(
        s.computed is not None
        for s in r.indicators
        if s.indicator.effective_kind.value == "fund" and not s.indicator.not_applicable
    )


def computed_total(r: EvaluationResult) -> Decimal | None:
    """The engine's total, or ``None`` where a part of it is unknown (see :func:`fund_scores_known`)."""
    return r.total.value if fund_scores_known(r) else None
