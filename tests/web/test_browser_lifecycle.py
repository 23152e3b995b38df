"""The whole lifecycle in a real browser (Debian chromium driven by Playwright) against a live server.

A 填报人 starts from a framework, enters funds and an indicator and sees the score change; submitting is refused
until the parts the gate lists are filled in (leaving an edit page with unsaved changes asks first) and every
error is explained; each step is confirmed on its confirmation page. The 主管部门审核人 returns it with a comment
the unit sees at the top of its page; it is fixed, resubmitted and approved; the 财政绩效管理员 enters a 复核
score and publishes; an anonymous visitor finds it on the public page and downloads the PDF.
"""

from __future__ import annotations

import os
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Membership, Organisation, OrganisationKind, Role

pytestmark = [pytest.mark.browser, pytest.mark.office]  # Chromium, and LibreOffice for the PDF it downloads

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "browser-test-pass-1"


@pytest.fixture
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def people(transactional_db):
    finance = Organisation.objects.create(name="浏览器测试财政局", kind=OrganisationKind.FINANCE)
    department = Organisation.objects.create(
        name="浏览器测试主管部门", kind=OrganisationKind.DEPARTMENT, parent=finance
    )
    unit = Organisation.objects.create(name="浏览器测试单位", kind=OrganisationKind.UNIT, parent=department)
    users = {}
    for username, org, role in (
        ("filler", unit, Role.FILLER),
        ("reviewer", department, Role.DEPARTMENT_REVIEWER),
        ("finance", finance, Role.FINANCE_ADMIN),
    ):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        Membership.objects.create(user=user, organisation=org, role=role)
        users[username] = user
    return unit


#: every message the browser logged about the Content-Security-Policy refusing something (a page that relied on an
#: inline script or style would log one), across the pages of a test
REFUSED: list[str] = []


def watched(page: Page) -> Page:
    page.on(
        "console",
        lambda message: REFUSED.append(f"{page.url}: {message.text}")
        if "Content Security Policy" in message.text
        else None,
    )
    return page


def sign_in(browser: Browser, base: str, username: str) -> Page:
    page = watched(browser.new_context(accept_downloads=True).new_page())
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/evaluations/$"))
    return page


def computed_score(page: Page) -> str:
    return page.inner_text("#computed-score").split()[0]


def act(page: Page, action: str, says: str = "", **fields: str) -> None:
    """Take a lifecycle step from the detail page: fill its form, press its button, read and accept the
    confirmation page (which must say ``says``)."""
    form = page.locator(f"form[action$='/action/{action}/']")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("确认")
    expect(page.locator("#confirm-statement")).to_contain_text(says)
    page.click("#confirm button[type=submit]")


def explain_every_error(page: Page) -> int:
    """Write an explanation beside each error finding nobody explained yet; how many were explained."""
    done = 0
    while (row := page.locator("tr.finding.unexplained").first).count():
        code = row.locator("td").first.inner_text()
        row.locator("textarea[name=explanation]").fill(f"{code}：数据按原始台账填写，原因已在报告正文中说明。")
        row.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text(f"已保存对检查发现 {code} 的说明")
        done += 1
    return done


def test_a_self_evaluation_goes_from_draft_to_published_in_the_browser(live_server, browser, people):
    base = live_server.url

    # 填报人: new evaluation from the 附1 framework
    page = sign_in(browser, base, "filler")
    page.goto(f"{base}/evaluations/new/")
    page.select_option("#id_unit", label="浏览器测试单位")
    page.fill("#id_name", "浏览器测试科普项目")
    page.fill("#id_year", "2022")
    page.select_option("#id_framework", value="mof-selfeval")
    page.select_option("#id_rules", value="mof-2020")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("浏览器测试科普项目")
    pk = int(re.search(r"/evaluations/(\d+)/", page.url).group(1))

    # funds: 100 万元 budgeted and arrived, 90 spent
    page.goto(f"{base}/evaluations/{pk}/edit/funds/")
    page.fill("[name=funds-0-initial_budget_wan]", "100")
    page.fill("[name=funds-0-annual_budget_wan]", "100")
    page.fill("[name=funds-0-arrival1_amount_wan]", "100")
    page.fill("[name=funds-0-arrival1_date]", "2022-03-15")
    page.fill("[name=funds-0-executed_wan]", "90")
    page.click("button[name=action][value=save]")
    expect(page.locator("#arrival-rate")).to_have_text("100.00%")
    before = computed_score(page)

    # indicators: one 数量指标 leaf that falls short of its target
    page.goto(f"{base}/evaluations/{pk}/edit/indicators/")
    page.click("button[name=action][value='add_child:0.0']")
    page.fill("[name='node-0.0.0-name']", "科普活动场次")
    page.fill("[name='node-0.0.0-points']", "50")
    page.fill("[name='node-0.0.0-target']", "≥100场")
    page.fill("[name='node-0.0.0-actual']", "80场")
    page.fill("[name='node-0.0.0-claimed_score']", "50")
    page.click("button[name=action][value=save]")
    expect(page).to_have_url(re.compile(rf"/evaluations/{pk}/(#.*)?$"))
    # 执行率 90% × 10 = 9.00, plus 80/100 × 50 = 40.00
    assert computed_score(page) == "49.00" != before
    expect(page.locator("#scores")).to_contain_text("完成率 80.00%")
    expect(page.locator("#score-sum")).to_have_text("指标得分合计：40.00 分 + 预算执行率得分：9.00 分 = 总分：49.00 分")

    # the report is not complete: submitting is refused, and the gate lists what is missing with links
    expect(page.locator("#submit-gate")).to_contain_text("暂不能提交")
    page.click("button[name=do][value=submit]")
    expect(page.locator(".messages")).to_contain_text("暂不能提交")
    expect(page.locator("h1 .badge")).to_have_text("草稿")
    page.click("#gate-missing li:has-text('项目背景') a.fix")
    expect(page).to_have_url(re.compile(rf"/evaluations/{pk}/edit/project/#id_project-background$"))

    # leaving an edit page with unsaved changes asks first; staying keeps the input
    asked: list[str] = []

    def stay(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.click("[name=project-background]")
    page.keyboard.type("为提升公民科学素质，开展科普进社区活动。")
    expect(page.locator("#unsaved-note")).to_be_visible()
    with page.expect_event("dialog"):
        page.click("#edit-form a.button.secondary >> nth=0", no_wait_after=True)  # 取消
    assert asked == ["beforeunload"]
    expect(page).to_have_url(re.compile(r"/edit/project/"))
    expect(page.locator("[name=project-background]")).to_have_value("为提升公民科学素质，开展科普进社区活动。")
    page.remove_listener("dialog", stay)
    page.fill("[name=project-implementation]", "全年开展科普活动 80 场。")
    page.click("button[name=action][value=save]")  # saving is leaving without a question
    expect(page.locator("h1")).to_contain_text("浏览器测试科普项目")
    assert asked == ["beforeunload"]

    page.goto(f"{base}/evaluations/{pk}/edit/goals/")
    page.fill("[name=goals-0-expected]", "全年开展科普活动 100 场")
    page.fill("[name=goals-0-actual]", "全年开展科普活动 80 场")
    page.click("button[name=action][value=save]")
    page.goto(f"{base}/evaluations/{pk}/edit/narrative/")
    page.fill("[name=narrative-conclusion]", "项目基本完成年度目标。")
    page.fill("[name=narrative-problems]", "活动场次未达目标。")
    page.fill("[name=narrative-improvements]", "提前制定活动计划。")
    page.click("button[name=action][value=save]")
    page.goto(f"{base}/evaluations/{pk}/edit/claims/")
    page.fill("[name=claims-total_score]", "59")
    page.fill("[name=claims-execution_score]", "9")
    page.fill("[name=claims-grade]", "差")
    page.click("button[name=action][value=save]")

    # every error is either fixed or explained beside it; then the gate opens
    expect(page.locator("#gate-missing")).to_have_count(0)
    assert explain_every_error(page) >= 1
    expect(page.locator("#submit-gate")).to_contain_text("可以提交")
    act(page, "submit", says="提交后不能再修改，将送 浏览器测试主管部门 审核。确定提交？")
    expect(page.locator("h1 .badge")).to_have_text("已提交")

    # 主管部门审核人 returns it with a comment
    reviewer = sign_in(browser, base, "reviewer")
    reviewer.goto(f"{base}/evaluations/{pk}/")
    expect(reviewer.locator("button[name=do][value=approve]")).to_have_class("approve")
    expect(reviewer.locator("button[name=do][value=return]")).to_have_class("danger return")
    act(reviewer, "return", says="确定退回？", comment="场次未达目标，请核实实际完成值并说明原因\n并补充活动签到表")
    expect(reviewer.locator("h1 .badge")).to_have_text("已退回")

    # 填报人 sees why at the top of the page, fixes the actual value and resubmits
    page.goto(f"{base}/evaluations/{pk}/")
    notice = page.inner_text("#return-notice .return-comment")
    assert notice == "退回意见：场次未达目标，请核实实际完成值并说明原因\n并补充活动签到表"
    page.goto(f"{base}/evaluations/{pk}/edit/indicators/")
    page.fill("[name='node-0.0.0-actual']", "100场")
    page.click("button[name=action][value=save]")
    assert computed_score(page) == "59.00"
    explain_every_error(page)
    act(page, "submit", says="确定提交？")
    expect(page.locator("h1 .badge")).to_have_text("已提交")
    expect(page.locator("#return-notice")).to_have_count(0)

    reviewer.goto(f"{base}/evaluations/{pk}/")
    act(reviewer, "approve", says="确定审核通过？")
    expect(reviewer.locator("h1 .badge")).to_have_text("主管部门审核通过")

    # 财政绩效管理员: 复核 score beside the self score, then publish
    finance = sign_in(browser, base, "finance")
    finance.goto(f"{base}/evaluations/{pk}/")
    act(finance, "review", says="复核得分 57.50 分", review_score="57.5", comment="抽查复核：佐证材料不全，扣 1.5 分")
    expect(finance.locator("#review-score")).to_contain_text("57.50")
    act(finance, "publish", says="确定公开？")
    expect(finance.locator("h1 .badge")).to_have_text("已公开")

    # anyone: the public page lists it and serves the PDF
    visitor = browser.new_context(accept_downloads=True).new_page()
    visitor.goto(f"{base}/")
    expect(visitor.locator("body")).to_contain_text("浏览器测试科普项目")
    visitor.click("text=浏览器测试科普项目")
    with visitor.expect_download() as info:
        visitor.click("a[href$='report.pdf']")
    path = info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"

    record = EvaluationRecord.objects.get(pk=pk)
    assert [t.action for t in record.transitions.all()] == [
        "create",
        "submit",
        "return",
        "submit",
        "approve",
        "review",
        "publish",
    ]
    assert str(record.review_score) == "57.50"
    assert (
        record.transitions.get(action="return").comment == "场次未达目标，请核实实际完成值并说明原因\n并补充活动签到表"
    )
    assert REFUSED == []  # nothing on these pages needed what the Content-Security-Policy forbids
