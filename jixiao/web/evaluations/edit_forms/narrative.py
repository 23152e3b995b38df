"""报告正文: the report's prose, section by section."""

from __future__ import annotations

import copy
from typing import ClassVar

from django import forms

from .base import Document, LinesField, PartEditor, Section, text


class NarrativeForm(forms.Form):
    conclusion = text("自评结论", area=True, rows=4)
    fund_arrival = text("资金到位情况", area=True)
    fund_execution = text("资金执行情况", area=True)
    fund_management = text("资金管理情况", area=True)
    performance = text("绩效目标完成情况", area=True, rows=5)
    satisfaction = text("满意度指标完成情况", area=True)
    experience = LinesField(label="主要经验及做法（每行一条）")
    problems = LinesField(label="存在的问题及原因分析（每行一条）")
    improvements = LinesField(label="改进意见（每行一条）")
    result_use = text("自评结果拟应用和公开情况", area=True)


class NarrativeEditor(PartEditor):
    slug: ClassVar[str] = "narrative"
    title: ClassVar[str] = "报告正文"

    def build(self) -> list[Section]:
        self.form = NarrativeForm(self.data, initial=self.document.get("narrative") or {}, prefix="narrative")
        return [Section("报告正文", self.form)]

    def updated(self) -> Document:
        narrative = copy.deepcopy(self.document.get("narrative") or {})
        narrative.update(self.form.cleaned_data)
        return {"narrative": narrative}
