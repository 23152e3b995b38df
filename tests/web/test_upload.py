"""Uploading a 附1 自评表: a good file fills an evaluation; a broken or foreign one is refused, naming file and cell."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from jixiao.io.xlsx.selfeval_write import write_selfeval_table
from jixiao.web.evaluations.models import EvaluationRecord
from tests.conftest import BASE, make, run
from tests.web.conftest import client_for


def selfeval_bytes(tmp_path, unit: str | None = "湛江市科学技术协会", **changes) -> bytes:
    """The shared base evaluation as a 附1, naming ``unit`` as its 实施单位."""
    project = {**BASE["project"], "unit": unit}
    path = write_selfeval_table(run(make(project=project, **changes)), tmp_path / "自评表.xlsx")
    return path.read_bytes()


def foreign_xlsx() -> bytes:
    wb = Workbook()
    wb.active.title = "名单"
    wb.active["A1"] = "姓名"
    wb.active["B1"] = "电话"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_selfeval_table_becomes_a_new_draft_with_its_figures(world, tmp_path):
    client = client_for(world.user("filler", "A1"))
    upload = SimpleUploadedFile("科普自评表.xlsx", selfeval_bytes(tmp_path, unit="甲一单位"))
    response = client.post("/evaluations/upload/", {"file": upload}, follow=True)
    assert "已导入“科普自评表.xlsx”并重新评分" in response.content.decode()
    record = EvaluationRecord.objects.get()
    assert record.unit == world.org("A1")
    assert str(record.budget_wan) == "100.0000" and str(record.computed_score) == "99.80"
    assert record.versions.get().summary == "上传自评表 科普自评表.xlsx"


def test_a_corrupt_file_is_refused_in_chinese_and_nothing_is_created(world):
    client = client_for(world.user("filler", "A1"))
    upload = SimpleUploadedFile("坏文件.xlsx", b"PK\x03\x04 this is not a workbook")
    text = client.post("/evaluations/upload/", {"file": upload}, follow=True).content.decode()
    assert "坏文件.xlsx" in text and "文件已损坏或不是有效的 .xlsx 文件" in text
    assert EvaluationRecord.all_objects.count() == 0


def test_a_workbook_of_another_layout_is_refused_naming_the_sheet_and_cells(world):
    client = client_for(world.user("filler", "A1"))
    upload = SimpleUploadedFile("名单.xlsx", foreign_xlsx())
    text = client.post("/evaluations/upload/", {"file": upload}, follow=True).content.decode()
    assert "名单.xlsx" in text and "不是项目支出绩效自评表" in text and "名单!A1" in text
    assert EvaluationRecord.all_objects.count() == 0


def test_a_bad_amount_cell_leaves_the_existing_evaluation_untouched(world, record_factory, tmp_path):
    record = record_factory("A1")
    funds = [{"source": "current", "annual_budget_wan": 100, "arrivals": [{"amount_wan": 100}], "executed_wan": 98}]
    data = selfeval_bytes(tmp_path, funds=funds)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    sheet = wb.active
    target = next(c for row in sheet.iter_rows() for c in row if c.value == 98)
    target.value = "九十八"
    buffer = io.BytesIO()
    wb.save(buffer)
    client = client_for(world.user("filler", "A1"))
    upload = SimpleUploadedFile("改坏的自评表.xlsx", buffer.getvalue())
    text = client.post(
        "/evaluations/upload/", {"file": upload, "record": record.pk, "revision": record.revision}, follow=True
    ).content.decode()
    assert "改坏的自评表.xlsx" in text and f"!{target.coordinate}" in text
    after = EvaluationRecord.objects.get(pk=record.pk)
    assert (after.revision, after.document, after.versions.count()) == (record.revision, record.document, 1)


def test_only_xlsx_files_are_accepted(world):
    client = client_for(world.user("filler", "A1"))
    upload = SimpleUploadedFile("自评表.xls", b"\xd0\xcf\x11\xe0")
    text = client.post("/evaluations/upload/", {"file": upload}, follow=True).content.decode()
    assert "只能上传 .xlsx 格式的项目支出绩效自评表" in text
    assert EvaluationRecord.all_objects.count() == 0


def test_a_table_naming_no_unit_of_a_many_unit_user_is_refused_not_filed_anywhere(world, tmp_path):
    """A 系统管理员 reaches every unit: a table whose 实施单位 matches none of them is not filed under an arbitrary one."""
    client = client_for(world.sysadmin)
    upload = SimpleUploadedFile("无名单位.xlsx", selfeval_bytes(tmp_path))
    text = client.post("/evaluations/upload/", {"file": upload}, follow=True).content.decode()
    assert "不是您可以填报的单位" in text
    assert EvaluationRecord.all_objects.count() == 0


def test_a_table_naming_another_unit_is_refused_and_the_same_file_is_never_taken_twice(world, tmp_path):
    """Issue 10 §9: the unit the table names is checked, and its SHA-256, as an import checks them."""
    client = client_for(world.user("filler", "A1"))
    other = SimpleUploadedFile("乙一的表.xlsx", selfeval_bytes(tmp_path, unit="乙一单位"))
    text = client.post("/evaluations/upload/", {"file": other}, follow=True).content.decode()
    assert "“乙一的表.xlsx”：自评表中的实施单位“乙一单位”不是您可以填报的单位" in text
    assert EvaluationRecord.all_objects.count() == 0

    data = selfeval_bytes(tmp_path, unit=None)  # names no unit: the uploader's one unit
    client.post("/evaluations/upload/", {"file": SimpleUploadedFile("表.xlsx", data)})
    record = EvaluationRecord.objects.get()
    assert record.unit == world.org("A1") and bytes(record.imported_sources.get().content) == data
    again = client.post("/evaluations/upload/", {"file": SimpleUploadedFile("表-副本.xlsx", data)}, follow=True)
    assert (
        "“表-副本.xlsx”：同一文件已导入为“科普专项经费”（2022 年度，甲一单位），不能重复导入" in again.content.decode()
    )
    assert EvaluationRecord.objects.count() == 1

    # into an existing draft: a table of another unit is refused too
    into = {"file": SimpleUploadedFile("乙一的表.xlsx", selfeval_bytes(tmp_path, unit="乙一单位")), "record": record.pk}
    text = client.post("/evaluations/upload/", {**into, "revision": record.revision}, follow=True).content.decode()
    assert "自评表中的实施单位是“乙一单位”，不是这份评价的单位“甲一单位”，未导入" in text
    assert EvaluationRecord.objects.get().revision == record.revision


def test_an_encrypted_workbook_gets_the_same_words_on_the_upload_and_the_import(world):
    """Issue 10 §10: one vocabulary for one fault, whichever page the file is sent to."""
    from jixiao.io.audit.readers.base import ENCRYPTED, OLE_MAGIC

    # the shape Office gives a password-protected .xlsx: an OLE container holding an EncryptedPackage stream
    locked = OLE_MAGIC + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512
    client = client_for(world.user("filler", "A1"))
    upload = client.post("/evaluations/upload/", {"file": SimpleUploadedFile("加密.xlsx", locked)}, follow=True)
    imported = client.post("/evaluations/import/", {"file": SimpleUploadedFile("加密.xlsx", locked)}, follow=True)
    for page in (upload, imported):
        assert "加密.xlsx" in page.content.decode() and ENCRYPTED in page.content.decode()
    assert ENCRYPTED == "文件已加密（或为旧版格式），无法读取（文件设有密码，请去除密码后再提交）"
