"""S: checks on points, scores, the total and the grade."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..model import IndicatorKind
from ..result import EvaluationResult, ScoreBasis, Severity, score_value
from ..values import HUNDRED, fmt, fmt_pct
from . import Hit, check
from ._util import computed_total, fund_scores_known, where

_GRADE_ORDER = {"优": 0, "良": 1, "中": 2, "差": 3}


@check("S001", "scores.grade_outside_band", Severity.ERROR, "所述等级与所述分数所在档次不符")
def grade_outside_band(r: EvaluationResult) -> Iterator[Hit]:
    """反例：自评 85 分却定为“优”。正例：85 分定为“良”。"""
    c = r.evaluation.claims
    if c.total_score is None or c.grade is None:
        return
    grade = r.rules.normalise_grade(c.grade)
    if grade is None:
        yield Hit(f"所述等级“{c.grade}”不是优、良、中、差之一", "claims.grade", Severity.WARNING)
        return
    expected = r.rules.grade_for(c.total_score)
    if grade != expected:
        low, high = r.rules.grade_band(grade)
        yield Hit(
            f"自评 {fmt(c.total_score)} 分应为“{expected}”，所述等级“{c.grade}”要求 {fmt(low)}–{fmt(high)} 分",
            "claims.grade",
        )


@check("S002", "scores.points_not_100", Severity.ERROR, "分值合计不等于 100")
def points_not_100(r: EvaluationResult) -> Iterator[Hit]:
    """反例：各一级指标分值加预算执行率分值合计 95。正例：合计 100。"""
    roots = r.evaluation.indicators
    if not roots:
        return
    if any(root.points is None for root in roots) and all(s.points is None for s in r.indicators):
        yield Hit("指标未设定分值，无法评分", "indicators")
        return
    total = r.execution_points + sum((_points_of(root) for root in roots), Decimal(0))
    if total != HUNDRED:
        extra = f"（含预算执行率 {fmt(r.execution_points)} 分）" if r.execution_points else ""
        yield Hit(f"分值合计 {fmt(total)} 分{extra}，应为 100 分", "indicators")


def _points_of(node) -> Decimal:  # type: ignore[no-untyped-def]
    if node.points is not None:
        return node.points
    return sum((_points_of(c) for c in node.children), Decimal(0))


@check("S003", "scores.parent_points_mismatch", Severity.ERROR, "上级指标分值不等于下级之和")
def parent_points_mismatch(r: EvaluationResult) -> Iterator[Hit]:
    """反例：产出指标 50 分，下级合计 45 分。正例：下级合计 50 分。"""
    for path, node in r.nodes:
        if node.is_leaf or node.points is None:
            continue
        children = sum((_points_of(c) for c in node.children), Decimal(0))
        if children != node.points:
            yield Hit(
                f"“{node.name}”分值 {fmt(node.points)} 分，下级指标合计 {fmt(children)} 分", "指标:" + "/".join(path)
            )


@check("S004", "scores.claim_over_points", Severity.ERROR, "自评得分超过分值")
def claim_over_points(r: EvaluationResult) -> Iterator[Hit]:
    """反例：分值 5 分，自评 6 分。正例：自评 5 分。"""
    for s in r.indicators:
        c = s.indicator.claimed_score
        if c is not None and s.points is not None and c > s.points:
            yield Hit(f"“{s.path[-1]}”自评 {fmt(c)} 分，超过分值 {fmt(s.points)} 分", where(s))
        if c is not None and c < 0:
            yield Hit(f"“{s.path[-1]}”自评得分为负数 {fmt(c)}", where(s))


@check("S005", "scores.full_marks_unmet", Severity.ERROR, "未完成目标却得满分")
def full_marks_unmet(r: EvaluationResult) -> Iterator[Hit]:
    """年度指标值未写“≥”“≤”、也未设定指标类型时，无从知道越高越好还是越低越好（“受害率 0.9‰”的比较符号可能
    未能读出），只报警告。
    反例：目标 ≥50 个，实际 40 个，自评满分；到位率 65.36% 的资金指标自评满分。正例：按完成比例得分。"""
    for s in r.indicators:
        c = s.indicator.claimed_score
        if c is None or s.points is None or c < s.points or s.completion_pct is None:
            continue
        if s.completion_pct < 100:
            ind = s.indicator
            unsure = (
                ind.kind is None
                and ind.effective_kind is IndicatorKind.POSITIVE
                and ind.target_measure.operator is None
            )
            yield Hit(
                f"“{s.path[-1]}”完成率 {fmt_pct(s.completion_pct)}（目标 {ind.target or '100%'}，"
                f"实际 {ind.actual or fmt_pct(s.completion_pct)}），自评却得满分 {fmt(c)} 分"
                + ("（年度指标值未写“≥”“≤”，按越高越好理解）" if unsure else ""),
                where(s),
                Severity.WARNING if unsure else None,
            )


@check("S006", "scores.claim_differs", Severity.WARNING, "自评分与计算分相差超过 0.5 分")
def claim_differs(r: EvaluationResult) -> Iterator[Hit]:
    """反例：计算 6.54 分，自评 10 分。正例：自评 6.5 分。"""
    tol = r.rules.claim_tolerance
    for s in r.indicators:
        c = s.indicator.claimed_score
        if c is None or s.basis is not ScoreBasis.COMPUTED or s.computed is None:
            continue
        if abs(c - s.computed) > tol:
            yield Hit(
                f"“{s.path[-1]}”自评 {fmt(c)} 分，按{r.rules.name}计算为 {fmt(s.computed)} 分，相差 {fmt(c - s.computed)} 分",
                where(s),
            )
    total, computed = r.evaluation.claims.total_score, computed_total(r)
    if total is not None and computed is not None and abs(total - computed) > tol:
        yield Hit(
            f"自评总分 {fmt(total)} 分，计算总分 {fmt(computed)} 分，相差 {fmt(total - computed)} 分",
            "claims.total_score",
            Severity.ERROR,
        )


@check("S007", "scores.deduction_without_reason", Severity.WARNING, "扣分未说明偏差原因")
def deduction_without_reason(r: EvaluationResult) -> Iterator[Hit]:
    """未写自评得分时按计算得分判断，并在说明中写明得分是算出的，不当作单位所填。
    反例：分值 10 分、得 8 分，偏差原因为空。正例：写明原因和改进措施。"""
    for s in r.indicators:
        used = s.indicator.claimed_score if s.indicator.claimed_score is not None else s.computed
        if used is None or s.points is None or used >= s.points:
            continue
        if not (s.indicator.deviation_reason or "").strip():
            how = "得" if s.indicator.claimed_score is not None else "未写自评得分，按计算得"
            yield Hit(
                f"“{s.path[-1]}”{how} {fmt(used)} 分（分值 {fmt(s.points)} 分），未填写偏差原因分析及改进措施", where(s)
            )


@check("S008", "scores.inflation_signal", Severity.ERROR, "自评得分与资金执行不匹配（红色预警）")
def inflation_signal(r: EvaluationResult) -> Iterator[Hit]:
    """指标得分率（Σ得分 ÷ Σ分值）超过预算执行率 5%（相对）以上。反例：得分率 100%、执行率 65.36%。正例：执行率 98%。"""
    rate = r.funds.execution_rate.value
    scored = [
        s
        for s in r.indicators
        if s.points and s.indicator.effective_kind.value != "fund" and not s.indicator.not_applicable
    ]
    claims = [s.indicator.claimed_score for s in scored]
    if rate is None or not scored:
        return
    points = sum((s.points for s in scored if s.points), Decimal(0))
    if all(c is not None for c in claims):
        got, whose = sum((c for c in claims if c is not None), Decimal(0)), "自评"
    else:
        got, whose = sum((s.used or Decimal(0) for s in scored), Decimal(0)), "计算"
    score_rate = got * HUNDRED / points
    margin = r.rules.inflation_margin
    if score_rate > rate * (1 + margin):
        yield Hit(
            f"{whose}指标得分率 {fmt_pct(score_rate)}（{fmt(got)} ÷ {fmt(points)} 分）超过预算执行率 {fmt_pct(rate)} "
            f"的 {fmt(margin * HUNDRED)}% 以上：自评得分与资金执行不匹配",
            "indicators",
        )


@check("S009", "scores.total_not_sum", Severity.ERROR, "自评总分不等于各指标自评分之和")
def total_not_sum(r: EvaluationResult) -> Iterator[Hit]:
    """反例：各指标自评分（附1 另加预算执行率自评得分）合计 92 分，总分写 95 分。正例：总分 92 分。"""
    c = r.evaluation.claims
    claims = [s.claimed for s in r.applicable]
    if c.total_score is None or not claims or any(x is None for x in claims):
        return
    summed = sum((x for x in claims if x is not None), Decimal(0))
    what = "各指标自评分合计"
    if r.execution_score is not None:
        if c.execution_score is None:
            return  # no self-score for 预算执行率: S006 compares the total instead
        summed += c.execution_score
        what = f"各指标自评分与预算执行率自评得分（{fmt(c.execution_score)} 分）合计"
    if summed != score_value(c.total_score):
        yield Hit(f"{what} {fmt(summed)} 分，所述总分 {fmt(c.total_score)} 分", "claims.total_score")


@check("S010", "scores.claim_unattainable", Severity.ERROR, "所述总分或等级在资金到位和执行情况下不可能达到")
def claim_unattainable(r: EvaluationResult) -> Iterator[Hit]:
    """资金数字未读出或未填写时（预算执行率、资金类指标得分无法计算），可得最高分无从得出，本检查不作判断，
    决不把未知的得分当作 0 分。
    反例：到位率 65.36%，自评 100 分、优秀。正例：自评分不超过可得最高分；或预算数未读出（不判断）。"""
    c = r.evaluation.claims
    best = r.max_attainable.value
    if best is None or not fund_scores_known(r):
        return
    f = r.funds
    stated = [f"全年预算 {fmt(f.budget_wan)} 万元"]
    if f.arrived_wan is not None:
        stated.append(f"实际到位 {fmt(f.arrived_wan)} 万元（到位率 {fmt_pct(f.arrival_rate.value)}）")
    if f.spent_wan is not None:
        stated.append(f"执行 {fmt(f.spent_wan)} 万元（预算执行率 {fmt_pct(f.execution_rate.value)}）")
    basis = "，".join(stated)
    grade = r.rules.normalise_grade(c.grade)
    best_grade = r.rules.grade_for(best)
    reach = f"按{r.rules.name}其他指标全部满分也最多 {fmt(best)} 分，最高只能评为“{best_grade}”"
    if c.total_score is not None and c.total_score > best + r.rules.claim_tolerance:
        claim = f"自评 {fmt(c.total_score)} 分" + (f"、“{c.grade}”" if c.grade else "")
        tail = ""
        if grade is not None and grade == best_grade:
            low, _ = r.rules.grade_band(grade)
            tail = f"；“{grade}”仍可能成立，但其余指标合计失分不得超过 {fmt(best - low)} 分，须逐项核实"
        yield Hit(f"{claim}不能成立：{basis}，{reach}{tail}", "claims.total_score")
    if grade is not None and _GRADE_ORDER[grade] < _GRADE_ORDER[best_grade]:
        yield Hit(f"自评等级“{c.grade}”不能成立：{basis}，{reach}", "claims.grade")


@check("S011", "scores.grade_differs", Severity.WARNING, "所述等级与计算等级不同")
def grade_differs(r: EvaluationResult) -> Iterator[Hit]:
    """反例：自评“优”，计算 82 分为“良”。正例：计算等级相同。"""
    grade = r.rules.normalise_grade(r.evaluation.claims.grade)
    total = computed_total(r)
    if grade is None or r.grade is None or total is None:
        return
    if grade != r.grade:
        yield Hit(
            f"自评等级“{r.evaluation.claims.grade}”，按{r.rules.name}计算 {fmt(total)} 分，等级为“{r.grade}”",
            "claims.grade",
        )
