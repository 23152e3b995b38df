"""Batch intake benchmark: a zip of 1,000 mixed files (附1 xlsx, report docx, text) received for a 1,000-project
task and processed by real background workers (``manage.py db_worker``), once with one worker and once with two.

Run with ``python -m bench.intake`` (SQLite in a temporary folder) or with DATABASE_URL set (PostgreSQL: the
database is emptied and reused for each run). Size from the environment: BENCH_INTAKE_FILES (1000).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = 100


def make_files(n: int, folder: Path) -> list[tuple[str, bytes]]:
    """``n`` files for projects 0…n-1: a third 附1 tables (xlsx), a third reports (docx), a third plain text."""
    from jixiao.core import evaluate
    from jixiao.core.model import Evaluation
    from jixiao.io.catalogue import load_framework, load_rules
    from jixiao.io.report.docx import write_report_docx
    from jixiao.io.xlsx.selfeval_write import write_selfeval_table

    from .synthetic import evaluation

    rules, framework = load_rules("mof-2020"), load_framework("mof-selfeval")
    files = []
    for i in range(n):
        unit = f"接收基准单位{i % UNITS}"
        data = evaluation(i, indicators=12)
        data["project"] = {**data["project"], "name": f"接收基准项目{i}", "year": 2022, "unit": unit}
        result = evaluate(Evaluation.model_validate(data), rules, framework)
        kind = i % 3
        if kind == 0:
            path = write_selfeval_table(result, folder / f"{i}.xlsx")
            files.append((f"{unit}/接收基准项目{i}-附1.xlsx", path.read_bytes()))
        elif kind == 1:
            path = write_report_docx(result, folder / f"{i}.docx")
            files.append((f"{unit}/接收基准项目{i}自评报告.docx", path.read_bytes()))
        else:
            text = f"接收基准项目{i}项目支出绩效自评报告\n项目编码：JS-2022-{i:05d}\n自评得分90分，等级为优。\n"
            files.append((f"{unit}/接收基准项目{i}.txt", text.encode("utf-8")))
    return files


def zipped(files: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return out.getvalue()


def run(data_dir: Path, bundle: bytes, workers: int) -> tuple[float, dict[str, int]]:
    """Empty the database, set up a task of as many projects as files and receive the zip (its jobs wait in the
    database), then time ``workers`` real db_workers through it."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from jixiao.web.intake.models import IntakeFile

    call_command("flush", interactive=False, verbosity=0)
    prepare(bundle)
    connection.close()
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data_dir), "DJANGO_DEBUG": "0"}  # no autoreloader
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    try:
        while True:
            time.sleep(0.5)
            counts = dict(IntakeFile.objects.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
            if not counts.get("queued"):
                break
        elapsed = time.perf_counter() - t0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=60)
    return elapsed, counts


def prepare(bundle: bytes) -> None:
    """(In the child process.) Organisations, a task with one project per file, and the zip received (queued)."""
    from django.contrib.auth import get_user_model

    from jixiao.io.xlsx.project_list import ProjectList, ProjectRow
    from jixiao.web.intake import services as intake
    from jixiao.web.organisations.models import Membership, Organisation, OrganisationKind, Role
    from jixiao.web.tasks import services as tasks

    finance = Organisation.objects.create(name="接收基准财政局", kind=OrganisationKind.FINANCE)
    departments = [
        Organisation.objects.create(name=f"接收基准部门{i}", kind=OrganisationKind.DEPARTMENT, parent=finance)
        for i in range(10)
    ]
    for i in range(UNITS):
        Organisation.objects.create(name=f"接收基准单位{i}", kind=OrganisationKind.UNIT, parent=departments[i % 10])
    user = get_user_model().objects.create_user("bench-intake")
    Membership.objects.create(user=user, organisation=finance, role=Role.FINANCE_ADMIN)
    n = len(zipfile.ZipFile(io.BytesIO(bundle)).namelist())
    rows = [
        ProjectRow(i + 1, f"JS-2022-{i:05d}", f"接收基准项目{i}", f"接收基准单位{i % UNITS}", None, None, None, None)
        for i in range(n)
    ]
    import datetime as dt

    settings = tasks.TaskSettings(
        finance, 2022, "接收基准任务", "mof-2020", "mof-selfeval", dt.date(2023, 4, 20), dt.date(2023, 5, 10),
        dt.date(2023, 5, 31),
    )  # fmt: skip
    task = tasks.open_task(settings, ProjectList("基准", "", "万元", rows, []), user)
    intake.receive(task, [intake.Upload("接收基准.zip", io.BytesIO(bundle), len(bundle))], user)


def main() -> None:
    n = int(os.environ.get("BENCH_INTAKE_FILES", "1000"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data_dir = folder / "data"
        os.environ["JIXIAO_DATA_DIR"] = str(data_dir)
        os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
        os.environ["JIXIAO_TASK_INLINE_ROWS"] = "1000000"  # the task opens in this process: only the intake is timed
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        files = make_files(n, folder)
        bundle = zipped(files)
        print(
            f"[{connection.vendor}] made {n} files ({len(bundle) / 2**20:.1f} MiB zipped) in {time.perf_counter() - t0:.1f} s"
        )
        rates = {}
        for workers in (1, 2):
            elapsed, counts = run(data_dir, bundle, workers)
            rates[workers] = n / elapsed
            print(
                f"[{connection.vendor}] {workers} worker(s): {n} files in {elapsed:.1f} s = {rates[workers]:.1f} files/s;"
                f" outcomes {counts}"
            )
        print(f"[{connection.vendor}] two workers / one worker: {rates[2] / rates[1]:.2f}×")


if __name__ == "__main__":
    main()
