"""Web benchmark: N synthetic evaluations loaded, list and overview p95 under 20 concurrent clients, save + rescore.

Run with ``python -m bench.web`` (SQLite in a temporary folder) or with DATABASE_URL set (PostgreSQL).
Sizes from the environment: BENCH_WEB_RECORDS (50000), BENCH_WEB_CLIENTS (20), BENCH_WEB_REQUESTS (per client, 25).
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: how the benchmarks run the web server: as docs/deploy.md advises (sync workers, one request each; BENCH_GUNICORN
#: overrides, e.g. "--workers 3 --threads 4")
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN", "--workers 3").split()


def gunicorn(port: int) -> subprocess.Popen[bytes]:
    """gunicorn serving the configured database on ``port``, with persistent database connections as in production
    (DJANGO_CONN_MAX_AGE=60); returned once it accepts connections."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("DJANGO_CONN_MAX_AGE", "60")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *GUNICORN_ARGS, "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "jixiao.web.wsgi:application"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn 未能启动")


def setup_django(data_dir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    os.environ["JIXIAO_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()


def load(n: int) -> dict[str, object]:
    """Organisations, accounts and ``n`` evaluations computed by the real engine, inserted in batches."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from jixiao.core.model import Evaluation
    from jixiao.web.evaluations import services
    from jixiao.web.evaluations.choices import Status
    from jixiao.web.evaluations.models import EvaluationRecord, EvaluationVersion, StoredFinding
    from jixiao.web.organisations.models import Membership, Organisation, OrganisationKind, Role

    from .synthetic import evaluation

    call_command("migrate", verbosity=0)
    finance = Organisation.objects.create(name="基准财政局", kind=OrganisationKind.FINANCE)
    departments = [
        Organisation.objects.create(name=f"基准部门{i}", kind=OrganisationKind.DEPARTMENT, parent=finance)
        for i in range(50)
    ]
    units = Organisation.objects.bulk_create(
        Organisation(name=f"基准单位{i}", kind=OrganisationKind.UNIT, parent=departments[i % 50]) for i in range(1000)
    )
    units = list(
        Organisation.objects.filter(kind=OrganisationKind.UNIT).select_related("parent__parent").order_by("pk")
    )
    user_model = get_user_model()
    accounts = {}
    for name, org, role in (
        ("bench-finance", finance, Role.FINANCE_ADMIN),
        ("bench-department", departments[0], Role.DEPARTMENT_REVIEWER),
        ("bench-filler", units[0], Role.FILLER),
    ):
        user = user_model.objects.create_user(name, password="bench-password-1")
        Membership.objects.create(user=user, organisation=org, role=role)
        accounts[name] = user

    statuses = [s for s, _ in Status.choices]
    rng = random.Random(7)
    t0 = time.perf_counter()
    batch = 1000
    for start in range(0, n, batch):
        records, results = [], []
        for i in range(start, min(n, start + batch)):
            record = EvaluationRecord(status=rng.choice(statuses))
            record.place(units[i % len(units)])
            results.append(services._apply(record, Evaluation.model_validate(evaluation(i))))
            records.append(record)
        with transaction.atomic():
            EvaluationRecord.objects.bulk_create(records)
            StoredFinding.objects.bulk_create(
                StoredFinding(
                    record=r, code=f.id, severity=f.severity.value, message=f.message, location=f.location or ""
                )
                for r, res in zip(records, results, strict=True)
                for f in res.findings
            )
            EvaluationVersion.objects.bulk_create(
                EvaluationVersion(record=r, number=1, document=r.document, summary="基准数据", author_name="基准")
                for r in records
            )
    return {"accounts": accounts, "load_s": time.perf_counter() - t0}


def session_cookie(user: object) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def hammer(port: int, cookie: str, paths: list[str], clients: int, per_client: int) -> tuple[list[float], int]:
    """``clients`` threads each sending ``per_client`` GETs: the latencies (a request that times out after 60 s
    counts as 60 s) and how many timed out."""
    latencies: list[float] = []
    failures: list[str] = []
    timeouts = 0
    lock = threading.Lock()

    def worker(seed: int) -> None:
        nonlocal timeouts
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(per_client):
            path = rng.choice(paths)
            t0 = time.perf_counter()
            try:
                conn.request("GET", urllib.parse.quote(path, safe="/?=&"), headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
            except TimeoutError:
                with lock:
                    latencies.append(time.perf_counter() - t0)
                    timeouts += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    failures.append(f"{path} → {response.status}")
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=1800)
    if failures:
        raise SystemExit(f"失败的请求：{failures[:5]}")
    return latencies, timeouts


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> None:
    records = int(os.environ.get("BENCH_WEB_RECORDS", "50000"))
    clients = int(os.environ.get("BENCH_WEB_CLIENTS", "20"))
    per_client = int(os.environ.get("BENCH_WEB_REQUESTS", "25"))
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp))
        from django.db import connection

        engine = connection.vendor
        loaded = load(records)
        accounts = loaded["accounts"]
        print(f"[{engine}] loaded {records} evaluations (scored by the engine) in {loaded['load_s']:.1f} s")

        port = _free_port()
        server = gunicorn(port)
        try:
            list_paths = [
                "/evaluations/",
                "/evaluations/?page=7",
                "/evaluations/?status=submitted",
                "/evaluations/?grade=良",
                "/evaluations/?year=2022&finding=S008",
                "/evaluations/?q=合成项目12",
            ]
            overview_paths = [
                "/evaluations/overview/",
                "/evaluations/overview/?status=published",
                "/evaluations/overview/?grade=优",
            ]
            public_paths = ["/", "/?page=3"]
            for label, user, paths in (
                ("list (财政)", accounts["bench-finance"], list_paths),
                ("overview (财政)", accounts["bench-finance"], overview_paths),
                ("list (主管部门)", accounts["bench-department"], list_paths),
                ("public list", None, public_paths),
            ):
                cookie = session_cookie(user) if user else ""
                cold = [hammer(port, cookie, [path], 1, 1)[0][0] for path in paths]  # first hit of each: cache misses
                print(f"[{engine}] {label}: cold (first request of each path) max {max(cold) * 1000:.0f} ms")
                lat, _ = hammer(port, cookie, paths, clients, per_client)
                print(
                    f"[{engine}] {label}: {len(lat)} requests, {clients} clients, p50 "
                    f"{statistics.median(lat) * 1000:.0f} ms, p95 {p95(lat) * 1000:.0f} ms (target ≤ 200 ms)"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)

        from jixiao.core.model import Evaluation
        from jixiao.web.evaluations import services
        from jixiao.web.evaluations.choices import Status
        from jixiao.web.evaluations.models import EvaluationRecord

        record = EvaluationRecord.objects.filter(status=Status.DRAFT).first()
        assert record is not None
        times = []
        for i in range(30):
            doc = Evaluation.model_validate(record.document)
            leaf = doc.indicators[0].children[0].children[0]
            changed = leaf.model_copy(update={"actual": f"{100 + i}个"})
            doc.indicators[0].children[0].children[0] = changed
            t0 = time.perf_counter()
            record = services.save(record.pk, doc, accounts["bench-filler"], record.revision, "基准：修改实际完成值")
            times.append(time.perf_counter() - t0)
        print(
            f"[{engine}] save one indicator + rescore + version: median {statistics.median(times) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms (target ≤ 100 ms)"
        )


if __name__ == "__main__":
    main()
