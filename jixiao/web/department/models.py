"""The stored 部门整体自评 and its transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..organisations.models import Organisation
from .choices import STATUS_COLOURS, Action, Status


class DepartmentEvaluationRecord(models.Model):
    """One 主管部门's self-evaluation of its spending as a whole for one year.

    ``document`` is the :class:`jixiao.core.department.model.DepartmentEvaluation` as JSON; the score columns are
    what the engine computed from it when it was last saved. ``revision`` guards against two people saving over
    each other."""

    department = models.ForeignKey(
        Organisation, verbose_name="主管部门", on_delete=models.PROTECT, related_name="department_evaluations"
    )
    finance = models.ForeignKey(Organisation, verbose_name="财政局", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("评价年度", db_index=True)
    framework = models.CharField("指标体系", max_length=50)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    revision = models.PositiveIntegerField("修订号", default=1)
    computed_score = models.DecimalField("计算得分", max_digits=6, decimal_places=2, null=True, blank=True)
    computed_grade = models.CharField("计算等级", max_length=2, blank=True)
    claimed_score = models.DecimalField("自评总分", max_digits=6, decimal_places=2, null=True, blank=True)
    claimed_grade = models.CharField("自评等级", max_length=10, blank=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    warning_count = models.PositiveIntegerField("警告数", default=0)
    review_comment = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    # the roll-up of the department's project self-evaluations as submitted: 财政 reviews, and the public reads,
    # what the department submitted, not the projects as they stand later (None while it may still be changed)
    projects = models.JSONField("提交时的项目自评汇总", null=True, blank=True)
    document = models.JSONField("自评数据")

    class Meta:
        verbose_name = "部门整体自评"
        verbose_name_plural = "部门整体自评"
        ordering = ["-year", "department__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="department_evaluation_once_a_year")]

    def __str__(self) -> str:
        return f"{self.department.name} {self.year} 年度部门整体支出绩效自评"

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[Status(self.status)]


class DepartmentTransition(models.Model):
    """Who moved a 部门整体自评 from one status to another, when and why."""

    record = models.ForeignKey(DepartmentEvaluationRecord, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("操作人", max_length=150)
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门整体自评流转记录"
        verbose_name_plural = "部门整体自评流转记录"
        ordering = ["created_at", "pk"]
