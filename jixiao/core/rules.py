"""Rule sets: how indicators, budget execution and grades are scored. Loaded from YAML data, never coded per place.

The schema here is the contract for ``jixiao/data/rules/*.yaml`` and for users' own files.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from .model import Model, Num


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
    """One of the three tiers of 定性 scoring; a share range of the points and the words that name it."""

    id: str
    label: str
    keywords: list[str]
    min_share: Num = Field(ge=0, le=1)
    max_share: Num = Field(ge=0, le=1)


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
    qualitative: list[QualitativeTier] = Field(min_length=1)
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

    def tier_for(self, text: str | None) -> QualitativeTier | None:
        """The qualitative tier whose words appear in ``text``.

        The earliest match wins, then the longest, so that a qualifier in front decides:
        “部分达成年度指标” is partial and “未达成年度指标” is missed, not achieved.
        """
        if not text:
            return None
        best: tuple[int, int, QualitativeTier] | None = None
        for tier in self.qualitative:
            for word in tier.keywords:
                at = text.find(word)
                if at >= 0 and (best is None or (at, -len(word)) < (best[0], -best[1])):
                    best = (at, len(word), tier)
        return best[2] if best else None
