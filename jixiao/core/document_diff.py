"""What changed between two versions of an evaluation, field by field, in the words of the form.

Every field is named by its Chinese title (the model's ``Field(title=...)``), nested parts by their parents' titles;
indicators are followed by their names (not their place in the list), so moving a branch is not a change of every
indicator below it; other lists by their position (第 2 项). Used to show a reviewer what a unit changed after a
复核 query.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel

from .model import Evaluation, Indicator
from .values import fmt

PATH_SEPARATOR = " › "


@dataclass(frozen=True, slots=True)
class FieldChange:
    where: str  # 「绩效指标 › 产出指标 › 数量指标 › 科普活动场次 › 实际完成值」
    before: str  # 「—」 when the field was empty or absent
    after: str


def _text(value: object) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, Enum):
        return str(getattr(value, "label", value.value))
    return str(value)


def _flatten(model: BaseModel, prefix: tuple[str, ...], out: dict[tuple[str, ...], str]) -> None:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        title = info.title or name
        here = (*prefix, title)
        if isinstance(value, BaseModel):
            _flatten(value, here, out)
        elif isinstance(value, list) and value and isinstance(value[0], Indicator):
            for node in value:
                _flatten_indicator(node, prefix if name == "children" else here, out)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for number, item in enumerate(value, start=1):
                _flatten(item, (*prefix, f"{title}第 {number} 项"), out)
        elif isinstance(value, list):
            out[here] = "；".join(_text(item) for item in value) if value else "—"
        elif isinstance(value, dict):
            for key, item in value.items():
                out[(*here, str(key))] = _text(item)
        else:
            out[here] = _text(value)


def _flatten_indicator(node: Indicator, prefix: tuple[str, ...], out: dict[tuple[str, ...], str]) -> None:
    here = (*prefix, node.name)
    out[(*here, "（指标）")] = "有"
    fields = {name: info for name, info in Indicator.model_fields.items() if name not in ("name", "children")}
    for name, info in fields.items():
        out[(*here, info.title or name)] = _text(getattr(node, name))
    for child in node.children:
        _flatten_indicator(child, here, out)


def flatten(evaluation: Evaluation) -> dict[tuple[str, ...], str]:
    """Every field of ``evaluation`` as printed text, keyed by its path of titles."""
    out: dict[tuple[str, ...], str] = {}
    _flatten(evaluation, (), out)
    return out


def diff_documents(before: Evaluation, after: Evaluation) -> list[FieldChange]:
    """The fields whose printed value differs, in the order of the form (fields only in ``before`` last)."""
    old, new = flatten(before), flatten(after)
    changes: list[FieldChange] = []
    for key in [*new, *(k for k in old if k not in new)]:
        a, b = old.get(key, "—"), new.get(key, "—")
        if a == b:
            continue
        if key[-1] == "（指标）":
            where = PATH_SEPARATOR.join(key[:-1])
            changes.append(
                FieldChange(where, "—", "新增该指标") if b == "有" else FieldChange(where, "原有该指标", "已删除")
            )
            continue
        if key[:-1] and (old.get((*key[:-1], "（指标）")) is None) != (new.get((*key[:-1], "（指标）")) is None):
            continue  # a field of an indicator added or removed as a whole: said once, above
        changes.append(FieldChange(PATH_SEPARATOR.join(key), a, b))
    return changes
