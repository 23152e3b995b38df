"""Bad input is refused at the field in Chinese, and then nothing at all is saved."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from jixiao.core.model import Evaluation
from jixiao.web.evaluations import services
from jixiao.web.evaluations.edit_forms import model_problems
from tests.conftest import make
from tests.web.edit_fixtures import browser, edit_url, filler, form_data, fresh, record, submit, units, versions

__all__ = ["browser", "filler", "record", "units"]

EXECUTED_OVER_ARRIVED = "全年执行数（120.00 万元）大于实际到位金额（100.00 万元），请核实或在差异说明中写明其他资金来源"

BAD_INPUT = [
    ("funds", {"funds-0-annual_budget_wan": "-5"}, "funds-0-annual_budget_wan", "金额不能为负数"),
    ("funds", {"funds-0-executed_wan": "很多"}, "funds-0-executed_wan", "请输入数字"),
    ("funds", {"funds-0-executed_wan": "120"}, "funds-0-executed_wan", EXECUTED_OVER_ARRIVED),
    ("funds", {"funds-0-arrival1_date": "2022-13-40"}, "funds-0-arrival1_date", "请输入日期，如 2022-06-30"),
    (
        "funds",
        {"allocations-0-recipient": "霞山区科协", "allocations-0-amount_wan": "-1"},
        "allocations-0-amount_wan",
        "金额不能为负数",
    ),
    ("funds", {"allocations-0-recipient": "霞山区科协"}, "allocations-0-amount_wan", "此项必填"),
    ("project", {"project-expected_input_wan": "一百万"}, "project-expected_input_wan", "请输入数字"),
    ("project", {"project-year": "二〇二二"}, "project-year", "请输入数字（整数）"),
    ("project", {"project-name": ""}, "project-name", "此项必填"),
    ("indicators", {"node-0-points": "五十"}, "node-0-points", "请输入数字"),
    ("indicators", {"node-0.0.0-claimed_score": "-1"}, "node-0.0.0-claimed_score", "不能为负数"),
    ("indicators", {"node-1.0-name": ""}, "node-1.0-name", "此项必填"),
    (
        "outputs",
        {"outputs-0-title": "讲座", "outputs-0-participants": "约300"},
        "outputs-0-participants",
        "请输入数字（整数）",
    ),
    (
        "outputs",
        {"outputs-0-title": "讲座", "outputs-0-date": "2022-05-02", "outputs-0-end_date": "2022-05-01"},
        "outputs-0-end_date",
        "结束日期不能早于开始日期",
    ),
    ("surveys", {"surveys-0-satisfied": "250"}, "surveys-0-satisfied", "满意人数（250）不能大于有效样本数（200）"),
    ("surveys", {"surveys-0-respondents": "两百"}, "surveys-0-respondents", "请输入数字（整数）"),
    (
        "surveys",
        {
            "surveys-1-id": "s1",
            "surveys-1-title": "另一问卷",
            "surveys-1-respondents": "10",
            "surveys-1-satisfied": "9",
        },
        "surveys-1-id",
        "调查编号“s1”重复，每项调查的编号应不同",
    ),
    ("organisation", {"organisation-deadline": "四月底"}, "organisation-deadline", "请输入日期，如 2022-06-30"),
    (
        "claims",
        {"claims-arrival_rate_pct": "98"},
        "claims-arrival_rate_pct",
        "所述资金到位率“98”缺少百分号，无法判断是 98% 还是 98×100%，请写成带百分号的形式，如“65.36%”",
    ),
    ("claims", {"claims-total_score": "九十五"}, "claims-total_score", "请输入数字"),
    ("claims", {"claims-total_score": "120"}, "claims-total_score", "不能大于 100"),
    ("claims", {"claims-spent_wan": "-3万元"}, "claims-spent_wan", "金额不能为负数"),
]


@pytest.mark.parametrize(("part", "changes", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_at_the_field_and_nothing_saved(browser, record, part, changes, field, message):
    response = submit(browser, record, part, changes)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    # the message sits in the cell of the field it is about
    at = body.index(f'name="{field}"')
    assert body.index(message, at - 2000) < at + 3000
    assert "所有修改均未保存" in body
    after = fresh(record)
    assert after.revision == record.revision and versions(after) == 1
    assert after.document == record.document


def test_the_users_input_stays_in_the_form(browser, record):
    response = submit(browser, record, "funds", {"funds-0-executed_wan": "120", "funds-0-detail": "我写的说明"})
    body = response.content.decode()
    assert 'value="120"' in body and 'value="我写的说明"' in body


def test_executed_over_arrived_is_accepted_with_an_explanation(browser, record):
    response = submit(
        browser,
        record,
        "funds",
        {
            "funds-0-executed_wan": "120",
            "funds-0-explanation": "另有 20 万元由单位自有资金支付",
        },
    )
    assert response.status_code == 302
    after = fresh(record)
    assert after.revision == 2 and after.document["funds"][0]["executed_wan"] == "120"


def test_one_bad_field_blocks_the_valid_ones(browser, record):
    response = submit(browser, record, "funds", {"funds-0-initial_budget_wan": "90", "funds-0-executed_wan": "-1"})
    assert response.status_code == 200
    assert fresh(record).document["funds"][0]["initial_budget_wan"] == "100"


def test_deleted_rows_are_not_validated(browser, record):
    response = submit(browser, record, "surveys", {"surveys-0-satisfied": "999", "surveys-0-DELETE": "on"})
    assert response.status_code == 302
    assert fresh(record).document["surveys"] == []


def test_stale_revision_is_refused_and_input_kept(browser, record, filler):
    page = browser.get(edit_url(record, "funds"))
    data = form_data(page)
    # someone else saves first
    other = make(claims={"total_score": 90, "grade": "优"})
    services.save(record.pk, other, filler, record.revision, "他人的修改")
    data["funds-0-executed_wan"] = "95"
    response = browser.post(edit_url(record, "funds"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "已被他人修改" in body
    assert "您打开的是第 1 版，当前为第 2 版" in body
    assert 'name="funds-0-executed_wan" value="95"' in body
    after = fresh(record)
    assert after.revision == 2 and versions(after) == 2
    assert after.document["funds"][0]["executed_wan"] == "98"


def test_missing_revision_is_refused(browser, record):
    page = browser.get(edit_url(record, "narrative"))
    data = form_data(page)
    del data["revision"]
    data["narrative-conclusion"] = "新的结论"
    response = browser.post(edit_url(record, "narrative"), data)
    assert response.status_code == 200
    assert "缺少版本号，请刷新页面后重试" in response.content.decode()
    assert fresh(record).revision == 1


def test_model_problems_name_the_field_in_chinese():
    data = make().model_dump(mode="json")
    data["funds"][0]["annual_budget_wan"] = "-3"
    data["surveys"][0]["respondents"] = -1
    with pytest.raises(ValidationError) as caught:
        Evaluation.model_validate(data)
    problems = model_problems(caught.value)
    assert problems == [
        "字段 funds[0].annual_budget_wan（全年预算数（万元））：金额不能为负数：-3",
        "字段 surveys[0].respondents（有效样本数）：不能小于 0",
    ]


def test_invalid_stored_data_elsewhere_is_named_and_nothing_saved(browser, record):
    """A document that no longer validates (e.g. edited outside jixiao) is not saved over, and the page says why."""
    from jixiao.web.evaluations.models import EvaluationRecord

    document = fresh(record).document
    document["claims"]["arrival_rate_pct"] = "98"
    EvaluationRecord.objects.filter(pk=record.pk).update(document=document)
    response = submit(browser, record, "narrative", {"narrative-conclusion": "新的结论"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "数据未通过校验，所有修改均未保存" in body
    assert "字段 claims.arrival_rate_pct（所述资金到位率）：比率“98”缺少百分号" in body
    assert fresh(record).revision == 1 and versions(fresh(record)) == 1
