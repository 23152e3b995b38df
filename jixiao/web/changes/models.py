"""One row per write to a tracked model (``registry.TRACKED``): who, when, from where, and the row before and after."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Source(models.TextChoices):
    WEB = "web", "网页"
    ADMIN = "admin", "系统管理"
    CLI = "cli", "命令行"
    TASK = "task", "后台任务"
    OTHER = "other", "其他"


class ChangeAction(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"


class ObjectChange(models.Model):
    """A change of one object, as NetBox's ObjectChange: ``before`` and ``after`` are JSON snapshots of its row
    (``None`` before a creation and after a deletion)."""

    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # kept when the account is deleted; 「系统」 when nobody signed in made the change
    user_name = models.CharField("操作人", max_length=150)
    # one id per web request, command or background run: the changes it made belong together
    request_id = models.UUIDField("请求编号", null=True, blank=True, db_index=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.OTHER)
    action = models.CharField("操作", max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, verbose_name="对象类型", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField("对象编号")
    object_repr = models.CharField("对象", max_length=300)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-time", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="change_object")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"
