"""Organisations form a tree; a membership gives a person one role in one organisation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import models


class OrganisationKind(models.TextChoices):
    FINANCE = "finance", "财政局"
    DEPARTMENT = "department", "主管部门"
    UNIT = "unit", "预算单位"


class Role(models.TextChoices):
    FILLER = "filler", "填报人"
    UNIT_HEAD = "unit_head", "单位负责人"
    DEPARTMENT_REVIEWER = "department_reviewer", "主管部门审核人"
    FINANCE_ADMIN = "finance_admin", "财政绩效管理员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"


#: the organisation kind each role belongs to
ROLE_KIND = {
    Role.FILLER: OrganisationKind.UNIT,
    Role.UNIT_HEAD: OrganisationKind.UNIT,
    Role.DEPARTMENT_REVIEWER: OrganisationKind.DEPARTMENT,
    Role.FINANCE_ADMIN: OrganisationKind.FINANCE,
    Role.SYSTEM_ADMIN: OrganisationKind.FINANCE,
}


class Organisation(models.Model):
    """财政局, 主管部门 or 预算单位; a unit's parent is its department, a department's parent the finance bureau."""

    name = models.CharField("名称", max_length=200, unique=True)
    kind = models.CharField("类型", max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField("统一社会信用代码或编码", max_length=40, blank=True)

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> Iterator[Organisation]:
        """The organisations above this one, nearest first."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def unit_ids(self) -> list[int]:
        """Ids of the 预算单位 at or below this organisation."""
        if self.kind == OrganisationKind.UNIT:
            return [self.pk]
        if self.kind == OrganisationKind.DEPARTMENT:
            return list(self.children.filter(kind=OrganisationKind.UNIT).values_list("pk", flat=True))
        departments = self.children.filter(kind=OrganisationKind.DEPARTMENT)
        return list(
            Organisation.objects.filter(kind=OrganisationKind.UNIT)
            .filter(models.Q(parent=self) | models.Q(parent__in=departments))
            .values_list("pk", flat=True)
        )


class Membership(models.Model):
    """One person's role in one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(Organisation, verbose_name="组织", on_delete=models.CASCADE)
    role = models.CharField("角色", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = "角色任命"
        verbose_name_plural = "角色任命"
        unique_together = [("user", "organisation", "role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


def person_name(user: Any | None) -> str:
    """How a person is named in logs and records: the full name, else the user name; 「系统」 for no one. Cut to the
    150 characters the ``*_name`` columns hold."""
    if user is None:
        return "系统"
    full = getattr(user, "get_full_name", lambda: "")()
    return (full or user.get_username())[:150]
