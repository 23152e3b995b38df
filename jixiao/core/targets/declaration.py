"""The 绩效目标申报表 of one project: 年度总体目标, 资金, and the 一级/二级/三级 indicator tree with 指标值 and 分值.

Money is ``Decimal`` in 万元. A leaf's 指标值 is a comparator (≥ ≤ = or 定性) with a number and a unit, or, for
定性, the expected level on a stated scale (好/较好/一般/差).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from ..model import PROJECT_NAME_MAX, FundSource, Model, Num, ValueBasis, Wan


class Comparator(StrEnum):
    GE = "≥"
    LE = "≤"
    EQ = "="
    QUALITATIVE = "定性"


class TargetLeaf(Model):
    """三级指标: what is to be achieved, measured how, worth how many points."""

    name: str = Field(title="三级指标", min_length=1)
    comparator: Comparator = Field(title="指标值方向")
    value: Num | None = Field(default=None, title="指标值")
    unit: str | None = Field(default=None, title="计量单位")
    scale: str | None = Field(default=None, title="定性评价标准", description="如“好/较好/一般/差”")
    expected: str | None = Field(default=None, title="定性目标等级", description="如“好”；空则取评价标准的第一档")
    value_basis: ValueBasis | None = Field(default=None, title="指标值设定依据")
    points: Num | None = Field(default=None, title="分值", ge=0)
    last_year: Num | None = Field(default=None, title="上年实际完成值")
    below_last_year_reason: str | None = Field(default=None, title="低于上年实际的理由")
    explanation: str | None = Field(default=None, title="指标解释")

    @property
    def is_qualitative(self) -> bool:
        return self.comparator is Comparator.QUALITATIVE

    def scale_levels(self) -> list[str]:
        text = (self.scale or "").replace("、", "/").replace("，", "/").replace(",", "/")
        return [part.strip() for part in text.split("/") if part.strip()]

    def expected_level(self) -> str | None:
        if self.expected:
            return self.expected
        levels = self.scale_levels()
        return levels[0] if levels else None

    def target_text(self) -> str:
        """``≥120 场``, ``≤153 万元``, ``=100%``, ``定性：好（好/较好/一般/差）``: the 年度指标值 as written in the 申报表 and the 自评表."""
        if self.is_qualitative:
            levels = self.scale_levels()
            level = self.expected_level() or "（未定）"
            return f"定性：{level}（{'/'.join(levels)}）" if levels else f"定性：{level}"
        if self.value is None:
            return f"{self.comparator.value}（未填）"
        number = format_number(self.value)
        unit = (self.unit or "").strip()
        if not unit:
            return f"{self.comparator.value}{number}"
        return f"{self.comparator.value}{number}{unit}" if unit == "%" else f"{self.comparator.value}{number} {unit}"


class SecondLevel(Model):
    name: str = Field(title="二级指标", min_length=1)
    children: list[TargetLeaf] = Field(default_factory=list, title="三级指标")


class FirstLevel(Model):
    name: str = Field(title="一级指标", min_length=1)
    children: list[SecondLevel] = Field(default_factory=list, title="二级指标")

    @property
    def points(self) -> Decimal:
        return sum((leaf.points or Decimal(0) for second in self.children for leaf in second.children), Decimal(0))


class DeclaredFund(Model):
    """资金来源: one source and its amount."""

    source: FundSource = Field(title="资金来源")
    amount_wan: Wan = Field(title="金额（万元）", ge=0)
    detail: str | None = Field(default=None, title="来源说明")


class DeclaredProject(Model):
    name: str = Field(title="项目名称", min_length=1, max_length=PROJECT_NAME_MAX)
    year: int = Field(title="预算年度", ge=2000, le=2100)
    unit: str | None = Field(default=None, title="实施单位")
    department: str | None = Field(default=None, title="主管部门")
    code: str | None = Field(default=None, title="项目编码")
    kind: str | None = Field(default=None, title="项目类别", description="如“工程基建类”；决定是否必须设置成本指标")
    start: dt.date | None = Field(default=None, title="实施期开始")
    end: dt.date | None = Field(default=None, title="实施期结束")


class LeafAt(Model):
    """A leaf with its 一级 and 二级 names."""

    first: str
    second: str
    leaf: TargetLeaf

    @property
    def path(self) -> str:
        return f"{self.first}／{self.second}／{self.leaf.name}"


class Declaration(Model):
    """项目支出绩效目标申报表."""

    project: DeclaredProject = Field(title="项目")
    overall_goal: str = Field(default="", title="年度总体目标")
    total_wan: Wan = Field(title="资金总额（万元）", ge=0)
    funds: list[DeclaredFund] = Field(default_factory=list, title="资金来源")
    public_facing: bool = Field(default=False, title="面向社会公众提供服务")
    indicators: list[FirstLevel] = Field(default_factory=list, title="绩效指标")

    def leaves(self) -> Iterator[LeafAt]:
        for first in self.indicators:
            for second in first.children:
                for leaf in second.children:
                    yield LeafAt(first=first.name, second=second.name, leaf=leaf)

    def leaf(self, first: str, second: str, name: str) -> TargetLeaf | None:
        return next((a.leaf for a in self.leaves() if (a.first, a.second, a.leaf.name) == (first, second, name)), None)

    @property
    def points(self) -> Decimal:
        return sum((first.points for first in self.indicators), Decimal(0))

    @property
    def funds_total_wan(self) -> Decimal:
        return sum((f.amount_wan for f in self.funds), Decimal(0))


def format_number(value: Decimal) -> str:
    """``120``, ``95.5``: no trailing zeros, no exponent."""
    text = format(value.normalize(), "f")
    return text


def parse_declaration(data: object) -> Declaration:
    return Declaration.model_validate(data)
