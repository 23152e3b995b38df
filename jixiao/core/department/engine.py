"""Scoring a 部门整体 self-evaluation: each leaf from its formula and rule where it has one, else the department's
own score; the total, the grade from the rule set's bands, and the checks. Every point is explained."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ..result import Explanation, Figure, Finding, Severity, score_value
from ..rules import RuleSet
from ..values import fmt, fmt_pct, quantize
from .accounts import Ratio, compute_ratios
from .framework import DepartmentFramework, Formulas, Node, ScoringRule, path_key
from .model import DepartmentEvaluation
from .rollup import ProjectOutcome, RollUp, roll_up


class Basis(StrEnum):
    COMPUTED = "computed"  # from the accounts, by the indicator's formula and rule
    SELF = "self"  # the department's own score
    NONE = "none"  # neither

    @property
    def label(self) -> str:
        return {"computed": "按公式计算", "self": "部门自评", "none": "未评分"}[self.value]


@dataclass(slots=True)
class ItemScore:
    path: tuple[str, ...]
    node: Node
    claimed: Decimal | None  # the department's own score, 2 places
    computed: Decimal | None  # from the formula, 2 places; None for a self-scored item or an unread ratio
    basis: Basis
    explanation: Explanation
    reason: str = ""  # 扣分原因, as the department wrote it
    ratio: Ratio | None = None

    @property
    def key(self) -> str:
        return path_key(self.path)

    @property
    def points(self) -> Decimal:
        return self.node.points

    @property
    def used(self) -> Decimal | None:
        """The score entering the total."""
        if self.basis is Basis.COMPUTED:
            return self.computed
        if self.basis is Basis.SELF:
            return self.claimed
        return None

    @property
    def lost(self) -> Decimal | None:
        return None if self.used is None else self.points - self.used


@dataclass(slots=True)
class DepartmentResult:
    evaluation: DepartmentEvaluation
    framework: DepartmentFramework
    formulas: Formulas
    rules: RuleSet
    ratios: dict[str, Ratio]
    items: list[ItemScore]
    total: Figure
    grade: str | None
    rollup: RollUp
    findings: list[Finding] = field(default_factory=list)

    @property
    def headline(self) -> list[Ratio]:
        return [self.ratios[id] for id in self.formulas.headline]

    @property
    def points_total(self) -> Decimal:
        return sum((i.points for i in self.items), Decimal(0))

    @property
    def claimed_sum(self) -> Decimal | None:
        """The sum of the department's own scores as they would enter the total (computed items count their own
        score where the department gave one, else the computed one)."""
        parts = [i.claimed if i.claimed is not None else i.computed for i in self.items]
        if any(p is None for p in parts):
            return None
        return sum((p for p in parts if p is not None), Decimal(0))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def item(self, key: str) -> ItemScore | None:
        return next((i for i in self.items if i.key == key), None)


def rule_score(rate_pct: Decimal, points: Decimal, rule: ScoringRule, name: str) -> tuple[Decimal, str]:
    """The score of ``rate_pct`` (as displayed, 2 places) under ``rule``, and the sentence that shows the arithmetic."""
    rate = quantize(rate_pct)
    shown = fmt_pct(rate)
    if rule.method == "proportional":
        assert rule.full_at is not None
        if rate >= rule.full_at:
            return points, f"{name} {shown} 达到满分线 {fmt_pct(rule.full_at)}，得满分 {fmt(points)} 分"
        value = max(Decimal(0), points * rate / rule.full_at)
        score = score_value(value) or Decimal(0)
        return score, (
            f"{name} {shown} 低于满分线 {fmt_pct(rule.full_at)}，按比例计分："
            f"{fmt(rate)} ÷ {fmt(rule.full_at)} × {fmt(points)} = {fmt(score)} 分"
        )
    if rule.method == "deduct_above":
        assert rule.limit is not None
        if rate <= rule.limit:
            return points, f"{name} {shown} 不超过 {fmt_pct(rule.limit)}，得满分 {fmt(points)} 分"
        gap, where = rate - rule.limit, f"超过 {fmt_pct(rule.limit)}"
    else:
        assert rule.full_at is not None
        if rate >= rule.full_at:
            return points, f"{name} {shown} 达到 {fmt_pct(rule.full_at)}，得满分 {fmt(points)} 分"
        gap, where = rule.full_at - rate, f"低于 {fmt_pct(rule.full_at)}"
    steps = math.ceil(gap / rule.step)
    score = max(Decimal(0), points - steps * rule.deduct)
    return score, (
        f"{name} {shown} {where} {fmt(gap)} 个百分点，每 {fmt(rule.step)} 个百分点（不足按 1 档计）扣 {fmt(rule.deduct)} 分，"
        f"共 {steps} 档：{fmt(points)} − {steps} × {fmt(rule.deduct)} = {fmt(score)} 分"
    )


def _item(path: tuple[str, ...], node: Node, evaluation: DepartmentEvaluation, ratios: dict[str, Ratio]) -> ItemScore:
    entry = evaluation.items.get(path_key(path))
    claimed = score_value(entry.score) if entry is not None else None
    reason = entry.reason.strip() if entry is not None else ""
    if node.formula is None or node.rule is None:
        if claimed is None:
            return ItemScore(path, node, None, None, Basis.NONE, Explanation("部门自评", "未填写自评得分"), reason)
        why = f"部门自评 {fmt(claimed)} 分（分值 {fmt(node.points)} 分）" + (f"；扣分原因：{reason}" if reason else "")
        return ItemScore(path, node, claimed, None, Basis.SELF, Explanation("部门自评", why), reason)
    ratio = ratios[node.formula]
    if ratio.value is None:
        basis = Basis.SELF if claimed is not None else Basis.NONE
        why = ratio.figure.explanation.formula + (f"，采用部门自评 {fmt(claimed)} 分" if claimed is not None else "")
        return ItemScore(path, node, claimed, None, basis, Explanation("按公式计算", why), reason, ratio)
    computed, why = rule_score(ratio.value, node.points, node.rule, ratio.formula.name)
    text = f"{ratio.text()}；{why}"
    return ItemScore(
        path, node, claimed, score_value(computed), Basis.COMPUTED, Explanation("按公式计算", text), reason, ratio
    )


def total_of(items: list[ItemScore]) -> Figure:
    missing = [i for i in items if i.used is None]
    value = sum((i.used for i in items if i.used is not None), Decimal(0))
    inputs = (("已评分指标", f"{len(items) - len(missing)} 项"), ("未评分指标", f"{len(missing)} 项"))
    if missing:
        return Figure(
            None, Explanation("总分", f"各末级指标得分之和；有 {len(missing)} 项指标未评分，不能得出总分", inputs)
        )
    return Figure(value, Explanation("总分", f"各末级指标得分之和 = {fmt(value)} 分", inputs))


def score(
    evaluation: DepartmentEvaluation,
    framework: DepartmentFramework,
    formulas: Formulas,
    rules: RuleSet,
    projects: list[ProjectOutcome],
) -> DepartmentResult:
    """Ratios, item scores, total and grade, and the roll-up of ``projects``. No checks."""
    ratios = compute_ratios(formulas, evaluation.accounts)
    items = [_item(path, node, evaluation, ratios) for path, node in framework.leaves()]
    total = total_of(items)
    grade = rules.grade_for(total.value) if total.value is not None else None
    return DepartmentResult(evaluation, framework, formulas, rules, ratios, items, total, grade, roll_up(projects))


def evaluate(
    evaluation: DepartmentEvaluation,
    framework: DepartmentFramework,
    formulas: Formulas,
    rules: RuleSet,
    projects: list[ProjectOutcome],
) -> DepartmentResult:
    """Score, then run the department check catalogue."""
    from .checks import run_department_checks

    result = score(evaluation, framework, formulas, rules, projects)
    result.findings = run_department_checks(result)
    return result
