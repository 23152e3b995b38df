"""结果应用: finance's policy (saved only when the core accepts it), the next-year budget suggested per evaluation
from the grade it is judged by, finance's decision with its reason, the 整改事项 opened from error findings and 复核
problems and taken from 待整改 to 销号, the weekly reminder of overdue ones, and the 汇总表; each page only for the
people whose work it is."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.test import Client

from jixiao.web.changes.models import ObjectChange
from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord, StoredFinding
from jixiao.web.organisations.models import Role
from jixiao.web.results import services
from jixiao.web.results.models import BudgetDecision, Rectification, ResultPolicy
from jixiao.web.review.models import Evidence, ReviewProblem
from jixiao.web.tasks.models import Notice
from tests.conftest import BASE
from tests.web.conftest import World, client_for, evaluation_for
from tests.web.overview_fixtures import PATHS

D = Decimal
State = Rectification.State
DUE = dt.date(2023, 6, 30)

#: a policy with bands within 中 and a 主管部门's own rule, for the policy page
BANDED = """name: 测试市结果应用办法
source: 测试市绩效结果应用办法第五条
rules:
  - {grade: 优, action: 优先保障, change_pct: 0, note: 第五条第一项}
  - {grade: 良, action: 维持, change_pct: 0}
  - {grade: 中, action: 压减 20%, change_pct: -20, score_from: 60, score_to: 70}
  - {grade: 中, action: 压减 10%, change_pct: -10, score_from: 70, score_to: 80}
  - {grade: 差, action: 取消, cancel: true, note: 第五条第四项}
departments:
  - department: 乙主管部门
    rules:
      - {grade: 差, action: 压减 30%, change_pct: -30, note: 乙部门过渡期}
"""

OVERLAPPING = BANDED.replace("score_from: 60, score_to: 70", "score_from: 60, score_to: 75")


def made(
    world: World,
    place: str,
    status: str,
    *,
    budget: str = "100",
    executed: str = "98",
    review_score: Decimal | None = None,
    name: str | None = None,
) -> EvaluationRecord:
    """A stored evaluation of ``place`` whose one fund row has ``budget`` and ``executed`` 万元, walked to ``status``
    by the people whose steps they are (the 复核 giving ``review_score``)."""
    unit = world.org(place)
    funds = copy.deepcopy(BASE["funds"])
    funds[0].update(
        initial_budget_wan=budget,
        annual_budget_wan=budget,
        arrivals=[{"amount_wan": budget, "date": "2022-06-30"}],
        executed_wan=executed,
    )
    name = name or f"{unit.name}{status}专项"
    record = evaluation_services.create(
        unit, evaluation_for(unit, name, 2022, funds=funds), world.user(Role.FILLER, place)
    )
    for action in PATHS[status]:
        score = review_score if action == Action.REVIEW else None
        evaluation_services.move(record.pk, action, world.actor(action, place), "", score, gate=False)
    return EvaluationRecord.objects.get(pk=record.pk)


@pytest.fixture
def year(world: World) -> dict[str, EvaluationRecord]:
    """2022 under 测试市财政局: a 中 (复核 65) and a submitted one in 甲, a 差 (复核 50) in 乙, a draft (never listed),
    and one of 另一市财政局."""
    return {
        "fair": made(world, "A1", Status.FINANCE_REVIEWED, budget="153", executed="150", review_score=D("65")),
        "submitted": made(world, "A2", Status.SUBMITTED),
        "poor": made(world, "B1", Status.FINANCE_REVIEWED, budget="80", executed="20", review_score=D("50")),
        "draft": made(world, "A1", Status.DRAFT, name="甲一草稿专项"),
        "other": made(world, "C1", Status.SUBMITTED),
    }


def finance(world: World, place: str = "F1") -> Client:
    return client_for(world.user(Role.FINANCE_ADMIN, place))


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def workbook(response: Any) -> openpyxl.Workbook:
    assert response.status_code == 200
    return openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))


def error_finding(record: EvaluationRecord, code: str = "F002", location: str = "funds[0].executed_wan") -> None:
    StoredFinding.objects.create(
        record=record, code=code, severity="error", message="全年执行数 150.00 万元与明细合计 140.00 万元不符",
        location=location,
    )  # fmt: skip


def problem(record: EvaluationRecord, world: World) -> ReviewProblem:
    reviewer = world.user(Role.FINANCE_ADMIN, "F1")
    return ReviewProblem.objects.create(
        record=record, problem="满意度调查样本仅 12 份", requirement="补充满意度调查原始问卷", created_by=reviewer,
        created_by_name="绩效管理员",
    )  # fmt: skip


def opened(world: World, record: EvaluationRecord) -> list[Rectification]:
    error_finding(record)
    problem(record, world)
    return services.open_rectifications(record, world.user(Role.FINANCE_ADMIN, "F1"), DUE)


# ------------------------------------------------------------------------------------------- suggestions


def test_the_list_suggests_from_the_review_grade_with_the_formula(world: World, year: dict[str, Any]) -> None:
    html = page(finance(world), "/results/", year=2022)
    # the default policy: 中 压减 10%, 差 压减 50%
    assert "建议预算 = 本年全年预算数 153.00 万元 × (1 − 10%) = 137.70 万元" in html
    assert "建议预算 = 本年全年预算数 80.00 万元 × (1 − 50%) = 40.00 万元" in html
    assert "复核等级 65.00 分" in html and "复核等级 50.00 分" in html
    assert "共 3 项" in html  # the draft and the other 财政局's are not listed
    assert "甲一草稿专项" not in html and "丙一单位" not in html


def test_a_fair_and_a_poor_evaluation_get_their_grades_action_and_amount(world: World, year: dict[str, Any]) -> None:
    fair, poor = services.line_of(year["fair"]), services.line_of(year["poor"])
    assert (fair.grade, fair.grade_source, fair.score, fair.grade_label) == ("中", "复核", D("65.00"), "中（复核等级）")
    assert (fair.suggestion.action, fair.suggestion.suggested_wan) == ("压减 10%", D("137.7000"))
    assert (poor.grade, poor.suggestion.action, poor.suggestion.suggested_wan) == (
        "差",
        "压减 50%，视整改情况决定是否取消",
        D("40.0000"),
    )
    submitted = services.line_of(year["submitted"])
    assert submitted.grade_source == "计算" and submitted.grade == year["submitted"].computed_grade


def test_the_list_filters_by_department_and_grade(world: World, year: dict[str, Any]) -> None:
    client = finance(world)
    by_grade = page(client, "/results/", year=2022, grade="差")
    assert "乙一单位" in by_grade and "甲一单位" not in by_grade and "共 1 项" in by_grade
    by_department = page(client, "/results/", year=2022, department=world.org("DA").pk)
    assert "共 2 项" in by_department and "乙一单位" not in by_department


def test_a_saved_policy_with_bands_and_a_departments_rule_changes_the_suggestions(
    world: World, year: dict[str, Any]
) -> None:
    response = finance(world).post(
        "/results/policy/", {"finance": world.org("F1").pk, "text": BANDED, "note": "按本市办法"}
    )
    assert response.status_code == 302
    fair, poor = services.line_of(year["fair"]), services.line_of(year["poor"])
    assert (fair.suggestion.action, fair.suggestion.suggested_wan) == ("压减 20%", D("122.4000"))
    assert fair.suggestion.explanation.rule == "“中”（60–70 分）：压减 20%"
    # 乙主管部门's own rule for 差 replaces 取消
    assert (poor.suggestion.action, poor.suggestion.suggested_wan, poor.suggestion.override) == (
        "压减 30%",
        D("56.0000"),
        "乙主管部门",
    )
    html = page(finance(world), "/results/policy/")
    assert "测试市结果应用办法" in html and "60–70 分" in html and "70–80 分" in html and "乙部门过渡期" in html
    assert "按本市办法" in html  # the history


def test_a_policy_with_overlapping_bands_is_refused_beside_the_field_and_nothing_is_saved(
    world: World, year: dict[str, Any]
) -> None:
    response = finance(world).post(
        "/results/policy/", {"finance": world.org("F1").pk, "text": OVERLAPPING, "note": "试改"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "政策内容有误：“中”的两条规则分数区间 60–75 与 70–80 重叠" in html
    assert 'class="field has-error"><label for="id_text">' in html
    assert not ResultPolicy.objects.exists()
    assert services.line_of(year["fair"]).suggestion.suggested_wan == D("137.7000")  # still the default


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\nrules: [\n", "政策内容有误：YAML 格式错误，位于第 3 行第 1 列"),
        (BANDED.replace("grade: 良", "grade: 甲"), "未知的等级“甲”，应为 优、良、中、差 之一"),
        (BANDED.replace("change_pct: -30", "change_pct: -130"), "预算调整比例 -130% 低于 -100%"),
    ],
)
def test_other_bad_policies_are_refused_in_chinese(world: World, text: str, message: str) -> None:
    response = finance(world).post("/results/policy/", {"finance": world.org("F1").pk, "text": text, "note": "x"})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ResultPolicy.objects.exists()


def test_a_policy_is_the_finances_own(world: World, year: dict[str, Any]) -> None:
    """F2 saves a policy; F1's suggestions keep the default, and F2 cannot save one for F1."""
    finance(world, "F2").post("/results/policy/", {"finance": world.org("F2").pk, "text": BANDED, "note": "丙市"})
    assert services.line_of(year["fair"]).suggestion.suggested_wan == D("137.7000")
    response = finance(world, "F2").post(
        "/results/policy/", {"finance": world.org("F1").pk, "text": BANDED, "note": "越权"}
    )
    assert response.status_code == 200 and "财政局不在可选范围内" in response.content.decode()
    assert list(ResultPolicy.objects.values_list("finance__name", flat=True)) == ["另一市财政局"]


# ------------------------------------------------------------------------------------------- decisions


def test_finance_keeps_the_suggestion_without_a_reason(world: World, year: dict[str, Any]) -> None:
    url = f"/results/evaluations/{year['fair'].pk}/"
    assert finance(world).post(url, {"decided_wan": "137.70", "reason": ""}).status_code == 302
    decision = BudgetDecision.objects.get(record=year["fair"])
    assert (decision.grade, decision.grade_source, decision.action) == ("中", "复核", "压减 10%")
    assert (decision.suggested_wan, decision.decided_wan, decision.reason) == (D("137.7000"), D("137.7000"), "")
    assert decision.decided_by == world.user(Role.FINANCE_ADMIN, "F1")
    assert decision.decided_by_name == "财政绩效管理员（测试市财政局）"


def test_an_amount_other_than_the_suggestion_needs_a_reason(world: World, year: dict[str, Any]) -> None:
    url = f"/results/evaluations/{year['fair'].pk}/"
    response = finance(world).post(url, {"decided_wan": "150", "reason": "  "})
    assert response.status_code == 200
    assert "调整后预算与建议预算（137.70 万元）不同，请写明调整理由" in response.content.decode()
    assert not BudgetDecision.objects.exists()
    assert finance(world).post(url, {"decided_wan": "150", "reason": "中央转移支付配套，不宜压减"}).status_code == 302
    decision = BudgetDecision.objects.get(record=year["fair"])
    assert (decision.decided_wan, decision.reason) == (D("150.0000"), "中央转移支付配套，不宜压减")
    html = page(finance(world), "/results/", year=2022)
    assert '<strong class="diff">150.00</strong>' in html and "中央转移支付配套，不宜压减" in html
    kind = ContentType.objects.get_for_model(BudgetDecision)
    change = ObjectChange.objects.get(content_type=kind, object_id=decision.pk)
    assert (change.action, change.after["decided_wan"]) == ("create", "150.0000")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "调整后预算不能为负数"),
        ("一百", "调整后预算应为数字（万元），如 137.7"),
        ("", "请填写调整后预算（万元）"),
        ("1.23456", "调整后预算最多保留 4 位小数"),
    ],
)
def test_a_bad_amount_is_refused_in_chinese(world: World, year: dict[str, Any], amount: str, message: str) -> None:
    response = finance(world).post(f"/results/evaluations/{year['fair'].pk}/", {"decided_wan": amount, "reason": "x"})
    assert response.status_code == 200 and message in response.content.decode()
    assert not BudgetDecision.objects.exists()


def test_the_budget_list_exports_with_the_formula_and_the_decision(world: World, year: dict[str, Any]) -> None:
    finance(world).post(f"/results/evaluations/{year['poor'].pk}/", {"decided_wan": "0", "reason": "项目已完成"})
    ws = workbook(finance(world).get("/results/budget.xlsx", {"year": 2022}))["下年预算安排建议"]
    assert ws["A1"].value == "测试市财政局2022年度绩效自评结果应用：下年预算安排建议"
    rows = {r[3]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    fair, poor = rows[year["fair"].project_name], rows[year["poor"].project_name]
    assert fair[4:10] == (153.0, "中（复核等级）", 65.0, "压减 10%", 137.7, fair[9])
    assert fair[9] == "建议预算 = 本年全年预算数 153.00 万元 × (1 − 10%) = 137.70 万元"
    assert (fair[10], fair[11]) == (None, None)
    assert poor[8] == 40.0 and poor[10:13] == (0.0, "项目已完成", "财政绩效管理员（测试市财政局）")
    assert len(rows) == 3


# ------------------------------------------------------------------------------------------- 整改事项


def test_rectifications_open_from_an_error_finding_and_a_review_problem_and_tell_the_unit(
    world: World, year: dict[str, Any]
) -> None:
    record = year["fair"]
    StoredFinding.objects.create(record=record, code="T01", severity="warning", message="仅警告", location="")
    found = problem(record, world)
    error_finding(record)
    created = services.open_rectifications(record, world.user(Role.FINANCE_ADMIN, "F1"), DUE)
    assert [(i.source, i.source_ref, i.problem) for i in created] == [
        ("finding", "F002@funds[0].executed_wan", "全年执行数 150.00 万元与明细合计 140.00 万元不符"),
        ("review", f"problem:{found.pk}", "满意度调查样本仅 12 份"),
    ]
    first, second = created
    assert first.requirement.startswith(
        "核实并更正自评中“项目资金第 1 项 · 全年执行数（万元）”处的这一问题（检查 F002：资金来源各行之和与所述总额不符）"
    )
    assert second.requirement == "补充满意度调查原始问卷"
    assert {(i.owner, i.department, i.finance, i.year, i.project_name, i.due_date, i.state) for i in created} == {
        (world.org("A1"), world.org("DA"), world.org("F1"), 2022, record.project_name, DUE, State.OPEN)
    }
    assert first.created_by_name == "财政绩效管理员（测试市财政局）"
    told = Notice.objects.filter(text__startswith="【整改事项】")
    assert {n.user for n in told} == {world.user(Role.FILLER, "A1"), world.user(Role.UNIT_HEAD, "A1")}
    assert told.first().text == (
        f"【整改事项】甲一单位“{record.project_name}”新增 2 项整改事项，整改期限 2023年06月30日，请按期整改并报送整改情况。"
    )


def test_opening_again_opens_only_what_is_new(world: World, year: dict[str, Any]) -> None:
    record = year["fair"]
    assert len(opened(world, record)) == 2
    assert services.open_rectifications(record, None, DUE) == []
    later = problem(record, world)
    again = services.open_rectifications(record, None, DUE)
    assert [i.source_ref for i in again] == [f"problem:{later.pk}"]
    assert Rectification.objects.filter(record=record).count() == 3
    assert Notice.objects.filter(text__contains="新增 1 项整改事项").count() == 2


def test_finance_opens_them_from_the_evaluations_page(world: World, year: dict[str, Any]) -> None:
    record = year["fair"]
    error_finding(record)
    url = f"/results/evaluations/{record.pk}/rectify/"
    response = finance(world).post(url, {"due_date": ""})
    assert response.status_code == 200 and "请填写整改期限" in response.content.decode()
    assert finance(world).post(url, {"due_date": "2099-06-30"}).status_code == 302
    assert list(Rectification.objects.values_list("due_date", "created_by_name")) == [
        (dt.date(2099, 6, 30), "财政绩效管理员（测试市财政局）")
    ]
    html = page(finance(world), f"/results/evaluations/{record.pk}/")
    assert "全年执行数 150.00 万元与明细合计 140.00 万元不符" in html
    assert "早于今天" in finance(world).post(url, {"due_date": "2001-01-01"}).content.decode()


def test_a_unit_reports_and_finance_closes(world: World, year: dict[str, Any]) -> None:
    item = opened(world, year["fair"])[0]
    evidence = Evidence.objects.create(
        record=year["fair"], file_name="更正后的执行明细.pdf", kind="pdf", media_type="application/pdf", sha256="0" * 64,
        size=10, side="unit", uploaded_by_name="填报人",
    )  # fmt: skip
    filler = client_for(world.user(Role.FILLER, "A1"))
    url = f"/results/rectifications/{item.pk}/"
    response = filler.post(url + "report/", {"report": "", "evidence": ""})
    assert response.status_code == 200 and "请填写整改情况" in response.content.decode()
    assert filler.post(url + "report/", {"report": "已更正执行数", "evidence": evidence.pk}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.report, item.evidence, item.reported_at is not None) == (
        State.REPORTED, "已更正执行数", evidence, True,
    )  # fmt: skip
    assert filler.post(url + "close/").status_code == 403  # a unit never closes its own
    assert finance(world).post(url + "close/").status_code == 302
    item.refresh_from_db()
    assert (item.state, item.closed_by_name) == (State.CLOSED, "财政绩效管理员（测试市财政局）")
    html = page(filler, url)
    assert "已销号" in html and "更正后的执行明细.pdf" in html and 'id="report-form"' not in html
    # closing again says why, and changes nothing
    response = finance(world).post(url + "close/", follow=True)
    assert "该整改事项已销号" in response.content.decode()


def test_the_department_sends_a_report_back_with_a_comment(world: World, year: dict[str, Any]) -> None:
    item = opened(world, year["fair"])[1]
    client_for(world.user(Role.UNIT_HEAD, "A1")).post(f"/results/rectifications/{item.pk}/report/", {"report": "已补"})
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    url = f"/results/rectifications/{item.pk}/send-back/"
    response = reviewer.post(url, {"comment": ""})
    assert response.status_code == 200 and "请写明退回意见" in response.content.decode()
    assert reviewer.post(url, {"comment": "问卷未附"}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.return_comment, item.returned_by_name) == (
        State.OPEN, "问卷未附", "主管部门审核人（甲主管部门）",
    )  # fmt: skip
    assert Notice.objects.filter(
        user=world.user(Role.FILLER, "A1"), text__endswith="的整改情况被退回，请重新整改：问卷未附"
    ).exists()
    # an open item cannot be closed or sent back
    response = reviewer.post(f"/results/rectifications/{item.pk}/close/", follow=True)
    assert "责任单位尚未报送整改情况，不能销号" in response.content.decode()


def test_the_list_shows_overdue_items_in_red_and_filters(world: World, year: dict[str, Any]) -> None:
    items = opened(world, year["fair"])
    Rectification.objects.filter(pk=items[1].pk).update(due_date=dt.date(2099, 1, 1))
    client = client_for(world.user(Role.FILLER, "A1"))
    html = page(client, "/results/rectifications/")
    days = (dt.date.today() - DUE).days
    assert f'<span class="sev-error">逾期 {days} 天</span>' in html and "共 2 项" in html
    assert "共 1 项" in page(client, "/results/rectifications/", overdue="on")
    assert "共 0 项" in page(client, "/results/rectifications/", state=State.CLOSED)
    assert "共 0 项" in page(client, "/results/rectifications/", year=2021)


def test_overdue_items_are_reminded_once_a_week(world: World, year: dict[str, Any]) -> None:
    items = opened(world, year["fair"])
    Notice.objects.all().delete()
    reported = items[1]
    services.report(reported, "已补", None, world.user(Role.FILLER, "A1"))  # the unit has done its part
    assert services.remind_overdue(dt.date(2023, 6, 30)) == 0  # due today: not yet overdue
    assert services.remind_overdue(dt.date(2023, 7, 3)) == 1
    notices = Notice.objects.all()
    assert {n.user for n in notices} == {world.user(Role.FILLER, "A1"), world.user(Role.UNIT_HEAD, "A1")}
    assert notices[0].text.startswith(
        f"【整改事项】甲一单位“{year['fair'].project_name}”的整改事项已逾期 3 天（整改期限 2023年06月30日）："
    )
    assert notices[0].url == f"/results/rectifications/{items[0].pk}/"
    assert services.remind_overdue(dt.date(2023, 7, 3)) == 0  # the same day again
    assert services.remind_overdue(dt.date(2023, 7, 9)) == 0  # six days later
    assert services.remind_overdue(dt.date(2023, 7, 10)) == 1  # a week later
    assert Notice.objects.count() == 4
    Rectification.objects.filter(pk=items[0].pk).update(state=State.CLOSED)
    assert services.remind_overdue(dt.date(2023, 8, 1)) == 0


# ------------------------------------------------------------------------------------------- 汇总表


def test_the_summary_counts_per_department_with_the_rate_of_the_sums(world: World, year: dict[str, Any]) -> None:
    items = opened(world, year["fair"])
    services.report(items[0], "已更正", None, world.user(Role.FILLER, "A1"))
    services.close(items[0], world.user(Role.FINANCE_ADMIN, "F1"))
    ws = workbook(finance(world).get("/results/summary.xlsx", {"year": 2022}))["结果应用汇总表"]
    assert ws["A1"].value == "测试市财政局2022年度项目支出绩效自评结果应用汇总表"
    assert ws["A2"].value == "编制单位：测试市财政局　　评价年度：2022年度"
    rows = [list(r) for r in ws.iter_rows(min_row=5, max_row=7, values_only=True)]
    computed = year["submitted"].computed_grade
    grades = {g: (1 if g == "中" else 0) + (1 if g == computed else 0) for g in ("优", "良", "中", "差")}
    fair = year["fair"]
    gap = float(fair.claimed_score - fair.review_score)
    # by code, then name (the test's departments have no code: 乙 U+4E59 before 甲 U+7532)
    assert rows[1] == [2, "甲主管部门", 2, *grades.values(), 0, 253.0, 248.0, 98.02, 1, gap, 1, 1]
    assert rows[0] == [1, "乙主管部门", 1, 0, 0, 0, 1, 0, 80.0, 20.0, 25.0, 1, rows[0][12], 0, 0]
    poor = year["poor"]
    assert rows[0][12] == float(poor.claimed_score - poor.review_score)
    # 合计: 268 / 333 = 80.48%, from the sums (the mean of the rates would be 61.51%)
    assert rows[2][:12] == [None, "合计", 3, *(grades[g] + (g == "差") for g in ("优", "良", "中", "差")), 0,
                            333.0, 268.0, 80.48, 2]  # fmt: skip
    assert rows[2][13:] == [1, 1]
    assert EvaluationRecord.objects.filter(finance=world.org("F1"), year=2022).aggregate(s=Sum("budget_wan"))["s"] == D(
        "433"
    )  # the draft's 100 is not in the 汇总表


def test_an_unscored_evaluation_counts_as_such(world: World) -> None:
    blank = made(world, "A1", Status.SUBMITTED, name="空白专项")
    EvaluationRecord.objects.filter(pk=blank.pk).update(computed_score=None, computed_grade="")
    ws = workbook(finance(world).get("/results/summary.xlsx", {"year": 2022}))["结果应用汇总表"]
    assert [c.value for c in ws[5]][2:8] == [1, 0, 0, 0, 0, 1]
    assert services.line_of(EvaluationRecord.objects.get(pk=blank.pk)).suggestion.explanation.rule == "无建议"


# ------------------------------------------------------------------------------------------- who may


FINANCE_PAGES = ("/results/", "/results/policy/", "/results/budget.xlsx", "/results/summary.xlsx")


@pytest.mark.parametrize(
    ("role", "place", "pages", "record_page"),
    [
        (Role.FINANCE_ADMIN, "F1", 200, 200),
        (Role.FINANCE_ADMIN, "F2", 200, 404),
        (Role.DEPARTMENT_REVIEWER, "DA", 403, 404),
        (Role.FILLER, "A1", 403, 404),
        (Role.UNIT_HEAD, "A1", 403, 404),
    ],
)
def test_who_uses_the_finance_pages(
    world: World, year: dict[str, Any], role: str, place: str, pages: int, record_page: int
) -> None:
    client = client_for(world.user(role, place))
    for url in FINANCE_PAGES:
        assert client.get(url).status_code == pages, url
    record = year["fair"]
    assert client.get(f"/results/evaluations/{record.pk}/").status_code == record_page
    error_finding(record)
    before = BudgetDecision.objects.count(), Rectification.objects.count()
    assert client.post(f"/results/evaluations/{record.pk}/", {"decided_wan": "1", "reason": "x"}).status_code in (
        302 if record_page == 200 else 404,
    )
    assert client.post(f"/results/evaluations/{record.pk}/rectify/", {"due_date": "2099-01-01"}).status_code in (
        302 if record_page == 200 else 404,
    )
    after = BudgetDecision.objects.count(), Rectification.objects.count()
    assert after == ((1, 1) if record_page == 200 else before)


@pytest.mark.parametrize(
    ("role", "place", "sees", "reports", "closes"),
    [
        (Role.FILLER, "A1", 200, 302, 403),
        (Role.UNIT_HEAD, "A1", 200, 302, 403),
        (Role.FILLER, "A2", 404, 404, 404),
        (Role.FILLER, "B1", 404, 404, 404),
        (Role.DEPARTMENT_REVIEWER, "DA", 200, 403, 302),
        (Role.DEPARTMENT_REVIEWER, "DB", 404, 404, 404),
        (Role.FINANCE_ADMIN, "F1", 200, 403, 302),
        (Role.FINANCE_ADMIN, "F2", 404, 404, 404),
    ],
)
def test_who_sees_reports_and_closes_an_item(
    world: World, year: dict[str, Any], role: str, place: str, sees: int, reports: int, closes: int
) -> None:
    item = opened(world, year["fair"])[0]
    client = client_for(world.user(role, place))
    listed = page(client, "/results/rectifications/")
    assert (f"/results/rectifications/{item.pk}/" in listed) == (sees == 200)
    url = f"/results/rectifications/{item.pk}/"
    assert client.get(url).status_code == sees
    assert client.post(url + "report/", {"report": "已更正"}).status_code == reports
    services.report(item, "已更正", None, world.user(Role.FILLER, "A1"))
    assert client.post(url + "send-back/", {"comment": "再补"}).status_code == closes
    services.report(item, "已更正", None, world.user(Role.FILLER, "A1"))
    assert client.post(url + "close/").status_code == closes
    item.refresh_from_db()
    assert item.state == (State.CLOSED if closes == 302 else State.REPORTED)


def test_the_system_administrator_sees_all_and_anonymous_visitors_are_sent_to_sign_in(
    world: World, year: dict[str, Any]
) -> None:
    item = opened(world, year["fair"])[0]
    admin = client_for(world.sysadmin)
    for url in (*FINANCE_PAGES, f"/results/evaluations/{year['other'].pk}/", f"/results/rectifications/{item.pk}/"):
        assert admin.get(url).status_code == 200, url
    assert admin.post(f"/results/rectifications/{item.pk}/report/", {"report": "代报"}).status_code == 403
    anonymous = client_for(None)
    for url in (*FINANCE_PAGES, "/results/rectifications/", f"/results/rectifications/{item.pk}/"):
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_the_pages_that_change_things_take_only_posts(world: World, year: dict[str, Any]) -> None:
    item = opened(world, year["fair"])[0]
    client = finance(world)
    for url in (
        f"/results/evaluations/{year['fair'].pk}/rectify/",
        f"/results/rectifications/{item.pk}/report/",
        f"/results/rectifications/{item.pk}/close/",
        f"/results/rectifications/{item.pk}/send-back/",
    ):
        assert client.get(url).status_code == 405, url


def test_the_pages_are_chinese_for_an_english_browser(world: World, year: dict[str, Any]) -> None:
    from tests.web.test_language import ENGLISH, english_words, labels

    item = opened(world, year["fair"])[0]
    services.report(item, "已更正", None, world.user(Role.FILLER, "A1"))
    for person, url in (
        (world.user(Role.FINANCE_ADMIN, "F1"), "/results/?year=2022"),
        (world.user(Role.FINANCE_ADMIN, "F1"), "/results/policy/"),
        (world.user(Role.FINANCE_ADMIN, "F1"), f"/results/evaluations/{year['fair'].pk}/"),
        (world.user(Role.FINANCE_ADMIN, "F1"), f"/results/rectifications/{item.pk}/"),
        (world.user(Role.FILLER, "A1"), "/results/rectifications/"),
        (world.user(Role.FILLER, "A1"), f"/results/rectifications/{item.pk}/"),
        (world.sysadmin, "/results/policy/"),
    ):
        response = client_for(person).get(url, **ENGLISH)
        html = response.content.decode()
        assert response.status_code == 200 and english_words(html) == [], url
        assert all(label.endswith("：") for label in labels(html)), url


def test_the_admin_lists_them_read_only(world: World, year: dict[str, Any]) -> None:
    opened(world, year["fair"])
    services.decide(year["fair"], D("100"), "压减", world.user(Role.FINANCE_ADMIN, "F1"))
    world.sysadmin.is_staff = world.sysadmin.is_superuser = True
    world.sysadmin.save()
    admin = client_for(world.sysadmin)
    for model in ("resultpolicy", "budgetdecision", "rectification"):
        assert admin.get(f"/admin/results/{model}/").status_code == 200, model
        assert admin.get(f"/admin/results/{model}/add/").status_code == 403, model
    item = Rectification.objects.first()
    assert admin.post(f"/admin/results/rectification/{item.pk}/change/", {"state": "closed"}).status_code == 403
