"""What the engine computed: fund figures, indicator scores, total, grade and findings, each explained."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .frameworks import Framework
from .model import Evaluation, Indicator
from .rules import ExecutionBasis, RuleSet


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
    CLAIMED = "claimed"  # could not be computed; the unit's own score is carried, and said so
    NONE = "none"  # neither


@dataclass(slots=True)
class IndicatorScore:
    path: tuple[str, ...]
    indicator: Indicator
    points: Decimal | None
    computed: Decimal | None
    basis: ScoreBasis
    explanation: Explanation
    completion_pct: Decimal | None = None  # actual / target × 100 where that is meaningful
    tier: str | None = None  # qualitative tier label

    @property
    def used(self) -> Decimal | None:
        """The score that enters the total: computed, else the carried claim."""
        if self.basis is ScoreBasis.COMPUTED:
            return self.computed
        if self.basis is ScoreBasis.CLAIMED:
            return self.indicator.claimed_score
        return None


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

    def score_of(self, path: tuple[str, ...]) -> IndicatorScore | None:
        return next((s for s in self.indicators if s.path == path), None)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]
