"""The tallies' triggers stay in place: on SQLite, Django rebuilds a table for most changes of its fields (a new
column with a default, say) and the triggers on the old table go with it. After every ``migrate`` the triggers of
migration 0001 are looked for, and when one is missing the tallies are built again from the rows, with all their
triggers (``forwards`` fills them from what is there)."""

from __future__ import annotations

import importlib
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

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


class _Editor:
    """What the migration's functions use of a schema editor."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection


def migration() -> Any:
    return importlib.import_module(_MIGRATION)


def missing_triggers(connection: Any) -> list[str]:
    """The triggers of migration 0001 not in the database (all of them before it ran)."""
    expected = TRIGGERS.get(connection.vendor, ())
    if not expected:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trends%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'trends%'")
        present = {name for (name,) in cursor.fetchall()}
    return [name for name in expected if name not in present]


def rebuild(connection: Any) -> None:
    """Drop the tallies and their triggers and build them again from the rows."""
    editor = _Editor(connection)
    with transaction.atomic(using=connection.alias):
        migration().backwards(None, editor)
        migration().forwards(None, editor)


def restore_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """post_migrate: rebuild the tallies when migration 0001 is applied but a trigger of it is gone."""
    connection = connections[using]
    if "trends_tally" not in connection.introspection.table_names():
        return  # migrated back before 0001, or not yet there
    if missing_triggers(connection):
        rebuild(connection)
