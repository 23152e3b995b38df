"""An approved 绩效目标申报表 becomes the skeleton of the project's year-end self-evaluation: the approved 年度指标值
and 分值 on the indicators, the 资金总额 as 全年预算数, the 年度总体目标 as the overall goal. Nothing is retyped.

The declared 一级 indicators are placed in the framework by name: one that is a top node of the framework stays on
top (产出指标, 效益指标, 满意度指标 in 附1); one that is a second-level node there goes under its parent with its
leaves (101号's 一级 成本指标 is 附1's 二级 产出指标／成本指标, as 财预〔2020〕10号 lays it out); any other keeps its
own place on top. The 预算执行率 points stay outside the tree where the framework scores them there (附1: 10 分).
"""

from __future__ import annotations

from decimal import Decimal

from ..frameworks import Framework, FrameworkNode
from ..model import Evaluation, FundRow, FundSource, Goal, GoalKind, Indicator, IndicatorKind, Project
from .declaration import Declaration, FirstLevel, TargetLeaf


def leaf_indicator(leaf: TargetLeaf) -> Indicator:
    """The self-evaluation's leaf for a declared 三级指标: the 年度指标值 as text, its 分值 and basis."""
    return Indicator(
        name=leaf.name,
        points=leaf.points,
        kind=IndicatorKind.QUALITATIVE if leaf.is_qualitative else None,
        target=leaf.target_text(),
        value_basis=leaf.value_basis,
    )


def _sum(children: list[Indicator]) -> Decimal | None:
    points = [c.points for c in children if c.points is not None]
    return sum(points, Decimal(0)) if points else None


def _group(name: str, children: list[Indicator]) -> Indicator:
    return Indicator(name=name, points=_sum(children), children=children)


def _seconds(first: FirstLevel) -> list[Indicator]:
    return [_group(s.name, [leaf_indicator(leaf) for leaf in s.children]) for s in first.children]


def _find(nodes: list[FrameworkNode], name: str) -> FrameworkNode | None:
    return next((n for n in nodes if n.matches(name)), None)


def _parent_of(framework: Framework, name: str) -> tuple[FrameworkNode, FrameworkNode] | None:
    for top in framework.tree:
        child = _find(top.children, name)
        if child is not None:
            return top, child
    return None


def place_indicators(declaration: Declaration, framework: Framework) -> list[Indicator]:
    """The declared tree in the framework's order and names (see the module's docstring)."""
    tops: dict[str, list[Indicator]] = {}
    own: list[Indicator] = []
    for first in declaration.indicators:
        top = _find(framework.tree, first.name)
        if top is not None:
            tops.setdefault(top.name, []).extend(_seconds(first))
            continue
        placed = _parent_of(framework, first.name)
        if placed is not None:
            parent, node = placed
            leaves = [leaf_indicator(leaf) for s in first.children for leaf in s.children]
            tops.setdefault(parent.name, []).append(_group(node.name, leaves))
            continue
        own.append(_group(first.name, _seconds(first)))
    ordered = [_group(node.name, tops[node.name]) for node in framework.tree if node.name in tops]
    return ordered + own


def _funds(declaration: Declaration) -> list[FundRow]:
    if not declaration.funds:
        total = declaration.total_wan
        return [FundRow(source=FundSource.CURRENT, initial_budget_wan=total, annual_budget_wan=total)]
    amounts: dict[FundSource, Decimal] = {}
    details: dict[FundSource, list[str]] = {}
    for fund in declaration.funds:
        amounts[fund.source] = amounts.get(fund.source, Decimal(0)) + fund.amount_wan
        if fund.detail:
            details.setdefault(fund.source, []).append(fund.detail)
    return [
        FundRow(
            source=source,
            detail="；".join(details.get(source, [])) or None,
            initial_budget_wan=amount,
            annual_budget_wan=amount,
        )
        for source, amount in amounts.items()
    ]


def to_evaluation(declaration: Declaration, framework: Framework) -> Evaluation:
    """The self-evaluation skeleton of ``declaration`` under ``framework`` (see the module's docstring)."""
    p = declaration.project
    sources = "、".join(dict.fromkeys(f.source.label for f in declaration.funds)) or None
    return Evaluation(
        project=Project(
            name=p.name,
            year=p.year,
            department=p.department,
            unit=p.unit,
            expected_input_wan=declaration.total_wan,
            expected_input_source=sources,
        ),
        framework=framework.id,
        funds=_funds(declaration),
        goals=[Goal(kind=GoalKind.OVERALL, expected=declaration.overall_goal)] if declaration.overall_goal else [],
        indicators=place_indicators(declaration, framework),
    )
