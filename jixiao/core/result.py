"""What the engine computed: fund figures, indicator scores, total, grade and findings, each explained."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .frameworks import Framework
from .model import Evaluation, Indicator
from .rules import ExecutionBasis, RuleSet
from .values import quantize


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a number is what it is: the rule applied, the formula and its inputs, in Chinese."""

    rule: str
    formula: str
    inputs: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        inputs = "；".join(f"{name} {value}" for name, value in self.inputs)
        return f"{self.rule}：{self.formula}" + (f"（{inputs}）" if inputs else "")


@dataclass(frozen=True, slots=True)
class Figure:
    """A computed number with its explanation. ``value`` is unrounded."""

    value: Decimal | None
    explanation: Explanation


@dataclass(slots=True)
class FundFigures:
    """Budget, arrival and execution of the whole project, in 万元, with rates in percentage points."""

    initial_budget_wan: Decimal | None
    budget_wan: Decimal
    arrived_wan: Decimal | None
    spent_wan: Decimal | None
    arrival_rate: Figure
    spend_rate: Figure  # 支出率：执行 / 到位
    execution_rate: Figure  # 预算执行率 under the rule set's basis
    execution_basis: ExecutionBasis


class ScoreBasis(StrEnum):
    COMPUTED = "computed"  # jixiao computed it from target and actual
    CLAIMED = "claimed"  # could not be computed; the unit's own score is carried (perhaps capped), and said so
    NONE = "none"  # neither

    @property
    def label(self) -> str:
        return {"computed": "计算", "claimed": "采用自评分，须人工复核", "none": "无法计算"}[self.value]


def score_value(value: Decimal | None) -> Decimal | None:
    """A score as the official table prints it: 2 places, half up. Every scored line is rounded here, once,
    and every total is the sum of such lines, so printed totals always equal the sum of their printed parts."""
    return None if value is None else quantize(value)


def compare_scores(claimed: Decimal | None, computed: Decimal | None, whose: str = "单位自评") -> str:
    """``比单位自评低 4.50 分`` / ``与单位自评一致``, from the printed (rounded) figures; empty when one is missing."""
    a, b = score_value(claimed), score_value(computed)
    if a is None or b is None:
        return ""
    if a == b:
        return f"与{whose}一致"
    return f"比{whose}{'低' if b < a else '高'} {abs(a - b):.2f} 分"


@dataclass(slots=True)
class IndicatorScore:
    """One leaf's score. ``computed`` (and ``carried``) are already rounded to 2 places by :func:`score_value`."""

    path: tuple[str, ...]
    indicator: Indicator
    points: Decimal | None
    computed: Decimal | None
    basis: ScoreBasis
    explanation: Explanation
    completion_pct: Decimal | None = None  # actual / target × 100 where that is meaningful
    tier: str | None = None  # qualitative tier label
    carried: Decimal | None = None  # CLAIMED: the claim as carried, after any cap; defaults to the claim

    def __post_init__(self) -> None:
        self.computed = score_value(self.computed)
        if self.basis is ScoreBasis.CLAIMED and self.carried is None:
            self.carried = self.indicator.claimed_score
        self.carried = score_value(self.carried)

    @property
    def used(self) -> Decimal | None:
        """The score that enters the total: computed, else the carried claim."""
        if self.basis is ScoreBasis.COMPUTED:
            return self.computed
        if self.basis is ScoreBasis.CLAIMED:
            return self.carried
        return None

    @property
    def claimed(self) -> Decimal | None:
        """The unit's own score as printed (2 places)."""
        return score_value(self.indicator.claimed_score)


@dataclass(frozen=True, slots=True)
class CarriedShare:
    """The part of a computed total that rests on the unit's own scores (采用单位自评分、须人工复核)."""

    count: int  # leaves carried
    leaves: int  # applicable leaves
    points: Decimal  # their points (分值)
    score: Decimal  # the carried scores, as entered into the total
    share_pct: Decimal  # their points as a share of all points, 2 places

    def text(self) -> str:
        """``其中 16/23 项指标、共 62.00 分值（占 62.00%）采用单位自评分，须人工复核``; empty when none."""
        if not self.count:
            return ""
        return (
            f"其中 {self.count}/{self.leaves} 项指标（分值 {self.points:.2f} 分，占总分值 {self.share_pct:.2f}%）"
            f"无法计算，采用单位自评分 {self.score:.2f} 分，须人工复核"
        )


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        """Sort key: errors first, then warnings, then information."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of a consistency check."""

    id: str
    severity: Severity
    message: str
    location: str | None = None

    @property
    def key(self) -> str:
        """Stable across re-scoring while the problem stays: ``S010@claims.total_score``; the key of
        :attr:`Evaluation.explanations <jixiao.core.model.Evaluation.explanations>`."""
        return f"{self.id}@{self.location or ''}"

    def to_dict(self) -> dict[str, str | None]:
        return {"id": self.id, "severity": self.severity.value, "message": self.message, "location": self.location}


@dataclass(slots=True)
class EvaluationResult:
    evaluation: Evaluation
    rules: RuleSet
    framework: Framework
    funds: FundFigures
    execution_points: Decimal
    execution_score: Figure | None  # only where the framework scores execution outside the tree
    indicators: list[IndicatorScore]
    total: Figure
    grade: str | None
    max_attainable: Figure
    nodes: list[tuple[tuple[str, ...], Indicator]] = field(default_factory=list)  # the tree walked once, for checks
    findings: list[Finding] = field(default_factory=list)

    def explanation_of(self, finding: Finding) -> str | None:
        """The unit's written explanation of a finding, if any."""
        return (self.evaluation.explanations.get(finding.key) or "").strip() or None

    @property
    def unexplained_errors(self) -> list[Finding]:
        """Error findings the unit has not explained: they block submission."""
        return [f for f in self.errors if self.explanation_of(f) is None]

    def score_of(self, path: tuple[str, ...]) -> IndicatorScore | None:
        return next((s for s in self.indicators if s.path == path), None)

    @property
    def unscored(self) -> bool:
        """Nothing to score yet (未评分): no indicator has a score entering the total and no funds arrived or spent,
        so that a blank draft is not shown as 「0.00 分 差」. A budget alone scores nothing: a 自评任务 opens each
        project with its budget, and it is 未评分 until the unit fills in what was done."""
        f = self.funds
        has_results = f.arrived_wan is not None or f.spent_wan is not None
        return not has_results and all(s.used is None for s in self.indicators)

    @property
    def applicable(self) -> list[IndicatorScore]:
        return [s for s in self.indicators if not s.indicator.not_applicable]

    @property
    def indicator_sum(self) -> Decimal:
        """指标得分合计: the sum of the rounded leaf scores that enter the total (预算执行率 excluded)."""
        return sum((s.used for s in self.applicable if s.used is not None), Decimal(0))

    @property
    def carried(self) -> CarriedShare:
        """How much of the computed total is only the unit's own scores, carried because they could not be computed."""
        carried = [s for s in self.applicable if s.basis is ScoreBasis.CLAIMED]
        points = sum((s.points or Decimal(0) for s in carried), Decimal(0))
        all_points = sum((s.points or Decimal(0) for s in self.applicable), Decimal(0)) + self.execution_points
        return CarriedShare(
            count=len(carried),
            leaves=len(self.applicable),
            points=points,
            score=sum((s.used or Decimal(0) for s in carried), Decimal(0)),
            share_pct=quantize(points * 100 / all_points) if all_points else Decimal(0),
        )

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]
