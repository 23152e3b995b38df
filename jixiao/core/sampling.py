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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

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
class Candidate:
    """A submitted self-evaluation that may be drawn. Money in 万元, scores in points, rates in percentage points.

    ``computed_score`` is None when the engine could not score it (then there is nothing to compare);
    ``earlier_gaps`` are the unit's 自评 − 复核 gaps of earlier years (positive: the unit claimed more).
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
    earlier_gaps: tuple[Decimal, ...] = ()


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


def _parts(c: Candidate, weights: SamplingWeights, memo: dict[int, tuple[_Part, ...]] | None = None) -> list[_Part]:
    """The parts of ``c``'s risk score. ``memo`` (one draw's) keeps the earlier-years part per ``earlier_gaps``
    object: every evaluation of a unit carries the same history, often of dozens of re-checks."""
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
    if memo is None:
        parts += _earlier_part(c.earlier_gaps, weights)
    else:
        earlier = memo.get(id(c.earlier_gaps))
        if earlier is None:
            earlier = memo[id(c.earlier_gaps)] = _earlier_part(c.earlier_gaps, weights)
        parts += earlier
    return parts


def _earlier_part(earlier_gaps: tuple[Decimal, ...], weights: SamplingWeights) -> tuple[_Part, ...]:
    inflated = [g for g in earlier_gaps if g > 0]
    if not inflated:
        return ()
    mean = quantize(sum(inflated, Decimal(0)) / len(inflated))
    years = len(earlier_gaps)
    return (
        _capped(
            lambda: (
                f"往年复核 {years} 次中 {len(inflated)} 次自评偏高，"
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

    memo: dict[int, tuple[_Part, ...]] = {}  # the earlier-years part, per unit history (see _parts)
    blocks: list[tuple[str, tuple[bool, int], list[SampledItem], DepartmentSummary]] = []
    for d in sorted(strata, key=_department_key):
        members = sorted(strata[d], key=lambda c: c.record_id)
        # the name as the candidate with the smallest record id has it (one department, one name, normally)
        name = NO_DEPARTMENT if d is None else members[0].department_name
        proportional, k = allocation[d]
        scored = sorted(
            ((min(_sum(_parts(c, weights, memo)), HUNDRED), c) for c in members),
            key=lambda s: (-s[0], s[1].budget_wan is None, -(s[1].budget_wan or 0), s[1].record_id),
        )
        r = random_count(k, plan.random_share_pct)
        rest = sorted((c for _, c in scored[k - r :]), key=lambda c: c.record_id)
        chosen: list[tuple[Part, int, Candidate]] = [
            ("risk", rank, c) for rank, (_, c) in enumerate(scored[: k - r], start=1)
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
