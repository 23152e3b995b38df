"""Where a finding points, in words a finance officer reads: ``funds[0].executed_wan`` → 项目资金第 1 行 · 全年执行数（万元）.

Check findings keep their machine location (a path into :class:`~jixiao.core.model.Evaluation`, or ``指标:`` and a
path of indicator names) for JSON and links; every page and document shows :func:`location_label` instead. The
labels come from the model's own field titles, so a new field is labelled without touching this module.
"""

from __future__ import annotations

import re
import types
import typing
from functools import lru_cache

from pydantic import BaseModel

from .model import Evaluation

INDICATOR_PREFIX = "指标:"
_STEP = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


def _model_of(annotation: object) -> type[BaseModel] | None:
    """The pydantic model inside ``X``, ``X | None`` or ``list[X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType) or origin is typing.Annotated:
        for arg in typing.get_args(annotation):
            found = _model_of(arg)
            if found is not None:
                return found
    return None


def indicator_names(location: str) -> list[str] | None:
    """The path of names in an indicator location (``指标:产出/数量/场次``); None for any other location."""
    if not location.startswith(INDICATOR_PREFIX):
        return None
    return [n for n in location[len(INDICATOR_PREFIX) :].split("/") if n]


def location_steps(location: str) -> list[tuple[str, int | None]]:
    """``funds[0].executed_wan`` → ``[("funds", 0), ("executed_wan", None)]``; steps that are not names are left out."""
    steps = []
    for step in location.split("."):
        match = _STEP.fullmatch(step)
        if match is not None:
            steps.append((match.group(1), int(match.group(2)) if match.group(2) is not None else None))
    return steps


@lru_cache(maxsize=1024)
def location_label(location: str | None) -> str:
    """The Chinese name of a finding's location; ``—`` for none. Unknown steps are kept as written."""
    if not location:
        return "—"
    names = indicator_names(location)
    if names is not None:
        return "绩效指标 · " + " › ".join(names)
    words: list[str] = []
    model: type[BaseModel] | None = Evaluation
    for step in location.split("."):
        match = _STEP.fullmatch(step)
        field = model.model_fields.get(match.group(1)) if (match and model is not None) else None
        if match is None or field is None:
            words.append(step)
            model = None
            continue
        title = field.title or match.group(1)
        if match.group(2) is not None:
            title += f"第 {int(match.group(2)) + 1} 项"
        words.append(title)
        model = _model_of(field.annotation)
    return " · ".join(words)


def location_part(location: str | None) -> str | None:
    """The top-level part of the evaluation a location is in (``funds``, ``indicators``, ``claims`` …), for links."""
    if not location:
        return None
    if location.startswith(INDICATOR_PREFIX):
        return "indicators"
    head = _STEP.match(location)
    if head and head.group(1) in Evaluation.model_fields:
        return head.group(1)
    return None
