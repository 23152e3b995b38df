"""Statuses and actions of a 部门整体自评: the 主管部门 fills and submits, 财政 accepts or returns, then publishes."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待财政审核"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已审核"
    PUBLISHED = "published", "已公开"


class Action(models.TextChoices):
    CREATE = "create", "创建"
    SUBMIT = "submit", "提交财政审核"
    RETURN = "return", "退回"
    ACCEPT = "accept", "审核通过"
    PUBLISH = "publish", "公开"


STATUS_COLOURS = {
    Status.DRAFT: "grey",
    Status.SUBMITTED: "blue",
    Status.RETURNED: "orange",
    Status.ACCEPTED: "purple",
    Status.PUBLISHED: "green",
}
