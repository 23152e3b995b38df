"""Score one leaf indicator under a rule set. Each kind maps to one function through a closed table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..frameworks import Category, Framework
from ..model import Evaluation, FundMeasure, Indicator, IndicatorKind
from ..result import Explanation, FundFigures, IndicatorScore, ScoreBasis
from ..rules import RuleSet
from ..values import HUNDRED, Measure, fmt, fmt_pct
from .funds import completed_within_budget, rate_score
from .qualitative import read_phrase, read_yes_no


@dataclass(frozen=True, slots=True)
class LeafContext:
    evaluation: Evaluation
    rules: RuleSet
    framework: Framework
    funds: FundFigures

    def is_satisfaction(self, path: tuple[str, ...], indicator: Indicator) -> bool:
        return (
            indicator.survey is not None
            or self.framework.category_of(path) is Category.SATISFACTION
            or "满意" in indicator.name
        )


def score_leaf(path: tuple[str, ...], indicator: Indicator, ctx: LeafContext) -> IndicatorScore:
    points = indicator.points
    if points is None:
        return IndicatorScore(path, indicator, None, None, ScoreBasis.NONE, Explanation("未评分", "未设定分值"))
    kind = indicator.effective_kind
    if ctx.is_satisfaction(path, indicator) and kind in (IndicatorKind.POSITIVE, IndicatorKind.QUALITATIVE):
        return _satisfaction(path, indicator, points, ctx)
    return _SCORERS[kind](path, indicator, points, ctx)


def _carry_claim(
    path: tuple[str, ...], ind: Indicator, points: Decimal, why: str, *, cap: tuple[Decimal, str] | None = None
) -> IndicatorScore:
    """When jixiao cannot compute a score, it carries the unit's own and says so; ``cap`` = (most points, tier)."""
    claimed = ind.claimed_score
    if claimed is None:
        return IndicatorScore(path, ind, points, None, ScoreBasis.NONE, Explanation("无法计算", why))
    if cap is None:
        text, carried = f"{why}，暂按单位自评 {fmt(claimed)} 分计入，须人工复核", claimed
    elif claimed <= cap[0]:
        text = f"{why}，须人工复核；暂按单位自评 {fmt(claimed)} 分计入，但不超过“{cap[1]}”档上限 {fmt(cap[0])} 分"
        carried = claimed
    else:
        text = f"{why}，须人工复核；单位自评 {fmt(claimed)} 分超过“{cap[1]}”档上限，暂按上限 {fmt(cap[0])} 分计入"
        carried = cap[0]
    explanation = Explanation("采用单位自评分", text)
    return IndicatorScore(path, ind, points, None, ScoreBasis.CLAIMED, explanation, carried=carried)


def _carry_uncertain(
    path: tuple[str, ...], ind: Indicator, points: Decimal, ctx: LeafContext, doubt: str, what: str = "达成档次"
) -> IndicatorScore:
    """A 定性 or 是否 actual that states nothing certain: never the top tier's points by default (rule set's cap)."""
    rule = ctx.rules.qualitative_uncertain
    tier = ctx.rules.tier(rule.cap_tier)
    actual = (ind.actual or "").strip()
    cap = (points * tier.max_share, tier.short_label) if actual or rule.cap_empty else None
    why = f"实际完成值“{actual}”未能确定{what}（{doubt}）" if actual else f"未填写实际完成值，未能确定{what}"
    return _carry_claim(path, ind, points, why, cap=cap)


def _inputs(ind: Indicator, points: Decimal) -> tuple[tuple[str, str], ...]:
    return (("年度指标值", ind.target or "—"), ("实际完成值", ind.actual or "—"), ("分值", fmt(points)))


def _computed(
    path: tuple[str, ...],
    ind: Indicator,
    points: Decimal,
    score: Decimal,
    formula: str,
    ctx: LeafContext,
    *,
    inputs: tuple[tuple[str, str], ...] | None = None,
    completion: Decimal | None = None,
    tier: str | None = None,
) -> IndicatorScore:
    """A score jixiao computed under the rule set, explained by ``formula`` and (by default) target, actual, points."""
    explanation = Explanation(ctx.rules.name, formula, inputs if inputs is not None else _inputs(ind, points))
    return IndicatorScore(
        path, ind, points, score, ScoreBasis.COMPUTED, explanation, completion_pct=completion, tier=tier
    )


def _numbers(ind: Indicator) -> tuple[Measure, Measure, str | None]:
    """Target and actual measures, or a reason why they cannot be compared."""
    target, actual = ind.target_measure, ind.actual_measure
    if target.number is None:
        return target, actual, "年度指标值不是数值"
    if actual.number is None:
        return target, actual, "实际完成值不是数值"
    if target.unit and actual.unit and target.unit != actual.unit:
        return target, actual, f"年度指标值单位“{target.unit}”与实际完成值单位“{actual.unit}”不一致"
    return target, actual, None


def _positive_share(completion: Decimal, rules: RuleSet) -> tuple[Decimal, str]:
    """Share of points for a completion rate (percentage points) below 100%."""
    q = rules.quantitative
    if q.method == "threshold_linear":
        if completion < q.threshold_pct:
            return Decimal(0), f"完成率 {fmt_pct(completion)} 低于 {fmt_pct(q.threshold_pct)}，得 0 分"
        share = (completion - q.threshold_pct) / (HUNDRED - q.threshold_pct)
        return share, (
            f"(完成率 − {fmt_pct(q.threshold_pct)}) ÷ (100% − {fmt_pct(q.threshold_pct)}) × 分值"
            f" = ({fmt_pct(completion)} − {fmt_pct(q.threshold_pct)}) ÷ {fmt(HUNDRED - q.threshold_pct)}%"
        )
    return completion / HUNDRED, f"实际值 ÷ 目标值 × 分值，完成率 {fmt_pct(completion)}"


def _positive(path: tuple[str, ...], ind: Indicator, points: Decimal, ctx: LeafContext) -> IndicatorScore:
    target, actual, problem = _numbers(ind)
    if problem:
        return _carry_claim(path, ind, points, problem)
    assert target.number is not None and actual.number is not None
    if target.number == 0:
        return _computed(path, ind, points, points, f"目标值为 0，已完成，得满分 {fmt(points)} 分", ctx)
    completion = actual.number * HUNDRED / target.number
    if actual.number >= target.number:
        return _computed(
            path,
            ind,
            points,
            points,
            f"实际值 {fmt(actual.number)} ≥ 目标值 {fmt(target.number)}，完成率 {fmt_pct(completion)}，得满分 {fmt(points)} 分",
            ctx,
            completion=completion,
        )
    share, formula = _positive_share(completion, ctx.rules)
    score = points * share
    return _computed(path, ind, points, score, f"未完成目标：{formula} = {fmt(score)} 分", ctx, completion=completion)


def _reverse(path: tuple[str, ...], ind: Indicator, points: Decimal, ctx: LeafContext) -> IndicatorScore:
    target, actual, problem = _numbers(ind)
    if problem:
        return _carry_claim(path, ind, points, problem)
    assert target.number is not None and actual.number is not None
    t, a = target.number, actual.number
    completion = (t * HUNDRED / a) if a else None
    if a <= t:
        return _computed(
            path,
            ind,
            points,
            points,
            f"反向指标：实际值 {fmt(a)} ≤ 目标值 {fmt(t)}，得满分 {fmt(points)} 分",
            ctx,
            completion=completion,
        )
    if t == 0:
        score, formula = Decimal(0), "目标值为 0 而实际值大于 0，得 0 分"
    elif ctx.rules.reverse.formula == "linear_to_double":
        score = max(Decimal(0), points * (2 * t - a) / t)
        formula = (
            f"反向指标线性递减至两倍目标值为 0：(2 × {fmt(t)} − {fmt(a)}) ÷ {fmt(t)} × {fmt(points)} = {fmt(score)} 分"
        )
    else:
        score = points * t / a
        formula = f"反向指标：目标值 ÷ 实际值 × 分值 = {fmt(t)} ÷ {fmt(a)} × {fmt(points)} = {fmt(score)} 分"
    return _computed(path, ind, points, score, formula, ctx, completion=completion)


def _equal(path: tuple[str, ...], ind: Indicator, points: Decimal, ctx: LeafContext) -> IndicatorScore:
    target, actual, problem = _numbers(ind)
    if problem:
        return _carry_claim(path, ind, points, problem)
    assert target.number is not None and actual.number is not None
    if target.number != 0:
        return _positive(path, ind, points, ctx)
    met = actual.number <= 0
    score = points if met else Decimal(0)
    formula = (
        f"等于 0 的指标：实际值 {fmt(actual.number)}，{'达标得满分' if met else '不为 0，得 0 分'} {fmt(score)} 分"
    )
    return _computed(path, ind, points, score, formula, ctx)


def _yes_no(path: tuple[str, ...], ind: Indicator, points: Decimal, ctx: LeafContext) -> IndicatorScore:
    answer = read_yes_no(ind.actual, ctx.rules)
    if answer.yes is None:
        return _carry_uncertain(path, ind, points, ctx, answer.basis, "是或否")
    expected_yes = (ind.target or "是").strip() not in ctx.rules.qualitative_phrases.yes_no.no_answers
    met = answer.yes == expected_yes
    score = points if met else Decimal(0)
    said = f"实际完成值为“{'是' if answer.yes else '否'}”" + (f"（{answer.basis}）" if answer.basis else "")
    formula = f"是否类指标全得或不得：{said}，{'达到' if met else '未达到'}，得 {fmt(score)} 分"
    return _computed(path, ind, points, score, formula, ctx)


def _qualitative(path: tuple[str, ...], ind: Indicator, points: Decimal, ctx: LeafContext) -> IndicatorScore:
    reading = read_phrase(ind.actual, ctx.rules)
    tier = reading.tier
    if tier is None:
        return _carry_uncertain(path, ind, points, ctx, reading.doubt)
    low, high = points * tier.min_share, points * tier.max_share
    claimed = ind.claimed_score
    rng = f"{fmt(tier.min_share * HUNDRED)}%–{fmt(tier.max_share * HUNDRED)}% 即 {fmt(low)}–{fmt(high)} 分"
    if claimed is None:
        score, why = high, f"无自评分，取档内上限 {fmt(high)} 分"
    elif claimed > high:
        score, why = high, f"自评 {fmt(claimed)} 分超出档内上限，按上限 {fmt(high)} 分计"
    elif claimed < low:
        score, why = low, f"自评 {fmt(claimed)} 分低于档内下限，按下限 {fmt(low)} 分计"
    else:
        score, why = claimed, f"自评 {fmt(claimed)} 分在档内，予以采用"
    formula = f"定性指标：{reading.text()}，得分区间 {rng}；{why}"
    return _computed(path, ind, points, score, formula, ctx, tier=tier.label)


def _fund(path: tuple[str, ...], ind: Indicator, points: Decimal, ctx: LeafContext) -> IndicatorScore:
    measure = ind.fund_measure or FundMeasure.EXECUTION_RATE
    funds = ctx.funds
    figure = {
        FundMeasure.ARRIVAL_RATE: funds.arrival_rate,
        FundMeasure.EXECUTION_RATE: funds.execution_rate,
        FundMeasure.SPEND_RATE: funds.spend_rate,
    }[measure]
    name = figure.explanation.rule
    inputs = (*figure.explanation.inputs, (name, fmt_pct(figure.value)), ("分值", fmt(points)))
    if measure is FundMeasure.EXECUTION_RATE:
        scored = rate_score(
            figure.value,
            points,
            ctx.rules,
            name,
            completed_within_budget=completed_within_budget(ctx.evaluation, funds),
        )
        return IndicatorScore(
            path,
            ind,
            points,
            scored.value,
            ScoreBasis.COMPUTED if scored.value is not None else ScoreBasis.NONE,
            Explanation(scored.explanation.rule, f"{figure.explanation.formula}；{scored.explanation.formula}", inputs),
            completion_pct=figure.value,
        )
    if figure.value is None:
        return _carry_claim(path, ind, points, figure.explanation.formula)
    rate = figure.value
    if rate >= HUNDRED:
        score, formula = points, f"{name} {fmt_pct(rate)} ≥ 100%，得满分 {fmt(points)} 分"
    else:
        share, how = _positive_share(rate, ctx.rules)
        score = points * share
        formula = f"{name}未达 100%：{how} = {fmt(score)} 分"
    return _computed(
        path, ind, points, score, f"{figure.explanation.formula}；{formula}", ctx, inputs=inputs, completion=rate
    )


def satisfaction_rate(ind: Indicator, evaluation: Evaluation) -> tuple[Decimal | None, str]:
    """The satisfaction rate in percentage points and where it came from (survey or stated actual)."""
    if ind.survey:
        survey = evaluation.survey(ind.survey)
        if survey is not None and survey.rate_pct is not None:
            return survey.rate_pct, f"调查“{survey.title}”满意 {survey.satisfied} 人 ÷ 有效样本 {survey.respondents} 人"
    actual = ind.actual_measure
    if actual.number is not None and actual.unit in ("%", None):
        return actual.number, f"实际完成值 {ind.actual}"
    return None, ""


def _satisfaction(path: tuple[str, ...], ind: Indicator, points: Decimal, ctx: LeafContext) -> IndicatorScore:
    rule = ctx.rules.satisfaction
    rate, source = satisfaction_rate(ind, ctx.evaluation)
    if rate is None:
        if ind.effective_kind is IndicatorKind.QUALITATIVE:
            return _qualitative(path, ind, points, ctx)
        return _carry_claim(path, ind, points, "满意度没有调查数据或数值")
    inputs = (("满意度", f"{fmt_pct(rate)}（{source}）"), ("年度指标值", ind.target or "—"), ("分值", fmt(points)))
    target = ind.target_measure.number or HUNDRED
    completion = rate * HUNDRED / target if target else None
    if rule.method == "bands":
        band = next(b for b in rule.bands if rate >= b.min_pct)
        score = points * band.share
        return _computed(
            path,
            ind,
            points,
            score,
            f"满意度分档：{fmt_pct(rate)} ≥ {fmt_pct(band.min_pct)}，得 {fmt(band.share * HUNDRED)}% × {fmt(points)} = {fmt(score)} 分",
            ctx,
            inputs=inputs,
            completion=completion,
        )
    if rate >= target:
        score, formula = points, f"满意度 {fmt_pct(rate)} ≥ 目标 {fmt_pct(target)}，得满分 {fmt(points)} 分"
    else:
        share, how = _positive_share(rate * HUNDRED / target, ctx.rules)
        score = points * share
        formula = f"满意度未达目标 {fmt_pct(target)}：{how} = {fmt(score)} 分"
    return _computed(path, ind, points, score, formula, ctx, inputs=inputs, completion=completion)


Scorer = Callable[[tuple[str, ...], Indicator, Decimal, LeafContext], IndicatorScore]

_SCORERS: dict[IndicatorKind, Scorer] = {
    IndicatorKind.POSITIVE: _positive,
    IndicatorKind.REVERSE: _reverse,
    IndicatorKind.EQUAL: _equal,
    IndicatorKind.QUALITATIVE: _qualitative,
    IndicatorKind.YES_NO: _yes_no,
    IndicatorKind.FUND: _fund,
}
