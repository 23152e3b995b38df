"""Fund figures: 到位率, 支出率 and 预算执行率 with their stated basis, and the execution score."""

from __future__ import annotations

from decimal import Decimal

from ..model import Evaluation
from ..result import Explanation, Figure, FundFigures, score_value
from ..rules import EXECUTION_BASIS_LABELS, ExecutionBasis, RuleSet
from ..values import HUNDRED, fmt, fmt_pct, ratio_pct


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def fund_figures(evaluation: Evaluation, rules: RuleSet) -> FundFigures:
    rows = evaluation.funds
    budget = sum((r.annual_budget_wan for r in rows), Decimal(0))
    initial = _sum([r.initial_budget_wan for r in rows])
    arrived = _sum([r.arrived_wan for r in rows])
    spent = _sum([r.executed_wan for r in rows])

    arrival_rate = _rate(
        "资金到位率", "实际到位资金 ÷ 全年预算数 × 100%", arrived, budget, "实际到位资金", "全年预算数"
    )
    spend_rate = _rate("支出率", "全年执行数 ÷ 实际到位资金 × 100%", spent, arrived, "全年执行数", "实际到位资金")
    basis = rules.execution.basis
    if basis is ExecutionBasis.BUDGET:
        execution = _rate("预算执行率", EXECUTION_BASIS_LABELS[basis], spent, budget, "全年执行数", "全年预算数")
    else:
        execution = _rate("预算执行率", EXECUTION_BASIS_LABELS[basis], spent, arrived, "全年执行数", "实际到位资金")
    return FundFigures(
        initial_budget_wan=initial,
        budget_wan=budget,
        arrived_wan=arrived,
        spent_wan=spent,
        arrival_rate=arrival_rate,
        spend_rate=spend_rate,
        execution_rate=execution,
        execution_basis=basis,
    )


def _rate(name: str, formula: str, num: Decimal | None, den: Decimal | None, num_name: str, den_name: str) -> Figure:
    inputs = ((num_name, f"{fmt(num)} 万元"), (den_name, f"{fmt(den)} 万元"))
    if num is None or den is None:
        missing = num_name if num is None else den_name
        return Figure(None, Explanation(name, f"无法计算：缺少{missing}", inputs))
    value = ratio_pct(num, den)
    if value is None:
        return Figure(None, Explanation(name, f"无法计算：{den_name}为 0", inputs))
    return Figure(value, Explanation(name, f"{formula} = {fmt_pct(value)}", inputs))


def completed_within_budget(evaluation: Evaluation, funds: FundFigures) -> bool:
    """财预〔2021〕101号: the unit states the project is finished, and 全年执行数 stays within 全年预算数."""
    return bool(evaluation.project.completed and funds.spent_wan is not None and funds.spent_wan <= funds.budget_wan)


def rate_score(
    rate_pct: Decimal | None, points: Decimal, rules: RuleSet, what: str, *, completed_within_budget: bool = False
) -> Figure:
    """Score of a rate-like figure (预算执行率, 资金到位率) under the rule set's execution rule.

    Where the rule set says so (``full_when_completed``), a finished project that spent within its budget earns
    full points whatever its rate (财预〔2021〕101号 三（七）2).
    """
    inputs = ((what, fmt_pct(rate_pct)), ("分值", fmt(points)))
    rule = rules.execution
    if rule.full_when_completed and completed_within_budget:
        return Figure(
            points,
            Explanation(
                rules.name,
                f"项目已完成，且执行数控制在年度预算规模之内，{what}得满分 {fmt(points)} 分",
                (*inputs, ("项目是否已完成", "是")),
            ),
        )
    if rate_pct is None:
        return Figure(None, Explanation(rules.name, f"{what}无法计算，不能评分", inputs))
    if rule.method == "bands":
        for band in rule.bands:
            if rate_pct >= band.min_pct:
                score = score_value(points * band.share)
                return Figure(
                    score,
                    Explanation(
                        rules.name,
                        f"{what}分档：{fmt_pct(rate_pct)} 落在“{band.label or band.min_pct}”档，"
                        f"得 {fmt(band.share * HUNDRED)}% × {fmt(points)} = {fmt(score)} 分",
                        inputs,
                    ),
                )
    capped = min(rate_pct, HUNDRED)
    score = score_value(points * capped / HUNDRED)
    return Figure(
        score,
        Explanation(
            rules.name,
            f"{what} × 分值（封顶 100%）= {fmt_pct(capped)} × {fmt(points)} = {fmt(score)} 分",
            inputs,
        ),
    )
