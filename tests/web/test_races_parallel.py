"""Twenty people act on one evaluation at the same moment (issue 10, "Standing tests": race tests), through a real
server (gunicorn, two worker processes of ten threads each) over real HTTP, on SQLite and on PostgreSQL.

Each client signs in as its own person of the unit and keeps doing one thing: saving the 报告正文 with the revision
its page showed, restoring version 1 from the 修改历史 page, submitting, or deleting, until the evaluation is gone
or submitted. Whatever the interleaving:

- nobody gets a server error: every answer is a page (200: the form again with 「保存被拒绝」 or 「不能修改」), a
  redirect, 404 (it was deleted) or 409 (it is no longer a draft: its status, not the person's role, refuses);
- the result is the result of one serial order of the steps that succeeded: versions numbered 1…N without a gap,
  the revision N, each version made by a step that had read revision N−1 (no save is lost or made twice), the
  stored evaluation that of the last version and its scores and findings those of that document, one 删除 or one
  提交 at most, recorded once, after every version, by a step that was told so; a submission only of a document
  that passes the submit gate; and the tallies the database keeps equal to counting the records afresh.

The SQLite test runs the server on a data folder of its own (pytest's SQLite database lives in memory, which other
processes cannot open); the PostgreSQL test (``make test``'s second pass) runs it on the test database itself.
The helpers for real servers here serve ``test_crash.py`` too.
"""

from __future__ import annotations

import atexit
import functools
import http.client
import importlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: any 32 letters and digits are a valid CSRF secret; sent as the cookie and as the form's token
CSRF = "racetestcsrfsecret0123456789abcd"

# ------------------------------------------------------------------------------------------- a site and its server


@dataclass
class Site:
    """A data folder (with its own SQLite database unless ``database_url`` names a PostgreSQL one) that commands,
    servers and workers run on, each in a process of its own."""

    data: Path
    database_url: str | None = None
    settings: str = "jixiao.web.settings"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JIXIAO_SQLITE", "DJANGO_DEBUG")}
        (self.data / "tmp").mkdir(parents=True, exist_ok=True)
        env.update(
            JIXIAO_DATA_DIR=str(self.data),
            DJANGO_SETTINGS_MODULE=self.settings,
            # where Django spools large uploads and Python makes temporary files: watched for strays
            TMPDIR=str(self.data / "tmp"),
            PYTHONPATH=os.pathsep.join([str(ROOT), str(self.data)]),
            JIXIAO_RENDER_ON_PUBLISH="0",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    @property
    def sqlite(self) -> Path:
        return self.data / "jixiao.sqlite3"

    def manage(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def call(self, function: str, *args: Any, timeout: float = 120) -> Any:
        """``function`` of this module (or ``module:function``) run in a fresh Django process on the site; its
        JSON result."""
        module, _, name = function.rpartition(":")
        code = (
            "import json, sys, django; django.setup(); import importlib; "
            f"f = getattr(importlib.import_module({module or __name__!r}), {name!r}); "
            "print('RESULT:' + json.dumps(f(*json.loads(sys.argv[1]))))"
        )
        done = subprocess.run(
            [str(BIN / "python"), "-c", code, json.dumps(args)],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        (line,) = [x for x in done.stdout.splitlines() if x.startswith("RESULT:")]
        return json.loads(line.removeprefix("RESULT:"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Process:
    """A server or worker started in a process group of its own, so that it (with its children) can be stopped,
    or killed outright, by that group's id alone."""

    def __init__(self, site: Site, argv: list[str], log: str) -> None:
        self.site, self.argv, self.log = site, argv, site.data / log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.site.env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group: no handler, no clean-up, as a crash or a power cut would leave things."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM, wait=15)

    def _signal(self, sig: int, wait: float = 15) -> None:
        if self.proc is None:
            return
        group = self.proc.pid
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.proc.wait(timeout=wait)
        # the group's other members (gunicorn's workers) end with their parent: wait until none is left running
        deadline = time.monotonic() + wait
        while _members(group) and time.monotonic() < deadline:
            time.sleep(0.02)
        self.proc = None

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:] if self.log.exists() else ""


def _members(group: int) -> list[int]:
    """The processes of a process group that have not ended (a process killed but not yet reaped does not count)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()  # after the command name, which may hold spaces
            if int(fields[2]) == group and fields[0] not in ("Z", "X"):
                out.append(int(entry.name))
    return out


class Server(Process):
    """gunicorn serving the site as in production (``docs/deploy.md``): worker processes with threads."""

    def __init__(self, site: Site, workers: int = 2, threads: int = 10) -> None:
        self.port = free_port()
        argv = [
            str(BIN / "gunicorn"),
            "jixiao.web.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
        ]
        super().__init__(site, argv, "server.log")

    def start(self) -> None:
        super().start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.running(), self.output()
            try:
                if Browser(self.port).get("/accounts/login/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError("gunicorn did not answer:\n" + self.output())


# ------------------------------------------------------------------------------------------------ a browser


@dataclass
class Reply:
    status: int
    body: str
    location: str = ""


class Browser:
    """One signed-in person's browser: a session cookie, the CSRF cookie, no redirects followed."""

    def __init__(self, port: int, session: str | None = None, timeout: float = 60) -> None:
        self.port, self.timeout = port, timeout
        self.cookies = {"csrftoken": CSRF, **({"sessionid": session} if session else {})}

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, fields: list[tuple[str, str]] | dict[str, str] | None = None) -> Reply:
        pairs = list(fields.items() if isinstance(fields, dict) else fields or [])
        if not any(name == "csrfmiddlewaretoken" for name, _ in pairs):
            pairs.append(("csrfmiddlewaretoken", CSRF))
        body = urllib.parse.urlencode(pairs).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def upload(self, path: str, fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> Reply:
        """A multipart POST: ``files`` are (field, file name, bytes)."""
        boundary = "----jixiao" + secrets.token_hex(12)
        parts: list[bytes] = []
        for name, value in {"csrfmiddlewaretoken": CSRF, **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, file_name, data in files:
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            )
            parts.append(head.encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def request(self, method: str, path: str, body: bytes | None = None, kind: str | None = None) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if kind:
            headers["Content-Type"] = kind
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            content = response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, content, response.headers.get("Location", ""))


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str) -> str:
        return next(v for k, v in self.fields if k == name)

    def replaced(self, name: str, value: str) -> list[tuple[str, str]]:
        assert any(k == name for k, _ in self.fields), name
        return [(k, value if k == name else v) for k, v in self.fields]


class _Forms(HTMLParser):
    """The forms of a page, with what a browser would send: inputs, checked boxes, text areas, chosen options."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: list[Any] | None = None  # name, first option, chosen options

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = Form(a.get("action") or "")
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields.append((a["name"] or "", a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"] or "", [])
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], None, []]
        elif tag == "option" and self._select is not None:
            value = a.get("value") or ""
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2].append(value)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, chunks = self._textarea
            text = "".join(chunks)
            self._form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, first, chosen = self._select
            for value in chosen or ([first] if first is not None else []):
                self._form.fields.append((name, value))
            self._select = None


def forms_of(page: str) -> list[Form]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def form_to(page: str, action: str) -> Form:
    """The form of ``page`` that posts to ``action`` (a path; a form without an action posts to the page)."""
    (form,) = [f for f in forms_of(page) if f.action == action]
    return form


# ------------------------------------------------------------------------- in the site's own Django processes


def sessions_for(users: list[Any]) -> list[str]:
    """A signed-in session for each user (as the sign-in page would make it)."""
    from django.test import Client

    out = []
    for user in users:
        client = Client()
        client.force_login(user)
        out.append(client.cookies["sessionid"].value)
    return out


def build_tree() -> dict[str, Any]:
    """The organisation tree of ``tests.web.conftest`` (TREE) with its one person per role and place."""
    from django.contrib.auth import get_user_model

    from jixiao.web.organisations.models import Membership, Organisation, Role
    from tests.web.conftest import ROLES_AT, TREE

    orgs: dict[str, Any] = {}
    people: dict[str, Any] = {}
    for place, (name, kind, parent) in TREE.items():
        orgs[place] = Organisation.objects.create(name=name, kind=kind, parent=orgs[parent] if parent else None)
        for role in ROLES_AT[kind]:
            user = get_user_model().objects.create_user(
                username=f"{role}@{place}", first_name=f"{Role(role).label}（{name}）"
            )
            Membership.objects.create(user=user, organisation=orgs[place], role=role)
            people[f"{role}@{place}"] = user
    return {"orgs": orgs, "people": people}


def tally_differences() -> list[str]:
    """Where the tallies the triggers keep (``evaluations_tally``, ``evaluations_findingtally``) differ from counting
    the records afresh with the migration's own statements; empty when they agree."""
    from django.db import connection as db

    tallies = importlib.import_module("jixiao.web.evaluations.migrations.0006_tallies")
    integer = "bigint" if db.vendor == "postgresql" else "integer"
    keys = {"evaluations_tally": tallies.KEY, "evaluations_findingtally": tallies.FKEY}
    counted = {"evaluations_tally": "n", "evaluations_findingtally": "records"}
    out = []
    with db.cursor() as cursor:
        for statement in tallies.fill(integer):
            table = statement.split()[2]
            columns = statement[statement.index("(") + 1 : statement.index(")")]
            cursor.execute("SELECT " + statement.split(" SELECT ", 1)[1])
            fresh = {tuple(_plain(v) for v in row) for row in cursor.fetchall()}
            cursor.execute(f"SELECT {columns} FROM {table} WHERE {counted[table]} <> 0")
            kept = {tuple(_plain(v) for v in row) for row in cursor.fetchall()}
            if table == "evaluations_findingtally":  # two statements fill it, one per level
                level = statement.split("SELECT ", 1)[1].split(",", 1)[0].strip("'")
                kept = {row for row in kept if row[0] == level}
            out += [f"{table} 多出 {row}" for row in sorted(kept - fresh, key=str)]
            out += [f"{table} 缺少 {row}" for row in sorted(fresh - kept, key=str)]
            # a row the count fell to zero may stay, but then all its figures are zero too
            cursor.execute(f"SELECT * FROM {table} WHERE {counted[table]} = 0")
            for row in cursor.fetchall():
                if any(_plain(v) not in (0, None) for v in row[len(keys[table].split(",")) :]):
                    out.append(f"{table} 计数为 0 的行有非零数字 {row}")
    return out


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, int | float) or type(value).__name__ == "Decimal" else value


def record_problems(record: Any) -> list[str]:
    """What is wrong with one stored evaluation: versions not 1…revision, a document not its last version's, scores
    or findings not those of its document, a history that does not start with 新建."""
    from jixiao.core.values import quantize
    from jixiao.web.evaluations import services
    from jixiao.web.evaluations.choices import Action

    out = []
    numbers = list(record.versions.order_by("number").values_list("number", flat=True))
    if numbers != list(range(1, record.revision + 1)):
        out.append(f"评价 {record.pk}：修订号 {record.revision}，版本 {numbers}")
    last = record.versions.order_by("-number").first()
    if last is None or last.document != record.document:
        out.append(f"评价 {record.pk}：保存的内容不是最后一个版本的内容")
    result = services.result_of(record)
    total = None if result.total.value is None else quantize(result.total.value)
    if record.computed_score != total or record.computed_grade != (result.grade or ""):
        out.append(f"评价 {record.pk}：计算得分 {record.computed_score} 与重新计算的 {total} 不同")
    stored = sorted(record.findings.values_list("code", "severity"))
    if stored != sorted((f.id, f.severity.value) for f in result.findings):
        out.append(f"评价 {record.pk}：保存的检查发现与重新计算的不同")
    if record.error_count != sum(1 for s in stored if s[1] == "error"):
        out.append(f"评价 {record.pk}：错误数与检查发现不符")
    actions = list(record.transitions.order_by("pk").values_list("action", flat=True))
    if actions[:1] != [Action.CREATE]:
        out.append(f"评价 {record.pk}：流转记录不以“新建”开始：{actions}")
    if (record.deleted_at is not None) != (Action.DELETE in actions[-1:]) and record.task_id is None:
        out.append(f"评价 {record.pk}：删除时间与流转记录不符：{actions}")
    return out


# ------------------------------------------------------------------------------------------------- the race

N_CLIENTS = 20
#: what each of the twenty does (saves and restores outnumber the two steps that end the race)
PLAN = ["save"] * 8 + ["restore"] * 6 + ["submit"] * 3 + ["delete"] * 3
NAME = "并发测试项目"


def prepare_race() -> dict[str, Any]:
    """In the site: the tree, twenty people of 甲一单位 (填报人 and 单位负责人 in turn), and the evaluation they race
    on: version 1 complete (it passes the submit gate), version 2 with 90 万元 spent (three errors: the gate is
    closed until someone restores version 1). A few other evaluations stand beside it in the tallies."""
    import copy

    from django.contrib.auth import get_user_model

    from jixiao.web.evaluations import services
    from jixiao.web.organisations.models import Membership, Role
    from tests.conftest import BASE
    from tests.web.submit_fixtures import complete_evaluation

    tree = build_tree()
    unit = tree["orgs"]["A1"]
    users = []
    for n in range(N_CLIENTS):
        role = Role.FILLER if n % 2 == 0 else Role.UNIT_HEAD
        user = get_user_model().objects.create_user(username=f"client{n:02d}", first_name=f"客户{n:02d}")
        Membership.objects.create(user=user, organisation=unit, role=role)
        users.append(user)
    filler = tree["people"]["filler@A1"]
    record = services.create(unit, complete_evaluation(unit, NAME), filler)
    funds = copy.deepcopy(BASE["funds"])
    funds[0]["executed_wan"] = 90
    record = services.save(record.pk, complete_evaluation(unit, NAME, funds=funds), filler, record.revision)
    for place, name in (("A1", "旁边的项目"), ("A2", "甲二单位的项目"), ("B1", "乙一单位的项目")):
        services.create(tree["orgs"][place], complete_evaluation(tree["orgs"][place], name), None)
    return {"record": record.pk, "users": [u.pk for u in users], "sessions": sessions_for(users)}


def race_facts(record_id: int) -> dict[str, Any]:
    """In the site: what became of the evaluation, for the test to judge."""
    from jixiao.web.evaluations import services
    from jixiao.web.evaluations.models import EvaluationRecord
    from jixiao.web.evaluations.submit_gate import gate_of

    record = EvaluationRecord.all_objects.get(pk=record_id)
    versions = [
        {
            "number": v.number,
            "author": v.author_id,
            "summary": v.summary,
            "conclusion": v.document["narrative"].get("conclusion"),
            "executed": str(v.document["funds"][0]["executed_wan"]),
            "at": v.created_at.timestamp(),
        }
        for v in record.versions.order_by("number")
    ]
    transitions = [
        {
            "action": t.action,
            "from": t.from_status,
            "to": t.to_status,
            "actor": t.actor_id,
            "at": t.created_at.timestamp(),
        }
        for t in record.transitions.order_by("pk")
    ]
    everyone = EvaluationRecord.all_objects.all()
    return {
        "revision": record.revision,
        "status": record.status,
        "deleted": record.deleted_at is not None,
        "submitted_at": record.submitted_at is not None,
        "versions": versions,
        "transitions": transitions,
        "gate_open": not gate_of(services.result_of(record)).blocked,
        "problems": [p for r in everyone for p in record_problems(r)] + tally_differences(),
    }


@dataclass
class Attempt:
    client: int
    op: str
    status: int
    outcome: str  # what the answer said
    read: int | None = None  # the revision the client's page showed
    marker: str = ""  # the 自评结论 a save wrote


def classify(reply: Reply) -> str:
    if reply.status == 302:
        return "redirect"
    if reply.status == 200 and "保存被拒绝：本评价已被他人修改" in reply.body:
        return "stale"
    if reply.status == 200 and "不能修改" in reply.body:
        return "not editable"
    if reply.status == 200 and "这份评价已被删除（可能是他人刚刚删除的），操作未执行" in reply.body:
        return "gone"  # deleted between the page's check and the save: the form says so
    return str(reply.status)


WRITERS = PLAN.count("save") + PLAN.count("restore")
ENDERS = N_CLIENTS - WRITERS
#: the submits and deletes wait until the writers have had this many answers (some rounds of saving)
ENDGAME_AFTER = 2 * WRITERS


class Gates:
    """Where the clients wait for each other: the saves and restores of the first round post at one moment (all of
    them having read the same revision); the submits and deletes, after some rounds of saving, at another."""

    def __init__(self) -> None:
        self.writers = threading.Barrier(WRITERS)
        self.enders = threading.Barrier(ENDERS)
        self._changed = threading.Condition()
        self._answers = self._stopped = 0

    def answered(self) -> None:
        with self._changed:
            self._answers += 1
            self._changed.notify_all()

    def stopped(self) -> None:
        with self._changed:
            self._stopped += 1
            self._changed.notify_all()

    def endgame(self) -> None:
        """Wait until the writers have had :data:`ENDGAME_AFTER` answers between them, or all have stopped."""
        with self._changed:
            self._changed.wait_for(lambda: self._answers >= ENDGAME_AFTER or self._stopped == WRITERS, timeout=60)
        together(self.enders)


def together(barrier: threading.Barrier) -> None:
    try:
        barrier.wait(timeout=60)
    except threading.BrokenBarrierError:  # someone left early (the evaluation was gone): go on alone
        pass


def run_client(n: int, op: str, browser: Browser, pk: int, gates: Gates, log: list[Attempt]) -> None:
    rng = random.Random(n)
    if op in ("submit", "delete"):
        gates.endgame()  # the steps that end the race come after some rounds of saving
    for round_ in range(6 if op in ("submit", "delete") else 8):
        read, marker, fields = None, "", None
        if op == "save":
            url = f"/evaluations/{pk}/edit/narrative/"
            page = browser.get(url)
            if page.status == 200:
                form = form_to(page.body, "")
                read = int(form.value("revision"))
                marker = f"客户{n:02d}第{round_ + 1}次修改：项目完成年度绩效目标。"
                fields = form.replaced("narrative-conclusion", marker)
        elif op == "restore":
            url = f"/evaluations/{pk}/versions/1/restore/"
            page = browser.get(f"/evaluations/{pk}/versions/")
            forms = [f for f in forms_of(page.body) if f.action == url] if page.status == 200 else []
            if forms:  # (a page without 「恢复此版本」: the evaluation is no longer a draft)
                read, fields = int(forms[0].value("revision")), forms[0].fields
        elif op == "submit":
            url, fields = f"/evaluations/{pk}/action/submit/", [("confirm", "yes")]
        else:
            url, fields = f"/evaluations/{pk}/delete/", []
        if fields is None:
            log.append(Attempt(n, "read", page.status, str(page.status) if page.status != 200 else "no restore"))
            if round_ == 0:
                gates.writers.abort()
            return
        if round_ == 0 and op in ("save", "restore"):
            together(gates.writers)
        reply = browser.post(url, fields)
        log.append(Attempt(n, op, reply.status, classify(reply), read, marker))
        if op in ("save", "restore"):
            gates.answered()
        if reply.status in (404, 409) or classify(reply) in ("not editable", "gone"):
            return  # the evaluation is gone, or no longer a draft
        if op == "delete" and reply.status == 302:
            return
        time.sleep(rng.uniform(0, 0.1 if op != "submit" else 0.3))


def race(site: Site) -> None:
    prepared = site.call("prepare_race")
    pk, users, sessions = prepared["record"], prepared["users"], prepared["sessions"]
    server = Server(site)
    server.start()
    log: list[Attempt] = []
    errors: list[BaseException] = []
    gates = Gates()

    def client(n: int) -> None:
        try:
            run_client(n, PLAN[n], Browser(server.port, sessions[n]), pk, gates, log)
        except BaseException as exc:  # a dropped connection is a failure too
            errors.append(exc)
        finally:
            if PLAN[n] in ("save", "restore"):
                gates.stopped()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(N_CLIENTS)]
    began = time.monotonic()
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        server.stop()
    took = time.monotonic() - began
    facts = site.call("race_facts", pk)
    statuses = Counter(a.status for a in log)
    print(f"{N_CLIENTS} clients, {len(log)} requests in {took:.1f} s: {dict(sorted(statuses.items()))}")
    print("outcomes:", dict(Counter((a.op, a.outcome) for a in log)))
    print("ended by:", [t["action"] for t in facts["transitions"]][1:], "versions:", len(facts["versions"]))
    assert not errors, errors
    assert not [a for a in log if a.status >= 500], server.output()
    assert set(statuses) <= {200, 302, 404, 409}, statuses
    assert {a.outcome for a in log} <= {"redirect", "stale", "not editable", "gone", "no restore", "404", "409"}
    judge(facts, log, users)
    if site.database_url is None:
        with sqlite3.connect(site.sqlite) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def judge(facts: dict[str, Any], log: list[Attempt], users: list[int]) -> None:
    """The final state is that of one serial order of the steps that succeeded."""
    client_of = {user: n for n, user in enumerate(users)}
    assert facts["problems"] == []
    versions, transitions = facts["versions"], facts["transitions"]
    # versions 1…N without a gap; the revision is N
    assert [v["number"] for v in versions] == list(range(1, len(versions) + 1))
    assert facts["revision"] == len(versions)
    first = versions[0]
    later = versions[2:]

    # every save told 「已保存」 is one version, made right after the revision its page showed; no refused one is
    saved = {a.marker: a for a in log if a.op == "save" and a.outcome == "redirect"}
    made = [v for v in later if v["summary"] == "编辑报告正文"]
    saves = {v["conclusion"]: v for v in made}
    assert len(saves) == len(made) and set(saves) == set(saved)
    for marker, v in saves.items():
        attempt = saved[marker]
        assert (v["number"], v["author"]) == (attempt.read + 1, users[attempt.client])
    # every restore made by a restoring client that read the revision before it, and holding version 1 again
    restores = [v for v in later if v["summary"] == "恢复为第 1 版"]
    for v in restores:
        n = client_of[v["author"]]
        assert PLAN[n] == "restore"
        assert any(a.client == n and a.status == 302 and a.read == v["number"] - 1 for a in log if a.op == "restore")
        assert (v["conclusion"], v["executed"]) == (first["conclusion"], first["executed"])
    assert len(saves) + len(restores) == len(later), "a version nobody made"
    for n in set(a.client for a in log if a.op == "restore"):
        replied = sum(1 for a in log if a.client == n and a.op == "restore" and a.status == 302)
        assert sum(1 for v in restores if v["author"] == users[n]) <= replied

    # at most one step ended the race, recorded once, after every version, by the one who was told so
    actions = [t["action"] for t in transitions]
    assert actions[0] == "create" and actions[1:] in ([], ["submit"], ["delete"]), actions
    deleted_by = [a.client for a in log if a.op == "delete" and a.status == 302]
    if actions[1:]:
        end = transitions[1]
        assert all(v["at"] < end["at"] for v in versions)
        assert PLAN[client_of[end["actor"]]] == end["action"]
    if actions[1:] == ["delete"]:
        assert facts["deleted"] and facts["status"] == "draft" and end["from"] == "draft"
        assert deleted_by == [client_of[end["actor"]]]
    elif actions[1:] == ["submit"]:
        assert not facts["deleted"] and facts["status"] == "submitted" and facts["submitted_at"]
        assert facts["gate_open"], "a document the submit gate stops was submitted"
        assert deleted_by == []
    else:
        assert not facts["deleted"] and facts["status"] == "draft" and deleted_by == []
    # each refusal names the step that won: deleted (404, or the form saying so), or no longer a draft (409,
    # the form's 「不能修改」, the history page without 「恢复此版本」)
    said = {a.outcome for a in log}
    if said & {"404", "gone"}:
        assert actions[1:] == ["delete"], said
    if said & {"409", "not editable", "no restore"}:
        assert actions[1:] == ["submit"], said


@functools.cache
def migrated_database() -> Path:
    """A migrated SQLite database file, made once per test process (migrating takes seconds) and copied by each test
    that wants one; removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="jixiao-migrated-"))
    atexit.register(shutil.rmtree, folder, True)
    site = Site(folder)
    site.manage("migrate", "--noinput", "-v0")
    return site.sqlite


@pytest.fixture
def migrated() -> Path:
    return migrated_database()


@pytest.fixture
def folder() -> Iterator[Path]:
    """A data folder for a site's processes, at a short path: multiprocessing's forkserver, which reads uploaded files
    (``jixiao.io.audit.bounded``), makes its socket in the processes' temporary folder, and the path of a socket may
    not be longer than 107 bytes (pytest's ``tmp_path`` under xdist can be)."""
    path = Path(tempfile.mkdtemp(prefix="jixiao-site-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def sqlite_site(folder: Path, migrated: Path, settings: str = "jixiao.web.settings") -> Site:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated, folder / "jixiao.sqlite3")
    return Site(folder, settings=settings)


def postgresql_site(folder: Path) -> Site:
    """The test database pytest-django made, for processes of their own (the test must be transactional)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "") + "@" if s["USER"] else ""
    port = f":{s['PORT']}" if s["PORT"] else ""
    return Site(folder, database_url=f"postgres://{auth}{s['HOST']}{port}/{s['NAME']}")


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite in a data folder of its own")
def test_twenty_clients_race_on_one_evaluation_on_sqlite(folder: Path, migrated: Path) -> None:
    race(sqlite_site(folder, migrated))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: make test's second pass runs it")
def test_twenty_clients_race_on_one_evaluation_on_postgresql(folder: Path) -> None:
    race(postgresql_site(folder))
