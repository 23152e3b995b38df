"""The permission matrix, generated from the URL configuration.

Every URL pattern of the site is found by walking ``get_resolver()`` and must be classified in ``CLASSIFIED``
below; an unclassified pattern fails ``test_every_url_is_classified``, so a new view cannot slip past the
matrix. Then, per kind of view:

* object views (with ``pk``): people of every working role placed in *another branch* of the tree than the
  record are refused (403/404) on GET and POST, in every status, for every value of the other URL parts
  (``pairs``), and nothing changes in the database (``test_permissions_outsiders.py``: a module of its own,
  the largest part of the matrix, so that parallel workers share the matrix evenly);
* inside the tree, each role can take exactly its own lifecycle steps (and edit only its own drafts);
* list-like views never show another branch's records, and POSTs to them change nothing there;
* anonymous visitors are sent to the login page (or get 404) everywhere but the public pages, and the
  public pages show only what has been published;
* every admin page sends non-staff people to the admin login.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, TextField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from jixiao.io.xlsx.selfeval_write import write_selfeval_table
from jixiao.web.evaluations import files
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord, ReportingYear
from jixiao.web.evaluations.views import PARTS
from jixiao.web.evaluations.workflow import ACTIONS, EDITABLE
from jixiao.web.organisations.models import Role
from tests.conftest import make, run
from tests.web.conftest import WORKING_ROLES, World, client_for
from tests.web.submit_fixtures import make_complete

PUBLIC = "public"  # anyone, no login; shows published evaluations only
OBJECT = "object"  # login required; one evaluation, chosen by ``pk``
LOGIN = "login"  # login required; lists, forms and overviews (no ``pk``)
TASK = "task"  # login required; one 自评任务, chosen by ``pk`` (its matrix: tests/web/test_tasks.py)
INTAKE = "intake"  # login required; a task's 批量接收 page or one batch (its matrix: tests/web/test_intake.py)
HISTORY = "history"  # login required; the 变更记录 of one object (``model`` slug + ``pk``), shown to whoever may
# see that object (its matrix: tests/web/test_changes.py)
SAMPLE = "sample"  # login required; one 抽查复核计划, chosen by ``pk`` (its matrix: tests/web/test_sampling.py)
RECTIFICATION = (
    "rectification"  # login required; one 整改事项, chosen by ``pk`` (its matrix: tests/web/test_results.py)
)
DECLARATION = (
    "declaration"  # login required; one 绩效目标申报, chosen by ``pk`` (its matrix: tests/web/test_targets.py)
)
MONITORING = "monitoring"  # login required; one 监控 round or record, chosen by ``pk`` (its matrix: tests/web/test_monitoring.py)
PUBLIC_DEPARTMENT = "public-department"  # anyone; published 部门整体自评 only (tested in tests/web/test_department.py)
DEPARTMENT = (
    "department"  # login required; one 部门整体自评, chosen by ``pk`` (its matrix: tests/web/test_department.py)
)
ADMIN = "admin"  # Django admin: staff only
AUTH = "auth"  # signing in and out

#: every URL pattern of the site (the full route, as ``resolve(url).route`` gives it) → its kind
CLASSIFIED: dict[str, str] = {
    "": PUBLIC,
    "public/<int:pk>/": PUBLIC,
    "public/<int:pk>/report.pdf": PUBLIC,
    "open-data/evaluations.csv": PUBLIC,
    "open-data/evaluations.json": PUBLIC,
    "accounts/login/": AUTH,
    "accounts/logout/": AUTH,
    "admin/login/": AUTH,
    "admin/logout/": AUTH,
    "evaluations/": LOGIN,
    "evaluations/new/": LOGIN,
    "evaluations/upload/": LOGIN,
    "evaluations/import/": LOGIN,
    "evaluations/import/confirm/": LOGIN,
    "evaluations/overdue/": LOGIN,
    "evaluations/overview/": LOGIN,
    "evaluations/<int:pk>/": OBJECT,
    "evaluations/<int:pk>/edit/<slug:part>/": OBJECT,
    "evaluations/<int:pk>/action/<slug:action>/": OBJECT,
    "evaluations/<int:pk>/explain/": OBJECT,
    "evaluations/<int:pk>/versions/": OBJECT,
    "evaluations/<int:pk>/versions/<int:number>/restore/": OBJECT,
    "evaluations/<int:pk>/delete/": OBJECT,
    "evaluations/<int:pk>/download/<slug:kind>/": OBJECT,
    "evaluations/<int:pk>/source/": OBJECT,
    "evaluations/<int:pk>/source/<int:source>/": OBJECT,
    "tasks/": LOGIN,
    "tasks/new/": LOGIN,
    "tasks/template.xlsx": LOGIN,
    "tasks/todo/": LOGIN,
    "tasks/<int:pk>/": TASK,
    "tasks/<int:pk>/board.xlsx": TASK,
    "tasks/<int:pk>/remind/": TASK,
    "tasks/<int:pk>/extend/": TASK,
    "tasks/<int:pk>/reopen/": TASK,
    "tasks/notices/": LOGIN,
    "changes/<slug:model>/<int:pk>/": HISTORY,
    "intake/task/<int:task>/": INTAKE,
    "intake/<int:pk>/": INTAKE,
    "intake/<int:pk>/confirm/": INTAKE,
    "intake/<int:pk>/submit/": INTAKE,
    "intake/<int:pk>/retry/": INTAKE,
    "intake/file/<int:pk>/": INTAKE,
    "sampling/": LOGIN,
    "sampling/<int:pk>/": SAMPLE,
    "sampling/<int:pk>/sample.xlsx": SAMPLE,
    # the 复核 of one evaluation: ``pk`` is the evaluation's (its own role matrix: tests/web/test_review.py)
    "review/<int:pk>/": OBJECT,
    "review/<int:pk>/sheet/": OBJECT,
    "review/<int:pk>/message/": OBJECT,
    "review/<int:pk>/evidence/": OBJECT,
    "review/<int:pk>/evidence/<int:evidence>/": OBJECT,
    "review/<int:pk>/problems/": OBJECT,
    "review/<int:pk>/problems/<int:problem>/delete/": OBJECT,
    "review/<int:pk>/finish/": OBJECT,
    "review/<int:pk>/opinion.<slug:fmt>": OBJECT,
    # 结果应用: the finance pages, one evaluation's next-year budget and 整改 (``pk`` the evaluation's), the 整改事项
    "results/": LOGIN,
    "results/budget.xlsx": LOGIN,
    "results/summary.xlsx": LOGIN,
    "results/policy/": LOGIN,
    "results/evaluations/<int:pk>/": OBJECT,
    "results/evaluations/<int:pk>/rectify/": OBJECT,
    "results/rectifications/": LOGIN,
    "results/rectifications/<int:pk>/": RECTIFICATION,
    "results/rectifications/<int:pk>/report/": RECTIFICATION,
    "results/rectifications/<int:pk>/close/": RECTIFICATION,
    "results/rectifications/<int:pk>/send-back/": RECTIFICATION,
    # 历年对比 (its role matrix: tests/web/test_trends.py)
    "trends/": LOGIN,
    "trends/execution/": LOGIN,
    "trends/scores/": LOGIN,
    "trends/gaps/": LOGIN,
    "trends/rectifications/": LOGIN,
    "trends/trends.xlsx": LOGIN,
    # 绩效目标申报与审核 (its role matrix: tests/web/test_targets.py)
    "targets/": LOGIN,
    "targets/new/": LOGIN,
    "targets/template.xlsx": LOGIN,
    "targets/<int:pk>/": DECLARATION,
    "targets/<int:pk>/edit/": DECLARATION,
    "targets/<int:pk>/submit/": DECLARATION,
    "targets/<int:pk>/department-review/": DECLARATION,
    "targets/<int:pk>/finance-review/": DECLARATION,
    "targets/<int:pk>/adjust/": DECLARATION,
    "targets/<int:pk>/start-evaluation/": DECLARATION,
    "targets/<int:pk>/declaration.xlsx": DECLARATION,
    # 运行监控 (its role matrix: tests/web/test_monitoring.py)
    "monitoring/": LOGIN,
    "monitoring/new/": LOGIN,
    "monitoring/board/": LOGIN,
    "monitoring/round/<int:pk>/": MONITORING,
    "monitoring/round/<int:pk>/add-late/": MONITORING,
    "monitoring/<int:pk>/": MONITORING,
    "monitoring/<int:pk>/return/": MONITORING,
    "monitoring/<int:pk>/table.xlsx": MONITORING,
    "monitoring/<int:pk>/report.<slug:fmt>": MONITORING,
    # 部门整体自评 (its role matrix: tests/web/test_department.py)
    "department/": LOGIN,
    "department/new/": LOGIN,
    "department/<int:pk>/": DEPARTMENT,
    "department/<int:pk>/save/": DEPARTMENT,
    "department/<int:pk>/import/": DEPARTMENT,
    "department/<int:pk>/action/<slug:action>/": DEPARTMENT,
    "department/<int:pk>/report.docx": DEPARTMENT,
    "department/<int:pk>/report.pdf": DEPARTMENT,
    "department/<int:pk>/table.xlsx": DEPARTMENT,
    # public, but of 部门整体自评 (not project records, which the PUBLIC walk below uses): only 已公开 ones are shown,
    # tested in tests/web/test_department.py
    "public/department/": PUBLIC_DEPARTMENT,
    "public/department/<int:pk>/": PUBLIC_DEPARTMENT,
    "public/department/<int:pk>/report.pdf": PUBLIC_DEPARTMENT,
}
#: everything under this prefix is the Django admin (each of its pages is still requested below)
ADMIN_PREFIX = "admin/"

# ------------------------------------------------------------------------------------------- the URL walk


@dataclass(frozen=True)
class Route:
    route: str  # e.g. "evaluations/<int:pk>/action/<slug:action>/"
    name: str  # namespaced, e.g. "evaluations:action" ("" when unnamed)
    parts: tuple[str, ...]  # the pattern strings joined into ``route``, outermost first
    params: tuple[str, ...]

    def __str__(self) -> str:
        return self.route or "/"


def _join(route: str, part: str) -> str:
    # as django.urls.resolvers.URLResolver._join_route: the second part loses its leading ^
    return route + (part[1:] if part.startswith("^") else part)


def walk(patterns: list[Any] | None = None, parts: tuple[str, ...] = (), namespace: str = "") -> Iterator[Route]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        here = (*parts, str(p.pattern))
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, here, namespace + (f"{p.namespace}:" if p.namespace else ""))
        else:
            assert isinstance(p, URLPattern)
            route = ""
            for part in here:
                route = _join(route, part)
            params: list[str] = []
            for part in here:
                params += [g for g in re.compile(_regex_of(part)).groupindex if g not in params]
            yield Route(route, f"{namespace}{p.name}" if p.name else "", here, tuple(params))


def _regex_of(part: str) -> str:
    """A route string (``<int:pk>/``) or regex part as a regex, only to read its parameter names."""
    if "(?P<" in part:
        return part
    return re.sub(r"<(?:\w+:)?(\w+)>", r"(?P<\1>[^/]+)", re.escape(part).replace(r"\<", "<").replace(r"\>", ">"))


def kind_of(route: Route) -> str | None:
    if route.route in CLASSIFIED:
        return CLASSIFIED[route.route]
    if route.route.startswith(ADMIN_PREFIX):
        return ADMIN
    return None


ROUTES: list[Route] = list(walk())
OBJECT_ROUTES = [r for r in ROUTES if kind_of(r) == OBJECT]
LOGIN_ROUTES = [r for r in ROUTES if kind_of(r) == LOGIN]
PUBLIC_ROUTES = [r for r in ROUTES if kind_of(r) == PUBLIC]
ADMIN_ROUTES = [r for r in ROUTES if kind_of(r) == ADMIN]
PROTECTED_ROUTES = [
    r
    for r in ROUTES
    if kind_of(r) in (OBJECT, LOGIN, TASK, HISTORY, INTAKE, SAMPLE, RECTIFICATION, DECLARATION, MONITORING, DEPARTMENT)
]


def url_for(route: Route, values: dict[str, Any]) -> str:
    """The path of ``route`` with its parameters filled in; checked to resolve back to the same route."""
    out = ""
    for part in route.parts:
        if "(?P<" in part:
            text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), part)
            text = text.removeprefix("^").removesuffix("$")
        else:
            text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), part)
        out += text
    path = "/" + out
    match = resolve(path)
    assert match.route == route.route, f"{path} resolves to {match.route!r}, not {route.route!r}"
    return path


#: the values tried for each URL parameter (``pk`` is always the record under test)
PARAM_VALUES: dict[str, list[Any]] = {
    "part": [*(slug for slug, _ in PARTS), "no-such-part"],
    "action": [*ACTIONS, "no-such-action"],
    "number": [1],
    "source": [1],
    "evidence": [1],
    "problem": [1],
    "fmt": ["docx", "pdf", "no-such-format"],
    "task": [1],
    "kind": list(files.ALL_DOWNLOADS),
    "model": ["evaluation", "task", "no-such-model"],
    # admin
    "object_id": [1],
    "id": [1],
    "content_type_id": [1],
    "app_label": ["organisations"],
    "url": ["no-such-page/"],
}


def urls_of(route: Route, pk: int | None = None) -> list[str]:
    missing = [p for p in route.params if p != "pk" and p not in PARAM_VALUES]
    assert not missing, f"{route}: add test values for URL parameter(s) {missing} to PARAM_VALUES"
    others = [p for p in route.params if p != "pk"]
    out = []
    for combo in itertools.product(*(PARAM_VALUES[p] for p in others)):
        values = dict(zip(others, combo, strict=True))
        if "pk" in route.params:
            values["pk"] = pk
        out.append(url_for(route, values))
    return out


def pairs(route: Route, records: dict[str, EvaluationRecord]) -> Iterator[tuple[str, EvaluationRecord, str]]:
    """(status, record, url): every status with the route's first URL, and every other URL with one status in
    turn.

    Who is refused is decided before the status or the URL's other parts (part, action, kind) are looked at,
    and a refusal that depended on one of them would show in these pairs: each value of each dimension is
    tried, and each URL meets a different status. The full product (six statuses × every URL) would multiply
    the requests for nothing more.
    """
    statuses = list(records)
    for i, status in enumerate(statuses):
        record = records[status]
        for j, url in enumerate(urls_of(route, record.pk)):
            if j == 0 or j % len(statuses) == i:
                yield status, record, url


# ----------------------------------------------------------------------------------------- the matrices

#: where each working role is placed *outside* the branch of a record of unit A1 (see tests/web/conftest.py)
OUTSIDERS: dict[str, tuple[str, ...]] = {
    Role.FILLER: ("A2", "B1", "C1"),  # the sibling unit, another department's unit, another city's unit
    Role.UNIT_HEAD: ("A2", "B1", "C1"),
    Role.DEPARTMENT_REVIEWER: ("DB", "DC"),  # another department, another city's department
    Role.FINANCE_ADMIN: ("F2",),  # a second finance bureau
}
#: where each working role sits *inside* the branch of a record of unit A1
INSIDERS: dict[str, str] = {
    Role.FILLER: "A1",
    Role.UNIT_HEAD: "A1",
    Role.DEPARTMENT_REVIEWER: "DA",
    Role.FINANCE_ADMIN: "F1",
}

#: (action, status it starts from) → the roles that may take it. Written out by hand from 财预〔2020〕10号's
#: division of labour, not derived from the code under test.
ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    (Action.START, Status.PENDING): frozenset({Role.FILLER, Role.UNIT_HEAD}),
    (Action.SUBMIT, Status.DRAFT): frozenset({Role.FILLER, Role.UNIT_HEAD}),
    (Action.SUBMIT, Status.RETURNED): frozenset({Role.FILLER, Role.UNIT_HEAD}),
    (Action.APPROVE, Status.SUBMITTED): frozenset({Role.DEPARTMENT_REVIEWER}),
    (Action.RETURN, Status.SUBMITTED): frozenset({Role.DEPARTMENT_REVIEWER}),
    (Action.RETURN, Status.DEPARTMENT_APPROVED): frozenset({Role.FINANCE_ADMIN}),
    (Action.REVIEW, Status.DEPARTMENT_APPROVED): frozenset({Role.FINANCE_ADMIN}),
    (Action.REVIEW, Status.FINANCE_REVIEWED): frozenset({Role.FINANCE_ADMIN}),
    (Action.PUBLISH, Status.FINANCE_REVIEWED): frozenset({Role.FINANCE_ADMIN}),
}
TARGET: dict[str, str] = {
    Action.START: Status.DRAFT,
    Action.SUBMIT: Status.SUBMITTED,
    Action.APPROVE: Status.DEPARTMENT_APPROVED,
    Action.RETURN: Status.RETURNED,
    Action.REVIEW: Status.FINANCE_REVIEWED,
    Action.PUBLISH: Status.PUBLISHED,
}
#: who may change the document (edit, restore a version, delete): the unit's own people, on drafts
EDITORS = frozenset({Role.FILLER, Role.UNIT_HEAD})

#: what a POST carries: everything any view could want, so a refusal is never just a missing field
POST_DATA = {
    "comment": "越权操作的意见",
    "review_score": "88",
    "name": "越权新建",
    "year": "2022",
    "confirm": "yes",
    "key": "S010@claims.total_score",
    "explanation": "越权写的说明",
}


def snapshot(unit_id: int) -> list[tuple[Any, ...]]:
    """Everything a state change of the unit's evaluations would touch (the document compared as stored text)."""
    rows = (
        EvaluationRecord.all_objects.filter(unit_id=unit_id)
        .annotate(
            n_versions=Count("versions", distinct=True),
            n_transitions=Count("transitions", distinct=True),
            document_text=Cast("document", TextField()),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "status",
            "revision",
            "deleted_at",
            "review_score",
            "published_at",
            "submitted_at",
            "document_text",
            "n_versions",
            "n_transitions",
        )
    )
    return list(rows)


def refused_get(response: HttpResponse) -> bool:
    if response.status_code in (403, 404):
        return True
    # a POST-only view answers GET with 405 before it looks at the record: that tells nobody anything
    return response.status_code == 405 and "GET" not in response.get("Allow", "")


def test_every_url_is_classified() -> None:
    unclassified = [str(r) for r in ROUTES if kind_of(r) is None]
    assert not unclassified, (
        "URL patterns missing from the permission matrix (tests/web/test_permissions.py CLASSIFIED): "
        + ", ".join(unclassified)
    )
    stale = set(CLASSIFIED) - {r.route for r in ROUTES}
    assert not stale, f"CLASSIFIED names patterns that no longer exist: {sorted(stale)}"
    for r in ROUTES:
        if kind_of(r) == OBJECT:
            assert "pk" in r.params, f"{r}: an object view must take the record as ``pk``"
        if kind_of(r) == LOGIN:
            assert "pk" not in r.params, f"{r} takes a ``pk``: classify it as an object view"
    assert len(OBJECT_ROUTES) >= 7 and LOGIN_ROUTES and PUBLIC_ROUTES and ADMIN_ROUTES


@pytest.mark.parametrize("role", WORKING_ROLES)
def test_insiders_take_exactly_their_lifecycle_actions(role: str, world: World, record_factory: Any) -> None:
    client = client_for(world.user(role, INSIDERS[role]))
    for status in Status.values:
        record = None  # a refused action leaves the record as it was, so the next action may try the same one
        for action in ACTIONS:
            if record is None:
                record = record_factory("A1", status)
                if status in EDITABLE:  # so that only the role, not a gap in the report, decides a submission
                    record = make_complete(record, world.user(Role.FILLER, "A1"))
            allowed = role in ALLOWED.get((action, status), frozenset())
            before = snapshot(record.unit_id)
            response = client.post(
                f"/evaluations/{record.pk}/action/{action}/",
                {"comment": "意见", "review_score": "88", "confirm": "yes"},
            )
            record.refresh_from_db()
            where = f"{role} {action} on {status}"
            if allowed:
                assert response.status_code == 302, where
                assert response["Location"] == f"/evaluations/{record.pk}/", where
                assert record.status == TARGET[action], where
                last = record.transitions.order_by("-pk").first()
                assert last is not None and last.actor == world.user(role, INSIDERS[role]), where
                assert (last.action, last.from_status, last.to_status) == (action, status, TARGET[action]), where
                record = None
            else:
                # a role that takes this step from another status is told the record has moved on (409); one that
                # never takes it is refused (403)
                elsewhere = any(role in ALLOWED.get((action, other), frozenset()) for other in Status.values)
                assert response.status_code == (409 if elsewhere else 403), f"{where}: {response.status_code}"
                assert snapshot(record.unit_id) == before, where


@pytest.mark.parametrize("role", WORKING_ROLES)
def test_insiders_see_everything_and_are_offered_only_their_actions(
    role: str, world: World, every_status: dict[str, EvaluationRecord]
) -> None:
    client = client_for(world.user(role, INSIDERS[role]))
    for status, record in every_status.items():
        response = client.get(f"/evaluations/{record.pk}/")
        assert response.status_code == 200
        offered = set(response.context["actions"])
        expected = {a for a in ACTIONS if role in ALLOWED.get((a, status), frozenset())}
        assert offered == expected, f"{role} on {status}: offered {offered}, expected {expected}"
        assert response.context["can_edit"] == (role in EDITORS and status in EDITABLE)
        assert client.get(f"/evaluations/{record.pk}/versions/").status_code == 200


@pytest.mark.parametrize("role", WORKING_ROLES)
def test_insiders_edit_only_their_own_drafts(role: str, world: World, record_factory: Any) -> None:
    client = client_for(world.user(role, INSIDERS[role]))
    for status in Status.values:
        may_edit = role in EDITORS and status in EDITABLE
        refused = 409 if role in EDITORS else 403  # an editor meets a status that moved on; the others, their role
        where = f"{role} on {status}"

        record = record_factory("A1", status, edits=1)
        before = snapshot(record.unit_id)
        for part, _ in PARTS:
            response = client.get(f"/evaluations/{record.pk}/edit/{part}/")
            assert response.status_code == (200 if may_edit else refused), f"{where}, edit {part}"
            if not may_edit:
                response = client.post(f"/evaluations/{record.pk}/edit/{part}/", {"revision": record.revision})
                assert response.status_code == refused, f"{where}, edit {part}"
        assert snapshot(record.unit_id) == before, f"{where}: a refused edit changed the record"

        versions = record.versions.count()
        response = client.post(f"/evaluations/{record.pk}/versions/1/restore/", {"revision": record.revision})
        record.refresh_from_db()
        if may_edit:
            assert response.status_code == 302 and record.versions.count() == versions + 1, where
        else:
            assert response.status_code == refused and record.versions.count() == versions, where

        response = client.post(f"/evaluations/{record.pk}/delete/")
        record = EvaluationRecord.all_objects.get(pk=record.pk)
        if may_edit:
            assert response.status_code == 302 and record.deleted_at is not None, where
        else:
            assert response.status_code == refused and record.deleted_at is None, where


# ------------------------------------------------------------------------------------------ list views


@pytest.fixture
def selfeval_xlsx(tmp_path: Any) -> bytes:
    """A valid 附1 自评表, so an upload is refused for who sends it, not for what it contains."""
    return write_selfeval_table(run(make()), tmp_path / "自评表.xlsx").read_bytes()


@pytest.mark.parametrize("role", WORKING_ROLES)
def test_list_views_hide_other_branches(
    role: str, world: World, every_status: dict[str, EvaluationRecord], selfeval_xlsx: bytes
) -> None:
    ReportingYear.objects.create(year=2022, deadline=dt.date(2023, 4, 20))  # the A1 drafts are overdue
    unit = world.org("A1")
    names = [r.project_name for r in every_status.values()]
    records = list(every_status.values())
    before = snapshot(unit.pk)
    for r, route in enumerate(LOGIN_ROUTES):
        (url,) = urls_of(route)
        for k, place in enumerate(OUTSIDERS[role]):
            client = client_for(world.user(role, place))
            for query in ("", f"?unit={unit.name}", "?q=甲一", "?status=draft&year=2022"):
                response = client.get(url + query)
                assert response.status_code in (200, 403, 405), f"GET {url}{query} as {role}@{place}"
                body = b"".join(response.streaming_content) if response.streaming else response.content
                text = body.decode(errors="replace")
                leaked = [n for n in names if n in text]
                assert not leaked, f"GET {url}{query} as {role}@{place} shows {leaked}"
            # a POST naming one record, its status taken in turn (``pairs`` explains why not all of them)
            record = records[(r + k) % len(records)]
            upload = SimpleUploadedFile("自评表.xlsx", selfeval_xlsx)
            data = {**POST_DATA, "unit": unit.pk, "record": record.pk, "revision": record.revision, "file": upload}
            client.post(url, data)
            assert snapshot(unit.pk) == before, f"POSTs to {url} as {role}@{place} changed A1's evaluations"


def test_insiders_see_their_records_in_the_list(world: World, every_status: dict[str, EvaluationRecord]) -> None:
    """The other half of the list check: the people of the branch do see the records."""
    for role, place in INSIDERS.items():
        text = client_for(world.user(role, place)).get("/evaluations/").content.decode()
        assert all(r.project_name in text for r in every_status.values()), role


# ------------------------------------------------------------------------------- anonymous and public


def test_anonymous_is_sent_to_login(every_status: dict[str, EvaluationRecord]) -> None:
    client = client_for(None)
    unit_id = every_status[Status.DRAFT].unit_id
    before = snapshot(unit_id)
    for route in PROTECTED_ROUTES:
        if "pk" in route.params:
            tried = [url for _, _, url in pairs(route, every_status)]
        else:
            tried = urls_of(route)
        for url in tried:
            for method in ("get", "post"):
                response = getattr(client, method)(url, POST_DATA if method == "post" else None)
                if response.status_code == 302:
                    assert response["Location"].startswith("/accounts/login/?next="), f"{method} {url}"
                else:
                    assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"
        assert snapshot(unit_id) == before, f"anonymous requests to {route} changed a record"


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_public_views_show_only_published(route: Route, every_status: dict[str, EvaluationRecord]) -> None:
    client = client_for(None)
    published = every_status[Status.PUBLISHED]
    hidden = [r for s, r in every_status.items() if s != Status.PUBLISHED]
    unit_id = published.unit_id
    if "pk" in route.params:
        for record in hidden:
            for url in urls_of(route, record.pk):
                assert client.get(url).status_code == 404, url
                before = snapshot(unit_id)
                assert client.post(url, POST_DATA).status_code in (403, 404, 405), url
                assert snapshot(unit_id) == before, url
        if not route.route.endswith(".pdf"):  # the PDF needs LibreOffice: the report tests cover it
            for url in urls_of(route, published.pk):
                response = client.get(url)
                assert response.status_code == 200 and published.project_name in response.content.decode(), url
        return
    (url,) = urls_of(route)
    for query in ("", "?year=2022", "?q=甲一"):
        response = client.get(url + query)
        assert response.status_code == 200, url + query
        text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
        assert published.project_name in text, f"{url}{query} does not show the published evaluation"
        leaked = [r.project_name for r in hidden if r.project_name in text]
        assert not leaked, f"{url}{query} shows unpublished evaluations {leaked}"
    before = snapshot(unit_id)
    client.post(url, POST_DATA)
    assert snapshot(unit_id) == before


# ---------------------------------------------------------------------------------------------- admin


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=str)
def test_admin_is_staff_only(route: Route, world: World) -> None:
    (url,) = urls_of(route)
    people = [None, *(world.user(role, place) for role, place in INSIDERS.items())]
    for person in people:
        response = client_for(person).get(url)
        assert response.status_code == 302, f"GET {url} as {person}: {response.status_code}"
        assert response["Location"].startswith("/admin/login/"), f"GET {url} as {person}"


def test_admin_login_does_not_let_non_staff_in(world: World) -> None:
    client = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    response = client.get("/admin/login/")
    assert response.status_code == 200  # the form, with a note that this account may not enter
    assert client.get("/admin/").status_code == 302


AUTH_ROUTES = [r for r in ROUTES if kind_of(r) == AUTH]


def test_signing_in_and_out(world: World) -> None:
    assert {str(r) for r in AUTH_ROUTES} == {"accounts/login/", "accounts/logout/", "admin/login/", "admin/logout/"}
    anonymous = client_for(None)
    assert anonymous.get("/accounts/login/").status_code == 200
    assert anonymous.get("/admin/login/").status_code == 200
    client = client_for(world.user(Role.FILLER, "A1"))
    assert client.get("/evaluations/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405  # signing out takes a POST (CSRF-protected)
    assert client.get("/evaluations/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/evaluations/")["Location"].startswith("/accounts/login/")


def test_review_score_reaches_the_record_only_through_the_finance_admin(world: World, record_factory: Any) -> None:
    """A 主管部门 reviewer approving with a review_score in the POST does not set the 复核 score."""
    record = record_factory("A1", Status.SUBMITTED)
    client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA")).post(
        f"/evaluations/{record.pk}/action/approve/", {"review_score": "10", "confirm": "yes"}
    )
    record.refresh_from_db()
    assert record.status == Status.DEPARTMENT_APPROVED
    assert (record.review_score, record.review_grade) == (None, "")


def test_the_review_version_of_the_report_is_for_reviewers_only(world: World, record_factory: Any) -> None:
    """The unit downloads the official report; the internal review version (findings, explanations, 录入说明)
    is for the roles above it."""
    record = record_factory("A1", Status.SUBMITTED)
    review_kinds = set(files.REVIEW_DOWNLOADS)
    for role, place in INSIDERS.items():
        client = client_for(world.user(role, place))
        offered = set(client.get(f"/evaluations/{record.pk}/").context["downloads"])
        if role in (Role.FILLER, Role.UNIT_HEAD):
            assert offered == set(files.DOWNLOADS), role
            for kind in review_kinds:
                assert client.get(f"/evaluations/{record.pk}/download/{kind}/").status_code == 403, (role, kind)
        else:
            assert offered == set(files.DOWNLOADS) | review_kinds, role
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    response = reviewer.get(f"/evaluations/{record.pk}/download/review-docx/")
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith("-自评报告（审核版）.docx")
    assert b"".join(response.streaming_content)[:2] == b"PK"
