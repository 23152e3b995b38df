"""历年对比 (``jixiao/web/trends``): the figures a 财政局 and a 主管部门 see equal what was worked out by hand from the
records below; another branch's evaluations never show; a unit's people are refused; each filter changes the figures
as it should; the workbook holds the same numbers; the charts carry the table's numbers as bar titles. And the
tallies the database keeps for the dashboard (``trends/migrations/0001_tallies.py``) always equal what counting the
records gives, whichever way they are written.

The records (computed scores as the engine gives them, see ``overview_fixtures.PROFILES``)::

    F1  DA  A1  2022 优 99.80  自评 99  复核 95 (优)  published     执行率 98%
                2022 良 84.80  自评 95  复核 80 (良)  published     98%
                2023 中 72.80  自评 90  复核 70 (中)  reviewed      98%
                2023 差 57.00  no 自评                draft         60%
            A2  2022 中 60.80  自评 80                submitted     98%
                2023 优 97.00  自评 98  复核 96 (优)  published     98%, rules mof-2021
        DB  B1  2022 良 84.80  自评 85  复核 84 (良)  published     98%
                2023 未评分 (待填报, nothing entered)
    F2  DC  C1  2022 优 99.80  自评 100 复核 50 (差)  published     (another 财政局: never seen from F1)
"""

from __future__ import annotations

import copy
import datetime as dt
import html.parser
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.utils import timezone

from jixiao.core.model import Evaluation
from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.evaluations.unscored import record_unscored
from jixiao.web.organisations.models import Role
from jixiao.web.results.models import Rectification
from jixiao.web.trends import figures, tallies
from jixiao.web.trends.access import Scope
from jixiao.web.trends.figures import EXECUTION_BINS, GRADES, MEASURES, Filters
from tests.conftest import BASE, make
from tests.web.conftest import World, client_for
from tests.web.overview_fixtures import PATHS, PROFILES, opened_as

TODAY = timezone.localdate()


# --------------------------------------------------------------------------------------------------------- records


def evaluation(world: World, place: str, year: int, profile: str, claimed: str | None, rules: str) -> Evaluation:
    unit = world.org(place)
    first, second, third, executed = PROFILES[profile]
    indicators = copy.deepcopy(BASE["indicators"])
    indicators[0]["children"][0]["children"][0]["actual"] = first
    indicators[0]["children"][0]["children"][1]["actual"] = second
    indicators[1]["children"][0]["children"][0]["actual"] = third
    funds = copy.deepcopy(BASE["funds"])
    funds[0]["executed_wan"] = executed
    return make(
        project={
            "name": f"{unit.name}{year}{profile}",
            "year": year,
            "unit": unit.name,
            "department": unit.parent.name,
        },
        indicators=indicators,
        funds=funds,
        claims={"total_score": claimed} if claimed is not None else {},
        rules=rules,
    )


def blank(world: World, place: str, year: int) -> Evaluation:
    """As a 自评任务 opens a project: a name and a budget, nothing to score."""
    unit = world.org(place)
    return Evaluation.model_validate({
        "project": {"name": f"{unit.name}{year}待填报", "year": year, "unit": unit.name},
        "funds": [{"source": "current", "initial_budget_wan": 100, "annual_budget_wan": 100}],
    })  # fmt: skip


def stored(
    world: World,
    place: str,
    year: int,
    profile: str = "excellent",
    *,
    claimed: str | None = "99",
    status: str = Status.DRAFT,
    review: str | None = None,
    rules: str = "mof-2020",
) -> EvaluationRecord:
    """A record made as the application makes it, moved along the lifecycle by those whose job each step is."""
    unit = world.org(place)
    if status == Status.PENDING:
        document = blank(world, place, year)
    else:
        document = evaluation(world, place, year, profile, claimed, rules)
    record = services.create(unit, document, world.user(Role.FILLER, place), status=opened_as(status))
    for action in PATHS[status]:
        score = Decimal(review) if action == Action.REVIEW and review is not None else None
        services.move(record.pk, action, world.actor(action, place), "", score, gate=False)
    record.refresh_from_db()
    return record


def rectification(record: EvaluationRecord, state: str, due: dt.date, n: int = 0) -> Rectification:
    return Rectification.objects.create(
        record=record, owner=record.unit, department=record.department, finance=record.finance, year=record.year,
        project_name=record.project_name, source=Rectification.Source.REVIEW, source_ref=f"problem:{n}",
        problem="佐证材料不全", requirement="补充佐证材料", due_date=due, state=state, created_by_name="测试",
    )  # fmt: skip


@pytest.fixture
def dataset(world: World) -> dict[str, EvaluationRecord]:
    published, reviewed = Status.PUBLISHED, Status.FINANCE_REVIEWED
    records = {
        "a1_2022_good": stored(world, "A1", 2022, "good", claimed="95", status=published, review="80"),
        "a1_2022_excellent": stored(world, "A1", 2022, claimed="99", status=published, review="95"),
        "a1_2023_fair": stored(world, "A1", 2023, "fair", claimed="90", status=reviewed, review="70"),
        "a1_2023_poor": stored(world, "A1", 2023, "poor", claimed=None),
        "a2_2022_pass": stored(world, "A2", 2022, "pass", claimed="80", status=Status.SUBMITTED),
        "a2_2023_excellent": stored(world, "A2", 2023, claimed="98", status=published, review="96", rules="mof-2021"),
        "b1_2022_good": stored(world, "B1", 2022, "good", claimed="85", status=published, review="84"),
        "b1_2023_pending": stored(world, "B1", 2023, status=Status.PENDING),
        "c1_2022_excellent": stored(world, "C1", 2022, claimed="100", status=published, review="50"),
    }
    a1 = records["a1_2022_excellent"]
    yesterday, tomorrow = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)
    for n, (state, due) in enumerate(
        [("closed", yesterday), ("closed", tomorrow), ("open", yesterday), ("open", tomorrow), ("reported", yesterday)]
    ):
        rectification(a1, state, due, n)
    later = rectification(records["b1_2022_good"], "closed", yesterday)
    Rectification.objects.filter(pk=later.pk).update(year=2023)  # counted by its own year, not its record's
    rectification(records["c1_2022_excellent"], "open", yesterday)
    return records


# ------------------------------------------------------------------------------------------------------ reading pages


class Tables(html.parser.HTMLParser):
    """Every ``<table id="…-table">`` of a page as {row label: {column key: text}}."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, dict[str, str]]] = {}
        self._table: str | None = None
        self._row: str | None = None
        self._col: str | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and (a.get("id") or "").endswith("-table"):
            self._table = str(a["id"]).removesuffix("-table")
            self.tables[self._table] = {}
        elif tag == "tr" and self._table and a.get("data-row"):
            self._row = str(a["data-row"])
            self.tables[self._table][self._row] = {}
        elif tag == "td" and self._row and a.get("data-col"):
            self._col = str(a["data-col"])
            self.tables[self._table][self._row][self._col] = ""  # type: ignore[index]

    def handle_data(self, data: str) -> None:
        if self._table and self._row and self._col:
            self.tables[self._table][self._row][self._col] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._col = None
        elif tag == "tr":
            self._row = None
        elif tag == "table":
            self._table = None


#: the dashboard's five pages
PAGES = ("/trends/", "/trends/execution/", "/trends/scores/", "/trends/gaps/", "/trends/rectifications/")


def page(user: Any, query: str = "") -> tuple[dict[str, dict[str, dict[str, str]]], str]:
    """The tables of all five pages under ``query``, and their text one after another."""
    client = client_for(user)
    tables: dict[str, dict[str, dict[str, str]]] = {}
    texts = []
    for path in PAGES:
        response = client.get(f"{path}{query}")
        assert response.status_code == 200, path
        text = response.content.decode()
        tables.update(Tables(text).tables)
        texts.append(text)
    return tables, "\n".join(texts)


def column(table: dict[str, dict[str, str]], key: str) -> dict[str, str]:
    return {row: cells[key] for row, cells in table.items()}


def chart(text: str, chart_id: str) -> ET.Element:
    start = text.index(f'<svg id="{chart_id}"')
    return ET.fromstring(text[start : text.index("</svg>", start) + len("</svg>")])


def bar_titles(svg: ET.Element) -> set[str]:
    ns = {"s": "http://www.w3.org/2000/svg"}
    return {str(e.find("s:title", ns).text) for e in svg.iter() if e.get("data-value") is not None}  # type: ignore[union-attr]


# ----------------------------------------------------------------------------------------------- figures by hand


def test_a_finance_bureau_sees_its_departments_figures_year_by_year(world: World, dataset: Any) -> None:
    tables, text = page(world.user(Role.FINANCE_ADMIN, "F1"))
    assert "测试市财政局 2022–2023 年度" in text
    grades = tables["grades"]
    assert list(grades) == ["2022年", "2023年"]
    assert grades["2022年"] == {"year": "2022年", "g-优": "1", "g-良": "2", "g-中": "1", "g-差": "0", "g-u": "0",
                                "total": "4"}  # fmt: skip
    assert grades["2023年"] == {"year": "2023年", "g-优": "1", "g-良": "0", "g-中": "1", "g-差": "1", "g-u": "1",
                                "total": "4"}  # fmt: skip
    review = tables["review-grades"]
    assert [review["2022年"][k] for k in ("rv-优", "rv-良", "rv-中", "rv-差", "reviewed", "unreviewed")] == [
        "1", "2", "0", "0", "3", "1"]  # fmt: skip
    assert [review["2023年"][k] for k in ("rv-优", "rv-良", "rv-中", "rv-差", "reviewed", "unreviewed")] == [
        "1", "0", "1", "0", "2", "2"]  # fmt: skip
    execution = tables["execution"]
    assert [execution["2022年"][f"ex-{i}"] for i in range(6)] + [execution["2022年"]["ex-missing"]] == [
        "0", "0", "0", "0", "4", "0", "0"]  # fmt: skip
    assert [execution["2023年"][f"ex-{i}"] for i in range(6)] + [execution["2023年"]["ex-missing"]] == [
        "0", "1", "0", "0", "2", "0", "1"]  # fmt: skip
    scores = tables["scores"]
    # 2022: 自评 99, 95, 80, 85; 计算 99.80, 84.80, 60.80, 84.80; 复核 95, 80, 84
    assert scores["2022年"] == {"year": "2022年", "claimed-n": "4", "claimed-mean": "89.75", "computed-n": "4",
                                "computed-mean": "82.55", "review-n": "3", "review-mean": "86.33"}  # fmt: skip
    # 2023: 自评 90, 98; 计算 72.80, 57.00, 97.00 (the pending one is 未评分); 复核 70, 96
    assert scores["2023年"] == {"year": "2023年", "claimed-n": "2", "claimed-mean": "94.00", "computed-n": "3",
                                "computed-mean": "75.60", "review-n": "2", "review-mean": "83.00"}  # fmt: skip
    together = tables["scores-together"]
    assert together["2022年"] == {"year": "2022年", "all-n": "3", "all-claimed": "93.00", "all-computed": "89.80",
                                  "all-review": "86.33", "all-gap": "6.67"}  # fmt: skip
    assert together["2023年"] == {"year": "2023年", "all-n": "2", "all-claimed": "94.00", "all-computed": "84.90",
                                  "all-review": "83.00", "all-gap": "11.00"}  # fmt: skip
    # A1: 99 − 95, 95 − 80, 90 − 70 → 3 reviewed, mean 13.00; A2 and B1 have one reviewed evaluation each
    assert tables["gaps"] == {"1": {"rank": "1", "unit": "甲一单位", "department": "甲主管部门", "reviewed": "3",
                                    "claimed": "94.67", "review": "81.67", "gap": "13.00"}}  # fmt: skip
    rect = tables["rectifications"]
    assert rect["2022年"] == {"year": "2022年", "total": "5", "closed": "2", "rate": "40.00%", "reported": "1",
                              "open": "2", "overdue": "1"}  # fmt: skip
    assert rect["2023年"] == {"year": "2023年", "total": "1", "closed": "1", "rate": "100.00%", "reported": "0",
                              "open": "0", "overdue": "0"}  # fmt: skip


def test_a_department_sees_its_own_units_only(world: World, dataset: Any) -> None:
    tables, text = page(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    assert "甲主管部门 2022–2023 年度" in text
    assert column(tables["grades"], "total") == {"2022年": "3", "2023年": "3"}
    assert tables["grades"]["2022年"]["g-良"] == "1"  # B1's 良 is another department's
    assert column(tables["scores"], "claimed-mean") == {"2022年": "91.33", "2023年": "94.00"}  # (99+95+80)/3
    assert column(tables["rectifications"], "total") == {"2022年": "5", "2023年": "0"}
    assert "乙一单位" not in text and "乙主管部门" not in text
    # the department filter is a 财政局's: a reviewer's page has none, and the parameter widens nothing
    assert 'name="department"' not in text
    assert column(page(world.user(Role.DEPARTMENT_REVIEWER, "DA"), f"?department={world.org('DB').pk}")[0]["grades"],
                  "total") == {"2022年": "3", "2023年": "3"}  # fmt: skip


def test_another_branchs_evaluations_never_show(world: World, dataset: Any) -> None:
    user = world.user(Role.FINANCE_ADMIN, "F1")
    whole = page(user)[0]
    for query in (f"?department={world.org('DC').pk}", f"?department={world.org('DA').pk}&unit={world.org('C1').pk}"):
        tables, text = page(user, query)
        assert "丙一单位" not in text.split("</form>", 1)[1] and "丙主管部门" not in text.split("</form>", 1)[1]
        assert 'class="errorlist"' in text  # not one of the choices: shown as an error, not applied
        if "unit" not in query:
            assert tables == whole
    # C1's 复核 50 against 自评 100 would top the unit list; from F2 it does (and F1's units do not show)
    other = page(world.user(Role.FINANCE_ADMIN, "F2"), "?gap=0")[0]
    assert column(other["grades"], "total") == {"2022年": "1"}
    assert other["gaps"] == {}  # one reviewed evaluation is no pattern
    text = page(world.user(Role.FINANCE_ADMIN, "F2"))[1]
    assert "另一市财政局 2022–2022 年度" in text
    assert "甲主管部门" not in text and "甲一单位" not in text


@pytest.mark.parametrize("role", [Role.FILLER, Role.UNIT_HEAD])
def test_a_units_people_are_refused(world: World, dataset: Any, role: str) -> None:
    client = client_for(world.user(role, "A1"))
    for path in (*PAGES, "/trends/trends.xlsx"):
        assert client.get(path).status_code == 403, path


def test_an_anonymous_visitor_is_sent_to_sign_in(world: World) -> None:
    for path in (*PAGES, "/trends/trends.xlsx"):
        response = client_for(None).get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_system_administrator_sees_every_finance_bureau(world: World, dataset: Any) -> None:
    tables, text = page(world.sysadmin)
    assert column(tables["grades"], "total") == {"2022年": "5", "2023年": "4"}
    assert "全部财政局" in text


# ---------------------------------------------------------------------------------------------------------- filters


def test_the_filters_change_the_figures(world: World, dataset: Any) -> None:
    user = world.user(Role.FINANCE_ADMIN, "F1")
    da, db, a1 = world.org("DA").pk, world.org("DB").pk, world.org("A1").pk

    excellent = page(user, "?grade=优")[0]
    assert column(excellent["grades"], "total") == {"2022年": "1", "2023年": "1"}
    assert column(excellent["scores"], "computed-mean") == {"2022年": "99.80", "2023年": "97.00"}
    assert excellent["gaps"] == {}  # A1's only 优 is one reviewed evaluation
    assert column(excellent["rectifications"], "total") == {"2022年": "5", "2023年": "1"}  # not by grade

    unscored = page(user, "?grade=u")[0]
    assert column(unscored["grades"], "total") == {"2023年": "1"}  # the years shown are those with such evaluations

    rules = page(user, "?rules=mof-2021")[0]
    assert list(rules["grades"]) == ["2023年"]  # the only year with such evaluations
    assert rules["grades"]["2023年"]["g-优"] == "1" and rules["grades"]["2023年"]["total"] == "1"

    department = page(user, f"?department={db}")[0]
    assert column(department["grades"], "total") == {"2022年": "1", "2023年": "1"}
    assert column(department["rectifications"], "total") == {"2022年": "0", "2023年": "1"}

    unit = page(user, f"?department={da}&unit={a1}")
    assert column(unit[0]["grades"], "total") == {"2022年": "2", "2023年": "2"}
    assert column(unit[0]["scores"], "review-mean") == {"2022年": "87.50", "2023年": "70.00"}
    assert unit[0]["gaps"]["1"]["gap"] == "13.00"
    assert column(unit[0]["rectifications"], "overdue") == {"2022年": "1", "2023年": "0"}
    assert "甲一单位 2022–2023 年度" in unit[1]

    years = page(user, "?year_from=2023&year_to=2023")
    assert list(years[0]["grades"]) == ["2023年"]
    assert years[0]["gaps"] == {}  # A1 has one reviewed evaluation in 2023
    assert '<option value="2022">2022年</option>' in years[1]  # the other years stay on offer

    wider = page(user, "?year_from=2020&year_to=2023")[0]
    assert column(wider["grades"], "total") == {"2020年": "0", "2021年": "0", "2022年": "4", "2023年": "4"}

    assert page(user, "?gap=15")[0]["gaps"] == {}  # A1's mean is 13.00
    assert page(user, "?gap=13")[0]["gaps"]["1"]["unit"] == "甲一单位"  # at the threshold counts


def test_each_page_shows_its_own_sections_and_links_the_others(world: World, dataset: Any) -> None:
    client = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    shown = {
        "/trends/": {"grades", "review-grades"},
        "/trends/execution/": {"execution"},
        "/trends/scores/": {"scores", "scores-together"},
        "/trends/gaps/": {"gaps"},
        "/trends/rectifications/": {"rectifications"},
    }
    for path, keys in shown.items():
        text = client.get(f"{path}?grade=优").content.decode()
        assert set(Tables(text).tables) == keys, path
        for other in PAGES:
            if other != path:
                assert f'href="{other}?grade=%E4%BC%98"' in text, (path, other)


def test_the_unit_list_links_to_the_unit(world: World, dataset: Any) -> None:
    text = page(world.user(Role.FINANCE_ADMIN, "F1"), "?grade=")[1]
    assert f'href="?grade=&amp;department={world.org("DA").pk}&amp;unit={world.org("A1").pk}"' in text


# -------------------------------------------------------------------------------------------------- charts, workbook


def test_the_charts_carry_the_tables_numbers(world: World, dataset: Any) -> None:
    tables, text = page(world.user(Role.FINANCE_ADMIN, "F1"))
    assert "<script" not in text.split("<main>", 1)[1]
    grades = bar_titles(chart(text, "chart-grades"))
    assert {"2022年 优：1 项", "2022年 良：2 项", "2022年 中：1 项", "2023年 差：1 项", "2023年 未评分：1 项"} <= grades
    assert "2023年 优：1 项" in bar_titles(chart(text, "chart-grades"))
    assert "2022年 95–100%：4 项" in bar_titles(chart(text, "chart-execution"))
    assert "2022年 良：2 项" in bar_titles(chart(text, "chart-review-grades"))
    scores = bar_titles(chart(text, "chart-scores"))
    assert {"2022年 自评：89.75 分", "2022年 计算：82.55 分", "2023年 复核：83.00 分"} <= scores
    assert "2023年 计算：84.90 分" in bar_titles(chart(text, "chart-scores-together"))
    assert {"2022年 整改事项：5 项", "2022年 已销号：2 项", "2022年 逾期未整改：1 项"} <= bar_titles(
        chart(text, "chart-rectifications")
    )
    # every number of the grade table is in the chart (zeros draw nothing)
    for year, cells in tables["grades"].items():
        for key, value in cells.items():
            if key.startswith("g-") and value != "0":
                label = {"g-u": "未评分"}.get(key, key.removeprefix("g-"))
                assert f"{year} {label}：{value} 项" in grades


def test_the_workbook_holds_the_same_numbers(world: World, dataset: Any) -> None:
    user = world.user(Role.FINANCE_ADMIN, "F1")
    response = client_for(user).get("/trends/trends.xlsx?grade=")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == [
        "计算等级",
        "复核等级",
        "预算执行率",
        "得分各自平均",
        "三项齐全的得分",
        "自评偏高的单位",
        "整改销号",
    ]
    ws = wb["计算等级"]
    assert "测试市财政局 2022–2023 年度" in ws["A1"].value and "计算等级分布" in ws["A1"].value
    assert "单位：项" in ws["A2"].value
    assert [c.value for c in ws[3]] == ["评价年度", "优", "良", "中", "差", "未评分", "合计"]
    assert [c.value for c in ws[4]] == ["2022年", 1, 2, 1, 0, 0, 4]
    assert [c.value for c in ws[5]] == ["2023年", 1, 0, 1, 1, 1, 4]
    assert ws.print_title_rows == "$3:$3" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    scores = wb["得分各自平均"]
    assert [c.value for c in scores[4]] == ["2022年", 4, 89.75, 4, 82.55, 3, 86.33]
    assert scores["C4"].number_format == "0.00"
    gaps = wb["自评偏高的单位"]
    assert [c.value for c in gaps[4]] == [1, "甲一单位", "甲主管部门", 3, 94.67, 81.67, 13.0]
    rect = wb["整改销号"]
    assert [c.value for c in rect[4]] == ["2022年", 5, 2, 0.4, 1, 2, 1]
    assert rect["D4"].number_format == "0.00%"
    # a unit's people get no workbook; a department's reviewer gets its own
    da = openpyxl.load_workbook(
        io.BytesIO(b"".join(client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA")).get("/trends/trends.xlsx")
                             .streaming_content))
    )  # fmt: skip
    assert [c.value for c in da["计算等级"][4]][-1] == 3


# --------------------------------------------------------------------------------- kept figures equal the records


def _counted(scope: Scope, f: Filters, years: list[int]) -> dict[str, Any]:
    """The dashboard's figures counted from the records and 整改事项 themselves, in Python."""
    per_year: dict[int, dict[str, Any]] = {}
    pairs: dict[int, list[int]] = {}
    records = EvaluationRecord.objects.filter(scope.records())
    for r in records:
        unscored = record_unscored(r)
        grade = "u" if unscored else r.computed_grade
        rules = r.document.get("rules", "mof-2020")
        if f.department is not None and r.department_id != f.department:
            continue
        if (
            (f.unit is not None and r.unit_id != f.unit)
            or (f.rules and rules != f.rules)
            or (f.grade and grade != f.grade)
        ):
            continue
        entry = per_year.setdefault(r.year, {"grades": {}, "m": dict.fromkeys(MEASURES, 0)})
        entry["grades"][grade] = entry["grades"].get(grade, 0) + 1
        m = entry["m"]

        def cents(v: Decimal) -> int:
            return int((v * 100).to_integral_value())

        m["n"] += 1
        for i, g in enumerate(GRADES):
            m[f"rv{i}"] += r.review_grade == g
        for i, (_, low, high) in enumerate(EXECUTION_BINS):
            rate = r.execution_rate
            m[f"ex{i}"] += rate is not None and (low is None or rate >= low) and (high is None or rate < high)
        for name, value, has in (
            ("claimed", r.claimed_score, r.claimed_score is not None),
            ("computed", r.computed_score, not unscored),
            ("review", r.review_score, r.review_score is not None),
        ):
            m[f"{name}_n"] += has
            m[f"{name}_c"] += cents(value) if has else 0
        if r.claimed_score is not None and r.review_score is not None:
            m["pair_n"] += 1
            m["pair_claimed_c"] += cents(r.claimed_score)
            m["pair_review_c"] += cents(r.review_score)
            if not unscored:
                m["all_n"] += 1
                m["all_claimed_c"] += cents(r.claimed_score)
                m["all_computed_c"] += cents(r.computed_score)
                m["all_review_c"] += cents(r.review_score)
            if years and years[0] <= r.year <= years[-1]:
                unit = pairs.setdefault(r.unit_id, [0, 0, 0])
                unit[0] += 1
                unit[1] += cents(r.claimed_score)
                unit[2] += cents(r.review_score)
    threshold = int(f.gap_threshold * 100)
    gaps = sorted(
        (u, n, c, v) for u, (n, c, v) in pairs.items() if n >= figures.MIN_REVIEWED and c - v >= threshold * n
    )
    rect: dict[int, dict[str, int]] = {}
    items = Rectification.objects.filter(scope.records())
    if f.department is not None:
        items = items.filter(department_id=f.department)
    if f.unit is not None:
        items = items.filter(owner_id=f.unit)
    for item in items:
        if years and years[0] <= item.year <= years[-1]:
            entry = rect.setdefault(item.year, {})
            entry[item.state] = entry.get(item.state, 0) + 1
            entry["overdue"] = entry.get("overdue", 0) + (item.state == "open" and item.due_date < TODAY)
    return {"per_year": per_year, "gaps": gaps, "rectifications": rect}


def _kept(scope: Scope, f: Filters) -> tuple[dict[str, Any], list[int]]:
    trends = figures.read(scope, f, TODAY, gap_limit=None)
    every = figures.per_year(scope, f)
    rect = {y: {**r.states, "overdue": r.overdue} for y, r in trends.rectifications.items() if r.total or r.overdue}
    return {
        "per_year": {y: {"grades": v.grades, "m": v.m} for y, v in every.items()},
        "gaps": sorted((g.unit_id, g.reviewed, g.claimed_c, g.review_c) for g in trends.gaps),
        "rectifications": {y: {k: n for k, n in v.items() if n or k == "overdue"} for y, v in rect.items()},
    }, trends.years


def assert_agree(world: World) -> None:
    f1, f2, da, a1 = (world.org(p).pk for p in ("F1", "F2", "DA", "A1"))
    scopes = [
        Scope(finance_ids=frozenset({f1})),
        Scope(department_ids=frozenset({da})),
        Scope(finance_ids=frozenset({f2})),
        Scope(everything=True),
    ]
    filters = [
        Filters(),
        Filters(gap_threshold=Decimal(-100)),
        Filters(grade="优"),
        Filters(grade="u"),
        Filters(rules="mof-2021"),
        Filters(department=da, gap_threshold=Decimal(0)),
        Filters(department=da, unit=a1, gap_threshold=Decimal(-100)),
        Filters(unit=a1, grade="良", gap_threshold=Decimal(-100)),
        Filters(year_from=2023, year_to=2023, gap_threshold=Decimal(-100)),
    ]
    for scope in scopes:
        for f in filters:
            kept, years = _kept(scope, f)
            counted = _counted(scope, f, years)
            counted["rectifications"] = {
                y: {k: n for k, n in v.items() if n or k == "overdue"} for y, v in counted["rectifications"].items()
            }
            assert kept == counted, (scope, f)
    with connection.cursor() as cursor:
        for table in ("trends_tally", "trends_departmenttally"):
            cursor.execute(f"SELECT COALESCE(SUM(n), 0) FROM {table}")
            assert cursor.fetchone()[0] == EvaluationRecord.objects.count(), table
        cursor.execute("SELECT COALESCE(SUM(n), 0) FROM trends_rectificationtally")
        assert cursor.fetchone()[0] == Rectification.objects.count()


def test_the_kept_figures_equal_the_records_through_every_kind_of_write(world: World, dataset: Any) -> None:
    assert_agree(world)
    a1_poor, a2_pass = dataset["a1_2023_poor"], dataset["a2_2022_pass"]

    # the services: a save that changes the score and the execution rate, lifecycle steps, delete and undelete
    document = Evaluation.model_validate(a1_poor.document)
    document.funds[0].executed_wan = Decimal("85")
    document.claims.total_score = Decimal("88.5")
    services.save(a1_poor.pk, document, None, a1_poor.revision, "执行数改为 85 万元")
    for action in (Action.APPROVE, Action.REVIEW):
        services.move(a2_pass.pk, action, None, "", Decimal("61.25") if action == Action.REVIEW else None, gate=False)
    assert_agree(world)
    services.soft_delete(a1_poor.pk, None)
    assert_agree(world)
    services.undelete(a1_poor.pk, None)
    assert_agree(world)

    # writes around the services: raw updates of every counted column, the rules in the document, a move to another
    # unit and 主管部门, a hard delete (its 整改事项 go with it)
    EvaluationRecord.objects.filter(pk=dataset["a1_2022_good"].pk).update(
        year=2021, claimed_score=Decimal("70.10"), review_score=None, review_grade=""
    )
    EvaluationRecord.objects.filter(pk=dataset["a2_2023_excellent"].pk).update(
        execution_rate=Decimal("100.00"), review_grade="差", computed_grade="良"
    )
    switched = EvaluationRecord.objects.get(pk=dataset["a1_2023_fair"].pk)
    EvaluationRecord.objects.filter(pk=switched.pk).update(document={**switched.document, "rules": "mof-2021"})
    EvaluationRecord.objects.filter(pk=dataset["b1_2023_pending"].pk).update(
        unit=world.org("A2"), department=world.org("DA")
    )
    EvaluationRecord.all_objects.filter(pk=dataset["a1_2022_excellent"].pk).delete()
    assert_agree(world)

    # records created in bulk, hidden, then shown all at once (a task opened in the background)
    unit = world.org("A2")
    created = services.create_many(
        [services.NewRecord(unit, evaluation(world, "A2", 2023, p, "96", "mof-2020"), f"批量{p}")
         for p in ("excellent", "good", "fair")],
        None,
        hidden_at=timezone.now(),
    )  # fmt: skip
    assert_agree(world)
    EvaluationRecord.all_objects.filter(pk__in=[r.pk for r in created]).update(deleted_at=None)
    EvaluationRecord.objects.filter(pk__in=[r.pk for r in created[:2]]).update(review_score=Decimal("80"))
    assert_agree(world)

    # 整改事项: created, closed, rescheduled, moved, deleted, in bulk
    record = EvaluationRecord.objects.get(pk=created[0].pk)
    items = [rectification(record, "open", TODAY - dt.timedelta(days=3), n) for n in range(3)]
    Rectification.objects.filter(pk=items[0].pk).update(state="closed")
    Rectification.objects.filter(pk=items[1].pk).update(due_date=TODAY + dt.timedelta(days=30))
    Rectification.objects.filter(pk=items[2].pk).update(year=2022, department=world.org("DB"))
    Rectification.objects.filter(state="reported").delete()
    assert_agree(world)


def test_emptied_tables_leave_no_counts_behind(world: World, dataset: Any) -> None:
    if connection.vendor == "postgresql":  # Django's flush there, which fires no row trigger
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign key checks of the rows made here
            cursor.execute("TRUNCATE results_rectification")
            cursor.execute("TRUNCATE evaluations_evaluationrecord CASCADE")
    else:
        Rectification.objects.all().delete()
        EvaluationRecord.all_objects.all().delete()
    with connection.cursor() as cursor:
        for table in ("trends_tally", "trends_departmenttally", "trends_unitgap", "trends_rectificationtally"):
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE n <> 0" if "gap" not in table else
                           f"SELECT COUNT(*) FROM {table} WHERE pair_n <> 0")  # fmt: skip
            assert cursor.fetchone()[0] == 0, table
    assert_agree(world)


def test_a_trigger_lost_to_a_table_rebuild_is_restored_after_migrate(world: World, dataset: Any) -> None:
    name = tallies.TRIGGERS[connection.vendor][1 if connection.vendor == "sqlite" else 0]
    with connection.cursor() as cursor:
        table = "" if connection.vendor == "sqlite" else " ON evaluations_evaluationrecord"
        cursor.execute(f"DROP TRIGGER {name}{table}")
    assert tallies.missing_triggers(connection) == [name]
    EvaluationRecord.all_objects.filter(pk=dataset["a2_2022_pass"].pk).delete()  # not counted: no trigger
    tallies.restore_triggers()  # as post_migrate runs it
    assert tallies.missing_triggers(connection) == []
    assert_agree(world)


def test_figures_come_from_a_few_queries_whatever_the_volume(
    world: World, dataset: Any, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    client = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    for path in PAGES:
        client.get(path)  # sign-in and first-use queries out of the way
        with django_assert_max_num_queries(10):
            assert client.get(path).status_code == 200
