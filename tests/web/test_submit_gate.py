"""The submit gate, the unit's explanations of findings, and the confirmation every lifecycle step asks for.

A unit cannot submit while a required part of the report is empty or an error finding is neither fixed nor
explained; the detail page lists each with a link to where it is fixed. Every step (submit, approve, return,
复核, publish) first states what will happen and happens only when confirmed; a POST without ``confirm`` never
moves the record.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Role
from tests.conftest import BASE
from tests.web.conftest import World, client_for, evaluation_for
from tests.web.submit_fixtures import make_complete

#: 自评 99.80 分 stated as “良”: error S001 at 单位自述 · 自评等级 (and warning S011)
WRONG_GRADE = {**BASE["claims"], "grade": "良", "execution_score": 9.8}
S001 = "S001@claims.grade"


def detail(client: Client, record: EvaluationRecord) -> Any:
    response = client.get(f"/evaluations/{record.pk}/")
    assert response.status_code == 200
    return response


def post_action(client: Client, record: EvaluationRecord, action: str, **data: str) -> Any:
    return client.post(f"/evaluations/{record.pk}/action/{action}/", data)


def messages_after(client: Client, response: Any) -> list[str]:
    page = client.get(response["Location"])
    return [str(m) for m in get_messages(page.wsgi_request)]


@pytest.fixture
def filler(world: World) -> Client:
    return client_for(world.user(Role.FILLER, "A1"))


@pytest.fixture
def reviewer(world: World) -> Client:
    return client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))


# ------------------------------------------------------------------------------------------- the gate


def test_the_gate_lists_missing_parts_and_unexplained_errors_with_links(
    world: World, record_factory: Any, filler: Client
) -> None:
    record = record_factory("A1")  # BASE: no 项目背景, 实施情况, 自评结论
    evaluation = evaluation_for(record.unit, record.project_name, claims=WRONG_GRADE)
    record = services.save(record.pk, evaluation, world.user(Role.FILLER, "A1"), record.revision)
    gate = detail(filler, record).context["gate"]
    pk = record.pk
    assert gate.blocked
    assert [(i.text, i.url) for i in gate.missing] == [
        ("项目背景", f"/evaluations/{pk}/edit/project/#id_project-background"),
        ("主要内容及实施情况", f"/evaluations/{pk}/edit/project/#id_project-content_items"),
        ("自评结论", f"/evaluations/{pk}/edit/narrative/#id_narrative-conclusion"),
    ]
    assert [(i.finding.key, i.where, i.url) for i in gate.unexplained] == [
        (S001, "单位自述 · 自评等级", f"/evaluations/{pk}/edit/claims/#id_claims-grade")
    ]
    assert gate.summary() == "还有 3 项必填内容未填写、1 条错误未作说明"

    page = detail(filler, record).content.decode()
    assert 'id="submit-gate"' in page and "暂不能提交" in page
    for item in gate.missing + gate.unexplained:
        assert f'href="{item.url}"' in page
    # the finding's row says where, in words, with the same link and a field to explain it
    assert "claims.grade" not in page.replace(f'value="{S001}"', "").replace('value="S011@claims.grade"', "")
    assert f'<input type="hidden" name="key" value="{S001}">' in page


def test_a_blank_draft_lists_what_a_report_needs(world: World, filler: Client) -> None:
    response = filler.post(
        "/evaluations/new/",
        {
            "unit": world.org("A1").pk,
            "name": "空白草稿",
            "year": 2022,
            "framework": "mof-selfeval",
            "rules": "mof-2020",
        },
    )
    record = EvaluationRecord.objects.get(project_name="空白草稿")
    assert response["Location"] == f"/evaluations/{record.pk}/"
    page = detail(filler, record)
    texts = [i.text for i in page.context["gate"].missing]
    assert texts == [
        "项目背景",
        "主要内容及实施情况",
        "项目资金（全年预算数）",
        "项目资金的全年执行数",
        "年度绩效目标（预期目标和实际完成情况）",
        "自评结论",
        "存在的问题及原因分析",
        "改进意见",
        "单位自评总分",
        "单位自评等级",
        "绩效指标（至少一个末级指标）",
        "预算执行率自评得分",
    ]
    # nothing to score yet: 未评分, never 「0.00 分 差」
    html = page.content.decode()
    assert 'id="computed-score">未评分<' in html
    assert "0.00 <small>分 差" not in html


def test_submission_is_refused_while_the_gate_is_closed(world: World, record_factory: Any, filler: Client) -> None:
    record = record_factory("A1")
    for data in ({}, {"confirm": "yes"}):
        response = post_action(filler, record, Action.SUBMIT, **data)
        assert response.status_code == 302
        assert response["Location"] == f"/evaluations/{record.pk}/#submit-gate"
        assert messages_after(filler, response) == [
            "暂不能提交：还有 4 项必填内容未填写。请按“提交前检查”清单逐项补充或说明后再提交。"
        ]
        record.refresh_from_db()
        assert record.status == Status.DRAFT and record.transitions.count() == 1
    with pytest.raises(services.NotAllowed, match=r"^暂不能提交：还有 4 项必填内容未填写。"):
        services.move(record.pk, Action.SUBMIT, world.user(Role.FILLER, "A1"))


def test_explaining_the_error_lets_the_submission_through(world: World, record_factory: Any, filler: Client) -> None:
    user = world.user(Role.FILLER, "A1")
    record = make_complete(record_factory("A1"), user, claims=WRONG_GRADE)
    gate = detail(filler, record).context["gate"]
    assert gate.missing == [] and [i.finding.key for i in gate.unexplained] == [S001]
    refused = post_action(filler, record, Action.SUBMIT, confirm="yes")
    assert messages_after(filler, refused) == [
        "暂不能提交：还有 1 条错误未作说明。请按“提交前检查”清单逐项补充或说明后再提交。"
    ]

    versions = record.versions.count()
    explanation = "等级按上年评定办法填写，已在报告中说明，本次不作调整。"
    response = filler.post(
        f"/evaluations/{record.pk}/explain/", {"key": S001, "explanation": explanation, "revision": record.revision}
    )
    assert response["Location"] == f"/evaluations/{record.pk}/#findings"
    assert messages_after(filler, response) == ["已保存对检查发现 S001 的说明。"]
    record.refresh_from_db()
    assert record.document["explanations"] == {S001: explanation}
    assert record.versions.count() == versions + 1
    assert record.versions.first().summary == "说明检查发现 S001（单位自述 · 自评等级）"
    page = detail(filler, record)
    assert not page.context["gate"].blocked
    assert explanation in page.content.decode()

    # the gate is open: the first POST asks, the second (confirmed) submits
    response = post_action(filler, record, Action.SUBMIT)
    assert response.status_code == 200
    assert "提交后不能再修改，将送 甲主管部门 审核。确定提交？" in response.content.decode()
    record.refresh_from_db()
    assert record.status == Status.DRAFT
    response = post_action(filler, record, Action.SUBMIT, confirm="yes")
    assert response["Location"] == f"/evaluations/{record.pk}/"
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED


def test_warnings_do_not_block_but_are_listed(world: World, record_factory: Any, filler: Client) -> None:
    user = world.user(Role.FILLER, "A1")
    # the 问题 and 改进意见 stay, but the 实施依据 and 自评工作组织 the report would print as （未填写）are left empty
    record = make_complete(record_factory("A1"), user)
    gate = detail(filler, record).context["gate"]
    assert not gate.blocked
    assert [i.text for i in gate.recommended] == [
        "实施依据",
        "自评对象和范围",
        "评价方法",
        "自评工作领导小组",
        "主要经验及做法",
        "自评结果拟应用和公开情况",
    ]
    page = post_action(filler, record, Action.SUBMIT).content.decode()
    assert "提交后审核人会看到的问题（不影响提交）" in page and "自评工作领导小组" in page


# ------------------------------------------------------------------------------------------ explanations


def test_explanations_are_checked(world: World, record_factory: Any, filler: Client, reviewer: Client) -> None:
    record = make_complete(record_factory("A1"), world.user(Role.FILLER, "A1"), claims=WRONG_GRADE)
    url = f"/evaluations/{record.pk}/explain/"

    def explain(client: Client, key: str, text: str) -> Any:
        return client.post(url, {"key": key, "explanation": text, "revision": record.revision})

    before = (record.revision, record.versions.count())
    too_long = "说" * 1001
    assert messages_after(filler, explain(filler, S001, too_long)) == ["说明不能超过 1000 字（现为 1001 字）"]
    assert messages_after(filler, explain(filler, "S999@nowhere", "说明")) == [
        "这条检查发现已不存在（可能已在修改后消除），请刷新页面"
    ]
    assert explain(reviewer, S001, "审核人不能替单位说明").status_code == 403
    record.refresh_from_db()
    assert (record.revision, record.versions.count()) == before and record.document["explanations"] == {}

    # exactly 1000 characters is accepted; an empty text takes the explanation back
    assert messages_after(filler, explain(filler, S001, "说" * 1000)) == ["已保存对检查发现 S001 的说明。"]
    record.refresh_from_db()
    assert record.document["explanations"] == {S001: "说" * 1000}
    assert messages_after(filler, explain(filler, S001, "  ")) == ["已撤回对 S001 的说明。"]
    record.refresh_from_db()
    assert record.document["explanations"] == {}

    # once submitted, nothing can be explained any more: the status says no (409), not the filler's role
    services.move(record.pk, Action.SUBMIT, world.user(Role.FILLER, "A1"), gate=False)
    late = explain(filler, S001, "提交后再说明")
    assert late.status_code == 409 and "当前状态为“已提交”，不能修改" in late.content.decode()


def test_the_reviewer_sees_the_findings_and_the_units_explanations(
    world: World, record_factory: Any, reviewer: Client
) -> None:
    user = world.user(Role.FILLER, "A1")
    record = make_complete(record_factory("A1"), user, claims=WRONG_GRADE)
    record = services.explain(record.pk, S001, "等级按上年评定办法填写。", user, record.revision)
    services.move(record.pk, Action.SUBMIT, user)

    page = detail(reviewer, record).content.decode()
    assert "等级按上年评定办法填写。" in page
    assert 'name="explanation"' not in page  # only the unit writes explanations

    response = post_action(reviewer, record, Action.APPROVE, comment="同意")
    text = response.content.decode()
    assert response.status_code == 200
    assert "审核通过后将送 测试市财政局 复核，甲一单位不能再修改。确定审核通过？" in text
    assert "检查发现与单位说明" in text and "等级按上年评定办法填写。" in text
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED


# ----------------------------------------------------------------------------------------- confirmation

#: action → (status it starts from, what the confirmation page says, extra POST data)
CONFIRMATIONS = {
    Action.APPROVE: (Status.SUBMITTED, "审核通过后将送 测试市财政局 复核", {}),
    Action.RETURN: (Status.SUBMITTED, "退回后，甲一单位可以修改并重新提交", {"comment": "请补充佐证材料"}),
    Action.REVIEW: (Status.DEPARTMENT_APPROVED, "复核得分 88.00 分，复核等级“良”", {"review_score": "88"}),
    Action.PUBLISH: (Status.FINANCE_REVIEWED, "任何人无需登录即可查看和下载", {}),
}


@pytest.mark.parametrize("action", list(CONFIRMATIONS))
def test_no_step_is_taken_without_confirmation(action: str, world: World, record_factory: Any) -> None:
    status, says, data = CONFIRMATIONS[action]
    record = record_factory("A1", status)
    client = client_for(world.actor(action, "A1"))
    transitions = record.transitions.count()

    response = post_action(client, record, action, **data)
    assert response.status_code == 200
    text = response.content.decode()
    assert says in text
    assert '<input type="hidden" name="confirm" value="yes">' in text
    record.refresh_from_db()
    assert record.status == status and record.transitions.count() == transitions

    for wrong in ("", "no", "1", "true"):
        post_action(client, record, action, confirm=wrong, **data)
        record.refresh_from_db()
        assert record.status == status and record.transitions.count() == transitions, wrong

    response = post_action(client, record, action, confirm="yes", **data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status != status and record.transitions.count() == transitions + 1


# --------------------------------------------------------------------------------------------- return


def test_a_return_is_a_banner_at_the_top_of_the_units_page(
    world: World, record_factory: Any, filler: Client, reviewer: Client
) -> None:
    record = record_factory("A1", Status.SUBMITTED)
    post_action(reviewer, record, Action.RETURN, comment="场次未达目标，请核实。\n并补充佐证材料。", confirm="yes")
    record.refresh_from_db()
    assert record.status == Status.RETURNED
    last = record.transitions.order_by("-pk").first()

    page = detail(filler, record)
    html = page.content.decode()
    assert page.context["returned"] == last
    banner = html[html.index('id="return-notice"') :]
    banner = banner[: banner.index("</div>\n</div>") if "</div>\n</div>" in banner else 800]
    assert "场次未达目标，请核实。<br>并补充佐证材料。" in banner
    assert last.actor_name in banner
    assert f"{last.created_at.astimezone().year}年" in banner
    # before everything else on the page
    assert html.index('id="return-notice"') < html.index('id="submit-gate"') < html.index('id="claimed-score"')

    make_complete(record, world.user(Role.FILLER, "A1"))
    post_action(filler, record, Action.SUBMIT, confirm="yes")
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED
    assert 'id="return-notice"' not in detail(filler, record).content.decode()


def test_approve_and_return_look_different(world: World, record_factory: Any, reviewer: Client) -> None:
    record = record_factory("A1", Status.SUBMITTED)
    html = detail(reviewer, record).content.decode()
    assert '<button type="submit" name="do" value="approve" class="approve">审核通过</button>' in html
    assert '<button type="submit" name="do" value="return" class="danger return">退回修改</button>' in html
    # the reason is a required multi-line field, in its own box apart from approval
    assert '<textarea id="return-comment" name="comment" rows="4" maxlength="2000" required' in html
    assert html.index('class="decide approve-box"') < html.index('class="decide return-box"')
