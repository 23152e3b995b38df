"""绩效目标 申报 and 审核 on the web: the whole path from a unit's declaration to the self-evaluation opened on the
approved targets, the review grades of 88号, adjustments with reasons, bad input, the xlsx, and the role matrix."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.core.model import Evaluation
from jixiao.core.targets.declaration import Comparator, Declaration
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Role
from jixiao.web.targets import services
from jixiao.web.targets.choices import DeclarationStatus
from jixiao.web.targets.models import DeclarationTransition, TargetAdjustment, TargetDeclaration
from jixiao.web.tasks.models import Notice
from tests.core.targets_base import base
from tests.web.conftest import World, client_for

# ------------------------------------------------------------------------------------------- helpers

#: the indicator rows of the form, as a unit types them: 产出 60 / 效益 30 and no 满意度 although public-facing
FIRST_ROWS = [
    {"first": "产出指标", "second": "数量指标", "name": "科普活动场次", "comparator": "≥", "value": "120",
     "unit": "场", "points": "40", "basis": "history", "last_year": "110"},
    {"first": "产出指标", "second": "时效指标", "name": "活动按期完成率", "comparator": "=", "value": "100",
     "unit": "%", "points": "20"},
    {"first": "效益指标", "second": "社会效益指标", "name": "科普工作社会影响", "comparator": "定性",
     "scale": "好/较好/一般/差", "expected": "好", "points": "30"},
]  # fmt: skip
SATISFACTION_ROW = {
    "first": "满意度指标", "second": "服务对象满意度指标", "name": "参与群众满意度", "comparator": "≥",
    "value": "90", "unit": "%", "points": "10",
}  # fmt: skip


def header(unit_id: int, **changes: Any) -> dict[str, Any]:
    data = {
        "unit": unit_id,
        "name": "科普专项经费",
        "code": "440800-22-KP001",
        "year": "2022",
        "kind": "",
        "public_facing": "on",
        "overall_goal": "开展科普活动 120 场以上，提升公民科学素质",
        "total_wan": "153",
        "current_wan": "153",
    }
    data.update(changes)
    return data


def rows(items: list[dict[str, str]]) -> dict[str, str]:
    return {f"row-{i}-{k}": v for i, item in enumerate(items) for k, v in item.items()}


def post_form(world: World, **changes: Any) -> dict[str, Any]:
    return {**header(world.org("A1").pk, **changes), **rows(FIRST_ROWS)}


def declared(world: World, place: str = "A1", status: str = DeclarationStatus.DRAFT) -> TargetDeclaration:
    """A clean declaration (tests/core/targets_base.py) of ``place``, moved to ``status`` by the right people."""
    unit = world.org(place)
    _, department, finance = world.chain(place)
    data = base()
    if TargetDeclaration.objects.filter(unit=unit).exists():  # one 科普专项经费 a year: the next ones are numbered
        data["project"]["name"] += str(TargetDeclaration.objects.count() + 1)
    row = services.create(unit, Declaration.model_validate(data), world.user(Role.FILLER, place))
    steps = {
        DeclarationStatus.DRAFT: [],
        DeclarationStatus.SUBMITTED: ["submit"],
        DeclarationStatus.DEPARTMENT_PASSED: ["submit", "pass"],
        DeclarationStatus.RETURNED: ["submit", "return"],
        DeclarationStatus.APPROVED: ["submit", "pass", "approve"],
    }[status]
    for step in steps:
        if step == "submit":
            services.submit(row.pk, world.user(Role.FILLER, place))
        elif step in ("pass", "return"):
            services.department_review(
                row.pk,
                step == "pass",
                "请修改" if step == "return" else "",
                world.user(Role.DEPARTMENT_REVIEWER, department),
            )
        else:
            services.finance_review(row.pk, "优", "", world.user(Role.FINANCE_ADMIN, finance))
    row.refresh_from_db()
    assert row.status == status
    return row


def state(row: TargetDeclaration) -> tuple[Any, ...]:
    """Everything a refused request must leave unchanged."""
    fresh = TargetDeclaration.objects.get(pk=row.pk)
    return (
        fresh.status,
        fresh.revision,
        fresh.review_grade,
        fresh.review_comment,
        fresh.document,
        fresh.evaluation_id,
        DeclarationTransition.objects.filter(declaration=row).count(),
        TargetAdjustment.objects.filter(declaration=row).count(),
        EvaluationRecord.objects.count(),
    )


def notices(world: World, role: str, place: str) -> list[str]:
    """The texts of one person's in-app notices, oldest first."""
    return [n.text for n in Notice.objects.filter(user=world.user(role, place)).order_by("pk")]


def page(response: Any) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------------------- the whole path


def test_a_project_is_declared_reviewed_returned_fixed_approved_adjusted_and_self_evaluated(world: World) -> None:
    filler = client_for(world.user(Role.FILLER, "A1"))
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))

    # the unit declares: the quality checks find the missing 满意度 and the weights off 101号
    response = filler.post(reverse("targets:new"), post_form(world))
    row = TargetDeclaration.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("targets:detail", args=[row.pk])
    assert (row.unit, row.department, row.finance) == (world.org("A1"), world.org("DA"), world.org("F1"))
    assert (row.year, row.project_name, row.project_code, row.status) == (
        2022, "科普专项经费", "440800-22-KP001", DeclarationStatus.DRAFT,
    )  # fmt: skip
    d = row.parsed()
    assert d.total_wan == Decimal(153) and d.project.unit == "甲一单位" and d.project.department == "甲主管部门"
    assert [a.leaf.target_text() for a in d.leaves()] == ["≥120 场", "=100%", "定性：好（好/较好/一般/差）"]
    detail = page(filler.get(reverse("targets:detail", args=[row.pk])))
    assert "G004" in detail and "没有满意度指标" in detail
    assert "产出指标合计 60 分，按101号“未设置成本指标、不设满意度指标”的权重应为 50 分" in detail
    assert 'id="points-total">90<' in detail

    filler.post(reverse("targets:submit", args=[row.pk]))
    row.refresh_from_db()
    assert row.status == DeclarationStatus.SUBMITTED
    assert notices(world, Role.DEPARTMENT_REVIEWER, "DA") == [
        "【绩效目标】2022年科普专项经费（甲一单位）已提交，待主管部门审核。"
    ]
    assert notices(world, Role.DEPARTMENT_REVIEWER, "DB") == []

    # the 主管部门 sees the findings on its review form and returns, citing one; a return without a comment is refused
    form = page(reviewer.get(reverse("targets:department-review", args=[row.pk])))
    assert "G004" in form and "审核通过" in form and "退回" in form
    refused = reviewer.post(reverse("targets:department-review", args=[row.pk]), {"decision": "return", "comment": " "})
    assert refused.status_code == 200 and "退回须填写审核意见" in page(refused)
    assert TargetDeclaration.objects.get(pk=row.pk).status == DeclarationStatus.SUBMITTED
    comment = "G004：面向公众的项目须设满意度指标；产出指标分值请按 50 分调整"
    reviewer.post(reverse("targets:department-review", args=[row.pk]), {"decision": "return", "comment": comment})
    row.refresh_from_db()
    assert row.status == DeclarationStatus.RETURNED and row.review_comment == comment
    assert notices(world, Role.FILLER, "A1")[-1].endswith(f"被主管部门退回：{comment}")

    # the unit fixes it: 产出 50, 效益 30, 满意度 10
    fixed = [dict(FIRST_ROWS[0], points="30"), *FIRST_ROWS[1:], SATISFACTION_ROW]
    fixed[1] = dict(fixed[1], points="20")
    response = filler.post(
        reverse("targets:edit", args=[row.pk]),
        {**header(world.org("A1").pk), **rows(fixed), "revision": row.revision},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revision == 2 and row.parsed().points == Decimal(90)
    assert services.findings_of(row.parsed()) == []
    assert "未发现问题" in page(filler.get(reverse("targets:detail", args=[row.pk])))

    filler.post(reverse("targets:submit", args=[row.pk]))
    reviewer.post(reverse("targets:department-review", args=[row.pk]), {"decision": "pass", "comment": "同意"})
    row.refresh_from_db()
    assert row.status == DeclarationStatus.DEPARTMENT_PASSED

    # 财政 approves with 良 (88号: 完善后进入下一步预算安排流程)
    form = page(finance.get(reverse("targets:finance-review", args=[row.pk])))
    assert "批复" in form and "不得进入下一步预算安排流程" in form
    finance.post(reverse("targets:finance-review", args=[row.pk]), {"grade": "良", "comment": "目标明确，指标可衡量"})
    row.refresh_from_db()
    assert row.status == DeclarationStatus.APPROVED and row.review_grade == "良" and row.approved_at is not None
    assert "已批复，审核等级：良" in notices(world, Role.UNIT_HEAD, "A1")[-1]
    assert notices(world, Role.FINANCE_ADMIN, "F1") == [
        "【绩效目标】2022年科普专项经费（甲一单位）主管部门已审核通过，待财政审核。"
    ]
    detail = page(filler.get(reverse("targets:detail", args=[row.pk])))
    assert "审核等级：<strong>良</strong>（与单位协商、直接完善绩效目标后，进入下一步预算安排流程）" in detail
    assert [t.get_action_display() for t in row.transitions.all()] == [
        "新建", "提交审核", "主管部门退回", "提交审核", "主管部门审核通过", "财政批复",
    ]  # fmt: skip

    # an approved target changes only with a reason
    adjust = reverse("targets:adjust", args=[row.pk])
    path = "产出指标|数量指标|科普活动场次"
    refused = filler.post(adjust, {"indicator": path, "comparator": "≥", "value": "100", "unit": "场", "reason": ""})
    assert refused.status_code == 200 and "调整理由" in page(refused) and not TargetAdjustment.objects.exists()
    filler.post(
        adjust, {"indicator": path, "comparator": "≥", "value": "100", "unit": "场", "reason": "年中经费压减 20 万元"}
    )
    a = TargetAdjustment.objects.get()
    assert (a.path, a.old_target, a.new_target, a.reason) == (
        "产出指标／数量指标／科普活动场次", "≥120 场", "≥100 场", "年中经费压减 20 万元",
    )  # fmt: skip
    assert a.actor == world.user(Role.FILLER, "A1")

    # the self-evaluation opens on the approved (and adjusted) targets: nothing retyped
    response = filler.post(reverse("targets:start-evaluation", args=[row.pk]))
    row.refresh_from_db()
    record = row.evaluation
    assert record is not None and response["Location"] == reverse("evaluations:detail", args=[record.pk])
    assert (record.unit, record.year, record.project_name, record.budget_wan) == (
        world.org("A1"), 2022, "科普专项经费", Decimal("153.0000"),
    )  # fmt: skip
    e = Evaluation.model_validate(record.document)
    assert {path[-1]: (n.target, n.points) for path, n in e.leaves()} == {
        "科普活动场次": ("≥100 场", Decimal(30)),
        "活动按期完成率": ("=100%", Decimal(20)),
        "科普工作社会影响": ("定性：好（好/较好/一般/差）", Decimal(30)),
        "参与群众满意度": ("≥90%", Decimal(10)),
    }
    assert e.goals[0].expected == "开展科普活动 120 场以上，提升公民科学素质"
    assert filler.post(reverse("targets:start-evaluation", args=[row.pk])).status_code == 409
    assert EvaluationRecord.objects.count() == 1

    # a later adjustment reaches the self-evaluation as a new version
    filler.post(
        adjust, {"indicator": path, "comparator": "≥", "value": "110", "unit": "场", "reason": "追加经费 10 万元"}
    )
    record.refresh_from_db()
    e = Evaluation.model_validate(record.document)
    assert dict((p[-1], n.target) for p, n in e.leaves())["科普活动场次"] == "≥110 场"
    assert record.versions.count() == 2
    assert "绩效目标调整" in record.versions.first().summary  # type: ignore[union-attr]


def test_grades_that_do_not_approve_return_the_declaration_with_the_grade_recorded(world: World) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    for grade, consequence in (("中", "按程序重新报送审核"), ("差", "不得进入下一步预算安排流程")):
        row = declared(world, status=DeclarationStatus.DEPARTMENT_PASSED)
        before = state(row)
        refused = finance.post(reverse("targets:finance-review", args=[row.pk]), {"grade": grade, "comment": ""})
        assert "退回须填写审核意见" in page(refused) and state(row) == before
        response = finance.post(
            reverse("targets:finance-review", args=[row.pk]), {"grade": grade, "comment": "指标不可衡量"}
        )
        assert response.status_code == 302
        row.refresh_from_db()
        assert (row.status, row.review_grade) == (DeclarationStatus.RETURNED, grade)
        last = row.transitions.last()
        assert last is not None and consequence in last.comment and last.grade == grade


def test_finance_may_return_even_with_an_approving_grade_but_must_say_why(world: World) -> None:
    row = declared(world, status=DeclarationStatus.DEPARTMENT_PASSED)
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    finance.post(
        reverse("targets:finance-review", args=[row.pk]), {"grade": "良", "decision": "return", "comment": "请补充"}
    )
    row.refresh_from_db()
    assert row.status == DeclarationStatus.RETURNED and row.review_grade == "良"


# ------------------------------------------------------------------------------------------- bad input


def test_bad_rows_get_chinese_messages_naming_the_row_and_field_and_nothing_is_saved(world: World) -> None:
    filler = client_for(world.user(Role.FILLER, "A1"))
    bad = [
        dict(FIRST_ROWS[0], value="一百二十"),
        dict(FIRST_ROWS[1], name=""),
        dict(FIRST_ROWS[2], points="-5"),
        {"first": "管理指标", "second": "x", "name": "y", "comparator": "≥", "value": "1", "unit": "个", "points": "1"},
        {
            "first": "产出指标",
            "second": "数量指标",
            "name": "培训人次",
            "comparator": "≥",
            "unit": "人次",
            "points": "5",
        },
    ]
    response = filler.post(reverse("targets:new"), {**header(world.org("A1").pk), **rows(bad)})
    text = page(response)
    assert response.status_code == 200 and not TargetDeclaration.objects.exists()
    assert "第 1 行“指标值”：“一百二十”不是数字" in text
    assert "第 2 行“三级指标”：不能为空" in text
    assert "第 3 行“分值”：不能小于 0" in text
    assert "第 4 行“一级指标”：须为成本指标、产出指标、效益指标、满意度指标之一（实际为“管理指标”）" in text
    assert "第 5 行“指标值”：定量指标须填写指标值" in text
    assert 'value="一百二十"' in text  # what was typed is shown again


def test_a_bad_header_names_the_field_and_saves_nothing(world: World) -> None:
    filler = client_for(world.user(Role.FILLER, "A1"))
    response = filler.post(reverse("targets:new"), post_form(world, total_wan="很多", name=""))
    text = page(response)
    assert response.status_code == 200 and not TargetDeclaration.objects.exists()
    assert "“资金总额（万元）”：输入一个数字。" in text
    assert "“项目名称”：这个字段是必填项。" in text
    response = filler.post(reverse("targets:new"), {**header(world.org("A1").pk)})
    assert "绩效指标：至少填写一行三级指标" in page(response)


def test_a_unit_cannot_declare_the_same_project_twice_in_a_year(world: World) -> None:
    declared(world)
    filler = client_for(world.user(Role.FILLER, "A1"))
    response = filler.post(reverse("targets:new"), post_form(world))
    assert "“项目名称”：本单位 2022 年度已申报“科普专项经费”" in page(response)
    assert TargetDeclaration.objects.count() == 1
    filler.post(reverse("targets:new"), post_form(world, year="2023"))
    assert TargetDeclaration.objects.count() == 2


def test_an_edit_over_someone_elses_save_is_refused(world: World) -> None:
    row = declared(world)
    filler = client_for(world.user(Role.FILLER, "A1"))
    data = {**post_form(world), "revision": row.revision}
    assert filler.post(reverse("targets:edit", args=[row.pk]), data).status_code == 302
    before = state(row)
    response = filler.post(reverse("targets:edit", args=[row.pk]), data)  # the old revision again
    assert response.status_code == 409 and "已被他人修改" in page(response) and state(row) == before


# ------------------------------------------------------------------------------------------- documents and lists


def test_the_declaration_exports_as_the_usual_xlsx_table(world: World) -> None:
    row = declared(world, status=DeclarationStatus.APPROVED)
    response = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA")).get(reverse("targets:xlsx", args=[row.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    assert cells[0][0] == "项目支出绩效目标申报表" and cells[1][0] == "（2022年度）"
    labels = {r[0]: r[2] for r in cells if r[0] and r[2] is not None}
    assert labels["项目名称"] == "科普专项经费" and labels["资金总额（万元）"] == 153
    assert labels["其中：当年财政拨款（万元）"] == 153 and labels["审核等级"] == "优"
    header_at = next(i for i, r in enumerate(cells) if r[0] == "一级指标")
    assert list(cells[header_at][:5]) == ["一级指标", "二级指标", "三级指标", "指标值", "分值"]
    body = cells[header_at + 1 : header_at + 7]
    assert [(r[2], r[3], r[4]) for r in body] == [
        ("科普活动场次", "≥120 场", 30),
        ("科普答题人数", "≥5000 人", 10),
        ("活动按期完成率", "=100%", 10),
        ("公民具备科学素质比例", "≥14.5%", 20),
        ("科普工作社会影响", "定性：好（好/较好/一般/差）", 10),
        ("参与群众满意度", "≥90%", 10),
    ]
    assert body[0][0] == "产出指标" and body[1][0] is None  # 一级 merged down its rows
    assert cells[header_at + 7][0] == "合计" and cells[header_at + 7][4] == 90


def test_lists_show_each_role_its_own_branch(world: World) -> None:
    rows_by_place = {place: declared(world, place) for place in ("A1", "A2", "B1", "C1")}
    seen = {
        (Role.FILLER, "A1"): {"A1"},
        (Role.DEPARTMENT_REVIEWER, "DA"): {"A1", "A2"},
        (Role.DEPARTMENT_REVIEWER, "DB"): {"B1"},
        (Role.FINANCE_ADMIN, "F1"): {"A1", "A2", "B1"},
        (Role.FINANCE_ADMIN, "F2"): {"C1"},
    }
    for (role, place), places in seen.items():
        text = page(client_for(world.user(role, place)).get(reverse("targets:list")))
        for other, row in rows_by_place.items():
            link = reverse("targets:detail", args=[row.pk])
            assert (link in text) == (other in places), (role, place, other)


# ------------------------------------------------------------------------------------------- the role matrix

#: the hand-written copy of jixiao/web/targets/workflow.py: action → (statuses it is taken from, roles taking it)
UNIT = {Role.FILLER, Role.UNIT_HEAD}
MATRIX: dict[str, tuple[set[str], set[str]]] = {
    "edit": ({DeclarationStatus.DRAFT, DeclarationStatus.RETURNED}, UNIT),
    "submit": ({DeclarationStatus.DRAFT, DeclarationStatus.RETURNED}, UNIT),
    "department-review": ({DeclarationStatus.SUBMITTED}, {Role.DEPARTMENT_REVIEWER}),
    "finance-review": ({DeclarationStatus.DEPARTMENT_PASSED}, {Role.FINANCE_ADMIN}),
    "adjust": ({DeclarationStatus.APPROVED}, UNIT),
    "start-evaluation": ({DeclarationStatus.APPROVED}, UNIT),
}
#: a valid POST of each step
POSTS: dict[str, dict[str, Any]] = {
    "submit": {},
    "department-review": {"decision": "pass", "comment": "同意"},
    "finance-review": {"grade": "优", "comment": ""},
    "adjust": {
        "indicator": "产出指标|数量指标|科普活动场次", "comparator": "≥", "value": "130", "unit": "场", "reason": "追加任务",
    },
    "start-evaluation": {},
}  # fmt: skip
INSIDERS = {Role.FILLER: "A1", Role.UNIT_HEAD: "A1", Role.DEPARTMENT_REVIEWER: "DA", Role.FINANCE_ADMIN: "F1"}
#: people of another branch of the tree: a sister unit, another department, another finance bureau
OUTSIDERS = [
    (Role.FILLER, "A2"),
    (Role.UNIT_HEAD, "B1"),
    (Role.DEPARTMENT_REVIEWER, "DB"),
    (Role.FINANCE_ADMIN, "F2"),
    (Role.FILLER, "C1"),
]
POST_ONLY = {"submit", "start-evaluation"}
VIEWS = ["detail", "edit", "submit", "department-review", "finance-review", "adjust", "start-evaluation", "xlsx"]


def _post_for(world: World, action: str, row: TargetDeclaration) -> dict[str, Any]:
    if action == "edit":
        return {**post_form(world, name=f"改过的名称{row.pk}"), "revision": row.revision}
    return POSTS[action]


@pytest.mark.parametrize("status", DeclarationStatus.values)
def test_outsiders_are_refused_everything_and_nothing_changes(world: World, status: str) -> None:
    row = declared(world, status=status)
    before = state(row)
    for role, place in OUTSIDERS:
        client = client_for(world.user(role, place))
        for view in VIEWS:
            url = reverse(f"targets:{view}", args=[row.pk])
            refused = 405 if view in POST_ONLY else 404  # a POST-only step says so to anyone, whatever the pk
            assert client.get(url).status_code == refused, (role, place, view)
            body = _post_for(world, view, row) if view in MATRIX else {}
            assert client.post(url, body).status_code == 404, (role, place, view)
    assert state(row) == before


@pytest.mark.parametrize("action", list(MATRIX))
def test_insiders_take_only_their_own_steps_and_only_from_the_right_status(world: World, action: str) -> None:
    sources, roles = MATRIX[action]
    for status in DeclarationStatus.values:
        for role, place in INSIDERS.items():
            row = declared(world, status=status)
            before = state(row)
            client = client_for(world.user(role, place))
            url = reverse(f"targets:{action}", args=[row.pk])
            response = client.post(url, _post_for(world, action, row))
            if role in roles and status in sources:
                assert response.status_code == 302, (action, status, role, page(response)[:300])
                assert state(row) != before, (action, status, role)
            else:
                expected = 409 if role in roles else 403
                assert response.status_code == expected, (action, status, role)
                assert state(row) == before, (action, status, role)


def test_insiders_see_the_detail_and_are_offered_only_their_buttons(world: World) -> None:
    buttons = {
        "edit-declaration": "edit",
        "submit-declaration": "submit",
        "department-review": "department-review",
        "finance-review": "finance-review",
        "adjust-targets": "adjust",
        "start-evaluation": "start-evaluation",
    }
    for status in DeclarationStatus.values:
        row = declared(world, status=status)
        for role, place in INSIDERS.items():
            text = page(client_for(world.user(role, place)).get(reverse("targets:detail", args=[row.pk])))
            for element, action in buttons.items():
                sources, roles = MATRIX[action]
                offered = f'id="{element}"' in text
                assert offered == (role in roles and status in sources), (status, role, element)


def test_only_a_units_people_may_declare(world: World) -> None:
    for role, place in ((Role.DEPARTMENT_REVIEWER, "DA"), (Role.FINANCE_ADMIN, "F1")):
        client = client_for(world.user(role, place))
        assert client.get(reverse("targets:new")).status_code == 403
        assert client.post(reverse("targets:new"), post_form(world)).status_code == 403
    # a unit's people declare only for their own unit
    other = client_for(world.user(Role.FILLER, "A2"))
    response = other.post(reverse("targets:new"), post_form(world))
    assert response.status_code == 200 and not TargetDeclaration.objects.exists()


# ------------------------------------------------------------------------------------------- demo


def test_the_demo_tells_the_kepu_projects_story_once(db: None) -> None:
    from jixiao.web.organisations.models import Organisation, OrganisationKind
    from jixiao.web.targets.demo import load_demo

    finance = Organisation.objects.create(name="湛江市财政局", kind=OrganisationKind.FINANCE)
    cast = Organisation.objects.create(name="湛江市科学技术协会", kind=OrganisationKind.DEPARTMENT, parent=finance)
    education = Organisation.objects.create(name="湛江市教育局", kind=OrganisationKind.DEPARTMENT, parent=finance)
    unit = Organisation.objects.create(name="湛江市科学技术协会机关", kind=OrganisationKind.UNIT, parent=cast)
    Organisation.objects.create(name="湛江市第一中学", kind=OrganisationKind.UNIT, parent=education)
    load_demo(finance)
    load_demo(finance)  # idempotent
    kepu = TargetDeclaration.objects.get(unit=unit)
    assert (kepu.year, kepu.status, kepu.review_grade) == (2022, DeclarationStatus.APPROVED, "良")
    d = kepu.parsed()
    assert d.total_wan == Decimal(153) and d.points == Decimal(90)
    assert services.findings_of(d) == []
    returned = kepu.transitions.get(to_status=DeclarationStatus.RETURNED)
    assert returned.comment.startswith("G004")
    school = TargetDeclaration.objects.get(year=2023)
    assert school.status == DeclarationStatus.SUBMITTED
    assert [f.id for f in services.findings_of(school.parsed())] == ["G006"]
    assert TargetDeclaration.objects.count() == 2


def test_writes_to_declarations_and_adjustments_are_recorded_in_the_change_history(world: World) -> None:
    from django.contrib.contenttypes.models import ContentType

    from jixiao.web.changes.models import ObjectChange

    row = declared(world, status=DeclarationStatus.APPROVED)
    services.adjust(
        row.pk,
        ("产出指标", "数量指标", "科普活动场次"),
        Comparator.GE,
        Decimal(125),
        "场",
        "追加任务",
        world.user(Role.FILLER, "A1"),
    )
    declaration_type = ContentType.objects.get_for_model(TargetDeclaration)
    changes = ObjectChange.objects.filter(content_type=declaration_type, object_id=row.pk)
    assert changes.count() >= 5  # created, submitted, passed, approved, adjusted
    assert changes.order_by("-pk").first().after["status"] == DeclarationStatus.APPROVED  # type: ignore[union-attr]
    adjustment_type = ContentType.objects.get_for_model(TargetAdjustment)
    assert ObjectChange.objects.filter(content_type=adjustment_type).count() == 1


# ------------------------------------------------------------------------------------------- the 申报表 offline


def test_a_downloaded_declaration_read_back_fills_the_form_with_the_same_rows(world: World, tmp_path: Any) -> None:
    from jixiao.io.targets.xlsx import read_declaration_xlsx, write_declaration_xlsx
    from jixiao.web.targets.forms import rows_of

    data = base()
    data["project"].update(start="2022-01-01", end="2022-12-31", kind="工程基建类")
    data["indicators"][1]["children"][0]["children"][0].update(last_year="15", below_last_year_reason="口径调整")
    d = Declaration.model_validate(data)
    read = read_declaration_xlsx(write_declaration_xlsx(d, tmp_path / "d.xlsx"))
    assert read.problems == []
    assert read.rows == rows_of(d)
    assert read.header == {
        "year": "2022",
        "name": "科普专项经费",
        "code": "440800-22-KP001",
        "kind": "工程基建类",
        "start": "2022-01-01",
        "end": "2022-12-31",
        "public_facing": True,
        "total_wan": "153",
        "current_wan": "153",
        "overall_goal": "开展科普活动 120 场以上，提升公民科学素质",
    }


def test_uploading_a_filled_in_declaration_prefills_the_form_without_saving(world: World, tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook as open_book

    from jixiao.io.targets.xlsx import write_declaration_xlsx

    path = write_declaration_xlsx(Declaration.model_validate(base()), tmp_path / "d.xlsx")
    book = open_book(path)
    ws = book.active
    cell = next(c for r in ws.iter_rows() for c in r if c.value == "≥5000 人")
    cell.value = "大约五千人"
    book.save(path)
    filler = client_for(world.user(Role.FILLER, "A1"))
    upload = SimpleUploadedFile("申报表.xlsx", path.read_bytes())
    response = filler.post(reverse("targets:new"), {"load_xlsx": "1", "xlsx": upload})
    text = page(response)
    assert response.status_code == 200 and not TargetDeclaration.objects.exists()
    assert f"第 {cell.row} 行 D 列“指标值”：无法识别“大约五千人”" in text
    assert 'name="row-0-name" value="科普活动场次"' in text and 'name="row-0-value" value="120"' in text
    assert 'value="科普专项经费"' in text and "已读入 申报表.xlsx：6 行指标" in text

    broken = SimpleUploadedFile("坏.xlsx", b"not a workbook at all")
    text = page(filler.post(reverse("targets:new"), {"load_xlsx": "1", "xlsx": broken}))
    assert "文件 坏.xlsx：" in text and not TargetDeclaration.objects.exists()
    text = page(filler.post(reverse("targets:new"), {"load_xlsx": "1"}))
    assert "“上传申报表”：请选择 .xlsx 文件" in text


def test_the_blank_template_reads_back_as_an_empty_table(world: World, tmp_path: Any) -> None:
    from jixiao.io.targets.xlsx import read_declaration_xlsx

    response = client_for(world.user(Role.FILLER, "A1")).get(reverse("targets:template"))
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    assert ws["A1"].value == "项目支出绩效目标申报表"
    path = tmp_path / "t.xlsx"
    path.write_bytes(content)
    read = read_declaration_xlsx(path)
    assert "未找到预算年度（标题下一行应如“（2022年度）”）" in read.problems
    assert all(not row["name"] for row in read.rows)
