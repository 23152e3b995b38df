"""运行监控 as stored: a 监控批次 (:class:`MonitoringRound`) set by a 财政局 for a year and a monitoring date, and a
:class:`MonitoringRecord` per approved 绩效目标申报 of its tree, which the unit fills in and submits.

``document`` is the whole :class:`jixiao.core.monitoring.MonitoringRecord` as JSON; the warnings raised on the last
save are kept beside it (``warnings``, and their rule ids in ``warning_rules`` for the boards' filter)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ...core.model import PROJECT_NAME_MAX
from ...core.monitoring import MonitoringRecord as CoreRecord
from ...core.monitoring import TimeProgressMode
from ..organisations.models import Organisation


class TimeMode(models.TextChoices):
    MONTH = TimeProgressMode.MONTH.value, "按月（已过月份 ÷ 12）"
    DAY = TimeProgressMode.DAY.value, "按日（当年第几天 ÷ 全年天数）"


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"


class MonitoringRound(models.Model):
    finance = models.ForeignKey(Organisation, verbose_name="财政局", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("预算年度", db_index=True)
    monitoring_date = models.DateField("监控时点")
    preset = models.CharField("预警规则", max_length=50, default="default")
    time_progress_mode = models.CharField("序时进度口径", max_length=10, choices=TimeMode.choices)
    due_date = models.DateField("填报截止日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_by_name = models.CharField("建立人", max_length=150)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    class Meta:
        verbose_name = "监控批次"
        verbose_name_plural = "监控批次"
        ordering = ["-year", "-monitoring_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["finance", "monitoring_date"], name="monitoring_round_once_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.year}年度运行监控（截至 {self.monitoring_date:%Y-%m-%d}）"

    @property
    def preset_name(self) -> str:
        from ...io.monitoring.presets import load_warning_presets

        preset = load_warning_presets().root.get(self.preset)
        return preset.name if preset is not None else self.preset


class MonitoringRecord(models.Model):
    round = models.ForeignKey(
        MonitoringRound, verbose_name="监控批次", on_delete=models.PROTECT, related_name="records"
    )
    declaration = models.ForeignKey(
        "targets.TargetDeclaration", verbose_name="绩效目标申报", on_delete=models.PROTECT,
        related_name="monitoring_records",
    )  # fmt: skip
    unit = models.ForeignKey(Organisation, verbose_name="预算单位", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Organisation, verbose_name="主管部门", null=True, on_delete=models.PROTECT, related_name="+"
    )
    finance = models.ForeignKey(
        Organisation, verbose_name="财政局", null=True, on_delete=models.PROTECT, related_name="+"
    )
    project_name = models.CharField("项目名称", max_length=PROJECT_NAME_MAX)
    status = models.CharField("状态", max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    revision = models.PositiveIntegerField("修订号", default=1)
    warning_count = models.PositiveIntegerField("预警数", default=0)
    #: the rule ids of the warnings, as ",lag,impossible," (so that a board filters with one LIKE)
    warning_rules = models.CharField("预警规则编号", max_length=300, blank=True)
    warnings = models.JSONField("预警", default=list)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    #: why the 主管部门 or 财政 sent a submitted record back (kept until the unit submits again)
    return_comment = models.TextField("退回意见", blank=True)
    returned_by_name = models.CharField("退回人", max_length=150, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    document = models.JSONField("监控数据")

    class Meta:
        verbose_name = "项目运行监控"
        verbose_name_plural = "项目运行监控"
        ordering = ["round", "project_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "declaration"], name="monitoring_record_once")]

    def __str__(self) -> str:
        return f"{self.project_name}（截至 {self.round.monitoring_date:%Y-%m-%d}）"

    def parsed(self) -> CoreRecord:
        return CoreRecord.model_validate(self.document)

    @property
    def is_draft(self) -> bool:
        return self.status == RecordStatus.DRAFT


class MonitoringReminder(models.Model):
    """One reminder sent to a unit about its unsubmitted records of a round: unique per (round, unit, kind), so the
    daily ``send_reminders`` never sends the same one twice."""

    class Kind(models.TextChoices):
        SOON = "soon", "监控填报即将截止"
        OVERDUE = "overdue", "监控填报已逾期"

    round = models.ForeignKey(MonitoringRound, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Organisation, verbose_name="预算单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    pending = models.PositiveIntegerField("未提交的监控记录数")
    recipients = models.PositiveIntegerField("收件人数")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "运行监控提醒"
        verbose_name_plural = "运行监控提醒"
        constraints = [models.UniqueConstraint(fields=["round", "unit", "kind"], name="monitoring_reminder_once")]
