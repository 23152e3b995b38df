"""A year's self-evaluation task (年度自评任务): who opened it, under which rules, by when, and for which projects.

Each project of the task's 项目清单 is an :class:`~jixiao.web.evaluations.models.EvaluationRecord` pointing back
here (``record.task``, ``record.project_code``), opened as 待填报.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..organisations.models import Organisation


class Task(models.Model):
    owner = models.ForeignKey(
        Organisation, verbose_name="发起单位", on_delete=models.PROTECT, related_name="tasks",
        help_text="财政局（面向所辖全部单位）或主管部门（面向本部门所属单位）",
    )  # fmt: skip
    year = models.PositiveIntegerField("评价年度", db_index=True)
    name = models.CharField("任务名称", max_length=200)
    rules = models.CharField("评分规则", max_length=50, default="mof-2020")
    framework = models.CharField("指标体系", max_length=50, default="mof-selfeval")
    unit_deadline = models.DateField("单位填报截止日期")
    department_deadline = models.DateField("主管部门审核截止日期")
    finance_deadline = models.DateField("财政复核截止日期")
    source_name = models.CharField("项目清单文件", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "自评任务"
        verbose_name_plural = "自评任务"
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.name
