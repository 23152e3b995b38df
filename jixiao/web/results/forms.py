"""The forms of 结果应用: the policy text, the budget list's filters, finance's decision on one evaluation, and the
steps of a 整改事项. Every error names its field in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from ...core.results import GRADES
from ...core.values import fmt
from ...io.catalogue import load_result_policy
from ...io.errors import InputError
from ..organisations.models import Organisation, OrganisationKind
from ..review.models import Evidence
from .models import Rectification
from .services import UNSCORED_LABEL


def _finance_field(finances: QuerySet[Organisation]) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label="财政局",
        queryset=finances,
        empty_label=None,
        error_messages={"invalid_choice": "财政局不在可选范围内", "required": "请选择财政局"},
    )
    if finances.count() == 1:
        field.initial = finances.first()
        field.widget = forms.HiddenInput()
    return field


def plain(amount: Decimal) -> str:
    """An amount for an input, as typed: ``137.7000`` → ``137.7``, ``420.0000`` → ``420`` (never ``4.2E+2``)."""
    text = f"{amount.normalize():f}"
    return "0" if text == "-0" else text


class PolicyForm(forms.Form):
    text = forms.CharField(
        label="政策内容（YAML）",
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "code"}),
        error_messages={"required": "请填写政策内容"},
        strip=False,
    )
    note = forms.CharField(
        label="修改说明",
        max_length=300,
        error_messages={"required": "请写明修改说明（如依据的本地文件）", "max_length": "修改说明不能超过 300 个字"},
    )

    def __init__(self, *args: Any, finances: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"finance": _finance_field(finances), **self.fields}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        try:
            load_result_policy(text)
        except InputError as exc:
            raise forms.ValidationError(f"政策内容有误：{exc}") from None
        return text


GRADE_CHOICES = [("", "全部等级"), *((g, g) for g in GRADES), (UNSCORED_LABEL, UNSCORED_LABEL)]


class BudgetFilterForm(forms.Form):
    year = forms.IntegerField(label="评价年度", required=False, min_value=2000, max_value=2100)
    department = forms.ModelChoiceField(
        label="主管部门", required=False, queryset=Organisation.objects.none(), empty_label="全部主管部门"
    )
    grade = forms.ChoiceField(label="依据等级", required=False, choices=GRADE_CHOICES)

    def __init__(self, *args: Any, finances: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if finances.count() > 1:
            self.fields = {
                "finance": forms.ModelChoiceField(label="财政局", queryset=finances, empty_label=None, required=False),
                **self.fields,
            }
        self.fields["department"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.DEPARTMENT, parent__in=finances
        ).order_by("name")


class DecisionForm(forms.Form):
    decided_wan = forms.DecimalField(
        label="调整后预算（万元）",
        min_value=Decimal(0),
        max_digits=15,
        decimal_places=4,
        error_messages={
            "required": "请填写调整后预算（万元）",
            "invalid": "调整后预算应为数字（万元），如 137.7",
            "min_value": "调整后预算不能为负数",
            "max_digits": "调整后预算位数过多（最多 11 位整数、4 位小数）",
            "max_decimal_places": "调整后预算最多保留 4 位小数",
            "max_whole_digits": "调整后预算位数过多（最多 11 位整数）",
        },
    )
    reason = forms.CharField(label="调整理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, suggested: Decimal | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggested = suggested
        if suggested is not None and not self.is_bound and "decided_wan" not in self.initial:
            self.initial["decided_wan"] = plain(suggested)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount = data.get("decided_wan")
        if amount is not None and amount != self.suggested and not data.get("reason", "").strip():
            if self.suggested is None:
                self.add_error("reason", "没有建议预算可依，请写明调整理由")
            else:
                self.add_error("reason", f"调整后预算与建议预算（{fmt(self.suggested)} 万元）不同，请写明调整理由")
        return data


class OpenRectificationsForm(forms.Form):
    due_date = forms.DateField(
        label="整改期限",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写整改期限", "invalid": "整改期限应为日期，如 2023-06-30"},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["due_date"].initial = today + dt.timedelta(days=60)

    def clean_due_date(self) -> dt.date:
        due = self.cleaned_data["due_date"]
        if due < self.today:
            raise forms.ValidationError(f"整改期限不能早于今天（{self.today:%Y-%m-%d}）")
        return due


class ReportForm(forms.Form):
    report = forms.CharField(
        label="整改情况",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写整改情况：做了什么、改正了哪些内容"},
    )
    evidence = forms.ModelChoiceField(
        label="整改佐证（可选）",
        required=False,
        queryset=Evidence.objects.none(),
        empty_label="不附材料",
        error_messages={"invalid_choice": "整改佐证须是本评价已上传的佐证材料"},
    )

    def __init__(self, *args: Any, item: Rectification, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = Evidence.objects.filter(record_id=item.record_id).order_by("-uploaded_at")
        self.fields["evidence"].label_from_instance = (
            lambda e: f"{e.file_name}（{e.uploaded_by_name}，{e.uploaded_at:%Y-%m-%d}）"
        )


def _evidence_label(evidence: Evidence) -> str:
    return f"{evidence.file_name}（{evidence.uploaded_by_name}，{timezone.localtime(evidence.uploaded_at):%Y-%m-%d}）"


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="退回意见",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明退回意见：整改情况还缺什么"},
    )


class RectificationFilterForm(forms.Form):
    year = forms.IntegerField(label="评价年度", required=False, min_value=2000, max_value=2100)
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Rectification.State.choices])
    overdue = forms.BooleanField(label="只看逾期", required=False)
