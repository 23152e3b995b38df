"""The tallies' triggers stay in place after every ``migrate`` (``jixiao.web.kept_triggers``: on SQLite a table
rebuilt by a later migration loses its triggers)."""

from __future__ import annotations

import importlib
from typing import Any

from django.db import DEFAULT_DB_ALIAS

from ..kept_triggers import KeptCounts

_MIGRATION = "jixiao.web.trends.migrations.0001_tallies"

TRIGGERS = {
    "sqlite": (
        "trends_tally_insert", "trends_tally_delete", "trends_tally_update",
        "trends_rectification_insert", "trends_rectification_delete", "trends_rectification_update",
    ),
    "postgresql": (
        "trends_tally_record", "trends_tally_record_update", "trends_tally_truncate",
        "trends_tally_rectification", "trends_tally_rectification_update", "trends_tally_rectification_truncate",
    ),
}  # fmt: skip


KEPT = KeptCounts(migration=_MIGRATION, table="trends_tally", prefix="trends", triggers=TRIGGERS)


def migration() -> Any:
    return importlib.import_module(_MIGRATION)


def missing_triggers(connection: Any) -> list[str]:
    """The triggers of migration 0001 not in the database (all of them before it ran)."""
    return KEPT.missing(connection)


def rebuild(connection: Any) -> None:
    """Drop the tallies and their triggers and build them again from the rows."""
    KEPT.rebuild(connection)


def restore_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """post_migrate: rebuild the tallies when migration 0001 is applied but a trigger of it is gone."""
    KEPT.restore(using)
