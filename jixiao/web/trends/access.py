"""Who sees 历年对比 and over what: a 财政绩效管理员 all 主管部门 of its 财政局, a 主管部门审核人 its own units, the system
administrator everything; a 预算单位's people nothing (403)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q

from ..organisations.access import Access
from ..organisations.models import Organisation, OrganisationKind, Role


@dataclass(frozen=True)
class Scope:
    """The evaluations a reader may count: those of the 财政局s ``finance_ids`` or of the 主管部门s
    ``department_ids`` (either), or all of them (``everything``, the system administrator)."""

    finance_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()
    everything: bool = False

    @property
    def sees_departments(self) -> bool:
        """Whether the reader chooses among 主管部门 (a 财政局's or the administrator's reach, or several of them)."""
        return self.everything or bool(self.finance_ids) or len(self.department_ids) > 1

    def where(self) -> tuple[str, list[object]]:
        """The scope as a condition on a tally's ``finance_id`` and ``department_id`` columns."""
        if self.everything:
            return "1 = 1", []
        parts, params = [], []
        for column, ids in (("finance_id", self.finance_ids), ("department_id", self.department_ids)):
            if ids:
                parts.append(f"{column} IN ({', '.join(['%s'] * len(ids))})")
                params += sorted(ids)
        return "(" + (" OR ".join(parts) or "1 = 0") + ")", params

    def records(self) -> Q:
        """The same on evaluation records (and 整改事项, which carry the same two columns)."""
        if self.everything:
            return Q()
        return Q(finance_id__in=sorted(self.finance_ids)) | Q(department_id__in=sorted(self.department_ids))

    def places(self) -> tuple[list[tuple[int, str]], str]:
        """The 主管部门 within reach as (id, name) by name, and what the reader's own places are called («测试市财政局»,
        «全部财政局»). One query, written out: every page asks."""
        table = Organisation._meta.db_table
        department = OrganisationKind.DEPARTMENT.value
        if self.everything:
            rows = _rows(f"SELECT id, name, kind FROM {table} WHERE kind = %s ORDER BY name", [department])
            return [(pk, name) for pk, name, _ in rows], "全部财政局"
        finances, departments = sorted(self.finance_ids), sorted(self.department_ids)
        f_list, d_list = ", ".join(["%s"] * len(finances)) or "NULL", ", ".join(["%s"] * len(departments)) or "NULL"
        rows = _rows(
            f"SELECT id, name, kind FROM {table} WHERE (kind = %s AND (parent_id IN ({f_list}) OR id IN ({d_list}))) "
            f"OR id IN ({f_list}) ORDER BY name",
            [department, *finances, *departments, *finances],
        )
        reachable = [(pk, name) for pk, name, kind in rows if kind == department]
        own = [name for pk, name, _ in rows if pk in self.finance_ids or pk in self.department_ids]
        return reachable, "、".join(own)


def scope_for(access: Access) -> Scope:
    """The reader's scope; PermissionDenied for anyone who neither oversees a 财政局 nor reviews for a 主管部门."""
    if access.is_system_admin:
        return Scope(everything=True)
    finances = {
        org for role, kind, org in access.places if role == Role.FINANCE_ADMIN and kind == OrganisationKind.FINANCE
    }
    departments = {
        org
        for role, kind, org in access.places
        if role == Role.DEPARTMENT_REVIEWER and kind == OrganisationKind.DEPARTMENT
    }
    if not finances and not departments:
        raise PermissionDenied("历年对比仅供主管部门审核人、财政绩效管理员和系统管理员使用")
    return Scope(frozenset(finances), frozenset(departments))


def _rows(sql: str, params: list[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def units_of(departments: list[int]) -> list[tuple[int, str]]:
    """The 预算单位 of these 主管部门, as (id, name) by name."""
    if not departments:
        return []
    return _rows(
        f"SELECT id, name FROM {Organisation._meta.db_table} WHERE kind = %s AND parent_id IN "
        f"({', '.join(['%s'] * len(departments))}) ORDER BY name",
        [OrganisationKind.UNIT.value, *departments],
    )
