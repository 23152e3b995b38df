"""抽查复核: finance re-checks a sample of a year's self-evaluations, risk-ranked and stratified by 主管部门.

Each candidate gets a risk score (0–100) whose every point is explained in Chinese; the weights are data
(``jixiao/data/sampling/risk.yaml``, read by the caller). The sample size is spread over the 主管部门 in
proportion to their number of candidates (largest remainder), raised to a minimum per department; within a
department the riskiest are taken first and a share is drawn at random from the rest, so that no unit can count on
being passed over. Same inputs and same seed give the same sample in the same order.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .values import HUNDRED, fmt, quantize

NO_DEPARTMENT = "（未归属主管部门）"

Part = Literal["risk", "random"]


class SamplingError(ValueError):
    """A sampling plan or input that cannot be drawn from; the message is Chinese."""


class BudgetBand(BaseModel):
    """Budgets from ``from_wan`` 万元 up to the next band's get ``points``."""

    model_config = ConfigDict(extra="forbid")

    from_wan: Decimal = Field(ge=0)
    points: Decimal = Field(ge=0)


class SamplingWeights(BaseModel):
    """The weights of the 抽查 risk score (``jixiao/data/sampling/risk.yaml``)."""

    model_config = ConfigDict(extra="forbid")

    error: Decimal = Field(ge=0)
    warning: Decimal = Field(ge=0)
    findings_cap: Decimal = Field(ge=0)
    gap_per_point: Decimal = Field(ge=0)
    gap_cap: Decimal = Field(ge=0)
    excellent_from: Decimal
    low_rate_pct: Decimal
    claimed_excellent_low_rate: Decimal = Field(ge=0)
    budget_bands: list[BudgetBand] = Field(min_length=1)
    earlier_gap_weight: Decimal = Field(ge=0)
    earlier_gap_cap: Decimal = Field(ge=0)

    @model_validator(mode="after")
    def _bands_ascend_from_zero(self) -> SamplingWeights:
        starts = [b.from_wan for b in self.budget_bands]
        if starts[0] != 0:
            raise ValueError("预算分档的第一档应从 0 万元起")
        if any(a >= b for a, b in itertools.pairwise(starts)):
            raise ValueError("预算分档的起点应逐档递增")
        return self


@dataclass(frozen=True, slots=True)
class EarlierReviews:
    """A unit's 复核 of earlier years, summed up: how many there were, in how many the self score was higher than the
    re-checked one, and by how much in all in those (points). All the risk score needs of the history, so that a unit
    re-checked dozens of times is read as one row."""

    reviews: int = 0
    inflated: int = 0
    inflated_total: Decimal = Decimal(0)

    @classmethod
    def of(cls, gaps: Iterable[Decimal]) -> EarlierReviews:
        """From the 自评 − 复核 gaps one by one (positive: the unit claimed more)."""
        gaps = list(gaps)
        inflated = [g for g in gaps if g > 0]
        return cls(len(gaps), len(inflated), sum(inflated, Decimal(0)))


#: a unit never re-checked before
NO_EARLIER = EarlierReviews()


class Candidate(NamedTuple):
    """A submitted self-evaluation that may be drawn. Money in 万元, scores in points, rates in percentage points.

    ``computed_score`` is None when the engine could not score it (then there is nothing to compare);
    ``earlier`` sums up the unit's 复核 of earlier years (one object per unit, shared by its evaluations).
    A named tuple, not a frozen dataclass: as immutable, and a year's hundred thousand are made several times
    faster.
    """

    record_id: int
    department_id: int | None
    department_name: str
    unit_id: int
    unit_name: str
    project_name: str
    budget_wan: Decimal | None
    claimed_score: Decimal | None
    computed_score: Decimal | None
    execution_rate: Decimal | None
    error_count: int
    warning_count: int
    earlier: EarlierReviews = NO_EARLIER


@dataclass(frozen=True, slots=True)
class SamplePlan:
    """How many to draw (a percentage of the candidates or a count, exactly one), the least per 主管部门, the share
    of each department's sample drawn at random (percent) and the seed of that draw."""

    size_pct: Decimal | None = None
    size_count: int | None = None
    minimum_per_department: int = 0
    random_share_pct: Decimal = Decimal(0)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.size_pct is not None and self.size_count is not None:
            raise SamplingError("抽样规模只能按比例或按个数给出其一，不能同时给出")
        if self.size_pct is None and self.size_count is None:
            raise SamplingError("请给出抽样规模：按比例或按个数")
        if self.size_pct is not None and not (self.size_pct.is_finite() and 0 < self.size_pct <= HUNDRED):
            raise SamplingError(f"抽样比例应大于 0 且不超过 100%，实际为 {self.size_pct}%")
        if self.size_count is not None and self.size_count < 1:
            raise SamplingError(f"抽样个数应为正整数，实际为 {self.size_count}")
        if self.minimum_per_department < 0:
            raise SamplingError(f"每个主管部门最少抽取数不能为负数，实际为 {self.minimum_per_department}")
        if not (self.random_share_pct.is_finite() and 0 <= self.random_share_pct <= HUNDRED):
            raise SamplingError(f"随机抽取比例应在 0 到 100% 之间，实际为 {self.random_share_pct}%")


@dataclass(frozen=True)
class SampledItem:
    candidate: Candidate
    part: Part
    rank_in_department: int  # risk part: rank by risk; random part: order of the draw
    risk_score: Decimal
    reasons: list[str]
    seed: int

    @property
    def why(self) -> str:
        if self.part == "random":
            return f"随机抽取（种子 {self.seed}）"
        reasons = "；".join(self.reasons) or "无风险因素"
        return f"风险分 {_num(self.risk_score)}（{reasons}），在本主管部门排第 {self.rank_in_department} 位"


@dataclass(frozen=True, slots=True)
class DepartmentSummary:
    department_id: int | None
    department_name: str
    candidates: int
    proportional: int  # the department's share of the size asked, before the minimum
    allocated: int  # after raising to the minimum (at most its candidates)
    drawn_risk: int
    drawn_random: int


@dataclass(frozen=True)
class Sample:
    plan: SamplePlan
    n_asked: int  # the size from the plan, at most the number of candidates
    n_drawn: int
    items: list[SampledItem] = field(default_factory=list)
    per_department: list[DepartmentSummary] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        """What the reader must know about the size, in Chinese."""
        notes = []
        if self.plan.size_count is not None and self.plan.size_count > self.n_asked:
            notes.append(f"抽样个数 {self.plan.size_count} 多于候选数 {self.n_asked}，全部抽取")
        if self.n_drawn > self.n_asked:
            notes.append(
                f"因每个主管部门至少抽取 {self.plan.minimum_per_department} 个，"
                f"实际抽取 {self.n_drawn} 个，多于按规模确定的 {self.n_asked} 个"
            )
        return notes


def _num(value: Decimal) -> str:
    """A figure without trailing zeros: ``50``, ``12.5``."""
    return f"{value.normalize():f}"


#: a part of the risk score: its points, and how to say them (built only for what is drawn: 10⁵ candidates are
#: scored, a few thousand explained)
_Part = tuple[Decimal, Callable[[], str]]


def _capped(label: Callable[[], str], value: Decimal, cap: Decimal) -> _Part:
    if value > cap:
        return cap, lambda: f"{label()} = {_num(value)}，封顶 {_num(cap)}"
    return value, lambda: f"{label()} = {_num(value)}"


def _parts(c: Candidate, weights: SamplingWeights) -> list[_Part]:
    """The parts of ``c``'s risk score, each with how to say it (:func:`_scorer` adds up the same points without
    the words, for ranking every candidate)."""
    parts: list[_Part] = []
    findings = [
        (n, what, w)
        for n, what, w in ((c.error_count, "错误", weights.error), (c.warning_count, "警告", weights.warning))
        if n > 0
    ]
    findings_points = sum((n * w for n, _, w in findings), Decimal(0))
    if findings_points > weights.findings_cap:
        parts.append(
            _capped(
                lambda: " + ".join(f"{n} 条{what} × {_num(w)}" for n, what, w in findings),
                findings_points,
                weights.findings_cap,
            )
        )
    else:
        parts += [
            (n * w, lambda n=n, what=what, w=w: f"{n} 条{what} × {_num(w)} = {_num(n * w)}") for n, what, w in findings
        ]
    if c.claimed_score is not None and c.computed_score is not None and c.claimed_score > c.computed_score:
        gap = quantize(c.claimed_score - c.computed_score)
        parts.append(
            _capped(
                lambda: f"自评高于计算 {fmt(gap)} 分 × {_num(weights.gap_per_point)}",
                gap * weights.gap_per_point,
                weights.gap_cap,
            )
        )
    if (
        c.claimed_score is not None
        and c.claimed_score >= weights.excellent_from
        and c.execution_rate is not None
        and c.execution_rate < weights.low_rate_pct
    ):
        points = weights.claimed_excellent_low_rate
        claimed, rate = c.claimed_score, c.execution_rate
        parts.append((points, lambda: f"自评 {fmt(claimed)} 分（优）而预算执行率仅 {fmt(rate)}% = {_num(points)}"))
    if c.budget_wan is not None:
        at = bisect.bisect_right(weights.budget_bands, c.budget_wan, key=lambda b: b.from_wan) - 1
        if at >= 0 and weights.budget_bands[at].points > 0:
            band, budget = weights.budget_bands[at], c.budget_wan
            parts.append(
                (
                    band.points,
                    lambda: f"预算 {fmt(budget)} 万元（{_num(band.from_wan)} 万元及以上档）= {_num(band.points)}",
                )
            )
    parts += _earlier_part(c.earlier, weights)
    return parts


def _earlier_mean(earlier: EarlierReviews) -> Decimal:
    """How much higher the self score was, on average over the re-checks that found it higher (points, rounded)."""
    return quantize(earlier.inflated_total / earlier.inflated)


def _earlier_part(earlier: EarlierReviews, weights: SamplingWeights) -> tuple[_Part, ...]:
    if earlier.inflated <= 0:
        return ()
    mean = _earlier_mean(earlier)
    return (
        _capped(
            lambda: (
                f"往年复核 {earlier.reviews} 次中 {earlier.inflated} 次自评偏高，"
                f"平均高出 {fmt(mean)} 分 × {_num(weights.earlier_gap_weight)}"
            ),
            mean * weights.earlier_gap_weight,
            weights.earlier_gap_cap,
        ),
    )


def _sum(parts: list[_Part]) -> Decimal:
    total = Decimal(0)
    for points, _ in parts:
        total += points
    return total


def risk_score(c: Candidate, weights: SamplingWeights) -> tuple[Decimal, list[str]]:
    """The score (0–100) and its parts in Chinese ("2 条错误 × 25 = 50" …), which add up to it."""
    parts = _parts(c, weights)
    reasons = [say() for _, say in parts]
    total = _sum(parts)
    if total > HUNDRED:
        reasons.append(f"合计 {_num(total)}，封顶 100")
    return min(total, HUNDRED), reasons


def _scorer(weights: SamplingWeights) -> Callable[[Candidate], Decimal]:
    """The risk score of a candidate (capped at 100) as :func:`risk_score` gives it, without building the words:
    a year's hundred thousand candidates are all scored to be ranked, only the few thousand drawn are explained.
    The same arithmetic as :func:`_parts`, part by part (``tests/core/test_sampling.py`` holds the two together)."""
    error, warning, findings_cap = weights.error, weights.warning, weights.findings_cap
    gap_per_point, gap_cap = weights.gap_per_point, weights.gap_cap
    excellent_from, low_rate, excellent_low_rate = (
        weights.excellent_from,
        weights.low_rate_pct,
        weights.claimed_excellent_low_rate,
    )
    starts = [b.from_wan for b in weights.budget_bands]
    band_points = [b.points for b in weights.budget_bands]
    earlier_weight, earlier_cap = weights.earlier_gap_weight, weights.earlier_gap_cap
    # the earlier-years points per history object: a unit's evaluations share one (the object is kept with its
    # points, so that its id stays its own while the scorer lives)
    earlier_points: dict[int, tuple[EarlierReviews, Decimal]] = {id(NO_EARLIER): (NO_EARLIER, Decimal(0))}
    findings_points: dict[tuple[int, int], Decimal] = {}  # per (errors, warnings): a few dozen pairs in a year
    zero = Decimal(0)

    def score(c: Candidate) -> Decimal:
        counts = (c.error_count, c.warning_count)
        total = findings_points.get(counts)
        if total is None:
            errors, warnings = counts
            findings = zero
            if errors > 0:
                findings += errors * error
            if warnings > 0:
                findings += warnings * warning
            total = findings_points[counts] = findings_cap if findings > findings_cap else findings
        claimed, computed = c.claimed_score, c.computed_score
        if claimed is not None:
            if computed is not None and claimed > computed:
                points = quantize(claimed - computed) * gap_per_point
                total += gap_cap if points > gap_cap else points
            if claimed >= excellent_from and c.execution_rate is not None and c.execution_rate < low_rate:
                total += excellent_low_rate
        if c.budget_wan is not None:
            at = bisect.bisect_right(starts, c.budget_wan) - 1
            if at >= 0:
                total += band_points[at]
        known = earlier_points.get(id(c.earlier))
        if known is None:
            earlier = zero
            if c.earlier.inflated > 0:
                points = _earlier_mean(c.earlier) * earlier_weight
                earlier = earlier_cap if points > earlier_cap else points
            known = earlier_points[id(c.earlier)] = (c.earlier, earlier)
        total += known[1]
        return HUNDRED if total > HUNDRED else total

    return score


def _department_key(department_id: int | None) -> tuple[bool, int]:
    """Departments in id order, the unassigned stratum last."""
    return (department_id is None, department_id or 0)


def allocate(counts: dict[int | None, int], n: int, minimum: int) -> dict[int | None, tuple[int, int]]:
    """Spread ``n`` over the departments in proportion to their candidate ``counts`` by the largest remainder (ties
    to the smaller department id), then raise each to ``minimum`` (at most its count).
    Returns department → (proportional share, allocated)."""
    total = sum(counts.values())
    keys = sorted(counts, key=_department_key)
    if total == 0:
        return {}
    floors = {d: n * counts[d] // total for d in keys}
    left = n - sum(floors.values())
    by_remainder = sorted(keys, key=lambda d: (-(n * counts[d] % total), _department_key(d)))
    shares = dict(floors)
    for d in by_remainder[:left]:
        shares[d] += 1
    return {d: (shares[d], max(shares[d], min(minimum, counts[d]))) for d in keys}


def sample_size(plan: SamplePlan, candidates: int) -> int:
    """The count, or ⌈pct × candidates / 100⌉; at most the number of candidates."""
    if plan.size_count is not None:
        return min(plan.size_count, candidates)
    assert plan.size_pct is not None  # the plan holds exactly one of the two
    return min(math.ceil(plan.size_pct * candidates / HUNDRED), candidates)


def random_count(k: int, share_pct: Decimal) -> int:
    """How many of a department's ``k`` are drawn at random: k × share / 100, rounded half up."""
    return int((k * share_pct / HUNDRED).to_integral_value(rounding=ROUND_HALF_UP))


def _natural(name: str) -> tuple[tuple[int, int | str], ...]:
    """A name's sort key with its runs of digits as numbers: 第2分局 before 第10分局."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name) if part)


def draw(candidates: Sequence[Candidate], plan: SamplePlan, weights: SamplingWeights) -> Sample:
    """Draw the sample: proportional allocation over 主管部门, then per department the riskiest first and a
    random share of the rest, seeded by the plan's seed and the department id."""
    seen: set[int] = set()
    for c in candidates:
        if c.record_id in seen:
            raise SamplingError(f"候选中记录编号 {c.record_id} 重复出现")
        seen.add(c.record_id)
    strata: dict[int | None, list[Candidate]] = {}
    for c in candidates:
        strata.setdefault(c.department_id, []).append(c)
    n = sample_size(plan, len(candidates))
    allocation = allocate({d: len(cs) for d, cs in strata.items()}, n, plan.minimum_per_department)

    score = _scorer(weights)
    blocks: list[tuple[str, tuple[bool, int], list[SampledItem], DepartmentSummary]] = []
    for d in sorted(strata, key=_department_key):
        members = sorted(strata[d], key=lambda c: c.record_id)
        # the name as the candidate with the smallest record id has it (one department, one name, normally)
        name = NO_DEPARTMENT if d is None else members[0].department_name
        proportional, k = allocation[d]
        # by risk, ties to the larger budget (an unknown one last), then to the smaller record id
        ranked = sorted(members, key=lambda c: (-score(c), c.budget_wan is None, -(c.budget_wan or 0), c.record_id))
        r = random_count(k, plan.random_share_pct)
        rest = sorted(ranked[k - r :], key=lambda c: c.record_id)
        chosen: list[tuple[Part, int, Candidate]] = [
            ("risk", rank, c) for rank, c in enumerate(ranked[: k - r], start=1)
        ]
        drawn = random.Random(f"{plan.seed}:{d}").sample(rest, r)
        chosen += [("random", rank, c) for rank, c in enumerate(drawn, start=1)]
        items = [SampledItem(c, part, rank, *risk_score(c, weights), plan.seed) for part, rank, c in chosen]
        summary = DepartmentSummary(d, name, len(members), proportional, k, k - r, r)
        blocks.append((name, _department_key(d), items, summary))

    blocks.sort(key=lambda b: (_natural(b[0]), b[1]))
    items = [item for _, _, block, _ in blocks for item in block]
    return Sample(
        plan=plan,
        n_asked=n,
        n_drawn=len(items),
        items=items,
        per_department=[summary for *_, summary in blocks],
    )
