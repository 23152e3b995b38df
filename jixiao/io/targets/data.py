"""Load ``jixiao/data/targets/*.yaml`` (or a user's file of the same shape) into the pure models of core.targets."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from ...core.targets.rules import ReviewGrades, TargetRules
from ..catalogue import read_model


def _path(name: str) -> Path:
    return Path(str(resources.files("jixiao") / "data" / "targets" / f"{name}.yaml"))


@cache
def load_target_rules(path: str | None = None) -> TargetRules:
    """The target-quality data: the shipped ``quality.yaml`` or a file of the same shape."""
    file = Path(path) if path else _path("quality")
    return read_model(file, TargetRules, "绩效目标检查数据")


@cache
def load_review_grades(path: str | None = None) -> ReviewGrades:
    """The 88号 review grades: the shipped ``review_grades.yaml`` or a file of the same shape."""
    file = Path(path) if path else _path("review_grades")
    return read_model(file, ReviewGrades, "审核等级数据")
