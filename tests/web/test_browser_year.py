"""The finance bureau's year in a real browser (Debian chromium through Playwright), on SQLite and PostgreSQL.

The 财政绩效管理员 opens the year's task from a 项目清单 xlsx; a unit sees its to-do list; the bureau receives the
units' files as a zip, which are matched and imported, and registers them as submitted; the late unit is reminded
(by hand from the board and by the daily run: both land in the mail outbox); its file comes in late; the board
counts each stage; the 主管部门 approves, finance re-checks and publishes everything, and the public page shows it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from jixiao.web.evaluations.choices import Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from tests.web.test_browser_lifecycle import PASSWORD, REFUSED, act, browser, sign_in  # noqa: F401 (browser: a fixture)

pytestmark = [pytest.mark.browser]

PROJECTS = [
    ("YR-2022-0001", "社区科普活动", "年度甲单位", 30, 30),
    ("YR-2022-0002", "科技馆展品更新", "年度甲单位", 50, 48),
    ("YR-2022-0003", "青少年科技竞赛", "年度乙单位", 20, 20),
]


def report(code: str, name: str, budget: int) -> bytes:
    return "\n".join(
        [
            f"2022年度{name}项目支出绩效自评报告",
            f"项目名称：{name}",
            f"项目编码：{code}",
            f"项目年度预算资金{budget}万元，全年到位资金{budget}万元，执行数{budget}万元。",
            "自评得分92分，等级为优。",
        ]
    ).encode("utf-8")


@pytest.fixture
def bureau(transactional_db: None) -> dict[str, Organisation]:
    finance = Organisation.objects.create(name="年度测试财政局", kind=OrganisationKind.FINANCE)
    department = Organisation.objects.create(name="年度测试主管部门", kind=OrganisationKind.DEPARTMENT, parent=finance)
    units = {
        name: Organisation.objects.create(name=name, kind=OrganisationKind.UNIT, parent=department)
        for name in ("年度甲单位", "年度乙单位")
    }
    for username, org, role in (
        ("finance", finance, Role.FINANCE_ADMIN),
        ("reviewer", department, Role.DEPARTMENT_REVIEWER),
        ("filler-a", units["年度甲单位"], Role.FILLER),
        ("filler-b", units["年度乙单位"], Role.FILLER),
    ):
        user = get_user_model().objects.create_user(username, email=f"{username}@example.gov.cn", password=PASSWORD)
        Membership.objects.create(user=user, organisation=org, role=role)
    return {"finance": finance, "department": department, **units}


def project_list(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目清单"
    ws.append(["项目编码", "项目名称", "预算单位", "主管部门", "年初预算数（万元）", "全年预算数（万元）"])
    for code, name, unit, initial, annual in PROJECTS:
        ws.append([code, name, unit, "年度测试主管部门", initial, annual])
    path = folder / "2022年度项目清单.xlsx"
    wb.save(path)
    return path


def zip_of(folder: Path, name: str, *projects: tuple[str, str, str, int, int]) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for code, project, unit, _, annual in projects:
            archive.writestr(f"{unit}/{project}自评报告.txt", report(code, project, annual))
    path = folder / name
    path.write_bytes(out.getvalue())
    return path


def receive(page: Page, path: Path, imported: int) -> None:
    """On the task's board: send the zip, wait for every file to be imported, register them as submitted."""
    page.click("text=批量接收文件")
    page.wait_for_load_state()  # the page's deferred scripts have run
    page.set_input_files("#id_files", str(path))
    expect(page.locator(".file-name")).to_have_text(path.name)
    page.click("main button[type=submit]")
    expect(page.locator("#progress")).to_contain_text(f"已处理 {imported} / {imported} 个文件（100%）")
    expect(page.locator("#files tbody tr[data-outcome=imported]")).to_have_count(imported)
    page.click("#progress button:has-text('登记为已提交')")
    expect(page.locator(".messages")).to_contain_text(f"已把本批导入的 {imported} 份评价登记为“已提交”")
    page.click("text=任务进度")


def total_row(page: Page) -> list[str]:
    return [cell.strip() for cell in page.locator("#board-total td").all_inner_texts()]


def test_the_year_from_project_list_to_publication(live_server, browser: Browser, bureau, tmp_path: Path) -> None:  # noqa: F811
    base = live_server.url
    today = dt.date.today()
    finance = sign_in(browser, base, "finance")

    # 1. the task, from the 项目清单; the unit deadline has passed already (so the late unit is overdue)
    finance.goto(f"{base}/tasks/new/")
    finance.fill("#id_name", "2022年度项目支出绩效自评")
    finance.fill("#id_year", "2022")
    finance.fill("#id_unit_deadline", f"{today - dt.timedelta(days=1):%Y-%m-%d}")
    finance.fill("#id_department_deadline", f"{today + dt.timedelta(days=10):%Y-%m-%d}")
    finance.fill("#id_finance_deadline", f"{today + dt.timedelta(days=20):%Y-%m-%d}")
    finance.set_input_files("#id_project_list", str(project_list(tmp_path)))
    finance.click("main button[type=submit]")
    expect(finance.locator(".messages")).to_contain_text("为 3 个项目建立了待填报的评价")
    board_url = finance.url
    assert re.search(r"/tasks/\d+/$", board_url)
    assert total_row(finance)[0] == "3"

    # 2. a unit sees what it has to do
    unit_a = sign_in(browser, base, "filler-a")
    unit_a.goto(f"{base}/tasks/todo/")
    expect(unit_a.locator("main")).to_contain_text("社区科普活动")
    expect(unit_a.locator("main")).to_contain_text("科技馆展品更新")
    expect(unit_a.locator("main")).not_to_contain_text("青少年科技竞赛")

    # 3. the bureau receives 年度甲单位's files, matched by 项目编码, and registers them as submitted
    receive(finance, zip_of(tmp_path, "甲单位报送.zip", PROJECTS[0], PROJECTS[1]), imported=2)

    # 4. 年度乙单位 is late: reminded by hand from the board, and by the daily run
    mail.outbox.clear()
    finance.goto(board_url)
    finance.click("#board a:has-text('年度测试主管部门')")
    late = finance.locator("#board tr", has_text="年度乙单位")
    late.locator("button:has-text('发送提醒')").click()
    expect(finance.locator(".messages")).to_contain_text("已提醒年度乙单位（1 人）：1 份评价尚未提交")
    call_command("send_reminders")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["filler-b@example.gov.cn"], "绩效自评提醒：2022年度项目支出绩效自评"),
        (["filler-b@example.gov.cn"], "绩效自评提醒：2022年度项目支出绩效自评"),
    ]
    assert "年度乙单位有 1 份评价尚未提交；截止日期" in mail.outbox[1].body and "已过" in mail.outbox[1].body

    # 5. the board counts: 3 projects, 2 submitted, 1 overdue
    finance.goto(board_url)
    figures = total_row(finance)
    statuses = [s for s, _ in Status.choices]
    counts = dict(zip(statuses, figures[1 : 1 + len(statuses)], strict=True))
    assert (counts[Status.PENDING], counts[Status.SUBMITTED]) == ("1", "2")
    submitted_pct, approved_pct, overdue = figures[1 + len(statuses) : 4 + len(statuses)]
    assert (submitted_pct, approved_pct, overdue) == ("66.67%", "0.00%", "1")

    # 6. the late file comes in
    receive(finance, zip_of(tmp_path, "乙单位补报.zip", PROJECTS[2]), imported=1)

    # 7. the 主管部门 approves, finance re-checks and publishes, each project
    reviewer = sign_in(browser, base, "reviewer")
    records = list(EvaluationRecord.objects.order_by("project_code"))
    assert [r.status for r in records] == [Status.SUBMITTED] * 3
    for record in records:
        reviewer.goto(f"{base}/evaluations/{record.pk}/")
        act(reviewer, "approve", says="确定审核通过？")
        expect(reviewer.locator("h1 .badge")).to_have_text("主管部门审核通过")
        finance.goto(f"{base}/evaluations/{record.pk}/")
        act(finance, "review", says="复核得分 90.00 分", review_score="90", comment="抽查复核：与佐证材料相符")
        act(finance, "publish", says="确定公开？")
        expect(finance.locator("h1 .badge")).to_have_text("已公开")

    finance.goto(board_url)
    figures = total_row(finance)
    counts = dict(zip(statuses, figures[1 : 1 + len(statuses)], strict=True))
    assert counts[Status.PUBLISHED] == "3" and figures[1 + len(statuses) : 4 + len(statuses)] == [
        "100.00%",
        "100.00%",
        "0",
    ]
    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/")
    for _, name, *_ in PROJECTS:
        expect(visitor.locator("main")).to_contain_text(name)
    assert REFUSED == []  # nothing on these pages needed what the Content-Security-Policy forbids
