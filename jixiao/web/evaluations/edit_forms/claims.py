"""单位自述: what the unit stated about its score and funds, kept apart from what jixiao computes."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from django import forms

from .base import AmountField, Document, NumberField, PartEditor, PercentField, Section, choice, text

TIMELY_CHOICES = [("", "未说明"), ("yes", "是"), ("no", "否")]
TIMELY_VALUES = {"": None, "yes": True, "no": False}
RATES = ("arrival_rate_pct", "spend_rate_pct", "execution_rate_pct")


class ClaimsForm(forms.Form):
    total_score = NumberField(label="自评总分", min_value=0, max_value=100)
    # the 附1 table's 预算执行率 row has its own 自评得分 outside the indicator tree
    execution_score = NumberField(
        label="预算执行率自评得分", min_value=0, max_value=100, help_text="自评表“预算执行率”一行中单位自己填的得分"
    )
    grade = text("自评等级", max_length=10, widget=forms.TextInput(attrs={"list": "grades", "size": 6}))
    budget_wan = AmountField(label="所述预算总额（万元）")
    arrived_wan = AmountField(label="所述到位资金（万元）")
    spent_wan = AmountField(label="所述支出资金（万元）")
    arrival_rate_pct = PercentField(label="所述资金到位率")
    spend_rate_pct = PercentField(label="所述支出率（占到位资金）")
    execution_rate_pct = PercentField(label="所述预算执行率")
    funds_timely = choice("所述“资金到位及时”", TIMELY_CHOICES)

    @staticmethod
    def initial_for(claims: dict[str, Any]) -> dict[str, Any]:
        initial = dict(claims)
        timely = claims.get("funds_timely")
        initial["funds_timely"] = "" if timely is None else ("yes" if timely else "no")
        return initial


class ClaimsEditor(PartEditor):
    slug: ClassVar[str] = "claims"
    title: ClassVar[str] = "单位自述"

    def build(self) -> list[Section]:
        claims = self.document.get("claims") or {}
        self.form = ClaimsForm(self.data, initial=ClaimsForm.initial_for(claims), prefix="claims")
        for name, quote in (claims.get("quotes") or {}).items():
            if name in self.form.fields and quote:
                self.form.fields[name].help_text = f"原文：{quote}"
        return [
            Section(
                "单位自述",
                self.form,
                "照录报告中单位自己写的得分和资金数字，比率须带百分号（如“65.36%”）；系统会与计算结果比对。",
            )
        ]

    def updated(self) -> Document:
        claims = copy.deepcopy(self.document.get("claims") or {})
        data = dict(self.form.cleaned_data)
        data["funds_timely"] = TIMELY_VALUES[data["funds_timely"]]
        for key in RATES:
            if data[key] is not None:
                data[key] = f"{data[key]}%"
        claims.update(data)
        return {"claims": claims}
