"""抽查复核计划 (issue 11 §1): finance draws a year's sample of submitted self-evaluations, stratified by 主管部门,
partly by risk and partly at random with a recorded seed; the same data, criteria and seed give the same list; each
evaluation drawn says why; the draw is recorded and exports to xlsx; only the 财政局's own 绩效管理员 (and the system
administrator) see it."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from io import BytesIO
from typing import Any

import openpyxl
import pytest
from django.utils import timezone

from jixiao.core.sampling import NO_DEPARTMENT, Candidate, EarlierReviews, SamplePlan
from jixiao.core.sampling import draw as core_draw
from jixiao.io.catalogue import load_sampling_weights
from jixiao.web.changes.models import ObjectChange
from jixiao.web.evaluations.choices import Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.evaluations.unscored import record_unscored
from jixiao.web.organisations.models import Organisation, Role
from jixiao.web.sampling import services
from jixiao.web.sampling.models import SampleDraw, SampleItem
from tests.web.conftest import World, client_for

URL = "/sampling/"


@pytest.fixture
def year(world: World, record_factory: Any) -> dict[str, EvaluationRecord]:
    """2022 under 测试市财政局: five submitted evaluations in two 主管部门 (one with errors and a self score far above
    the computed one), one draft (not drawn), and one of another 财政局 (never drawn)."""
    made = {
        "a1-plain": record_factory("A1", Status.SUBMITTED),
        "a1-inflated": record_factory("A1", Status.DEPARTMENT_APPROVED),
        "a2-plain": record_factory("A2", Status.SUBMITTED),
        "b1-plain": record_factory("B1", Status.SUBMITTED),
        "b1-published": record_factory("B1", Status.PUBLISHED),
        "a2-draft": record_factory("A2", Status.DRAFT),
        "c1-other": record_factory("C1", Status.SUBMITTED),
    }
    EvaluationRecord.objects.filter(pk=made["a1-inflated"].pk).update(
        claimed_score=Decimal("98"), computed_score=Decimal("70"), error_count=2
    )
    return {name: EvaluationRecord.objects.get(pk=r.pk) for name, r in made.items()}


def draw(world: World, **changes: Any) -> Any:
    data = {
        "finance": str(world.org("F1").pk),
        "year": "2022",
        "size_kind": "count",
        "size": "2",
        "minimum_per_department": "1",
        "random_share_pct": "0",
        "seed": "12345",
    }
    data.update(changes)
    return client_for(world.user(Role.FINANCE_ADMIN, "F1")).post(URL, data)


def listed(stored: SampleDraw) -> list[tuple[str, str, int]]:
    return [(i.project_name, i.part, i.rank) for i in stored.items.all()]


def test_finance_draws_by_risk_within_each_department_and_says_why(world: World, year: dict[str, Any]) -> None:
    response = draw(world)
    stored = SampleDraw.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sampling/{stored.pk}/"
    assert (stored.year, stored.candidates, stored.asked, stored.drawn, stored.seed) == (2022, 5, 2, 2, 12345)
    drawn = {item.record_id: item for item in stored.items.all()}
    # one per 主管部门 (2 asked over 3 and 2 candidates); in 甲, the inflated one with errors ranks first
    assert year["a1-inflated"].pk in drawn
    assert {item.department_name for item in drawn.values()} == {"甲主管部门", "乙主管部门"}
    inflated = drawn[year["a1-inflated"].pk]
    assert inflated.part == SampleItem.Part.RISK and inflated.rank == 1
    assert inflated.why.startswith("风险分 ") and "2 条错误" in inflated.why and "在本主管部门排第 1 位" in inflated.why
    assert not {year["a2-draft"].pk, year["c1-other"].pk} & set(drawn)
    page = client_for(world.user(Role.FINANCE_ADMIN, "F1")).get(f"/sampling/{stored.pk}/").content.decode()
    assert inflated.why in page and "实际抽取 2 个" in page and "随机种子 12345" in page


def test_the_same_seed_draws_the_same_list_and_another_seed_changes_only_the_random_part(
    world: World, year: dict[str, Any]
) -> None:
    plan = {"size": "100", "size_kind": "pct", "random_share_pct": "50", "minimum_per_department": "0"}
    for seed in ("7", "7", "8"):
        draw(world, seed=seed, **plan)
    first, again, other = SampleDraw.objects.order_by("pk")
    assert listed(first) == listed(again)
    assert [i for i in listed(first) if i[1] == "risk"] == [i for i in listed(other) if i[1] == "risk"]
    assert (first.drawn, other.drawn) == (5, 5)


def test_the_minimum_per_department_can_draw_more_than_asked_and_says_so(world: World, year: dict[str, Any]) -> None:
    draw(world, size="1", minimum_per_department="2")
    stored = SampleDraw.objects.get()
    assert (stored.asked, stored.drawn) == (1, 4)
    assert stored.criteria["notes"] == ["因每个主管部门至少抽取 2 个，实际抽取 4 个，多于按规模确定的 1 个"]
    per = {d["department"]: (d["candidates"], d["allocated"], d["risk"], d["random"]) for d in stored.per_department}
    assert per == {"甲主管部门": (3, 2, 2, 0), "乙主管部门": (2, 2, 2, 0)}


def test_the_draw_exports_to_xlsx_with_its_criteria_and_reasons(world: World, year: dict[str, Any]) -> None:
    draw(world)
    stored = SampleDraw.objects.get()
    response = client_for(world.user(Role.FINANCE_ADMIN, "F1")).get(f"/sampling/{stored.pk}/sample.xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    ws = wb["抽查名单"]
    assert ws["A1"].value == "测试市财政局2022年度项目支出绩效自评抽查复核名单"
    assert "随机种子 12345" in ws["A2"].value and "实际抽取 2 个" in ws["A2"].value
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_col=9)]
    assert [r[0] for r in rows] == [1, 2]
    assert {r[8] for r in rows} == {i.why for i in stored.items.all()}
    assert [r[0] for r in wb["各主管部门"].iter_rows(min_row=3, max_col=1, values_only=True)] == [
        "乙主管部门",
        "甲主管部门",
    ]


def test_the_draw_is_recorded_in_the_change_log(world: World, year: dict[str, Any]) -> None:
    draw(world)
    stored = SampleDraw.objects.get()
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(SampleDraw)
    change = ObjectChange.objects.get(content_type=kind, object_id=stored.pk)
    assert (change.action, change.after["seed"], change.after["drawn"]) == ("create", 12345, 2)
    assert change.user == world.user(Role.FINANCE_ADMIN, "F1")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"size_kind": "pct", "size": "150"}, "按比例抽取时，比例须在 0 到 100 之间"),
        ({"size_kind": "count", "size": "2.5"}, "按数量抽取时，数量须为整数"),
        ({"year": "2019"}, "测试市财政局 2019 年度没有可抽取的评价（须为单位已提交及以后的）"),
        ({"random_share_pct": "120"}, "确保该值小于或等于100。"),
    ],
)
def test_a_bad_plan_draws_nothing_and_says_why_in_chinese(
    world: World, year: dict[str, Any], changes: dict[str, str], message: str
) -> None:
    response = draw(world, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SampleDraw.objects.exists() and not SampleItem.objects.exists()


@pytest.mark.parametrize(
    ("role", "place", "list_status", "sees"),
    [
        (Role.FINANCE_ADMIN, "F1", 200, True),
        (Role.FINANCE_ADMIN, "F2", 200, False),
        (Role.DEPARTMENT_REVIEWER, "DA", 403, False),
        (Role.FILLER, "A1", 403, False),
        (Role.UNIT_HEAD, "A1", 403, False),
    ],
)
def test_who_draws_and_sees_a_draw(
    world: World, year: dict[str, Any], role: str, place: str, list_status: int, sees: bool
) -> None:
    draw(world)
    stored = SampleDraw.objects.get()
    client = client_for(world.user(role, place))
    response = client.get(URL)
    assert response.status_code == list_status
    if list_status == 200:
        assert (f"/sampling/{stored.pk}/" in response.content.decode()) == sees
    for url in (f"/sampling/{stored.pk}/", f"/sampling/{stored.pk}/sample.xlsx"):
        assert client.get(url).status_code == (200 if sees else 404), url
    # a 财政局 draws only for itself: another one's id in the form is refused, and nothing is drawn
    before = SampleDraw.objects.count()
    client.post(URL, {"finance": str(world.org("F1").pk), "year": "2022", "size_kind": "count", "size": "1",
                      "minimum_per_department": "0", "random_share_pct": "0"})  # fmt: skip
    assert SampleDraw.objects.count() == before + (1 if sees else 0)


def test_the_system_administrator_sees_every_draw_and_anonymous_visitors_are_sent_to_sign_in(
    world: World, year: dict[str, Any]
) -> None:
    draw(world)
    stored = SampleDraw.objects.get()
    admin = client_for(world.sysadmin)
    assert admin.get(f"/sampling/{stored.pk}/").status_code == 200
    for url in (URL, f"/sampling/{stored.pk}/", f"/sampling/{stored.pk}/sample.xlsx"):
        response = client_for(None).get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def plain_candidates(finance: Organisation, year: int) -> list[Candidate]:
    """The candidates read the straightforward way: whole records, one gap at a time."""
    gaps: dict[int, list[Decimal]] = defaultdict(list)
    for r in EvaluationRecord.objects.filter(finance=finance, year__lt=year).order_by("pk"):
        if r.claimed_score is not None and r.review_score is not None:
            gaps[r.unit_id].append(r.claimed_score - r.review_score)
    records = EvaluationRecord.objects.filter(finance=finance, year=year, status__in=services.ELIGIBLE)
    return [
        Candidate(
            record_id=r.pk,
            department_id=r.department_id,
            department_name=r.department.name if r.department else NO_DEPARTMENT,
            unit_id=r.unit_id,
            unit_name=r.unit.name,
            project_name=r.project_name,
            budget_wan=r.budget_wan,
            claimed_score=r.claimed_score,
            computed_score=None if record_unscored(r) else r.computed_score,
            execution_rate=r.execution_rate,
            error_count=r.error_count,
            warning_count=r.warning_count,
            earlier=EarlierReviews.of(gaps[r.unit_id]),
        )
        for r in records.select_related("unit", "department").order_by("pk")
    ]


def test_the_candidates_read_for_a_draw_are_those_of_the_straightforward_reading(
    world: World, year: dict[str, EvaluationRecord], record_factory: Any
) -> None:
    """The draw reads only the columns it needs and has the database sum up each unit's earlier 复核; every field
    of every candidate is what reading whole records and their gaps one by one gives."""
    reviewed = {
        # unit: (claimed, reviewed) of its re-checked evaluations of earlier years, in cents that a sum of floating
        # point numbers would not keep
        "A1": [("98.57", "70.12"), ("80.10", "80.10"), ("66.66", "70"), ("90.01", "89.99")],
        "A2": [("75.5", "80.25"), ("88", "87.33")],
        "C1": [("99", "60")],  # another 财政局's: never counted
    }
    for place, scores in reviewed.items():
        for i, (claimed, review) in enumerate(scores):
            r = record_factory(place, Status.FINANCE_REVIEWED, year=2020 + i % 2)
            EvaluationRecord.objects.filter(pk=r.pk).update(
                claimed_score=Decimal(claimed), review_score=Decimal(review)
            )
    # not re-checked, deleted, or of the year itself or later: no part of the history
    record_factory("B1", Status.PUBLISHED, year=2021)
    EvaluationRecord.objects.filter(unit=world.org("B1"), year=2021).update(review_score=None)
    hidden = record_factory("A2", Status.FINANCE_REVIEWED, year=2021)
    EvaluationRecord.objects.filter(pk=hidden.pk).update(
        claimed_score=Decimal(99), review_score=Decimal(10), deleted_at=timezone.now()
    )
    record_factory("A1", Status.FINANCE_REVIEWED, year=2023)
    # this year's: one blank (未评分), one never computed, one without 主管部门
    EvaluationRecord.objects.filter(pk=year["a2-plain"].pk).update(
        computed_score=Decimal(0), arrival_rate=None, execution_rate=None
    )
    EvaluationRecord.objects.filter(pk=year["b1-plain"].pk).update(computed_score=None, budget_wan=None)
    EvaluationRecord.objects.filter(pk=year["b1-published"].pk).update(department=None, warning_count=3)

    finance = world.org("F1")
    got = services.candidates(finance, 2022)
    assert got == plain_candidates(finance, 2022)
    assert len(got) == 5
    by_unit = {c.unit_name: c.earlier for c in got}
    assert by_unit["甲一单位"] == EarlierReviews(4, 2, Decimal("28.47"))
    assert by_unit["甲二单位"] == EarlierReviews(2, 1, Decimal("0.67"))
    assert by_unit["乙一单位"] == EarlierReviews()
    by_record = {c.record_id: c for c in got}
    assert by_record[year["b1-published"].pk].department_name == NO_DEPARTMENT
    assert by_record[year["a2-plain"].pk].computed_score is None
    assert by_record[year["b1-plain"].pk].computed_score is None
    # and a draw from them stores what was drawn, item by item, as the draw has it (on PostgreSQL through COPY)
    plan = {"size_count": 4, "minimum_per_department": 0, "random_share_pct": Decimal(25), "seed": 1}
    weights = load_sampling_weights()
    stored = services.draw_sample(finance, 2022, plan, world.user(Role.FINANCE_ADMIN, "F1"), weights)
    sample = core_draw(got, SamplePlan(**plan), weights)
    assert sorted(i.part for i in sample.items) == ["random", "risk", "risk", "risk"]
    assert [
        (i.record_id, i.position, i.department_name, i.unit_name, i.project_name, i.budget_wan, i.part, i.rank,
         i.risk_score, i.why)
        for i in stored.items.all()
    ] == [
        (i.candidate.record_id, n, i.candidate.department_name, i.candidate.unit_name, i.candidate.project_name,
         i.candidate.budget_wan, i.part, i.rank_in_department, i.risk_score, i.why)
        for n, i in enumerate(sample.items, 1)
    ]  # fmt: skip


def test_the_drawn_list_shows_each_one_s_review_and_filters_by_department(world: World, year: dict[str, Any]) -> None:
    draw(world, size="3")
    stored = SampleDraw.objects.get()
    drawn = {i.record_id for i in stored.items.all()}
    reviewed = year["b1-published"]  # published: already re-checked (85 分 in the fixtures)
    client = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    page = client.get(f"/sampling/{stored.pk}/").content.decode()
    assert f"已完成复核 {1 if reviewed.pk in drawn else 0} / {stored.drawn}" in page
    if reviewed.pk in drawn:
        assert "85.00 分" in page
    only = client.get(f"/sampling/{stored.pk}/?department=乙主管部门").context["items"]
    assert {i.department_name for i in only} == {"乙主管部门"}
    assert len(only) == stored.items.filter(department_name="乙主管部门").count() >= 1
