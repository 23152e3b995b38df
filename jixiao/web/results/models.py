"""结果应用: each 财政局's policy (grade → budget action, as data), the next-year budget decided per evaluation, and
the 整改事项 tracked to closure (the policy's rules themselves: ``jixiao.core.results``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ...core.model import PROJECT_NAME_MAX
from ..evaluations.models import EvaluationRecord
from ..organisations.models import Organisation


class ResultPolicy(models.Model):
    """A 财政局's 结果应用 policy, as the YAML text of ``jixiao/data/results/policy.yaml``'s shape. The latest saved
    one applies; earlier ones are kept (and the change log records who changed what)."""

    finance = models.ForeignKey(Organisation, verbose_name="财政局", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("政策内容（YAML）")
    note = models.CharField("修改说明", max_length=300, blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_by_name = models.CharField("保存人", max_length=150)
    saved_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "结果应用政策"
        verbose_name_plural = "结果应用政策"
        ordering = ["-saved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.finance}（{self.saved_at:%Y-%m-%d %H:%M}）"


class BudgetDecision(models.Model):
    """The next-year budget of one evaluated project: what the policy suggested when it was decided, and the amount
    decided when finance overrides the suggestion (with the reason). Amounts in 万元."""

    record = models.OneToOneField(
        EvaluationRecord, verbose_name="评价", on_delete=models.CASCADE, related_name="budget_decision"
    )
    grade = models.CharField("依据等级", max_length=2)
    grade_source = models.CharField("等级来源", max_length=10)  # 复核 / 计算
    action = models.CharField("处理方式", max_length=100)
    suggested_wan = models.DecimalField("建议预算（万元）", max_digits=15, decimal_places=4, null=True, blank=True)
    decided_wan = models.DecimalField("调整后预算（万元）", max_digits=15, decimal_places=4, null=True, blank=True)
    reason = models.TextField("调整理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by_name = models.CharField("决定人", max_length=150)
    decided_at = models.DateTimeField("决定时间", auto_now=True)

    class Meta:
        verbose_name = "下年预算安排"
        verbose_name_plural = "下年预算安排"


class Rectification(models.Model):
    """整改事项: a problem the unit must put right, from a check's error finding or from the 复核, with an owner
    (the 预算单位), a due date and a status; closed with the unit's account of what it did and, where asked, an
    evidence file."""

    class Source(models.TextChoices):
        FINDING = "finding", "检查发现"
        REVIEW = "review", "复核发现"

    class State(models.TextChoices):
        OPEN = "open", "待整改"
        REPORTED = "reported", "已报整改情况"
        CLOSED = "closed", "已销号"

    record = models.ForeignKey(
        EvaluationRecord, verbose_name="评价", on_delete=models.CASCADE, related_name="rectifications"
    )
    owner = models.ForeignKey(Organisation, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    # copied from the record, so that lists and the 汇总表 count per 主管部门 and 财政局 without a join
    department = models.ForeignKey(
        Organisation, verbose_name="主管部门", null=True, on_delete=models.PROTECT, related_name="+"
    )
    finance = models.ForeignKey(
        Organisation, verbose_name="财政局", null=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField("评价年度")
    project_name = models.CharField("项目名称", max_length=PROJECT_NAME_MAX)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    source_ref = models.CharField("来源编号", max_length=700)  # the finding's key, or "problem:<pk>"
    problem = models.TextField("问题")
    requirement = models.TextField("整改要求")
    due_date = models.DateField("整改期限")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    report = models.TextField("整改情况", blank=True)
    evidence = models.ForeignKey(
        "review.Evidence", verbose_name="整改佐证", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField("提出人", max_length=150)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    reported_at = models.DateTimeField("报送时间", null=True, blank=True)
    closed_by_name = models.CharField("销号人", max_length=150, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    # the latest sending back (退回重新整改): why, by whom, when; the change log keeps the earlier ones
    return_comment = models.TextField("退回意见", blank=True)
    returned_by_name = models.CharField("退回人", max_length=150, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    reminded_on = models.DateField("最近提醒日期", null=True, blank=True)

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "source", "source_ref"], name="rectification_once_per_source")
        ]
        indexes = [
            models.Index(fields=["finance", "year", "state"], name="rectification_finance"),
            models.Index(fields=["department", "year", "state"], name="rectification_department"),
            models.Index(fields=["owner", "state"], name="rectification_owner"),
        ]

    def __str__(self) -> str:
        return self.problem[:40]
