"""自评工作组织: object, scope, method, deadline, steps and documents, and the leadership group."""

from __future__ import annotations

import copy
from typing import ClassVar

from django import forms

from .base import Document, LinesField, PartEditor, RowForm, Section, date, rows, text


class OrganisationForm(forms.Form):
    evaluated_object = text("自评对象", area=True, rows=2)
    scope = text("自评范围", area=True, rows=2)
    method = text("评价方法", area=True, rows=2)
    framework_description = text("评价指标体系和标准", area=True, rows=3)
    deadline = date("完成时限")
    steps = LinesField(label="工作步骤（每行一步）")
    documents = LinesField(label="形成材料（每行一项）")


class MemberForm(RowForm):
    role = text("小组职务", required=True, widget=forms.TextInput(attrs={"list": "group-roles"}))
    name = text("姓名")
    position = text("单位职务")


class OrganisationEditor(PartEditor):
    slug: ClassVar[str] = "organisation"
    title: ClassVar[str] = "自评工作组织"

    def build(self) -> list[Section]:
        organisation = self.document.get("organisation") or {}
        self.form = OrganisationForm(self.data, initial=organisation, prefix="organisation")
        self.leadership = rows(
            MemberForm, prefix="leadership", data=self.data, items=organisation.get("leadership") or []
        )
        return [
            Section("自评工作组织", self.form),
            Section("领导小组", self.leadership, "小组职务如组长、副组长、组员。"),
        ]

    def updated(self) -> Document:
        organisation = copy.deepcopy(self.document.get("organisation") or {})
        organisation.update(self.form.cleaned_data)
        organisation["leadership"] = self.leadership.items()
        return {"organisation": organisation}
