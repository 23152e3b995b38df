"""The query planner's statistics: SQLite gathers them once on a database that has none, and daily on demand, so
it picks the index that reaches the rows it wants (PostgreSQL keeps its own)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from jixiao.web import planner_statistics

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only: PostgreSQL gathers its own statistics")
def test_sqlite_gathers_statistics_once_when_it_has_none(record_factory) -> None:
    record_factory("A1")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    assert planner_statistics.missing()
    assert planner_statistics.gather_if_missing() is True
    assert not planner_statistics.missing()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'evaluations_evaluationrecord'")
        assert cursor.fetchone()[0] > 0
    assert planner_statistics.gather_if_missing() is False


def test_the_daily_command_gathers_them_and_says_so_in_chinese(record_factory) -> None:
    record_factory("A1")
    out = StringIO()
    call_command("refresh_statistics", stdout=out)
    assert out.getvalue().startswith("已重新统计数据库各表的数据分布，用时 ")
    assert not planner_statistics.missing()
