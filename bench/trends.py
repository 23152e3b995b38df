"""历年对比 at a province's scale: the dashboard under 20 readers, with and without two clients saving evaluations.

Data: as ``bench.scale`` loads it (1 财政局, 100 主管部门, 5,000 预算单位, five years; 500,000 evaluations on PostgreSQL,
100,000 on SQLite, BENCH_SCALE_RECORDS to change), plus what the dashboard counts and that load leaves empty: the
复核等级 of every reviewed evaluation (from its 复核得分), the rule set mof-2021 in a fifth of the latest year's
documents, and one 整改事项 for every fifth reviewed evaluation (closed, reported or open, some overdue). The
dashboard's tallies (``trends/migrations/0001_tallies.py``) are dropped during the bulk load and built afterwards
from the rows, as the migration builds them on an existing database.

Pages (each hammered in turn by BENCH_SCALE_CLIENTS (20) threads × BENCH_SCALE_REQUESTS (25) requests, paths drawn from
several filters): each of the dashboard's five pages for the 财政局 over all its 主管部门 (every year, the last two,
grade, rule set, one 主管部门, a gap threshold); then a 主管部门 reviewer's five pages in turn, and the 财政局's five
pages narrowed to one unit. First without writers, then while
BENCH_SCALE_WRITERS (2) processes save evaluations through the edit page, one a second each (``bench.scale``'s
writers). Nothing on these pages is cached.

Run ``python -m bench.trends`` (SQLite in a temporary folder) or with DATABASE_URL set (PostgreSQL; see
``scripts/bench-postgres.sh bench.trends``). BENCH_SCALE_DIR keeps the SQLite folder and BENCH_SCALE_REUSE=1 measures
a database an earlier run of this benchmark loaded (BENCH_TRENDS_REBUILD=1 builds its tallies again first).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import scale
from .scale import FINANCE_NAME
from .web import setup_django

#: a 整改事项 for every RECTIFY_EVERY-th reviewed evaluation
RECTIFY_EVERY = 5


def enrich() -> dict[str, float]:
    """What the dashboard counts beyond ``bench.scale``'s load: 复核等级, a second rule set, 整改事项."""
    from django.db import connection, transaction
    from django.utils import timezone

    from jixiao.web.evaluations.models import EvaluationRecord
    from jixiao.web.results.models import Rectification

    pg = connection.vendor == "postgresql"
    steps: dict[str, float] = {}
    latest = EvaluationRecord.objects.order_by("-year").values_list("year", flat=True).first()
    with transaction.atomic(), connection.cursor() as cur:
        t0 = time.perf_counter()
        cur.execute(
            "UPDATE evaluations_evaluationrecord SET review_grade = CASE WHEN review_score >= 90 THEN '优' "
            "WHEN review_score >= 80 THEN '良' WHEN review_score >= 60 THEN '中' ELSE '差' END "
            "WHERE review_score IS NOT NULL"
        )
        steps["复核等级"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        rules = "jsonb_set(document, '{rules}', '\"mof-2021\"')" if pg else "json_set(document, '$.rules', 'mof-2021')"
        cur.execute(
            f"UPDATE evaluations_evaluationrecord SET document = {rules} WHERE year = %s AND id %% 5 = 0", [latest]
        )
        steps["评分规则 mof-2021"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    today = timezone.localdate()
    reviewed = (
        EvaluationRecord.objects.filter(review_score__isnull=False)
        .order_by("pk")
        .values_list("pk", "unit_id", "department_id", "finance_id", "year", "project_name")
    )
    states = ["closed"] * 6 + ["reported", "open", "open", "open"]
    batch: list[Rectification] = []
    made = 0
    for i, (pk, unit, department, finance, year, name) in enumerate(reviewed.iterator(chunk_size=5000)):
        if i % RECTIFY_EVERY:
            continue
        state = states[(i // RECTIFY_EVERY) % len(states)]
        batch.append(
            Rectification(
                record_id=pk, owner_id=unit, department_id=department, finance_id=finance, year=year,
                project_name=name, source=Rectification.Source.REVIEW, source_ref="problem:1",
                problem="基准：佐证材料不全", requirement="补充佐证材料", state=state,
                due_date=today + dt.timedelta(days=(i % 120) - 60), created_by_name="基准",
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Rectification.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    Rectification.objects.bulk_create(batch)
    made += len(batch)
    steps[f"整改事项 {made} 条"] = time.perf_counter() - t0
    return steps


def load(sizes: dict[str, int]) -> None:
    from django.db import connection

    from jixiao.web.trends import tallies

    editor = tallies._Editor(connection)
    t0 = time.perf_counter()
    tallies.migration().backwards(None, editor)  # kept per row by triggers; for a bulk load, built afterwards
    loaded = scale.load(sizes)
    for step, seconds in enrich().items():
        print(f"  {step}: {seconds:.1f} s", flush=True)
    t1 = time.perf_counter()
    tallies.migration().forwards(None, editor)
    print(f"  历年对比的计数表（如迁移 trends/0001 在已有数据上建立）: {time.perf_counter() - t1:.1f} s", flush=True)
    print(
        f"[{connection.vendor}] 载入共 {time.perf_counter() - t0:.1f} s（其中 bench.scale 的载入 {loaded['load_s']:.1f} s）"
    )


#: the dashboard's five pages
TABS = (("等级分布", "/trends/"), ("预算执行率", "/trends/execution/"), ("得分对照", "/trends/scores/"),
        ("自评偏高的单位", "/trends/gaps/"), ("整改销号", "/trends/rectifications/"))  # fmt: skip


def pages() -> list[tuple[str, str, list[str]]]:
    """(label, account, paths) of the pages measured: each of the five pages for the 财政局 under several filters;
    a 主管部门 reviewer's and one unit's, the five pages in turn."""
    from jixiao.web.evaluations.models import EvaluationRecord
    from jixiao.web.organisations.models import Organisation, OrganisationKind

    finance = Organisation.objects.get(name=FINANCE_NAME)
    departments = list(
        Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, parent=finance)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    d0, d5 = departments[0], departments[5]
    units = {
        d: list(Organisation.objects.filter(parent_id=d).order_by("pk").values_list("pk", flat=True)[:3])
        for d in (d0, d5)
    }
    last = EvaluationRecord.objects.order_by("-year").values_list("year", flat=True).first()
    filters = ["", f"?year_from={last - 1}&year_to={last}", "?grade=优", "?rules=mof-2021", f"?department={d5}",
               "?gap=10"]  # fmt: skip
    out = [(f"{title}（财政，全部主管部门）", "scale-finance", [f"{path}{q}" for q in filters]) for title, path in TABS]
    out.append(
        ("五页轮换（主管部门审核人）", "scale-department",
         [f"{path}{q}" for _, path in TABS for q in ("", "?grade=良", f"?unit={units[d0][0]}")])
    )  # fmt: skip
    out.append(
        ("五页轮换（财政，一个单位）", "scale-finance",
         [f"{path}?department={d5}&unit={u}" for _, path in TABS for u in units[d5][:2]])
    )  # fmt: skip
    return out


def single_requests() -> None:
    """In-process time of one request of each page and of the workbook (no HTTP, no other load)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="scale-")}
    clients: dict[str, Client] = {}
    for _label, who, _paths in pages():
        if who not in clients:
            clients[who] = Client()
            clients[who].force_login(users[who])
    for label, who, paths in pages():
        times = []
        for path in paths:
            clients[who].get(path)
            best = min(_timed(lambda: clients[who].get(path)) for _ in range(3))  # noqa: B023
            times.append(best)
        print(
            f"  {label}：单个请求（进程内，各路径三次取最少）{min(times) * 1000:.1f}–{max(times) * 1000:.1f} ms",
            flush=True,
        )
    finance = clients["scale-finance"]
    seconds = _timed(lambda: b"".join(finance.get("/trends/trends.xlsx").streaming_content))
    print(f"  导出 Excel（财政，全部主管部门，一个请求）：{seconds * 1000:.0f} ms", flush=True)


class _Rollback(Exception):
    pass


def save_cost(rounds: int = 40) -> None:
    """What the dashboard's triggers add to a save: the same saves (each changing the amount spent, so the
    execution rate, the score and the tallies move) with the triggers and with them dropped, each in a transaction
    rolled back afterwards; medians of the in-process time."""
    import statistics

    from django.db import connection, transaction

    from jixiao.core.model import Evaluation
    from jixiao.web.evaluations import services
    from jixiao.web.evaluations.choices import Status
    from jixiao.web.evaluations.models import EvaluationRecord
    from jixiao.web.trends import tallies

    record = EvaluationRecord.objects.filter(status=Status.DRAFT, execution_rate__isnull=False).order_by("pk").first()
    if record is None:
        return
    table = "" if connection.vendor == "sqlite" else " ON evaluations_evaluationrecord"
    results = {}
    for label, drop in (("有历年对比的触发器", False), ("去掉这些触发器", True)):
        times: list[float] = []
        try:
            with transaction.atomic():
                if drop:
                    with connection.cursor() as cursor:
                        for name in tallies.TRIGGERS[connection.vendor]:
                            if "rectification" not in name and "truncate" not in name:
                                cursor.execute(f"DROP TRIGGER {name}{table}")
                current = EvaluationRecord.objects.get(pk=record.pk)
                for i in range(rounds):
                    evaluation = Evaluation.model_validate(current.document)
                    evaluation.funds[0].executed_wan = evaluation.funds[0].executed_wan * Decimal(
                        "0.9" if i % 2 else "1.1"
                    )
                    t0 = time.perf_counter()
                    current = services.save(current.pk, evaluation, None, current.revision, "基准：改执行数")
                    times.append(time.perf_counter() - t0)
                raise _Rollback
        except _Rollback:
            pass
        results[label] = statistics.median(times) * 1000
    print("  保存一次（改执行数，重新评分，进程内，中位数）：" + "，".join(f"{k} {v:.1f} ms" for k, v in results.items()),
          flush=True)  # fmt: skip


def _timed(call: Any) -> float:
    t0 = time.perf_counter()
    call()
    return time.perf_counter() - t0


def main() -> None:
    clients = int(os.environ.get("BENCH_SCALE_CLIENTS", "20"))
    per_client = int(os.environ.get("BENCH_SCALE_REQUESTS", "25"))
    n_writers = int(os.environ.get("BENCH_SCALE_WRITERS", "2"))
    interval = float(os.environ.get("BENCH_SCALE_WRITE_INTERVAL", "1"))
    reuse = os.environ.get("BENCH_SCALE_REUSE") == "1"
    keep = os.environ.get("BENCH_SCALE_DIR")
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-trends-") as tmp:
        folder = Path(keep) if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        setup_django(folder)
        from django.core.management import call_command
        from django.db import connection

        from jixiao.web.evaluations.models import EvaluationRecord
        from jixiao.web.organisations.models import Organisation
        from jixiao.web.planner_statistics import refresh
        from jixiao.web.results.models import Rectification

        engine = connection.vendor
        sizes = scale._sizes(engine)
        call_command("migrate", verbosity=0)
        if reuse and Organisation.objects.filter(name=FINANCE_NAME).exists() and Rectification.objects.exists():
            print(f"[{engine}] 沿用已载入的 {EvaluationRecord.objects.count()} 条评价", flush=True)
            if os.environ.get("BENCH_TRENDS_REBUILD") == "1":  # after a change of the tallies' migration
                from jixiao.web.trends import tallies

                t0 = time.perf_counter()
                tallies.rebuild(connection)
                print(f"[{engine}] 重建历年对比的计数表：{time.perf_counter() - t0:.1f} s", flush=True)
        else:
            print(f"[{engine}] 载入：{sizes}", flush=True)
            load(sizes)
        t0 = time.perf_counter()
        refresh()
        print(f"[{engine}] 重新统计数据分布（ANALYZE）：{time.perf_counter() - t0:.1f} s", flush=True)
        with connection.cursor() as cursor:
            for table in (
                "trends_financetally",
                "trends_departmenttally",
                "trends_tally",
                "trends_unitgap",
                "trends_unitgaptotal",
                "trends_rectificationtally",
            ):
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                print(f"[{engine}] {table}: {cursor.fetchone()[0]} 行", flush=True)
        print(f"[{engine}] 整改事项 {Rectification.objects.count()} 条", flush=True)
        single_requests()
        save_cost()
        scale.pages = pages  # bench.scale's measuring, on these pages
        scale.measure(engine, clients, per_client, n_writers, interval)


if __name__ == "__main__":
    main()
