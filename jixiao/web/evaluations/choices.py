"""Statuses and actions of the review lifecycle (财预〔2020〕10号 第二十六～二十八条)."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    PENDING = "pending", "待填报"  # opened by a 自评任务, not yet started by the unit
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    DEPARTMENT_APPROVED = "department_approved", "主管部门审核通过"
    FINANCE_REVIEWED = "finance_reviewed", "财政已复核"
    PUBLISHED = "published", "已公开"


STATUS_COLOURS = {
    Status.PENDING: "grey",
    Status.DRAFT: "grey",
    Status.SUBMITTED: "blue",
    Status.RETURNED: "orange",
    Status.DEPARTMENT_APPROVED: "teal",
    Status.FINANCE_REVIEWED: "purple",
    Status.PUBLISHED: "green",
}


class Action(models.TextChoices):
    START = "start", "开始填报"
    SUBMIT = "submit", "提交"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "退回"
    REVIEW = "review", "财政复核"
    PUBLISH = "publish", "公开"
    CREATE = "create", "创建"
    DELETE = "delete", "删除"
    UNDELETE = "undelete", "恢复已删除的评价"
    RESTORE = "restore", "恢复版本"
