"""Indicator frameworks: the skeleton of an indicator tree (levels, names, categories, official points).

Loaded from ``jixiao/data/frameworks/*.yaml``. A framework is a template; an evaluation's own tree
holds the points actually used.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from pydantic import Field

from .model import FundMeasure, Indicator, Model, Num


class Category(StrEnum):
    """What a branch measures; checks use it to find 产出/效益/满意度 whatever the names."""

    DECISION = "decision"  # 决策
    PROCESS = "process"  # 过程
    OUTPUT = "output"  # 产出
    BENEFIT = "benefit"  # 效益
    SATISFACTION = "satisfaction"  # 满意度
    COST = "cost"  # 成本
    FUNDS = "funds"  # 资金


class FrameworkNode(Model):
    name: str
    aliases: list[str] = Field(default_factory=list)
    category: Category | None = None
    points: Num | None = None
    fund_measure: FundMeasure | None = None
    children: list[FrameworkNode] = Field(default_factory=list)

    def matches(self, name: str) -> bool:
        return name == self.name or name in self.aliases


class Framework(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    source: str
    levels: int = Field(ge=1, le=4)
    execution_points: Num = Field(default=Decimal(0), ge=0, description="在指标树之外单独计分的预算执行率分值")
    points_official: bool = Field(description="分值是否来自官方文件；否则为单位或模板配置")
    points_note: str
    tree: list[FrameworkNode]

    @cached_property
    def category_cache(self) -> dict[tuple[str, ...], Category | None]:
        """Memo of :meth:`category_of` per path (a plain dict: pydantic private attributes are slow to reach)."""
        return {}

    def category_of(self, path: tuple[str, ...]) -> Category | None:
        """The category of the deepest framework node along ``path`` that has one."""
        cache = self.category_cache
        if path not in cache:
            cache[path] = self._category_of(path)
        return cache[path]

    def _category_of(self, path: tuple[str, ...]) -> Category | None:
        nodes = self.tree
        found: Category | None = None
        for name in path:
            node = next((n for n in nodes if n.matches(name)), None)
            if node is None:
                break
            found = node.category or found
            nodes = node.children
        return found

    def skeleton(self) -> list[Indicator]:
        """A fresh indicator tree with the framework's names and official points, for a new evaluation."""

        def build(node: FrameworkNode) -> Indicator:
            return Indicator(
                name=node.name,
                points=node.points if self.points_official else None,
                fund_measure=node.fund_measure,
                children=[build(c) for c in node.children],
            )

        return [build(n) for n in self.tree]
