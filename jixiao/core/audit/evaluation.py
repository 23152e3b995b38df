"""An extraction as an :class:`~jixiao.core.model.Evaluation`, so that the step-1 engine and checks run on it.

Only what the document states goes in. Indicators the text does not list (a cut-off table, a report
without its table) become one placeholder leaf holding the remaining points, so that "what is the best
total the fund figures allow" still has an honest answer; no check reads that leaf's content.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Claims, Evaluation, FundArrival, FundRow, FundSource, Indicator, Project
from ..values import HUNDRED
from .document import Extraction, FoundIndicator

UNLISTED = "（文中未列出的其余指标）"
UNKNOWN_PROJECT = "（文中未写明项目名称）"
#: the year an Evaluation must carry when the document states none; never shown or checked
NO_YEAR = 2000


def execution_points(ex: Extraction, standard: Decimal) -> Decimal:
    """Points of 预算执行率 outside the indicator rows: the fund block's 分值 where the table has one,
    none where the table has a fund block without 分值, the standard's where there is no table."""
    total = next((line for line in ex.fund_lines if line.is_total), None)
    if total is not None:
        return total.points or Decimal(0)
    if any(line.points is not None for line in ex.fund_lines):
        return next(line.points for line in ex.fund_lines if line.points is not None) or Decimal(0)
    if ex.fund_lines or any("预算执行率" in (i.level3 or "") for i in ex.indicators):
        return Decimal(0)
    return standard


def to_evaluation(ex: Extraction, rules_id: str, framework_id: str, exec_points: Decimal) -> Evaluation:
    value = ex.value
    project = Project(
        name=str(value("project") or UNKNOWN_PROJECT),
        year=int(value("year") or NO_YEAR),  # type: ignore[arg-type]
        unit=str(value("unit")) if value("unit") else None,
    )
    funds: list[FundRow] = []
    budget = value("budget_wan")
    if isinstance(budget, Decimal):
        arrived = value("arrived_wan")
        spent = value("spent_wan")
        funds.append(
            FundRow(
                source=FundSource.CURRENT,
                initial_budget_wan=value("initial_budget_wan"),  # type: ignore[arg-type]
                annual_budget_wan=budget,
                arrivals=[FundArrival(amount_wan=arrived)] if isinstance(arrived, Decimal) else [],
                executed_wan=spent if isinstance(spent, Decimal) else None,
            )
        )
    claims = Claims(
        total_score=value("self_score"),  # type: ignore[arg-type]
        grade=str(value("grade")) if value("grade") else None,
        budget_wan=budget,  # type: ignore[arg-type]
        arrived_wan=value("arrived_wan"),  # type: ignore[arg-type]
        spent_wan=value("spent_wan"),  # type: ignore[arg-type]
        arrival_rate_pct=_pct(value("arrival_rate_pct")),
        spend_rate_pct=_pct(value("spend_rate_pct")),
        execution_rate_pct=_pct(value("execution_rate_pct")),
        funds_timely=True if value("funds_timely") else None,
        quotes={name: fact.evidence.text for name, fact in ex.facts.items()},
    )
    indicators = _tree(ex.indicators)
    listed = sum((i.points or Decimal(0) for i in ex.indicators), Decimal(0))
    remaining = HUNDRED - exec_points - listed
    if remaining > 0:
        indicators.append(Indicator(name=UNLISTED, points=remaining))
    return Evaluation(
        project=project,
        framework=framework_id,
        rules=rules_id,
        funds=funds,
        indicators=indicators,
        claims=claims,
    )


def _pct(value: object) -> str | None:
    return f"{value:f}%" if isinstance(value, Decimal) else None


def _tree(rows: list[FoundIndicator]) -> list[Indicator]:
    """Rows grouped under their 一级 and 二级 names, in the document's order."""
    roots: dict[str, dict[str, list[Indicator]]] = {}
    for row in rows:
        if not row.level3:
            continue
        leaf = Indicator(
            name=row.level3,
            points=row.points,
            target=row.target,
            actual=row.actual,
            claimed_score=row.score,
            deviation_reason=row.reason,
        )
        roots.setdefault(row.level1 or "（未写明一级指标）", {}).setdefault(row.level2 or "", []).append(leaf)
    tree: list[Indicator] = []
    for level1, groups in roots.items():
        children: list[Indicator] = []
        for level2, leaves in groups.items():
            if level2:
                children.append(Indicator(name=level2, children=leaves))
            else:
                children.extend(leaves)
        tree.append(Indicator(name=level1, children=children))
    return tree
