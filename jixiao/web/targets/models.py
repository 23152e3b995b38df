"""The stored 绩效目标申报表, its review transitions and the adjustments of approved targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ...core.model import PROJECT_NAME_MAX
from ...core.targets.declaration import Declaration
from ..organisations.models import Organisation
from .choices import STATUS_COLOURS, DeclarationAction, DeclarationStatus


class TargetDeclaration(models.Model):
    """One project's 绩效目标申报表 for one budget year; ``document`` is the whole
    :class:`jixiao.core.targets.declaration.Declaration` as JSON, the other columns are for lists and workflow."""

    unit = models.ForeignKey(
        Organisation, verbose_name="预算单位", on_delete=models.PROTECT, related_name="declarations"
    )
    # copied from the tree at creation, like EvaluationRecord.place(), so that scoping a list is one column
    department = models.ForeignKey(
        Organisation, verbose_name="主管部门", null=True, on_delete=models.PROTECT, related_name="+"
    )
    finance = models.ForeignKey(
        Organisation, verbose_name="财政局", null=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField("预算年度", db_index=True)
    project_name = models.CharField("项目名称", max_length=PROJECT_NAME_MAX)
    project_code = models.CharField("项目编码", max_length=64, blank=True)
    status = models.CharField(
        "状态", max_length=30, choices=DeclarationStatus.choices, default=DeclarationStatus.DRAFT, db_index=True
    )
    revision = models.PositiveIntegerField("修订号", default=1)
    review_grade = models.CharField("审核等级", max_length=2, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    evaluation = models.OneToOneField(
        "evaluations.EvaluationRecord",
        verbose_name="年度自评",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="declaration",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    approved_at = models.DateTimeField("批复时间", null=True, blank=True)
    # last, as in EvaluationRecord: a long JSON value is kept in overflow pages
    document = models.JSONField("申报数据")

    class Meta:
        verbose_name = "绩效目标申报"
        verbose_name_plural = "绩效目标申报"
        ordering = ["-year", "project_name", "pk"]

    def place(self, unit: Organisation) -> None:
        """Set the unit and copy its 主管部门 and 财政局 from the organisation tree."""
        self.unit = unit
        self.department = self.finance = None
        for node in unit.ancestors():
            if node.kind == "department" and self.department is None:
                self.department = node
            if node.kind == "finance":
                self.finance = node
                break

    def parsed(self) -> Declaration:
        return Declaration.model_validate(self.document)

    def __str__(self) -> str:
        return f"{self.year} {self.project_name}"

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[DeclarationStatus(self.status)]


class DeclarationTransition(models.Model):
    """Who moved a declaration from one status to another, when and with which comment."""

    declaration = models.ForeignKey(TargetDeclaration, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("操作", max_length=30, choices=DeclarationAction.choices)
    from_status = models.CharField("原状态", max_length=30, choices=DeclarationStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=30, choices=DeclarationStatus.choices)
    grade = models.CharField("审核等级", max_length=2, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("操作人", max_length=150)
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报流转记录"
        verbose_name_plural = "申报流转记录"
        ordering = ["created_at", "pk"]


class TargetAdjustment(models.Model):
    """An approved target changed later (88号 第二十八条: 确需调整的…报批), with its reason."""

    declaration = models.ForeignKey(TargetDeclaration, on_delete=models.CASCADE, related_name="adjustments")
    first = models.CharField("一级指标", max_length=100)
    second = models.CharField("二级指标", max_length=100)
    indicator = models.CharField("三级指标", max_length=200)
    old_target = models.CharField("原指标值", max_length=100)
    new_target = models.CharField("调整后指标值", max_length=100)
    reason = models.TextField("调整理由")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("调整人", max_length=150)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "目标调整"
        verbose_name_plural = "目标调整"
        ordering = ["created_at", "pk"]

    @property
    def path(self) -> str:
        return f"{self.first}／{self.second}／{self.indicator}"
