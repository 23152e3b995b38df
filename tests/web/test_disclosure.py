"""Public disclosure (绩效信息公开): anonymous visitors see published evaluations only, on every page and export."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import shutil
from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from jixiao.web.disclosure.views import OPEN_DATA_FIELDS
from jixiao.web.evaluations import files, services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord
from tests.conftest import BASE, make
from tests.web.overview_fixtures import *  # noqa: F403 - the orgs fixture
from tests.web.overview_fixtures import PATHS, Orgs, build, clone

#: the CSV is opened by people in Excel: Chinese headers, money and rates with their units
HEADER = (
    "评价年度,项目名称,预算单位,主管部门,全年预算数（万元）,资金到位率（%）,预算执行率（%）,"
    "单位自评得分（分）,计算得分（分）,财政复核得分（分）,评价等级,公开时间"
)
#: the PDF is converted from the Word report by LibreOffice (installed by ``make``)
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None, reason="needs LibreOffice (soffice)"
)
NOT_PUBLISHED = [s for s in Status if s != Status.PUBLISHED]


@pytest.fixture
def site(orgs: Orgs) -> dict[str, EvaluationRecord]:
    """Two published evaluations (one reviewed lower than computed) and one record in every other status."""
    records = {
        "reviewed": build(
            orgs.unit_a, "科普专项经费公开甲", status=Status.PUBLISHED, profile="good", review_score="83.5"
        ),
        "plain": build(orgs.unit_c, "校舍维修公开乙", status=Status.PUBLISHED, profile="excellent", year=2021),
    }
    for status in NOT_PUBLISHED:
        records[status.value] = build(orgs.unit_b, f"保密项目{status.value}", status=status)
    return records


def secret_names(site: dict[str, EvaluationRecord]) -> list[str]:
    return [site[s.value].project_name for s in NOT_PUBLISHED]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


# --------------------------------------------------------------------------------------------------- list


def test_list_is_public_and_shows_only_published(client, site):
    response = client.get(reverse("public:list"))
    assert response.status_code == 200
    html = body(response)
    assert "科普专项经费公开甲" in html and "校舍维修公开乙" in html
    for name in secret_names(site):
        assert name not in html
    assert response.context["total"] == 2


def test_list_row_has_scores_review_grade_and_links(client, site):
    html = body(client.get(reverse("public:list")))
    record = site["reviewed"]
    row = re.search(rf'<tr data-pk="{record.pk}">(.*?)</tr>', html, re.S).group(1)
    tds = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert tds[0] == "2022"
    assert reverse("public:detail", args=[record.pk]) in tds[1]
    assert tds[2] == record.unit.name
    assert tds[3:6] == ["99.80", "84.80", "83.50"]  # 自评, 计算, 复核
    assert tds[6] == "良"  # the 复核 grade (83.50 → 良)
    assert reverse("public:pdf", args=[record.pk]) in tds[7]


def test_list_grade_falls_back_to_the_computed_grade(client, site):
    EvaluationRecord.objects.filter(pk=site["plain"].pk).update(review_grade="", review_score=None)
    html = body(client.get(reverse("public:list")))
    row = re.search(rf'<tr data-pk="{site["plain"].pk}">(.*?)</tr>', html, re.S).group(1)
    tds = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert tds[5] == "—" and tds[6] == "优"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2022"}, {"科普专项经费公开甲"}),
        ({"year": "2021"}, {"校舍维修公开乙"}),
        ({"q": "校舍"}, {"校舍维修公开乙"}),
        ({"q": "科协机关"}, {"科普专项经费公开甲"}),  # the unit name matches too
        ({"q": "保密项目"}, set()),  # drafts are not found by searching either
        ({"year": "1999"}, {"科普专项经费公开甲", "校舍维修公开乙"}),  # not a published year: ignored
    ],
)
def test_list_filters_by_year_and_text(client, site, params, expected):
    response = client.get(reverse("public:list"), params)
    assert {r.project_name for r in response.context["page"]} == expected


def test_list_offers_only_published_years(client, orgs):
    build(orgs.unit_a, "公开", status=Status.PUBLISHED)
    build(orgs.unit_a, "草稿", year=2019)
    choices = [value for value, _ in client.get(reverse("public:list")).context["form"].fields["year"].choices]
    assert choices == ["", 2022]


def test_list_is_paginated(client, orgs):
    clone(build(orgs.unit_a, "批量公开", status=Status.PUBLISHED), 54)
    clone(build(orgs.unit_a, "批量草稿"), 10)
    first = client.get(reverse("public:list"))
    assert first.context["total"] == 55 and len(first.context["page"]) == 50
    second = client.get(reverse("public:list"), {"page": 2})
    assert len(second.context["page"]) == 5
    assert "批量草稿" not in body(first) + body(second)


# ------------------------------------------------------------------------------------------------- detail


def test_detail_of_a_published_evaluation(client, site):
    record = site["reviewed"]
    response = client.get(reverse("public:detail", args=[record.pk]))
    assert response.status_code == 200
    html = body(response)
    assert record.project_name in html and record.unit.name in html and "测试市科学技术协会" in html
    assert re.search(r'id="claimed-score">99\.80 ', html)
    assert re.search(r'id="computed-score">84\.80 ', html)
    assert re.search(r'id="review-score">83\.50 ', html)
    assert 'id="arrival-rate">100.00%<' in html and 'id="execution-rate">98.00%<' in html
    scores = re.search(r'<table id="scores">.*?</table>', html, re.S).group(0)
    for indicator in ("科普活动场次", "答题人数", "公民科学素质", "参与群众满意度", "预算执行率"):
        assert indicator in scores
    assert reverse("public:pdf", args=[record.pk]) in html
    assert "保密项目" not in html


@pytest.mark.parametrize("status", NOT_PUBLISHED, ids=lambda s: s.value)
def test_detail_and_pdf_of_anything_unpublished_are_404(client, site, monkeypatch, status):
    def no_build(*args, **kwargs):
        raise AssertionError("a report was built for an unpublished evaluation")

    monkeypatch.setattr(files, "build", no_build)
    record = site[status.value]
    assert client.get(reverse("public:detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("public:pdf", args=[record.pk])).status_code == 404


def test_missing_record_is_404(client, db):
    assert client.get(reverse("public:detail", args=[999999])).status_code == 404
    assert client.get(reverse("public:pdf", args=[999999])).status_code == 404


def test_a_published_record_soft_deleted_later_is_gone(client, site):
    record = site["plain"]
    EvaluationRecord.all_objects.filter(pk=record.pk).update(deleted_at=timezone.now())
    assert client.get(reverse("public:detail", args=[record.pk])).status_code == 404
    assert record.project_name not in body(client.get(reverse("public:open_data_csv")))


@pytest.mark.office
@needs_libreoffice
def test_publishing_makes_the_pdf_in_the_background_and_the_download_serves_it(client, site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.JIXIAO_RENDER_ON_PUBLISH = True
    record = site[Status.FINANCE_REVIEWED.value]
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.move(record.pk, Action.PUBLISH, None)
    # made once published, before anyone asked for it; only the public report (the review version is internal)
    (made,) = tmp_path.glob("outputs/*/*.pdf")
    assert made.name == "自评报告.pdf"
    stamp = made.stat().st_mtime_ns
    response = client.get(reverse("public:pdf", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == made.read_bytes() and made.read_bytes().startswith(b"%PDF")
    assert made.stat().st_mtime_ns == stamp  # served as made, not converted again


# ---------------------------------------------------------------------------------------------- open data


def test_csv_has_bom_header_and_values(client, site):
    response = client.get(reverse("public:open_data_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["项目名称"] for r in rows] == ["科普专项经费公开甲", "校舍维修公开乙"]  # newest year first
    record = site["reviewed"]
    assert rows[0] == {
        "评价年度": "2022",
        "项目名称": "科普专项经费公开甲",
        "预算单位": "测试市科协机关",
        "主管部门": "测试市科学技术协会",
        "全年预算数（万元）": "100.00",
        "资金到位率（%）": "100.00",
        "预算执行率（%）": "98.00",
        "单位自评得分（分）": "99.80",
        "计算得分（分）": "84.80",
        "财政复核得分（分）": "83.50",
        "评价等级": "良",
        "公开时间": timezone.localtime(record.published_at).isoformat(timespec="seconds"),
    }
    assert rows[1]["评价等级"] == "优" and rows[1]["主管部门"] == "测试市教育局"
    for name in secret_names(site):
        assert name not in text


def test_csv_keeps_spreadsheet_formulas_inert(client, orgs):
    build(orgs.unit_a, "=HYPERLINK(1)", status=Status.PUBLISHED)
    text = body(client.get(reverse("public:open_data_csv")))
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["项目名称"] == "'=HYPERLINK(1)"


def test_json_values_equal_the_records(client, site):
    response = client.get(reverse("public:open_data_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    text = body(response)
    items = json.loads(text, parse_float=Decimal)
    assert [item["project"] for item in items] == ["科普专项经费公开甲", "校舍维修公开乙"]
    for item, key in zip(items, ("reviewed", "plain"), strict=True):
        record = EvaluationRecord.objects.select_related("unit__parent").get(pk=site[key].pk)
        assert list(item) == list(OPEN_DATA_FIELDS)
        assert item == {
            "year": record.year,
            "project": record.project_name,
            "unit": record.unit.name,
            "department": record.unit.parent.name,
            "budget_wan": record.budget_wan.quantize(Decimal("0.01")),
            "arrival_rate_pct": record.arrival_rate,
            "execution_rate_pct": record.execution_rate,
            "self_score": record.claimed_score,
            "computed_score": record.computed_score,
            "review_score": record.review_score,
            "grade": record.review_grade or record.computed_grade,
            "published_at": timezone.localtime(record.published_at).isoformat(timespec="seconds"),
        }
        assert isinstance(item["year"], int)
    # numbers are JSON numbers written with two decimals
    assert '"computed_score": 84.80,' in text and '"review_score": 83.50,' in text and '"budget_wan": 100.00,' in text
    for name in secret_names(site):
        assert name not in text


def test_json_null_review_and_empty_list(client, orgs):
    assert json.loads(body(client.get(reverse("public:open_data_json")))) == []
    record = build(orgs.unit_a, "公开", status=Status.PUBLISHED)
    EvaluationRecord.objects.filter(pk=record.pk).update(review_score=None, review_grade="")
    [item] = json.loads(body(client.get(reverse("public:open_data_json"))))
    assert item["review_score"] is None and item["grade"] == "优"


def test_open_data_filters_by_year(client, site):
    items = json.loads(body(client.get(reverse("public:open_data_json"), {"year": "2021"})))
    assert [item["project"] for item in items] == ["校舍维修公开乙"]
    rows = list(
        csv.DictReader(
            io.StringIO(body(client.get(reverse("public:open_data_csv"), {"year": "2022"})).lstrip("\ufeff"))
        )
    )
    assert [row["项目名称"] for row in rows] == ["科普专项经费公开甲"]


def test_every_public_page_and_export_hides_drafts(client, site):
    pages = [
        reverse("public:list"),
        reverse("public:list") + "?q=保密",
        reverse("public:open_data_csv"),
        reverse("public:open_data_json"),
        *(reverse("public:detail", args=[site[k].pk]) for k in ("reviewed", "plain")),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        for name in secret_names(site):
            assert name not in text, (url, name)


# ------------------------------------------------------------------------------------ the score table adds up


def publish(unit, name: str, **changes) -> EvaluationRecord:
    """An evaluation built from ``tests.conftest.BASE`` with ``changes``, published through the lifecycle."""
    record = services.create(unit, make(project={**BASE["project"], "name": name, "unit": unit.name}, **changes), None)
    for action in PATHS[Status.PUBLISHED]:
        score = record.computed_score if action == Action.REVIEW else None
        services.move(record.pk, action, None, "", score, gate=False)
    return record


def score_columns(html: str) -> dict[str, object]:
    """The printed 自评 and 计算 figures of each line of the score table, and its 合计 row."""
    table = re.search(r'<table id="scores">.*?</table>', html, re.S).group(0)

    def figure(cell: str) -> Decimal | None:
        match = re.match(r"\s*(-?\d+\.\d\d)", re.sub(r"<[^>]+>", " ", cell))
        return Decimal(match.group(1)) if match else None

    rows = []
    for row in re.findall(r'<tr class="score-row">(.*?)</tr>', table, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append((re.sub(r"<[^>]+>", "", cells[0]), figure(cells[4]), figure(cells[5]), cells[4], cells[5]))
    rescaling = re.search(r'<tr class="rescaling">.*?<td class="num">(.*?)</td>', table, re.S)
    return {
        "rows": rows,
        "rescaling": Decimal(rescaling.group(1)) if rescaling else Decimal(0),
        "claimed_total": re.search(r'id="claimed-total">(.*?)</td>', table).group(1),
        "computed_total": re.search(r'id="computed-total">(.*?)</td>', table).group(1),
    }


def test_each_score_column_s_total_is_the_sum_of_its_printed_lines(client, orgs):
    record = publish(orgs.unit_a, "合计核对", claims={"total_score": 99.8, "execution_score": 9.5, "grade": "优"})
    html = body(client.get(reverse("public:detail", args=[record.pk])))
    table = score_columns(html)
    names = [name for name, *_ in table["rows"]]
    assert names[0] == "预算执行率" and len(names) == 5
    assert table["rows"][0][1:3] == (Decimal("9.50"), Decimal("9.80"))  # its self-score and computed score
    claimed = [c for _, c, *_ in table["rows"]]
    computed = [c for _, _, c, *_ in table["rows"]]
    assert table["claimed_total"] == f"{sum(claimed):.2f}" == "99.50"
    assert table["computed_total"] == f"{sum(computed) + table['rescaling']:.2f}" == "99.80"
    assert table["computed_total"] == f"{services.result_of(record).total.value:.2f}"
    # the unit's stated total is shown on its own, with how the computed total compares
    assert re.search(r'id="claimed-score">99\.80 ', html)
    assert "单位所述自评总分：99.80 分；计算得分与单位自评一致" in html


def test_a_missing_self_score_makes_the_self_score_total_incomplete(client, site):
    html = body(client.get(reverse("public:detail", args=[site["reviewed"].pk])))
    table = score_columns(html)
    assert table["rows"][0][0] == "预算执行率" and table["rows"][0][3] == "—"  # no self-score for this line
    assert table["claimed_total"] == "不完整"
    computed = [c for _, _, c, *_ in table["rows"]]
    assert table["computed_total"] == f"{sum(computed):.2f}" == "84.80"


def test_carried_self_scores_are_printed_in_the_computed_column_and_said_so(client, orgs):
    indicators = copy.deepcopy(BASE["indicators"])
    del indicators[1]["children"][0]["children"][0]["actual"]  # 公民科学素质: cannot be computed, claim carried
    record = publish(orgs.unit_a, "采用自评分", indicators=indicators)
    html = body(client.get(reverse("public:detail", args=[record.pk])))
    table = score_columns(html)
    carried = next(row for row in table["rows"] if "公民科学素质" in row[0])
    assert carried[1] == Decimal("30.00")  # the unit's own score …
    leaf = next(s for s in services.result_of(record).indicators if s.path[-1] == "公民科学素质")
    assert carried[2] == leaf.carried == Decimal("24.00")  # … as carried into the total (capped by the rules)
    assert "采用自评分，须人工复核" in carried[4]
    computed = [c or Decimal(0) for _, _, c, *_ in table["rows"]]
    assert table["computed_total"] == f"{sum(computed):.2f}"
    text = services.result_of(record).carried.text()
    assert text.startswith("其中 1/4 项指标（分值 30.00 分") and html.count(text) == 2  # beside both totals


def test_not_applicable_indicators_are_rescaled_in_a_line_of_their_own(client, orgs):
    indicators = copy.deepcopy(BASE["indicators"])
    indicators[0]["children"][0]["children"][1]["not_applicable"] = True  # 答题人数, 20 分
    record = publish(orgs.unit_a, "不适用折算", indicators=indicators)
    html = body(client.get(reverse("public:detail", args=[record.pk])))
    table = score_columns(html)
    na = next(row for row in table["rows"] if "答题人数" in row[0])
    assert na[1] is None and na[2] is None and "不适用" in na[3]
    computed = [c for _, _, c, *_ in table["rows"] if c is not None]
    assert table["rescaling"] != 0
    assert table["computed_total"] == f"{sum(computed) + table['rescaling']:.2f}"
    assert table["computed_total"] == f"{services.result_of(record).total.value:.2f}"
