"""运行监控 on the site: a 财政局 opens a 监控批次 for a year (a record per approved 绩效目标申报 of its tree); the
unit fills in its record and submits it; the warnings reach the 主管部门's and the 财政局's boards; bad input is
refused in Chinese naming the field, with nothing written; the role matrix of the record and round pages; and the
submitted monitoring reaches the year-end self-evaluation opened from the approved targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import docx
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from jixiao.core.model import Evaluation, Likelihood
from jixiao.core.targets.declaration import Declaration
from jixiao.web.changes.models import ChangeAction, ObjectChange
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound, RecordStatus
from jixiao.web.monitoring.reminders import remind_monitoring
from jixiao.web.monitoring.snapshot import latest_snapshot
from jixiao.web.organisations.models import Role
from jixiao.web.targets import services as target_services
from jixiao.web.targets.models import TargetDeclaration
from jixiao.web.tasks.models import Notice
from tests.web.conftest import WORKING_ROLES, World, client_for
from tests.web.test_upload import selfeval_bytes

pytestmark = pytest.mark.django_db


def declaration_document(name: str) -> dict[str, Any]:
    return Declaration.model_validate(
        {
            "project": {"name": name, "year": 2022},
            "overall_goal": "开展科普活动，提升公民科学素质",
            "total_wan": 153,
            "funds": [{"source": "current", "amount_wan": 153}],
            "indicators": [
                {
                    "name": "产出指标",
                    "children": [
                        {
                            "name": "数量指标",
                            "children": [
                                {"name": "科普活动场次", "comparator": "≥", "value": 100, "unit": "场", "points": 30}
                            ],
                        }
                    ],
                },
                {
                    "name": "效益指标",
                    "children": [
                        {
                            "name": "社会效益指标",
                            "children": [
                                {"name": "公民科学素质", "comparator": "定性", "scale": "好/较好/一般/差", "points": 30}
                            ],
                        }
                    ],
                },
            ],
        }
    ).model_dump(mode="json")


def declare(world: World, place: str, name: str, status: str = "approved") -> TargetDeclaration:
    row = TargetDeclaration(year=2022, project_name=name, status=status, document=declaration_document(name))
    row.place(world.org(place))
    row.save()
    return row


ROUND = {
    "year": "2022",
    "monitoring_date": "2022-07-31",
    "preset": "default",
    "time_progress_mode": "month",
    "due_date": "2022-08-15",
}


@pytest.fixture
def opened(world: World) -> MonitoringRound:
    """F1's round of 2022-07-31: A1's and B1's approved declarations (not A2's draft, not C1's of F2)."""
    declare(world, "A1", "科普专项经费")
    declare(world, "B1", "学会能力提升")
    declare(world, "A2", "未批复的项目", status="draft")
    declare(world, "C1", "另一市的项目")
    client = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    response = client.post("/monitoring/new/", {**ROUND, "finance": world.org("F1").pk})
    assert response.status_code == 302, response.content.decode()
    return MonitoringRound.objects.get()


def record_of(world: World, place: str) -> MonitoringRecord:
    return MonitoringRecord.objects.get(unit=world.org(place))


def filled(**changes: str) -> dict[str, str]:
    data = {
        "revision": "1",
        "annual_budget_wan": "153",
        "executed_wan": "53.55",
        "expected_executed_wan": "150",
        "overall_note": "",
        "completed_0": "45场",
        "expected_0": "60场",
        "causes_0": "funding",
        "cause_note_0": "",
        "likelihood_0": "possible",
        "measures_0": "下半年集中举办科普进校园活动",
        "note_0": "",
        "completed_1": "调查尚未开展",
        "expected_1": "好",
        "cause_note_1": "",
        "likelihood_1": "certain",
        "measures_1": "",
        "note_1": "",
        "action": "save",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


LAG = "预算执行率 35.00%（执行数 53.55 万元 ÷ 全年预算数 153.00 万元）低于序时进度 58.33%"


# --------------------------------------------------------------------------------------------- the path


def test_a_round_opens_a_record_per_approved_declaration_of_the_tree(world: World, opened: MonitoringRound) -> None:
    assert sorted(MonitoringRecord.objects.values_list("project_name", flat=True)) == ["学会能力提升", "科普专项经费"]
    record = record_of(world, "A1")
    assert (record.department, record.finance) == (world.org("DA"), world.org("F1"))
    document = record.parsed()
    assert [(r.path, r.target) for r in document.indicators] == [
        (["产出指标", "数量指标", "科普活动场次"], "≥100 场"),
        (["效益指标", "社会效益指标", "公民科学素质"], "定性：好（好/较好/一般/差）"),
    ]
    assert document.annual_budget_wan == 153 and document.requested_wan == 153
    assert opened.created_by_name and opened.preset == "default"
    # written in bulk, each record still has its 新建 change record, by the finance officer who opened the round
    created = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(MonitoringRecord), action=ChangeAction.CREATE
    )
    assert sorted(int(c.object_id) for c in created) == sorted(MonitoringRecord.objects.values_list("pk", flat=True))
    assert {c.user_id for c in created} == {world.user(Role.FINANCE_ADMIN, "F1").pk}


def test_fill_submit_and_the_warning_reaches_both_boards(world: World, opened: MonitoringRound) -> None:
    record = record_of(world, "A1")
    filler = client_for(world.user(Role.FILLER, "A1"))
    response = filler.post(f"/monitoring/{record.pk}/", filled())
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT and record.warning_count == 2  # lag, quantity (60 of ≥100)
    assert record.warning_rules == ",lag,quantity,"
    response = filler.post(f"/monitoring/{record.pk}/", filled(revision="2", action="submit"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.submitted_at is not None

    for user in (world.user(Role.DEPARTMENT_REVIEWER, "DA"), world.user(Role.FINANCE_ADMIN, "F1")):
        page = client_for(user).get("/monitoring/board/").content.decode()
        assert "科普专项经费" in page and LAG in page
        lag_only = client_for(user).get("/monitoring/board/?rule=lag").content.decode()
        assert LAG in lag_only
        impossible = client_for(user).get("/monitoring/board/?rule=impossible").content.decode()
        assert "科普专项经费" not in impossible
    # another 主管部门's board and another 财政局's board do not show it
    for user in (world.user(Role.DEPARTMENT_REVIEWER, "DB"), world.user(Role.FINANCE_ADMIN, "F2")):
        assert "科普专项经费" not in client_for(user).get("/monitoring/board/").content.decode()
    # units have no board
    assert filler.get("/monitoring/board/").status_code == 403


def test_the_record_page_shows_the_formulas_and_the_downloads_hold_the_warning(
    world: World, opened: MonitoringRound
) -> None:
    record = record_of(world, "A1")
    filler = client_for(world.user(Role.FILLER, "A1"))
    filler.post(f"/monitoring/{record.pk}/", filled())
    page = filler.get(f"/monitoring/{record.pk}/").content.decode()
    assert "预算执行率 = 执行数 53.55 万元 ÷ 全年预算数 153.00 万元 = 35.00%" in page
    assert "序时进度 = 已过月数 7 个月 ÷ 全年月数 12 个月 = 58.33%" in page
    assert "下载监控表" in page and "下载监控报告" in page and "提交" in page
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    book = load_workbook(BytesIO(b"".join(reviewer.get(f"/monitoring/{record.pk}/table.xlsx").streaming_content)))
    values = {c.value for row in book.active.iter_rows() for c in row}
    assert "项目支出绩效目标执行监控表" in values and "1-7月执行情况" in values
    report = reviewer.get(f"/monitoring/{record.pk}/report.docx")
    text = "\n".join(p.text for p in docx.Document(BytesIO(b"".join(report.streaming_content))).paragraphs)
    assert LAG in text
    assert reviewer.get(f"/monitoring/{record.pk}/report.xls").status_code == 404


# --------------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"executed_wan": "五十万"}, "截至监控时点执行数（万元）须为数字"),
        ({"executed_wan": "-1"}, "截至监控时点执行数（万元）不能为负数"),
        ({"executed_wan": "200"}, "截至监控时点执行数 200 万元超过全年预算数 153 万元"),
        ({"measures_0": ""}, "指标“科普活动场次”完成目标可能性为“有可能”，须填写纠偏措施"),
        ({"causes_0": None}, "指标“科普活动场次”完成目标可能性为“有可能”，须选择偏差原因"),
        ({"likelihood_0": "maybe"}, "“科普活动场次”完成目标可能性只能选确定能、有可能或完全不可能"),
        ({"causes_0": "other"}, "指标“科普活动场次”偏差原因选了“其他”，须说明具体原因"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    world: World, opened: MonitoringRound, changes: dict[str, Any], message: str
) -> None:
    record = record_of(world, "A1")
    before = record.document
    response = client_for(world.user(Role.FILLER, "A1")).post(f"/monitoring/{record.pk}/", filled(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    record.refresh_from_db()
    assert record.document == before and record.revision == 1


def test_a_draft_may_leave_things_open_but_a_submission_may_not(world: World, opened: MonitoringRound) -> None:
    record = record_of(world, "A1")
    filler = client_for(world.user(Role.FILLER, "A1"))
    assert filler.post(f"/monitoring/{record.pk}/", filled(executed_wan="", likelihood_1="")).status_code == 302
    response = filler.post(
        f"/monitoring/{record.pk}/", filled(revision="2", executed_wan="", likelihood_1="", action="submit")
    )
    page = response.content.decode()
    assert "请填写截至监控时点执行数（万元）" in page and "指标“公民科学素质”请选择完成目标可能性" in page
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT and record.revision == 2


def test_a_stale_form_is_refused(world: World, opened: MonitoringRound) -> None:
    record = record_of(world, "A1")
    filler = client_for(world.user(Role.FILLER, "A1"))
    filler.post(f"/monitoring/{record.pk}/", filled())
    assert filler.post(f"/monitoring/{record.pk}/", filled(executed_wan="60")).status_code == 409
    record.refresh_from_db()
    assert str(record.parsed().executed_wan) == "53.55"


def test_opening_a_round_bad_input_and_who_may(world: World) -> None:
    declare(world, "A1", "科普专项经费")
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    response = finance.post(
        "/monitoring/new/", {**ROUND, "finance": world.org("F1").pk, "monitoring_date": "2023-07-31"}
    )
    assert "监控时点须在 2022 年度内" in response.content.decode()
    response = finance.post(
        "/monitoring/new/",
        {
            **ROUND,
            "finance": world.org("F1").pk,
            "year": "2021",
            "monitoring_date": "2021-07-31",
            "due_date": "2021-08-15",
        },
    )
    assert "2021年度没有已批复的绩效目标申报，无法新建监控" in response.content.decode()
    # another 财政局 cannot be chosen
    response = finance.post("/monitoring/new/", {**ROUND, "finance": world.org("F2").pk})
    assert response.status_code == 200 and not MonitoringRound.objects.exists()
    for role, place in ((Role.FILLER, "A1"), (Role.UNIT_HEAD, "A1"), (Role.DEPARTMENT_REVIEWER, "DA")):
        assert (
            client_for(world.user(role, place))
            .post("/monitoring/new/", {**ROUND, "finance": world.org("F1").pk})
            .status_code
            == 403
        )
    assert not MonitoringRound.objects.exists()
    assert finance.post("/monitoring/new/", {**ROUND, "finance": world.org("F1").pk}).status_code == 302
    response = finance.post("/monitoring/new/", {**ROUND, "finance": world.org("F1").pk})
    assert "已有监控批次" in response.content.decode() and MonitoringRound.objects.count() == 1


# --------------------------------------------------------------------------------------------- the role matrix


OBJECT_URLS = ("/monitoring/{pk}/", "/monitoring/{pk}/table.xlsx", "/monitoring/{pk}/report.docx")


def outsiders(world: World) -> list[Any]:
    """Every working role of the other 财政局's branch, and the people of A1's sibling branch DB/B1."""
    people = [world.user(role, place) for role, place in world.users if place in ("F2", "DC", "C1", "DB", "B1")]
    return [*people, world.user(Role.FILLER, "A2"), world.user(Role.UNIT_HEAD, "A2")]


def test_outsiders_see_nothing_and_change_nothing(world: World, opened: MonitoringRound) -> None:
    record = record_of(world, "A1")
    before = (record.document, record.revision, record.status)
    for user in outsiders(world):
        client = client_for(user)
        for url in OBJECT_URLS:
            assert client.get(url.format(pk=record.pk)).status_code == 404, (user, url)
        assert client.post(f"/monitoring/{record.pk}/", filled(action="submit")).status_code == 404, user
        assert client.post(f"/monitoring/{record.pk}/return/", {"comment": "请修改"}).status_code == 404, user
        page = client.get("/monitoring/").content.decode()
        assert "科普专项经费" not in page
    for role in WORKING_ROLES:  # the other 财政局's branch does not see F1's round at all
        place = {Role.FILLER: "C1", Role.UNIT_HEAD: "C1", Role.DEPARTMENT_REVIEWER: "DC", Role.FINANCE_ADMIN: "F2"}[
            role
        ]
        assert client_for(world.user(role, place)).get(f"/monitoring/round/{opened.pk}/").status_code == 404
    record.refresh_from_db()
    assert (record.document, record.revision, record.status) == before


def test_inside_the_tree_each_role_only_its_own_steps(world: World, opened: MonitoringRound) -> None:
    record = record_of(world, "A1")
    for role, place in ((Role.DEPARTMENT_REVIEWER, "DA"), (Role.FINANCE_ADMIN, "F1")):
        client = client_for(world.user(role, place))
        for url in OBJECT_URLS:
            assert client.get(url.format(pk=record.pk)).status_code == 200, (role, url)
        assert client.get(f"/monitoring/round/{opened.pk}/").status_code == 200
        assert (
            "提交"
            not in client.get(f"/monitoring/{record.pk}/").content.decode().split("</h1>")[1].split("下载监控表")[0]
        )
        assert client.post(f"/monitoring/{record.pk}/", filled()).status_code == 403, role
    record.refresh_from_db()
    assert record.revision == 1
    head = client_for(world.user(Role.UNIT_HEAD, "A1"))
    assert head.post(f"/monitoring/{record.pk}/", filled()).status_code == 302
    filler = client_for(world.user(Role.FILLER, "A1"))
    assert filler.post(f"/monitoring/{record.pk}/", filled(revision="2", action="submit")).status_code == 302
    # submitted: no one changes it any more
    assert filler.post(f"/monitoring/{record.pk}/", filled(revision="3")).status_code == 409
    assert 'id="record-form"' not in filler.get(f"/monitoring/{record.pk}/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(world: World, opened: MonitoringRound) -> None:
    record = record_of(world, "A1")
    for url in (
        "/monitoring/",
        "/monitoring/board/",
        "/monitoring/new/",
        f"/monitoring/round/{opened.pk}/",
        *(u.format(pk=record.pk) for u in OBJECT_URLS),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


# --------------------------------------------------------------------------------------------- into the self-evaluation


def test_latest_snapshot_is_the_latest_submitted_monitoring(world: World, opened: MonitoringRound) -> None:
    record = record_of(world, "A1")
    assert latest_snapshot(record.declaration) is None  # a draft does not count
    filler = client_for(world.user(Role.FILLER, "A1"))
    filler.post(
        f"/monitoring/{record.pk}/",
        filled(
            likelihood_1="impossible",
            causes_1="other",
            cause_note_1="调查推迟",
            measures_1="协调省科协",
            action="submit",
        ),
    )
    snapshot = latest_snapshot(record.declaration)
    assert snapshot is not None and str(snapshot.monitoring_date) == "2022-07-31"
    assert snapshot.execution_text == "预算执行率 = 执行数 53.55 万元 ÷ 全年预算数 153.00 万元 = 35.00%"
    citizens = snapshot.indicator("公民科学素质")
    assert citizens is not None and citizens.likelihood is Likelihood.IMPOSSIBLE and citizens.measures == "协调省科协"
    assert any(LAG in w for w in snapshot.warnings)


def test_the_self_evaluation_opened_from_the_targets_shows_the_monitoring(
    world: World, opened: MonitoringRound
) -> None:
    record = record_of(world, "A1")
    filler_user = world.user(Role.FILLER, "A1")
    client_for(filler_user).post(f"/monitoring/{record.pk}/", filled(action="submit"))
    evaluation_record = target_services.start_evaluation(record.declaration.pk, filler_user)
    evaluation = Evaluation.model_validate(evaluation_record.document)
    assert evaluation.monitoring is not None and evaluation.monitoring.executed_wan == Decimal("53.55")
    page = client_for(filler_user).get(f"/evaluations/{evaluation_record.pk}/").content.decode()
    assert "运行监控情况（截至 2022年7月31日）" in page
    assert "预算执行率 = 执行数 53.55 万元 ÷ 全年预算数 153.00 万元 = 35.00%" in page


def test_the_demo_monitors_the_kepu_project_once(db: None) -> None:
    from jixiao.web.monitoring.demo import load_demo
    from jixiao.web.organisations.models import Organisation, OrganisationKind

    finance = Organisation.objects.create(name="湛江市财政局", kind=OrganisationKind.FINANCE)
    department = Organisation.objects.create(
        name="湛江市科学技术协会", kind=OrganisationKind.DEPARTMENT, parent=finance
    )
    unit = Organisation.objects.create(name="湛江市科学技术协会机关", kind=OrganisationKind.UNIT, parent=department)
    load_demo(finance)  # nothing approved yet: nothing to monitor
    assert not MonitoringRound.objects.exists()
    row = TargetDeclaration(
        year=2022, project_name="科普专项经费", status="approved", document=declaration_document("科普专项经费")
    )
    row.place(unit)
    row.save()
    load_demo(finance)
    load_demo(finance)
    (record,) = MonitoringRecord.objects.all()
    assert record.status == RecordStatus.SUBMITTED and record.warning_rules == ",lag,quantity,"
    assert LAG in record.warnings[0]["message"]
    assert latest_snapshot(row) is not None


def test_replacing_the_self_evaluation_by_a_selfeval_table_keeps_the_monitoring(
    world: World, opened: MonitoringRound, tmp_path: Path
) -> None:
    record = record_of(world, "A1")
    filler_user = world.user(Role.FILLER, "A1")
    client_for(filler_user).post(f"/monitoring/{record.pk}/", filled(action="submit"))
    evaluation_record = target_services.start_evaluation(record.declaration.pk, filler_user)
    upload = SimpleUploadedFile("自评表.xlsx", selfeval_bytes(tmp_path, unit=None))
    client_for(filler_user).post(
        "/evaluations/upload/",
        {"file": upload, "record": evaluation_record.pk, "revision": evaluation_record.revision},
    )
    evaluation_record.refresh_from_db()
    assert evaluation_record.versions.count() == 2  # the table was taken
    evaluation = Evaluation.model_validate(evaluation_record.document)
    assert evaluation.monitoring is not None and evaluation.monitoring.executed_wan == Decimal("53.55")


def test_the_board_pages_through_every_warned_project(world: World) -> None:
    for i in range(51):
        declare(world, "A1", f"项目{i:02d}")
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    assert finance.post("/monitoring/new/", {**ROUND, "finance": world.org("F1").pk}).status_code == 302
    MonitoringRecord.objects.update(
        warning_count=1,
        warning_rules=",lag,",
        warnings=[
            {"rule_id": "lag", "level": "yellow", "level_label": "黄色预警", "message": "执行偏慢", "indicator": None}
        ],
    )
    first = finance.get("/monitoring/board/").content.decode()
    second = finance.get("/monitoring/board/?page=2").content.decode()
    assert first.count("执行偏慢") == 50 and second.count("执行偏慢") == 1
    assert "第 1 / 2 页" in first and "项目50" in second


def test_units_are_told_of_a_new_round_and_the_department_of_a_submitted_warning(
    world: World, opened: MonitoringRound
) -> None:
    told = Notice.objects.filter(user=world.user(Role.FILLER, "A1")).values_list("text", flat=True)
    assert list(told) == [
        "【运行监控】2022年度运行监控（截至 2022-07-31）已开始：本单位有 1 个项目待填报，请于 2022年08月15日 前提交。"
    ]
    assert not Notice.objects.filter(user=world.user(Role.FILLER, "C1")).exists()  # another finance bureau's unit
    record = record_of(world, "A1")
    client_for(world.user(Role.FILLER, "A1")).post(f"/monitoring/{record.pk}/", filled(action="submit"))
    reviewer = Notice.objects.filter(user=world.user(Role.DEPARTMENT_REVIEWER, "DA")).values_list("text", flat=True)
    assert [t for t in reviewer if "触发预警" in t] == [
        f"【运行监控】{world.org('A1').name}“科普专项经费”（截至 2022-07-31）已提交，触发预警 2 条，请关注。"
    ]
    assert not Notice.objects.filter(
        user=world.user(Role.DEPARTMENT_REVIEWER, "DB"), text__contains="触发预警"
    ).exists()


def test_the_department_sends_a_submitted_record_back_with_its_reason(world: World, opened: MonitoringRound) -> None:
    record = record_of(world, "A1")
    filler = client_for(world.user(Role.FILLER, "A1"))
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    # a draft cannot be sent back; nor can anyone but the 主管部门 and 财政 send it back
    assert reviewer.post(f"/monitoring/{record.pk}/return/", {"comment": "请修改"}).status_code == 409
    filler.post(f"/monitoring/{record.pk}/", filled(action="submit"))
    for role, place in ((Role.FILLER, "A1"), (Role.UNIT_HEAD, "A1")):
        response = client_for(world.user(role, place)).post(f"/monitoring/{record.pk}/return/", {"comment": "x"})
        assert response.status_code == 403, role
    assert 'id="return-form"' in reviewer.get(f"/monitoring/{record.pk}/").content.decode()
    assert 'id="return-form"' not in filler.get(f"/monitoring/{record.pk}/").content.decode()
    # the reason is required; nothing changes without it
    page = reviewer.post(f"/monitoring/{record.pk}/return/", {"comment": "  "}, follow=True).content.decode()
    assert "退回意见：请写明退回的原因和需要修改的内容" in page
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    reviewer.post(f"/monitoring/{record.pk}/return/", {"comment": "执行数与国库支付数不一致，请核对"})
    record.refresh_from_db()
    assert (record.status, record.submitted_at, record.return_comment) == (
        RecordStatus.DRAFT,
        None,
        "执行数与国库支付数不一致，请核对",
    )
    told = Notice.objects.filter(user=world.user(Role.FILLER, "A1"), text__contains="退回").values_list(
        "text", flat=True
    )
    assert [t.split("被")[-1] for t in told] == [f"{record.returned_by_name}退回：执行数与国库支付数不一致，请核对"]
    page = filler.get(f"/monitoring/{record.pk}/").content.decode()
    assert "执行数与国库支付数不一致，请核对" in page and 'id="record-form"' in page
    # submitted again, the reason is gone
    filler.post(f"/monitoring/{record.pk}/", filled(revision=str(record.revision), action="submit"))
    record.refresh_from_db()
    assert (record.status, record.return_comment) == (RecordStatus.SUBMITTED, "")
    assert (
        client_for(world.user(Role.FINANCE_ADMIN, "F1"))
        .post(f"/monitoring/{record.pk}/return/", {"comment": "财政抽查：请补充佐证"})
        .status_code
        == 302
    )


def test_finance_adds_records_for_targets_approved_after_the_round_was_opened(
    world: World, opened: MonitoringRound
) -> None:
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    url = f"/monitoring/round/{opened.pk}/add-late/"
    page = finance.post(url, follow=True).content.decode()
    assert "没有批次建立后新批复的项目，无需补建。" in page and opened.records.count() == 2
    declare(world, "A2", "年中批复的项目")
    declare(world, "C1", "另一财政局的项目")
    # the round's own people who are not its finance bureau are refused; others do not see the round at all
    for role, place, status in (
        (Role.DEPARTMENT_REVIEWER, "DA", 403),
        (Role.FILLER, "A1", 403),
        (Role.FILLER, "A2", 404),
        (Role.FINANCE_ADMIN, "F2", 404),
    ):
        assert client_for(world.user(role, place)).post(url).status_code == status, (role, place)
    assert opened.records.count() == 2
    page = finance.post(url, follow=True).content.decode()
    assert "已为批次建立后新批复的 1 个项目补建监控记录" in page
    assert sorted(opened.records.values_list("project_name", flat=True)) == [
        "学会能力提升",
        "年中批复的项目",
        "科普专项经费",
    ]
    told = Notice.objects.filter(user=world.user(Role.FILLER, "A2")).values_list("text", flat=True)
    assert [t for t in told if "年度运行监控" in t] == [
        "【运行监控】2022年度运行监控（截至 2022-07-31）已开始：本单位有 1 个项目待填报，请于 2022年08月15日 前提交。"
    ]
    assert "已为" not in finance.post(url, follow=True).content.decode()  # nothing twice
    assert opened.records.count() == 3


def test_units_with_unsubmitted_monitoring_are_reminded_once_before_and_once_after_the_due_date(
    world: World, opened: MonitoringRound
) -> None:
    def reminders(unit: str) -> list[str]:
        texts = Notice.objects.filter(user=world.user(Role.FILLER, unit)).order_by("pk").values_list("text", flat=True)
        return [t for t in texts if "监控未提交" in t]

    assert remind_monitoring(dt.date(2022, 8, 1)) == 0  # the due date (08-15) is more than three days away
    assert remind_monitoring(dt.date(2022, 8, 12)) == 2  # A1 and B1
    assert remind_monitoring(dt.date(2022, 8, 13)) == 0  # not twice
    assert reminders("A1") == [
        "【运行监控】2022年度运行监控（截至 2022-07-31）：本单位还有 1 个项目的监控未提交，请于 2022年08月15日 前提交。"
    ]
    record = record_of(world, "A1")
    client_for(world.user(Role.FILLER, "A1")).post(f"/monitoring/{record.pk}/", filled(action="submit"))
    out = StringIO()
    call_command("send_reminders", "--date", "2022-08-16", stdout=out)
    assert "2022-08-16：运行监控填报提醒 1 个单位" in out.getvalue()  # B1 only: A1 has submitted
    assert len(reminders("A1")) == 1
    assert reminders("B1")[-1].endswith("填报截止日期 2022年08月15日 已过，请尽快提交。")
