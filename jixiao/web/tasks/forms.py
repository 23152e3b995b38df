from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from ...io.catalogue import shipped_ids
from ...io.errors import InputError
from ..evaluations.forms import framework_choices, rules_choices
from ..evaluations.widgets import ChineseFileInput
from ..organisations.models import Organisation
from .models import Task

#: the largest 项目清单 accepted (a province's year is about 100,000 rows, some 20 MB)
MAX_LIST_BYTES = 50 * 1024 * 1024


class TaskForm(forms.Form):
    owner = forms.ModelChoiceField(label="发起单位", queryset=Organisation.objects.none(), empty_label=None)
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="任务名称", max_length=200)
    rules = forms.ChoiceField(label="评分规则")
    framework = forms.ChoiceField(label="指标体系")
    unit_deadline = forms.DateField(label="单位填报截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    department_deadline = forms.DateField(label="主管部门审核截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    finance_deadline = forms.DateField(label="财政复核截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    project_list = forms.FileField(
        label="项目清单（.xlsx）",
        required=False,
        widget=ChineseFileInput(attrs={"accept": ".xlsx"}),
        allow_empty_file=True,  # the reader refuses it by name, in the words of every other path
    )
    copy_from = forms.ModelChoiceField(
        label="或沿用以往任务的项目清单",
        queryset=Task.objects.none(),
        required=False,
        empty_label="（不沿用，上传项目清单）",
        help_text="沿用时，项目编码、名称和单位照旧，预算数留待单位填写",
    )

    def __init__(self, *args: Any, owners: QuerySet[Organisation], earlier: QuerySet[Task], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["copy_from"].queryset = earlier
        if owners.count() == 1:
            self.fields["owner"].initial = owners.first()
        self.fields["rules"].choices = rules_choices()
        self.fields["framework"].choices = framework_choices(shipped_ids("frameworks"))
        self.fields["year"].initial = dt.date.today().year - 1

    def clean_project_list(self) -> Any:
        upload = self.cleaned_data["project_list"]
        if upload is None:
            return None
        # “文件 <name>：…”, as every path names a file it refuses
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(str(InputError("项目清单须为 .xlsx 文件（可先下载模板）", upload.name)))
        if upload.size > MAX_LIST_BYTES:
            raise forms.ValidationError(str(InputError("文件过大（超过 50 MB）", upload.name)))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        unit, department, finance = (data.get(k) for k in ("unit_deadline", "department_deadline", "finance_deadline"))
        if unit and department and department < unit:
            self.add_error("department_deadline", "主管部门审核截止日期不能早于单位填报截止日期")
        if department and finance and finance < department:
            self.add_error("finance_deadline", "财政复核截止日期不能早于主管部门审核截止日期")
        if "project_list" in data and "copy_from" in data:
            if data["project_list"] is None and data["copy_from"] is None:
                self.add_error("project_list", "请上传项目清单，或选择沿用以往任务的项目清单")
            elif data["project_list"] is not None and data["copy_from"] is not None:
                self.add_error("copy_from", "上传了项目清单时不能同时沿用以往任务的清单，请只选一种")
        return data


class ExtensionForm(forms.Form):
    deadline = forms.DateField(label="延至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="延期理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, task: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task

    def clean_deadline(self) -> dt.date:
        deadline = self.cleaned_data["deadline"]
        if deadline <= self.task.unit_deadline:
            raise forms.ValidationError(
                f"延期后的日期须晚于任务的填报截止日期（{self.task.unit_deadline:%Y年%m月%d日}）"
            )
        return deadline
