"""Versions: every save is kept, any version can be restored, nothing is ever lost, nobody overwrites anybody."""

from __future__ import annotations

import copy
import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from jixiao.io.xlsx.selfeval_write import write_selfeval_table
from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord, EvaluationVersion, ReportingYear
from jixiao.web.organisations.models import Role
from tests.conftest import BASE, run
from tests.web.conftest import World, client_for, evaluation_for

CONCURRENT = "保存被拒绝：本评价已被他人修改（您打开的是第 1 版，当前为第 2 版）。您的修改未保存，请刷新页面查看最新内容后重新修改。"


def with_funds(record: EvaluationRecord, executed: float, **changes: Any) -> Any:
    funds = copy.deepcopy(BASE["funds"])
    funds[0]["executed_wan"] = executed
    return evaluation_for(record.unit, record.project_name, record.year, funds=funds, **changes)


def executed(document: dict[str, Any]) -> Decimal:
    return Decimal(document["funds"][0]["executed_wan"])


def versions(record: EvaluationRecord) -> list[tuple[int, str, str]]:
    return [
        (v.number, v.summary, v.author.username if v.author else "")
        for v in EvaluationVersion.objects.filter(record=record).select_related("author").order_by("number")
    ]


def test_each_save_is_a_version_naming_what_changed(world: World, record_factory: Any) -> None:
    filler, head = world.user(Role.FILLER, "A1"), world.user(Role.UNIT_HEAD, "A1")
    record = record_factory("A1")
    assert versions(record) == [(1, "新建", "filler@A1")]

    record = services.save(record.pk, with_funds(record, 90), filler, 1)
    assert record.revision == 2
    narrative = {"problems": ["宣传覆盖面不足"], "improvements": ["扩大宣传"]}
    record = services.save(record.pk, with_funds(record, 90, narrative=narrative), head, 2)
    record = services.save(
        record.pk, with_funds(record, 80, narrative=narrative, claims={"total_score": 95, "grade": "优"}), filler, 3
    )
    # saving the same document again is no change and no version
    same = services.save(
        record.pk, with_funds(record, 80, narrative=narrative, claims={"total_score": 95, "grade": "优"}), filler, 4
    )
    assert same.revision == 4
    record = services.save(record.pk, with_funds(record, 80, narrative=narrative), filler, 4, "按审核意见修改")

    assert versions(record) == [
        (1, "新建", "filler@A1"),
        (2, "修改：项目资金", "filler@A1"),
        (3, "修改：报告正文", "unit_head@A1"),
        (4, "修改：项目资金、单位自述", "filler@A1"),
        (5, "按审核意见修改", "filler@A1"),
    ]
    stored = EvaluationRecord.objects.get(pk=record.pk)
    assert stored.revision == 5
    latest = stored.versions.get(number=5)
    assert latest.document == stored.document
    assert latest.author == filler and latest.author_name == filler.get_full_name() == "填报人（甲一单位）"
    assert stored.versions.get(number=3).author_name == head.get_full_name()
    assert all(v.created_at is not None for v in stored.versions.all())
    # each version keeps its own full copy
    assert executed(stored.versions.get(number=1).document) == 98
    assert executed(stored.versions.get(number=2).document) == 90


def test_restore_brings_an_old_document_back_as_a_new_version(world: World, record_factory: Any) -> None:
    filler = world.user(Role.FILLER, "A1")
    record = record_factory("A1")
    original = EvaluationRecord.objects.get(pk=record.pk)
    record = services.save(record.pk, with_funds(record, 50), filler, 1)
    assert record.execution_rate == 50
    record = services.save(record.pk, with_funds(record, 60), filler, 2)

    response = client_for(filler).post(f"/evaluations/{record.pk}/versions/1/restore/", {"revision": 3})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已恢复为第 1 版（恢复本身也记为一个新版本）。"]

    restored = EvaluationRecord.objects.get(pk=record.pk)
    assert restored.revision == 4
    assert restored.document == original.document
    # everything computed from the document comes back with it
    assert (restored.execution_rate, restored.computed_score, restored.computed_grade) == (
        original.execution_rate,
        original.computed_score,
        original.computed_grade,
    )
    assert versions(restored) == [
        (1, "新建", "filler@A1"),
        (2, "修改：项目资金", "filler@A1"),
        (3, "修改：项目资金", "filler@A1"),
        (4, "恢复为第 1 版", "filler@A1"),
    ]
    assert restored.versions.get(number=4).document == restored.versions.get(number=1).document
    # and the versions in between are still there, so the restore can itself be undone
    services.restore(record.pk, 3, filler, 4)
    assert executed(EvaluationRecord.objects.get(pk=record.pk).document) == 60


def test_restore_with_a_stale_revision_is_refused(world: World, record_factory: Any) -> None:
    filler = world.user(Role.FILLER, "A1")
    record = record_factory("A1", edits=1)  # revision 2
    client = client_for(filler)
    for stale in ("1", "", "abc"):
        response = client.post(f"/evaluations/{record.pk}/versions/1/restore/", {"revision": stale})
        assert response.status_code == 302, stale
        (message,) = [str(m) for m in get_messages(response.wsgi_request)]
        assert message.startswith("保存被拒绝：本评价已被他人修改"), stale
        client.get(response["Location"])  # use the message up
    assert EvaluationRecord.objects.get(pk=record.pk).revision == 2
    assert record.versions.count() == 2


def test_an_upload_over_a_draft_is_a_version_and_checks_the_revision(
    world: World, record_factory: Any, tmp_path: Any
) -> None:
    record = record_factory("A1", edits=1)  # revision 2; the uploaded table differs from it
    xlsx = write_selfeval_table(run(with_funds(record, 97)), tmp_path / "自评表.xlsx").read_bytes()
    client = client_for(world.user(Role.UNIT_HEAD, "A1"))

    def upload(target: str, revision: str) -> Any:
        file = SimpleUploadedFile("自评表.xlsx", xlsx)
        return client.post("/evaluations/upload/", {"record": target, "revision": revision, "file": file})

    for stale in ("1", "", "x"):
        response = upload(str(record.pk), stale)
        assert response.status_code == 302, stale
        (message,) = [str(m) for m in get_messages(response.wsgi_request)]
        assert message.startswith("保存被拒绝：本评价已被他人修改"), stale
        client.get(response["Location"])
    assert upload("abc", "2").status_code == 404
    assert record.versions.count() == 2

    assert upload(str(record.pk), "2").status_code == 302
    stored = EvaluationRecord.objects.get(pk=record.pk)
    assert stored.revision == 3 and executed(stored.document) == 97
    assert versions(stored)[-1] == (3, "上传自评表 自评表.xlsx", "unit_head@A1")


def test_restoring_a_version_that_does_not_exist_is_not_found(world: World, record_factory: Any) -> None:
    record = record_factory("A1", edits=1)
    response = client_for(world.user(Role.FILLER, "A1")).post(
        f"/evaluations/{record.pk}/versions/99/restore/", {"revision": 2}
    )
    assert response.status_code == 404
    assert record.versions.count() == 2


def test_the_version_page_lists_every_version(world: World, record_factory: Any) -> None:
    record = record_factory("A1", edits=3)
    response = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA")).get(f"/evaluations/{record.pk}/versions/")
    assert response.status_code == 200
    assert [v.number for v in response.context["versions"]] == [4, 3, 2, 1]
    assert response.context["can_edit"] is False


# ------------------------------------------------------------------------------------------ soft delete


def test_soft_delete_hides_but_keeps_everything(world: World, record_factory: Any) -> None:
    ReportingYear.objects.create(year=2022, deadline=dt.date(2023, 4, 20))
    filler = world.user(Role.FILLER, "A1")
    record = record_factory("A1", name="将被删除的项目", edits=2)
    kept = record_factory("A1", name="保留的项目")
    client = client_for(filler)

    response = client.post(f"/evaluations/{record.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/evaluations/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "已删除“将被删除的项目”（数据保留，可由系统管理员恢复）。"
    ]

    # gone from every list and page
    assert not EvaluationRecord.objects.filter(pk=record.pk).exists()
    for role, place in ((Role.FILLER, "A1"), (Role.DEPARTMENT_REVIEWER, "DA"), (Role.FINANCE_ADMIN, "F1")):
        c = client_for(world.user(role, place))
        for url in ("/evaluations/", "/evaluations/overdue/", "/evaluations/overview/"):
            response = c.get(url)
            if response.status_code == 200:
                text = response.content.decode()
                assert "将被删除的项目" not in text, f"{url} as {role}"
        assert c.get("/evaluations/").content.decode().count("保留的项目") == 1
        assert c.get(f"/evaluations/{record.pk}/").status_code == 404
        assert c.get(f"/evaluations/{record.pk}/versions/").status_code == 404

    # but the row, its versions and its history remain
    row = EvaluationRecord.all_objects.get(pk=record.pk)
    assert row.deleted_at is not None and row.status == Status.DRAFT
    assert [v.number for v in row.versions.order_by("number")] == [1, 2, 3]
    last = row.transitions.order_by("-pk").first()
    assert last is not None and last.action == Action.DELETE and last.actor == filler
    assert EvaluationRecord.objects.filter(pk=kept.pk).exists()


def test_only_drafts_can_be_deleted(world: World, record_factory: Any) -> None:
    record = record_factory("A1", Status.SUBMITTED)
    with pytest.raises(services.NotAllowed, match="只有草稿或已退回的评价可以删除"):
        services.soft_delete(record.pk, world.user(Role.FILLER, "A1"))
    assert EvaluationRecord.all_objects.get(pk=record.pk).deleted_at is None


# ------------------------------------------------------------------------------------ concurrent edits


def test_the_second_of_two_saves_from_the_same_revision_is_refused(world: World, record_factory: Any) -> None:
    record = record_factory("A1")
    first, second = world.user(Role.FILLER, "A1"), world.user(Role.UNIT_HEAD, "A1")
    # both opened revision 1
    services.save(record.pk, with_funds(record, 70), first, 1)
    with pytest.raises(services.ConcurrentEdit) as refused:
        services.save(record.pk, with_funds(record, 40), second, 1)
    assert str(refused.value) == CONCURRENT
    stored = EvaluationRecord.objects.get(pk=record.pk)
    assert executed(stored.document) == 70
    assert stored.revision == 2
    assert versions(stored)[-1] == (2, "修改：项目资金", "filler@A1")
    assert stored.versions.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks: PostgreSQL only (make test runs it)")
def test_two_simultaneous_saves_one_wins(world: World, record_factory: Any) -> None:
    """Two threads, two database connections, the same expected revision, released at the same moment."""
    record = record_factory("A1")
    barrier = threading.Barrier(2)
    outcomes: dict[float, str] = {}

    def save(executed: float, user: Any) -> None:
        try:
            barrier.wait(timeout=10)
            services.save(record.pk, with_funds(record, executed), user, 1)
            outcomes[executed] = "saved"
        except services.ConcurrentEdit as exc:
            outcomes[executed] = str(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(70, world.user(Role.FILLER, "A1"))),
        threading.Thread(target=save, args=(40, world.user(Role.UNIT_HEAD, "A1"))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes.values()) == sorted(["saved", CONCURRENT])
    winner = next(executed for executed, outcome in outcomes.items() if outcome == "saved")
    stored = EvaluationRecord.objects.get(pk=record.pk)
    assert executed(stored.document) == winner
    assert stored.revision == 2 and stored.versions.count() == 2
