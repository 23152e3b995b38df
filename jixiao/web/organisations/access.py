"""Who may see and do what: the one place that decides, used by every view."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import Membership, Role


@dataclass(frozen=True)
class Access:
    """A user's roles and the 预算单位 each role reaches."""

    roles: dict[str, frozenset[int]] = field(default_factory=dict)
    is_system_admin: bool = False

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
    system_admin = bool(getattr(user, "is_superuser", False))
    for m in Membership.objects.filter(user=user).select_related("organisation"):
        if m.role == Role.SYSTEM_ADMIN:
            system_admin = True
            continue
        roles.setdefault(m.role, set()).update(m.organisation.unit_ids())
    access = Access({k: frozenset(v) for k, v in roles.items()}, system_admin)
    user._jixiao_access = access  # type: ignore[union-attr]
    return access
