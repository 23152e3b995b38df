"""Template context: the signed-in user's roles, for the navigation bar."""

from __future__ import annotations

from django.http import HttpRequest

from .access import access_for
from .models import Role


def membership(request: HttpRequest) -> dict[str, object]:
    access = access_for(request.user)
    return {
        "access": access,
        "can_fill": access.has_role(Role.FILLER, Role.UNIT_HEAD),
        "can_oversee": access.has_role(Role.DEPARTMENT_REVIEWER, Role.FINANCE_ADMIN),
        "can_import": access.is_system_admin or access.has_role(Role.FILLER, Role.UNIT_HEAD, Role.FINANCE_ADMIN),
        "role_labels": [Role(r).label for r in access.roles] + (["系统管理员"] if access.is_system_admin else []),
    }
