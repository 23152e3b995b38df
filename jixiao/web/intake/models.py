"""A batch of files received for a 自评任务 (a zip, or many files chosen at once), and what became of each file.

Each file is kept byte for byte from the moment it is received. It is read and audited in the background, matched
to a project of the task, and imported into that project's evaluation; the original then lives on as the
evaluation's :class:`~jixiao.web.evaluations.models.ImportedSource`. A file that cannot be matched with certainty
waits for a person to confirm; one that cannot be read or imported says why, in Chinese.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..evaluations.models import EvaluationRecord, ImportedSource
from ..tasks.models import Task


class IntakeBatch(models.Model):
    task = models.ForeignKey(Task, verbose_name="自评任务", on_delete=models.PROTECT, related_name="intake_batches")
    name = models.CharField("上传的文件", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人账号", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by_name = models.CharField("上传人", max_length=150)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "批量接收"
        verbose_name_plural = "批量接收"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task.name}：{self.name}"


class Outcome(models.TextChoices):
    QUEUED = "queued", "等待处理"
    IMPORTED = "imported", "已导入"
    CONFIRM = "confirm", "待确认"
    UNREADABLE = "unreadable", "无法读取"
    DUPLICATE = "duplicate", "重复文件"
    REFUSED = "refused", "未导入"
    SKIPPED = "skipped", "确认不导入"


#: outcomes that are final: the file needs nothing more
FINISHED = (Outcome.IMPORTED, Outcome.UNREADABLE, Outcome.DUPLICATE, Outcome.REFUSED, Outcome.SKIPPED)


class IntakeFile(models.Model):
    batch = models.ForeignKey(IntakeBatch, verbose_name="批次", on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField("序号")
    name = models.CharField("文件名", max_length=500)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True)
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, default=Outcome.QUEUED)
    reason = models.TextField("说明", blank=True)
    how = models.CharField("匹配方式", max_length=300, blank=True)
    read_project = models.CharField("文件中的项目名称", max_length=500, blank=True)
    read_unit = models.CharField("文件中的单位", max_length=500, blank=True)
    audit = models.JSONField("审读结果", null=True, blank=True)
    risk = models.DecimalField("风险分", max_digits=6, decimal_places=2, null=True, blank=True)
    candidates = models.JSONField("候选项目", default=list, blank=True)
    record = models.ForeignKey(
        EvaluationRecord, verbose_name="对应的评价", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.ForeignKey(
        ImportedSource,
        verbose_name="导入后的来源文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_at = models.DateTimeField("开始处理时间", null=True, blank=True)
    processed_at = models.DateTimeField("处理完成时间", null=True, blank=True)
    #: the file as received, until it is imported (then the evaluation's ImportedSource keeps it)
    content = models.BinaryField("原始文件", null=True, blank=True)

    class Meta:
        verbose_name = "接收的文件"
        verbose_name_plural = "接收的文件"
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"], name="intake_file_position")]
        indexes = [models.Index(fields=["batch", "outcome"], name="intake_file_outcome")]

    def __str__(self) -> str:
        return self.name
