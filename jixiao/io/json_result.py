"""The evaluation result as JSON data (contract: ``evaluation-result.schema.json``).

Figures leave ``Decimal`` only here, rounded to 2 places for display, as JSON numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.locations import location_label
from ..core.result import EvaluationResult, IndicatorScore
from ..core.values import quantize


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(quantize(value))


def _indicator(s: IndicatorScore) -> dict[str, Any]:
    ind = s.indicator
    return {
        "path": list(s.path),
        "kind": ind.effective_kind.value,
        "target": ind.target,
        "actual": ind.actual,
        "points": _num(s.points),
        "claimed_score": _num(ind.claimed_score),
        "computed_score": _num(s.computed),
        "used_score": _num(s.used),
        "score_basis": s.basis.value,
        "not_applicable": ind.not_applicable,
        "explanation": s.explanation.text(),
    }


def result_to_json(result: EvaluationResult, alternatives: list[EvaluationResult] | None = None) -> dict[str, Any]:
    e, f = result.evaluation, result.funds
    data: dict[str, Any] = {
        "project": {
            "name": e.project.name,
            "year": e.project.year,
            "department": e.project.department,
            "unit": e.project.unit,
        },
        "rules": result.rules.id,
        "framework": result.framework.id,
        "points_official": result.framework.points_official,
        "funds": {
            "initial_budget_wan": _num(f.initial_budget_wan),
            "budget_wan": _num(f.budget_wan),
            "arrived_wan": _num(f.arrived_wan),
            "spent_wan": _num(f.spent_wan),
            "arrival_rate_pct": _num(f.arrival_rate.value),
            "spend_rate_pct": _num(f.spend_rate.value),
            "execution_rate_pct": _num(f.execution_rate.value),
            "execution_basis": f.execution_basis.value,
            "explanations": {
                "arrival_rate": f.arrival_rate.explanation.text(),
                "spend_rate": f.spend_rate.explanation.text(),
                "execution_rate": f.execution_rate.explanation.text(),
            },
        },
        "claimed": {
            "score": _num(e.claims.total_score),
            "grade": e.claims.grade,
            "arrival_rate_pct": _num(e.claims.arrival_rate_pct),
            "spend_rate_pct": _num(e.claims.spend_rate_pct),
            "execution_rate_pct": _num(e.claims.execution_rate_pct),
            "execution_score": _num(e.claims.execution_score),
        },
        "computed": {
            "score": _num(result.total.value),
            "grade": result.grade,
            "indicator_score_sum": _num(result.indicator_sum),
            "execution_score": _num(result.execution_score.value) if result.execution_score else None,
            "max_attainable_score": _num(result.max_attainable.value),
            "explanation": result.total.explanation.text(),
            "carried": {
                "count": result.carried.count,
                "points": _num(result.carried.points),
                "score": _num(result.carried.score),
                "share_of_points_pct": _num(result.carried.share_pct),
                "explanation": result.carried.text(),
            },
        },
        "indicators": [_indicator(s) for s in result.indicators],
        "findings": [
            {**finding.to_dict(), "location_label": location_label(finding.location)} for finding in result.findings
        ],
    }
    if alternatives:
        data["alternatives"] = [
            {"rules": alt.rules.id, "score": _num(alt.total.value), "grade": alt.grade} for alt in alternatives
        ]
    return data
