"""The data the target-quality checks and the review read: categories of 一级 names, weight profiles (101号),
when cost indicators are required, the words of budget-restating indicators, and the 88号 review grades."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from ..model import Model, Num


class TargetCategory(StrEnum):
    COST = "cost"
    OUTPUT = "output"
    BENEFIT = "benefit"
    SATISFACTION = "satisfaction"

    @property
    def label(self) -> str:
        return {"cost": "成本指标", "output": "产出指标", "benefit": "效益指标", "satisfaction": "满意度指标"}[
            self.value
        ]


class WeightProfile(Model):
    name: str
    cost: bool
    satisfaction: bool
    weights: dict[TargetCategory, Num]

    @property
    def total(self) -> Decimal:
        return sum(self.weights.values(), Decimal(0))


class CostRequired(Model):
    always: bool = False
    project_kinds: list[str] = Field(default_factory=list)


class TargetRules(Model):
    name: str
    source: str
    categories: dict[TargetCategory, list[str]]
    weight_profiles: list[WeightProfile] = Field(min_length=1)
    weight_tolerance: Num = Field(default=Decimal(0), ge=0)
    cost_required: CostRequired = Field(default_factory=CostRequired)
    budget_restating_words: list[str] = Field(default_factory=list)
    budget_value_units: list[str] = Field(default_factory=list)
    duplicate_ignored_suffixes: list[str] = Field(default_factory=list)

    def category_of(self, first_name: str) -> TargetCategory | None:
        name = first_name.strip()
        return next((c for c, names in self.categories.items() if name in names), None)

    def profile(self, has_cost: bool, has_satisfaction: bool) -> WeightProfile | None:
        return next(
            (p for p in self.weight_profiles if p.cost == has_cost and p.satisfaction == has_satisfaction), None
        )

    def cost_is_required(self, project_kind: str | None) -> bool:
        if self.cost_required.always:
            return True
        return bool(project_kind) and project_kind.strip() in self.cost_required.project_kinds


class ReviewGrade(Model):
    grade: str = Field(min_length=1, max_length=2)
    approves: bool
    budgetable: bool
    consequence: str


class ReviewGrades(Model):
    source: str
    grades: list[ReviewGrade] = Field(min_length=1)

    def get(self, grade: str) -> ReviewGrade | None:
        return next((g for g in self.grades if g.grade == grade), None)

    @property
    def names(self) -> list[str]:
        return [g.grade for g in self.grades]
