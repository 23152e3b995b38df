"""Risk of a document (0–100): how likely its self-evaluation is inflated or wrong, to rank re-checks.

The weights are data (``jixiao/data/audit/risk.yaml``); every point of the score is explained.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from ..result import Finding, Severity
from ..values import HUNDRED
from .document import Extraction

CORE_FACTS = {"budget_wan": "预算数", "spent_wan": "执行数", "self_score": "自评得分"}


class RiskWeights(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error: Decimal
    warning: Decimal
    info: Decimal
    per_check_cap: int
    claimed_excellent_low_rate: Decimal
    low_rate_pct: Decimal
    unread_core_fact: Decimal


def risk_score(
    ex: Extraction, findings: list[Finding], computed_rates: Sequence[Decimal | None], weights: RiskWeights
) -> tuple[Decimal, list[str]]:
    """The score and its parts, in Chinese ("2 条错误 × 25 = 50" …). ``computed_rates`` are the engine's
    预算执行率 and 资金到位率 from the stated amounts, set beside the stated ones."""
    parts: list[tuple[str, Decimal]] = []
    counted: Counter[str] = Counter()
    per_severity: Counter[Severity] = Counter()
    for f in findings:
        if counted[f.id] < weights.per_check_cap:
            counted[f.id] += 1
            per_severity[f.severity] += 1
    for severity, weight in (
        (Severity.ERROR, weights.error),
        (Severity.WARNING, weights.warning),
        (Severity.INFO, weights.info),
    ):
        if per_severity[severity]:
            parts.append((f"{per_severity[severity]} 条{severity.label} × {weight}", per_severity[severity] * weight))
    grade = str(ex.value("grade") or "")
    score = ex.value("self_score")
    excellent = grade.startswith("优") or (isinstance(score, Decimal) and score >= 90)
    rates = [ex.value(n) for n in ("execution_rate_pct", "arrival_rate_pct")]
    low = [r for r in [*rates, *computed_rates] if isinstance(r, Decimal) and r < weights.low_rate_pct]
    if excellent and low:
        parts.append((f"自评为优而执行率或到位率仅 {min(low):.2f}%", weights.claimed_excellent_low_rate))
    unread = [label for name, label in CORE_FACTS.items() if name not in ex.facts]
    if unread:
        parts.append((f"读不出{'、'.join(unread)}", weights.unread_core_fact * len(unread)))
    total = min(sum((v for _, v in parts), Decimal(0)), HUNDRED)
    return total, [f"{label} = {value}" for label, value in parts]
