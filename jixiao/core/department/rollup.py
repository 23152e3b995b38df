"""The roll-up of a department's project self-evaluations for the year: grades, budget and execution, weak projects."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..result import Explanation, Figure
from ..values import fmt, fmt_pct, ratio_pct

GRADES = ("优", "良", "中", "差")
#: a project without a grade yet (not scored, or not started)
UNGRADED = "未评"
#: the grades listed as 需关注
WEAK = ("中", "差")


@dataclass(frozen=True, slots=True)
class ProjectOutcome:
    """One project self-evaluation as the roll-up reads it. ``grade`` None: not graded yet."""

    project: str
    unit: str
    grade: str | None
    budget_wan: Decimal | None
    spent_wan: Decimal | None
    score: Decimal | None


@dataclass(frozen=True, slots=True)
class RollUp:
    projects: tuple[ProjectOutcome, ...]
    counts: dict[str, int]  # 优, 良, 中, 差, 未评
    budget_wan: Decimal
    spent_wan: Decimal
    execution_rate: Figure  # weighted: Σ执行 ÷ Σ预算 over projects that state both
    weak: tuple[ProjectOutcome, ...]  # graded 中 or 差, worst first

    @property
    def poor(self) -> tuple[ProjectOutcome, ...]:
        return tuple(p for p in self.projects if p.grade == "差")

    def distribution(self) -> str:
        """``优 3 项、良 1 项、中 0 项、差 1 项、未评 0 项``."""
        return "、".join(f"{g} {self.counts[g]} 项" for g in (*GRADES, UNGRADED))


def roll_up(projects: list[ProjectOutcome]) -> RollUp:
    counts = dict.fromkeys((*GRADES, UNGRADED), 0)
    for p in projects:
        counts[p.grade if p.grade in GRADES else UNGRADED] += 1
    stated = [p for p in projects if p.budget_wan is not None and p.spent_wan is not None]
    budget = sum((p.budget_wan for p in stated if p.budget_wan is not None), Decimal(0))
    spent = sum((p.spent_wan for p in stated if p.spent_wan is not None), Decimal(0))
    left_out = len(projects) - len(stated)
    inputs = (("各项目全年执行数合计", f"{fmt(spent)} 万元"), ("各项目全年预算数合计", f"{fmt(budget)} 万元"))
    note = f"（{left_out} 个项目未填写预算数或执行数，未计入）" if left_out else ""
    rate = ratio_pct(spent, budget) if stated else None
    if rate is None:
        figure = Figure(None, Explanation("项目预算执行率（加权）", f"没有可计算的项目{note}", inputs))
    else:
        formula = (
            f"各项目全年执行数合计 {fmt(spent)} 万元 ÷ 全年预算数合计 {fmt(budget)} 万元 × 100% = {fmt_pct(rate)}{note}"
        )
        figure = Figure(rate, Explanation("项目预算执行率（加权）", formula, inputs))
    order = {"差": 0, "中": 1}
    weak = sorted((p for p in projects if p.grade in WEAK), key=lambda p: (order[p.grade or ""], p.unit, p.project))
    return RollUp(tuple(projects), counts, budget, spent, figure, tuple(weak))
