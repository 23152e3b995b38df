"""复核 per indicator (issue 11 §2): the reviewer's score and comment beside the unit's own and the computed one,
added up by the engine's own rule; queries to the unit and its answers with evidence; what the unit changed since a
query; problems and 整改要求; finishing the 复核; the 复核意见书. Who may do what, and evidence files refused for what
they are."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from django.utils import timezone

from jixiao.core.review import EXECUTION_KEY, indicator_key
from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.evaluations.choices import Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Role
from jixiao.web.review import evidence as evidence_files
from jixiao.web.review import services
from jixiao.web.review.models import Evidence, IndicatorReview, ReviewMessage, ReviewProblem
from jixiao.web.tasks.models import Notice
from tests.conftest import BASE
from tests.web.conftest import World, client_for, evaluation_for

LEAF = indicator_key(("产出指标", "数量指标", "科普活动场次"))  # 30 points in the base evaluation
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00" + b"\x00" * 200


def url(record: EvaluationRecord, tail: str = "") -> str:
    return f"/review/{record.pk}/{tail}"


@pytest.fixture
def approved(record_factory: Any) -> EvaluationRecord:
    """An evaluation of 甲一单位 approved by its 主管部门: the 财政局's to re-check."""
    return record_factory("A1", Status.DEPARTMENT_APPROVED)


def finance(world: World) -> Any:
    return client_for(world.user(Role.FINANCE_ADMIN, "F1"))


def filler(world: World, place: str = "A1") -> Any:
    return client_for(world.user(Role.FILLER, place))


def sheet_post(lines: dict[str, tuple[str, str]]) -> dict[str, str]:
    data: dict[str, str] = {}
    for i, (key, (score, comment)) in enumerate(lines.items()):
        data |= {f"key-{i}": key, f"score-{i}": score, f"comment-{i}": comment}
    return data


def test_a_reviewer_s_score_on_one_line_moves_the_review_total_by_exactly_its_difference(world, approved):
    before = services.sheet_of(approved)
    assert before.review_total.value == before.computed_total.value == Decimal("99.80")
    response = finance(world).post(url(approved, "sheet/"), sheet_post({LEAF: ("24", "活动记录只能证实 24 场")}))
    assert response.status_code == 302
    after = services.sheet_of(approved)
    assert after.review_total.value == Decimal("93.80")  # 99.80 − (30 − 24)
    assert after.review_grade == "优"
    assert after.line(LEAF).reviewed == Decimal("24.00")
    assert after.line(LEAF).comment == "活动记录只能证实 24 场"
    assert after.reviewed_count == 1
    row = IndicatorReview.objects.get(record=approved, key=LEAF)
    assert row.reviewer_name == world.user(Role.FINANCE_ADMIN, "F1").first_name


def test_the_budget_execution_line_is_reviewed_like_any_other(world, approved):
    finance(world).post(url(approved, "sheet/"), sheet_post({EXECUTION_KEY: ("5", "年末突击支出不予认可")}))
    sheet = services.sheet_of(approved)
    assert sheet.line(EXECUTION_KEY).review == Decimal("5.00")
    assert sheet.review_total.value == Decimal("95.00")  # 99.80 − (9.80 − 5)


@pytest.mark.parametrize(
    ("score", "comment", "message"),
    [
        ("31", "多", "超过该指标分值 30.00 分"),
        ("-1", "少", "不能小于 0"),
        ("abc", "", "不是数字"),
        ("24", "", "须填写复核说明"),
        ("24.125", "三位小数", "最多保留两位小数"),
    ],
)
def test_a_score_that_cannot_stand_is_refused_in_chinese_and_nothing_is_written(
    world, approved, score, comment, message
):
    client = finance(world)
    response = client.post(
        url(approved, "sheet/"),
        {**sheet_post({LEAF: (score, comment), EXECUTION_KEY: ("5", "这一行本身没有问题")})},
        follow=True,
    )
    page = response.content.decode()
    assert message in page and "科普活动场次" in page
    assert not IndicatorReview.objects.filter(record=approved).exists()  # not even the good line


def test_the_unit_sees_queries_at_once_but_the_scores_only_when_the_review_is_finished(world, approved):
    finance(world).post(url(approved, "sheet/"), sheet_post({LEAF: ("24", "只能证实 24 场")}))
    unit_page = filler(world).get(url(approved)).content.decode()
    assert 'id="review-sheet"' not in unit_page and "93.80" not in unit_page
    department_page = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA")).get(url(approved)).content.decode()
    assert 'id="review-sheet"' in department_page and "93.80" in department_page
    assert 'name="score-0"' not in department_page  # reads, does not score


def test_a_query_is_answered_by_the_unit_with_an_evidence_file_and_each_side_is_told(world, approved):
    unit_people = {world.user(Role.FILLER, "A1").pk, world.user(Role.UNIT_HEAD, "A1").pk}
    finance(world).post(
        url(approved, "message/"), {"kind": "query", "key": LEAF, "body": "请提供 110 场活动的签到记录"}
    )
    query = ReviewMessage.objects.get(record=approved, kind="query")
    assert query.answered_at is None and query.side == "reviewer"
    told = Notice.objects.filter(text__contains="提出复核问询")
    assert set(told.values_list("user_id", flat=True)) == unit_people
    assert told.first().url == f"/review/{approved.pk}/#message-{query.pk}"

    page = filler(world).get(url(approved)).content.decode()
    assert "待答复的复核问询 1 条" in page and "请提供 110 场活动的签到记录" in page
    upload = io.BytesIO(PDF_BYTES)
    upload.name = "签到记录.pdf"
    response = filler(world).post(
        url(approved, "message/"), {"kind": "answer", "reply_to": query.pk, "body": "已附签到记录", "file": upload}
    )
    assert response.status_code == 302
    query.refresh_from_db()
    assert query.answered_at is not None
    answer = ReviewMessage.objects.get(record=approved, kind="answer")
    assert answer.key == LEAF and answer.reply_to_id == query.pk
    item = Evidence.objects.get(record=approved)
    assert (item.key, item.kind, item.side, item.size) == (LEAF, "PDF", "unit", len(PDF_BYTES))
    assert item.message_id == answer.pk
    assert item.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert evidence_files.path_of(item.sha256).read_bytes() == PDF_BYTES
    reviewers = Notice.objects.filter(text__contains="答复了复核问询")
    assert set(reviewers.values_list("user_id", flat=True)) == {world.user(Role.FINANCE_ADMIN, "F1").pk}


def test_only_the_reviewer_asks_queries_and_answers_need_an_open_query_of_this_evaluation(
    world, approved, record_factory
):
    response = filler(world).post(url(approved, "message/"), {"kind": "query", "body": "单位不能问询"}, follow=True)
    assert "只有复核方可以发出问询" in response.content.decode()
    other = record_factory("A1", Status.DEPARTMENT_APPROVED)
    finance(world).post(url(other, "message/"), {"kind": "query", "body": "另一评价的问询"})
    foreign = ReviewMessage.objects.get(record=other)
    response = filler(world).post(
        url(approved, "message/"), {"kind": "answer", "reply_to": foreign.pk, "body": "答错了地方"}, follow=True
    )
    assert "答复须针对本评价的一条问询" in response.content.decode()
    assert not ReviewMessage.objects.filter(record=approved).exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXE_BYTES, "报告.pdf", "其内容是Windows 可执行程序"),
        (b"#!/bin/sh\nrm -rf /\n", "说明.docx", "其内容是脚本"),
        (b"", "空.pdf", "是空文件"),
        (b"<html><script>alert(1)</script></html>", "页面.pdf", "网页或 XML 文本"),
    ],
)
def test_an_evidence_file_is_judged_by_its_content_and_a_refused_one_leaves_nothing(
    world, approved, content, name, message
):
    upload = io.BytesIO(content)
    upload.name = name
    response = filler(world).post(url(approved, "evidence/"), {"key": "", "file": upload}, follow=True)
    page = response.content.decode()
    assert message in page and f"文件“{name}”" in page
    assert not Evidence.objects.exists()
    assert not evidence_files.path_of(hashlib.sha256(content).hexdigest()).exists()


def test_a_file_over_twenty_megabytes_is_refused_before_it_is_read(world, approved):
    upload = io.BytesIO(PDF_BYTES + b"0" * (30 * 1024 * 1024))
    upload.name = "扫描件.pdf"
    response = filler(world).post(url(approved, "evidence/"), {"key": LEAF, "file": upload}, follow=True)
    assert "超过 20 MB 的上限" in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_image_named_pdf_is_kept_as_the_image_it_is_and_downloads_as_one(world, approved):
    upload = io.BytesIO(PNG_BYTES)
    upload.name = "现场照片.pdf"
    filler(world).post(url(approved, "evidence/"), {"key": LEAF, "file": upload})
    item = Evidence.objects.get()
    assert (item.kind, item.media_type) == ("图片（PNG）", "image/png")
    response = finance(world).get(url(approved, f"evidence/{item.pk}/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert "%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png" in response["Content-Disposition"]  # 现场照片.png
    assert b"".join(response.streaming_content) == PNG_BYTES


def test_office_files_are_told_apart_by_their_members(tmp_path: Path):
    workbook = tmp_path / "book.xlsx"
    import openpyxl

    openpyxl.Workbook().save(workbook)
    document = tmp_path / "doc.docx"
    docx.Document().save(str(document))
    for path, kind in ((workbook, "Excel 工作簿"), (document, "Word 文档")):
        with open(path, "rb") as f:
            assert evidence_files.sniff(f.read(64), f, "任意名称.pdf").kind == kind


def test_evidence_is_given_only_to_those_who_may_see_the_evaluation(world, approved, record_factory):
    upload = io.BytesIO(PDF_BYTES)
    upload.name = "合同.pdf"
    filler(world).post(url(approved, "evidence/"), {"key": "", "file": upload})
    item = Evidence.objects.get()
    path = url(approved, f"evidence/{item.pk}/")
    for role, place in [
        (Role.FILLER, "A1"),
        (Role.UNIT_HEAD, "A1"),
        (Role.DEPARTMENT_REVIEWER, "DA"),
        (Role.FINANCE_ADMIN, "F1"),
    ]:
        assert client_for(world.user(role, place)).get(path).status_code == 200, (role, place)
    for role, place in [
        (Role.FILLER, "A2"),
        (Role.UNIT_HEAD, "B1"),
        (Role.DEPARTMENT_REVIEWER, "DB"),
        (Role.FINANCE_ADMIN, "F2"),
        (Role.FILLER, "C1"),
    ]:
        assert client_for(world.user(role, place)).get(path).status_code == 404, (role, place)
    assert client_for(None).get(path).status_code == 302  # to the login page
    # a file of this evaluation is not reachable through another evaluation the person may see
    other = record_factory("A1", Status.DEPARTMENT_APPROVED)
    assert filler(world).get(url(other, f"evidence/{item.pk}/")).status_code == 404


@pytest.mark.parametrize(
    ("role", "place"),
    [(Role.FILLER, "A1"), (Role.UNIT_HEAD, "A1"), (Role.DEPARTMENT_REVIEWER, "DA")],
)
def test_only_the_finance_reviewer_scores_records_problems_and_finishes(world, approved, role, place):
    client = client_for(world.user(role, place))
    assert client.post(url(approved, "sheet/"), sheet_post({LEAF: ("20", "x")})).status_code == 403
    assert client.post(url(approved, "problems/"), {"problem": "p", "requirement": "r"}).status_code == 403
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert client.post(url(approved, "finish/"), {"due": due, "confirm": "yes"}).status_code == 403
    assert not IndicatorReview.objects.exists() and not ReviewProblem.objects.exists()
    approved.refresh_from_db()
    assert approved.status == Status.DEPARTMENT_APPROVED


def test_the_reviewer_sees_what_the_unit_changed_since_a_query(world, record_factory):
    record = record_factory("A1", Status.RETURNED)
    finance(world).post(url(record, "message/"), {"kind": "query", "key": LEAF, "body": "场次与记录不符"})
    unit = world.org("A1")
    indicators = copy.deepcopy(BASE["indicators"])
    indicators[0]["children"][0]["children"][0]["actual"] = "96场"
    changed = evaluation_for(unit, record.project_name, indicators=indicators)
    evaluation_services.save(record.pk, changed, world.user(Role.FILLER, "A1"), record.revision)
    page = finance(world).get(url(record)).content.decode()
    assert "问询后单位的修改" in page
    assert "绩效指标 › 产出指标 › 数量指标 › 科普活动场次 › 实际完成值" in page
    assert "110场" in page and "96场" in page


def finished(world: World, record: EvaluationRecord, **extra: str) -> Any:
    client = finance(world)
    client.post(url(record, "sheet/"), sheet_post({LEAF: ("24", "只能证实 24 场")}))
    client.post(url(record, "problems/"), {"key": LEAF, "problem": "活动场次多报 14 场", "requirement": "核实并更正"})
    due = (timezone.localdate() + dt.timedelta(days=45)).isoformat()
    return client.post(url(record, "finish/"), {"conclusion": "基本属实，场次多报", "due": due, **extra})


def test_finishing_asks_first_then_records_the_sheet_s_total_as_the_review_score(world, approved):
    page = finished(world, approved).content.decode()
    assert "确认完成复核" in page and "93.80 分" in page and "比单位自评低 6.00 分" in page
    approved.refresh_from_db()
    assert approved.status == Status.DEPARTMENT_APPROVED  # not until confirmed
    finished(world, approved, confirm="yes")
    approved.refresh_from_db()
    assert approved.status == Status.FINANCE_REVIEWED
    assert (approved.review_score, approved.review_grade) == (Decimal("93.80"), "优")
    assert approved.review_comment == "基本属实，场次多报"
    assert Notice.objects.filter(text__contains="财政复核已完成：复核得分 93.80 分").count() == 2  # 填报人, 负责人
    page = filler(world).get(url(approved)).content.decode()
    assert 'id="review-sheet"' in page and "活动场次多报 14 场" in page


def test_the_detail_page_s_review_step_takes_the_sheet_s_total_not_a_typed_one(world, approved):
    finance(world).post(url(approved, "sheet/"), sheet_post({LEAF: ("24", "只能证实 24 场")}))
    client = finance(world)
    assert "复核得分按逐项合计为 <b>93.80 分</b>" in client.get(f"/evaluations/{approved.pk}/").content.decode()
    client.post(f"/evaluations/{approved.pk}/action/review/", {"review_score": "100", "comment": "", "confirm": "yes"})
    approved.refresh_from_db()
    assert approved.review_score == Decimal("93.80")


def test_the_review_opinion_is_for_the_roles_above_the_unit_and_for_the_unit_once_finished(world, approved):
    finance(world).post(url(approved, "sheet/"), sheet_post({LEAF: ("24", "只能证实 24 场")}))
    assert filler(world).get(url(approved, "opinion.docx")).status_code == 403
    response = finance(world).get(url(approved, "opinion.docx"))
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert "复核意见书" in text
    finished(world, approved, confirm="yes")
    response = filler(world).get(url(approved, "opinion.docx"))
    assert response.status_code == 200
    assert "%E5%A4%8D%E6%A0%B8%E6%84%8F%E8%A7%81%E4%B9%A6.docx" in response["Content-Disposition"]  # 复核意见书.docx


@pytest.mark.office
def test_the_review_opinion_pdf_is_rendered(world, approved):
    finished(world, approved, confirm="yes")
    response = finance(world).get(url(approved, "opinion.pdf"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


#: per route of the 复核 (``{pk}`` the evaluation, ``{evidence}`` and ``{problem}`` its own), what each role inside
#: the evaluation's branch gets; people of other branches get 404 everywhere (test_permissions_outsiders.py)
INSIDERS: list[tuple[str, str]] = [
    (Role.FILLER, "A1"),
    (Role.UNIT_HEAD, "A1"),
    (Role.DEPARTMENT_REVIEWER, "DA"),
    (Role.FINANCE_ADMIN, "F1"),
]
ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "", {"filler": 200, "unit_head": 200, "department_reviewer": 200, "finance_admin": 200}),
    (
        "GET",
        "evidence/{evidence}/",
        {"filler": 200, "unit_head": 200, "department_reviewer": 200, "finance_admin": 200},
    ),
    ("GET", "opinion.docx", {"filler": 403, "unit_head": 403, "department_reviewer": 200, "finance_admin": 200}),
    ("POST", "sheet/", {"filler": 403, "unit_head": 403, "department_reviewer": 403, "finance_admin": 302}),
    ("POST", "message/", {"filler": 302, "unit_head": 302, "department_reviewer": 403, "finance_admin": 302}),
    ("POST", "evidence/", {"filler": 302, "unit_head": 302, "department_reviewer": 403, "finance_admin": 302}),
    ("POST", "problems/", {"filler": 403, "unit_head": 403, "department_reviewer": 403, "finance_admin": 302}),
    (
        "POST",
        "problems/{problem}/delete/",
        {"filler": 403, "unit_head": 403, "department_reviewer": 403, "finance_admin": 302},
    ),
    ("POST", "finish/", {"filler": 403, "unit_head": 403, "department_reviewer": 403, "finance_admin": 200}),
]


@pytest.mark.parametrize(("method", "tail", "expected"), ROUTES, ids=[f"{m} {t or '/'}" for m, t, _ in ROUTES])
def test_each_role_inside_the_branch_gets_what_its_side_allows(world, approved, method, tail, expected):
    upload = io.BytesIO(PDF_BYTES)
    upload.name = "合同.pdf"
    filler(world).post(url(approved, "evidence/"), {"key": "", "file": upload})
    evidence = Evidence.objects.get(record=approved)
    problem = services.add_problem(
        approved.pk, key="", problem="问题", requirement="要求", user=world.user(Role.FINANCE_ADMIN, "F1")
    )
    path = url(approved, tail.format(evidence=evidence.pk, problem=problem.pk))
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data = {"body": "说明", "problem": "问题二", "requirement": "要求二", "due": due, **sheet_post({LEAF: ("", "")})}
    for role, place in INSIDERS:
        client = client_for(world.user(role, place))
        if method == "POST" and tail == "evidence/":
            again = io.BytesIO(PDF_BYTES)
            again.name = "合同.pdf"
            data["file"] = again
        response = client.get(path) if method == "GET" else client.post(path, data)
        assert response.status_code == expected[role], f"{method} {path} as {role}: {response.status_code}"
        if tail == "problems/{problem}/delete/" and response.status_code == 302:
            problem = services.add_problem(
                approved.pk, key="", problem="问题", requirement="要求", user=world.user(Role.FINANCE_ADMIN, "F1")
            )
    sysadmin = client_for(world.sysadmin)
    assert sysadmin.get(url(approved)).status_code == 200


def test_a_submitted_evaluation_is_reviewed_ahead_but_finished_only_after_the_department_approves(
    world, record_factory
):
    record = record_factory("A1", Status.SUBMITTED)
    client = finance(world)
    client.post(url(record, "sheet/"), sheet_post({LEAF: ("24", "只能证实 24 场")}))
    assert services.sheet_of(record).review_total.value == Decimal("93.80")
    page = client.get(url(record)).content.decode()
    assert 'id="finish-later"' in page and "主管部门审核通过后才能完成复核" in page
    assert f'action="/review/{record.pk}/finish/"' not in page
