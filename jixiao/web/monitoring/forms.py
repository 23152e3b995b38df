"""The forms of 运行监控: a 财政局 opens a 监控批次; a unit fills in its record (the figures, then one block of fields
per indicator, each field's label naming its indicator so that every message says where the problem is)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from ...core.model import DEVIATION_CAUSE_LABELS, LIKELIHOOD_LABELS
from ...core.monitoring import IndicatorProgress, MonitoringRecord, Problem
from ...io.monitoring.presets import preset_choices
from ..organisations.models import Organisation
from .models import TimeMode

DATE = forms.DateInput(attrs={"type": "date"})


class RoundForm(forms.Form):
    finance = forms.ModelChoiceField(label="财政局", queryset=Organisation.objects.none(), empty_label=None)
    year = forms.IntegerField(label="预算年度", min_value=2000, max_value=2100)
    monitoring_date = forms.DateField(label="监控时点", widget=DATE, help_text="如 7 月 31 日：监控 1—7 月的执行情况")
    preset = forms.ChoiceField(label="预警规则")
    time_progress_mode = forms.ChoiceField(label="序时进度口径", choices=TimeMode.choices, initial=TimeMode.MONTH)
    due_date = forms.DateField(label="单位填报截止日期", widget=DATE)

    def __init__(self, *args: Any, finances: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finance"].queryset = finances
        self.fields["preset"].choices = preset_choices()
        today = dt.date.today()
        self.fields["year"].initial = today.year
        self.fields["monitoring_date"].initial = dt.date(today.year, 7, 31)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year, date, due = data.get("year"), data.get("monitoring_date"), data.get("due_date")
        if year and date and date.year != year:
            self.add_error("monitoring_date", f"监控时点须在 {year} 年度内")
        if date and due and due < date:
            self.add_error("due_date", "单位填报截止日期不能早于监控时点")
        return data


def _amount(label: str, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=15,
        decimal_places=6,
        error_messages={
            "required": f"请填写{label}",
            "invalid": f"{label}须为数字，如 53.55",
            "min_value": f"{label}不能为负数",
            "max_digits": f"{label}位数过多",
            "max_decimal_places": f"{label}最多保留 6 位小数",
            "max_whole_digits": f"{label}位数过多",
        },
    )


#: the per-indicator fields, as (suffix, label)
ROW_FIELDS = (
    ("completed", "截至监控时点完成值"),
    ("expected", "全年预计完成值"),
    ("causes", "偏差原因"),
    ("cause_note", "偏差原因说明"),
    ("likelihood", "完成目标可能性"),
    ("measures", "纠偏措施"),
    ("note", "备注"),
)


class RecordForm(forms.Form):
    annual_budget_wan = _amount("全年预算数（万元）", required=True)
    executed_wan = _amount("截至监控时点执行数（万元）", required=False)
    expected_executed_wan = _amount("全年预计执行数（万元）", required=False)
    overall_note = forms.CharField(
        label="总体情况说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, document: MonitoringRecord, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "annual_budget_wan": document.annual_budget_wan,
                "executed_wan": document.executed_wan,
                "expected_executed_wan": document.expected_executed_wan,
                "overall_note": document.overall_note,
                **{
                    f"{key}_{i}": _initial(row, key)
                    for i, row in enumerate(document.indicators)
                    for key, _label in ROW_FIELDS
                },
            },
        )
        super().__init__(*args, **kwargs)
        self.document = document
        for i, row in enumerate(document.indicators):
            named = f"“{row.name}”"
            self.fields[f"completed_{i}"] = forms.CharField(
                label=named + "截至监控时点完成值", required=False, max_length=200
            )
            self.fields[f"expected_{i}"] = forms.CharField(
                label=named + "全年预计完成值", required=False, max_length=200
            )
            self.fields[f"causes_{i}"] = forms.MultipleChoiceField(
                label=named + "偏差原因",
                required=False,
                choices=[(c.value, label) for c, label in DEVIATION_CAUSE_LABELS.items()],
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "invalid_choice": f"{named}偏差原因只能选经费保障、制度保障、人员保障、硬件条件保障或其他"
                },
            )
            self.fields[f"cause_note_{i}"] = forms.CharField(
                label=named + "偏差原因说明", required=False, max_length=1000
            )
            self.fields[f"likelihood_{i}"] = forms.ChoiceField(
                label=named + "完成目标可能性",
                required=False,
                choices=[("", "（请选择）"), *((k.value, label) for k, label in LIKELIHOOD_LABELS.items())],
                error_messages={"invalid_choice": f"{named}完成目标可能性只能选确定能、有可能或完全不可能"},
            )
            self.fields[f"measures_{i}"] = forms.CharField(
                label=named + "纠偏措施", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"note_{i}"] = forms.CharField(label=named + "备注", required=False, max_length=500)

    def rows(self) -> list[tuple[IndicatorProgress, list[forms.BoundField]]]:
        return [
            (row, [self[f"{key}_{i}"] for key, _label in ROW_FIELDS]) for i, row in enumerate(self.document.indicators)
        ]

    def to_document(self) -> MonitoringRecord:
        data = self.cleaned_data
        rows = [
            {
                **row.model_dump(mode="json"),
                "completed": data[f"completed_{i}"].strip() or None,
                "expected": data[f"expected_{i}"].strip() or None,
                "causes": data[f"causes_{i}"],
                "cause_note": data[f"cause_note_{i}"].strip() or None,
                "likelihood": data[f"likelihood_{i}"] or None,
                "measures": data[f"measures_{i}"].strip() or None,
                "note": data[f"note_{i}"].strip() or None,
            }
            for i, row in enumerate(self.document.indicators)
        ]
        return MonitoringRecord.model_validate(
            {
                **self.document.model_dump(mode="json"),
                "annual_budget_wan": data["annual_budget_wan"],
                "executed_wan": data["executed_wan"],
                "expected_executed_wan": data["expected_executed_wan"],
                "overall_note": data["overall_note"].strip() or None,
                "indicators": rows,
            }
        )

    def add_problems(self, found: list[Problem]) -> None:
        """Each problem under its field (``indicators[2].measures`` → ``measures_2``)."""
        for problem in found:
            name = problem.field
            if name.startswith("indicators["):
                index, _, key = name[len("indicators[") :].partition("].")
                name = f"{key}_{index}"
            self.add_error(name if name in self.fields else None, problem.message)


def _initial(row: IndicatorProgress, key: str) -> object:
    value = getattr(row, key)
    if key == "causes":
        return [c.value for c in value]
    if key == "likelihood":
        return value.value if value is not None else ""
    return value
