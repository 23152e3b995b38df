"""One project's year in a real browser, from 绩效目标 申报 to the year-end self-evaluation.

A 填报人 declares the targets of a project; the 主管部门审核人 returns it, citing the quality finding the page
shows (no 满意度指标 for a public service); the unit adds the indicator and resubmits; the department passes it and
the 财政绩效管理员 approves it with the grade 良. Finance opens the July monitoring; the unit reports 35 of 100 万元
spent and one indicator it can no longer reach, and the lag warning appears on the department's board. At year end
the unit starts its self-evaluation from the approved targets: the indicators carry the approved 年度指标值 with
nothing retyped, the page shows where the project stood in July, and a full self-score on the indicator July judged
完全不可能 is flagged (M001) until it is explained.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from jixiao.web.organisations.models import Organisation
from jixiao.web.targets.models import TargetDeclaration
from tests.web.test_browser_lifecycle import browser, people, sign_in  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser]

PROJECT = "浏览器测试科普进社区项目"


def fill_row(page: Page, i: int, first: str, second: str, name: str, points: str, **cells: str) -> None:
    page.select_option(f"[name=row-{i}-first]", first)
    page.fill(f"[name=row-{i}-second]", second)
    page.fill(f"[name=row-{i}-name]", name)
    page.fill(f"[name=row-{i}-points]", points)
    for field, value in cells.items():
        if field == "comparator":
            page.select_option(f"[name=row-{i}-comparator]", value)
        else:
            page.fill(f"[name=row-{i}-{field}]", value)


def test_a_project_runs_from_its_declared_targets_through_july_monitoring_to_its_self_evaluation(
    live_server,
    browser: Browser,  # noqa: F811
    people: Organisation,  # noqa: F811
) -> None:
    base = live_server.url

    # 填报人 declares the targets: a public service without a 满意度指标, so the quality checks speak up
    unit = sign_in(browser, base, "filler")
    unit.goto(f"{base}/targets/new/")
    unit.fill("#id_name", PROJECT)
    unit.fill("#id_year", "2022")
    unit.check("#id_public_facing")
    unit.fill("#id_overall_goal", "全年开展科普进社区活动 100 场，提升社区居民科学素质。")
    unit.fill("#id_total_wan", "100")
    unit.fill("#id_current_wan", "100")
    fill_row(unit, 0, "产出指标", "数量指标", "科普活动场次", "50", comparator="≥", value="100", unit="场")
    fill_row(
        unit,
        1,
        "效益指标",
        "社会效益指标",
        "社区居民科学素质提升",
        "30",
        comparator="定性",
        scale="好/较好/一般/差",
        expected="好",
    )
    unit.click("#save-declaration")
    expect(unit.locator("h1")).to_contain_text(PROJECT)
    expect(unit.locator("#status")).to_have_text("草稿")
    expect(unit.locator("#target-findings")).to_contain_text("G004")
    pk = int(re.search(r"/targets/(\d+)/", unit.url).group(1))
    unit.click("#submit-declaration")
    expect(unit.locator("#status")).to_have_text("待主管部门审核")

    # 主管部门审核人 returns it, citing the finding shown above the comment box
    reviewer = sign_in(browser, base, "reviewer")
    reviewer.goto(f"{base}/targets/{pk}/department-review/")
    expect(reviewer.locator("main")).to_contain_text("G004")
    reviewer.fill("#id_comment", "G004：面向公众的科普服务须设满意度指标，请补充后再报。")
    reviewer.click("#return")
    expect(reviewer.locator("#status")).to_have_text("已退回")

    # the unit adds the 满意度指标 (weights now 50/30/10 as 101号 asks) and resubmits
    unit.goto(f"{base}/targets/{pk}/")
    expect(unit.locator("main")).to_contain_text("G004：面向公众的科普服务须设满意度指标")
    unit.click("#edit-declaration")
    fill_row(unit, 2, "满意度指标", "服务对象满意度指标", "参与居民满意度", "10", comparator="≥", value="90", unit="%")
    unit.click("#save-declaration")
    expect(unit.locator("#target-findings-none")).to_have_text("未发现问题。")
    unit.click("#submit-declaration")
    reviewer.goto(f"{base}/targets/{pk}/department-review/")
    reviewer.click("#pass")
    expect(reviewer.locator("#status")).to_have_text("待财政审核")

    # 财政绩效管理员 approves with 良, and the consequence of the grade is recorded with it
    finance = sign_in(browser, base, "finance")
    finance.goto(f"{base}/targets/{pk}/finance-review/")
    finance.check("input[name=grade][value=良]")
    finance.fill("#id_comment", "目标明确，指标可衡量。")
    finance.click("#approve")
    expect(finance.locator("#status")).to_have_text("已批复")
    expect(finance.locator("#review-grade")).to_contain_text("良")

    # finance opens the July monitoring; a record is made for the approved project
    finance.goto(f"{base}/monitoring/new/")
    finance.fill("#id_year", "2022")
    finance.fill("#id_monitoring_date", "2022-07-31")
    finance.fill("#id_due_date", "2022-08-15")
    finance.click("#round-form button[type=submit]")
    expect(finance.locator("main")).to_contain_text(PROJECT)
    declaration = TargetDeclaration.objects.get(pk=pk)
    record = declaration.monitoring_records.get()

    # the unit reports: 35 of 100 万元 spent at the end of July, the 素质 survey cannot be done this year
    # (rows in the declared order: 科普活动场次, 社区居民科学素质提升, 参与居民满意度)
    unit.goto(f"{base}/monitoring/{record.pk}/")
    unit.fill("#id_executed_wan", "35")
    unit.fill("#id_expected_executed_wan", "95")
    unit.fill("#id_completed_0", "40场")
    unit.fill("#id_expected_0", "100场")
    unit.select_option("#id_likelihood_0", label="确定能")
    unit.fill("#id_completed_1", "调查尚未开展")
    unit.fill("#id_expected_1", "本年无法评定")
    unit.select_option("#id_likelihood_1", label="完全不可能")
    unit.check("input[name=causes_1][value=other]")
    unit.fill("#id_cause_note_1", "省级素质调查推迟至次年")
    unit.fill("#id_measures_1", "改以活动后问卷评估")
    unit.fill("#id_completed_2", "95%")
    unit.fill("#id_expected_2", "95%")
    unit.select_option("#id_likelihood_2", label="确定能")
    unit.click("#record-form button[name=action][value=submit]")
    expect(unit.locator("#status")).to_have_text("已提交")
    lag = "预算执行率 35.00%（执行数 35.00 万元 ÷ 全年预算数 100.00 万元）低于序时进度 58.33%"
    expect(unit.locator("#monitoring-warnings")).to_contain_text(lag)

    # the warning is on the department's board
    reviewer.goto(f"{base}/monitoring/board/")
    expect(reviewer.locator("#warnings")).to_contain_text(PROJECT)
    expect(reviewer.locator("#warnings")).to_contain_text("23.33 个百分点")

    # year end: the self-evaluation starts from the approved targets, with July's monitoring shown
    unit.goto(f"{base}/targets/{pk}/")
    unit.click("#start-evaluation")
    expect(unit.locator("h1")).to_contain_text(PROJECT)
    evaluation = int(re.search(r"/evaluations/(\d+)/", unit.url).group(1))
    expect(unit.locator("#from-declaration")).to_contain_text(f"2022年 {PROJECT}（审核等级 良）")
    expect(unit.locator("#monitoring-snapshot")).to_contain_text("2022年7月31日")
    expect(unit.locator("#monitored-indicators")).to_contain_text("完全不可能")

    # the indicators carry the approved values; a full score on the one July judged impossible is flagged
    unit.goto(f"{base}/evaluations/{evaluation}/edit/indicators/")
    named = unit.locator("input[name$='-name'][value='社区居民科学素质提升']")
    prefix = named.get_attribute("name").removesuffix("-name")
    expect(unit.locator(f"[name='{prefix}-target']")).to_have_value("定性：好（好/较好/一般/差）")
    expect(unit.locator("input[name$='-name'][value='科普活动场次']")).to_have_count(1)
    unit.fill(f"[name='{prefix}-actual']", "好")
    unit.fill(f"[name='{prefix}-claimed_score']", "30")
    unit.click("button[name=action][value=save]")
    expect(unit).to_have_url(re.compile(rf"/evaluations/{evaluation}/(#.*)?$"))
    expect(unit.locator("tr.finding:has-text('M001')")).to_contain_text("完全不可能")
