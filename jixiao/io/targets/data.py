"""Load ``jixiao/data/targets/*.yaml`` (or a user's file of the same shape) into the pure models of core.targets."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from ...core.targets.rules import ReviewGrades, TargetRules
from ..catalogue import read_yaml
from ..errors import InputError, from_validation


def _path(name: str) -> Path:
    return Path(str(resources.files("jixiao") / "data" / "targets" / f"{name}.yaml"))


@cache
def load_target_rules(path: str | None = None) -> TargetRules:
    """The target-quality data: the shipped ``quality.yaml`` or a file of the same shape."""
    file = Path(path) if path else _path("quality")
    data = read_yaml(file)
    if not isinstance(data, dict):
        raise InputError("绩效目标检查数据文件的内容应为字段表", file)
    try:
        return TargetRules.model_validate(data)
    except ValidationError as err:
        raise from_validation(err, TargetRules, file) from None


@cache
def load_review_grades(path: str | None = None) -> ReviewGrades:
    """The 88号 review grades: the shipped ``review_grades.yaml`` or a file of the same shape."""
    file = Path(path) if path else _path("review_grades")
    data = read_yaml(file)
    if not isinstance(data, dict):
        raise InputError("审核等级数据文件的内容应为字段表", file)
    try:
        return ReviewGrades.model_validate(data)
    except ValidationError as err:
        raise from_validation(err, ReviewGrades, file) from None
