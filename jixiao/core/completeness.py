"""What a self-evaluation still lacks before it can be submitted: the parts a report needs, as data.

The list itself is data (``jixiao/data/submission/required.yaml``, read by the caller): this module only
knows how to look a path up in an :class:`~jixiao.core.model.Evaluation` and say what is empty. Each gap
carries a location in the same form as a finding's (``narrative.conclusion``, ``指标:产出指标/数量指标/场次``),
so :mod:`jixiao.core.locations` names it and links to the place to fill it in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from .frameworks import Category, Framework
from .locations import INDICATOR_PREFIX
from .model import IndicatorKind, Model
from .result import EvaluationResult, IndicatorScore

_STEP = re.compile(r"([A-Za-z_]+)(\[\*\])?")


class PartRequirement(Model):
    """A part of the report: filled when at least one of ``paths`` holds something.

    A path is dotted field names (``narrative.conclusion``); ``funds[*].executed_wan`` means every row must
    have it (and there must be a row).
    """

    label: str = Field(min_length=1)
    paths: list[str] = Field(min_length=1)


class LeafRequirement(Model):
    """A field every applicable 末级指标 must have (``target``, ``actual``, ``claimed_score``)."""

    label: str = Field(min_length=1)
    field: str = Field(min_length=1)
    fund_leaves: bool = Field(default=True, description="资金计算指标（实际值取自资金数据）是否也须填写")
    categories: list[Category] | None = Field(
        default=None, description="只对这些类别的指标要求（如年度指标值只属于产出、效益、满意度指标）；空为全部"
    )

    def applies_to(self, score: IndicatorScore, framework: Framework) -> bool:
        if not self.fund_leaves and score.indicator.effective_kind is IndicatorKind.FUND:
            return False
        return self.categories is None or framework.category_of(score.path) in self.categories


class Requirements(Model):
    note: str
    required: list[PartRequirement] = Field(default_factory=list)
    leaves: list[LeafRequirement] = Field(default_factory=list)
    #: required where the framework scores 预算执行率 outside the tree (附1's first row)
    execution_row: list[PartRequirement] = Field(default_factory=list)
    recommended: list[PartRequirement] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Gap:
    """Something not filled in: what (Chinese) and where (a finding-style location)."""

    label: str
    location: str


@dataclass(frozen=True, slots=True)
class Completeness:
    missing: list[Gap]  # required: block submission
    recommended: list[Gap]  # would print as （未填写）in the report, but do not block


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict | tuple):
        return not value or all(_empty(v) for v in (value.values() if isinstance(value, dict) else value))
    return False


def _first_gap(node: object, steps: list[str], where: str) -> str | None:
    """The location of the first empty value along ``steps`` below ``node``; None when all are filled."""
    if not steps:
        return where if _empty(node) else None
    match = _STEP.fullmatch(steps[0])
    if match is None or not isinstance(node, BaseModel):
        raise ValueError(f"无法识别的路径“{'.'.join(steps)}”")
    name, every = match.group(1), match.group(2)
    if name not in type(node).model_fields:
        raise ValueError(f"没有“{name}”这一项")
    value = getattr(node, name)
    here = f"{where}.{name}" if where else name
    if not every:
        return _first_gap(value, steps[1:], here)
    if not value:
        return here
    for i, item in enumerate(value):
        gap = _first_gap(item, steps[1:], f"{here}[{i}]")
        if gap is not None:
            return gap
    return None


def _part_gap(result: EvaluationResult, requirement: PartRequirement) -> Gap | None:
    """Missing when every one of the requirement's paths is empty; located at the first path."""
    gaps = [_first_gap(result.evaluation, path.split("."), "") for path in requirement.paths]
    if any(g is None for g in gaps):
        return None
    return Gap(requirement.label, gaps[0] or requirement.paths[0])


def _in_use(score: IndicatorScore, requirements: Requirements) -> bool:
    """A leaf the unit uses: it has points or any required value. A framework's empty category (附1's
    生态效益指标 left without points or values) is a placeholder, not a gap."""
    if score.points:
        return True
    return any(not _empty(getattr(score.indicator, r.field)) for r in requirements.leaves)


def _leaf_gaps(result: EvaluationResult, requirements: Requirements) -> list[Gap]:
    out = []
    for score in result.applicable:
        if not _in_use(score, requirements):
            continue
        labels = [
            r.label
            for r in requirements.leaves
            if r.applies_to(score, result.framework) and _empty(getattr(score.indicator, r.field))
        ]
        if labels:
            out.append(Gap(f"“{score.path[-1]}”的{'、'.join(labels)}", INDICATOR_PREFIX + "/".join(score.path)))
    return out


def completeness(result: EvaluationResult, requirements: Requirements) -> Completeness:
    """What is required but empty, and what is recommended but empty, in the order of the requirements."""
    missing = [g for r in requirements.required if (g := _part_gap(result, r)) is not None]
    if requirements.leaves and not any(_in_use(s, requirements) for s in result.applicable):
        missing.append(Gap("绩效指标（至少一个末级指标）", "indicators"))
    missing += _leaf_gaps(result, requirements)
    if result.execution_score is not None:
        missing += [g for r in requirements.execution_row if (g := _part_gap(result, r)) is not None]
    recommended = [g for r in requirements.recommended if (g := _part_gap(result, r)) is not None]
    return Completeness(missing, recommended)
