"""Demo data for this part of the system (called by ``manage.py load_demo``; idempotent)."""

from __future__ import annotations

from ..organisations.models import Organisation


def load_demo(finance: Organisation) -> None:
    """Nothing yet."""
