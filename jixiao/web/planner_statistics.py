"""The statistics the database's query planner chooses indexes by.

PostgreSQL keeps them itself (autovacuum). SQLite has none until ``ANALYZE`` runs, and then guesses: on a progress
board it walked all 20,000 records of a task by one index where another reaches the fifty units it wants directly
(9 ms against 1 ms). So on SQLite they are gathered once when the web server first starts on a database without
them, and refreshed by the daily ``manage.py refresh_statistics`` (docs/deploy.md), as the data grows. A full
``ANALYZE`` of 100,000 evaluations with their 3 million findings takes about 1.3 s.
"""

from __future__ import annotations

from django.db import OperationalError, connection


def missing() -> bool:
    """Whether SQLite has never gathered statistics for this database (PostgreSQL: never)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return True
        cursor.execute("SELECT 1 FROM sqlite_stat1 LIMIT 1")
        return cursor.fetchone() is None


def refresh() -> None:
    """Gather the statistics of every table now (``ANALYZE``: a few seconds for a province's data)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 0")  # every row: the estimates decide between close indexes
        cursor.execute("ANALYZE")


def gather_if_missing() -> bool:
    """:func:`refresh` when SQLite has no statistics yet; whether it ran. Web processes starting together all ask;
    one gathers, and one that finds the database busy leaves it to that one (or to the daily run)."""
    try:
        if not missing():
            return False
        refresh()
    except OperationalError:  # locked by another process gathering, or by a long write: not worth a failed start
        return False
    return True
