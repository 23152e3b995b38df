"""Organisations, people and stored evaluations for the overview and disclosure tests.

Records are made the way the application makes them: a core ``Evaluation`` through ``services.create``,
then walked along the lifecycle with ``services.move``. Import the fixtures into a test module with
``from tests.web.overview_fixtures import *`` (``__all__`` lists the fixtures and helpers).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from tests.conftest import BASE, make

__all__ = ["PATHS", "PROFILES", "Orgs", "build", "clone", "login", "opened_as", "orgs", "people"]

#: the actions that bring a new record to each status (a 待填报 one is opened so, as a 自评任务 does; the others
#: are opened as drafts)
PATHS: dict[str, tuple[str, ...]] = {
    Status.PENDING: (),
    Status.DRAFT: (),
    Status.SUBMITTED: (Action.SUBMIT,),
    Status.RETURNED: (Action.SUBMIT, Action.RETURN),
    Status.DEPARTMENT_APPROVED: (Action.SUBMIT, Action.APPROVE),
    Status.FINANCE_REVIEWED: (Action.SUBMIT, Action.APPROVE, Action.REVIEW),
    Status.PUBLISHED: (Action.SUBMIT, Action.APPROVE, Action.REVIEW, Action.PUBLISH),
}


def opened_as(status: str) -> str:
    """The status a record reaching ``status`` is created in."""
    return Status.PENDING if status == Status.PENDING else Status.DRAFT


#: profile → (科普活动场次 actual, 答题人数 actual, 公民科学素质 actual, executed 万元); the computed score and grade
#: the engine gives each (checked in test_overview.py), and whether it has error-level findings
PROFILES: dict[str, tuple[str, str, str, float]] = {
    "excellent": ("110场", "5500人", "达成年度指标", 98),  # 99.80 优, no findings
    "good": ("50场", "5500人", "达成年度指标", 98),  # 84.80 良, errors
    "fair": ("50场", "5500人", "未达成", 98),  # 72.80 中, errors
    "pass": ("50场", "2000人", "未达成", 98),  # 60.80 中, errors
    "poor": ("50场", "2000人", "未达成", 60),  # 57.00 差, errors
}


@dataclass
class Orgs:
    finance: Organisation
    department: Organisation  # 主管部门 with units a and b
    unit_a: Organisation
    unit_b: Organisation
    other_department: Organisation  # another 主管部门 with unit c
    unit_c: Organisation


@pytest.fixture
def orgs(db: None) -> Orgs:
    def org(name: str, kind: str, parent: Organisation | None = None) -> Organisation:
        return Organisation.objects.create(name=name, kind=kind, parent=parent)

    finance = org("测试市财政局", OrganisationKind.FINANCE)
    department = org("测试市科学技术协会", OrganisationKind.DEPARTMENT, finance)
    other = org("测试市教育局", OrganisationKind.DEPARTMENT, finance)
    return Orgs(
        finance=finance,
        department=department,
        unit_a=org("测试市科协机关", OrganisationKind.UNIT, department),
        unit_b=org("测试市科技馆", OrganisationKind.UNIT, department),
        other_department=other,
        unit_c=org("测试市第一中学", OrganisationKind.UNIT, other),
    )


@pytest.fixture
def people(orgs: Orgs) -> dict[str, Any]:
    """One account per role: caizheng (财政, all units), shenhe (科协 units), tianbao (填报人, unit a), xitong."""
    user_model = get_user_model()

    def person(username: str, organisation: Organisation, role: str) -> Any:
        # no password: the tests sign in with force_login, and hashing would only make them slow
        user = user_model.objects.create_user(username=username)
        Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    return {
        "caizheng": person("caizheng", orgs.finance, Role.FINANCE_ADMIN),
        "shenhe": person("shenhe", orgs.department, Role.DEPARTMENT_REVIEWER),
        "tianbao": person("tianbao", orgs.unit_a, Role.FILLER),
        "xitong": person("xitong", orgs.finance, Role.SYSTEM_ADMIN),
        "fuzeren": person("fuzeren", orgs.unit_a, Role.UNIT_HEAD),
    }


def build(
    unit: Organisation,
    name: str,
    *,
    status: str = Status.DRAFT,
    profile: str = "excellent",
    year: int = 2022,
    review_score: Decimal | str | None = None,
    claimed: Decimal | str | None = None,
) -> EvaluationRecord:
    """A stored evaluation of ``unit`` named ``name``, brought to ``status`` through the lifecycle."""
    first, second, third, executed = PROFILES[profile]
    indicators = copy.deepcopy(BASE["indicators"])
    indicators[0]["children"][0]["children"][0]["actual"] = first
    indicators[0]["children"][0]["children"][1]["actual"] = second
    indicators[1]["children"][0]["children"][0]["actual"] = third
    funds = copy.deepcopy(BASE["funds"])
    funds[0]["executed_wan"] = executed
    changes: dict[str, Any] = {
        "project": {
            "name": name,
            "year": year,
            "department": unit.parent.name if unit.parent else None,
            "unit": unit.name,
        },
        "indicators": indicators,
        "funds": funds,
    }
    if claimed is not None:
        changes["claims"] = {"total_score": str(claimed)}
    record = services.create(unit, make(**changes), None, status=opened_as(status))
    for action in PATHS[status]:
        score = None
        if action == Action.REVIEW:
            score = Decimal(str(review_score)) if review_score is not None else record.computed_score
        services.move(record.pk, action, None, "测试意见" if action == Action.RETURN else "", score, gate=False)
    record.refresh_from_db()
    assert record.status == status
    return record


def clone(record: EvaluationRecord, count: int, **changes: Any) -> list[EvaluationRecord]:
    """``count`` stored copies of ``record`` (named "<name> 副本 i"), inserted in one query, for volume tests."""
    fields = [
        f.name for f in EvaluationRecord._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")
    ]
    copies = []
    for i in range(count):
        values = {name: getattr(record, name) for name in fields}
        values.update(project_name=f"{record.project_name} 副本 {i:05d}", **changes)
        copies.append(EvaluationRecord(**values))
    return EvaluationRecord.objects.bulk_create(copies, batch_size=500)


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client
