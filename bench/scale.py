"""Province-scale benchmark (issue 9 §6): five years of a province, four pages under 20 readers, with and without
two clients saving evaluations continuously.

Data: 1 财政局, BENCH_SCALE_DEPARTMENTS (100) 主管部门, BENCH_SCALE_UNITS (5,000) 预算单位, BENCH_SCALE_RECORDS
evaluations (500,000 on PostgreSQL, 100,000 on SQLite) over BENCH_SCALE_YEARS (5) years; the latest year's records
are one 自评任务 (100,000 projects on PostgreSQL), part way through (待填报, 草稿, 已提交 … in a realistic mix).
A few hundred distinct synthetic evaluations are scored by the real engine (``bench/synthetic.py``) and copied by
the database itself (INSERT … SELECT), with each copy's name, unit and year, its findings, one version and one
transition, so loading takes minutes, not hours.

Pages (each hammered in turn by BENCH_SCALE_CLIENTS (20) threads × BENCH_SCALE_REQUESTS (25) requests, paths drawn
from several filters and pages): the unit list (a 填报人), the 主管部门 list (a 审核人), the task's progress board
(财政) and the overview (财政). First without writers, then while BENCH_SCALE_WRITERS (2) processes each save
evaluations through the edit page (GET the form, POST it changed: validation, rescoring, findings, version), each
one save a second (BENCH_SCALE_WRITE_INTERVAL, 1 s; 0 saves back to back), as two people at work would; every
save changes the data the pages show, so no cache of a page's figures outlives it.

Run with ``python -m bench.scale`` (SQLite in a temporary folder) or with DATABASE_URL set (PostgreSQL; see
``scripts/bench-postgres.sh bench.scale``). BENCH_SCALE_REUSE=1 measures a database loaded by an earlier run
(BENCH_SCALE_DIR keeps the SQLite folder) instead of loading again.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import http.client
import json
import multiprocessing
import os
import random
import statistics
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from .web import _free_port, gunicorn, hammer, p95, session_cookie, setup_django

FINANCE_NAME = "基准省财政厅"
WORDS = [
    "教育发展", "医疗卫生", "农业生产", "水利建设", "交通运输", "科学普及", "文化旅游", "生态环境", "社会保障", "乡村振兴",
    "城市管理", "公共安全", "就业促进", "养老服务", "体育健身", "粮食储备", "林业保护", "住房保障", "市场监管", "应急管理",
]  # fmt: skip


def _sizes(vendor: str) -> dict[str, int]:
    years = int(os.environ.get("BENCH_SCALE_YEARS", "5"))
    records = int(os.environ.get("BENCH_SCALE_RECORDS", "500000" if vendor == "postgresql" else "100000"))
    return {
        "records": records - records % years,
        "years": years,
        "departments": int(os.environ.get("BENCH_SCALE_DEPARTMENTS", "100")),
        "units": int(os.environ.get("BENCH_SCALE_UNITS", "5000")),
        "templates": int(os.environ.get("BENCH_SCALE_TEMPLATES", "60")),  # distinct scored evaluations per year
        "pending_templates": 20,
    }


# ---------------------------------------------------------------------------------------------------------- loading


def _templates(sizes: dict[str, int], first_year: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Rows of distinct evaluations scored by the real engine, and of their findings, numbered ``t``."""
    from jixiao.core.model import Evaluation
    from jixiao.io.catalogue import load_framework
    from jixiao.web.evaluations import services
    from jixiao.web.evaluations.models import EvaluationRecord

    from .synthetic import evaluation

    rows: list[tuple[Any, ...]] = []
    findings: list[tuple[Any, ...]] = []

    def add(t: int, data: dict[str, Any]) -> None:
        record = EvaluationRecord()
        result = services._apply(record, Evaluation.model_validate(data))
        rows.append(
            (
                t, record.budget_wan, record.arrival_rate, record.execution_rate, record.claimed_score,
                record.claimed_grade, record.computed_score, record.computed_grade, record.max_attainable,
                record.error_count, record.warning_count, json.dumps(record.document, ensure_ascii=False),
            )
        )  # fmt: skip
        findings.extend((t, f.id, f.severity.value, f.message, f.location or "") for f in result.findings)

    k = sizes["templates"]
    for y in range(sizes["years"]):
        year = first_year + y
        for j in range(k):
            data = evaluation(y * 1000 + j)
            data["project"]["year"] = year
            for fund in data["funds"]:
                for arrival in fund["arrivals"]:
                    arrival["date"] = f"{year}-05-10"
            add(y * k + j, data)
    skeleton = [i.model_dump(mode="json") for i in load_framework("mof-selfeval").skeleton()]
    latest = first_year + sizes["years"] - 1
    for j in range(sizes["pending_templates"]):  # as a 自评任务 opens them: name, budget and goal from the list
        budget = 100 + 37 * j
        data = {
            "project": {"name": f"待填报项目{j}", "year": latest, "unit": "单位", "department": "部门"},
            "framework": "mof-selfeval",
            "indicators": skeleton,
            "funds": [{"source": "current", "initial_budget_wan": budget, "annual_budget_wan": budget}],
            "goals": [{"kind": "overall", "expected": "按期完成年度任务"}],
        }
        add(sizes["years"] * k + j, data)
    return rows, findings


class _Editor:
    """What a migration's RunPython function uses of its schema editor."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection


def _tally_migration() -> Any:
    """The evaluations migration that builds the tallies and their triggers (None before it existed)."""
    import importlib

    try:
        return importlib.import_module("jixiao.web.evaluations.migrations.0006_tallies")
    except ModuleNotFoundError:
        return None


def load(sizes: dict[str, int]) -> dict[str, Any]:
    """The organisations, accounts, the task and ``sizes["records"]`` evaluations, copied from scored templates."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from jixiao.web.organisations.models import Membership, Organisation, OrganisationKind, Role
    from jixiao.web.tasks.models import DeadlineExtension, Task

    pg = connection.vendor == "postgresql"
    n, years, n_units, n_depts = sizes["records"], sizes["years"], sizes["units"], sizes["departments"]
    today = timezone.localdate()
    first_year = today.year - years  # the latest year is last year: its evaluations are due this year
    latest = first_year + years - 1
    per_year = n // years
    k, pending_base, n_pending = sizes["templates"], years * sizes["templates"], sizes["pending_templates"]
    steps: dict[str, float] = {}
    t_all = time.perf_counter()

    def step(name: str, t0: float) -> None:
        steps[name] = time.perf_counter() - t0
        print(f"  {name}: {steps[name]:.1f} s", flush=True)

    t0 = time.perf_counter()
    finance = Organisation.objects.create(name=FINANCE_NAME, kind=OrganisationKind.FINANCE)
    departments = Organisation.objects.bulk_create(
        Organisation(name=f"基准主管部门{d}", kind=OrganisationKind.DEPARTMENT, parent=finance) for d in range(n_depts)
    )
    units = Organisation.objects.bulk_create(
        (
            Organisation(name=f"基准单位{u}", kind=OrganisationKind.UNIT, parent=departments[u % n_depts])
            for u in range(n_units)
        ),
        batch_size=1000,
    )
    d0, u0 = departments[0].pk, units[0].pk
    assert [d.pk for d in departments] == list(range(d0, d0 + n_depts)), "主管部门编号不连续"
    assert [u.pk for u in units] == list(range(u0, u0 + n_units)), "单位编号不连续"

    user_model = get_user_model()
    accounts: dict[str, Any] = {}

    def account(name: str, places: list[tuple[Organisation, str]]) -> None:
        user = user_model.objects.create_user(name, password="bench-password-1")
        Membership.objects.bulk_create(Membership(user=user, organisation=o, role=r) for o, r in places)
        accounts[name] = user

    account("scale-finance", [(finance, Role.FINANCE_ADMIN)])
    account("scale-department", [(departments[0], Role.DEPARTMENT_REVIEWER)])
    account("scale-unit", [(units[0], Role.FILLER)])
    # the writers edit drafts of ten units each, all under the reader's 主管部门 (the first of them is the reader's unit)
    writer_units = [[units[(w * 10 + i) * n_depts % n_units] for i in range(10)] for w in range(2)]
    for w, places in enumerate(writer_units):
        account(f"scale-writer{w}", [(u, Role.FILLER) for u in places])

    task = Task.objects.create(
        owner=finance,
        year=latest,
        name=f"{latest}年度项目支出绩效自评",
        unit_deadline=today - dt.timedelta(days=10),
        department_deadline=today + dt.timedelta(days=20),
        finance_deadline=today + dt.timedelta(days=40),
        source_name="项目清单.xlsx",
    )
    DeadlineExtension.objects.bulk_create(
        DeadlineExtension(
            task=task, unit=units[u * 97 % n_units], deadline=today + dt.timedelta(days=u % 30 - 5),
            reason="基准：单位申请延期", granted_by_name="基准",
        )
        for u in range(50)
    )  # fmt: skip
    step("组织、账号、任务", t0)

    t0 = time.perf_counter()
    rows, findings = _templates(sizes, first_year)
    step(f"用引擎评分 {len(rows)} 份不同的评价", t0)

    jsontype = "jsonb" if pg else "TEXT"
    tallies = _tally_migration()
    with transaction.atomic(), connection.cursor() as cur:
        t0 = time.perf_counter()
        if tallies is not None:  # kept per row by triggers; for a bulk load, built afterwards as the migration does
            tallies.backwards(None, _Editor(connection))
        for table in ("bench_template", "bench_template_finding", "bench_plan", "bench_word"):
            cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(
            "CREATE TABLE bench_template (t INTEGER PRIMARY KEY, budget_wan NUMERIC, arrival_rate NUMERIC, "
            "execution_rate NUMERIC, claimed_score NUMERIC, claimed_grade VARCHAR(10), computed_score NUMERIC, "
            f"computed_grade VARCHAR(2), max_attainable NUMERIC, error_count INTEGER, warning_count INTEGER, "
            f"document {jsontype})"
        )
        cur.execute(
            "CREATE TABLE bench_template_finding (t INTEGER, code VARCHAR(4), severity VARCHAR(10), message TEXT, "
            "location VARCHAR(300))"
        )
        cur.execute(
            "CREATE TABLE bench_plan (i INTEGER PRIMARY KEY, k INTEGER, y INTEGER, h INTEGER, t INTEGER, "
            "status VARCHAR(30))"
        )
        cur.execute("CREATE TABLE bench_word (w INTEGER PRIMARY KEY, word VARCHAR(20))")
        doc = "%s::jsonb" if pg else "%s"
        cur.executemany(f"INSERT INTO bench_template VALUES ({', '.join(['%s'] * 11)}, {doc})", rows)
        cur.executemany("INSERT INTO bench_template_finding VALUES (%s, %s, %s, %s, %s)", findings)
        cur.executemany("INSERT INTO bench_word VALUES (%s, %s)", list(enumerate(WORDS)))

        # the plan: record i is the k-th of year y; h is a pseudo-random percentile that picks its status
        series = (
            f"(SELECT s.i AS i FROM generate_series(0, {n - 1}) AS s(i)) AS s"
            if pg
            else f"(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {n - 1}) SELECT i FROM s) AS s"
        )
        cur.execute(
            f"INSERT INTO bench_plan (i, k, y, h) SELECT s.i, s.i % {per_year}, s.i / {per_year}, "
            f"((s.i % {per_year}) / {n_units} * 37 + (s.i % {per_year}) * 13 + s.i / {per_year} * 11) % 100 FROM {series}"
        )
        cur.execute(
            f"UPDATE bench_plan SET status = CASE WHEN y = {years - 1} THEN "
            "(CASE WHEN h < 30 THEN 'pending' WHEN h < 55 THEN 'draft' WHEN h < 75 THEN 'submitted' "
            "WHEN h < 80 THEN 'returned' WHEN h < 92 THEN 'department_approved' WHEN h < 97 THEN 'finance_reviewed' "
            "ELSE 'published' END) "
            "ELSE (CASE WHEN h < 85 THEN 'published' WHEN h < 95 THEN 'finance_reviewed' "
            "ELSE 'department_approved' END) END"
        )
        cur.execute(
            f"UPDATE bench_plan SET t = CASE WHEN status = 'pending' THEN {pending_base} + k % {n_pending} "
            f"ELSE y * {k} + (k / 3) % {k} END"
        )
        step("生成计划", t0)

        t0 = time.perf_counter()
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        name = "w.word || '项目' || CAST(p.k AS TEXT)"
        code = "'P' || lpad(CAST(p.k AS TEXT), 7, '0')" if pg else "printf('P%%07d', p.k)"
        if pg:
            document = (
                f"jsonb_set(jsonb_set(jsonb_set(t.document, '{{project,name}}', to_jsonb({name})), "
                "'{project,unit}', to_jsonb(o.name)), '{project,department}', to_jsonb(dep.name))"
            )
        else:
            document = f"json_set(t.document, '$.project.name', {name}, '$.project.unit', o.name, '$.project.department', dep.name)"
        reviewed = "p.status IN ('finance_reviewed', 'published')"
        cur.execute(
            "INSERT INTO evaluations_evaluationrecord (id, unit_id, department_id, finance_id, year, project_name, "
            "task_id, project_code, revision, status, budget_wan, arrival_rate, execution_rate, claimed_score, "
            "claimed_grade, computed_score, computed_grade, max_attainable, error_count, warning_count, review_score, "
            "review_grade, review_comment, created_at, updated_at, submitted_at, published_at, deleted_at, document) "
            f"SELECT p.i + 1, {u0} + p.k %% {n_units}, {d0} + (p.k %% {n_units}) %% {n_depts}, %s, {first_year} + p.y, "
            f"{name}, CASE WHEN p.y = {years - 1} THEN %s END, CASE WHEN p.y = {years - 1} THEN {code} ELSE '' END, "
            "1, p.status, t.budget_wan, t.arrival_rate, t.execution_rate, t.claimed_score, t.claimed_grade, "
            "t.computed_score, t.computed_grade, t.max_attainable, t.error_count, t.warning_count, "
            f"CASE WHEN {reviewed} AND t.computed_score >= 2 THEN t.computed_score - p.k %% 3 END, '', "
            f"CASE WHEN {reviewed} THEN '经复核，自评基本属实' ELSE '' END, %s, %s, "
            "CASE WHEN p.status IN ('pending', 'draft') THEN NULL ELSE %s END, "
            f"CASE WHEN p.status = 'published' THEN %s END, NULL, {document} "
            "FROM bench_plan p JOIN bench_template t ON t.t = p.t JOIN bench_word w ON w.w = p.k %% 20 "
            f"JOIN organisations_organisation o ON o.id = {u0} + p.k %% {n_units} "
            "JOIN organisations_organisation dep ON dep.id = o.parent_id ORDER BY p.i",
            [finance.pk, task.pk, now, now, now, now],
        )
        step(f"复制 {n} 条评价", t0)

        t0 = time.perf_counter()
        cur.execute(
            "INSERT INTO evaluations_storedfinding (record_id, code, severity, message, location) "
            "SELECT p.i + 1, f.code, f.severity, f.message, f.location FROM bench_plan p "
            "JOIN bench_template_finding f ON f.t = p.t ORDER BY p.i"
        )
        step(f"检查发现 {cur.rowcount} 条", t0)

        t0 = time.perf_counter()
        cur.execute(
            "INSERT INTO evaluations_evaluationversion (record_id, number, document, summary, author_id, author_name, "
            "created_at) SELECT id, 1, document, CASE WHEN task_id IS NULL THEN '新建' ELSE '由自评任务建立' END, "
            "NULL, '基准', created_at FROM evaluations_evaluationrecord"
        )
        cur.execute(
            "INSERT INTO evaluations_transition (record_id, action, from_status, to_status, actor_id, actor_name, "
            "comment, created_at) SELECT id, 'create', '', CASE WHEN task_id IS NULL THEN 'draft' ELSE 'pending' END, "
            "NULL, '基准', '', created_at FROM evaluations_evaluationrecord"
        )
        step("版本与流转记录", t0)
        if tallies is not None:
            t0 = time.perf_counter()
            tallies.forwards(None, _Editor(connection))
            step("计数表（如迁移 0006 在已有数据上建立）", t0)
        for table in ("bench_template", "bench_template_finding", "bench_plan", "bench_word"):
            cur.execute(f"DROP TABLE {table}")
        if pg:
            for table in ("evaluationrecord", "storedfinding", "evaluationversion", "transition"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('evaluations_{table}', 'id'), "
                    f"(SELECT max(id) FROM evaluations_{table}))"
                )
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        # what autovacuum does on a live server shortly after a bulk load (visibility map, planner statistics);
        # SQLite is left as a deployment leaves it (no ANALYZE)
        if pg:
            cur.execute("VACUUM ANALYZE")
    if pg:
        step("VACUUM ANALYZE", t0)
    steps["total"] = time.perf_counter() - t_all
    return {"load_s": steps["total"], "steps": steps}


# -------------------------------------------------------------------------------------------------------- measuring


class _FormReader(html.parser.HTMLParser):
    """The fields of the form that holds a ``revision`` input (the edit form), as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        elif self._form is None or "name" not in a:
            if tag == "option" and self._select and self._form is not None and "selected" in a:
                self._form["fields"].append((self._select, a.get("value", "")))
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self._form["fields"].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form["fields"].append((a["name"], ""))
        elif tag == "select":
            self._select = a["name"]

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            if self._textarea and self._form is not None:
                name, value = self._form["fields"][-1]
                self._form["fields"][-1] = (name, value.removeprefix("\n"))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def _writer(port: int, cookie: str, pks: list[int], stop: Any, out: Any, seed: int, interval: float) -> None:
    """Save evaluations through the edit page, one every ``interval`` seconds (back to back when 0) until ``stop``
    is set; put (saves, latencies, errors)."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    errors: list[str] = []
    csrf = ""
    n = 0
    while not stop.is_set():
        if interval and latencies:
            stop.wait(max(0.0, interval - latencies[-1]))
            if stop.is_set():
                break
        pk = rng.choice(pks)
        path = f"/evaluations/{pk}/edit/narrative/"
        headers = {"Cookie": cookie + (f"; csrftoken={csrf}" if csrf else "")}
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                csrf = value.split(";", 1)[0].split("=", 1)[1]
        reader = _FormReader()
        reader.feed(body)
        form = next((f for f in reader.forms if any(k == "revision" for k, _ in f["fields"])), None)
        if response.status != 200 or form is None:
            errors.append(f"GET {path} → {response.status}")
            continue
        n += 1
        fields = [
            (k, f"{v.strip()}（第 {n} 次修改，{seed} 号填报人）" if k == "narrative-conclusion" else v)
            for k, v in form["fields"]
        ]
        data = urllib.parse.urlencode(fields)
        conn.request(
            "POST",
            path,
            body=data,
            headers={
                "Cookie": f"{cookie}; csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}{path}",
            },
        )
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - t0)
        if response.status != 302:
            errors.append(f"POST {path} → {response.status}")
    conn.close()
    out.put((len(latencies), latencies, errors[:5]))


def pages() -> list[tuple[str, str, list[str]]]:
    """(label, account, paths) of the four pages measured."""
    from jixiao.web.organisations.models import Organisation, OrganisationKind
    from jixiao.web.tasks.models import Task

    task = Task.objects.get(owner__name=FINANCE_NAME)
    departments = list(
        Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, parent__name=FINANCE_NAME)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    year, earlier = task.year, task.year - 1
    return [
        (
            "单位列表（填报人）",
            "scale-unit",
            ["/evaluations/", "/evaluations/?page=2", f"/evaluations/?year={year}", "/evaluations/?status=draft",
             "/evaluations/?grade=良", "/evaluations/?q=教育"],
        ),
        (
            "主管部门列表（审核人）",
            "scale-department",
            ["/evaluations/", "/evaluations/?page=7", "/evaluations/?status=submitted", "/evaluations/?grade=良",
             f"/evaluations/?year={earlier}&finding=S008", "/evaluations/?q=教育", "/evaluations/?unit=基准单位1"],
        ),
        (
            "任务进度（财政）",
            "scale-finance",
            [f"/tasks/{task.pk}/", f"/tasks/{task.pk}/",
             *(f"/tasks/{task.pk}/?department={d}" for d in departments[:3])],
        ),
        (
            "汇总分析（财政）",
            "scale-finance",
            ["/evaluations/overview/", "/evaluations/overview/?status=published", "/evaluations/overview/?grade=优",
             f"/evaluations/overview/?year={earlier}", "/evaluations/overview/?page=3"],
        ),
    ]  # fmt: skip


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by the web server's processes and the database's, and stolen from this machine by
    its host (a noisy neighbour shows as steal: the latencies of such a run are not this code's)."""
    out = {"web": 0.0, "database": 0.0}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kind = "web" if b"gunicorn" in command else "database" if command.startswith(b"postgres") else None
        if kind:
            out[kind] += (int(fields[11]) + int(fields[12])) / _TICK
    with open("/proc/stat") as stat:
        out["steal"] = int(stat.readline().split()[8]) / _TICK
    return out


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} / {p95(values) * 1000:.0f} ms"


def measure(engine: str, clients: int, per_client: int, n_writers: int, interval: float) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from jixiao.web.evaluations.choices import Status
    from jixiao.web.evaluations.models import EvaluationRecord
    from jixiao.web.organisations.models import Membership

    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="scale-")}
    cookies = {name: session_cookie(user) for name, user in users.items()}
    measured = pages()
    port = _free_port()
    server = gunicorn(port)
    results: dict[str, Any] = {"pages": {}, "writers": {}}
    try:
        # steady state, not start-up: every worker process has served every page (templates compiled, connections
        # open, the database's pages in its cache) before anything is timed
        for _label, who, paths in measured:
            hammer(port, cookies[who], paths, 4, len(paths) * 5)
        for phase in ("without", "with"):
            ctx = multiprocessing.get_context("fork")
            stop, out, procs = ctx.Event(), ctx.Queue(), []
            if phase == "with":
                for w in range(n_writers):
                    name = f"scale-writer{w}"
                    units = Membership.objects.filter(user=users[name]).values_list("organisation_id", flat=True)
                    pks = list(
                        EvaluationRecord.objects.filter(unit_id__in=list(units), status=Status.DRAFT).values_list(
                            "pk", flat=True
                        )
                    )
                    proc = ctx.Process(
                        target=_writer, args=(port, cookies[name], pks, stop, out, w, interval), daemon=True
                    )
                    connection.close()  # not shared with the forked writer
                    proc.start()
                    procs.append(proc)
                time.sleep(3)
            t0 = time.perf_counter()
            for label, who, paths in measured:
                before = _cpu_seconds()
                lat, timeouts = hammer(port, cookies[who], paths, clients, per_client)
                used = {k: (v - before[k]) for k, v in _cpu_seconds().items()}
                results["pages"].setdefault(label, {})[phase] = lat
                results.setdefault("cpu", {}).setdefault(label, {})[phase] = used
                late = f"（其中 {timeouts} 个 60 秒超时，按 60 秒计）" if timeouts else ""
                per = {k: v * 1000 / len(lat) for k, v in used.items()}
                database = f"数据库 {per['database']:.1f} ms" if engine == "postgresql" else "SQLite 在网页进程内"
                print(f"[{engine}] {label}，{'有' if phase == 'with' else '无'}写入：{len(lat)} 个请求{late}，"
                      f"p50 / p95 {_ms(lat)}；每个请求 CPU：网页进程 {per['web']:.1f} ms，{database}"
                      f"（含写入者的；宿主机占去 {used['steal']:.1f} s）", flush=True)  # fmt: skip
            elapsed = time.perf_counter() - t0
            if procs:
                stop.set()
                saves: list[float] = []
                errors: list[str] = []
                for _ in procs:
                    _, lat, errs = out.get(timeout=120)
                    saves += lat
                    errors += errs
                for proc in procs:
                    proc.join(timeout=60)
                results["writers"] = {"saves": len(saves), "per_s": len(saves) / elapsed, "latencies": saves}
                print(f"[{engine}] 写入：{n_writers} 个客户端共保存 {len(saves)} 次（{len(saves) / elapsed:.1f} 次/秒），"
                      f"打开编辑页 + 保存 p50 / p95 {_ms(saves) if len(saves) > 1 else '—'}", flush=True)  # fmt: skip
                if errors:
                    raise SystemExit(f"写入失败：{errors}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    clients = int(os.environ.get("BENCH_SCALE_CLIENTS", "20"))
    per_client = int(os.environ.get("BENCH_SCALE_REQUESTS", "25"))
    n_writers = int(os.environ.get("BENCH_SCALE_WRITERS", "2"))
    interval = float(os.environ.get("BENCH_SCALE_WRITE_INTERVAL", "1"))
    reuse = os.environ.get("BENCH_SCALE_REUSE") == "1"
    keep = os.environ.get("BENCH_SCALE_DIR")
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-scale-") as tmp:
        folder = Path(keep) if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        setup_django(folder)
        from django.core.management import call_command
        from django.db import connection

        from jixiao.web.evaluations.models import EvaluationRecord
        from jixiao.web.organisations.models import Organisation

        engine = connection.vendor
        sizes = _sizes(engine)
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"[{engine}] migrate: {time.perf_counter() - t0:.1f} s", flush=True)
        if reuse and Organisation.objects.filter(name=FINANCE_NAME).exists():
            print(f"[{engine}] 沿用已载入的 {EvaluationRecord.objects.count()} 条评价", flush=True)
        else:
            print(f"[{engine}] 载入：{sizes}", flush=True)
            loaded = load(sizes)
            print(f"[{engine}] 载入 {sizes['records']} 条评价共 {loaded['load_s']:.1f} s", flush=True)
        # as the daily `manage.py refresh_statistics` would have by now (docs/deploy.md)
        from jixiao.web.planner_statistics import refresh

        t0 = time.perf_counter()
        refresh()
        print(f"[{engine}] 重新统计数据分布（ANALYZE）：{time.perf_counter() - t0:.1f} s", flush=True)
        measure(engine, clients, per_client, n_writers, interval)


if __name__ == "__main__":
    main()
