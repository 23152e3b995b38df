"""Forms of the evaluation pages. The per-part editing forms live in ``edit_forms``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet

from ...core.model import Evaluation
from ...io.catalogue import load_framework, load_rules, shipped_ids
from ..organisations.models import Organisation


class NewEvaluationForm(forms.Form):
    unit = forms.ModelChoiceField(label="预算单位", queryset=Organisation.objects.none())
    name = forms.CharField(label="项目名称", max_length=300)
    year = forms.IntegerField(
        label="评价年度", min_value=2000, max_value=2100, initial=lambda: dt.date.today().year - 1
    )
    framework = forms.ChoiceField(label="指标体系")
    rules = forms.ChoiceField(label="评分规则")

    def __init__(self, *args: object, units: QuerySet[Organisation], frameworks: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        only = list(units[:2])
        if len(only) == 1:  # the one unit a person fills for is chosen already, without a 「---------」 line
            self.fields["unit"].empty_label = None  # type: ignore[attr-defined]
            self.fields["unit"].initial = only[0].pk
        self.fields["framework"].choices = framework_choices(frameworks)  # type: ignore[attr-defined]
        self.fields["framework"].initial = Evaluation.model_fields["framework"].default
        self.fields["rules"].choices = rules_choices()  # type: ignore[attr-defined]
        self.fields["rules"].initial = Evaluation.model_fields["rules"].default


# Rule sets and frameworks are shown by their Chinese names, the model's defaults (附1 of 财预〔2020〕10号) first.


def framework_choices(frameworks: list[str]) -> list[tuple[str, str]]:
    default = Evaluation.model_fields["framework"].default
    return [(f, load_framework(f).name) for f in _default_first(frameworks, default)]


def rules_choices() -> list[tuple[str, str]]:
    default = Evaluation.model_fields["rules"].default
    return [(r, load_rules(r).name) for r in _default_first(shipped_ids("rules"), default)]


def _default_first(ids: list[str], default: str) -> list[str]:
    return sorted(ids, key=lambda i: i != default)
