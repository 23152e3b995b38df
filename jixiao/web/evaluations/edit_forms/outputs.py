"""产出记录: dated activities and products with their counts."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from .base import AmountField, Document, NumberField, PartEditor, RowForm, Section, flag, integer, rows, text
from .base import date as date_field


class OutputForm(RowForm):
    below: ClassVar[tuple[str, ...]] = ("source_text",)

    title = text("活动/产出", required=True)
    date = date_field("日期")
    end_date = date_field("结束日期")
    count = NumberField(label="数量", min_value=0)
    count_unit = text("数量单位", widget=forms.TextInput(attrs={"size": 4}))
    approximate = flag("约数")
    participants = integer("参与人数")
    amount_wan = AmountField(label="金额（万元）")
    indicator = text("关联指标", widget=forms.TextInput(attrs={"list": "leaf-names"}))
    source_text = text("原文", area=True, rows=2)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "结束日期不能早于开始日期")
        return data


class OutputsEditor(PartEditor):
    slug: ClassVar[str] = "outputs"
    title: ClassVar[str] = "产出记录"

    def build(self) -> list[Section]:
        self.outputs = rows(OutputForm, prefix="outputs", data=self.data, items=self.document.get("outputs") or [])
        return [Section("产出记录", self.outputs, "“约数”指原文写“多”“近”“余”等。关联指标填写指标名称。")]

    def leaf_names(self) -> list[str]:
        names: list[str] = []

        def walk(nodes: list[dict[str, Any]]) -> None:
            for node in nodes:
                if node.get("children"):
                    walk(node["children"])
                elif node.get("name") not in names:
                    names.append(node.get("name"))

        walk(self.document.get("indicators") or [])
        return names

    def updated(self) -> Document:
        return {"outputs": self.outputs.items()}
