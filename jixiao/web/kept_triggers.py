"""Counts kept by database triggers stay kept: on SQLite, Django rebuilds a table for most changes of its fields (a new
column with a default, say) and the triggers on the old table go with it, silently. After every ``migrate`` each
registered migration's triggers are looked for, and when one is missing its tables are built again from the rows,
with all their triggers (the migration's ``backwards`` then ``forwards``).

Registered: ``evaluations/0006_tallies`` (the overview's and the board's counts) and ``trends/0001_tallies`` (历年对比).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@dataclass(frozen=True)
class KeptCounts:
    migration: str  # the module whose ``forwards``/``backwards`` (apps, schema_editor) create and drop them
    table: str  # a table the migration creates: present means the migration is applied
    prefix: str  # every trigger's name starts with it
    triggers: dict[str, tuple[str, ...]]  # per database vendor

    def missing(self, connection: Any) -> list[str]:
        """The triggers not in the database (all of them before the migration ran)."""
        expected = self.triggers.get(connection.vendor, ())
        if not expected:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{self.prefix}%"]
                )
            else:
                cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [f"{self.prefix}%"])
            present = {name for (name,) in cursor.fetchall()}
        return [name for name in expected if name not in present]

    def rebuild(self, connection: Any) -> None:
        """Drop the counts and their triggers and build them again from the rows."""
        module = importlib.import_module(self.migration)
        editor = _Editor(connection)
        with transaction.atomic(using=connection.alias):
            module.backwards(None, editor)
            module.forwards(None, editor)

    def restore(self, using: str = DEFAULT_DB_ALIAS) -> bool:
        """Rebuild when the migration is applied but a trigger of it is gone; whether it did."""
        connection = connections[using]
        if self.table not in connection.introspection.table_names():
            return False  # migrated back before it, or not yet there
        if not self.missing(connection):
            return False
        self.rebuild(connection)
        return True


class _Editor:
    """What the migrations' functions use of a schema editor."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
