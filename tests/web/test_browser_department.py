"""The 部门整体自评 path in a real browser (Debian chromium through Playwright, the fixtures of
``test_browser_lifecycle``): the 主管部门审核人 opens the department's evaluation from the menu, fills in the accounts
and every item, sees the ratios and the roll-up of its unit's project self-evaluation, and submits; the
财政绩效管理员 accepts it with a comment and publishes it; an anonymous visitor finds it on the public pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from jixiao.web.department.models import DepartmentEvaluationRecord
from jixiao.web.evaluations import services as project_services
from tests.web.conftest import evaluation_for
from tests.web.test_browser_lifecycle import browser, people, sign_in  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser]

ACCOUNTS = {
    "initial_budget": "450",
    "budget": "480",
    "spent": "456",
    "basic_spent": "303.2",
    "project_spent": "152.8",
    "carry_over": "12",
    "three_public_budget": "10",
    "three_public_spent": "9.2",
    "three_public_budget_last": "11",
    "procurement_budget": "60",
    "procurement_actual": "60",
    "public_funds_budget": "40",
    "public_funds_spent": "38",
    "key_project_budget": "153",
    "project_budget": "220",
    "staff_actual": "46",
    "staff_quota": "48",
}


def test_a_department_evaluation_is_filled_rolled_up_accepted_and_published(live_server, browser, people):  # noqa: F811
    base = live_server.url
    unit = people
    filler = get_user_model().objects.get(username="filler")
    project_services.create(unit, evaluation_for(unit, "浏览器测试科普项目", 2022), filler)

    page = sign_in(browser, base, "reviewer")
    page.click("header a:has-text('部门整体')")
    page.click("#new-department-evaluation")
    page.fill("#id_year", "2022")
    page.select_option("#id_framework", value="mof-2013-53")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("浏览器测试主管部门 2022 年度部门整体支出绩效自评")
    expect(page.locator("#status")).to_have_text("草稿")

    # the roll-up is there before anything is filled in: one project of the department's unit
    expect(page.locator("#rollup-distribution")).to_contain_text("共 1 项")

    for name, value in ACCOUNTS.items():
        page.fill(f"#id_acct_{name}", value)
    for field in page.locator("input[name^=score_]").all():
        field.fill(field.get_attribute("max") or "0")  # every item at full points, even those computed
    page.fill("#id_contact", "张三")
    page.fill("#id_overview", "浏览器测试主管部门负责本地区科普工作。")
    page.click("#save")
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.locator("#ratios tr[data-formula=carry_over_rate]")).to_contain_text(
        "结转结余总额 12.00 万元 ÷ 全年预算数（调整后） 480.00 万元 × 100% = 2.50%"
    )
    # 预算调整率 6.67%: one started step of 10 points above 0 takes 1 of its 3 points; everything else is full
    expect(page.locator("#computed-score")).to_contain_text("99.00 分 优")
    # the full self-score on 预算调整率 is more than the accounts allow: an error that stops the submission
    expect(page.locator("#gate")).to_contain_text("B001 “预算调整率”自评 3.00 分，高于按账面数据计算的 2.00 分")
    page.click("#step-submit button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("不能提交")
    expect(page.locator("#status")).to_have_text("草稿")
    for field in page.locator("tr.item[data-computed=yes] input[name^=score_]").all():
        field.fill("")  # the computed items keep their computed scores
    page.click("#save")
    expect(page.locator("#gate")).to_have_count(0)

    page.click("#step-submit button[type=submit]")
    expect(page.locator("#status")).to_have_text("待财政审核")

    finance = sign_in(browser, base, "finance")
    finance.click("header a:has-text('部门整体')")
    finance.click("#department-evaluations a:has-text('浏览器测试主管部门')")
    expect(finance.locator("#rollup")).to_contain_text("共 1 项")
    finance.fill("#comment-accept", "数据与决算一致，同意。")
    finance.click("#step-accept button[type=submit]")
    expect(finance.locator("#status")).to_have_text("已审核")
    expect(finance.locator("#review-comment")).to_contain_text("数据与决算一致，同意。")
    finance.click("#step-publish button[type=submit]")
    expect(finance.locator("#status")).to_have_text("已公开")

    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/")
    visitor.click("#department-public-link")
    visitor.click("#published-departments a:has-text('浏览器测试主管部门')")
    expect(visitor.locator("#computed-score")).to_contain_text("99.00")
    expect(visitor.locator("#ratios")).to_contain_text("预算执行率")
    record = DepartmentEvaluationRecord.objects.get()
    assert re.search(rf"/public/department/{record.pk}/$", visitor.url)
    assert [t.action for t in record.transitions.all()] == ["create", "submit", "accept", "publish"]
