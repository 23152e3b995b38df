"""Each part of an evaluation is edited on its own page and saved as a new, rescored version."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action
from tests.web.edit_fixtures import (
    browser,
    edit_url,
    filler,
    form_data,
    fresh,
    other_filler,
    record,
    submit,
    units,
    versions,
)

__all__ = ["browser", "filler", "other_filler", "record", "units"]

PARTS = ["project", "funds", "goals", "indicators", "outputs", "surveys", "organisation", "narrative", "claims"]


def saved(response, record):
    """The record after a successful save: redirected to the detail page, one more revision and version."""
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"/evaluations/{record.pk}/"
    after = fresh(record)
    assert after.revision == record.revision + 1
    assert versions(after) == after.revision  # one version per revision, the first made by services.create
    return after


@pytest.mark.parametrize("part", PARTS)
def test_every_part_page_is_prefilled_and_an_unchanged_submit_saves_nothing(browser, record, part):
    page = browser.get(edit_url(record, part))
    assert page.status_code == 200
    body = page.content.decode()
    assert "novalidate" in body and "csrfmiddlewaretoken" in body
    assert f'name="revision" value="{record.revision}"' in body
    response = browser.post(edit_url(record, part), form_data(page))
    assert response.status_code == 302
    after = fresh(record)
    assert after.revision == record.revision and after.document == record.document
    assert versions(after) == 1


def test_project(browser, record):
    response = submit(
        browser,
        record,
        "project",
        {
            "project-name": "科普专项经费（修订）",
            "project-background": "落实全民科学素质行动规划纲要",
            "project-content_items": "科普日活动\n\n 科普讲座 \n",
            "project-expected_input_wan": "1530000元",
            "basis-0-title": "全民科学素质行动规划纲要（2021—2035年）",
            "basis-0-number": "国发〔2021〕9号",
        },
    )
    after = saved(response, record)
    project = after.document["project"]
    assert project["name"] == "科普专项经费（修订）" and after.project_name == "科普专项经费（修订）"
    assert project["content_items"] == ["科普日活动", "科普讲座"]
    assert Decimal(project["expected_input_wan"]) == Decimal("153")
    assert project["basis"] == [{"title": "全民科学素质行动规划纲要（2021—2035年）", "number": "国发〔2021〕9号"}]
    assert project["department"] == "湛江市科学技术协会"  # untouched fields stay
    assert after.versions.first().summary == "编辑项目概况"


def test_funds_execution_rescored(browser, record):
    assert record.computed_score == Decimal("99.80")
    response = submit(browser, record, "funds", {"funds-0-executed_wan": "90"})
    after = saved(response, record)
    assert Decimal(after.document["funds"][0]["executed_wan"]) == 90
    assert after.document["funds"][0]["arrivals"] == [{"amount_wan": "100", "date": "2022-06-30", "note": None}]
    assert after.computed_score == Decimal("99.00")
    assert after.execution_rate == Decimal("90.00")
    follow = browser.get(response["Location"])
    assert "重新计算得分 99.00 分（优）" in follow.content.decode()


def test_funds_rows_added_deleted_and_second_arrival(browser, record):
    response = submit(
        browser,
        record,
        "funds",
        {
            "funds-0-arrival1_amount_wan": "60",
            "funds-0-arrival2_amount_wan": "40",
            "funds-0-arrival2_date": "2022-09-30",
            "funds-1-source": "carryover",
            "funds-1-annual_budget_wan": "20",
            "funds-1-arrival1_amount_wan": "20",
            "funds-1-executed_wan": "20",
            "funds-1-detail": "上年结余",
            "allocations-0-recipient": "霞山区科协",
            "allocations-0-amount_wan": "5",
            "allocations-0-count": "3",
        },
    )
    after = saved(response, record)
    funds = after.document["funds"]
    assert [f["source"] for f in funds] == ["current", "carryover"]
    assert [(a["amount_wan"], a["date"]) for a in funds[0]["arrivals"]] == [("60", "2022-06-30"), ("40", "2022-09-30")]
    assert funds[1]["detail"] == "上年结余" and funds[1]["initial_budget_wan"] is None
    assert after.document["allocations"] == [
        {"recipient": "霞山区科协", "amount_wan": "5", "purpose": None, "count": 3}
    ]
    assert after.budget_wan == Decimal("120")

    response = submit(browser, after, "funds", {"funds-1-DELETE": "on", "allocations-0-DELETE": "on"})
    again = saved(response, after)
    assert [f["source"] for f in again.document["funds"]] == ["current"]
    assert again.document["allocations"] == []


def test_funds_keep_arrivals_not_shown(browser, units, filler):
    from tests.conftest import make

    funds = [
        {
            "source": "current",
            "annual_budget_wan": 100,
            "executed_wan": 98,
            "arrivals": [
                {"amount_wan": 50, "date": "2022-03-01", "note": "第一批"},
                {"amount_wan": 30, "date": "2022-06-01"},
                {"amount_wan": 20, "date": "2022-09-01", "note": "第三批"},
            ],
        }
    ]
    record = services.create(units["unit"], make(funds=funds), filler)
    page = browser.get(edit_url(record, "funds"))
    assert "另有 1 笔到位记录（共 20.00 万元）在此不显示，保持不变" in page.content.decode()
    response = submit(browser, record, "funds", {"funds-0-arrival2_amount_wan": "35"})
    after = saved(response, record)
    assert after.document["funds"][0]["arrivals"] == [
        {"amount_wan": "50", "date": "2022-03-01", "note": "第一批"},
        {"amount_wan": "35", "date": "2022-06-01", "note": None},
        {"amount_wan": "20", "date": "2022-09-01", "note": "第三批"},
    ]


def test_goals(browser, record):
    response = submit(
        browser,
        record,
        "goals",
        {
            "goals-0-DELETE": "on",
            "goals-1-kind": "phase",
            "goals-1-title": "上半年",
            "goals-1-expected": "开展科普活动 50 场",
            "goals-1-actual": "开展 56 场",
        },
    )
    after = saved(response, record)
    assert after.document["goals"] == [
        {"kind": "phase", "title": "上半年", "expected": "开展科普活动 50 场", "actual": "开展 56 场"}
    ]


def test_indicator_values_rescored(browser, record):
    response = submit(
        browser,
        record,
        "indicators",
        {
            "node-0.0.0-actual": "80场",
            "node-0.0.0-evidence": "活动台账\n照片",
            "node-0.0.0-deviation_reason": "受天气影响",
        },
    )
    after = saved(response, record)
    leaf = after.document["indicators"][0]["children"][0]["children"][0]
    assert leaf["actual"] == "80场" and leaf["evidence"] == ["活动台账", "照片"]
    assert leaf["deviation_reason"] == "受天气影响"
    assert after.computed_score == Decimal("93.80")
    assert after.versions.first().summary == "编辑绩效指标"


def test_outputs(browser, record):
    response = submit(
        browser,
        record,
        "outputs",
        {
            "outputs-0-title": "全国科普日主场活动",
            "outputs-0-date": "2022-09-17",
            "outputs-0-count": "1",
            "outputs-0-count_unit": "场",
            "outputs-0-approximate": "on",
            "outputs-0-participants": "3000",
            "outputs-0-amount_wan": "12.5",
            "outputs-0-indicator": "科普活动场次",
        },
    )
    after = saved(response, record)
    assert after.document["outputs"] == [
        {
            "title": "全国科普日主场活动",
            "date": "2022-09-17",
            "end_date": None,
            "count": "1",
            "count_unit": "场",
            "approximate": True,
            "participants": 3000,
            "amount_wan": "12.5",
            "indicator": "科普活动场次",
            "source_text": None,
        }
    ]


def test_surveys_rescored_and_renamed_id_followed(browser, record):
    response = submit(browser, record, "surveys", {"surveys-0-satisfied": "170", "surveys-0-id": "q1"})
    after = saved(response, record)
    assert after.document["surveys"][0] == {
        "id": "q1",
        "title": "参与群众满意度问卷",
        "respondents": 200,
        "satisfied": 170,
        "method": None,
    }
    leaf = after.document["indicators"][2]["children"][0]["children"][0]
    assert leaf["survey"] == "q1"
    assert after.computed_score == Decimal("99.24")


def test_organisation(browser, record):
    response = submit(
        browser,
        record,
        "organisation",
        {
            "organisation-scope": "2022 年度科普专项经费",
            "organisation-deadline": "2023-04-20",
            "organisation-steps": "成立小组\n收集资料\n撰写报告",
            "leadership-0-role": "组长",
            "leadership-0-name": "张三",
            "leadership-0-position": "党组书记",
        },
    )
    after = saved(response, record)
    org = after.document["organisation"]
    assert org["scope"] == "2022 年度科普专项经费" and org["deadline"] == "2023-04-20"
    assert org["steps"] == ["成立小组", "收集资料", "撰写报告"]
    assert org["leadership"] == [{"role": "组长", "name": "张三", "position": "党组书记"}]


def test_narrative(browser, record):
    response = submit(
        browser,
        record,
        "narrative",
        {
            "narrative-conclusion": "项目总体完成年度目标。",
            "narrative-experience": "上下联动\n社会参与",
            "narrative-problems": "",
        },
    )
    after = saved(response, record)
    narrative = after.document["narrative"]
    assert narrative["conclusion"] == "项目总体完成年度目标。"
    assert narrative["experience"] == ["上下联动", "社会参与"]
    assert narrative["problems"] == []
    assert narrative["improvements"] == ["加大对基层科普阵地的投入，年内补齐薄弱县区"]


def test_claims(browser, record):
    response = submit(
        browser,
        record,
        "claims",
        {
            "claims-total_score": "95",
            "claims-grade": "优",
            "claims-budget_wan": "100",
            "claims-arrival_rate_pct": "100%",
            "claims-execution_rate_pct": "98.00%",
            "claims-funds_timely": "yes",
        },
    )
    after = saved(response, record)
    claims = after.document["claims"]
    assert claims["total_score"] == "95" and claims["arrival_rate_pct"] == "100%"
    assert claims["execution_rate_pct"] == "98.00%" and claims["spend_rate_pct"] is None
    assert claims["funds_timely"] is True
    assert after.claimed_score == Decimal("95.00")
    assert after.computed_score == Decimal("99.80")


def test_unknown_part_is_404(browser, record):
    assert browser.get(edit_url(record, "secrets")).status_code == 404


def test_anonymous_is_sent_to_login(record):
    response = Client().get(edit_url(record, "funds"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("part", ["funds", "indicators"])
def test_other_unit_gets_404_and_nothing_saved(other_filler, record, part):
    client = Client()
    client.force_login(other_filler)
    assert client.get(edit_url(record, part)).status_code == 404
    response = client.post(edit_url(record, part), {"revision": record.revision, "action": "delete:0"})
    assert response.status_code == 404
    assert fresh(record).revision == record.revision


def test_a_submitted_record_is_a_409_for_its_editors(browser, record, filler):
    services.move(record.pk, Action.SUBMIT, filler, gate=False)
    assert browser.get(edit_url(record, "funds")).status_code == 409
    assert browser.post(edit_url(record, "funds"), {"revision": record.revision}).status_code == 409
