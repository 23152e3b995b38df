"""Task benchmark: reading a 项目清单 of BENCH_LIST_ROWS (100000) rows, time and peak memory; and opening a task of
BENCH_TASK_PROJECTS (1000) projects on SQLite in a temporary folder (time per project, and the figure it implies
for a province's 100,000). Run with ``python -m bench.tasks``; prints figures for docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import tempfile
import time
from pathlib import Path

import openpyxl

from .web import setup_django

HEADER = ["项目编码", "项目名称", "预算单位", "主管部门", "年初预算数（万元）", "全年预算数（万元）", "绩效目标"]


def write_list(path: Path, rows: int, units: list[tuple[str, str]]) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("项目清单")
    ws.append(["项目支出绩效自评项目清单"])
    ws.append(HEADER)
    for i in range(rows):
        unit, department = units[i % len(units)]
        ws.append([f"P{i:07d}", f"第{i}号项目经费", unit, department, 100 + i % 50, 120 + i % 70, "按期完成年度任务"])
    wb.save(path)
    return path


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    rows = int(os.environ.get("BENCH_LIST_ROWS", "100000"))
    projects = int(os.environ.get("BENCH_TASK_PROJECTS", "1000"))
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-tasks-") as folder:
        work = Path(folder)
        setup_django(work / "data")
        from django.core.management import call_command

        from jixiao.io.xlsx.project_list import read_project_list
        from jixiao.web.organisations.models import Organisation, OrganisationKind
        from jixiao.web.tasks import services

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

        big = write_list(work / "big.xlsx", rows, units)
        before = peak_mib()
        t0 = time.perf_counter()
        listing = read_project_list(big, known_units={u for u, _ in units})
        read_s = time.perf_counter() - t0
        print(f"read {rows} rows: {read_s:.1f} s, {rows / read_s:.0f} rows/s, problems {len(listing.problems)}, "
              f"peak RSS {peak_mib():.0f} MiB (before reading {before:.0f} MiB)")  # fmt: skip

        small = read_project_list(write_list(work / "small.xlsx", projects, units), known_units={u for u, _ in units})
        settings = services.TaskSettings(
            owner=finance, year=2025, name="基准任务", rules="mof-2020", framework="mof-selfeval",
            unit_deadline=dt.date(2026, 4, 20), department_deadline=dt.date(2026, 5, 10),
            finance_deadline=dt.date(2026, 5, 31),
        )  # fmt: skip
        t0 = time.perf_counter()
        services.open_task(settings, small, None, source_name="small.xlsx")
        open_s = time.perf_counter() - t0
        per = open_s / projects
        print(f"open a task of {projects} projects: {open_s:.1f} s, {per * 1000:.1f} ms per project; "
              f"100,000 projects would take about {per * 100_000 / 60:.0f} min")  # fmt: skip


if __name__ == "__main__":
    main()
