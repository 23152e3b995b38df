"""The lifecycle of a 绩效目标申报表: 草稿 → 待主管部门审核 → 待财政审核 → 已批复, with 已退回 from either review."""

from __future__ import annotations

from django.db import models


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待主管部门审核"
    DEPARTMENT_PASSED = "department_passed", "待财政审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已批复"


class DeclarationAction(models.TextChoices):
    CREATE = "create", "新建"
    SUBMIT = "submit", "提交审核"
    DEPARTMENT_PASS = "department_pass", "主管部门审核通过"
    DEPARTMENT_RETURN = "department_return", "主管部门退回"
    FINANCE_APPROVE = "finance_approve", "财政批复"
    FINANCE_RETURN = "finance_return", "财政退回"


STATUS_COLOURS = {
    DeclarationStatus.DRAFT: "secondary",
    DeclarationStatus.SUBMITTED: "info",
    DeclarationStatus.DEPARTMENT_PASSED: "primary",
    DeclarationStatus.RETURNED: "warning",
    DeclarationStatus.APPROVED: "success",
}

#: where a unit may still edit the declaration
EDITABLE = (DeclarationStatus.DRAFT, DeclarationStatus.RETURNED)
