"""Template context: the signed-in user's roles, what the navigation bar offers them and its links (``workflow`` says
which roles fill in and which review)."""

from __future__ import annotations

import functools

from django.db import connection
from django.http import HttpRequest
from django.urls import reverse

from ..organisations.access import access_for
from ..organisations.models import Role
from .access import IMPORT_ROLES
from .workflow import EDITORS, REVIEWERS

#: the navigation bar's links, named as in the URL configuration (reversed once per process: they never change)
NAV = {
    "public": "public:list",
    "list": "evaluations:list",
    "todo": "tasks:todo",
    "new": "evaluations:new",
    "tasks": "tasks:list",
    "import": "evaluations:import",
    "overview": "evaluations:overview",
    "overdue": "evaluations:overdue",
    "sampling": "sampling:list",
    "results": "results:index",
    "rectifications": "results:rectifications",
    "trends": "trends:index",
    "notices": "tasks:notices",
    "admin": "admin:index",
    "login": "login",
    "logout": "logout",
}


@functools.cache
def nav_links() -> dict[str, str]:
    return {key: reverse(name) for key, name in NAV.items()}


def membership(request: HttpRequest) -> dict[str, object]:
    access = access_for(request.user)
    return {
        "nav": nav_links(),
        "access": access,
        "can_fill": access.has_role(*EDITORS),
        "can_oversee": access.has_role(*REVIEWERS),
        "can_sample": access.is_system_admin or access.has_role(Role.FINANCE_ADMIN),
        "can_import": access.is_system_admin or any(access.has_role(*roles) for roles in IMPORT_ROLES.values()),
        "role_labels": [Role(r).label for r in access.roles] + (["系统管理员"] if access.is_system_admin else []),
        "unread_notices": _unread(request),
    }


def _unread(request: HttpRequest) -> int:
    """The unread notices' count in the navigation bar, on every page: written out, as building it through the ORM
    took ten times as long as the database took to answer."""
    if not request.user.is_authenticated:
        return 0
    from ..tasks.models import Notice

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Notice._meta.db_table} WHERE user_id = %s AND read_at IS NULL", [request.user.pk]
        )
        return int(cursor.fetchone()[0])
