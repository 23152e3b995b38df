"""The engine's one entry point: score an evaluation under a rule set and framework, then run the checks."""

from __future__ import annotations

from decimal import Decimal

from ..frameworks import Framework
from ..model import Evaluation
from ..result import EvaluationResult, Explanation, Figure, IndicatorScore, score_value
from ..rules import RuleSet
from ..values import HUNDRED, fmt
from .funds import completed_within_budget, fund_figures, rate_score
from .indicators import LeafContext, score_leaf


def score(evaluation: Evaluation, rules: RuleSet, framework: Framework) -> EvaluationResult:
    """Compute fund figures, every leaf's score, the total and the grade. No checks."""
    funds = fund_figures(evaluation, rules)
    ctx = LeafContext(evaluation, rules, framework, funds)
    nodes = evaluation.nodes()
    scores = [score_leaf(path, node, ctx) for path, node in nodes if node.is_leaf]

    execution_points = framework.execution_points
    execution_score = None
    if execution_points:
        execution_score = rate_score(
            funds.execution_rate.value,
            execution_points,
            rules,
            "预算执行率",
            completed_within_budget=completed_within_budget(evaluation, funds),
        )

    total = total_of(scores, execution_score, execution_points, rules)
    grade = rules.grade_for(total.value) if total.value is not None else None
    return EvaluationResult(
        evaluation=evaluation,
        rules=rules,
        framework=framework,
        funds=funds,
        execution_points=execution_points,
        execution_score=execution_score,
        indicators=scores,
        total=total,
        grade=grade,
        max_attainable=_max_attainable(scores, execution_score, rules),
        nodes=nodes,
    )


def evaluate(evaluation: Evaluation, rules: RuleSet, framework: Framework) -> EvaluationResult:
    """Score, then run every catalogued check; the result carries its findings."""
    from ..checks import run_checks

    result = score(evaluation, rules, framework)
    result.findings = run_checks(result)
    return result


def total_of(
    scores: list[IndicatorScore], execution: Figure | None, execution_points: Decimal, rules: RuleSet
) -> Figure:
    """The sum of the rounded parts (each leaf and 预算执行率 already at 2 places), so it prints as their sum.

    The 复核 sheet (:mod:`jixiao.core.review`) adds its self and 复核 columns up through this same function."""
    applicable = [s for s in scores if not s.indicator.not_applicable]
    dropped = sum((s.points or Decimal(0) for s in scores if s.indicator.not_applicable), Decimal(0))
    missing = [s for s in applicable if s.used is None and s.points is not None]
    carried = [s for s in applicable if s.basis.value == "claimed"]
    indicator_sum = sum((s.used for s in applicable if s.used is not None), Decimal(0))
    raw = indicator_sum + (execution.value if execution is not None and execution.value is not None else Decimal(0))
    inputs = [
        ("指标得分合计", fmt(indicator_sum)),
        ("预算执行率得分", fmt(execution.value) if execution else "不单独计分"),
    ]
    formula = "各末级指标得分之和" + (" + 预算执行率得分" if execution_points else "")
    if carried:
        inputs.append(("采用单位自评分的指标", f"{len(carried)} 项"))
    if missing:
        return Figure(
            None,
            Explanation(
                "总分", f"{formula}；有 {len(missing)} 项指标既无法计算也无自评分，不能得出总分", tuple(inputs)
            ),
        )
    value = raw
    if dropped and rules.not_applicable == "rescale":
        base = HUNDRED - dropped
        value = score_value(raw * HUNDRED / base if base else Decimal(0)) or Decimal(0)
        formula += f"；剔除不适用指标 {fmt(dropped)} 分后按 100 分折算：{fmt(raw)} ÷ {fmt(base)} × 100"
        inputs.append(("不适用指标分值", fmt(dropped)))
    return Figure(value, Explanation("总分", f"{formula} = {fmt(value)} 分", tuple(inputs)))


def _max_attainable(scores: list[IndicatorScore], execution: Figure | None, rules: RuleSet) -> Figure:
    """The best total the fund figures allow: every other indicator at full points (fund scores as rounded)."""
    fund_scores = [s for s in scores if s.indicator.effective_kind.value == "fund" and not s.indicator.not_applicable]
    others = [s for s in scores if s not in fund_scores and not s.indicator.not_applicable]
    value = sum((s.points or Decimal(0) for s in others), Decimal(0))
    inputs: list[tuple[str, str]] = [("其他指标满分合计", fmt(value))]
    for s in fund_scores:
        value += s.computed or Decimal(0)
        inputs.append((f"{s.path[-1]}得分（{fmt(s.points)} 分）", fmt(s.computed)))
    if execution is not None:
        value += execution.value or Decimal(0)
        inputs.append(("预算执行率得分", fmt(execution.value)))
    return Figure(
        value,
        Explanation("可得最高分", f"资金指标按实际计算、其他指标全部满分时的总分 = {fmt(value)} 分", tuple(inputs)),
    )
