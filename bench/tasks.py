"""Task benchmark: a 自评任务 opened from an xlsx 项目清单 the way the web opens it, on SQLite in a temporary folder.

For each size of BENCH_TASK_SIZES (``10000,100000``), in a process of its own (so that its peak memory is its
own): write the list, read it (``read_project_list``, as the upload), check it and store the task
(``tasks.services.open_task``: more than ``JIXIAO_TASK_INLINE_ROWS`` rows, so 正在建立 with the checked rows and a
job for the worker), then run the real worker in-process (``manage.py db_worker --batch``) until the task is
已建立. The first size also opens BENCH_TASK_INLINE (500) projects in the request, as a short list is.
Reports time per step, evaluations per second and the process's peak memory (``ru_maxrss``; target ≤ 1 GiB).
Run with ``python -m bench.tasks``; prints figures for docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

import openpyxl

from .web import setup_django

HEADER = ["项目编码", "项目名称", "预算单位", "主管部门", "年初预算数（万元）", "全年预算数（万元）", "绩效目标"]


def write_list(path: Path, rows: int, units: list[tuple[str, str]], prefix: str = "P") -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("项目清单")
    ws.append(["项目支出绩效自评项目清单"])
    ws.append(HEADER)
    for i in range(rows):
        unit, department = units[i % len(units)]
        ws.append(
            [f"{prefix}{i:07d}", f"第{i}号项目经费", unit, department, 100 + i % 50, 120 + i % 70, "按期完成年度任务"]
        )
    wb.save(path)
    return path


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU time of this process so far (the machine is shared: wall time alone says little)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one(size: int, inline: int) -> None:
    """One size, in this process: set up, then read, check and store, and run the worker."""
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-tasks-") as folder:
        work = Path(folder)
        setup_django(work / "data")
        from django.core.management import call_command
        from django.db.models import Max, Min

        from jixiao.io.xlsx.project_list import read_project_list
        from jixiao.web.changes.models import ObjectChange
        from jixiao.web.evaluations.models import EvaluationRecord
        from jixiao.web.organisations.models import Organisation, OrganisationKind
        from jixiao.web.tasks import services
        from jixiao.web.tasks.models import Task, TaskState

        call_command("migrate", verbosity=0)
        finance = Organisation.objects.create(name="基准财政局", kind=OrganisationKind.FINANCE)
        units: list[tuple[str, str]] = []
        for d in range(20):
            department = Organisation.objects.create(
                name=f"基准主管部门{d}", kind=OrganisationKind.DEPARTMENT, parent=finance
            )
            for u in range(10):
                unit = Organisation.objects.create(
                    name=f"基准单位{d}-{u}", kind=OrganisationKind.UNIT, parent=department
                )
                units.append((unit.name, department.name))
        names = {u for u, _ in units}

        def settings(name: str) -> services.TaskSettings:
            return services.TaskSettings(
                owner=finance, year=2025, name=name, rules="mof-2020", framework="mof-selfeval",
                unit_deadline=dt.date(2026, 4, 20), department_deadline=dt.date(2026, 5, 10),
                finance_deadline=dt.date(2026, 5, 31),
            )  # fmt: skip

        if inline:
            small = read_project_list(write_list(work / "small.xlsx", inline, units, "S"), known_units=names)
            t0 = time.perf_counter()
            services.open_task(settings("基准任务（请求内）"), small, None, source_name="small.xlsx")
            inline_s = time.perf_counter() - t0
            print(f"inline: {inline} projects opened in the request in {inline_s:.1f} s, "
                  f"{inline_s / inline * 1000:.2f} ms per project")  # fmt: skip

        path = write_list(work / "big.xlsx", size, units)
        before = peak_mib()
        cpu0 = cpu_s()
        t0 = time.perf_counter()
        listing = read_project_list(path, known_units=names)
        read_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        task = services.open_task(settings("基准任务"), listing, None, source_name=path.name)
        store_s = time.perf_counter() - t1
        assert task.state == TaskState.OPENING, task.state
        del listing
        t2 = time.perf_counter()
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
        work_s = time.perf_counter() - t2
        total = time.perf_counter() - t0
        task = Task.objects.get(pk=task.pk)
        created = EvaluationRecord.objects.filter(task=task).count()
        ids = EvaluationRecord.objects.filter(task=task).values("pk")
        changes = ObjectChange.objects.filter(
            object_id__in=ids, action="create", object_repr__startswith="2025"
        ).count()
        assert (task.state, created, changes) == (TaskState.OPEN, size, size), (task.state, task.failure, created)
        # showing them all at once (one transaction): from the first 新建 change record written to the last
        span = ObjectChange.objects.filter(object_id__in=ids, action="create", object_repr__startswith="2025")
        times = span.aggregate(first=Min("time"), last=Max("time"))
        show_s = (times["last"] - times["first"]).total_seconds()
        print(f"{size} projects: read {read_s:.1f} s, check and store {store_s:.1f} s, "
              f"worker {work_s:.1f} s ({size / work_s:.0f} evaluations/s, {work_s / size * 1000:.2f} ms each; "
              f"of which showing them in one transaction {show_s:.1f} s); "
              f"total {total:.1f} s = {total / 60:.1f} min (CPU {cpu_s() - cpu0:.0f} s); peak RSS {peak_mib():.0f} MiB "
              f"(before reading {before:.0f} MiB)")  # fmt: skip


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        one(int(sys.argv[2]), int(sys.argv[3]))
        return
    sizes = [int(s) for s in os.environ.get("BENCH_TASK_SIZES", "10000,100000").split(",") if s]
    inline = int(os.environ.get("BENCH_TASK_INLINE", "500"))
    for n, size in enumerate(sizes):
        subprocess.run(
            [sys.executable, "-m", "bench.tasks", "--one", str(size), str(inline if n == 0 else 0)], check=True
        )


if __name__ == "__main__":
    main()
