"""绩效指标: the indicator tree as one table, one form per node addressed by its index path ("0.2.1").

Every structural action (add child or sibling, move, delete, restart from the framework) is a POST of the
whole table: the field edits are validated and kept, the change is applied, and one new version is saved
whose summary names the node.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms

from ....core.model import INDICATOR_KIND_LABELS, Evaluation, FundMeasure, Indicator
from ....io.catalogue import load_framework
from ....io.errors import InputError
from .base import (
    EditRefused,
    LinesField,
    NumberField,
    Outcome,
    PartEditor,
    Section,
    choice,
    flag,
    text,
)

KIND_CHOICES = [("", "自动判断"), *((kind.value, label) for kind, label in INDICATOR_KIND_LABELS.items())]
FUND_MEASURE_CHOICES = [
    ("", "—"),
    (FundMeasure.ARRIVAL_RATE.value, "资金到位率"),
    (FundMeasure.EXECUTION_RATE.value, "预算执行率"),
    (FundMeasure.SPEND_RATE.value, "支出率"),
]
MAX_DEPTH = 4
NEW_NAME = "新增指标"
LEVELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
#: structural actions that name a node: ``<action>:<index path>``
NODE_ACTIONS = {"add_child", "add_sibling", "up", "down", "delete"}


class NodeForm(forms.Form):
    name = text("指标名称", required=True, max_length=200)
    points = NumberField(label="分值", min_value=0)
    kind = choice("指标类型", KIND_CHOICES)
    fund_measure = choice("资金指标口径", FUND_MEASURE_CHOICES)
    target = text("年度指标值", widget=forms.TextInput(attrs={"size": 10}))
    actual = text("实际完成值", widget=forms.TextInput(attrs={"size": 10}))
    claimed_score = NumberField(label="自评得分", min_value=0)
    not_applicable = flag("不适用")
    deviation_reason = text("偏差原因分析及改进措施", area=True, rows=2)
    evidence = LinesField(label="佐证材料", rows=2, help_text="每行一份材料")

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["kind"] = data["kind"] or None
        data["fund_measure"] = data["fund_measure"] or None
        return data


def _decimal(value: object) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass
class NodeRow:
    """One line of the tree table."""

    index: tuple[int, ...]
    names: tuple[str, ...]
    node: dict[str, Any]
    form: NodeForm
    first: bool
    last: bool

    @property
    def path(self) -> str:
        return ".".join(map(str, self.index))

    @property
    def number(self) -> str:
        return ".".join(str(i + 1) for i in self.index)

    @property
    def depth(self) -> int:
        return len(self.index)

    @property
    def level(self) -> str:
        return LEVELS.get(self.depth, f"{self.depth}级")

    @property
    def name(self) -> str:
        return str(self.node.get("name") or "")

    @property
    def label(self) -> str:
        return " › ".join(self.names)

    @property
    def is_leaf(self) -> bool:
        return not self.node.get("children")

    @property
    def can_add_child(self) -> bool:
        return self.depth < MAX_DEPTH

    @property
    def children_sum(self) -> Decimal | None:
        values = [_decimal(c.get("points")) for c in self.node.get("children") or []]
        known = [v for v in values if v is not None]
        return sum(known, Decimal(0)) if known else None

    @property
    def sum_differs(self) -> bool:
        own, total = _decimal(self.node.get("points")), self.children_sum
        return own is not None and total is not None and own != total


def walk(
    nodes: list[dict[str, Any]], index: tuple[int, ...] = (), names: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[int, ...], tuple[str, ...], dict[str, Any], bool, bool]]:
    """Every node depth first: (index path, names from the root, node, first among siblings, last)."""
    for i, node in enumerate(nodes):
        here, named = (*index, i), (*names, str(node.get("name") or ""))
        yield here, named, node, i == 0, i == len(nodes) - 1
        yield from walk(node.get("children") or [], here, named)


def locate(tree: list[dict[str, Any]], index: tuple[int, ...]) -> tuple[list[dict[str, Any]], int]:
    """The sibling list holding the node at ``index`` and its position there."""
    siblings = tree
    for depth, i in enumerate(index):
        if not 0 <= i < len(siblings):
            raise EditRefused("要调整的指标不存在，可能已被修改，请刷新页面后重试")
        if depth == len(index) - 1:
            return siblings, i
        siblings = siblings[i].setdefault("children", [])
    raise EditRefused("要调整的指标不存在，请刷新页面后重试")


def parse_index(path: str) -> tuple[int, ...]:
    try:
        index = tuple(int(part) for part in path.split("."))
    except ValueError:
        raise EditRefused(f"无法识别的指标位置“{path}”") from None
    if not index or len(index) > MAX_DEPTH:
        raise EditRefused(f"无法识别的指标位置“{path}”")
    return index


def names_at(tree: list[dict[str, Any]], index: tuple[int, ...]) -> str:
    names, nodes = [], tree
    for i in index:
        names.append(str(nodes[i].get("name") or ""))
        nodes = nodes[i].get("children") or []
    return " › ".join(names)


def normalised(tree: list[dict[str, Any]]) -> object:
    """The tree as the document would store it, so form values (Decimal, None) compare equal to stored JSON."""
    try:
        return [Indicator.model_validate(node).model_dump(mode="json") for node in tree]
    except ValueError:
        return tree


def count_nodes(node: dict[str, Any]) -> int:
    return 1 + sum(count_nodes(c) for c in node.get("children") or [])


class IndicatorsEditor(PartEditor):
    slug: ClassVar[str] = "indicators"
    title: ClassVar[str] = "绩效指标"
    template: ClassVar[str] = "evaluations/edit/indicators.html"

    def build(self) -> list[Section]:
        self.tree: list[dict[str, Any]] = self.document.get("indicators") or []
        self.action = (self.data.get("action") if self.data is not None else None) or "save"
        self.rows = [
            NodeRow(
                index,
                names,
                node,
                NodeForm(self.data, initial=node, prefix=f"node-{'.'.join(map(str, index))}"),
                first,
                last,
            )
            for index, names, node, first, last in walk(self.tree)
        ]
        return []

    @property
    def rows_with_errors(self) -> list[NodeRow]:
        return [row for row in self.rows if row.form.is_bound and row.form.errors]

    @property
    def framework_id(self) -> str:
        return str(self.document.get("framework") or Evaluation.model_fields["framework"].default)

    @property
    def framework_name(self) -> str:
        """The framework's Chinese name, for the page (its id is never shown)."""
        try:
            return load_framework(self.framework_id).name
        except InputError:
            return "（未知的指标体系）"

    def validated(self) -> list[forms.Form]:
        # Restarting from the framework discards the table, so its fields are not checked.
        return [] if self.action == "reset" else [row.form for row in self.rows]

    def outcome(self) -> Outcome:
        document = copy.deepcopy(self.document)
        if self.action == "reset":
            try:
                framework = load_framework(self.framework_id)
            except InputError as exc:
                raise EditRefused(str(exc)) from None
            document["indicators"] = [node.model_dump(mode="json") for node in framework.skeleton()]
            replaced = sum(count_nodes(n) for n in self.tree)
            return Outcome(
                document, f"绩效指标：按指标体系“{framework.name}”重新开始（替换原有 {replaced} 个指标）", stay=True
            )

        tree = copy.deepcopy(self.tree)
        for row in self.rows:
            siblings, pos = locate(tree, row.index)
            siblings[pos].update(row.form.values())
        edited = normalised(tree) != normalised(self.tree)
        summary, anchor = self.restructure(tree)
        document["indicators"] = tree
        if summary is None:
            return Outcome(document, "编辑绩效指标")
        if edited:
            summary += "，并保存了表中其他修改"
        return Outcome(document, summary, stay=True, anchor=anchor)

    def restructure(self, tree: list[dict[str, Any]]) -> tuple[str | None, str]:
        """Apply the structural action to ``tree`` in place; its summary and the node to scroll to."""
        action = self.action
        if action == "save":
            return None, ""
        if action == "add_root":
            tree.append({"name": NEW_NAME})
            return "绩效指标：新增一级指标", str(len(tree) - 1)
        op, _, path = action.partition(":")
        if op not in NODE_ACTIONS:
            raise EditRefused(f"无法识别的操作“{action}”")
        index = parse_index(path)
        siblings, pos = locate(tree, index)
        node, label = siblings[pos], names_at(tree, index)
        parent = ".".join(map(str, index[:-1]))

        def at(position: int) -> str:
            return f"{parent}.{position}" if parent else str(position)

        if op == "add_child":
            if len(index) >= MAX_DEPTH:
                raise EditRefused(f"“{label}”已是第四级指标，不能再添加下级指标")
            children = node.setdefault("children", [])
            children.append({"name": NEW_NAME})
            return f"绩效指标：在“{label}”下新增下级指标", f"{path}.{len(children) - 1}"
        if op == "add_sibling":
            siblings.insert(pos + 1, {"name": NEW_NAME})
            return f"绩效指标：在“{label}”之后新增同级指标", at(pos + 1)
        if op == "up":
            if pos == 0:
                raise EditRefused(f"“{label}”已是同级第一个，不能再上移")
            siblings[pos - 1], siblings[pos] = siblings[pos], siblings[pos - 1]
            return f"绩效指标：上移“{label}”", at(pos - 1)
        if op == "down":
            if pos == len(siblings) - 1:
                raise EditRefused(f"“{label}”已是同级最后一个，不能再下移")
            siblings[pos + 1], siblings[pos] = siblings[pos], siblings[pos + 1]
            return f"绩效指标：下移“{label}”", at(pos + 1)
        below = count_nodes(node) - 1
        del siblings[pos]
        return f"绩效指标：删除“{label}”" + (f"及其 {below} 个下级指标" if below else ""), parent
