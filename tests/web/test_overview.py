"""The overview (汇总分析): who may see it, exact counts, the SVG histogram, the score table and its query count."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.core.checks import CATALOGUE
from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Status
from jixiao.web.evaluations.models import EvaluationRecord, StoredFinding
from jixiao.web.evaluations.overview import BINS
from tests.web.overview_fixtures import *  # noqa: F403 - the orgs and people fixtures
from tests.web.overview_fixtures import Orgs, build, clone, login

URL = reverse("evaluations:overview")

#: the most queries the overview may make, whatever the number of records. Measured: 8 for a 财政 or 主管部门
#: user (session, user, memberships, the units their organisation reaches, one aggregate for every count and
#: the histogram, one grouped query for the findings, one page of rows, the unit choices of the filter form),
#: 7 for a 系统管理员 (no unit lookup); two to spare for changes in sign-in or access.
MAX_QUERIES = 10


@pytest.fixture
def dataset(orgs: Orgs) -> dict[str, EvaluationRecord]:
    """Ten live records over three units (eight under 科协, two under 教育局) and one soft-deleted draft."""
    records = {
        "a_draft": build(orgs.unit_a, "科协草稿项目", profile="excellent"),
        "a_submitted": build(orgs.unit_a, "科协已提交项目", status=Status.SUBMITTED, profile="good"),
        "a_returned": build(orgs.unit_a, "科协退回项目", status=Status.RETURNED, profile="fair"),
        "a_approved": build(orgs.unit_a, "科协审核通过项目", status=Status.DEPARTMENT_APPROVED, profile="pass"),
        "a_reviewed": build(
            orgs.unit_a, "科协已复核项目", status=Status.FINANCE_REVIEWED, profile="poor", review_score="58"
        ),
        "a_published": build(orgs.unit_a, "科协公开项目", status=Status.PUBLISHED, profile="excellent"),
        "b_draft": build(orgs.unit_b, "科技馆草稿项目", profile="good"),
        "b_published": build(
            orgs.unit_b, "科技馆公开项目", status=Status.PUBLISHED, profile="excellent", review_score="95"
        ),
        "c_draft": build(orgs.unit_c, "一中草稿项目", profile="poor"),
        "c_published": build(orgs.unit_c, "一中公开项目", status=Status.PUBLISHED, profile="excellent"),
    }
    deleted = build(orgs.unit_a, "科协已删除项目", profile="poor")
    services.soft_delete(deleted.pk, None)
    return records


def bars(html: str) -> dict[str, tuple[int, float]]:
    """Histogram bin → (count, bar height) read from the inline SVG."""
    svg = re.search(r'<svg id="score-chart".*?</svg>', html, re.S)
    assert svg, "no inline SVG chart"
    out = {}
    for rect in re.findall(r"<rect [^>]*>", svg.group(0)):
        label = re.search(r'data-bin="([^"]+)"', rect).group(1)
        count = int(re.search(r'data-count="(\d+)"', rect).group(1))
        height = float(re.search(r'height="([\d.]+)"', rect).group(1))
        out[label] = (count, height)
    return out


# ------------------------------------------------------------------------------------------------ fixtures


@pytest.mark.parametrize(
    ("profile", "score", "grade", "errors"),
    [
        ("excellent", "99.80", "优", False),
        ("good", "84.80", "良", True),
        ("fair", "72.80", "中", True),
        ("pass", "60.80", "中", True),
        ("poor", "57.00", "差", True),
    ],
)
def test_profiles_score_as_the_tests_assume(orgs, profile, score, grade, errors):
    record = build(orgs.unit_a, f"画像 {profile}", profile=profile)
    assert (record.computed_score, record.computed_grade) == (Decimal(score), grade)
    assert (record.error_count > 0) is errors


# ------------------------------------------------------------------------------------------------- access


@pytest.mark.parametrize("username", ["tianbao", "fuzeren"])
def test_unit_roles_are_refused(client, people, username):
    response = login(client, people[username]).get(URL)
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("username", ["shenhe", "caizheng", "xitong"])
def test_overseers_may_see_it(client, people, username):
    assert login(client, people[username]).get(URL).status_code == 200


# ------------------------------------------------------------------------------------------------- counts


def test_counts_for_the_finance_bureau_cover_every_unit(client, people, dataset):
    summary = login(client, people["caizheng"]).get(URL).context["summary"]
    assert summary["total"] == 10
    assert {s.value: n for s, _, n in summary["by_status"]} == {
        "pending": 0,
        "draft": 3,
        "submitted": 1,
        "returned": 1,
        "department_approved": 1,
        "finance_reviewed": 1,
        "published": 3,
    }
    assert dict(summary["by_grade"]) == {"优": 4, "良": 2, "中": 2, "差": 2, "": 0}
    assert summary["with_errors"] == 6  # every profile but "excellent"


def test_counts_for_a_department_reviewer_cover_only_its_units(client, people, dataset):
    response = login(client, people["shenhe"]).get(URL)
    summary = response.context["summary"]
    assert summary["total"] == 8
    assert {s.value: n for s, _, n in summary["by_status"]} == {
        "pending": 0,
        "draft": 2,
        "submitted": 1,
        "returned": 1,
        "department_approved": 1,
        "finance_reviewed": 1,
        "published": 2,
    }
    assert dict(summary["by_grade"]) == {"优": 3, "良": 2, "中": 2, "差": 1, "": 0}
    assert summary["with_errors"] == 5
    # every claim is 99.80: all but the three "excellent" records differ from the computed score by > 0.5
    assert summary["claim_gap"] == 5
    # 复核 58 against 57.00, and 95 against 99.80; the other 公开 record was reviewed at its computed score
    assert summary["review_gap"] == 2
    html = response.content.decode()
    assert "一中" not in html and "科协已删除项目" not in html
    assert re.search(r'id="with-errors"><a [^>]*>5</a>', html)


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("status=published", 3),
        ("status=draft&year=2022", 3),
        ("grade=差", 2),
        ("finding=any-error", 6),
        ("finding=S005", 6),
        ("finding=S011", 6),
        ("q=公开", 3),
        ("year=2021", 0),
    ],
)
def test_the_list_filters_apply(client, people, dataset, query, total):
    summary = login(client, people["caizheng"]).get(f"{URL}?{query}").context["summary"]
    assert summary["total"] == total
    assert sum(n for _, _, n in summary["by_status"]) == total


def test_unit_filter(client, people, dataset, orgs):
    response = login(client, people["caizheng"]).get(URL, {"unit": orgs.unit_b.name})
    assert response.context["summary"]["total"] == 2
    assert {row.record.project_name for row in response.context["rows"]} == {"科技馆草稿项目", "科技馆公开项目"}


@pytest.mark.parametrize("units", [3, 250], ids=["a-few-units", "hundreds-of-units"])
def test_a_unit_name_matching_many_units_finds_all_their_evaluations(client, people, orgs, units):
    """The unit filter gives the database the matching units' ids, or past a few hundred (on PostgreSQL) the match
    itself: every evaluation of every matching unit is found either way, in the list and in the overview."""
    from jixiao.web.organisations.models import Organisation, OrganisationKind

    record = build(orgs.unit_a, "郊区项目")
    others = Organisation.objects.bulk_create(
        Organisation(name=f"测试市郊区单位{i:03d}", kind=OrganisationKind.UNIT, parent=orgs.department)
        for i in range(units)
    )
    fields = [
        f.name for f in EvaluationRecord._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")
    ]
    copies = [EvaluationRecord(**{**{f: getattr(record, f) for f in fields}, "unit": unit}) for unit in others]
    EvaluationRecord.objects.bulk_create(copies)
    listed = login(client, people["shenhe"]).get("/evaluations/", {"unit": "郊区单位"})
    assert listed.context["total"] == units and len(listed.context["page"]) == min(units, 50)
    assert f'<span class="muted">共 {units} 项</span>' in listed.content.decode()
    overview = login(client, people["caizheng"]).get(URL, {"unit": "郊区单位"})
    assert overview.context["summary"]["total"] == units


def test_top_findings_are_counted_per_evaluation_with_catalogue_titles(client, people, dataset):
    findings = login(client, people["caizheng"]).get(URL).context["findings"]
    pairs = list(StoredFinding.objects.filter(record__deleted_at__isnull=True).values_list("code", "record_id"))
    occurrences = Counter(code for code, _ in pairs)
    per_code = Counter(code for code, _ in set(pairs))
    expected = sorted(per_code, key=lambda c: (-per_code[c], -occurrences[c], c))[:10]
    assert [f["code"] for f in findings] == expected
    for f in findings:
        assert f["records"] == per_code[f["code"]]
        assert f["occurrences"] == occurrences[f["code"]]
        assert f["title"] == CATALOGUE[f["code"]].title
    assert findings[0]["records"] == 6


def test_top_findings_stop_at_ten(client, people, orgs):
    record = build(orgs.unit_a, "很多问题的项目")
    codes = sorted(CATALOGUE)[:12]
    StoredFinding.objects.bulk_create(
        StoredFinding(record=record, code=code, severity="error", message="x") for code in codes
    )
    findings = login(client, people["caizheng"]).get(URL).context["findings"]
    assert len(findings) == 10
    assert [f["code"] for f in findings] == codes[:10]


# -------------------------------------------------------------------------------------------------- chart


def test_svg_bars_count_each_score_band(client, people, dataset):
    response = login(client, people["caizheng"]).get(URL)
    html = response.content.decode()
    chart = bars(html)
    assert list(chart) == [label for label, _, _ in BINS]
    assert {label: n for label, (n, _) in chart.items()} == {
        "0–59": 2,
        "60–69": 1,
        "70–79": 1,
        "80–89": 2,
        "90–100": 4,
    }
    tallest = max(h for _, h in chart.values())
    assert chart["90–100"][1] == tallest
    assert chart["0–59"][1] == pytest.approx(tallest / 2, abs=0.1)
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_svg_bins_at_their_edges(client, people, orgs):
    record = build(orgs.unit_a, "边界")
    scores = ["0", "59.99", "60.00", "69.99", "70", "89.99", "90", "100", None]
    # the overview reads the stored computed_score column: set it to each edge directly
    for i, (item, score) in enumerate(zip(clone(record, len(scores)), scores, strict=True)):
        EvaluationRecord.objects.filter(pk=item.pk).update(computed_score=score, project_name=f"边界 {i}")
    record.delete()
    response = login(client, people["caizheng"]).get(URL)
    chart = bars(response.content.decode())
    assert {label: n for label, (n, _) in chart.items()} == {
        "0–59": 2,
        "60–69": 2,
        "70–79": 1,
        "80–89": 1,
        "90–100": 2,
    }
    assert response.context["summary"]["unscored"] == 1
    assert chart["70–79"][1] == pytest.approx(chart["0–59"][1] / 2, abs=0.1)


def test_empty_overview_has_flat_bars(client, people):
    response = login(client, people["caizheng"]).get(URL)
    assert response.status_code == 200
    assert all(n == 0 and h == 0 for n, h in bars(response.content.decode()).values())
    assert "没有符合条件的评价" in response.content.decode()


# -------------------------------------------------------------------------------------------------- table


def cells(html: str, pk: int) -> list[str]:
    row = re.search(rf'<tr data-pk="{pk}">(.*?)</tr>', html, re.S)
    assert row, f"row {pk} missing"
    return re.findall(r"<td[^>]*>.*?</td>", row.group(1), re.S)


def test_table_puts_the_three_scores_side_by_side_and_flags_gaps(client, people, orgs):
    exact = build(orgs.unit_a, "相差 0.50", claimed="99.80")
    over = build(orgs.unit_a, "相差 0.51", claimed="99.80")
    reviewed = build(orgs.unit_a, "复核不同", status=Status.PUBLISHED, review_score="98.30")
    EvaluationRecord.objects.filter(pk=exact.pk).update(claimed_score=Decimal("100.30"))
    EvaluationRecord.objects.filter(pk=over.pk).update(claimed_score=Decimal("100.31"))
    response = login(client, people["caizheng"]).get(URL)
    html = response.content.decode()

    row = cells(html, exact.pk)
    assert f'href="{reverse("evaluations:detail", args=[exact.pk])}"' in html
    assert ">100.30<" in row[4] and ">99.80<" in row[5] and "—" in row[6]
    assert "diff" not in row[4] and "+0.50" in row[7]
    row = cells(html, over.pk)
    assert 'class="num diff"' in row[4] and "+0.51" in row[7]
    row = cells(html, reviewed.pk)
    assert ">98.30<" in row[6] and 'class="num diff"' in row[6] and "-1.50" in row[8]
    assert response.context["summary"]["claim_gap"] == 1
    assert response.context["summary"]["review_gap"] == 1


def test_table_sorts_by_gap(client, people, orgs):
    small = build(orgs.unit_a, "差距小", profile="good")  # 99.80 claimed, 84.80 computed
    large = build(orgs.unit_a, "差距大", profile="poor")  # 99.80 claimed, 57.00 computed
    build(orgs.unit_a, "无差距", profile="excellent")
    rows = login(client, people["caizheng"]).get(URL, {"sort": "claim_gap"}).context["rows"]
    assert [r.record.pk for r in rows[:2]] == [large.pk, small.pk]


def test_table_is_paginated_by_fifty(client, people, orgs):
    clone(build(orgs.unit_a, "批量"), 64)
    login(client, people["caizheng"])
    first = client.get(URL)
    assert len(first.context["rows"]) == 50
    assert first.context["summary"]["total"] == 65
    second = client.get(URL, {"page": 2})
    assert len(second.context["rows"]) == 15
    assert second.context["page"].paginator.num_pages == 2


# ------------------------------------------------------------------------------------------------ queries


@pytest.mark.parametrize("username", ["caizheng", "shenhe"])
def test_query_count_is_bounded(client, people, dataset, orgs, django_assert_max_num_queries, username):
    login(client, people[username])
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(URL, {"finding": "S005", "sort": "claim_gap", "page": 1}).status_code == 200


def test_query_count_does_not_grow_with_the_records(client, people, orgs):
    login(client, people["caizheng"])
    record = build(orgs.unit_a, "规模", profile="poor")  # one row on the page from the start

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"finding": "any-error"}).status_code == 200
        return len(captured)

    few = queries()
    clone(record, 300, error_count=1)
    clone(build(orgs.unit_c, "规模二", profile="poor"), 300)
    assert queries() == few <= MAX_QUERIES
