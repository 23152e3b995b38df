"""Forms of the evaluation pages. The per-part editing forms live in ``edit_forms``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet

from ...io.catalogue import load_framework, shipped_ids
from ..organisations.models import Organisation


class NewEvaluationForm(forms.Form):
    unit = forms.ModelChoiceField(label="预算单位", queryset=Organisation.objects.none())
    name = forms.CharField(label="项目名称", max_length=300)
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100, initial=dt.date.today().year - 1)
    framework = forms.ChoiceField(label="指标体系")
    rules = forms.ChoiceField(label="评分规则")

    def __init__(self, *args: object, units: QuerySet[Organisation], frameworks: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["framework"].choices = [(f, load_framework(f).name) for f in frameworks]  # type: ignore[attr-defined]
        self.fields["rules"].choices = [(r, r) for r in shipped_ids("rules")]  # type: ignore[attr-defined]
