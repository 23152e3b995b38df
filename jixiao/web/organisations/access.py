"""Who may see and do what: the one place that decides, used by every view."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from .models import Membership, OrganisationKind, Role

#: the column of an evaluation record that names its organisation of each kind
_REACH = {
    OrganisationKind.UNIT: "unit_id",
    OrganisationKind.DEPARTMENT: "department_id",
    OrganisationKind.FINANCE: "finance_id",
}


@dataclass(frozen=True)
class Access:
    """A user's roles, the 预算单位 each role reaches, and the places (role, kind, organisation) they hold."""

    roles: dict[str, frozenset[int]] = field(default_factory=dict)
    is_system_admin: bool = False
    places: tuple[tuple[str, str, int], ...] = ()

    def scope(self, *roles: str) -> Q | None:
        """A filter on evaluation records for the given roles (any if none); None means no restriction.

        Records carry their 主管部门 and 财政局, so this is one indexed column per place rather than a list of
        unit ids, which for a finance bureau runs to thousands.
        """
        if self.is_system_admin:
            return None
        q = Q(pk__in=[])
        for role, kind, org_id in self.places:
            if not roles or role in roles:
                q |= Q(**{_REACH[OrganisationKind(kind)]: org_id})
        return q

    def units(self, *roles: str) -> frozenset[int] | None:
        """Unit ids reachable through the given roles (any role if none given); None means all units."""
        if self.is_system_admin:
            return None
        wanted = roles or tuple(self.roles)
        out: set[int] = set()
        for role in wanted:
            out |= self.roles.get(role, frozenset())
        return frozenset(out)

    def has(self, role: str, unit_id: int) -> bool:
        if self.is_system_admin:
            return True
        return unit_id in self.roles.get(role, frozenset())

    def has_role(self, *roles: str) -> bool:
        return self.is_system_admin or any(self.roles.get(r) for r in roles)


def access_for(user: AbstractBaseUser | AnonymousUser) -> Access:
    if not user.is_authenticated:
        return Access()
    cached = getattr(user, "_jixiao_access", None)
    if cached is not None:
        return cached
    roles: dict[str, set[int]] = {}
    places: list[tuple[str, str, int]] = []
    system_admin = bool(getattr(user, "is_superuser", False))
    for m in Membership.objects.filter(user=user).select_related("organisation"):
        if m.role == Role.SYSTEM_ADMIN:
            system_admin = True
            continue
        roles.setdefault(m.role, set()).update(m.organisation.unit_ids())
        places.append((m.role, m.organisation.kind, m.organisation_id))
    access = Access({k: frozenset(v) for k, v in roles.items()}, system_admin, tuple(sorted(places)))
    user._jixiao_access = access  # type: ignore[union-attr]
    return access
