"""Template filters that display figures the way the documents do (2 places, half up)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ....core.values import fmt, fmt_count, fmt_pct
from ..unscored import is_unscored

register = template.Library()


@register.filter
def num(value: Decimal | None) -> str:
    return fmt(value)


@register.filter
def pct(value: Decimal | None) -> str:
    return fmt_pct(value)


@register.filter
def count(value: Decimal | None) -> str:
    return fmt_count(value)


@register.filter
def path(value: tuple[str, ...]) -> str:
    return " › ".join(value)


@register.filter
def unscored(value: object) -> bool:
    """``{% if result|unscored %}未评分{% endif %}``: nothing to score yet (a result or a stored record)."""
    return is_unscored(value)


@register.filter
def thousands(value: int | None) -> str:
    """A count with thousands separators, ``20,000`` (the Chinese locale's format has none)."""
    return "—" if value is None else f"{value:,}"
