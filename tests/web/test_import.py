"""导入已有自评材料: a real document is read, shown with where each value came from, and imported with its file."""

from __future__ import annotations

import hashlib
import os
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.core.model import Evaluation
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord, ImportedSource
from jixiao.web.organisations.models import Role
from tests.conftest import SHARED, requires_shared
from tests.web.conftest import World, client_for

SEED = SHARED / "seed" / "zhanjiang-2022-kepu-self-evaluation.txt"
YONGDE = SHARED / "corpus" / "public" / "01-yongde-2022-nutrition-table.txt"
needs_shared = requires_shared(SEED, YONGDE)


def upload(client: Client, name: str, data: bytes) -> Any:
    """POST a file to the import page; a readable one leads to its confirmation page (returned, followed)."""
    return client.post("/evaluations/import/", {"file": SimpleUploadedFile(name, data)}, follow=True)


def confirm(client: Client, page: Any, **changes: Any) -> Any:
    """Confirm the upload shown on ``page`` with the prefilled values, changed by ``changes``."""
    form = page.context["form"]
    data = {
        "staged": page.context["source"].pk,
        "mode": form.initial["mode"],
        "unit": form.initial["unit"].pk if form.initial.get("unit") else "",
        "name": form.initial["name"],
        "year": form.initial["year"] or "",
    }
    data.update(changes)
    return client.post("/evaluations/import/confirm/", data)


@needs_shared
def test_a_unit_user_imports_the_seed_report_as_a_draft_and_keeps_the_file(world: World) -> None:
    client = client_for(world.user(Role.FILLER, "A1"))
    data = SEED.read_bytes()
    page = upload(client, SEED.name, data)
    assert page.redirect_chain[-1][0].startswith("/evaluations/import/confirm/?staged=")
    text = page.content.decode()
    # the facts, each with where it was read and the source text
    assert "评价年度" in text and "湛江市科普专项经费" in text
    assert "第316行" in text and "自评分数和等级为:100分,优秀" in text
    assert "第101行" in text and "预期投入153万元" in text
    # findings with 级别/编号/位置/说明, and the risk
    assert "F006" in text and "第330行" in text and "报告称“资金到位及时”" in text
    assert page.context["source"].risk == Decimal(86)
    form = page.context["form"]
    assert (form.initial["name"], form.initial["year"], form.initial["mode"]) == ("湛江市科普专项经费", 2022, "draft")
    assert form.initial["unit"] == world.org("A1")
    assert EvaluationRecord.all_objects.count() == 0  # nothing is created before the user confirms

    response = confirm(client, page)
    record = EvaluationRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evaluations/{record.pk}/"
    assert (record.status, record.unit, record.year) == (Status.DRAFT, world.org("A1"), 2022)
    assert record.project_name == "湛江市科普专项经费"
    evaluation = Evaluation.model_validate(record.document)
    assert evaluation.project.unit == "甲一单位" and evaluation.project.department == "甲主管部门"
    assert (evaluation.rules, evaluation.framework) == ("mof-2020", "mof-selfeval")
    claims = evaluation.claims
    assert (claims.total_score, claims.grade) == (Decimal(100), "优秀")
    assert (claims.budget_wan, claims.arrived_wan, claims.spent_wan) == (Decimal(153), Decimal(100), Decimal(100))
    assert (claims.arrival_rate_pct, claims.spend_rate_pct) == (Decimal("65.36"), Decimal(100))
    assert "自评分数和等级为:100分,优秀" in claims.quotes["self_score"]
    assert claims.funds_timely is True  # so the record's own checks raise F006 as the audit did
    assert "F006" in set(record.findings.values_list("code", flat=True))
    (fund,) = evaluation.funds
    assert fund.source.value == "current" and fund.annual_budget_wan == Decimal(153)
    assert [a.amount_wan for a in fund.arrivals] == [Decimal(100)] and fund.executed_wan == Decimal(100)
    assert evaluation.indicators == []  # a report without its table: no placeholder indicators
    assert [(t.action, t.to_status) for t in record.transitions.all()] == [(Action.CREATE, Status.DRAFT)]
    assert record.versions.get().summary == f"从文件“{SEED.name}”导入"

    source = ImportedSource.objects.get()
    assert source.record == record and source.mode == "draft"
    assert (source.file_name, source.format, source.size) == (SEED.name, "txt", len(data))
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.imported_by == world.user(Role.FILLER, "A1") and source.imported_at is not None
    assert source.audit["facts"]["self_score"] == 100 and source.audit["provenance"]["self_score"]["line"] == 316

    detail = client.get(f"/evaluations/{record.pk}/").content.decode()
    assert "来源文件" in detail and SEED.name in detail and f"/evaluations/{record.pk}/source/" in detail
    assert "第330行" in detail and "财政资金划拨100万元" in detail  # the provenance table

    download = client.get(f"/evaluations/{record.pk}/source/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert "attachment" in download["Content-Disposition"]


@needs_shared
def test_a_finance_user_imports_a_legacy_table_as_submitted(world: World) -> None:
    finance = world.user(Role.FINANCE_ADMIN, "F1")
    client = client_for(finance)
    page = upload(client, YONGDE.name, YONGDE.read_bytes())
    assert page.context["form"].initial["mode"] == "submitted"
    assert len(page.context["indicators"]) == 9 and "学生受资助人数" in page.content.decode()

    response = confirm(client, page, unit=world.org("B1").pk)
    record = EvaluationRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evaluations/{record.pk}/"
    assert record.status == Status.SUBMITTED and record.submitted_at is not None
    assert (record.unit, record.department, record.finance) == (world.org("B1"), world.org("DB"), world.org("F1"))
    create, submit = record.transitions.all()
    assert (create.action, submit.action) == (Action.CREATE, Action.SUBMIT)
    assert (submit.from_status, submit.to_status, submit.actor) == (Status.DRAFT, Status.SUBMITTED, finance)
    assert f"从文件“{YONGDE.name}”导入" in submit.comment
    assert ImportedSource.objects.get().mode == "submitted"

    evaluation = Evaluation.model_validate(record.document)
    leaves = evaluation.leaves()
    assert len(leaves) == 9
    assert [node.claimed_score for _, node in leaves] == [Decimal(s) for s in (10, 10, 7, 10, 10, 9, 10, 10, 10)]
    assert leaves[0][0] == ("产出指标", "数量指标", "学生受资助人数")
    assert (leaves[0][1].target, leaves[0][1].actual, leaves[0][1].points) == ("≧735人次", "735", Decimal(10))
    assert [root.name for root in evaluation.indicators] == ["产出指标", "效益指标", "满意度指标"]
    assert evaluation.funds[0].annual_budget_wan == Decimal("38.766462") and evaluation.funds[0].arrivals == []
    assert evaluation.claims.total_score == Decimal(96) and evaluation.claims.execution_rate_pct == Decimal(100)
    assert record.claimed_score == Decimal("96.00") and record.computed_score is not None

    # the 主管部门 reviewer of B1 sees the submitted record and may take it up
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DB"))
    assert "approve" in reviewer.get(f"/evaluations/{record.pk}/").context["actions"]


@needs_shared
def test_a_finance_user_cannot_import_into_a_unit_outside_their_scope(world: World) -> None:
    client = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    page = upload(client, YONGDE.name, YONGDE.read_bytes())
    assert world.org("C1") not in page.context["form"].fields["unit"].queryset
    response = confirm(client, page, unit=world.org("C1").pk)
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == ["所选预算单位不在您可以导入的范围内"]
    assert "所选预算单位不在您可以导入的范围内" in response.content.decode()
    assert EvaluationRecord.all_objects.count() == 0


@needs_shared
def test_a_unit_user_imports_only_into_their_own_unit_and_only_as_a_draft(world: World) -> None:
    client = client_for(world.user(Role.UNIT_HEAD, "A1"))
    page = upload(client, SEED.name, SEED.read_bytes())
    assert list(page.context["form"].fields["unit"].queryset) == [world.org("A1")]
    response = confirm(client, page, unit=world.org("A2").pk)
    assert response.context["form"].errors["unit"] == ["所选预算单位不在您可以导入的范围内"]
    response = confirm(client, page, mode="submitted")
    assert "mode" in response.context["form"].errors
    assert EvaluationRecord.all_objects.count() == 0


def test_name_and_year_are_required_when_the_document_does_not_state_them(world: World) -> None:
    client = client_for(world.user(Role.FILLER, "A1"))
    page = upload(client, "说明.txt", "本单位今年认真开展了各项工作，取得了较好成效。\n".encode())
    assert (page.context["form"].initial["name"], page.context["form"].initial["year"]) == ("", None)
    response = confirm(client, page)
    assert set(response.context["form"].errors) == {"name", "year"}
    assert EvaluationRecord.all_objects.count() == 0
    response = confirm(client, page, name="某专项经费", year=2023)
    record = EvaluationRecord.objects.get()
    assert (record.project_name, record.year, record.status) == ("某专项经费", 2023, Status.DRAFT)
    assert Evaluation.model_validate(record.document).funds == []


def test_an_unreadable_file_shows_its_chinese_error_and_creates_nothing(world: World) -> None:
    client = client_for(world.user(Role.FILLER, "A1"))
    response = upload(client, "自评表.xlsx", os.urandom(4096))
    assert response.status_code == 200 and response.redirect_chain == []
    assert "文件 自评表.xlsx：文件已损坏或不是有效的 .xlsx 文件" in response.content.decode()
    assert EvaluationRecord.all_objects.count() == 0 and ImportedSource.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("自评报告.doc", b"\xd0\xcf\x11\xe0", "不支持的文件类型“.doc”"),
        ("空文件.txt", b"", "文件为空"),
        ("太大.txt", b"0" * (20 * 2**20 + 1), "超过 20 MB 的上限"),
    ],
)
def test_files_of_other_types_empty_or_too_large_are_refused(
    world: World, name: str, data: bytes, message: str
) -> None:
    response = upload(client_for(world.user(Role.FILLER, "A1")), name, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert ImportedSource.objects.count() == 0


@needs_shared
def test_the_same_file_is_not_imported_twice_for_the_same_unit_and_year(world: World) -> None:
    client = client_for(world.user(Role.FILLER, "A1"))
    first = EvaluationRecord.objects.get(pk=_imported(client))
    page = upload(client, SEED.name, SEED.read_bytes())
    assert list(page.context["earlier"]) == [first]  # told before confirming
    response = confirm(client, page)
    assert response.status_code == 200
    text = response.content.decode()
    assert "不能重复导入" in text and f'href="/evaluations/{first.pk}/"' in text
    assert EvaluationRecord.all_objects.count() == 1
    # another year of the same unit is another evaluation
    assert confirm(client, page, year=2021).status_code == 302
    assert EvaluationRecord.objects.count() == 2


@needs_shared
def test_a_deleted_import_may_be_imported_again(world: World) -> None:
    client = client_for(world.user(Role.FILLER, "A1"))
    pk = _imported(client)
    client.post(f"/evaluations/{pk}/delete/")
    assert _imported(client) != pk


def _imported(client: Client) -> int:
    response = confirm(client, upload(client, SEED.name, SEED.read_bytes()))
    assert response.status_code == 302, response.content.decode()
    return int(response["Location"].strip("/").split("/")[-1])


@needs_shared
def test_an_upload_is_confirmed_only_once_and_only_by_whoever_sent_it(world: World) -> None:
    owner = client_for(world.user(Role.FILLER, "A1"))
    page = upload(owner, SEED.name, SEED.read_bytes())
    other = client_for(world.user(Role.UNIT_HEAD, "A1"))
    response = confirm(other, page)
    assert response.status_code == 200 and "没有待确认的上传" in response.content.decode()
    assert EvaluationRecord.all_objects.count() == 0
    assert confirm(owner, page).status_code == 302
    response = confirm(owner, page)
    assert "没有待确认的上传" in response.content.decode()
    assert EvaluationRecord.all_objects.count() == 1


@needs_shared
def test_who_may_import_and_who_may_download_the_original(world: World) -> None:
    for role, place in ((Role.FILLER, "A1"), (Role.UNIT_HEAD, "B1"), (Role.FINANCE_ADMIN, "F2")):
        client = client_for(world.user(role, place))
        assert "导入已有自评材料" in client.get("/evaluations/").content.decode()
        assert client.get("/evaluations/import/").status_code == 200
    reviewer = client_for(world.user(Role.DEPARTMENT_REVIEWER, "DA"))
    assert "导入已有自评材料" not in reviewer.get("/evaluations/").content.decode()
    assert reviewer.get("/evaluations/import/").status_code == 403
    assert (
        reviewer.post("/evaluations/import/", {"file": SimpleUploadedFile(SEED.name, SEED.read_bytes())}).status_code
        == 403
    )
    assert ImportedSource.objects.count() == 0

    pk = _imported(client_for(world.user(Role.FILLER, "A1")))
    for role, place, status in (
        (Role.DEPARTMENT_REVIEWER, "DA", 200),
        (Role.FINANCE_ADMIN, "F1", 200),
        (Role.FILLER, "A2", 404),
        (Role.DEPARTMENT_REVIEWER, "DB", 404),
        (Role.FINANCE_ADMIN, "F2", 404),
    ):
        assert client_for(world.user(role, place)).get(f"/evaluations/{pk}/source/").status_code == status, place


def test_anonymous_visitors_are_sent_to_login(world: World, record_factory: Any) -> None:
    record = record_factory("A1")
    anonymous = client_for(None)
    for url in ("/evaluations/import/", "/evaluations/import/confirm/", f"/evaluations/{record.pk}/source/"):
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), url


@needs_shared
def test_the_admin_shows_imported_files_read_only(world: World) -> None:
    _imported(client_for(world.user(Role.FILLER, "A1")))
    world.sysadmin.is_staff = world.sysadmin.is_superuser = True
    world.sysadmin.save()
    client = client_for(world.sysadmin)
    listing = client.get("/admin/evaluations/importedsource/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "导入来源文件" in text and SEED.name in text
    source = ImportedSource.objects.get()
    page = client.get(f"/admin/evaluations/importedsource/{source.pk}/change/")
    assert page.status_code == 200 and source.sha256 in page.content.decode()
    assert client.get("/admin/evaluations/importedsource/add/").status_code == 403
    assert client.post(f"/admin/evaluations/importedsource/{source.pk}/delete/").status_code == 403
    assert ImportedSource.objects.count() == 1


@pytest.mark.parametrize(
    "text",
    [
        "项目名称：科普经费\n项目年度预算资金99999999999999999999999999999万元，执行数100万元。",
        "项目名称：科普经费\n| 项目 | 年初预算数 | 全年预算数 | 全年执行数 |\n|---|---|---|---|\n"
        "| 年度资金总额 | -153万元 | -153万元 | 100万元 |",
    ],
    ids=["beyond-any-budget", "negative-budget"],
)
def test_an_impossible_figure_is_shown_as_a_finding_not_a_server_error(world: World, text: str) -> None:
    client = client_for(world.user(Role.FILLER, "A1"))
    page = upload(client, "不可能的数.txt", text.encode("utf-8"))
    assert page.status_code == 200 and page.redirect_chain[-1][0].startswith("/evaluations/import/confirm/")
    findings = page.context["findings"]
    assert {f.code for f in findings} >= {"A010"}
    assert all("不可能成立，未计入评价" in f.message for f in findings if f.code == "A010")
    # and it imports, without the impossible figure
    assert confirm(client, page, year=2022).status_code == 302
    record = EvaluationRecord.objects.get()
    assert record.budget_wan is None or record.budget_wan >= 0
    assert Evaluation.model_validate(record.document).funds == []


def test_a_zip_bomb_posted_to_the_import_page_is_refused_at_once_by_name(world: World) -> None:
    """A 附1 whose sheet declares 1.2 GB once unzipped (issue 10 §1): refused before any reader opens it."""
    import zipfile
    from io import BytesIO

    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/worksheets/sheet1.xml", b"0" * 4099)
    bomb = out.getvalue().replace((4099).to_bytes(4, "little"), (1200 * 1024 * 1024).to_bytes(4, "little"))
    page = upload(client_for(world.user(Role.FILLER, "A1")), "炸弹附1.xlsx", bomb)
    assert page.status_code == 200 and not ImportedSource.objects.exists()
    assert "炸弹附1.xlsx：文件解压后过大（1.2 GB，上限 200 MB），可能是“压缩炸弹”，未读取" in page.content.decode()


def test_a_long_quoted_passage_in_the_provenance_table_is_cut_with_the_whole_in_its_title():
    from django.template.loader import render_to_string

    passage = "权重执行率得分年度总金额" + "维护林业、林区安全稳定，" * 20
    html = render_to_string(
        "evaluations/_provenance.html",
        {"facts": [{"label": "所述预算执行率（%）", "value": "79.27", "place": "第4行", "text": passage}]},
    )
    assert f'title="{passage}"' in html
    cell = html.split(f'title="{passage}">')[1].split("</td>")[0]
    assert cell.startswith(passage[:150]) and len(cell) <= 162 and cell != passage
    short = render_to_string(
        "evaluations/_provenance.html",
        {"facts": [{"label": "全年预算数（万元）", "value": "153", "place": "第330行", "text": "预算安排153万元"}]},
    )
    assert "title=" not in short and ">预算安排153万元</td>" in short
