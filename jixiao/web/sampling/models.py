"""抽查复核计划: a draw of a year's self-evaluations for finance to re-check, recorded with its criteria, seed, who
drew it and when, and the list with the reason each one was drawn (the draw itself: ``jixiao.core.sampling``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ...core.model import PROJECT_NAME_MAX
from ..evaluations.models import EvaluationRecord
from ..organisations.models import Organisation


class SampleDraw(models.Model):
    finance = models.ForeignKey(Organisation, verbose_name="财政局", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("评价年度")
    size_pct = models.DecimalField("抽取比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    size_count = models.PositiveIntegerField("抽取数量", null=True, blank=True)
    minimum_per_department = models.PositiveIntegerField("每个主管部门至少", default=1)
    random_share_pct = models.DecimalField("随机抽取部分（%）", max_digits=5, decimal_places=2)
    seed = models.BigIntegerField("随机种子")
    candidates = models.PositiveIntegerField("可抽取的评价数")
    asked = models.PositiveIntegerField("按比例或数量应抽")
    drawn = models.PositiveIntegerField("实际抽取")
    #: the statuses eligible and the risk weights used, as they were at the draw
    criteria = models.JSONField("抽取条件")
    #: per 主管部门: candidates, allocated, drawn by risk and at random
    per_department = models.JSONField("各主管部门")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    drawn_by_name = models.CharField("抽取人", max_length=150)
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽查复核计划"
        verbose_name_plural = "抽查复核计划"
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.year}年度抽查复核（{self.drawn_at:%Y-%m-%d %H:%M}）"

    @property
    def size_label(self) -> str:
        """The size asked, as the plan gave it: ``10%`` or ``200 个``."""
        return f"{self.size_pct.normalize():f}%" if self.size_pct is not None else f"{self.size_count} 个"

    @property
    def random_share_label(self) -> str:
        return f"{self.random_share_pct.normalize():f}%"


class SampleItem(models.Model):
    class Part(models.TextChoices):
        RISK = "risk", "按风险排序"
        RANDOM = "random", "随机抽取"

    draw = models.ForeignKey(SampleDraw, verbose_name="抽查复核计划", on_delete=models.CASCADE, related_name="items")
    record = models.ForeignKey(EvaluationRecord, verbose_name="评价", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("序号")
    department_name = models.CharField("主管部门", max_length=200)
    unit_name = models.CharField("预算单位", max_length=200)
    project_name = models.CharField("项目名称", max_length=PROJECT_NAME_MAX)
    budget_wan = models.DecimalField("全年预算数（万元）", max_digits=15, decimal_places=4, null=True)
    part = models.CharField("抽取方式", max_length=10, choices=Part.choices)
    rank = models.PositiveIntegerField("部门内排名")
    risk_score = models.DecimalField("风险分", max_digits=6, decimal_places=2)
    why = models.TextField("抽取理由")

    class Meta:
        verbose_name = "抽中的评价"
        verbose_name_plural = "抽中的评价"
        ordering = ["draw", "position"]
        constraints = [models.UniqueConstraint(fields=["draw", "record"], name="sample_item_once")]
