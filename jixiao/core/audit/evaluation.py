"""An extraction as an :class:`~jixiao.core.model.Evaluation`, so that the step-1 engine and checks run on it.

Only what the document states goes in. Indicators the text does not list (a cut-off table, a report
without its table) become one placeholder leaf holding the remaining points, so that "what is the best
total the fund figures allow" still has an honest answer; no check reads that leaf's content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..model import PROJECT_NAME_MAX, Evaluation, FundSource
from ..values import HUNDRED
from .document import Extraction

UNLISTED = "（文中未列出的其余指标）"
UNKNOWN_PROJECT = "（文中未写明项目名称）"
UNNAMED_LEVEL1 = "（未写明一级指标）"
#: the year an Evaluation must carry when the document states none; never shown or checked
NO_YEAR = 2000


def execution_points(ex: Extraction, standard: Decimal) -> Decimal:
    """Points of 预算执行率 outside the indicator rows: the fund block's 分值 where the table has one,
    none where the table has a fund block without 分值, the standard's where there is no table — unless the rows
    read already hold more than the standard leaves (their 分值 reach 100 without it: the execution rate is not
    scored apart, and a standard 10 分 assumed on top would be a figure nobody wrote)."""
    total = next((line for line in ex.fund_lines if line.is_total), None)
    if total is not None:
        return total.points or Decimal(0)
    if any(line.points is not None for line in ex.fund_lines):
        return next(line.points for line in ex.fund_lines if line.points is not None) or Decimal(0)
    if ex.fund_lines or any("预算执行率" in (i.level3 or "") for i in ex.indicators):
        return Decimal(0)
    listed = sum((i.points for i in ex.indicators if i.points is not None), Decimal(0))
    if listed + standard > HUNDRED:
        return Decimal(0)
    return standard


def to_evaluation(ex: Extraction, rules_id: str, framework_id: str, exec_points: Decimal) -> Evaluation:
    value = ex.value
    data = evaluation_data(
        {name: fact.value for name, fact in ex.facts.items()},
        [row.to_dict() for row in ex.indicators],
        project={
            # the audit scores what the document states; a name longer than a record holds is cut here only (the
            # fact keeps it whole, and an import asks for a shorter one)
            "name": str(value("project") or UNKNOWN_PROJECT)[:PROJECT_NAME_MAX],
            "year": int(value("year") or NO_YEAR),  # type: ignore[call-overload]
            "unit": str(value("unit")) if value("unit") else None,
        },
        quotes={name: fact.evidence.text for name, fact in ex.facts.items()},
        rules_id=rules_id,
        framework_id=framework_id,
    )
    listed = sum((i.points or Decimal(0) for i in ex.indicators), Decimal(0))
    remaining = HUNDRED - exec_points - listed
    if remaining > 0:
        data["indicators"].append({"name": UNLISTED, "points": remaining})
    return Evaluation.model_validate(data)


def evaluation_data(
    facts: Mapping[str, object],
    rows: Sequence[Mapping[str, Any]],
    *,
    project: Mapping[str, object],
    quotes: Mapping[str, str],
    rules_id: str,
    framework_id: str,
) -> dict[str, Any]:
    """The input of an :class:`Evaluation` holding only what a document states: facts and indicator rows in
    the audit's shape (values Decimal, or JSON numbers as stored), one fund row only if a budget is stated,
    the indicator tree grouped 一级 → 二级 → leaves in the document's order."""
    budget, arrived, spent = (_decimal(facts.get(n)) for n in ("budget_wan", "arrived_wan", "spent_wan"))
    funds = []
    if budget is not None:
        funds.append(
            {
                "source": FundSource.CURRENT,
                "initial_budget_wan": _decimal(facts.get("initial_budget_wan")),
                "annual_budget_wan": budget,
                "arrivals": [{"amount_wan": arrived}] if arrived is not None else [],
                "executed_wan": spent,
            }
        )
    grade = facts.get("grade")
    return {
        "project": dict(project),
        "rules": rules_id,
        "framework": framework_id,
        "funds": funds,
        "indicators": _tree(rows),
        "claims": {
            "total_score": _decimal(facts.get("self_score")),
            "grade": str(grade) if grade else None,
            "budget_wan": budget,
            "arrived_wan": arrived,
            "spent_wan": spent,
            "arrival_rate_pct": _pct(facts.get("arrival_rate_pct")),
            "spend_rate_pct": _pct(facts.get("spend_rate_pct")),
            "execution_rate_pct": _pct(facts.get("execution_rate_pct")),
            "funds_timely": True if facts.get("funds_timely") else None,
            "quotes": dict(quotes),
        },
    }


def _decimal(value: object) -> Decimal | None:
    """A stated figure as Decimal; a JSON float goes through its shortest text, never float arithmetic."""
    if value is None or isinstance(value, bool):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _pct(value: object) -> str | None:
    number = _decimal(value)
    return None if number is None else f"{number:f}%"


def _tree(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped under their 一级 and 二级 names, in the document's order; rows without a name are skipped."""
    roots: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in rows:
        if not row.get("level3"):
            continue
        leaf = {
            "name": row["level3"],
            "points": _decimal(row.get("points")),
            "target": row.get("target"),
            "actual": row.get("actual"),
            "claimed_score": _decimal(row.get("score")),
            "deviation_reason": row.get("reason"),
        }
        roots.setdefault(row.get("level1") or UNNAMED_LEVEL1, {}).setdefault(row.get("level2") or "", []).append(leaf)
    tree = []
    for level1, groups in roots.items():
        children: list[dict[str, Any]] = []
        for level2, leaves in groups.items():
            if level2:
                children.append({"name": level2, "children": leaves})
            else:
                children.extend(leaves)
        tree.append({"name": level1, "children": children})
    return tree
