"""复核 work on one evaluation: the reviewer's score per indicator, the threads between reviewer and unit, the
evidence files (佐证材料) and the problems found (each becomes a 整改事项 in ``results``).

Lines are keyed as the core keys them (``jixiao.core.review.indicator_key``: the indicator's names from the root,
or 「预算执行率」); an empty key means the evaluation as a whole.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..evaluations.models import EvaluationRecord

KEY_MAX = 600


class IndicatorReview(models.Model):
    """The 复核得分 and comment of one line of the sheet; no row (or no score) means the computed score stands."""

    record = models.ForeignKey(
        EvaluationRecord, verbose_name="评价", on_delete=models.CASCADE, related_name="indicator_reviews"
    )
    key = models.CharField("指标", max_length=KEY_MAX)
    score = models.DecimalField("复核得分", max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField("复核说明", blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewer_name = models.CharField("复核人", max_length=150)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "指标复核"
        verbose_name_plural = "指标复核"
        ordering = ["record", "pk"]
        constraints = [models.UniqueConstraint(fields=["record", "key"], name="indicator_review_once")]

    def __str__(self) -> str:
        return self.key


class Side(models.TextChoices):
    REVIEWER = "reviewer", "复核方"
    UNIT = "unit", "被评价单位"


class ReviewMessage(models.Model):
    """One message of a thread (per evaluation, or per indicator). A query (问询) asks the unit to answer; it is open
    until answered. ``version`` is the evaluation's version when the message was written: the reviewer is shown
    what the unit changed since the query."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "意见"
        QUERY = "query", "问询"
        ANSWER = "answer", "答复"

    record = models.ForeignKey(EvaluationRecord, verbose_name="评价", on_delete=models.CASCADE, related_name="messages")
    key = models.CharField("指标", max_length=KEY_MAX, blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    side = models.CharField("发言方", max_length=10, choices=Side.choices)
    body = models.TextField("内容")
    reply_to = models.ForeignKey(
        "self", verbose_name="答复的问询", null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    version = models.PositiveIntegerField("当时的版本号", null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField("发言人", max_length=150)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "复核沟通"
        verbose_name_plural = "复核沟通"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["record", "key"], name="review_message_thread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.body[:30]}"


class Evidence(models.Model):
    """A 佐证材料 file, kept under the data folder (``media/evidence/``, never served as a static file) by its
    SHA-256, and given out only to those who may see the evaluation. ``media_type`` is what the content is, sniffed
    from its first bytes, not what its name says."""

    record = models.ForeignKey(EvaluationRecord, verbose_name="评价", on_delete=models.CASCADE, related_name="evidence")
    key = models.CharField("指标", max_length=KEY_MAX, blank=True)
    message = models.ForeignKey(
        ReviewMessage, verbose_name="所附消息", null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    file_name = models.CharField("文件名", max_length=255)
    kind = models.CharField("文件类型", max_length=20)
    media_type = models.CharField("内容类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    side = models.CharField("提供方", max_length=10, choices=Side.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_by_name = models.CharField("上传人", max_length=150)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file_name


class ReviewProblem(models.Model):
    """A problem the reviewer found, with what the unit must do about it (整改要求); it opens a 整改事项."""

    record = models.ForeignKey(EvaluationRecord, verbose_name="评价", on_delete=models.CASCADE, related_name="problems")
    key = models.CharField("指标", max_length=KEY_MAX, blank=True)
    problem = models.TextField("发现的问题")
    requirement = models.TextField("整改要求")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_by_name = models.CharField("提出人", max_length=150)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "复核发现的问题"
        verbose_name_plural = "复核发现的问题"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.problem[:40]
