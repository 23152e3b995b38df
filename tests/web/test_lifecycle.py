"""The review lifecycle through the web pages: 草稿 → 已提交 → 已退回 → 已提交 → 主管部门审核通过 → 财政已复核 → 已公开.

Every step is taken by the person whose job it is, through the same POST the page's buttons send, and every
step leaves a transition row saying who, when and why.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from jixiao.io.catalogue import load_rules
from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord, ReportingYear, Transition
from jixiao.web.organisations.models import Role
from tests.web.conftest import World, client_for, evaluation_for
from tests.web.submit_fixtures import complete_evaluation, make_complete

SCORE_MESSAGE = "复核得分：请输入 0–100 之间的数字"


def act(client: Client, record: EvaluationRecord, action: str, **data: str) -> list[str]:
    """POST a lifecycle action like the detail page does and confirm it on the confirmation page that follows
    (unless the step is refused at once); the messages the user sees next."""
    url = f"/evaluations/{record.pk}/action/{action}/"
    before = EvaluationRecord.objects.get(pk=record.pk).status
    response = client.post(url, data)
    if response.status_code == 200:
        assert response.templates[0].name == "evaluations/confirm.html", action
        after = EvaluationRecord.objects.get(pk=record.pk).status
        assert after == before, f"{action} moved the record before it was confirmed"
        response = client.post(url, {**data, "confirm": "yes"})
    assert response.status_code == 302, f"{action}: {response.status_code}"
    assert response["Location"] == f"/evaluations/{record.pk}/"
    page = client.get(response["Location"])  # shows (and so uses up) the messages
    assert page.status_code == 200
    return [str(m) for m in get_messages(page.wsgi_request)]


def transitions(record: EvaluationRecord) -> list[tuple[str, str, str, str, str]]:
    return [
        (t.action, t.from_status, t.to_status, t.actor.username if t.actor else "", t.comment)
        for t in Transition.objects.filter(record=record).select_related("actor").order_by("pk")
    ]


@pytest.fixture
def people(world: World) -> dict[str, Client]:
    return {
        "filler": client_for(world.user(Role.FILLER, "A1")),
        "reviewer": client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA")),
        "finance": client_for(world.user(Role.FINANCE_ADMIN, "F1")),
    }


def test_the_whole_lifecycle(world: World, record_factory: Any, people: dict[str, Client]) -> None:
    record = make_complete(record_factory("A1"), world.user(Role.FILLER, "A1"))
    filler, reviewer, finance = people["filler"], people["reviewer"], people["finance"]
    started = dt.datetime.now(dt.UTC)

    assert act(filler, record, Action.SUBMIT) == ["已提交。"]
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED and record.submitted_at is not None

    # a return needs a reason: without one it is refused, in Chinese, and nothing moves
    for comment in ("", "   "):
        assert act(reviewer, record, Action.RETURN, comment=comment) == ["退回时必须填写退回意见"]
        record.refresh_from_db()
        assert record.status == Status.SUBMITTED
    assert act(reviewer, record, Action.RETURN, comment="请补充满意度调查的佐证材料") == ["已退回。"]
    record.refresh_from_db()
    assert record.status == Status.RETURNED

    # the unit may edit a returned evaluation again, then resubmits
    funds = [{**record.document["funds"][0], "executed_wan": 99}]
    saved = services.save(
        record.pk,
        complete_evaluation(record.unit, record.project_name, funds=funds),
        world.user(Role.FILLER, "A1"),
        record.revision,
    )
    assert saved.revision == record.revision + 1
    assert act(filler, record, Action.SUBMIT) == ["已提交。"]
    assert act(reviewer, record, Action.APPROVE, comment="同意") == ["已审核通过。"]

    # 财政复核 needs a score between 0 and 100
    for bad in ("", "abc", "101", "-1", "100.01"):
        assert act(finance, record, Action.REVIEW, review_score=bad) == [SCORE_MESSAGE], bad
        record.refresh_from_db()
        assert record.status == Status.DEPARTMENT_APPROVED and record.review_score is None, bad
    assert act(finance, record, Action.REVIEW, review_score="85.5", comment="佐证材料充分") == ["已财政复核。"]
    record.refresh_from_db()
    assert record.status == Status.FINANCE_REVIEWED
    assert record.review_score == Decimal("85.50") and record.review_comment == "佐证材料充分"
    assert record.review_grade == load_rules("mof-2020").grade_for(Decimal("85.5")) == "良"

    assert act(finance, record, Action.PUBLISH) == ["已公开。"]
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED and record.published_at is not None
    assert record.project_name in client_for(None).get("/").content.decode()

    filler_name, reviewer_name, finance_name = "filler@A1", "department_reviewer@DA", "finance_admin@F1"
    assert transitions(record) == [
        (Action.CREATE, "", Status.DRAFT, filler_name, "新建"),
        (Action.SUBMIT, Status.DRAFT, Status.SUBMITTED, filler_name, ""),
        (Action.RETURN, Status.SUBMITTED, Status.RETURNED, reviewer_name, "请补充满意度调查的佐证材料"),
        (Action.SUBMIT, Status.RETURNED, Status.SUBMITTED, filler_name, ""),
        (Action.APPROVE, Status.SUBMITTED, Status.DEPARTMENT_APPROVED, reviewer_name, "同意"),
        (Action.REVIEW, Status.DEPARTMENT_APPROVED, Status.FINANCE_REVIEWED, finance_name, "佐证材料充分"),
        (Action.PUBLISH, Status.FINANCE_REVIEWED, Status.PUBLISHED, finance_name, ""),
    ]
    rows = list(Transition.objects.filter(record=record).order_by("pk"))
    assert all(t.created_at >= started - dt.timedelta(seconds=1) for t in rows[1:])
    assert [t.created_at for t in rows] == sorted(t.created_at for t in rows)
    # the name is kept apart from the account, so the history survives the account's deletion
    assert rows[2].actor_name == world.user(Role.DEPARTMENT_REVIEWER, "DA").get_full_name()
    # and the detail page shows the history
    page = people["filler"].get(f"/evaluations/{record.pk}/").content.decode()
    assert "请补充满意度调查的佐证材料" in page and rows[2].actor_name in page


def test_refusals_leave_no_transition(world: World, record_factory: Any, people: dict[str, Client]) -> None:
    record = record_factory("A1", Status.SUBMITTED)
    before = transitions(record)
    assert act(people["reviewer"], record, Action.RETURN, comment="") == ["退回时必须填写退回意见"]
    # finance re-checks only after the 主管部门 approves (409: not yet); a filler never approves (403)
    assert people["finance"].post(f"/evaluations/{record.pk}/action/review/", {"review_score": "90"}).status_code == 409
    assert people["filler"].post(f"/evaluations/{record.pk}/action/approve/").status_code == 403
    approved = record_factory("A1", Status.DEPARTMENT_APPROVED)
    before_approved = transitions(approved)
    assert act(people["finance"], approved, Action.REVIEW, review_score="") == [SCORE_MESSAGE]
    assert transitions(approved) == before_approved
    assert transitions(record) == before


def test_service_refusals_speak_chinese(record_factory: Any, world: World) -> None:
    reviewer = world.user(Role.DEPARTMENT_REVIEWER, "DA")
    record = record_factory("A1", Status.SUBMITTED)
    with pytest.raises(services.NotAllowed, match=r"^退回时必须填写退回意见$"):
        services.move(record.pk, Action.RETURN, reviewer, "  ")
    with pytest.raises(services.NotAllowed, match="当前状态为“已提交”，不能执行“公开”"):
        services.move(record.pk, Action.PUBLISH, reviewer)
    record = record_factory("A1", Status.DEPARTMENT_APPROVED)
    with pytest.raises(services.NotAllowed, match=r"^财政复核须填写复核得分$"):
        services.move(record.pk, Action.REVIEW, world.user(Role.FINANCE_ADMIN, "F1"), "", None)
    record.refresh_from_db()
    assert record.status == Status.DEPARTMENT_APPROVED


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_review_grade_comes_from_the_rule_set(score: str, grade: str, record_factory: Any, world: World) -> None:
    record = record_factory("A1", Status.DEPARTMENT_APPROVED)
    act(client_for(world.user(Role.FINANCE_ADMIN, "F1")), record, Action.REVIEW, review_score=score)
    record.refresh_from_db()
    assert record.status == Status.FINANCE_REVIEWED
    assert record.review_score == Decimal(score)
    assert record.review_grade == grade == load_rules(record.document["rules"]).grade_for(Decimal(score))


def test_a_second_review_replaces_the_first(record_factory: Any, world: World) -> None:
    record = record_factory("A1", Status.FINANCE_REVIEWED, review_score=Decimal("70"))
    assert record.review_grade == "中"
    act(client_for(world.user(Role.FINANCE_ADMIN, "F1")), record, Action.REVIEW, review_score="92", comment="复议")
    record.refresh_from_db()
    assert (record.review_score, record.review_grade, record.review_comment) == (Decimal("92.00"), "优", "复议")
    assert record.transitions.filter(action=Action.REVIEW).count() == 2


@pytest.mark.parametrize("score", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "1e400"])
def test_review_score_that_is_not_a_number_is_refused(score: str, record_factory: Any, world: World) -> None:
    record = record_factory("A1", Status.DEPARTMENT_APPROVED)
    assert act(client_for(world.user(Role.FINANCE_ADMIN, "F1")), record, Action.REVIEW, review_score=score) == [
        SCORE_MESSAGE
    ]
    record.refresh_from_db()
    assert record.status == Status.DEPARTMENT_APPROVED and record.review_score is None


# ------------------------------------------------------------------------------- no edits after submission


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.DEPARTMENT_APPROVED, Status.FINANCE_REVIEWED, Status.PUBLISHED]
)
def test_editing_is_refused_after_submission(status: str, record_factory: Any, world: World) -> None:
    record = record_factory("A1", status, edits=1)
    filler = world.user(Role.FILLER, "A1")
    label = Status(status).label
    with pytest.raises(services.NotAllowed, match=f"当前状态为“{label}”，不能修改"):
        services.save(record.pk, evaluation_for(record.unit, "改名"), filler, record.revision)
    with pytest.raises(services.NotAllowed, match="只有草稿或已退回的评价可以删除"):
        services.soft_delete(record.pk, filler)
    with pytest.raises(services.NotAllowed):
        services.restore(record.pk, 1, filler, record.revision)

    client = client_for(filler)
    before = (record.document, record.revision, record.versions.count())
    # the filler may edit a draft: past it, the page says the status stands in the way (409), not the role
    edit_page = client.get(f"/evaluations/{record.pk}/edit/funds/")
    assert edit_page.status_code == 409 and f"当前状态为“{label}”，不能修改" in edit_page.content.decode()
    assert client.post(f"/evaluations/{record.pk}/edit/funds/", {"revision": record.revision}).status_code == 409
    assert (
        client.post(f"/evaluations/{record.pk}/versions/1/restore/", {"revision": record.revision}).status_code == 409
    )
    assert client.post(f"/evaluations/{record.pk}/delete/").status_code == 409
    page = client.get(f"/evaluations/{record.pk}/")
    assert page.context["can_edit"] is False
    record = EvaluationRecord.all_objects.get(pk=record.pk)
    assert (record.document, record.revision, record.versions.count()) == before
    assert record.deleted_at is None and record.status == status


# ----------------------------------------------------------------------------------------------- overdue


def test_overdue_lists_unsubmitted_evaluations_of_past_deadlines(record_factory: Any, world: World) -> None:
    today = dt.date.today()
    ReportingYear.objects.create(year=2022, deadline=dt.date(2023, 4, 20))
    ReportingYear.objects.create(year=today.year, deadline=today + dt.timedelta(days=30))
    late_draft = record_factory("A1", Status.DRAFT, name="逾期草稿", year=2022)
    late_returned = record_factory("A1", Status.RETURNED, name="逾期退回", year=2022)
    submitted = record_factory("A1", Status.SUBMITTED, name="按时提交", year=2022)
    approved = record_factory("A1", Status.DEPARTMENT_APPROVED, name="已审核", year=2022)
    not_yet_due = record_factory("A1", Status.DRAFT, name="未到截止", year=today.year)
    no_deadline = record_factory("A1", Status.DRAFT, name="未设截止", year=2019)

    for role, place in ((Role.FINANCE_ADMIN, "F1"), (Role.DEPARTMENT_REVIEWER, "DA"), (Role.FILLER, "A1")):
        response = client_for(world.user(role, place)).get("/evaluations/overdue/")
        assert response.status_code == 200
        rows = {r.pk: (deadline, days) for r, deadline, days in response.context["rows"]}
        assert set(rows) == {late_draft.pk, late_returned.pk}, role
        assert rows[late_draft.pk] == (dt.date(2023, 4, 20), (today - dt.date(2023, 4, 20)).days)
        text = response.content.decode()
        assert "逾期草稿" in text and "逾期退回" in text
        for hidden in (submitted, approved, not_yet_due, no_deadline):
            assert hidden.project_name not in text

    # once submitted it leaves the list
    make_complete(late_draft, world.user(Role.FILLER, "A1"))
    services.move(late_draft.pk, Action.SUBMIT, world.user(Role.FILLER, "A1"))
    response = client_for(world.user(Role.FINANCE_ADMIN, "F1")).get("/evaluations/overdue/")
    assert {r.pk for r, _, _ in response.context["rows"]} == {late_returned.pk}
    # people of another branch see none of them
    response = client_for(world.user(Role.FINANCE_ADMIN, "F2")).get("/evaluations/overdue/")
    assert response.context["rows"] == []
