"""A year's self-evaluation task (年度自评任务): who opened it, under which rules, by when, and for which projects.

Each project of the task's 项目清单 is an :class:`~jixiao.web.evaluations.models.EvaluationRecord` pointing back
here (``record.task``, ``record.project_code``), opened as 待填报. A long list is opened in the background
(:class:`TaskOpening` holds its checked rows and the progress); the task is 正在建立 meanwhile.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..organisations.models import Organisation


class TaskState(models.TextChoices):
    OPENING = "opening", "正在建立"
    OPEN = "open", "已建立"
    FAILED = "failed", "建立失败"


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
    # 正在建立 while the background worker opens its evaluations (units and reminders see none of it until then)
    state = models.CharField("建立状态", max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    project_count = models.PositiveIntegerField("项目数", default=0)
    failure = models.TextField("建立失败原因", blank=True)

    class Meta:
        verbose_name = "自评任务"
        verbose_name_plural = "自评任务"
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.state == TaskState.OPEN


class TaskOpening(models.Model):
    """A task being opened in the background: its checked 项目清单 (checked in the request, before anything was
    created) and how many evaluations are created so far. Removed once the task is open; kept when it failed.

    Not a tracked model: the rows are the list as checked, the count is progress, neither is a change of record."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, primary_key=True, related_name="opening")
    rows = models.JSONField("已检查的项目清单")
    done = models.PositiveIntegerField("已建立的评价数", default=0)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "建立中的任务"
        verbose_name_plural = "建立中的任务"


class DeadlineExtension(models.Model):
    """A later 单位填报截止日期 for one unit of a task, with its reason; the latest one counts, none is ever lost."""

    task = models.ForeignKey(Task, verbose_name="自评任务", on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey(Organisation, verbose_name="预算单位", on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("延至")
    reason = models.TextField("延期理由")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_by_name = models.CharField("批准人", max_length=150)
    granted_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"
        ordering = ["-granted_at", "-pk"]


class Reminder(models.Model):
    """One reminder sent to a unit (or a 主管部门) about one deadline of a task. The automatic ones are unique per
    event (task, organisation, kind, deadline), so the daily run never sends the same one twice; reminders sent by
    hand from the board are logged the same way, as many as are sent."""

    class Kind(models.TextChoices):
        UNIT_SOON = "unit_soon", "单位填报即将截止"
        UNIT_OVERDUE = "unit_overdue", "单位填报已逾期"
        REVIEW_SOON = "review_soon", "主管部门审核即将截止"
        REVIEW_OVERDUE = "review_overdue", "主管部门审核已逾期"
        MANUAL = "manual", "手动提醒"

    task = models.ForeignKey(Task, verbose_name="自评任务", on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(Organisation, verbose_name="提醒对象", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    deadline = models.DateField("截止日期")
    pending = models.PositiveIntegerField("未完成的评价数")
    recipients = models.PositiveIntegerField("收件人数")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "organisation", "kind", "deadline"],
                name="reminder_once_per_event",
                condition=~models.Q(kind="manual"),
            )
        ]


class Notice(models.Model):
    """An in-app notice to one person (the bell's unread count); reminders also go out by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    text = models.TextField("内容")
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]
