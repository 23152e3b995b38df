"""The forms of a 部门整体自评: opening one, filling it in (built from its framework and the account formulas),
and a lifecycle step's comment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from ...core.department.framework import DepartmentFramework, Formulas
from ...core.department.model import DepartmentEvaluation, Header, ItemEntry, Narrative
from ...io.department.catalogue import framework_ids, load_department_framework
from ..organisations.models import Organisation

#: the preset a new evaluation starts from
DEFAULT_FRAMEWORK = "mof-2013-53"
GRADE_CHOICES = [("", "（未填写）"), ("优", "优"), ("良", "良"), ("中", "中"), ("差", "差")]


def framework_choices() -> list[tuple[str, str]]:
    ids = sorted(framework_ids(), key=lambda i: i != DEFAULT_FRAMEWORK)
    return [(i, load_department_framework(i).name) for i in ids]


class NewDepartmentEvaluationForm(forms.Form):
    department = forms.ModelChoiceField(label="主管部门", queryset=Organisation.objects.none())
    year = forms.IntegerField(
        label="评价年度", min_value=2000, max_value=2100, initial=lambda: dt.date.today().year - 1
    )
    framework = forms.ChoiceField(label="指标体系")

    def __init__(self, *args: Any, departments: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        if departments.count() == 1:
            self.fields["department"].empty_label = None  # type: ignore[attr-defined]
        self.fields["framework"].choices = framework_choices()  # type: ignore[attr-defined]
        self.fields["framework"].initial = DEFAULT_FRAMEWORK


def _amount(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=15, decimal_places=6)


class DepartmentEvaluationForm(forms.Form):
    """Every field of the document, named ``acct_<id>``, ``ratio_<id>``, ``score_<n>`` / ``reason_<n>`` (n: the leaf's
    place in the table), and the header, totals and narrative by their own names."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    contact = forms.CharField(label="部门联系人", required=False, max_length=50)
    phone = forms.CharField(label="联系电话", required=False, max_length=50)
    claimed_total = forms.DecimalField(
        label="自评总分（分）", required=False, min_value=0, max_value=100, max_digits=6, decimal_places=2
    )
    claimed_grade = forms.ChoiceField(label="自评等级", required=False, choices=GRADE_CHOICES)
    overview = forms.CharField(label="部门基本情况", required=False, max_length=10000, widget=forms.Textarea)
    achievements = forms.CharField(label="绩效目标完成情况", required=False, max_length=10000, widget=forms.Textarea)
    problems = forms.CharField(label="存在的问题", required=False, max_length=10000, widget=forms.Textarea)
    improvements = forms.CharField(label="改进措施", required=False, max_length=10000, widget=forms.Textarea)

    def __init__(
        self, *args: Any, framework: DepartmentFramework, formulas: Formulas, document: DepartmentEvaluation,
        revision: int, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.framework, self.formulas, self.document = framework, formulas, document
        self.leaves = framework.leaves()
        initial: dict[str, Any] = {
            "revision": revision,
            "contact": document.header.contact,
            "phone": document.header.phone,
            "claimed_total": document.claimed_total,
            "claimed_grade": document.claimed_grade,
            **document.narrative.model_dump(),
        }
        for spec in formulas.inputs:
            self.fields[f"acct_{spec.id}"] = _amount(f"{spec.name}（{spec.unit}）")
            initial[f"acct_{spec.id}"] = document.accounts.get(spec.id)
        for formula in formulas.formulas:
            self.fields[f"ratio_{formula.id}"] = forms.DecimalField(
                label=f"填报的{formula.name}（%）", required=False, max_digits=12, decimal_places=4
            )
            initial[f"ratio_{formula.id}"] = document.stated_ratios.get(formula.id)
        for n, (path, leaf) in enumerate(self.leaves):
            entry = document.items.get("/".join(path), ItemEntry())
            self.fields[f"score_{n}"] = forms.DecimalField(
                label=f"“{path[-1]}”自评得分（分）",
                required=False,
                min_value=0,
                max_value=leaf.points,
                max_digits=6,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"placeholder": "按公式计算"} if leaf.formula else {}),
            )
            self.fields[f"reason_{n}"] = forms.CharField(
                label=f"“{path[-1]}”扣分原因", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )
            initial[f"score_{n}"], initial[f"reason_{n}"] = entry.score, entry.reason
        for name, value in initial.items():
            self.fields[name].initial = value

    def account_fields(self) -> list[forms.BoundField]:
        return [self[f"acct_{spec.id}"] for spec in self.formulas.inputs]

    def ratio_fields(self) -> list[forms.BoundField]:
        return [self[f"ratio_{f.id}"] for f in self.formulas.formulas]

    def item_fields(self, n: int) -> tuple[forms.BoundField, forms.BoundField]:
        return self[f"score_{n}"], self[f"reason_{n}"]

    def error_lines(self) -> list[str]:
        """Every error as ``<field label>：<message>``, in Chinese, for the message at the top of the page."""
        out = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else "表单"
            out.extend(f"{label}：{str(e).rstrip('。')}" for e in errors)
        return out

    def to_document(self) -> DepartmentEvaluation:
        data = self.cleaned_data
        items = {}
        for n, (path, _leaf) in enumerate(self.leaves):
            score: Decimal | None = data.get(f"score_{n}")
            reason = (data.get(f"reason_{n}") or "").strip()
            if score is not None or reason:
                items["/".join(path)] = ItemEntry(score=score, reason=reason)
        return DepartmentEvaluation(
            header=Header(
                department=self.document.header.department,
                year=self.document.header.year,
                finance=self.document.header.finance,
                contact=data["contact"].strip(),
                phone=data["phone"].strip(),
            ),
            framework=self.document.framework,
            accounts={s.id: data[f"acct_{s.id}"] for s in self.formulas.inputs if data[f"acct_{s.id}"] is not None},
            stated_ratios={
                f.id: data[f"ratio_{f.id}"] for f in self.formulas.formulas if data[f"ratio_{f.id}"] is not None
            },
            items=items,
            claimed_total=data["claimed_total"],
            claimed_grade=data["claimed_grade"],
            narrative=Narrative(**{k: data[k].strip() for k in Narrative.model_fields}),
        )


class StepForm(forms.Form):
    comment = forms.CharField(label="意见", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
