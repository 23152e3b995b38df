"""满意度调查: respondents and satisfied counts; a renamed survey id is followed by the indicators using it."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from django import forms

from .base import REQUIRED, Document, PartEditor, RowForm, RowFormSet, Section, integer, rows, text


class SurveyForm(RowForm):
    id = forms.CharField(
        label="调查编号", max_length=40, error_messages=REQUIRED, widget=forms.TextInput(attrs={"size": 6})
    )
    title = text("调查名称", required=True)
    respondents = integer("有效样本数", required=True)
    satisfied = integer("满意人数", required=True)
    method = text("调查方式")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        respondents, satisfied = data.get("respondents"), data.get("satisfied")
        if respondents is not None and satisfied is not None and satisfied > respondents:
            self.add_error("satisfied", f"满意人数（{satisfied}）不能大于有效样本数（{respondents}）")
        return data


class SurveyFormSet(RowFormSet):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            if form in self.deleted_forms or not hasattr(form, "cleaned_data"):
                continue
            survey_id = form.cleaned_data.get("id")
            if survey_id is None:
                continue
            if survey_id in seen:
                form.add_error("id", f"调查编号“{survey_id}”重复，每项调查的编号应不同")
            seen.add(survey_id)


class SurveysEditor(PartEditor):
    slug: ClassVar[str] = "surveys"
    title: ClassVar[str] = "满意度调查"

    def build(self) -> list[Section]:
        items = self.document.get("surveys") or []
        self.surveys = rows(SurveyForm, prefix="surveys", data=self.data, items=items, formset=SurveyFormSet)
        return [Section("满意度调查", self.surveys, "满意度指标通过调查编号关联到调查；改编号时关联的指标随之更新。")]

    def renamed(self) -> dict[str, str]:
        """Old id → new id for stored surveys whose id was changed."""
        deleted = self.surveys.deleted_forms
        out = {}
        for form in self.surveys.forms:
            old = form.original().get("id")
            new = form.cleaned_data.get("id") if form not in deleted and hasattr(form, "cleaned_data") else None
            if old and new and old != new:
                out[old] = new
        return out

    def updated(self) -> Document:
        changes: Document = {"surveys": self.surveys.items()}
        renamed = self.renamed()
        if renamed:
            indicators = copy.deepcopy(self.document.get("indicators") or [])

            def follow(nodes: list[dict[str, Any]]) -> None:
                for node in nodes:
                    if node.get("survey") in renamed:
                        node["survey"] = renamed[node["survey"]]
                    follow(node.get("children") or [])

            follow(indicators)
            changes["indicators"] = indicators
        return changes
