"""年度自评任务: a finance bureau opens the year from a 项目清单 xlsx; every project becomes a 待填报 evaluation of
its unit, pre-filled from its row (and from last year's evaluation); units see their to-do list; the board counts
per 主管部门 and unit, and exports to xlsx; a bad list creates nothing and says what is wrong, row by row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.evaluations.access import visible
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.access import access_for
from jixiao.web.organisations.models import Role
from jixiao.web.tasks.access import sees, visible_tasks
from jixiao.web.tasks.board import board
from jixiao.web.tasks.models import Task, TaskState
from tests.web.conftest import World, client_for

HEADER = ["项目编码", "项目名称", "预算单位", "主管部门", "年初预算数（万元）", "全年预算数（万元）", "绩效目标"]
ROWS = [
    ["440800-001", "科普活动经费", "甲一单位", "甲主管部门", 100, 153, "开展科普活动，提升公民科学素质"],
    ["440800-002", "青少年科技创新大赛", "甲二单位", "甲主管部门", 20, 20, None],
    ["440800-003", "学会能力提升", "乙一单位", "乙主管部门", 50, 45.5, None],
]


def list_xlsx(rows: list[list[Any]] = ROWS, header: list[str] = HEADER) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目清单"
    ws.append(["2022年度项目支出绩效自评项目清单"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def form(content: bytes, name: str = "项目清单.xlsx", **changes: Any) -> dict[str, Any]:
    data = {
        "year": "2022",
        "name": "2022年度项目支出绩效自评",
        "rules": "mof-2020",
        "framework": "mof-selfeval",
        "unit_deadline": "2023-04-20",
        "department_deadline": "2023-05-10",
        "finance_deadline": "2023-05-31",
        "project_list": SimpleUploadedFile(name, content),
    }
    data.update(changes)
    return data


def open_task(world: World, content: bytes | None = None, **changes: Any) -> Any:
    client = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    data = form(content or list_xlsx(), owner=str(world.org("F1").pk), **changes)
    return client.post("/tasks/new/", data)


def test_a_task_opens_every_project_as_pending_prefilled_from_its_row(world: World) -> None:
    response = open_task(world)
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    assert (task.owner, task.year, task.unit_deadline) == (world.org("F1"), 2022, dt.date(2023, 4, 20))
    records = {r.project_code: r for r in EvaluationRecord.objects.filter(task=task)}
    assert set(records) == {"440800-001", "440800-002", "440800-003"}
    first = records["440800-001"]
    assert (first.status, first.unit, first.department) == (Status.PENDING, world.org("A1"), world.org("DA"))
    assert first.budget_wan == Decimal("153")
    document = first.document
    assert (
        document["funds"][0]["initial_budget_wan"] == "100"
        or Decimal(str(document["funds"][0]["initial_budget_wan"])) == 100
    )
    assert document["goals"][0]["expected"] == "开展科普活动，提升公民科学素质"
    assert document["indicators"], "the framework's skeleton is there to fill in"
    assert first.transitions.get().action == Action.CREATE
    assert first.versions.get().summary == "由自评任务“2022年度项目支出绩效自评”建立"


def test_a_bad_list_creates_nothing_and_names_each_row(world: World) -> None:
    rows = [
        *ROWS,
        ["440800-001", "重复编码的项目", "甲一单位", "甲主管部门", 1, 1, None],
        ["440800-009", "外市项目", "丙一单位", "丙主管部门", 1, 1, None],
    ]
    response = open_task(world, list_xlsx(rows))
    assert response.status_code == 200
    assert not Task.objects.exists() and not EvaluationRecord.objects.exists()
    text = response.content.decode()
    assert "项目清单有" in text and "未建立任务" in text
    assert "第6行" in text and "440800-001" in text  # the duplicate code, on its sheet row
    assert "丙一单位" in text  # a unit of another finance bureau


def test_a_long_bad_list_shows_its_first_200_problems_and_counts_the_rest(world: World) -> None:
    rows = [[f"440800-{n:04d}", f"外市项目{n}", "丙一单位", "丙主管部门", 1, 1, None] for n in range(250)]
    response = open_task(world, list_xlsx(rows))
    assert response.status_code == 200 and not Task.objects.exists()
    text = response.content.decode()
    assert "项目清单有 250 处问题，未建立任务" in text
    assert text.count("不在系统的单位名单中") == 200  # rows 3–202 of the sheet, each on its own line
    assert "项目清单!C202" in text and "项目清单!C203" not in text
    assert "另有 50 处问题未列出；请先改正上面的问题后重新上传。" in text


def test_a_department_that_is_not_the_units_own_is_refused(world: World) -> None:
    rows = [["440800-001", "科普活动经费", "甲一单位", "乙主管部门", 100, 153, None]]
    response = open_task(world, list_xlsx(rows))
    assert not Task.objects.exists()
    assert "主管部门“乙主管部门”与系统中甲一单位的主管部门“甲主管部门”不一致" in response.content.decode()


def test_a_list_without_the_required_columns_is_refused_naming_them(world: World) -> None:
    response = open_task(world, list_xlsx(header=["名称", "金额"], rows=[["x", 1]]))
    assert response.status_code == 200 and not Task.objects.exists()
    text = response.content.decode()
    assert "项目清单.xlsx" in text and "项目编码" in text


def test_last_years_targets_are_carried_and_its_results_are_not(world: World, record_factory: Any) -> None:
    previous = record_factory("A1", Status.PUBLISHED, name="科普活动经费", year=2021)
    leaf = previous.document["indicators"][0]["children"][0]["children"][0]
    assert leaf["actual"] and leaf["claimed_score"] is not None
    open_task(world)
    record = EvaluationRecord.objects.get(project_code="440800-001")
    carried = record.document["indicators"][0]["children"][0]["children"][0]
    assert (carried["name"], carried["target"]) == (leaf["name"], leaf["target"])
    assert (carried["actual"], carried["claimed_score"]) == (None, None)
    assert "已带入2021年度评价的指标和目标值" in record.versions.get().summary


def test_the_unit_starts_a_pending_evaluation_then_edits_it(world: World) -> None:
    open_task(world)
    record = EvaluationRecord.objects.get(project_code="440800-001")
    filler = client_for(world.user(Role.FILLER, "A1"))
    edit = filler.get(f"/evaluations/{record.pk}/edit/funds/")  # 待填报: start first
    assert edit.status_code == 409 and "当前状态为“待填报”，不能修改" in edit.content.decode()
    page = filler.get(f"/evaluations/{record.pk}/")
    assert page.context["actions"] == ["start"]
    filler.post(f"/evaluations/{record.pk}/action/start/", {"confirm": "yes"})
    record.refresh_from_db()
    assert record.status == Status.DRAFT
    assert filler.get(f"/evaluations/{record.pk}/edit/funds/").status_code == 200


def test_units_see_their_own_to_do_list_only(world: World) -> None:
    open_task(world, unit_deadline="2000-01-01", department_deadline="2000-01-02", finance_deadline="2000-01-03")
    page = client_for(world.user(Role.FILLER, "A1")).get("/tasks/todo/")
    text = page.content.decode()
    assert "科普活动经费" in text and "青少年科技创新大赛" not in text and "学会能力提升" not in text
    ((_record, days, late),) = page.context["rows"]
    assert days < 0 and f"已逾期 {late} 天" in text


def test_an_opened_project_with_only_its_budget_is_unscored_not_zero(world: World) -> None:
    """A budget alone scores nothing: the page says 未评分, not 「0.00 分 差」."""
    open_task(world)
    record = EvaluationRecord.objects.get(project_code="440800-001")
    page = client_for(world.user(Role.FILLER, "A1")).get(f"/evaluations/{record.pk}/")
    assert 'id="computed-score">未评分<' in page.content.decode()


def test_the_board_counts_per_department_and_drills_down_to_units(world: World) -> None:
    open_task(world)
    task = Task.objects.get()
    a1 = EvaluationRecord.objects.get(project_code="440800-001")
    evaluation_services.move(a1.pk, Action.START, None)
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    page = finance.get(f"/tasks/{task.pk}/")
    rows = {row.name: row for row in page.context["rows"]}
    assert set(rows) == {"甲主管部门", "乙主管部门"}
    assert (rows["甲主管部门"].total, rows["甲主管部门"].by_status) == (2, {"pending": 1, "draft": 1})
    assert page.context["total"].total == 3 and page.context["total"].submitted_pct == Decimal("0.00")
    drilled = finance.get(f"/tasks/{task.pk}/?department={world.org('DA').pk}")
    assert [row.name for row in drilled.context["rows"]] == ["甲一单位", "甲二单位"]
    # a 主管部门 sees only its own units on the finance bureau's task
    department = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DB")).get(f"/tasks/{task.pk}/")
    assert [row.name for row in department.context["rows"]] == ["乙主管部门"]


def test_overdue_counts_what_is_unsubmitted_after_the_unit_deadline(world: World) -> None:
    open_task(world, unit_deadline="2000-01-01", department_deadline="2000-01-02", finance_deadline="2000-01-03")
    page = client_for(world.user(Role.FINANCE_ADMIN, "F1")).get(f"/tasks/{Task.objects.get().pk}/")
    assert page.context["total"].overdue == 3


def test_a_drilled_down_board_reads_the_same_from_sql_as_from_the_orm(world: World) -> None:
    """Per unit, the board counts with one plain query over a scope the tallies describe; any other scope goes
    through the ORM's grouped query. Both say the same: counts per status, overdue, and the mean scores."""
    open_task(world, unit_deadline="2000-01-01", department_deadline="2000-01-02", finance_deadline="2000-01-03")
    task = Task.objects.get()
    a1 = EvaluationRecord.objects.get(project_code="440800-001")
    evaluation_services.move(a1.pk, Action.START, None)
    EvaluationRecord.objects.filter(pk=a1.pk).update(
        claimed_score=Decimal("95.50"), computed_score=Decimal("81.25"), execution_rate=Decimal("90")
    )
    records = visible(access_for(world.user(Role.FINANCE_ADMIN, "F1"))).filter(department_id=world.org("DA").pk)
    today = dt.date(2026, 1, 1)
    by_sql = board(task, records, "unit", today)
    by_orm = board(task, records.filter(project_name__isnull=False), "unit", today)  # no tally scope: the ORM

    def figures(rows: list[Any]) -> list[tuple[Any, ...]]:
        return [(r.name, r.total, r.by_status, r.overdue, r.mean_claimed, r.mean_computed) for r in rows]

    assert (
        figures(by_sql[0])
        == figures(by_orm[0])
        == [
            ("甲一单位", 1, {"draft": 1}, 1, Decimal("95.50"), Decimal("81.25")),
            ("甲二单位", 1, {"pending": 1}, 1, None, None),
        ]
    )
    assert figures([by_sql[1]]) == figures([by_orm[1]])


@pytest.mark.parametrize("today", [dt.date(2023, 4, 1), dt.date(2026, 1, 1)], ids=["before", "after"])
def test_the_board_per_department_reads_the_same_from_the_tally_as_from_the_orm(world: World, today: dt.date) -> None:
    """Per 主管部门 the board sums the tally; its overdue count reads only the records of units with an extension
    (one still running, one run out). Any other scope goes through the ORM's grouped query, and says the same,
    before the task's deadline and after it."""
    open_task(world)
    task = Task.objects.get()
    a1 = EvaluationRecord.objects.get(project_code="440800-001")
    evaluation_services.move(a1.pk, Action.START, None)
    EvaluationRecord.objects.filter(pk=a1.pk).update(
        claimed_score=Decimal("95.50"), computed_score=Decimal("81.25"), execution_rate=Decimal("90")
    )
    for unit, deadline in (("A2", dt.date(2099, 12, 31)), ("B1", dt.date(2023, 3, 1))):
        task.extensions.create(unit=world.org(unit), deadline=deadline, reason="测试", granted_by_name="测试")
    records = visible(access_for(world.user(Role.FINANCE_ADMIN, "F1")))
    by_tally = board(task, records, "department", today)
    by_orm = board(task, records.filter(project_name__isnull=False), "department", today)

    def figures(rows: list[Any]) -> list[tuple[Any, ...]]:
        return [(r.name, r.total, r.by_status, r.overdue, r.mean_claimed, r.mean_computed) for r in rows]

    late = {"甲主管部门": 1, "乙主管部门": 1} if today.year == 2026 else {"甲主管部门": 0, "乙主管部门": 1}
    expected = [  # in the order of their names
        ("乙主管部门", 1, {"pending": 1}, late["乙主管部门"], None, None),
        ("甲主管部门", 2, {"draft": 1, "pending": 1}, late["甲主管部门"], Decimal("95.50"), Decimal("81.25")),
    ]
    assert figures(by_tally[0]) == figures(by_orm[0]) == expected
    assert figures([by_tally[1]]) == figures([by_orm[1]])


def test_the_board_exports_to_xlsx_with_the_same_figures(world: World, tmp_path: Path) -> None:
    open_task(world)
    response = client_for(world.user(Role.FINANCE_ADMIN, "F1")).get(f"/tasks/{Task.objects.get().pk}/board.xlsx")
    path = tmp_path / "board.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].value == "主管部门" and ws["B2"].value == "项目数"
    rows = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in (3, 4, 5)}
    assert rows == {"甲主管部门": 2, "乙主管部门": 1, "合计": 3}
    assert ws.cell(row=5, column=1).value == "合计"  # the total row is last


@pytest.mark.parametrize(
    ("role", "place", "sees"),
    [
        (Role.FINANCE_ADMIN, "F1", True),
        (Role.DEPARTMENT_REVIEWER, "DA", True),
        (Role.FINANCE_ADMIN, "F2", False),
        (Role.DEPARTMENT_REVIEWER, "DC", False),
        (Role.FILLER, "A1", False),
        (Role.UNIT_HEAD, "A1", False),
    ],
)
def test_who_sees_a_task(world: World, role: str, place: str, sees: bool) -> None:
    open_task(world)
    task = Task.objects.get()
    client = client_for(world.user(role, place))
    for url in (f"/tasks/{task.pk}/", f"/tasks/{task.pk}/board.xlsx"):
        assert client.get(url).status_code == (200 if sees else 404), url
    assert (task.name in client.get("/tasks/").content.decode()) == sees


def test_a_task_page_decides_who_sees_it_as_the_task_list_does(world: World) -> None:
    """``sees`` (one task, decided in Python on every task page) and ``visible_tasks`` (the list, in SQL) agree for
    every person of every role, on tasks of a 财政局 and of a 主管部门 in each state."""
    deadlines = {
        "unit_deadline": dt.date(2023, 4, 20),
        "department_deadline": dt.date(2023, 5, 10),
        "finance_deadline": dt.date(2023, 5, 31),
    }
    tasks = [
        Task.objects.create(owner=world.org(owner), year=2022, name=f"{owner}-{state}", state=state, **deadlines)
        for owner in ("F1", "DA", "F2")
        for state in TaskState.values
    ]
    people = [*world.users.values(), world.sysadmin]
    seen = 0
    for person in people:
        access = access_for(person)
        listed = set(visible_tasks(access).values_list("pk", flat=True))
        for task in tasks:
            assert sees(access, task) == (task.pk in listed), (person.username, task.name)
        seen += len(listed)
    assert 0 < seen < len(people) * len(tasks)  # some see some tasks, nobody sees all but the administrator


def test_only_finance_and_departments_open_tasks(world: World) -> None:
    for role, place in ((Role.FILLER, "A1"), (Role.UNIT_HEAD, "A2")):
        client = client_for(world.user(role, place))
        assert client.get("/tasks/new/").status_code == 403
        data = form(list_xlsx(), owner=str(world.org("F1").pk))
        assert client.post("/tasks/new/", data).status_code == 403
    # a 主管部门 opens a task for its own units only
    client = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    response = client.post("/tasks/new/", form(list_xlsx(), owner=str(world.org("DA").pk)))
    assert response.status_code == 200 and not Task.objects.exists()
    assert "乙一单位" in response.content.decode()
    response = client.post("/tasks/new/", form(list_xlsx(), owner=str(world.org("F1").pk)))
    assert response.status_code == 200 and not Task.objects.exists()  # not its organisation to choose


def test_the_template_downloads_and_reads_back_empty(world: World, tmp_path: Path) -> None:
    from jixiao.io.xlsx.project_list import read_project_list

    response = client_for(world.user(Role.FINANCE_ADMIN, "F1")).get("/tasks/template.xlsx")
    path = tmp_path / "模板.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    listing = read_project_list(path)
    assert listing.rows == [] and listing.ok


def test_next_years_task_copies_the_projects_and_carries_their_targets(world: World) -> None:
    open_task(world)
    first = Task.objects.get()
    leaf = EvaluationRecord.objects.get(task=first, project_code="440800-001")
    document = leaf.document
    document["indicators"][0]["children"][0]["children"] = [
        {"name": "科普活动场次", "points": 30, "target": "≥100场", "actual": "110场", "claimed_score": 30}
    ]
    EvaluationRecord.objects.filter(pk=leaf.pk).update(document=document)
    client = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    data = form(
        b"", year="2023", name="2023年度项目支出绩效自评", owner=str(world.org("F1").pk), copy_from=str(first.pk)
    )
    data.pop("project_list")
    data.update(unit_deadline="2024-04-20", department_deadline="2024-05-10", finance_deadline="2024-05-31")
    response = client.post("/tasks/new/", data)
    second = Task.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302 and second.source_name == "沿用“2022年度项目支出绩效自评”"
    copied = {r.project_code: r for r in EvaluationRecord.objects.filter(task=second)}
    assert set(copied) == {"440800-001", "440800-002", "440800-003"}
    record = copied["440800-001"]
    assert (record.year, record.status, record.unit) == (2023, Status.PENDING, world.org("A1"))
    assert record.document["funds"] == []  # the new year's budget is the unit's to fill in
    carried = record.document["indicators"][0]["children"][0]["children"]
    assert [(c["name"], c["target"], c["actual"], c["claimed_score"]) for c in carried] == [
        ("科普活动场次", "≥100场", None, None)
    ]


def test_a_task_needs_a_list_or_an_earlier_task_but_not_both(world: World) -> None:
    open_task(world)
    first = Task.objects.get()
    client = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    neither = form(b"", owner=str(world.org("F1").pk))
    neither.pop("project_list")
    assert "请上传项目清单，或选择沿用以往任务的项目清单" in client.post("/tasks/new/", neither).content.decode()
    both = form(list_xlsx(), owner=str(world.org("F1").pk), copy_from=str(first.pk))
    assert "上传了项目清单时不能同时沿用以往任务的清单" in client.post("/tasks/new/", both).content.decode()
    assert Task.objects.count() == 1


def test_the_boards_percentages_are_those_of_the_decimal_rule() -> None:
    """The board writes its shares in whole-number arithmetic; they are the shares rounded half up to two places
    (as every other percentage is shown), for every part of every whole up to 400."""
    from jixiao.core.values import fmt_pct
    from jixiao.web.tasks.board import BoardRow, percent

    for whole in range(401):
        row = BoardRow(None, "", total=whole)
        for part in range(whole + 1):
            assert percent(part, whole) == fmt_pct(row.share(part)), (part, whole)
    assert (percent(0, 0), percent(1, 3), percent(2, 3), percent(1, 8)) == ("—", "33.33%", "66.67%", "12.50%")
