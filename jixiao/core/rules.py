"""Rule sets: how indicators, budget execution and grades are scored. Loaded from YAML data, never coded per place.

The schema here is the contract for ``jixiao/data/rules/*.yaml`` and for users' own files.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from .model import Model, Num
from .values import ValueProblem


class ExecutionBasis(StrEnum):
    """Denominator of 预算执行率: 附1 uses 全年预算数, 附2 uses 实际到位资金."""

    BUDGET = "budget"
    ARRIVED = "arrived"


EXECUTION_BASIS_LABELS = {
    ExecutionBasis.BUDGET: "全年执行数 ÷ 全年预算数（财预〔2020〕10号 附1 口径）",
    ExecutionBasis.ARRIVED: "实际支出 ÷ 实际到位资金（财预〔2020〕10号 附2 口径）",
}


class Band(Model):
    """A score band: at or above ``min_pct`` the indicator earns ``share`` of its points."""

    min_pct: Num = Field(title="下限（%，含）")
    share: Num = Field(title="得分比例", ge=0, le=1)
    label: str | None = None


def _check_bands(bands: list[Band], what: str) -> None:
    mins = [b.min_pct for b in bands]
    if mins != sorted(mins, reverse=True):
        raise ValueError(f"{what}的分档须按下限从高到低排列")
    if not bands or bands[-1].min_pct > 0:
        raise ValueError(f"{what}的分档最后一档下限须为 0")


class ExecutionRule(Model):
    """预算执行率 score."""

    basis: ExecutionBasis = ExecutionBasis.BUDGET
    method: str = Field(pattern="^(ratio|bands)$", description="ratio: 执行率 × 分值（封顶）; bands: 分档")
    bands: list[Band] = Field(default_factory=list)
    unexplained_below_pct: Num = Field(default=Decimal(90), description="执行率低于此值须说明原因")
    full_when_completed: bool = Field(
        default=False, description="项目已完成且执行数控制在年度预算规模之内的，预算执行率得满分（财预〔2021〕101号）"
    )

    @model_validator(mode="after")
    def _bands_when_banded(self) -> ExecutionRule:
        if self.method == "bands":
            _check_bands(self.bands, "预算执行率")
        return self


class QuantitativeRule(Model):
    """定量（正向）: full marks when met; below the target either pro rata or linear above a threshold."""

    method: str = Field(pattern="^(ratio|threshold_linear)$")
    threshold_pct: Num = Field(default=Decimal(0), description="threshold_linear: 完成率低于此值得 0 分")
    over_achievement_factor: Num = Field(default=Decimal("1.2"), description="实际值达到目标值此倍数时提示目标可能偏低")


class ReverseRule(Model):
    """定量（反向）, targets written with ≤."""

    formula: str = Field(pattern="^(target_over_actual|linear_to_double)$")


class QualitativeTier(Model):
    """One of the three tiers of 定性 scoring: a share range of the points and the judgement words that state it.

    ``negated`` is the tier a judgement word states when negated (“未完成”, “效果不明显”); none means that its
    negation states no tier for certain (“无不足” is not “达成”).
    """

    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    label: str
    short: str = Field(default="", title="简称", description="说明中使用，如“部分达成”；默认取名称")
    keywords: list[str] = Field(title="判断词")
    negated: str | None = Field(default=None, title="被否定时的档次")
    min_share: Num = Field(ge=0, le=1)
    max_share: Num = Field(ge=0, le=1)

    @property
    def short_label(self) -> str:
        return self.short or self.label


class DegreeWords(Model):
    """Degree words (全部、基本、部分…): the tier they imply alone, inside a negation and in front of one."""

    tier: str = Field(title="所示档次")
    words: list[str] = Field(min_length=1)
    negated: str | None = Field(default=None, title="在否定之后的档次", description="“未全部完成”；空 = 不能确定")
    over_negation: str | None = Field(
        default=None, title="在否定之前的档次", description="“部分未完成”；空 = 按被否定的判断词"
    )


class YesNoWords(Model):
    """是否类指标: bare answers, and the extra judgement words that state “是” (“已建立”, “未发生”)."""

    yes_answers: list[str] = Field(min_length=1, title="表示“是”的答语")
    no_answers: list[str] = Field(min_length=1, title="表示“否”的答语")
    words: list[str] = Field(default_factory=list, title="表示“是”的判断词")


class PhraseVocabulary(Model):
    """The words a qualitative 实际完成值 is read by (jixiao.core.scoring.qualitative). Each word in one list only."""

    negators: list[str] = Field(min_length=1, title="否定词")
    neutral: list[str] = Field(default_factory=list, title="不表判断的词", description="“不断”“满意度”“完成率”")
    degrees: list[DegreeWords] = Field(default_factory=list, title="程度词")
    contrast: list[str] = Field(default_factory=list, title="转折词", description="其后的分句须表明达成程度")
    concessive: list[str] = Field(default_factory=list, title="让步词")
    scope_enders: list[str] = Field(default_factory=list, title="结束否定范围的连词")
    hedges: list[str] = Field(default_factory=list, title="表示计划而非结果的词")
    mixed_tier: str = Field(title="达成与未达成并见时的档次")
    yes_no: YesNoWords


class UncertainQualitative(Model):
    """A qualitative 实际完成值 that states no tier for certain: the claim is carried, capped at a tier's maximum."""

    cap_tier: str = Field(title="封顶档次", description="暂按单位自评分计入，但不超过此档上限")
    cap_empty: bool = Field(default=True, title="实际完成值为空时同样封顶")


class SatisfactionRule(Model):
    """服务对象满意度: pro rata like any quantitative indicator, or banded."""

    method: str = Field(pattern="^(quantitative|bands)$")
    bands: list[Band] = Field(default_factory=list)

    @model_validator(mode="after")
    def _bands_when_banded(self) -> SatisfactionRule:
        if self.method == "bands":
            _check_bands(self.bands, "满意度")
        return self


class GradeBand(Model):
    grade: str = Field(pattern="^(优|良|中|差)$")
    min_score: Num
    aliases: list[str] = Field(default_factory=list)


class RuleSet(Model):
    """A named, versioned rule set with its source."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    source: str
    execution: ExecutionRule
    quantitative: QuantitativeRule
    reverse: ReverseRule
    qualitative: list[QualitativeTier] = Field(min_length=2, description="从高到低")
    qualitative_phrases: PhraseVocabulary
    qualitative_uncertain: UncertainQualitative
    satisfaction: SatisfactionRule
    yes_no_partial: bool = Field(default=False, description="是否类指标: false = 全得或不得")
    grades: list[GradeBand] = Field(min_length=1)
    not_applicable: str = Field(default="rescale", pattern="^(rescale|drop)$")
    inflation_margin: Num = Field(default=Decimal("0.05"), description="指标得分率超过执行率的相对幅度")
    claim_tolerance: Num = Field(default=Decimal("0.5"), description="自评分与计算分允许相差的分数")

    @model_validator(mode="after")
    def _grades_descending(self) -> RuleSet:
        mins = [g.min_score for g in self.grades]
        if mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise ValueError("等级分档须按下限从高到低排列，最后一档下限为 0")
        return self

    @model_validator(mode="after")
    def _qualitative_consistent(self) -> RuleSet:
        _check_qualitative(self)
        return self

    def tier(self, tier_id: str) -> QualitativeTier:
        return next(t for t in self.qualitative if t.id == tier_id)

    def grade_for(self, score: Decimal) -> str:
        for band in self.grades:
            if score >= band.min_score:
                return band.grade
        return self.grades[-1].grade

    def normalise_grade(self, text: str | None) -> str | None:
        """``优秀`` → ``优``; None if the text names no grade."""
        if text is None:
            return None
        text = text.strip()
        for band in self.grades:
            if text == band.grade or text in band.aliases:
                return band.grade
        return None

    def grade_band(self, grade: str) -> tuple[Decimal, Decimal]:
        """The [low, high) score range of a grade; the top band's high is 100 inclusive."""
        for i, band in enumerate(self.grades):
            if band.grade == grade:
                high = self.grades[i - 1].min_score if i else Decimal(100)
                return band.min_score, high
        raise KeyError(grade)


def _check_qualitative(rules: RuleSet) -> None:
    """Tiers from high to low, every tier named exists, the cap is below the top tier, and no word is in two lists."""
    tiers = rules.qualitative
    ids = [t.id for t in tiers]
    if len(set(ids)) != len(ids):
        raise ValueProblem("定性指标档次编号重复")
    for t in tiers:
        if t.min_share > t.max_share:
            raise ValueProblem(f"定性指标“{t.label}”档的得分比例下限大于上限")
    if [t.max_share for t in tiers] != sorted((t.max_share for t in tiers), reverse=True):
        raise ValueProblem("定性指标档次须按得分比例从高到低排列")
    vocab = rules.qualitative_phrases
    named = [t.negated for t in tiers] + [vocab.mixed_tier, rules.qualitative_uncertain.cap_tier]
    named += [x for d in vocab.degrees for x in (d.tier, d.negated, d.over_negation)]
    unknown = sorted({n for n in named if n is not None and n not in ids})
    if unknown:
        raise ValueProblem(f"定性指标词表引用了不存在的档次：{'、'.join(unknown)}（现有：{'、'.join(ids)}）")
    if rules.qualitative_uncertain.cap_tier == ids[0]:
        raise ValueProblem("不能确定档次时的封顶档次不能是最高档")
    lists = {f"“{t.label}”档判断词": t.keywords for t in tiers}
    lists |= {f"第 {i} 组程度词": d.words for i, d in enumerate(vocab.degrees, 1)}
    lists |= {
        "否定词": vocab.negators,
        "不表判断的词": vocab.neutral,
        "转折词": vocab.contrast,
        "让步词": vocab.concessive,
        "结束否定范围的连词": vocab.scope_enders,
        "表示计划的词": vocab.hedges,
        "是否类判断词": vocab.yes_no.words,
    }
    seen: dict[str, str] = {}
    for name, words in lists.items():
        for word in words:
            if not word.strip():
                raise ValueProblem(f"{name}中有空词")
            if word in seen and seen[word] != name:
                raise ValueProblem(f"“{word}”同时出现在{seen[word]}和{name}中")
            seen[word] = name
