"""部门整体支出绩效自评 in the web app: the 主管部门审核人 fills it in (accounts, item scores, narrative) and sees the
ratios and the roll-up of its units' project self-evaluations; 财政 returns it with a comment, accepts it and
publishes it; the public sees only published ones. Bad input is refused with the field named, nothing saved.
Its role matrix: only the department's own people and its 财政局 see it, each takes only its own steps."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.io.department.catalogue import load_department_framework, load_formulas
from jixiao.io.department.table_xlsx import write_department_table
from jixiao.web.department import services
from jixiao.web.department.choices import Status
from jixiao.web.department.models import DepartmentEvaluationRecord, DepartmentTransition
from jixiao.web.evaluations.choices import Status as ProjectStatus
from jixiao.web.organisations.models import Role
from jixiao.web.tasks.models import Notice
from tests.web.conftest import World, client_for

pytestmark = pytest.mark.django_db

ACCOUNTS = {
    "initial_budget": "450",
    "budget": "480",
    "spent": "456",
    "basic_spent": "303.2",
    "project_spent": "152.8",
    "carry_over": "12",
    "three_public_budget": "10",
    "three_public_spent": "9.2",
    "three_public_budget_last": "11",
    "procurement_budget": "60",
    "procurement_actual": "57",
    "public_funds_budget": "40",
    "public_funds_spent": "38",
    "key_project_budget": "153",
    "project_budget": "220",
    "staff_actual": "46",
    "staff_quota": "48",
}


def opened(world: World, place: str = "DA", year: int = 2022) -> DepartmentEvaluationRecord:
    return services.create(world.org(place), year, "mof-2013-53", world.user(Role.DEPARTMENT_REVIEWER, place))


def form_data(record: DepartmentEvaluationRecord, **changes: str) -> dict[str, str]:
    """A complete form: every account figure, every self-scored item at full points, a narrative."""
    data = {
        "revision": str(record.revision),
        "contact": "张三",
        "phone": "0759-1234567",
        "claimed_total": "",
        "claimed_grade": "",
        "overview": "湛江市科学技术协会是市委领导的人民团体。",
        "achievements": "全年完成科普活动 120 场。",
        "problems": "预算执行进度前慢后快。",
        "improvements": "加强预算执行监控。",
    }
    data.update({f"acct_{k}": v for k, v in ACCOUNTS.items()})
    for n, (_path, leaf) in enumerate(load_department_framework(record.framework).leaves()):
        data[f"score_{n}"] = "" if leaf.formula else str(leaf.points)
        data[f"reason_{n}"] = ""
    data.update(changes)
    return data


def state(record: DepartmentEvaluationRecord) -> tuple[Any, ...]:
    record.refresh_from_db()
    transitions = DepartmentTransition.objects.filter(record=record).count()
    return (record.status, record.revision, record.document, record.review_comment, transitions)


def test_a_department_evaluation_is_filled_rolled_up_returned_fixed_accepted_and_published(
    world: World, record_factory: Any
) -> None:
    # two project self-evaluations of the department's units this year, one of another department
    ours = [record_factory("A1", ProjectStatus.SUBMITTED), record_factory("A2", ProjectStatus.DRAFT)]
    record_factory("B1", ProjectStatus.SUBMITTED)
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    response = reviewer.post(
        "/department/new/", {"department": world.org("DA").pk, "year": 2022, "framework": "mof-2013-53"}
    )
    record = DepartmentEvaluationRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/department/{record.pk}/"
    assert (record.department, record.finance, record.status) == (world.org("DA"), world.org("F1"), Status.DRAFT)

    response = reviewer.post(f"/department/{record.pk}/save/", form_data(record))
    assert response.status_code == 302
    page = reviewer.get(f"/department/{record.pk}/").content.decode()
    assert "预算执行率 = 全年执行数 456.00 万元 ÷ 全年预算数（调整后） 480.00 万元 × 100% = 95.00%" in page
    assert "结转结余率 = 结转结余总额 12.00 万元 ÷ 全年预算数（调整后） 480.00 万元 × 100% = 2.50%" in page
    assert "“三公经费”控制率 = 三公经费实际支出 9.20 万元 ÷ 三公经费预算数 10.00 万元 × 100% = 92.00%" in page
    assert "政府采购执行率 = 实际政府采购金额 57.00 万元 ÷ 政府采购预算数 60.00 万元 × 100% = 95.00%" in page
    # the roll-up reads the two projects of 甲 units, not 乙's
    rollup = services.result_of(record).rollup
    assert len(rollup.projects) == 2 and {p.project for p in rollup.projects} == {r.project_name for r in ours}
    assert f"共 2 项：{rollup.distribution()}" in page
    record.refresh_from_db()
    # 政府采购执行率 95.00% of a 100% full mark on 3 points: 2.85; 预算调整率 6.67% is one started step of 10
    # points above 0: 3 − 1 = 2; every other item full
    assert record.computed_score == Decimal("98.85") and record.computed_grade == "优"

    assert reviewer.post(f"/department/{record.pk}/action/submit/").status_code == 302
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED and record.submitted_at is not None
    told = Notice.objects.get(user=world.user(Role.FINANCE_ADMIN, "F1"))
    assert told.text == "【部门整体自评】甲主管部门2022年度部门整体支出绩效自评已提交，请审核。"
    assert told.url == f"/department/{record.pk}/"

    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    before = state(record)
    finance.post(f"/department/{record.pk}/action/return/", {"comment": ""})
    assert state(record) == before  # a return without a comment is refused
    finance.post(f"/department/{record.pk}/action/return/", {"comment": "请补充政府采购未执行完的原因"})
    record.refresh_from_db()
    assert record.status == Status.RETURNED and record.review_comment == "请补充政府采购未执行完的原因"
    assert "请补充政府采购未执行完的原因" in reviewer.get(f"/department/{record.pk}/").content.decode()
    assert Notice.objects.filter(
        user=world.user(Role.DEPARTMENT_REVIEWER, "DA"), text__endswith="已被财政退回：请补充政府采购未执行完的原因"
    ).exists()

    n = next(
        i for i, (p, _) in enumerate(load_department_framework("mof-2013-53").leaves()) if p[-1] == "政府采购执行率"
    )
    reviewer.post(f"/department/{record.pk}/save/", form_data(record, **{f"reason_{n}": "两个采购项目顺延至次年"}))
    reviewer.post(f"/department/{record.pk}/action/submit/")
    finance.post(f"/department/{record.pk}/action/accept/", {"comment": "同意"})
    record.refresh_from_db()
    assert record.status == Status.ACCEPTED and record.review_comment == "同意"
    assert Client().get(f"/public/department/{record.pk}/").status_code == 404  # not yet published
    finance.post(f"/department/{record.pk}/action/publish/")
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED and record.published_at is not None
    assert [t.action for t in record.transitions.all()] == [
        "create", "submit", "return", "submit", "accept", "publish",
    ]  # fmt: skip

    # what was submitted stays: a project evaluated later does not change the published roll-up
    record_factory("A1", ProjectStatus.DRAFT)
    assert "共 2 项" in Client().get(f"/public/department/{record.pk}/").content.decode()
    assert len(record.projects) == 2

    public = Client()
    assert "甲主管部门" in public.get("/public/department/").content.decode()
    detail = public.get(f"/public/department/{record.pk}/").content.decode()
    assert "98.85" in detail and "政府采购执行率 = 实际政府采购金额 57.00 万元" in detail
    # the public page gives the roll-up's figures, not the projects one by one (each is published on its own)
    assert "共 2 项" in detail and not any(r.project_name in detail for r in ours)


def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(world: World) -> None:
    record = opened(world)
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    before = state(record)
    response = reviewer.post(f"/department/{record.pk}/save/", form_data(record, acct_spent="四百"))
    assert response.status_code == 400
    assert "未保存，请修改：全年执行数（万元）：输入一个数字。" in response.content.decode()
    assert state(record) == before
    n = next(
        i for i, (p, _) in enumerate(load_department_framework("mof-2013-53").leaves()) if p[-1] == "绩效目标合理性"
    )
    response = reviewer.post(f"/department/{record.pk}/save/", form_data(record, **{f"score_{n}": "3"}))
    assert response.status_code == 400
    assert "未保存，请修改：“绩效目标合理性”自评得分（分）：确保该值小于或等于2。" in response.content.decode()
    assert state(record) == before


def test_submission_waits_until_every_item_is_scored_and_errors_are_fixed(world: World) -> None:
    record = opened(world)
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    reviewer.post(f"/department/{record.pk}/action/submit/")
    record.refresh_from_db()
    assert record.status == Status.DRAFT
    # a full self-score on 预算执行率 when the accounts give 60%: B001, an error, blocks submission
    n = next(i for i, (p, _) in enumerate(load_department_framework("mof-2013-53").leaves()) if p[-1] == "预算执行率")
    reviewer.post(
        f"/department/{record.pk}/save/",
        form_data(record, acct_spent="288", acct_basic_spent="200", acct_project_spent="88", **{f"score_{n}": "5"}),
    )
    record.refresh_from_db()
    assert record.error_count == 1
    response = reviewer.post(f"/department/{record.pk}/action/submit/", follow=True)
    assert "B001" in response.content.decode()
    record.refresh_from_db()
    assert record.status == Status.DRAFT


def test_one_evaluation_per_department_and_year(world: World) -> None:
    opened(world)
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    response = reviewer.post(
        "/department/new/", {"department": world.org("DA").pk, "year": 2022, "framework": "sichuan-100"}
    )
    assert response.status_code == 200 and "2022 年度的部门整体自评已经建立" in response.content.decode()
    assert DepartmentEvaluationRecord.objects.count() == 1


# ------------------------------------------------------------------------------------------- the role matrix

INSIDERS = [(Role.DEPARTMENT_REVIEWER, "DA"), (Role.FINANCE_ADMIN, "F1")]
OUTSIDERS = [
    (Role.DEPARTMENT_REVIEWER, "DB"),
    (Role.DEPARTMENT_REVIEWER, "DC"),
    (Role.FINANCE_ADMIN, "F2"),
    (Role.FILLER, "A1"),
    (Role.UNIT_HEAD, "A1"),
    (Role.FILLER, "C1"),
]
OBJECT_URLS = ["/", "report.docx", "table.xlsx"]
POSTS = ["save/", "action/submit/", "action/return/", "action/accept/", "action/publish/"]
#: every POST an outsider is refused (importing is tested on its own below)
OUTSIDER_POSTS = [*POSTS, "import/"]


def _record_in(world: World, status: str) -> DepartmentEvaluationRecord:
    record = opened(world)
    reviewer, finance = world.user(Role.DEPARTMENT_REVIEWER, "DA"), world.user(Role.FINANCE_ADMIN, "F1")
    client_for(reviewer).post(f"/department/{record.pk}/save/", form_data(record))
    if status != Status.DRAFT:
        services.move(record.pk, "submit", reviewer)
        if status == Status.RETURNED:
            services.move(record.pk, "return", finance, "补充材料")
        if status in (Status.ACCEPTED, Status.PUBLISHED):
            services.move(record.pk, "accept", finance)
        if status == Status.PUBLISHED:
            services.move(record.pk, "publish", finance)
    record.refresh_from_db()
    assert record.status == status
    return record


@pytest.mark.parametrize(("role", "place"), OUTSIDERS)
def test_outsiders_are_refused_and_change_nothing(role: str, place: str, world: World) -> None:
    record = _record_in(world, Status.SUBMITTED)
    client = client_for(world.user(role, place))
    before = state(record)
    for url in OBJECT_URLS:
        assert client.get(f"/department/{record.pk}/{url.lstrip('/')}").status_code == 404, url
    for url in OUTSIDER_POSTS:
        data = {**form_data(record), "comment": "意见", "table": _table_upload(record)}
        response = client.post(f"/department/{record.pk}/{url}", data)
        assert response.status_code == 404, url
    assert state(record) == before
    assert 'data-pk="' not in client.get("/department/").content.decode()


@pytest.mark.parametrize(("role", "place"), INSIDERS)
def test_insiders_see_it(role: str, place: str, world: World) -> None:
    record = _record_in(world, Status.SUBMITTED)
    client = client_for(world.user(role, place))
    for url in OBJECT_URLS:
        assert client.get(f"/department/{record.pk}/{url.lstrip('/')}").status_code == 200, url
    assert f'data-pk="{record.pk}"' in client.get("/department/").content.decode()


#: (action, status) → the one role that may take it
STEPS = {
    ("save/", Status.DRAFT): Role.DEPARTMENT_REVIEWER,
    ("save/", Status.RETURNED): Role.DEPARTMENT_REVIEWER,
    ("action/submit/", Status.DRAFT): Role.DEPARTMENT_REVIEWER,
    ("action/submit/", Status.RETURNED): Role.DEPARTMENT_REVIEWER,
    ("action/return/", Status.SUBMITTED): Role.FINANCE_ADMIN,
    ("action/accept/", Status.SUBMITTED): Role.FINANCE_ADMIN,
    ("action/publish/", Status.ACCEPTED): Role.FINANCE_ADMIN,
}


@pytest.mark.parametrize("url", POSTS)
@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED, Status.PUBLISHED])
def test_each_role_takes_only_its_own_steps(url: str, status: str, world: World) -> None:
    record = _record_in(world, status)
    for role, place in INSIDERS:
        client = client_for(world.user(role, place))
        before = state(record)
        data = {**form_data(record), "comment": "意见"}
        response = client.post(f"/department/{record.pk}/{url}", data)
        allowed = STEPS.get((url, status)) == role
        if allowed:
            assert response.status_code == 302, (role, url, status)
            assert state(record) != before, (role, url, status)
            return
        assert response.status_code in (403, 409), (role, url, status, response.status_code)
        assert state(record) == before, (role, url, status)


def test_public_pages_show_only_published_department_evaluations(world: World) -> None:
    published = _record_in(world, Status.PUBLISHED)
    hidden = opened(world, "DB")
    public = Client()
    listing = public.get("/public/department/").content.decode()
    assert "甲主管部门" in listing and "乙主管部门" not in listing
    assert public.get(f"/public/department/{published.pk}/").status_code == 200
    for url in (f"/public/department/{hidden.pk}/", f"/public/department/{hidden.pk}/report.pdf"):
        assert public.get(url).status_code == 404
    assert "部门整体支出绩效自评结果公开" in public.get("/").content.decode()


def test_the_formulas_file_names_every_input_the_form_offers() -> None:
    assert [s.id for s in load_formulas().inputs][:3] == ["initial_budget", "budget", "spent"]


def test_the_demo_tells_the_science_associations_story_once() -> None:
    from jixiao.web.department.demo import load_demo
    from jixiao.web.organisations.models import Organisation, OrganisationKind

    finance = Organisation.objects.create(name="湛江市财政局", kind=OrganisationKind.FINANCE)
    Organisation.objects.create(name="湛江市科学技术协会", kind=OrganisationKind.DEPARTMENT, parent=finance)
    load_demo(finance)
    load_demo(finance)  # idempotent
    record = DepartmentEvaluationRecord.objects.get()
    assert record.status == Status.SUBMITTED and record.error_count == 0
    result = services.result_of(record)
    assert result.ratios["execution_rate"].text() == (
        "预算执行率 = 全年执行数 441.20 万元 ÷ 全年预算数（调整后） 468.35 万元 × 100% = 94.20%"
    )
    assert record.computed_score == result.total.value and result.grade == "优"


def _table_upload(record: DepartmentEvaluationRecord) -> SimpleUploadedFile:
    with tempfile.TemporaryDirectory() as folder:
        path = write_department_table(services.result_of(record), Path(folder) / "自评表.xlsx")
        return SimpleUploadedFile("自评表.xlsx", path.read_bytes())


def test_a_table_written_for_one_year_fills_in_another_and_only_the_filler_may_import(world: World) -> None:
    source = _record_in(world, Status.SUBMITTED)
    upload = _table_upload(source)
    target = opened(world, year=2023)
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    before = state(target)
    assert finance.post(f"/department/{target.pk}/import/", {"table": upload, "revision": 1}).status_code == 403
    assert state(target) == before
    upload.seek(0)
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    response = reviewer.post(f"/department/{target.pk}/import/", {"table": upload, "revision": 1}, follow=True)
    assert "已从 自评表.xlsx 导入账面数据 17 项、指标自评 15 项" in response.content.decode()
    target.refresh_from_db()
    imported, original = services.document_of(target), services.document_of(source)
    assert imported.accounts == original.accounts and imported.items == original.items
    assert imported.header.year == 2023 and target.computed_score == source.computed_score


def test_a_file_that_is_not_the_table_is_refused_and_nothing_changes(world: World) -> None:
    record = opened(world)
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    before = state(record)
    junk = SimpleUploadedFile("随便.xlsx", b"not a workbook")
    response = reviewer.post(f"/department/{record.pk}/import/", {"table": junk, "revision": 1}, follow=True)
    assert "未导入：文件 随便.xlsx：文件不是有效的 xlsx 工作簿" in response.content.decode()
    assert state(record) == before


def test_the_demo_rolls_up_the_science_associations_2022_project(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", password="demo-pw-123456", stdout=StringIO())
    record = DepartmentEvaluationRecord.objects.get(department__name="湛江市科学技术协会", year=2022)
    assert record.status == Status.SUBMITTED and record.transitions.last().actor_name == "审核员（科协主管部门）"
    rollup = services.result_of(record).rollup
    cast = [p for p in rollup.projects if "科普" in p.project]
    assert len(cast) == 1 and cast[0].unit == "湛江市科学技术协会机关" and cast[0].budget_wan == Decimal(153)
