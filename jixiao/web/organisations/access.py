"""Who may see and do what: the one place that decides, used by every view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Q

from .models import Membership, Organisation, OrganisationKind, Role

#: the column of an evaluation record that names its organisation of each kind
_REACH = {
    OrganisationKind.UNIT: "unit_id",
    OrganisationKind.DEPARTMENT: "department_id",
    OrganisationKind.FINANCE: "finance_id",
}


@dataclass(frozen=True)
class Access:
    """The places a user holds: (role, organisation kind, organisation id), and whether they administer it all.

    A place reaches every 预算单位 at or below its organisation. Evaluation records carry their unit, 主管部门
    and 财政局, so reaching is a comparison of one column, in Python (:meth:`reaches`) or in SQL (:meth:`scope`).
    """

    places: tuple[tuple[str, str, int], ...] = ()
    is_system_admin: bool = False
    #: (organisation id, its parent's id) for each place's organisation
    parents: tuple[tuple[int, int | None], ...] = ()

    def parent_of(self, org_id: int) -> int | None:
        """The parent of one of the places' organisations."""
        return next((parent for org, parent in self.parents if org == org_id), None)

    @property
    def roles(self) -> list[str]:
        return sorted({role for role, _, _ in self.places})

    def scope(self, *roles: str) -> Q | None:
        """A filter on evaluation records for the given roles (any if none); None means no restriction."""
        if self.is_system_admin:
            return None
        q = Q(pk__in=[])
        for role, kind, org_id in self.places:
            if not roles or role in roles:
                q |= Q(**{_REACH[OrganisationKind(kind)]: org_id})
        return q

    def reaches(self, role: str, record: Any) -> bool:
        """Whether ``role`` is held at a place above (or at) ``record``'s unit."""
        if self.is_system_admin:
            return True
        return any(r == role and getattr(record, _REACH[OrganisationKind(k)]) == org for r, k, org in self.places)

    def units(self, *roles: str) -> frozenset[int] | None:
        """Ids of the 预算单位 reachable through the given roles (any if none); None means all units."""
        if self.is_system_admin:
            return None
        out: set[int] = set()
        for role, kind, org_id in self.places:
            if not roles or role in roles:
                out.update([org_id] if kind == OrganisationKind.UNIT else Organisation(pk=org_id, kind=kind).unit_ids())
        return frozenset(out)

    def has_role(self, *roles: str) -> bool:
        return self.is_system_admin or any(role in roles for role, _, _ in self.places)


def access_for(user: AbstractBaseUser | AnonymousUser) -> Access:
    if not user.is_authenticated:
        return Access()
    cached = getattr(user, "_jixiao_access", None)
    if cached is not None:
        return cached
    places: list[tuple[str, str, int]] = []
    parents: dict[int, int | None] = {}
    system_admin = bool(getattr(user, "is_superuser", False))
    for role, kind, org_id, parent_id in _memberships(user.pk):
        if role == Role.SYSTEM_ADMIN:
            system_admin = True
        else:
            places.append((role, kind, org_id))
            parents[org_id] = parent_id
    access = Access(tuple(sorted(places)), system_admin, tuple(sorted(parents.items())))
    user._jixiao_access = access  # type: ignore[union-attr]
    return access


#: a user's appointments with their organisations' kinds, asked on every page: written out, as building it through
#: the ORM took ten times as long as the database took to answer (0.34 against 0.03 ms)
_MEMBERSHIPS_SQL = (
    f"SELECT m.role, o.kind, m.organisation_id, o.parent_id FROM {Membership._meta.db_table} m "
    f"JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id WHERE m.user_id = %s"
)


def _memberships(user_id: int) -> list[tuple[str, str, int, int | None]]:
    with connection.cursor() as cursor:
        cursor.execute(_MEMBERSHIPS_SQL, [user_id])
        return cursor.fetchall()
