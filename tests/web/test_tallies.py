"""The counts the database keeps (migration 0006: ``evaluations_tally`` and ``evaluations_findingtally``, kept by
triggers) always equal what counting the records gives, whichever way the records are written: the services,
bulk creation, raw ``update()`` and ``delete()``, findings replaced or removed. Each page that reads the tallies
(the overview and the list's count, for a 财政局 and a 主管部门; the task board per 主管部门) is compared with the
same page counting the records directly (a unit-name filter that matches every unit makes it count them).
Tests that flush the database (live-server tests; a TRUNCATE on PostgreSQL) run before these on the same worker, so
an emptied table must leave no counts behind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from jixiao.core.model import Evaluation
from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord, StoredFinding
from tests.web.overview_fixtures import *  # noqa: F403 - orgs, people
from tests.web.overview_fixtures import Orgs, build, login
from tests.web.test_overview import dataset  # noqa: F401 - a fixture

EVERY_UNIT = "测试市"  # in every unit's name: the filter selects them all, and the page counts records


def pages(client: Client, query: str) -> dict[str, Any]:
    overview = client.get(f"/evaluations/overview/?{query}").context
    listed = client.get(f"/evaluations/?{query}").context
    return {"summary": overview["summary"], "findings": overview["findings"], "listed": listed["total"]}


def assert_agree(clients: list[Client]) -> None:
    for client in clients:
        for query in ("", "year=2022&status=draft", "grade=优"):
            kept = pages(client, query)
            counted = pages(client, f"{query}&unit={EVERY_UNIT}")
            assert kept == counted, query
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(n), 0) FROM evaluations_tally")
        ((kept_total,),) = cursor.fetchall()
    assert kept_total == EvaluationRecord.objects.count()


def executed(record: EvaluationRecord, wan: str) -> Evaluation:
    evaluation = Evaluation.model_validate(record.document)
    evaluation.funds[0].executed_wan = Decimal(wan)
    return evaluation


def test_the_kept_counts_equal_the_records_through_every_kind_of_write(
    client: Client,
    people: dict[str, Any],
    orgs: Orgs,
    dataset: dict[str, EvaluationRecord],  # noqa: F811
) -> None:
    finance, department = Client(), Client()
    login(finance, people["caizheng"])
    login(department, people["shenhe"])
    clients = [finance, department]
    assert_agree(clients)
    assert pages(finance, "")["summary"]["total"] == 10

    # a save that changes the score and the findings; lifecycle steps
    draft = dataset["a_draft"]
    services.save(draft.pk, executed(draft, "40"), None, draft.revision, "执行数改为 40 万元")
    services.move(dataset["b_draft"].pk, Action.SUBMIT, None, gate=False)
    services.move(dataset["a_submitted"].pk, Action.RETURN, None, "请补充佐证")
    assert_agree(clients)

    # soft delete and undelete
    services.soft_delete(dataset["c_draft"].pk, None)
    assert_agree(clients)
    assert pages(finance, "")["summary"]["total"] == 9
    # and leaves the list at once: no cached count or row outlives a write (issue 10 §6)
    listed = finance.get("/evaluations/")
    assert listed.context["total"] == 9 and dataset["c_draft"].project_name not in listed.content.decode()
    services.undelete(dataset["c_draft"].pk, None)
    assert_agree(clients)

    # writes that bypass the services: a raw update of the counted columns, findings removed and added, a record
    # moved to another 主管部门, a hard delete
    EvaluationRecord.objects.filter(pk=dataset["a_published"].pk).update(year=2021, computed_score=Decimal("59.50"))
    StoredFinding.objects.filter(record=dataset["a_reviewed"]).delete()
    StoredFinding.objects.bulk_create(
        StoredFinding(record=dataset["b_published"], code=code, severity="error", message="手工加入")
        for code in ("F001", "F001", "S008")
    )
    EvaluationRecord.objects.filter(pk=dataset["b_draft"].pk).update(department=orgs.other_department, unit=orgs.unit_c)
    EvaluationRecord.all_objects.filter(pk=dataset["c_published"].pk).delete()
    assert_agree(clients)

    # records created in bulk, hidden, then shown all at once (a task opened in the background)
    created = services.create_many(
        [services.NewRecord(orgs.unit_a, executed(draft, wan), f"批量{wan}") for wan in ("10", "50", "100")],
        None,
        hidden_at=timezone.now(),
    )
    assert_agree(clients)
    EvaluationRecord.all_objects.filter(pk__in=[r.pk for r in created]).update(deleted_at=None)
    assert_agree(clients)
    assert pages(finance, "")["summary"]["total"] == 12


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED])
def test_a_record_outside_any_department_is_counted_once(
    client: Client, people: dict[str, Any], orgs: Orgs, status: str
) -> None:
    # a unit placed right under the 财政局 (no 主管部门): its records count for the bureau, in no department
    from jixiao.web.organisations.models import Organisation, OrganisationKind

    direct = Organisation.objects.create(name="测试市直属单位", kind=OrganisationKind.UNIT, parent=orgs.finance)
    build(direct, "直属项目", status=status)
    finance = login(client, people["caizheng"])
    assert pages(finance, "")["summary"]["total"] == 1
    assert pages(finance, "") == pages(finance, f"unit={EVERY_UNIT}")


def test_a_trigger_lost_to_a_table_rebuild_is_restored_after_migrate(
    people: dict[str, Any],
    dataset: dict[str, EvaluationRecord],  # noqa: F811
) -> None:
    """On SQLite a later migration that rebuilds the records' table drops its triggers, and the counts would silently
    stop following the records; after ``migrate`` they are found missing and the counts are built again."""
    from jixiao.web.evaluations import tallies

    name = tallies.KEPT.triggers[connection.vendor][0]
    with connection.cursor() as cursor:
        table = "" if connection.vendor == "sqlite" else " ON evaluations_evaluationrecord"
        cursor.execute(f"DROP TRIGGER {name}{table}")
    assert tallies.KEPT.missing(connection) == [name]
    services.soft_delete(dataset["c_draft"].pk, None)  # not counted: no trigger
    tallies.restore_triggers()  # as post_migrate runs it
    assert tallies.KEPT.missing(connection) == []
    finance, department = Client(), Client()
    login(finance, people["caizheng"])
    login(department, people["shenhe"])
    assert_agree([finance, department])
    assert pages(finance, "")["summary"]["total"] == 9
