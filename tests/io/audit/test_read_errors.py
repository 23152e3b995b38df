"""Files that cannot be read: a Chinese message naming the file, never a raw library exception."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docx import Document

from jixiao.io.audit import SUPPORTED_SUFFIXES, UnreadableDocument, read_source
from jixiao.io.errors import InputError

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + os.urandom(1024)


def unreadable(path: Path, message: str) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as caught:
        read_source(path)
    error = caught.value
    assert isinstance(error, InputError)
    assert message in str(error)
    assert str(path) in str(error) and error.path == str(path)
    return error


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (".txt", ".docx", ".xlsx", ".xls", ".pdf")


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_zero_bytes(tmp_path, suffix):
    path = tmp_path / f"空文件{suffix}"
    path.write_bytes(b"")
    unreadable(path, "文件为空")


def test_no_text_at_all(tmp_path):
    blank_txt = tmp_path / "空白.txt"
    blank_txt.write_text(" \n\t\n", encoding="utf-8")
    unreadable(blank_txt, "文件为空")
    blank_docx = tmp_path / "空白.docx"
    doc = Document()
    doc.add_paragraph("   ")
    doc.add_table(rows=2, cols=2)
    doc.save(blank_docx)
    unreadable(blank_docx, "文件为空")


def test_random_bytes_named_xlsx(tmp_path):
    path = tmp_path / "自评表.xlsx"
    path.write_bytes(os.urandom(4096))
    unreadable(path, "文件已损坏或不是有效的 .xlsx 文件")


def test_truncated_zip_named_docx(tmp_path):
    whole = tmp_path / "完整.docx"
    Document().save(whole)
    data = whole.read_bytes()
    path = tmp_path / "自评报告.docx"
    path.write_bytes(data[: len(data) // 2])
    unreadable(path, "文件已损坏或不是有效的 .docx 文件")


def test_workbook_named_docx(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "报告.docx"
    Workbook().save(tmp_path / "x.xlsx")
    path.write_bytes((tmp_path / "x.xlsx").read_bytes())
    unreadable(path, "文件已损坏或不是有效的 .docx 文件")


@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj garbage\n%%EOF", b"this is not a pdf at all" * 10])
def test_garbage_named_pdf(tmp_path, data):
    path = tmp_path / "报告.pdf"
    path.write_bytes(data)
    unreadable(path, "文件已损坏或不是有效的 .pdf 文件")


def test_garbage_named_xls(tmp_path):
    path = tmp_path / "旧表.xls"
    path.write_bytes(b"garbage" * 100)
    unreadable(path, "文件已损坏或不是有效的 .xls 文件")


def test_web_page_named_xls(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>项目</td></tr></table></body></html>", encoding="utf-8")
    unreadable(path, "似为网页格式导出")


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_ole_file_with_ooxml_suffix(tmp_path, suffix):
    path = tmp_path / f"加密{suffix}"
    path.write_bytes(OLE_HEADER)
    unreadable(path, "文件已加密（或为旧版格式），无法读取")


def test_encrypted_ooxml_package(tmp_path):
    path = tmp_path / "有密码.xlsx"
    path.write_bytes(OLE_HEADER + "EncryptedPackage".encode("utf-16-le") + bytes(64))
    unreadable(path, "文件已加密（或为旧版格式），无法读取")


@pytest.mark.parametrize(
    ("name", "hint"), [("报告.doc", "另存为 .docx"), ("报告.wps", "另存为 .docx"), ("表.et", "另存为 .xlsx")]
)
def test_unsupported_suffix(tmp_path, name, hint):
    path = tmp_path / name
    path.write_bytes(b"whatever")
    error = unreadable(path, "不支持的文件类型")
    assert ".txt、.docx、.xlsx、.xls、.pdf" in str(error)
    assert hint in str(error)


def test_no_suffix(tmp_path):
    path = tmp_path / "README"
    path.write_text("x", encoding="utf-8")
    unreadable(path, "不支持的文件类型（无扩展名）")


def test_missing_file_and_directory(tmp_path):
    unreadable(tmp_path / "没有.pdf", "文件不存在")
    folder = tmp_path / "目录.txt"
    folder.mkdir()
    unreadable(folder, "不是文件")
