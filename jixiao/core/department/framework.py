"""The schema of a 部门整体 framework and of the account formulas, as ``jixiao/data/department/*.yaml`` write them."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from ..model import Model, Num

#: the names of the levels, as the tables print them
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标")


class AccountInput(Model):
    """One figure of the department's accounts: an amount in 万元, or a count of people."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    unit: str = Field(pattern="^(万元|人)$")
    note: str = ""


class Formula(Model):
    """A ratio in percentage points: the sum of ``numerator`` over the sum of ``denominator`` × 100. An input
    written ``-id`` is subtracted."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    numerator: list[str] = Field(min_length=1)
    denominator: list[str] = Field(min_length=1)

    def inputs(self) -> list[str]:
        return [term.removeprefix("-") for term in (*self.numerator, *self.denominator)]


class Formulas(Model):
    inputs: list[AccountInput] = Field(min_length=1)
    formulas: list[Formula] = Field(min_length=1)
    headline: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_names(self) -> Formulas:
        known = {i.id for i in self.inputs}
        for formula in self.formulas:
            unknown = [name for name in formula.inputs() if name not in known]
            if unknown:
                raise ValueError(f"公式“{formula.name}”引用了未定义的数据：{'、'.join(unknown)}")
        ids = {f.id for f in self.formulas}
        if missing := [h for h in self.headline if h not in ids]:
            raise ValueError(f"字段 headline（页面首列的比率）列出了未定义的公式：{'、'.join(missing)}")
        return self

    def input(self, id: str) -> AccountInput:
        return next(i for i in self.inputs if i.id == id)

    def formula(self, id: str) -> Formula | None:
        return next((f for f in self.formulas if f.id == id), None)


class ScoringRule(Model):
    """How a ratio becomes a score (分值 × …), all thresholds in percentage points.

    ``proportional``: at or above ``full_at`` full points, below it points × ratio ÷ ``full_at``.
    ``deduct_above``: at or below ``limit`` full points; each ``step`` points above (a part counts as a whole step)
    takes ``deduct`` points off, down to zero. ``deduct_below``: at or above ``full_at`` full points; each ``step``
    below takes ``deduct`` off.
    """

    method: str = Field(pattern="^(proportional|deduct_above|deduct_below)$")
    full_at: Num | None = None
    limit: Num | None = None
    step: Num = Field(default=Decimal(1), gt=0)
    deduct: Num = Field(default=Decimal(0), ge=0)

    @model_validator(mode="after")
    def _thresholds(self) -> ScoringRule:
        if self.method in ("proportional", "deduct_below") and (self.full_at is None or self.full_at <= 0):
            raise ValueError(f"计分方法 {self.method} 须给出大于 0 的 full_at（满分线，%）")
        if self.method == "deduct_above" and self.limit is None:
            raise ValueError("计分方法 deduct_above 须给出 limit（上限，%）")
        return self


class Node(Model):
    """An indicator: a parent with children, or a leaf scored by ``formula`` (with ``rule``) or by the department."""

    name: str = Field(min_length=1)
    points: Num = Field(ge=0)
    children: list[Node] = Field(default_factory=list)
    formula: str | None = None
    rule: ScoringRule | None = None
    explanation: str = ""
    standard: str = ""
    depends_on_projects: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Node:
        if self.children:
            total = sum((c.points for c in self.children), Decimal(0))
            if total != self.points:
                raise ValueError(f"“{self.name}”的分值 {self.points} 不等于其下级指标分值之和 {total}")
            if self.formula:
                raise ValueError(f"“{self.name}”有下级指标，不能再有公式")
            names = [c.name for c in self.children]
            if len(set(names)) != len(names):
                raise ValueError(f"“{self.name}”的下级指标有重名")
        elif (self.formula is None) != (self.rule is None):
            raise ValueError(f"“{self.name}”的公式（formula）与计分方法（rule）须同时给出")
        return self


class DepartmentFramework(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    source: str
    grades_from: str = Field(description="等级分档所用的评分规则编号")
    points_note: str = ""
    tree: list[Node] = Field(min_length=1)

    def leaves(self) -> list[tuple[tuple[str, ...], Node]]:
        """Every leaf with its path (一级, 二级, 三级 names), in table order."""
        out: list[tuple[tuple[str, ...], Node]] = []

        def walk(node: Node, path: tuple[str, ...]) -> None:
            here = (*path, node.name)
            if node.children:
                for child in node.children:
                    walk(child, here)
            else:
                out.append((here, node))

        for top in self.tree:
            walk(top, ())
        return out

    def node(self, path: tuple[str, ...]) -> Node | None:
        nodes = self.tree
        found = None
        for name in path:
            found = next((n for n in nodes if n.name == name), None)
            if found is None:
                return None
            nodes = found.children
        return found

    @property
    def total_points(self) -> Decimal:
        return sum((n.points for n in self.tree), Decimal(0))

    def check_formulas(self, formulas: Formulas) -> None:
        """ValueError naming the indicator whose formula the formulas file lacks."""
        for path, leaf in self.leaves():
            if leaf.formula and formulas.formula(leaf.formula) is None:
                raise ValueError(f"指标“{'/'.join(path)}”的公式 {leaf.formula} 未在公式表中定义")


def path_key(path: tuple[str, ...]) -> str:
    """The key of an item in a document: its names joined by ``/``."""
    return "/".join(path)
