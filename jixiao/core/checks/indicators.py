"""I: checks on the indicator tree: coverage, direction, measurability, targets and actuals, satisfaction surveys."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..frameworks import Category
from ..model import IndicatorKind
from ..result import EvaluationResult, IndicatorScore, ScoreBasis, Severity
from ..values import HUNDRED, Measure, fmt, fmt_pct, normalise, quantize
from . import Hit, check
from ._util import where
from .funds import matches_stated_rate

#: when a path matches no framework node, the names themselves say what a branch measures (most specific first)
_NAME_CATEGORIES = (
    ("满意", Category.SATISFACTION),
    ("成本", Category.COST),
    ("效益", Category.BENEFIT),
    ("产出", Category.OUTPUT),
)
#: a cost indicator with one of these words measures a saving, which is rightly ≥
_SAVING_WORDS = ("节约", "节省", "降低", "下降", "压减")
#: a rate with one of these words may rightly exceed 100% (growth, completion against plan)
_MAY_EXCEED_100 = ("增长", "增幅", "增加", "提高", "提升", "完成率", "同比", "环比", "倍", "超额")
#: a Chinese numeral with a measure word is measurable too: "开展三次", "两个"
_CHINESE_COUNT = re.compile(
    r"[零〇一二两三四五六七八九十百千]+[个次项场人家户所座篇期批名份本册台套件条处类年月天日周]"
)
_YES_NO = ("是", "否", "有", "无")
_QUANTITATIVE = (IndicatorKind.POSITIVE, IndicatorKind.REVERSE, IndicatorKind.EQUAL)


def _category(r: EvaluationResult, path: tuple[str, ...]) -> Category | None:
    """The framework's category for ``path``, else the one its names imply (a custom tree)."""
    found = r.framework.category_of(path)
    if found is not None:
        return found
    for name in reversed(path):
        for word, category in _NAME_CATEGORIES:
            if word in name:
                return category
    return None


def _applicable(r: EvaluationResult) -> Iterator[IndicatorScore]:
    """Scored leaves that are not marked 不适用."""
    return (s for s in r.indicators if not s.indicator.not_applicable)


def _is_satisfaction(r: EvaluationResult, s: IndicatorScore) -> bool:
    return _category(r, s.path) is Category.SATISFACTION or "满意" in s.indicator.name


def _num(value: Decimal) -> str:
    """A number as written, without trailing zeros: 1.20 → 1.2, 100 → 100."""
    return f"{value.normalize():f}"


@check("I001", "indicators.missing_output_or_benefit", Severity.ERROR, "缺少产出指标或效益指标")
def missing_output_or_benefit(r: EvaluationResult) -> Iterator[Hit]:
    """反例：指标体系只有产出指标和满意度指标，没有任何效益指标。正例：产出、效益指标下都有末级指标。"""
    leaves = [path for path, node in r.nodes if node.is_leaf and not node.not_applicable]
    categories = [_category(r, path) for path in leaves]
    outputs = sum(1 for c in categories if c in (Category.OUTPUT, Category.COST))
    benefits = sum(1 for c in categories if c is Category.BENEFIT)
    missing = [name for name, count in (("产出", outputs), ("效益", benefits)) if count == 0]
    if missing:
        yield Hit(
            f"缺少{'和'.join(missing)}指标：共 {len(leaves)} 项末级指标，其中产出类 {outputs} 项、效益类 {benefits} 项",
            "indicators",
        )


@check("I002", "indicators.cost_not_reverse", Severity.WARNING, "成本指标应为反向指标（≤）")
def cost_not_reverse(r: EvaluationResult) -> Iterator[Hit]:
    """成本越低越好，年度指标值应写成“≤”；成本节约率等写“≥”的不在此列。
    反例：“人均活动成本”年度指标值“≥50元”，或只写“50元”。正例：“≤50元”；“成本节约率 ≥5%”。"""
    for s in _applicable(r):
        ind = s.indicator
        if _category(r, s.path) is not Category.COST and "成本" not in ind.name:
            continue
        target = ind.target_measure
        if any(w in ind.name for w in _SAVING_WORDS) or target.number is None or target.is_percent:
            continue
        if target.operator == ">=":
            how = "写成“≥”（正向），按正向计分时实际成本越高得分越高"
        elif target.operator is None and ind.kind is None:
            how = "未写“≤”，将按正向指标计分"
        else:
            continue
        yield Hit(
            f"成本指标“{ind.name}”年度指标值“{ind.target}”{how}；成本指标应为反向指标，"
            f"如“≤{_num(target.number)}{target.unit or ''}”",
            where(s),
        )


@check("I003", "indicators.rate_over_100", Severity.ERROR, "比率或满意度超过 100%")
def rate_over_100(r: EvaluationResult) -> Iterator[Hit]:
    """合格率、覆盖率、满意度等不可能超过 100%（增长率、完成率除外）。
    反例：“参与群众满意度”实际完成值“105%”。正例：“95%”；“参观人数增长率 150%”。"""
    for s in _applicable(r):
        ind = s.indicator
        if ind.effective_kind is IndicatorKind.FUND:
            continue  # fund rates come from the fund figures; F003/F004 cover them
        if not ("率" in ind.name or "满意" in ind.name) or any(w in ind.name for w in _MAY_EXCEED_100):
            continue
        for label, measure in (("年度指标值", ind.target_measure), ("实际完成值", ind.actual_measure)):
            if measure.is_percent and measure.number is not None and measure.number > HUNDRED:
                yield Hit(f"“{ind.name}”{label}“{measure.raw}”超过 100%，该比率不可能大于 100%", where(s))


#: a 定性 target naming its level on the scale it was declared with: “定性：好（好/较好/一般/差）”
_LEVEL_ON_SCALE = re.compile(r"^定性[:：]\s*([^（(]+?)\s*[（(]([^）)]+)[）)]$")


def _measurable(text: str) -> bool:
    if (on_scale := _LEVEL_ON_SCALE.match(text)) and on_scale.group(1) in re.split(r"[/、，,]", on_scale.group(2)):
        return True
    return bool(re.search(r"\d", normalise(text))) or bool(_CHINESE_COUNT.search(text))


@check("I004", "indicators.target_not_measurable", Severity.WARNING, "年度指标值没有可衡量的数值")
def target_not_measurable(r: EvaluationResult) -> Iterator[Hit]:
    """反例：年度指标值“效果明显”“有所提升”。正例：“≥90%”“提高1个百分点”“全年开展三次”，是否类“是”，或定性指标写明评价标准中的等级“定性：好（好/较好/一般/差）”。"""
    for s in _applicable(r):
        ind = s.indicator
        target = (ind.target or "").strip()
        if not target or target in _YES_NO or ind.effective_kind in (IndicatorKind.YES_NO, IndicatorKind.FUND):
            continue
        if not _measurable(target):
            yield Hit(f"“{ind.name}”年度指标值“{target}”没有可衡量的数值或标准，无法客观判断完成程度", where(s))


@check("I005", "indicators.actual_restates_target", Severity.ERROR, "实际完成值只是照抄年度指标值")
def actual_restates_target(r: EvaluationResult) -> Iterator[Hit]:
    """反例：年度指标值“≥90%”，实际完成值也写“≥90%”；定性指标实际完成值与年度指标值一字不差。
    正例：实际完成值“95%”“达成年度指标”；目标“100%”实际“100%”。"""
    for s in _applicable(r):
        ind = s.indicator
        actual = (ind.actual or "").strip()
        if not actual:
            continue
        target = (ind.target or "").strip()
        if ind.actual_measure.operator in (">=", "<="):
            yield Hit(
                f"“{ind.name}”实际完成值“{actual}”带有比较符号，只是重复目标（年度指标值“{target or '未填写'}”），"
                "应填写实际达到的数值",
                where(s),
            )
        elif (
            actual == target
            and target not in _YES_NO
            and (ind.target_measure.operator is not None or ind.target_measure.number is None)
        ):
            yield Hit(f"“{ind.name}”实际完成值与年度指标值同为“{actual}”，未反映实际完成情况", where(s))


@check("I006", "indicators.target_too_low", Severity.WARNING, "实际值远超目标，目标值设定可能偏低")
def target_too_low(r: EvaluationResult) -> Iterator[Hit]:
    """财预〔2020〕10号第十六条：完成值高于指标值较多、目标明显偏低的应扣分；倍数取规则集设定（默认 1.2）。
    反例：目标“≥100场”，实际“120场”。正例：实际“110场”。"""
    factor = r.rules.quantitative.over_achievement_factor
    for s in _applicable(r):
        ind = s.indicator
        target, actual = ind.target_measure, ind.actual_measure
        if ind.effective_kind is not IndicatorKind.POSITIVE or target.operator not in (">=", None):
            continue
        if target.number is None or target.number <= 0 or actual.number is None or actual.operator is not None:
            continue
        if target.unit and actual.unit and target.unit != actual.unit:
            continue
        if actual.number >= factor * target.number:
            yield Hit(
                f"“{ind.name}”实际完成值“{actual.raw}”为年度指标值“{target.raw}”的 "
                f"{fmt_pct(actual.number * HUNDRED / target.number)}，达到 {_num(factor)} 倍以上，目标值设定可能偏低",
                where(s),
            )


@check("I007", "indicators.quantity_without_unit", Severity.INFO, "定量指标值未写计量单位")
def quantity_without_unit(r: EvaluationResult) -> Iterator[Hit]:
    """财预〔2021〕101号要求定量指标注明计量单位。反例：年度指标值“≥100”。正例：“≥100场”“≥90%”。"""
    for s in _applicable(r):
        ind = s.indicator
        target = ind.target_measure
        if ind.effective_kind in _QUANTITATIVE and target.number is not None and not target.unit:
            yield Hit(
                f"“{ind.name}”年度指标值“{ind.target}”未写计量单位（财预〔2021〕101号要求定量指标注明计量单位）",
                where(s),
            )


@check("I008", "indicators.target_or_actual_missing", Severity.WARNING, "末级指标缺少年度指标值或实际完成值")
def target_or_actual_missing(r: EvaluationResult) -> Iterator[Hit]:
    """资金类指标的实际值由资金数据计算，不在此列。反例：“科普活动场次”未填实际完成值。正例：两者都已填写。"""
    for s in _applicable(r):
        ind = s.indicator
        if ind.effective_kind is IndicatorKind.FUND:
            continue
        missing = [
            label
            for label, value in (("年度指标值", ind.target), ("实际完成值", ind.actual))
            if not (value or "").strip()
        ]
        if missing:
            yield Hit(f"“{ind.name}”未填写{'和'.join(missing)}", where(s))


@check("I009", "indicators.satisfaction_without_survey", Severity.WARNING, "满意度得分没有调查数据支撑")
def satisfaction_without_survey(r: EvaluationResult) -> Iterator[Hit]:
    """反例：“参与群众满意度”自评 10 分、实际完成值“95%”，却没有任何满意度调查（样本数、满意人数）。
    正例：提供调查并关联到指标。"""
    if r.evaluation.surveys:
        return
    for s in _applicable(r):
        ind = s.indicator
        if ind.claimed_score is None or ind.survey or not _is_satisfaction(r, s):
            continue
        yield Hit(
            f"满意度指标“{ind.name}”自评 {fmt(ind.claimed_score)} 分（实际完成值“{ind.actual or '未填写'}”），"
            "但未提供满意度调查数据（有效样本数、满意人数）",
            where(s),
        )


@check("I010", "indicators.survey_inconsistent", Severity.ERROR, "满意度调查数据自相矛盾")
def survey_inconsistent(r: EvaluationResult) -> Iterator[Hit]:
    """反例：有效样本 100 人，满意 120 人；有效样本为 0。正例：有效样本 200 人，满意 190 人。"""
    for i, survey in enumerate(r.evaluation.surveys):
        if survey.respondents == 0:
            yield Hit(f"满意度调查“{survey.title}”有效样本数为 0，无法计算满意度", f"surveys[{i}]")
        elif survey.satisfied > survey.respondents:
            yield Hit(
                f"满意度调查“{survey.title}”满意 {survey.satisfied} 人，多于有效样本 {survey.respondents} 人",
                f"surveys[{i}]",
            )


@check("I011", "indicators.points_or_score_missing", Severity.WARNING, "有得分无分值，或有分值无得分")
def points_or_score_missing(r: EvaluationResult) -> Iterator[Hit]:
    """反例：未设分值却自评 30 分；分值 30 分，既无自评得分也无法计算。正例：分值与得分都有。"""
    for s in _applicable(r):
        claimed = s.indicator.claimed_score
        if claimed is not None and s.points is None:
            yield Hit(f"“{s.path[-1]}”自评 {fmt(claimed)} 分，但未设定分值", where(s))
        elif s.points is not None and claimed is None and s.basis is ScoreBasis.NONE:
            yield Hit(
                f"“{s.path[-1]}”分值 {fmt(s.points)} 分，既无自评得分也无法计算得分（{s.explanation.formula}）",
                where(s),
            )


@check("I012", "indicators.survey_link_broken", Severity.ERROR, "指标关联的满意度调查不存在")
def survey_link_broken(r: EvaluationResult) -> Iterator[Hit]:
    """反例：指标关联调查“s9”，而调查只有“s1”。正例：关联“s1”。"""
    known = [survey.id for survey in r.evaluation.surveys]
    for s in r.indicators:
        link = s.indicator.survey
        if link and link not in known:
            yield Hit(f"“{s.path[-1]}”关联的满意度调查“{link}”不存在（已有调查：{'、'.join(known) or '无'}）", where(s))


def _survey_rate_matches(stated: Measure, rate: Decimal) -> bool:
    """As written (rounded or truncated); from two decimals on, one unit of the last place is allowed."""
    if stated.number is None or not stated.is_percent:
        return True
    if matches_stated_rate(rate, stated.number):
        return True
    places = max(-int(stated.number.as_tuple().exponent), 0)
    return places >= 2 and abs(quantize(rate) - stated.number) <= Decimal(1).scaleb(-places)


@check("I013", "indicators.satisfaction_differs_from_survey", Severity.ERROR, "满意度实际完成值与调查结果不符")
def satisfaction_differs_from_survey(r: EvaluationResult) -> Iterator[Hit]:
    """实际完成值按其所写的小数位与调查结果比较（四舍五入或截断均可）。
    反例：实际完成值“95%”，调查满意 180 人 ÷ 有效样本 200 人 = 90%。正例：满意 190 人（95%）。"""
    for s in _applicable(r):
        ind = s.indicator
        survey = r.evaluation.survey(ind.survey) if ind.survey else None
        if survey is None or survey.rate_pct is None:
            continue
        if not _survey_rate_matches(ind.actual_measure, survey.rate_pct):
            yield Hit(
                f"满意度指标“{ind.name}”实际完成值“{ind.actual}”与调查“{survey.title}”结果不符："
                f"满意 {survey.satisfied} 人 ÷ 有效样本 {survey.respondents} 人 = {fmt_pct(survey.rate_pct)}",
                where(s),
            )
