"""Shared fixtures of the web tests: an organisation tree, one person per role per place, stored evaluations.

The tree has two finance bureaus so that every role can be placed in *another branch* than a record::

    F1 测试市财政局                      F2 另一市财政局
    ├── DA 甲主管部门                    └── DC 丙主管部门
    │   ├── A1 甲一单位                      └── C1 丙一单位
    │   └── A2 甲二单位
    └── DB 乙主管部门
        └── B1 乙一单位

Each 预算单位 has a 填报人 and a 单位负责人, each 主管部门 a 审核人, each 财政局 a 绩效管理员; the user for
``(role, place)`` is ``world.user(Role.FILLER, "A1")``. Records are made the way the application makes them:
a core ``Evaluation`` (``tests.conftest.make``) through ``services.create``, then moved along the lifecycle by
the people whose job each step is.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jixiao.core.model import Evaluation
from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from tests.conftest import BASE, make
from tests.web.overview_fixtures import PATHS, opened_as

#: place → (name, kind, parent place)
TREE: dict[str, tuple[str, str, str | None]] = {
    "F1": ("测试市财政局", OrganisationKind.FINANCE, None),
    "DA": ("甲主管部门", OrganisationKind.DEPARTMENT, "F1"),
    "A1": ("甲一单位", OrganisationKind.UNIT, "DA"),
    "A2": ("甲二单位", OrganisationKind.UNIT, "DA"),
    "DB": ("乙主管部门", OrganisationKind.DEPARTMENT, "F1"),
    "B1": ("乙一单位", OrganisationKind.UNIT, "DB"),
    "F2": ("另一市财政局", OrganisationKind.FINANCE, None),
    "DC": ("丙主管部门", OrganisationKind.DEPARTMENT, "F2"),
    "C1": ("丙一单位", OrganisationKind.UNIT, "DC"),
}

#: the roles held at each kind of place
ROLES_AT: dict[str, tuple[str, ...]] = {
    OrganisationKind.UNIT: (Role.FILLER, Role.UNIT_HEAD),
    OrganisationKind.DEPARTMENT: (Role.DEPARTMENT_REVIEWER,),
    OrganisationKind.FINANCE: (Role.FINANCE_ADMIN,),
}

#: the four working roles, in lifecycle order
WORKING_ROLES: tuple[str, ...] = (Role.FILLER, Role.UNIT_HEAD, Role.DEPARTMENT_REVIEWER, Role.FINANCE_ADMIN)

#: the actions that bring a new draft to each status


@dataclass
class World:
    orgs: dict[str, Organisation]
    users: dict[tuple[str, str], Any] = field(default_factory=dict)
    sysadmin: Any = None

    def org(self, place: str) -> Organisation:
        return self.orgs[place]

    def user(self, role: str, place: str) -> Any:
        return self.users[(role, place)]

    def place_of(self, org: Organisation) -> str:
        return next(p for p, o in self.orgs.items() if o.pk == org.pk)

    def chain(self, unit_place: str) -> tuple[str, str, str]:
        """(unit, its 主管部门, its 财政局) places."""
        department = TREE[unit_place][2]
        assert department is not None
        finance = TREE[department][2]
        assert finance is not None
        return unit_place, department, finance

    def actor(self, action: str, unit_place: str) -> Any:
        """The person whose job ``action`` is for a record of ``unit_place``."""
        unit, department, finance = self.chain(unit_place)
        if action == Action.SUBMIT:
            return self.user(Role.FILLER, unit)
        if action == Action.APPROVE:
            return self.user(Role.DEPARTMENT_REVIEWER, department)
        if action == Action.RETURN:
            return self.user(Role.DEPARTMENT_REVIEWER, department)
        return self.user(Role.FINANCE_ADMIN, finance)


@pytest.fixture
def world(db: None) -> World:
    orgs: dict[str, Organisation] = {}
    for place, (name, kind, parent) in TREE.items():
        orgs[place] = Organisation.objects.create(name=name, kind=kind, parent=orgs[parent] if parent else None)
    w = World(orgs)
    user_model = get_user_model()
    for place, (name, kind, _) in TREE.items():
        for role in ROLES_AT[kind]:
            # no password: tests sign in with force_login, and hashing would only make them slow
            user = user_model.objects.create_user(
                username=f"{role}@{place}", first_name=f"{Role(role).label}（{name}）"
            )
            Membership.objects.create(user=user, organisation=orgs[place], role=role)
            w.users[(role, place)] = user
    w.sysadmin = user_model.objects.create_user(username="sysadmin", first_name="系统管理员")
    Membership.objects.create(user=w.sysadmin, organisation=orgs["F1"], role=Role.SYSTEM_ADMIN)
    return w


def evaluation_for(unit: Organisation, name: str, year: int = 2022, **changes: Any) -> Evaluation:
    """The shared base evaluation (``tests.conftest.BASE``) renamed and placed in ``unit``."""
    project = {**copy.deepcopy(BASE["project"]), "name": name, "year": year, "unit": unit.name}
    project["department"] = unit.parent.name if unit.parent else None
    return make(project=project, **changes)


@pytest.fixture
def record_factory(world: World) -> Callable[..., EvaluationRecord]:
    """``record_factory(place="A1", status=..., name=..., year=2022, edits=0)`` → a stored EvaluationRecord.

    ``edits`` extra saves (each changing 资金 executed_wan) are made by the 填报人 before any lifecycle step,
    so that version 1 differs from the current document.
    """
    counter = iter(range(1, 10_000))

    def factory(
        place: str = "A1",
        status: str = Status.DRAFT,
        name: str | None = None,
        year: int = 2022,
        edits: int = 0,
        review_score: Decimal = Decimal("85"),
    ) -> EvaluationRecord:
        unit = world.org(place)
        name = name or f"{unit.name}专项{next(counter)}"
        filler = world.user(Role.FILLER, place)
        opened = opened_as(status)
        record = services.create(unit, evaluation_for(unit, name, year), filler, status=opened)
        for i in range(edits if opened == Status.DRAFT else 0):  # a 待填报 record cannot be saved before it is started
            funds = copy.deepcopy(BASE["funds"])
            funds[0]["executed_wan"] = 90 - i
            record = services.save(record.pk, evaluation_for(unit, name, year, funds=funds), filler, record.revision)
        for action in PATHS[status]:
            comment = "请补充佐证材料" if action == Action.RETURN else ""
            score = review_score if action == Action.REVIEW else None
            # the submit gate has its own tests (test_submit_gate.py); fixtures only need the status
            services.move(record.pk, action, world.actor(action, place), comment, score, gate=False)
        record.refresh_from_db()
        assert record.status == status
        return record

    return factory


def login(client: Client, user: Any) -> Client:
    """Sign ``user`` in on ``client`` (no password needed) and return the client."""
    client.force_login(user)
    return client


def client_for(user: Any | None) -> Client:
    """A fresh client signed in as ``user`` (anonymous for None)."""
    client = Client()
    return login(client, user) if user is not None else client


@pytest.fixture(scope="session", autouse=True)
def _end_lingering_sessions(django_db_setup: None, django_db_blocker: Any) -> Any:
    """Live-server and threaded tests leave a PostgreSQL session open in another thread, and the test
    database cannot be dropped while it lives: end them before the teardown drops it."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def every_status(record_factory: Any) -> dict[str, EvaluationRecord]:
    """One evaluation of unit A1 in each status, each with two versions (so restoring version 1 would change it)."""
    return {status: record_factory("A1", status, edits=1) for status in Status.values}
