"""抽查复核 to 结果应用 in a real browser (Debian chromium through Playwright), on SQLite and PostgreSQL.

Finance draws the year's sample; the drawn evaluation is re-checked indicator by indicator with a query to the unit;
the unit answers with an evidence file; finance sees the answer, records a problem and finishes the 复核; the
复核意见书 downloads; the next-year budget suggestion and the 整改事项 appear; the years-compared dashboard shows the
unit's self score above the 复核 one.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from jixiao.web.results.models import Rectification
from jixiao.web.review.models import Evidence
from tests.conftest import BASE, make
from tests.web.test_browser_lifecycle import PASSWORD, REFUSED, browser, sign_in  # noqa: F401 (browser: a fixture)

pytestmark = [pytest.mark.browser]

LEAF = "产出指标 / 数量指标 / 科普活动场次"


@pytest.fixture
def approved(transactional_db: None) -> EvaluationRecord:
    """One evaluation of 复核单位, approved by its 主管部门, claiming 100 分."""
    finance = Organisation.objects.create(name="复核测试财政局", kind=OrganisationKind.FINANCE)
    department = Organisation.objects.create(name="复核测试主管部门", kind=OrganisationKind.DEPARTMENT, parent=finance)
    unit = Organisation.objects.create(name="复核测试单位", kind=OrganisationKind.UNIT, parent=department)
    people = {}
    for username, org, role in (
        ("finance", finance, Role.FINANCE_ADMIN),
        ("reviewer", department, Role.DEPARTMENT_REVIEWER),
        ("filler", unit, Role.FILLER),
    ):
        user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=username)
        Membership.objects.create(user=user, organisation=org, role=role)
        people[username] = user
    project = {**BASE["project"], "name": "复核测试科普项目", "unit": unit.name, "department": department.name}
    claims = {**BASE["claims"], "total_score": "100", "grade": "优"}
    record = services.create(unit, make(project=project, claims=claims), people["filler"])
    services.move(record.pk, Action.SUBMIT, people["filler"], gate=False)
    services.move(record.pk, Action.APPROVE, people["reviewer"])
    record.refresh_from_db()
    assert record.status == Status.DEPARTMENT_APPROVED
    return record


def _post_message(page: Page, body: str, kind: str | None = None, file: Path | None = None) -> None:
    form = page.locator("#message-form")
    if kind:
        form.locator("select[name=kind]").select_option(kind)
    form.locator("textarea[name=body]").fill(body)
    if file is not None:
        form.locator("input[type=file]").set_input_files(str(file))
    form.locator("button[type=submit]").click()


def test_a_sample_is_re_checked_answered_finished_and_applied_in_the_browser(
    live_server,
    browser: Browser,  # noqa: F811
    approved: EvaluationRecord,
    tmp_path: Path,
) -> None:
    base = live_server.url

    # 财政: draw the year's sample; the evaluation is drawn and opens in the 复核工作台
    finance = sign_in(browser, base, "finance")
    finance.goto(f"{base}/sampling/")
    finance.fill("#id_year", "2022")
    finance.select_option("#id_size_kind", "count")
    finance.fill("#id_size", "1")
    finance.fill("#id_seed", "20230501")
    finance.locator("#draw-form button[type=submit]").click()
    expect(finance.locator("#sample")).to_contain_text("复核测试科普项目")
    finance.locator("#sample a.review-link").first.click()
    expect(finance.locator("h1")).to_contain_text("复核工作台")
    expect(finance.locator("#review-total")).to_contain_text("99.80")

    # a 复核 score on one line, with its reason, and a query to the unit about it
    row = finance.locator("tr.sheet-line", has_text=LEAF)
    row.locator("input[name^=score-]").fill("24")
    row.locator("textarea[name^=comment-]").fill("活动记录只能证实 24 场")
    finance.locator("form[action$='/sheet/'] button[type=submit]").click()
    expect(finance.locator(".messages")).to_contain_text("复核总分 93.80 分")
    expect(finance.locator("#review-total")).to_contain_text("93.80")
    finance.locator("#message-form select[name=key]").select_option(label=LEAF)
    _post_message(finance, "请提供 110 场活动的签到记录", kind="query")
    expect(finance.locator(".message.open-query")).to_contain_text("请提供 110 场活动的签到记录")

    # 单位: sees the query (not yet the scores) and answers with a file
    unit = sign_in(browser, base, "filler")
    unit.goto(f"{base}/tasks/notices/")
    unit.locator("a", has_text="提出复核问询").first.click()
    expect(unit.locator("#open-queries")).to_contain_text("待答复的复核问询 1 条")
    expect(unit.locator("#review-sheet")).to_have_count(0)
    evidence = tmp_path / "签到记录.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    _post_message(unit, "已附 96 场活动的签到记录", kind="answer", file=evidence)
    expect(unit.locator("#evidence-table")).to_contain_text("签到记录.pdf")
    assert Evidence.objects.get(record=approved).kind == "PDF"

    # 财政: the answer is there; a problem; finish, with a confirmation that states the outcome
    finance.reload()
    expect(finance.locator("#threads")).to_be_visible()
    expect(finance.locator(".message.unit")).to_contain_text("已附 96 场活动的签到记录")
    form = finance.locator("#problem-form")
    form.locator("select[name=key]").select_option(label=LEAF)
    form.locator("textarea[name=problem]").fill("科普活动场次多报 14 场")
    form.locator("textarea[name=requirement]").fill("核实活动台账，更正自评表")
    form.locator("button[type=submit]").click()
    expect(finance.locator("#problems-table")).to_contain_text("科普活动场次多报 14 场")
    finish = finance.locator("form[action$='/finish/']")
    finish.locator("textarea[name=conclusion]").fill("场次多报，其余属实")
    finish.locator("button[type=submit]").click()
    expect(finance.locator("#finish-statement")).to_contain_text("复核得分 93.80 分")
    expect(finance.locator("#finish-statement")).to_contain_text("比单位自评低 6.20 分")
    finance.locator("form[action$='/finish/'] button[type=submit]").click()
    expect(finance.locator(".messages")).to_contain_text("已完成财政复核：复核得分 93.80 分（优）")
    approved.refresh_from_db()
    assert (approved.status, approved.review_score) == (Status.FINANCE_REVIEWED, Decimal("93.80"))

    # the 复核意见书
    with finance.expect_download() as download:
        finance.locator("a", has_text="Word").first.click()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs)
    assert "复核测试科普项目绩效自评复核意见书" in text.replace("\n", "")
    assert "科普活动场次多报 14 场" in text

    # 结果应用: next year's budget suggestion from the 复核 grade, and the 整改事项 for the unit
    finance.goto(f"{base}/results/?year=2022")
    row = finance.locator("tr", has_text="复核测试科普项目")
    expect(row).to_contain_text("复核等级 93.80 分")
    expect(row).to_contain_text("优先保障")
    expect(row).to_contain_text("100.00 万元 × (1 + 0%) = 100.00 万元")
    items = Rectification.objects.filter(record=approved)
    assert items.filter(source=Rectification.Source.REVIEW, problem="科普活动场次多报 14 场").exists()
    unit.goto(f"{base}/results/rectifications/")
    expect(unit.locator("table")).to_contain_text("科普活动场次多报 14 场")
    expect(unit.locator("table")).to_contain_text(re.compile("待整改"))

    # the years compared: the unit's self score above the 复核 one, in the scores' trend
    finance.goto(f"{base}/trends/scores/?year_from=2022&year_to=2022")
    expect(finance.locator("svg").first).to_be_visible()
    expect(finance.locator("main table").first).to_contain_text("100.00")
    expect(finance.locator("main table").first).to_contain_text("93.80")

    assert REFUSED == []  # nothing on these pages needed what the Content-Security-Policy forbids
