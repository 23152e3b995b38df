"""The change records (变更记录): every save and delete of a tracked model leaves one, with who, when, from where,
and the row before and after; each object's history page is shown to whoever may see the object."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from jixiao.web.changes.context import change_context
from jixiao.web.changes.models import ObjectChange
from jixiao.web.changes.registry import digest
from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord, ReportingYear
from jixiao.web.organisations.models import Membership, Role
from jixiao.web.tasks.models import Task
from tests.web.conftest import World, client_for, evaluation_for
from tests.web.edit_fixtures import browser, filler, record, submit, units
from tests.web.test_permissions import INSIDERS, OUTSIDERS

__all__ = ["browser", "filler", "record", "units"]


def changes_of(obj: models.Model) -> list[ObjectChange]:
    """The object's change records, oldest first."""
    ct = ContentType.objects.get_for_model(type(obj))
    return list(ObjectChange.objects.filter(content_type=ct, object_id=obj.pk).order_by("pk"))


def history_url(model: str, pk: int) -> str:
    return f"/changes/{model}/{pk}/"


# ------------------------------------------------------------------------------------------- the records


def test_creating_an_evaluation_records_a_creation_without_the_document(world: World) -> None:
    unit = world.org("A1")
    record = services.create(unit, evaluation_for(unit, "甲一科普专项"), world.user(Role.FILLER, "A1"))
    [change] = changes_of(record)
    assert change.action == "create" and change.get_action_display() == "新建"
    assert change.before is None
    assert change.after["project_name"] == "甲一科普专项"
    assert change.after["status"] == Status.DRAFT
    assert change.after["unit"] == unit.pk
    assert change.after["document_sha256"] == digest(EvaluationRecord.objects.get(pk=record.pk).document)
    assert len(change.after["document_sha256"]) == 64
    assert "document" not in change.after
    assert change.object_repr == "2022 甲一科普专项"
    # outside any request or command: nobody signed in, no request id
    assert (change.user, change.user_name, change.source, change.request_id) == (None, "系统", "other", None)


def test_a_save_through_the_edit_page_records_the_user_the_source_and_the_request(
    browser: Any, record: EvaluationRecord, filler: Any
) -> None:
    before = len(changes_of(record))
    response = submit(browser, record, "project", {"project-name": "科普专项经费（修订）"})
    assert response.status_code == 302, response.content.decode()[:2000]
    changes = changes_of(record)
    assert len(changes) == before + 1
    change = changes[-1]
    assert change.action == "update"
    assert change.user == filler
    assert change.user_name == (filler.get_full_name() or filler.username)
    assert change.source == "web" and change.get_source_display() == "网页"
    assert change.request_id is not None
    assert change.before["project_name"] != "科普专项经费（修订）"
    assert change.after["project_name"] == "科普专项经费（修订）"
    assert change.before["revision"] == 1 and change.after["revision"] == 2
    assert change.before["document_sha256"] != change.after["document_sha256"]
    # another request: another id
    submit(browser, record, "project", {"project-name": "科普专项经费（再修订）"})
    assert changes_of(record)[-1].request_id not in (None, change.request_id)


def test_changes_made_in_one_request_share_its_id(world: World, record_factory: Any) -> None:
    first, second = record_factory("A1"), record_factory("A2")
    for r in (first, second):
        services.soft_delete(r.pk, world.user(Role.FILLER, world.place_of(r.unit)))
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "not-used-pw-123")
    client = client_for(admin)
    response = client.post(
        "/admin/evaluations/evaluationrecord/", {"action": "undelete", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    restored = [changes_of(r)[-1] for r in (first, second)]
    assert [c.action for c in restored] == ["update", "update"]
    assert all(c.before["deleted_at"] is not None and c.after["deleted_at"] is None for c in restored)
    assert all(c.source == "admin" and c.user == admin for c in restored)
    assert restored[0].request_id is not None
    assert restored[0].request_id == restored[1].request_id


def test_a_lifecycle_move_records_the_status_before_and_after(world: World, record_factory: Any) -> None:
    record = record_factory("A1")
    services.move(record.pk, Action.SUBMIT, world.user(Role.FILLER, "A1"), gate=False)
    change = changes_of(record)[-1]
    assert change.action == "update"
    assert (change.before["status"], change.after["status"]) == (Status.DRAFT, Status.SUBMITTED)
    assert change.before["submitted_at"] is None
    assert dt.datetime.fromisoformat(change.after["submitted_at"]).tzinfo is not None
    # the document was not touched
    assert change.before["document_sha256"] == change.after["document_sha256"]


def test_a_review_score_is_recorded_as_a_decimal_string(world: World, record_factory: Any) -> None:
    record = record_factory("A1", Status.FINANCE_REVIEWED, review_score=Decimal("88.5"))
    review = next(c for c in reversed(changes_of(record)) if c.after["status"] == Status.FINANCE_REVIEWED)
    assert review.before["review_score"] is None
    assert review.after["review_score"] == "88.50"  # two places, as the column stores it


def test_a_save_that_changes_nothing_records_nothing(world: World, record_factory: Any) -> None:
    record = record_factory("A1")
    count = ObjectChange.objects.count()
    EvaluationRecord.objects.get(pk=record.pk).save()  # only updated_at moves
    assert ObjectChange.objects.count() == count


def test_a_membership_changed_in_the_admin_is_recorded_as_an_admin_change(world: World) -> None:
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "not-used-pw-123")
    membership = Membership.objects.get(user=world.user(Role.FILLER, "A1"))
    client = client_for(admin)
    response = client.post(
        f"/admin/organisations/membership/{membership.pk}/change/",
        {"user": membership.user_id, "organisation": world.org("A2").pk, "role": Role.UNIT_HEAD},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    change = changes_of(membership)[-1]
    assert change.action == "update"
    assert change.source == "admin" and change.get_source_display() == "系统管理"
    assert change.user == admin and change.user_name == "root"
    assert change.request_id is not None
    assert change.before == {"user": membership.user_id, "organisation": world.org("A1").pk, "role": Role.FILLER}
    assert change.after == {"user": membership.user_id, "organisation": world.org("A2").pk, "role": Role.UNIT_HEAD}


def test_deleting_records_the_row_as_it_was(world: World) -> None:
    membership = Membership.objects.get(user=world.user(Role.FILLER, "A2"))
    pk = membership.pk
    membership.delete()
    ct = ContentType.objects.get_for_model(Membership)
    [change] = ObjectChange.objects.filter(content_type=ct, object_id=pk, action="delete")
    assert change.before == {
        "user": world.user(Role.FILLER, "A2").pk,
        "organisation": world.org("A2").pk,
        "role": "filler",
    }
    assert change.after is None


def test_a_command_records_source_cli_and_the_system(db: None) -> None:
    with change_context(source="cli") as context:
        year = ReportingYear.objects.create(year=2031, deadline=dt.date(2032, 4, 20))
        year.deadline = dt.date(2032, 5, 1)
        year.save()
    create, update = changes_of(year)
    assert create.after == {"year": 2031, "deadline": "2032-04-20"}
    assert (update.before["deadline"], update.after["deadline"]) == ("2032-04-20", "2032-05-01")
    for change in (create, update):
        assert change.source == "cli" and change.get_source_display() == "命令行"
        assert change.user is None and change.user_name == "系统"
        assert change.request_id == context.request_id


def test_load_demo_runs_under_the_cli_context(db: None) -> None:
    call_command("load_demo", password="demo-pw-123456", stdout=StringIO())
    sources = set(ObjectChange.objects.values_list("source", flat=True))
    assert sources == {"cli"}
    assert ObjectChange.objects.values("request_id").distinct().count() == 1
    record = EvaluationRecord.objects.get(project_name__contains="科普")
    assert changes_of(record)[0].action == "create"


# ------------------------------------------------------------------------------------------- the history page


def test_the_history_page_shows_chinese_labels_and_values_before_and_after(world: World, record_factory: Any) -> None:
    record = record_factory("A1")
    services.move(record.pk, Action.SUBMIT, world.user(Role.FILLER, "A1"), gate=False)
    response = client_for(world.user(Role.FILLER, "A1")).get(history_url("evaluation", record.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "变更记录" in body and record.project_name in body
    assert "<td>状态</td><td>草稿</td><td>→</td><td>已提交</td>" in body
    assert "<td>提交时间</td><td>—</td>" in body
    assert "<td>项目名称</td><td>—</td><td>→</td><td>" + record.project_name + "</td>" in body  # the creation
    assert "自评数据（摘要）" in body
    submitted = EvaluationRecord.objects.get(pk=record.pk).submitted_at
    assert f"<td>提交时间</td><td>—</td><td>→</td><td>{timezone.localtime(submitted):%Y-%m-%d %H:%M:%S}</td>" in body
    assert body.count("<td>更新时间</td>") == 1  # in the creation; a 修改 leaves out what changes on every save
    assert ">status<" not in body and ">unit<" not in body
    assert "<td>预算单位</td><td>—</td><td>→</td><td>甲一单位</td>" in body  # a related object by its name, not its id
    assert "<td>主管部门</td><td>—</td><td>→</td><td>甲主管部门</td>" in body
    assert "新建" in body and "修改" in body


def test_the_versions_page_links_to_the_history(world: World, record_factory: Any) -> None:
    record = record_factory("A1")
    body = client_for(world.user(Role.FILLER, "A1")).get(f"/evaluations/{record.pk}/versions/").content.decode()
    assert f'href="{history_url("evaluation", record.pk)}"' in body and "变更记录" in body


@pytest.mark.parametrize("role", list(INSIDERS))
def test_insiders_see_an_evaluations_history_and_outsiders_get_404(
    role: str, world: World, record_factory: Any
) -> None:
    record = record_factory("A1", Status.SUBMITTED)
    url = history_url("evaluation", record.pk)
    assert client_for(world.user(role, INSIDERS[role])).get(url).status_code == 200
    for place in OUTSIDERS[role]:
        outsider = client_for(world.user(role, place))
        assert outsider.get(url).status_code == 404, f"{role}@{place}"
        assert outsider.post(url).status_code in (404, 405), f"{role}@{place}"


def test_a_tasks_history_follows_who_may_see_the_task(world: World) -> None:
    with change_context(user=world.user(Role.FINANCE_ADMIN, "F1"), source="web"):
        task = Task.objects.create(
            owner=world.org("F1"),
            year=2024,
            name="2024 年度项目支出绩效自评",
            unit_deadline=dt.date(2025, 3, 31),
            department_deadline=dt.date(2025, 4, 15),
            finance_deadline=dt.date(2025, 4, 30),
        )
    url = history_url("task", task.pk)
    response = client_for(world.user(Role.FINANCE_ADMIN, "F1")).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<td>任务名称</td><td>—</td><td>→</td><td>2024 年度项目支出绩效自评</td>" in body
    assert world.user(Role.FINANCE_ADMIN, "F1").get_full_name() in body
    assert client_for(world.user(Role.FINANCE_ADMIN, "F2")).get(url).status_code == 404
    assert client_for(world.user(Role.FILLER, "A1")).get(url).status_code == 404


def test_anonymous_are_sent_to_login_and_unknown_models_are_404(world: World, record_factory: Any) -> None:
    record = record_factory("A1")
    url = history_url("evaluation", record.pk)
    response = client_for(None).get(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"
    insider = client_for(world.user(Role.FILLER, "A1"))
    assert insider.get(history_url("no-such-model", record.pk)).status_code == 404
    assert insider.get(history_url("evaluation", record.pk + 1000)).status_code == 404


def test_the_admin_shows_change_records_but_allows_no_edits(world: World, record_factory: Any) -> None:
    record_factory("A1")
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "not-used-pw-123")
    client = client_for(admin)
    assert client.get("/admin/changes/objectchange/").status_code == 200
    assert client.get("/admin/changes/objectchange/?source__exact=other").status_code == 200
    change = ObjectChange.objects.first()
    assert change is not None
    assert client.get(f"/admin/changes/objectchange/{change.pk}/change/").status_code == 200  # view only
    assert client.get("/admin/changes/objectchange/add/").status_code == 403
    assert client.post(f"/admin/changes/objectchange/{change.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ObjectChange.objects.filter(pk=change.pk).exists()
