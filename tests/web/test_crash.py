"""A server or background worker killed outright (SIGKILL: no clean-up, as a crash or a power cut leaves things) in
the middle of its work leaves a consistent database (issue 10, "Standing tests": crash tests).

Each test runs the real processes (gunicorn, ``manage.py db_worker``) on a SQLite data folder of its own, kills
them at a chosen moment (a large upload being received, saves under way, a file being read by the worker), starts
them again, and then checks the whole database: SQLite's own ``PRAGMA integrity_check``; every evaluation's versions
numbered 1…revision, its document that of its last version, its scores and findings those of its document; the
tallies equal to counting afresh; every batch of received files whole or absent; every save the server
acknowledged still there; every imported file imported once; and no file left behind once the scratch folder is
swept. A killed worker's job is found dead by ``intake.background.watch_files`` once it has shown no sign of life
for a lease (``intake.services.recover``); the rules of that watch are tested at the end, in this process, fast.
"""

from __future__ import annotations

import datetime as dt
import http.client
import io
import os
import random
import re
import signal
import sqlite3
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from jixiao.web.evaluations.models import ImportedSource
from jixiao.web.intake import services as intake
from jixiao.web.intake.models import IntakeBatch, IntakeFile, Outcome
from jixiao.web.organisations.models import Role
from jixiao.web.tasks.models import Task
from tests.web import test_intake
from tests.web import test_races_parallel as races
from tests.web.conftest import World
from tests.web.test_intake import CONTEST, SCIENCE, report
from tests.web.test_races_parallel import (
    BIN,
    Browser,
    Process,
    Server,
    Site,
    build_tree,
    form_to,
    record_problems,
    sessions_for,
    sqlite_site,
    tally_differences,
)

#: fixtures: the session's migrated SQLite database, which each test copies; a site's data folder; a task of three
#: projects
migrated = races.migrated
folder = races.folder
task = test_intake.task


def crash_test(test: Callable[..., None]) -> Callable[..., None]:
    """Slow, and on SQLite only: the processes run on a data folder of their own (PostgreSQL's crash safety is the
    server's own; the PostgreSQL pass runs the race tests through real processes)."""
    only_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite data folders of their own")
    return pytest.mark.slow(only_sqlite(test))


HERE = "tests.web.test_crash"
#: the projects of the task the files are sent for: code, name, unit
PROJECTS = [(f"440800-{i:03d}", f"崩溃测试项目{i}", "甲一单位" if i % 2 else "甲二单位") for i in range(1, 7)]


# ------------------------------------------------------------------------- in the site's own Django processes


def prepare(reports: bool = False) -> dict[str, Any]:
    """The tree, a task of :data:`PROJECTS` opened by the 财政局, three drafts of 甲一单位 to save, and sessions for
    the 财政绩效管理员 and (six of them) for the unit's 填报人 and 单位负责人 in turn; with ``reports``, a batch of
    one report per project received for the task (:func:`receive_reports`), its files' ids in ``files``."""
    from jixiao.io.xlsx.project_list import ProjectList, ProjectRow
    from jixiao.web.evaluations import services
    from jixiao.web.tasks import services as tasks
    from tests.web.submit_fixtures import complete_evaluation

    tree = build_tree()
    orgs, people = tree["orgs"], tree["people"]
    finance = people["finance_admin@F1"]
    rows = [
        ProjectRow(i, code, name, unit, None, Decimal("100"), Decimal("153"), None)
        for i, (code, name, unit) in enumerate(PROJECTS, start=3)
    ]
    settings = tasks.TaskSettings(
        orgs["F1"], 2022, "2022年度项目支出绩效自评", "mof-2020", "mof-selfeval",
        dt.date(2023, 4, 20), dt.date(2023, 5, 10), dt.date(2023, 5, 31),
    )  # fmt: skip
    task = tasks.open_task(settings, ProjectList("项目清单.xlsx", "项目清单", "万元", rows, []), finance)
    unit = orgs["A1"]
    filler = people["filler@A1"]
    drafts = [services.create(unit, complete_evaluation(unit, f"保存测试项目{i}"), filler).pk for i in range(3)]
    editors = [people["filler@A1"], people["unit_head@A1"]] * 3
    return {
        "task": task.pk,
        "drafts": drafts,
        "finance": sessions_for([finance])[0],
        "editors": sessions_for(editors),
        "files": receive_reports(task.pk) if reports else [],
    }


def receive_reports(task_id: int) -> list[int]:
    """A batch of one plain-text 自评报告 per project (tests/web/test_intake.py's), naming its 项目编码, received as
    the upload page would: its job waits in the queue."""
    task = Task.objects.get(pk=task_id)
    reports = [(f"{name}.txt", report(name, code=code)) for code, name, _ in PROJECTS]
    uploads = [intake.Upload(name, io.BytesIO(data), len(data)) for name, data in reports]
    batch = intake.receive(task, uploads, task.created_by)
    return list(IntakeFile.objects.filter(batch=batch).order_by("position").values_list("pk", flat=True))


def facts() -> dict[str, Any]:
    """What a check of the whole database finds wrong, and what it holds."""
    from django_tasks_db.models import DBTaskResult

    from jixiao.web.evaluations.models import EvaluationRecord, EvaluationVersion, ImportedSource

    problems = [p for r in EvaluationRecord.all_objects.all() for p in record_problems(r)] + tally_differences()
    # an import is whole: the source points at a record whose history says it came from that file, and a record
    # whose history says so has the source
    for source in ImportedSource.objects.filter(record__isnull=False):
        if not source.record.versions.filter(summary__contains=f"从文件“{source.file_name}”导入").exists():
            problems.append(f"来源文件 {source.pk} 的评价没有导入的版本")
    for record in EvaluationRecord.all_objects.filter(versions__summary__contains="从文件").distinct():
        if not record.imported_sources.exists():
            problems.append(f"评价 {record.pk} 记载从文件导入，却没有来源文件")
    for sha256, n in Counter(
        ImportedSource.objects.filter(record__isnull=False).values_list("sha256", flat=True)
    ).items():
        if n > 1:
            problems.append(f"同一文件（{sha256[:8]}）导入了 {n} 次")
    batches = {}
    for batch in IntakeBatch.objects.all():
        positions = list(batch.files.order_by("position").values_list("position", flat=True))
        if positions != list(range(1, len(positions) + 1)):
            problems.append(f"批次 {batch.pk} 的文件序号不连续：{positions}")
        batches[batch.pk] = len(positions)
    for file in IntakeFile.objects.filter(outcome=Outcome.IMPORTED):
        if file.source is None or file.source.record_id != file.record_id or file.content is not None:
            problems.append(f"接收的文件 {file.pk} 已导入，但来源文件不符")
    files = {
        f.pk: {
            "outcome": f.outcome,
            "reason": f.reason,
            "record": f.record_id,
            "source": f.source_id,
            "took": (f.processed_at - f.claimed_at).total_seconds() if f.processed_at and f.claimed_at else None,
        }
        for f in IntakeFile.objects.all()
    }
    jobs = Counter(
        (row.task_path.rsplit(".", 1)[1], row.status) for row in DBTaskResult.objects.only("task_path", "status")
    )
    return {
        "problems": problems,
        "staged": ImportedSource.objects.filter(record__isnull=True).count(),
        "batches": batches,
        "files": files,
        "jobs": {f"{name} {status}": n for (name, status), n in jobs.items()},
        "revisions": dict(EvaluationRecord.all_objects.values_list("pk", "revision")),
        "versions": [
            [pk, str(document["funds"][0]["executed_wan"])]
            for pk, document in EvaluationVersion.objects.values_list("record", "document")
        ],
    }


# ----------------------------------------------------------------------------------------------- in the test


def check_database(site: Site) -> dict[str, Any]:
    with sqlite3.connect(site.sqlite) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    found = site.call(f"{HERE}:facts")
    assert found["problems"] == []
    return found


#: what a killed process leaves in the system's temporary folder (which is no sweep's): the folder of the socket of
#: multiprocessing's forkserver (which the bounded reader of uploaded files starts). Django's spooled copy of a large
#: upload is not among them: FILE_UPLOAD_TEMP_DIR puts it in the scratch folder, which the sweep covers.
OUTSIDE = ("pymp-",)


#: the file Python's ``tempfile`` writes to find a usable temporary folder (eight random letters, "blat" or nothing
#: in it), removed at once unless the process is killed in between
_PROBE = re.compile(r"[a-z0-9_]{8}")


def strays(site: Site) -> list[str]:
    """What is left in the scratch folder (media/scratch), and in the processes' temporary folder other than
    :data:`OUTSIDE` and Python's own probe of that folder."""
    scratch = site.data / "media" / "scratch"
    out = [f"scratch/{p.name}" for p in scratch.iterdir()] if scratch.exists() else []
    return out + [f"tmp/{p.name}" for p in (site.data / "tmp").iterdir() if not outside(p.name) and not _probe(p)]


def _probe(path: Path) -> bool:
    return bool(_PROBE.fullmatch(path.name)) and path.is_file() and path.read_bytes() in (b"", b"blat")


def outside(name: str) -> bool:
    return any(kind in name for kind in OUTSIDE)


def left_outside(site: Site) -> list[str]:
    return sorted(p.name for p in (site.data / "tmp").iterdir() if outside(p.name))


def sweep_a_day_later(site: Site) -> list[str]:
    """The sweep of the scratch folder (``manage.py sweep_scratch``, daily, and at every start) as it runs a day
    later: a young folder cannot be told from one that a request of another live process is using, so a folder left
    by a killed process waits until it is a day old."""
    from django.test import override_settings

    from jixiao.web import scratch

    with override_settings(MEDIA_ROOT=site.data / "media"):
        return scratch.sweep(now=time.time() + scratch.STALE_AFTER + 60)


def until(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.005) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(poll)


def orphans(site: Site) -> Iterator[int]:
    """Processes still running on this site's data folder after its server or worker was killed: a worker reading
    an uploaded file runs in a process group of its own, and could outlive a killed parent until its own time limit
    (none has, so far; they are ended by id, and reported)."""
    marker = f"JIXIAO_DATA_DIR={site.data}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    yield int(entry.name)
            except OSError:
                continue


def end_orphans(site: Site) -> list[int]:
    found = list(orphans(site))
    for pid in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return found


def incompressible_zip(members: int, size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for i in range(members):
            archive.writestr(f"甲一单位/材料{i:02d}.txt", os.urandom(size // 2).hex().encode())
    return out.getvalue()


class Upload(threading.Thread):
    """An upload in flight: ``reply`` is the server's answer, or None when the server died first."""

    def __init__(self, browser: Browser, path: str, field: str, name: str, data: bytes) -> None:
        super().__init__()
        self.send = lambda: browser.upload(path, {}, [(field, name, data)])
        self.reply: Any = None

    def run(self) -> None:
        try:
            self.reply = self.send()
        except OSError:  # the connection was reset or closed without an answer
            pass


# -------------------------------------------------------------------------------------------------- the tests


@crash_test
def test_a_server_killed_while_receiving_a_large_upload_keeps_all_of_it_or_none(folder: Path, migrated: Path) -> None:
    """批量接收: a 12 MB zip of 48 files for a 自评任务, received whole once; then the server is killed while the
    same upload is being spooled to disk, and again while its batch is being written to the database. Neither left
    a file of it in the database, and nothing is left in the scratch folder."""
    site = sqlite_site(folder, migrated)
    prepared = site.call(f"{HERE}:prepare")
    bundle = incompressible_zip(48, 256 * 1024)
    path = f"/intake/task/{prepared['task']}/"
    server = Server(site, workers=1)
    server.start()
    try:
        browser = Browser(server.port, prepared["finance"])
        began = time.monotonic()
        whole = browser.upload(path, {}, [("files", "报送材料.zip", bundle)])
        took = time.monotonic() - began
        assert whole.status == 302, whole.body[:2000]

        spooled = site.data / "media" / "scratch"
        wal = Path(f"{site.sqlite}-wal")
        moments: dict[str, Callable[[], bool]] = {
            "spooling the upload": lambda: any(p.name.endswith(".upload.zip") for p in spooled.iterdir()),
            "writing the batch": lambda: wal.exists() and wal.stat().st_size > 4 * 2**20,
        }
        answered = []
        for moment, reached in moments.items():
            if wal.exists():  # start from an empty log, so that its growth is this upload's transaction
                with sqlite3.connect(site.sqlite) as db:
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            upload = Upload(Browser(server.port, prepared["finance"]), path, "files", "报送材料.zip", bundle)
            upload.start()
            until(lambda: reached() or not upload.is_alive(), 30, moment, poll=0.002)  # noqa: B023
            server.kill()
            upload.join(30)
            answered.append((moment, upload.reply.status if upload.reply else None))
            server.start()
    finally:
        server.stop()
    print(f"whole upload {took:.2f} s; killed while {answered}")
    assert [status for _, status in answered] == [None, None], "the server answered before it was killed"
    found = check_database(site)
    # only the whole upload is there, all 48 files, in five jobs for the worker: the one killed while spooling never
    # reached the database, the one killed while writing was rolled back (48 files of 256 KB cannot fit in SQLite's
    # page cache of 2 MB, so the log passes 4 MB while the transaction writes, well before its commit)
    assert list(found["batches"].values()) == [48]
    assert found["jobs"] == {"process_files READY": 5}
    # Django spools an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file for the length of the
    # request, and each killed request leaves its own: in the scratch folder (FILE_UPLOAD_TEMP_DIR), whose sweep
    # removes them once a day old
    sweep_a_day_later(site)
    assert strays(site) == []
    left = left_outside(site)
    print("left in the temporary folder:", left)
    assert not any(".upload." in name for name in left), left


@crash_test
def test_a_server_killed_while_reading_an_import_leaves_nothing_behind_once_swept(
    folder: Path,
    migrated: Path,
) -> None:
    """导入已有自评材料: the server is killed while it reads the uploaded report. Nothing was stored (the upload is
    kept only once it has been read); the folder the reading used is removed by the sweep once it is a day old; and
    after the restart the same file imports whole: the evaluation, its version and its source file together."""
    site = sqlite_site(folder, migrated)
    prepared = site.call(f"{HERE}:prepare")
    code, name, _ = PROJECTS[0]
    data = report(name, code=code)
    scratch = site.data / "media" / "scratch"
    server = Server(site, workers=1)
    server.start()
    try:
        upload = Upload(Browser(server.port, prepared["editors"][0]), "/evaluations/import/", "file", "报告.txt", data)
        upload.start()
        until(lambda: any(scratch.glob("import-*")) or not upload.is_alive(), 30, "the reading to start")
        server.kill()
        upload.join(30)
        assert upload.reply is None, "the server answered before it was killed"
        print("reading processes left running by the killed server:", end_orphans(site))
        server.start()
        found = check_database(site)
        # nothing stored: no upload kept, no evaluation beyond the three drafts and the task's six, all as made
        assert found["staged"] == 0 and list(found["revisions"].values()) == [1] * (len(prepared["drafts"]) + 6)
        assert [p.split("-")[0] for p in strays(site)] == ["scratch/import"]
        sweep_a_day_later(site)
        assert strays(site) == []
        print("left in the temporary folder:", left_outside(site))

        browser = Browser(server.port, prepared["editors"][0])
        staged = browser.upload("/evaluations/import/", {}, [("file", "自评报告.txt", data)])
        assert staged.status == 302, staged.body[:2000]
        confirm = browser.get(staged.location)
        form = form_to(confirm.body, "/evaluations/import/confirm/")
        done = browser.post("/evaluations/import/confirm/", form.fields)
        assert done.status == 302 and done.location.startswith("/evaluations/"), done.body[:2000]
    finally:
        server.stop()
    found = check_database(site)
    assert found["staged"] == 0 and len(found["revisions"]) == len(prepared["drafts"]) + len(PROJECTS) + 1
    assert strays(site) == []


@crash_test
def test_a_server_killed_while_saving_loses_no_acknowledged_save(folder: Path, migrated: Path) -> None:
    """Six people keep saving the 资金 of three drafts (each save rescored, versioned and counted in the tallies); the
    server is killed while saves are under way. Every save it had acknowledged is there after the restart, nothing
    half-saved is, and the next save goes through."""
    site = sqlite_site(folder, migrated)
    prepared = site.call(f"{HERE}:prepare")
    drafts, sessions = prepared["drafts"], prepared["editors"]
    server = Server(site, workers=1)
    server.start()
    posted: list[tuple[int, str]] = []
    acknowledged: list[tuple[int, str]] = []
    statuses: Counter[int | str] = Counter()
    stop = threading.Event()

    def save_again_and_again(n: int) -> None:
        browser = Browser(server.port, sessions[n])
        pk = drafts[n % 3]
        for round_ in range(1000):
            if stop.is_set():
                return
            try:
                page = browser.get(f"/evaluations/{pk}/edit/funds/")
                statuses[page.status] += 1
                if page.status != 200:
                    continue
                value = f"{90 + n}.{round_ + 1:02d}"
                posted.append((pk, value))
                form = form_to(page.body, "")
                reply = browser.post(f"/evaluations/{pk}/edit/funds/", form.replaced("funds-0-executed_wan", value))
            except (OSError, http.client.HTTPException):  # killed mid-answer: no answer, or half of one
                statuses["no answer"] += 1
                return
            statuses[reply.status] += 1
            if reply.status == 302:
                acknowledged.append((pk, value))

    clients = [threading.Thread(target=save_again_and_again, args=(n,)) for n in range(len(sessions))]
    try:
        for c in clients:
            c.start()
        until(lambda: len(acknowledged) >= 12, 60, "a dozen saves", poll=0.01)
        moment = random.uniform(0, 0.5)  # some moment in the middle of saving
        time.sleep(moment)
        server.kill()
        stop.set()
        for c in clients:
            c.join(30)
        print(f"killed {moment:.2f} s after the 12th acknowledged save; answers {dict(statuses)}")
        assert set(statuses) <= {200, 302, "no answer"}, statuses

        server.start()
        found = check_database(site)
        stored = {(pk, value) for pk, value in found["versions"] if pk in drafts}
        assert set(acknowledged) <= stored, "an acknowledged save was lost"
        # and nothing else: each version is the drafts' first (98 万元 spent) or what someone sent
        assert {value for _, value in stored - set(posted)} == {"98"}
        # the site goes on: the next save of each draft is taken
        browser = Browser(server.port, sessions[0])
        for pk in drafts:
            page = browser.get(f"/evaluations/{pk}/edit/funds/")
            form = form_to(page.body, "")
            after = browser.post(f"/evaluations/{pk}/edit/funds/", form.replaced("funds-0-executed_wan", "88"))
            assert after.status == 302, after.body[:2000]
    finally:
        server.stop()
    assert strays(site) == []


WORKER_SETTINGS = """from jixiao.web.settings import *  # noqa: F403

# a worker that has taken a file and shown no sign of life for this long is taken for dead (10 minutes in use)
JIXIAO_INTAKE_STALLED_SECONDS = 4
"""


def worker_site(folder: Path, migrated: Path) -> Site:
    site = sqlite_site(folder, migrated, settings="crash_settings")
    (site.data / "crash_settings.py").write_text(WORKER_SETTINGS)
    return site


def worker(site: Site) -> Process:
    argv = [str(BIN / "python"), "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
    return Process(site, [*argv, "--interval", "0.1"], "worker.log")


def read_files(site: Site, ids: list[int]) -> list[tuple[str, str | None, str]]:
    """(outcome, claimed_at, reason) of each file, read straight from the database file as the worker writes it."""
    with sqlite3.connect(site.sqlite, timeout=10) as db:
        rows = {row[0]: row[1:] for row in db.execute("SELECT id, outcome, claimed_at, reason FROM intake_intakefile")}
    return [rows[pk] for pk in ids]


def kill_while_reading(site: Site, ids: list[int], running: Process, reason: str = "") -> None:
    """Kill the worker as soon as it has taken the first file (which says ``reason``), before it has finished it."""

    def taken_not_finished() -> bool:
        outcome, claimed, said = read_files(site, ids)[0]
        return outcome == "queued" and claimed is not None and said == reason

    until(taken_not_finished, 60, "the worker to take the first file", poll=0.01)
    running.kill()
    assert taken_not_finished(), "the worker finished the file before it was killed"


def succeeded(site: Site, task: str) -> int:
    """How many runs of ``task`` the queue has marked successful, read straight from the database file."""
    with sqlite3.connect(site.sqlite, timeout=10) as db:
        rows = db.execute(
            "SELECT task_path FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
        ).fetchall()
    return sum(1 for (path,) in rows if path.rsplit(".", 1)[1] == task)


def all_done(site: Site, ids: list[int]) -> Callable[[], bool]:
    return lambda: all(outcome != "queued" for outcome, _, _ in read_files(site, ids))


@crash_test
def test_a_worker_killed_while_reading_a_file_is_retried_once_and_imports_each_file_once(
    folder: Path,
    migrated: Path,
) -> None:
    """The worker is killed while it reads the first of six reports. Started again, it finds the job dead once the
    lease (here 4 s) has passed, puts the six files back in the queue once, and imports each of them, once."""
    site = worker_site(folder, migrated)
    ids = site.call(f"{HERE}:prepare", True)["files"]
    first, again = worker(site), worker(site)
    try:
        first.start()
        kill_while_reading(site, ids, first)
        again.start()
        until(all_done(site, ids), 60, "every file done", 0.1)
    finally:
        first.kill()
        again.stop()
        print("reading processes left running by the killed worker:", end_orphans(site))
    found = check_database(site)
    print("seconds each file took:", [found["files"][str(pk)]["took"] for pk in ids])
    assert [found["files"][str(pk)]["outcome"] for pk in ids] == ["imported"] * len(ids)
    assert [found["files"][str(pk)]["reason"] for pk in ids] == [""] * len(ids)
    # one import each: the evaluation's revision 2 (started and filled from the file), one source each
    assert sorted(found["revisions"].values()) == [1, 1, 1] + [2] * len(ids)
    # the killed job stays 'running' in the queue; the watch found it dead and queued its files again, in one job
    assert found["jobs"]["process_files RUNNING"] == 1 and found["jobs"]["process_files SUCCESSFUL"] == 1
    assert found["jobs"]["watch_files SUCCESSFUL"] == 1
    # the killed worker's folder for the file it was reading (if it had made it) stays until it is a day old
    assert all(p.startswith("scratch/intake-") for p in strays(site)), strays(site)
    sweep_a_day_later(site)
    assert strays(site) == []
    print("left in the temporary folder:", left_outside(site))


@crash_test
def test_a_file_that_stops_the_worker_twice_is_refused_and_the_others_are_imported(
    folder: Path,
    migrated: Path,
) -> None:
    """The worker is killed twice while it reads the same file: the file is refused with a reason in Chinese,
    and the other five are imported, once each."""
    from jixiao.web.intake.services import GAVE_UP, RETRIED

    site = worker_site(folder, migrated)
    ids = site.call(f"{HERE}:prepare", True)["files"]
    workers = [worker(site) for _ in range(3)]
    try:
        workers[0].start()
        kill_while_reading(site, ids, workers[0])
        workers[1].start()
        kill_while_reading(site, ids, workers[1], reason=RETRIED)
        workers[2].start()
        until(all_done(site, ids), 60, "every file done", 0.1)
        # the job writes SUCCESSFUL just after the last file's outcome: a kill in between would leave a third RUNNING
        # row behind, a race of this test and not of the worker
        until(lambda: succeeded(site, "process_files") == 1, 30, "the last job to finish", 0.1)
    finally:
        for w in workers:
            w.kill()
        end_orphans(site)
    found = check_database(site)
    files = [found["files"][str(pk)] for pk in ids]
    assert (files[0]["outcome"], files[0]["reason"], files[0]["source"]) == ("refused", GAVE_UP, None)
    assert [f["outcome"] for f in files[1:]] == ["imported"] * (len(ids) - 1)
    assert sorted(found["revisions"].values()) == [1] * 4 + [2] * (len(ids) - 1)
    assert found["jobs"]["process_files RUNNING"] == 2 and found["jobs"]["process_files SUCCESSFUL"] == 1
    sweep_a_day_later(site)
    assert strays(site) == []


# ------------------------------------------------------------------ the watch's rules, in this process, fast


def waiting_batch(world: World, task: Task) -> list[IntakeFile]:
    """Three files received and queued, none taken yet (their jobs wait for the commit a test never makes)."""
    uploads = [
        intake.Upload(name, io.BytesIO(data), len(data))
        for name, data in (
            ("甲一单位/科普活动经费自评报告.txt", SCIENCE),
            ("甲二单位/甲二单位-青少年科技创新大赛自评报告.txt", CONTEST),
            ("其他材料.txt", "与本任务无关的文字".encode()),
        )
    ]
    batch = intake.receive(task, uploads, world.user(Role.FINANCE_ADMIN, "F1"))
    return list(batch.files.order_by("position"))


def taken(file: IntakeFile, at: dt.datetime, reason: str = "") -> None:
    IntakeFile.objects.filter(pk=file.pk).update(claimed_at=at, reason=reason)


AN_HOUR_AGO = dt.timedelta(hours=1)


def test_a_job_that_shows_signs_of_life_is_left_alone(world: World, task: Task) -> None:
    files = waiting_batch(world, task)
    taken(files[0], timezone.now() - AN_HOUR_AGO)
    taken(files[1], timezone.now() - dt.timedelta(seconds=5))  # the worker took the next file a moment ago
    assert intake.recover([f.pk for f in files]) is False
    assert [(f.outcome, f.reason) for f in IntakeBatch.objects.get().files.all()] == [(Outcome.QUEUED, "")] * 3


def test_the_files_of_a_dead_job_go_back_to_the_queue_once_and_are_imported(world: World, task: Task) -> None:
    """The worker took the first file an hour ago and was never heard of again: the file goes back, saying so,
    with the files the job never reached; the new job imports them."""
    files = waiting_batch(world, task)
    taken(files[0], timezone.now() - AN_HOUR_AGO)
    with TestCase.captureOnCommitCallbacks() as queued:
        assert intake.recover([f.pk for f in files]) is True
    again = list(IntakeBatch.objects.get().files.all())
    assert [(f.outcome, f.claimed_at, f.reason) for f in again] == [
        (Outcome.QUEUED, None, intake.RETRIED),
        (Outcome.QUEUED, None, ""),
        (Outcome.QUEUED, None, ""),
    ]
    assert len(queued) == 1  # one job for the three
    with TestCase.captureOnCommitCallbacks(execute=True):
        queued[0]()
    done = [(f.outcome, f.reason) for f in IntakeBatch.objects.get().files.all()]
    assert done[:2] == [(Outcome.IMPORTED, ""), (Outcome.IMPORTED, "")]
    assert ImportedSource.objects.count() == 2


def test_a_file_that_outlived_two_workers_is_refused(world: World, task: Task) -> None:
    files = waiting_batch(world, task)
    taken(files[0], timezone.now() - AN_HOUR_AGO, intake.RETRIED)
    with TestCase.captureOnCommitCallbacks() as queued:
        assert intake.recover([f.pk for f in files]) is True
    first = IntakeFile.objects.get(pk=files[0].pk)
    assert (first.outcome, first.reason) == (Outcome.REFUSED, intake.GAVE_UP)
    assert first.reason == (
        "后台处理进程两次在处理这个文件时中断（文件可能使读取程序崩溃），未导入；请检查文件后单独导入，或联系系统管理员查看日志"
    )
    assert len(queued) == 1  # the other two, which no worker had taken, go back


def test_a_file_imported_just_before_its_worker_died_is_recorded_not_imported_again(world: World, task: Task) -> None:
    """The import was committed, but the worker died before it wrote the file's outcome."""
    files = waiting_batch(world, task)
    with TestCase.captureOnCommitCallbacks(execute=True):
        intake.process(files[0].pk)
    imported = IntakeFile.objects.get(pk=files[0].pk)
    assert imported.outcome == Outcome.IMPORTED
    source = imported.source
    # as the worker left it: the file taken an hour ago, its outcome never written
    IntakeFile.objects.filter(pk=imported.pk).update(
        outcome=Outcome.QUEUED, reason="", record=None, source=None, processed_at=None, content=SCIENCE
    )
    ImportedSource.objects.filter(pk=source.pk).update(imported_at=timezone.now() - AN_HOUR_AGO / 2)
    taken(files[0], timezone.now() - AN_HOUR_AGO)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert intake.recover([f.pk for f in files]) is True
    again = IntakeFile.objects.get(pk=files[0].pk)
    assert (again.outcome, again.source, again.record, again.content) == (
        Outcome.IMPORTED,
        source,
        source.record,
        None,
    )
    assert ImportedSource.objects.filter(sha256=source.sha256).count() == 1
    assert source.record.revision == 2
