"""A zip entry that asks for a zip version that does not exist (past 6.3) is a damaged part, on every path: Python's
``zipfile`` refuses the whole archive for it with ``NotImplementedError`` (fuzz finding F11)."""

from __future__ import annotations

import struct
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from jixiao.io.archive import office_expansion_problem, read_members
from jixiao.io.audit.read import UnreadableDocument, read_source
from tests.fuzz import seeds


def _asking_version(data: bytes, version: int, entry: int = 0) -> bytes:
    """``data`` (a zip) whose ``entry``-th central directory entry needs zip version ``version / 10``."""
    out = bytearray(data)
    at = -1
    for _ in range(entry + 1):
        at = out.index(b"PK\x01\x02", at + 1)
    struct.pack_into("<H", out, at + 6, version)
    return bytes(out)


def _zipped(*members: tuple[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def test_an_uploaded_member_asking_for_a_newer_zip_version_is_named_and_the_others_are_read() -> None:
    data = _asking_version(_zipped(("好.txt", b"ok"), ("坏.txt", b"bad"), ("也好.txt", b"fine")), 125, entry=1)
    with pytest.raises(NotImplementedError):
        zipfile.ZipFile(BytesIO(data))
    members = list(read_members(BytesIO(data), "报送材料.zip"))
    assert [(m.name, m.data, m.problem) for m in members] == [
        ("好.txt", b"ok", None),
        ("坏.txt", None, "压缩包“报送材料.zip”中的“坏.txt”已损坏（解压或校验失败），未读取"),
        ("也好.txt", b"fine", None),
    ]


def test_an_archive_on_disk_is_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "报送.zip"
    path.write_bytes(_asking_version(_zipped(("坏.txt", b"bad"), ("好.txt", b"ok")), 255))
    problems = [(m.name, m.problem is None) for m in read_members(path, "报送.zip")]
    assert problems == [("坏.txt", False), ("好.txt", True)]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_an_office_file_asking_for_a_newer_zip_version_is_a_damaged_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"自评{suffix}"
    path.write_bytes(_asking_version(seeds.seed_bytes(suffix), 125))
    assert office_expansion_problem(path) == f"文件已损坏或不是有效的 {suffix} 文件"
    with pytest.raises(UnreadableDocument) as refused:
        read_source(path)
    assert str(refused.value) == f"文件 {path}：文件已损坏或不是有效的 {suffix} 文件"


def test_an_office_file_asking_for_version_two_is_read(tmp_path: Path) -> None:
    path = tmp_path / "自评.docx"
    path.write_bytes(_asking_version(seeds.seed_bytes(".docx"), 20))
    assert office_expansion_problem(path) is None
    assert read_source(path).lines
