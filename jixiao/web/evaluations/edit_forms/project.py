"""项目概况: the project form and its 实施依据 rows."""

from __future__ import annotations

import copy
from typing import ClassVar

from django import forms

from ....core.model import PROJECT_NAME_MAX
from .base import REQUIRED, AmountField, Document, LinesField, PartEditor, RowForm, Section, integer, rows, text


class _CompletedSelect(forms.NullBooleanSelect):
    """是/否/未填写 in the words of the question, keeping NullBooleanSelect's value mapping."""

    def __init__(self) -> None:
        super().__init__()
        self.choices = [("unknown", "未填写"), ("true", "是，已完成"), ("false", "否，尚未完成")]


class ProjectForm(forms.Form):
    name = forms.CharField(
        label="项目名称",
        max_length=PROJECT_NAME_MAX,
        error_messages={**REQUIRED, "max_length": "不能超过 %(limit_value)d 个字（现为 %(show_value)d 个字）"},
    )
    year = integer("评价年度", required=True, min_value=2000, max_value=2100)
    department = text("主管部门")
    unit = text("实施单位")
    background = text("项目背景", area=True, rows=4)
    content_items = LinesField(label="主要内容（每行一项）")
    implementation = text("实施情况", area=True, rows=4)
    expected_input_wan = AmountField(label="预期投入（万元）")
    expected_input_source = text("预期投入资金来源")
    completed = forms.NullBooleanField(
        label="项目是否已完成",
        required=False,
        widget=_CompletedSelect(),
        help_text="按财预〔2021〕101号，项目已完成且执行数控制在年度预算规模之内的，预算执行率得满分。",
    )


class BasisForm(RowForm):
    title = text("文件名称", required=True)
    number = text("文号")


class ProjectEditor(PartEditor):
    slug: ClassVar[str] = "project"
    title: ClassVar[str] = "项目概况"

    def build(self) -> list[Section]:
        project = self.document.get("project") or {}
        self.form = ProjectForm(self.data, initial=project, prefix="project")
        self.basis = rows(BasisForm, prefix="basis", data=self.data, items=project.get("basis") or [])
        return [
            Section("项目概况", self.form),
            Section("实施依据", self.basis, "法律法规、规划或通知，写文件名称和文号。"),
        ]

    def updated(self) -> Document:
        project = copy.deepcopy(self.document.get("project") or {})
        project.update(self.form.cleaned_data)
        project["basis"] = self.basis.items()
        return {"project": project}
