"""The stored evaluation, its versions, transitions and findings, and each year's deadline."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ...core.model import PROJECT_NAME_MAX
from ..organisations.models import Organisation
from .choices import STATUS_COLOURS, Action, Status


class ReportingYear(models.Model):
    """A budget year and the deadline for its self-evaluations (seed: 2023-04-20 for 2022)."""

    year = models.PositiveIntegerField("评价年度", unique=True)
    deadline = models.DateField("自评截止日期")

    class Meta:
        verbose_name = "评价年度"
        verbose_name_plural = "评价年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年度（截止 {self.deadline:%Y-%m-%d}）"


class LiveManager(models.Manager["EvaluationRecord"]):
    def get_queryset(self) -> models.QuerySet[EvaluationRecord]:
        return super().get_queryset().filter(deleted_at__isnull=True)


_LIVE = models.Q(deleted_at__isnull=True)


class EvaluationRecord(models.Model):
    """One project's self-evaluation for one year.

    ``document`` is the whole :class:`jixiao.core.model.Evaluation` as JSON; the other columns are
    what the engine computed from it, kept for lists, filters and the overview. ``revision`` guards
    against two people saving over each other.
    """

    unit = models.ForeignKey(
        Organisation, verbose_name="预算单位", on_delete=models.PROTECT, related_name="evaluations"
    )
    # The unit's 主管部门 and 财政局, copied at creation so that scoping a list is one indexed column, not a join.
    department = models.ForeignKey(
        Organisation, verbose_name="主管部门", null=True, on_delete=models.PROTECT, related_name="+"
    )
    finance = models.ForeignKey(
        Organisation, verbose_name="财政局", null=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField("评价年度", db_index=True)
    project_name = models.CharField("项目名称", max_length=PROJECT_NAME_MAX)
    # set when a 自评任务 opened the record: the task, and the project's code in its 项目清单
    task = models.ForeignKey(
        "tasks.Task", verbose_name="自评任务", null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    project_code = models.CharField("项目编码", max_length=64, blank=True, db_index=True)
    revision = models.PositiveIntegerField("修订号", default=1)
    status = models.CharField("状态", max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True)

    budget_wan = models.DecimalField("全年预算数（万元）", max_digits=15, decimal_places=4, null=True)
    spent_wan = models.DecimalField("全年执行数（万元）", max_digits=15, decimal_places=4, null=True)
    arrival_rate = models.DecimalField("资金到位率（%）", max_digits=9, decimal_places=2, null=True)
    execution_rate = models.DecimalField("预算执行率（%）", max_digits=9, decimal_places=2, null=True)
    claimed_score = models.DecimalField("自评得分", max_digits=6, decimal_places=2, null=True)
    claimed_grade = models.CharField("自评等级", max_length=10, blank=True)
    computed_score = models.DecimalField("计算得分", max_digits=6, decimal_places=2, null=True)
    computed_grade = models.CharField("计算等级", max_length=2, blank=True, db_index=True)
    max_attainable = models.DecimalField("可得最高分", max_digits=6, decimal_places=2, null=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    warning_count = models.PositiveIntegerField("警告数", default=0)

    review_score = models.DecimalField("复核得分", max_digits=6, decimal_places=2, null=True, blank=True)
    review_grade = models.CharField("复核等级", max_length=2, blank=True)
    review_comment = models.TextField("复核意见", blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True, db_index=True)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    # Last on purpose: SQLite keeps a long value in overflow pages, and columns after it would cost a walk
    # through them on every list and count query.
    document = models.JSONField("自评数据")

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "绩效自评"
        verbose_name_plural = "绩效自评"
        ordering = ["-year", "project_name", "pk"]
        # Lists are ordered newest year first, then by name; each index serves one scope in that order, and only
        # live rows are indexed, so counting a scope never reads the (large) rows themselves. A 主管部门's or a
        # 财政局's scope holds thousands: its order carries the unit too (a unit-name filter then reads the index
        # alone, not a thousand rows with their documents), and the two commonest filters, status and grade, have
        # an index of their own in the same order, so a filtered page stops after its fifty rows. The order indexes
        # end with the id, the list's last sort key: a page under a text filter is found as ids from the index alone
        # (filters.DeferredRows).
        indexes = [
            models.Index(fields=["-year", "project_name", "id"], name="record_order", condition=_LIVE),
            models.Index(fields=["unit", "-year", "project_name", "id"], name="record_unit_order", condition=_LIVE),
            models.Index(
                fields=["department", "-year", "project_name", "id", "unit"],
                name="record_department_order",
                condition=_LIVE,
            ),
            models.Index(
                fields=["department", "status", "-year", "project_name"],
                name="record_department_status",
                condition=_LIVE,
            ),
            models.Index(
                fields=["department", "computed_grade", "-year", "project_name"],
                name="record_department_grade",
                condition=_LIVE,
            ),
            models.Index(
                fields=["finance", "-year", "project_name", "id", "unit"], name="record_finance_order", condition=_LIVE
            ),
            models.Index(
                fields=["finance", "status", "-year", "project_name"], name="record_finance_status", condition=_LIVE
            ),
            models.Index(
                fields=["finance", "computed_grade", "-year", "project_name"],
                name="record_finance_grade",
                condition=_LIVE,
            ),
            models.Index(fields=["status", "published_at"], name="record_published", condition=_LIVE),
            models.Index(fields=["task", "department", "unit", "status"], name="record_task_board", condition=_LIVE),
            # a task's records of a few units (the board's overdue count for units with an extended deadline)
            models.Index(fields=["task", "unit", "status", "department"], name="record_task_unit", condition=_LIVE),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "project_code"], name="record_task_code_unique", condition=models.Q(task__isnull=False)
            )
        ]

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

    def __str__(self) -> str:
        return f"{self.year} {self.project_name}"

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[Status(self.status)]


class EvaluationVersion(models.Model):
    """A full copy of the document after each change: nothing is ever lost, any version can be restored."""

    record = models.ForeignKey(EvaluationRecord, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    document = models.JSONField("自评数据")
    summary = models.TextField("修改内容")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    author_name = models.CharField("修改人", max_length=150)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "版本"
        verbose_name_plural = "版本"
        ordering = ["-number"]
        unique_together = [("record", "number")]


class Transition(models.Model):
    """Who moved an evaluation from one status to another, when and why."""

    record = models.ForeignKey(EvaluationRecord, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=30, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    actor_name = models.CharField("操作人", max_length=150)
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["created_at", "pk"]


class StoredFinding(models.Model):
    """A finding of the latest computation, for filtering lists by check id."""

    record = models.ForeignKey(EvaluationRecord, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField("编号", max_length=4)
    severity = models.CharField("级别", max_length=10)
    message = models.TextField("问题")
    location = models.CharField("位置", max_length=300, blank=True)

    class Meta:
        verbose_name = "检查发现"
        verbose_name_plural = "检查发现"
        indexes = [models.Index(fields=["code", "record"])]


class ImportMode(models.TextChoices):
    """How an imported document enters the lifecycle (the values are the statuses it starts in)."""

    DRAFT = Status.DRAFT.value, "草稿"
    SUBMITTED = Status.SUBMITTED.value, "已提交"


class ImportedSource(models.Model):
    """The file an evaluation was imported from, kept byte for byte, with what the audit read from it.

    The upload is stored here as soon as it is read, before the user confirms; ``record`` is empty until then,
    so the file is sent and audited only once. An evaluation may come from several files (the 附1 table and the
    report), each kept. ``audit`` is ``AuditedDocument.to_dict()`` (the contract's shape).
    """

    record = models.ForeignKey(
        EvaluationRecord,
        verbose_name="绩效自评",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="imported_sources",
        help_text="一份评价可以来自几份文件（如附1表和自评报告），每份都保留",
    )
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    format = models.CharField("格式", max_length=10)
    risk = models.DecimalField("风险分", max_digits=6, decimal_places=2, null=True, blank=True)
    mode = models.CharField("导入方式", max_length=20, choices=ImportMode.choices, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人账号", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_by_name = models.CharField("导入人", max_length=150)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)
    audit = models.JSONField("审读结果")
    content = models.BinaryField("原始文件")

    class Meta:
        verbose_name = "导入来源文件"
        verbose_name_plural = "导入来源文件"
        ordering = ["-uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file_name
