"""Zip files from outside are read defensively: each member in memory up to a limit, bad members named and skipped,
whole archives refused before anything is decompressed when they are not zips or would expand past the limits."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from jixiao.io.archive import ArchiveRefused, office_expansion_problem, read_members
from jixiao.io.audit.read import UnreadableDocument, read_source


def zipped(*members: tuple[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> BytesIO:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    out.seek(0)
    return out


def gbk_named(name: str, data: bytes) -> BytesIO:
    """A zip as Chinese Windows writes it: the name in GBK, without the UTF-8 flag."""
    raw = name.encode("gbk")
    placeholder = "x" * len(raw)
    content = zipped((placeholder, data)).getvalue().replace(placeholder.encode(), raw)
    return BytesIO(content)


def test_members_are_read_with_their_folders_and_system_files_are_left_out() -> None:
    archive = zipped(
        ("甲一单位/科普活动经费自评报告.txt", "项目名称：科普活动经费".encode()),
        ("__MACOSX/甲一单位/._科普活动经费自评报告.txt", b"\x00"),
        ("甲一单位/Thumbs.db", b"\x00"),
        ("甲一单位/~$自评表.xlsx", b"\x00"),
    )
    (member,) = list(read_members(archive, "报送材料.zip"))
    assert member.name == "甲一单位/科普活动经费自评报告.txt"
    assert member.data == "项目名称：科普活动经费".encode() and member.problem is None


def test_a_gbk_name_from_chinese_windows_is_read_as_written() -> None:
    (member,) = list(read_members(gbk_named("科普经费自评表.txt", b"abc"), "a.zip"))
    assert member.name == "科普经费自评表.txt" and member.data == b"abc"


def test_unsafe_paths_are_named_and_not_read_and_the_others_still_are() -> None:
    archive = zipped(("../上级目录.txt", b"x"), ("/etc/passwd", b"x"), ("C:\\系统.txt", b"x"), ("好文件.txt", b"ok"))
    members = list(read_members(archive, "报送材料.zip"))
    assert [m.name for m in members] == ["../上级目录.txt", "/etc/passwd", "C:\\系统.txt", "好文件.txt"]
    assert (
        members[0].problem
        == "压缩包“报送材料.zip”中的“../上级目录.txt”路径指向压缩包之外（含“..”或绝对路径），不安全，未读取"
    )
    assert all(m.data is None for m in members[:3]) and members[3].data == b"ok"


def test_a_member_that_expands_past_the_limit_is_refused_by_its_declared_size() -> None:
    archive = zipped(("炸弹.txt", b"0" * 3_000_000), ("小.txt", b"ok"))
    bomb, small = read_members(archive, "a.zip", max_member_bytes=1_000_000)
    assert (
        bomb.data is None
        and bomb.problem == "压缩包“a.zip”中的“炸弹.txt”解压后 2.9 MB，超过单个文件的上限 1 MB，未读取"
    )
    assert small.data == b"ok"


def test_a_member_whose_declared_size_lies_is_caught_while_reading() -> None:
    honest = zipped(("谎报.txt", b"A" * 5000), compression=zipfile.ZIP_STORED).getvalue()
    # the central directory and the local header both claim 10 bytes; the data is 5,000
    lying = honest.replace((5000).to_bytes(4, "little"), (10).to_bytes(4, "little"))
    (member,) = list(read_members(BytesIO(lying), "a.zip", max_member_bytes=100))
    assert member.data is None and member.problem == "压缩包“a.zip”中的“谎报.txt”已损坏（解压或校验失败），未读取"


def test_a_damaged_member_is_named_and_the_rest_are_read() -> None:
    good = zipped(("坏.txt", b"B" * 2000), ("好.txt", b"ok"), compression=zipfile.ZIP_STORED).getvalue()
    broken = good.replace(b"B" * 2000, b"C" * 2000)  # the CRC no longer matches
    damaged, fine = read_members(BytesIO(broken), "a.zip")
    assert damaged.problem == "压缩包“a.zip”中的“坏.txt”已损坏（解压或校验失败），未读取"
    assert fine.data == b"ok"


def test_encrypted_links_and_nested_archives_are_named_not_read() -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        link = zipfile.ZipInfo("链接.txt")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("里层.zip", b"PK")
        locked = zipfile.ZipInfo("加密.txt")
        archive.writestr(locked, b"x")
    data = bytearray(out.getvalue())
    # set the encryption flag of 加密.txt in its central directory entry (as a password-protected zip has it)
    name = "加密.txt".encode()
    central = data.rfind(name)
    flags_at = central - 46 + 8
    data[flags_at] |= 0x1
    problems = [m.problem for m in read_members(BytesIO(bytes(data)), "a.zip")]
    assert problems == [
        "压缩包“a.zip”中的“链接.txt”是符号链接，未读取",
        "压缩包“a.zip”中的“里层.zip”是压缩包，压缩包中的压缩包不展开；请解压后放在同一个压缩包中上传",
        "压缩包“a.zip”中的“加密.txt”已加密，无法读取；请去掉密码后重新打包",
    ]


@pytest.mark.parametrize(
    ("content", "limits", "message"),
    [
        (b"not a zip", {}, "“报送.zip”不是有效的 zip 压缩包（或已损坏），无法读取"),
        (
            zipped(*((f"{i}.txt", b"x") for i in range(4))).getvalue(),
            {"max_members": 3},
            "“报送.zip”中有 4 个文件，超过一次上传的上限 3 个，请分批上传",
        ),
        (
            zipped(("a.txt", b"0" * 2_000_000), ("b.txt", b"0" * 2_000_000)).getvalue(),
            {"max_total_bytes": 3_000_000},
            "“报送.zip”解压后共 3.8 MB，超过上限 2.9 MB（可能是“压缩炸弹”），未读取",
        ),
    ],
    ids=["not-a-zip", "too-many-files", "expands-too-far"],
)
def test_a_whole_archive_is_refused_before_anything_is_read(content: bytes, limits: dict, message: str) -> None:
    with pytest.raises(ArchiveRefused) as refused:
        list(read_members(BytesIO(content), "报送.zip", **limits))
    assert str(refused.value) == message


def test_an_office_file_that_would_expand_past_the_limit_is_not_opened(tmp_path: Path) -> None:
    bomb = tmp_path / "自评表.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_STORED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/worksheets/sheet1.xml", b"0" * 4099)
    # the sheet declares 201 MB, as a deflated bomb would (writing a real one costs a second of compression)
    declared = (201 * 1024 * 1024).to_bytes(4, "little")
    bomb.write_bytes(bomb.read_bytes().replace((4099).to_bytes(4, "little"), declared))
    assert office_expansion_problem(bomb) == "文件解压后过大（201 MB，上限 200 MB），可能是“压缩炸弹”，未读取"
    with pytest.raises(UnreadableDocument) as unreadable:
        read_source(bomb)
    assert "文件解压后过大（201 MB" in str(unreadable.value) and "自评表.xlsx" in str(unreadable.value)


def test_a_cell_longer_than_excel_allows_is_cut_to_its_limit(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    book.active["B1"] = "长" * 100_000  # Excel itself stops at 32,767 characters; a crafted file need not
    path = tmp_path / "长单元格.xlsx"
    book.save(path)
    cells = [cell.text for table in read_source(path).tables for row in table.rows for cell in row]
    assert sorted(len(text) for text in cells if text) == [4, 32_767]
