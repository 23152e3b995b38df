"""Cycle benchmark: 绩效目标, 运行监控 and the year-end start of the self-evaluations at a province's size, on SQLite
in a temporary folder (set ``DATABASE_URL`` for PostgreSQL, as ``scripts/bench-postgres.sh`` does).

BENCH_CYCLE_SIZE (``10000``) approved declarations of nine indicators each (the demo's 科普 declaration, renamed), in
a tree of one 财政局, 50 主管部门 and 1,000 预算单位. Times:

* the target-quality checks (G…) of every declaration, in the core alone;
* a finance officer opening the July monitoring round (one record per declaration, each with its change record);
* BENCH_CYCLE_FILLED (``1000``) units saving their monitoring (warnings computed on save);
* the 预警看板 of the finance bureau and of one 主管部门, as pages;
* BENCH_CYCLE_STARTED (``200``) units starting their self-evaluation from the approved targets and the monitoring.

Run with ``python -m bench.cycle``; prints figures for docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from .web import setup_django

SIZE = int(os.environ.get("BENCH_CYCLE_SIZE", "10000"))
FILLED = int(os.environ.get("BENCH_CYCLE_FILLED", "1000"))
STARTED = int(os.environ.get("BENCH_CYCLE_STARTED", "200"))


def _timed(label: str, count: int, what: str, run: Any) -> Any:
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    rate = f"，{count / seconds:,.0f} {what}/秒" if count else ""
    print(f"  {label}：{seconds:.2f} 秒{rate}")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder))
        run(SIZE)


def run(size: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client

    from jixiao.core.targets.checks import run_target_checks
    from jixiao.core.targets.declaration import Declaration
    from jixiao.io.targets.data import load_target_rules
    from jixiao.web.monitoring import services as monitoring
    from jixiao.web.monitoring.models import MonitoringRecord
    from jixiao.web.organisations.models import Membership, Organisation, OrganisationKind, Role
    from jixiao.web.targets import services as targets
    from jixiao.web.targets.demo import _KEPU
    from jixiao.web.targets.models import TargetDeclaration

    call_command("migrate", verbosity=0)
    finance = Organisation.objects.create(name="基准财政局", kind=OrganisationKind.FINANCE)
    departments = [
        Organisation.objects.create(name=f"基准部门{i}", kind=OrganisationKind.DEPARTMENT, parent=finance)
        for i in range(50)
    ]
    units = Organisation.objects.bulk_create(
        Organisation(name=f"基准单位{i}", kind=OrganisationKind.UNIT, parent=departments[i % 50]) for i in range(1000)
    )
    people = get_user_model().objects
    officer = people.create_user("finance", password="bench-pass-1")
    Membership.objects.create(user=officer, organisation=finance, role=Role.FINANCE_ADMIN)
    reviewer = people.create_user("reviewer", password="bench-pass-1")
    Membership.objects.create(user=reviewer, organisation=departments[0], role=Role.DEPARTMENT_REVIEWER)
    filler = people.create_user("filler", password="bench-pass-1")
    Membership.objects.create(user=filler, organisation=units[0], role=Role.FILLER)

    documents = []
    for i in range(size):
        data = {**_KEPU, "project": {**_KEPU["project"], "name": f"第{i}号项目", "code": f"B{i:06d}"}}
        documents.append(Declaration.model_validate(data))
    print(f"绩效目标、运行监控与年度自评（{size:,} 个已批复的项目，每个 9 个三级指标）")
    rules = load_target_rules()
    _timed("目标质量检查（G 类，仅核心）", size, "份", lambda: [run_target_checks(d, rules) for d in documents])

    with transaction.atomic():
        rows = []
        for i, document in enumerate(documents):
            row = TargetDeclaration(
                year=2022,
                project_name=document.project.name,
                project_code=document.project.code or "",
                status="approved",
                review_grade="良",
                document=document.model_dump(mode="json"),
            )
            row.place(units[i % len(units)])
            rows.append(row)
        TargetDeclaration.objects.bulk_create(rows, batch_size=500)

    stored_round = _timed(
        "财政新建 7 月监控批次（每个项目一份监控记录及其变更记录）",
        size,
        "份",
        lambda: monitoring.open_round(
            finance, 2022, dt.date(2022, 7, 31), "default", "month", dt.date(2022, 8, 15), officer
        ),
    )
    records = list(MonitoringRecord.objects.filter(round=stored_round).order_by("pk")[:FILLED])

    def fill() -> None:
        for record in records:
            document = record.parsed().model_copy(
                update={"executed_wan": Decimal("53.55"), "expected_executed_wan": Decimal(150)}
            )
            monitoring.save(record.pk, document, None, record.revision)

    _timed(f"{len(records):,} 个单位保存监控（保存时计算预警）", len(records), "份", fill)

    for label, user in (("财政局", officer), ("主管部门", reviewer)):
        client = Client()
        client.force_login(user)
        client.get("/monitoring/board/")  # (the first request of a process loads the templates)
        response = _timed(f"预警看板（{label}）", 0, "", lambda c=client: c.get("/monitoring/board/"))
        assert response.status_code == 200, response.status_code

    declarations = list(TargetDeclaration.objects.order_by("pk").values_list("pk", flat=True)[:STARTED])
    _timed(
        f"{len(declarations)} 个单位开始年度自评（由批复目标和监控生成）",
        len(declarations),
        "份",
        lambda: [targets.start_evaluation(pk, None) for pk in declarations],
    )


if __name__ == "__main__":
    main()
