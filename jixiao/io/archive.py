"""Zip files, read defensively: the files of an uploaded archive, and the size check before an Office file is opened.

An archive from outside is never extracted to disk. Each member is read into memory up to a limit, so a member
whose path points outside the archive (``../x``, ``/etc/x``, ``C:\\x``) is harmless; it is still refused by name,
because a finance officer should learn that the archive is not what it seems. A zip bomb is caught by its
declared sizes before anything is decompressed (Python's ``zipfile`` never inflates a member beyond its declared
size: more data fails the CRC check). Names written by Chinese Windows without the UTF-8 flag are GBK.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from .errors import damaged_file

MiB = 1024 * 1024

#: what an uploaded archive may hold; the web settings may lower or raise them
MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 20 * MiB
MAX_TOTAL_BYTES = 4096 * MiB

#: what an .xlsx or .docx may expand to before a reader opens it (a self-evaluation is a few MB at most)
OFFICE_MAX_PARTS = 10_000
OFFICE_MAX_BYTES = 200 * MiB

#: members that archiving tools add by themselves: skipped without a word (macOS resource forks, Windows thumbnails,
#: Office's lock files of documents that were open while the archive was made)
_SYSTEM_FOLDERS = frozenset({"__MACOSX"})
_SYSTEM_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_DAMAGED = "已损坏（解压或校验失败），未读取"
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1


class ArchiveRefused(Exception):
    """The archive as a whole cannot be read (not a zip, too many members, too large); the message is Chinese."""


@dataclass(frozen=True, slots=True)
class Member:
    """One file of an archive: its content, or why it was not read (``problem``, Chinese, naming it)."""

    name: str
    data: bytes | None
    problem: str | None = None
    size: int = 0


def megabytes(size: int) -> str:
    """A size for a message: “20 MB”, “2.9 MB”, “4 GB”."""
    value, unit = (size / MiB, "MB") if size < 1024 * MiB else (size / (1024 * MiB), "GB")
    shown = round(value, 1)
    return f"{shown:.0f} {unit}" if shown == int(shown) else f"{shown:.1f} {unit}"


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: names without the UTF-8 flag are GBK (Chinese Windows), which
    ``zipfile`` has decoded as cp437."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def unsafe_path(name: str) -> bool:
    """Whether a member's path leaves the archive: absolute, a drive, or a ``..`` step."""
    path = name.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return True
    return ".." in PurePosixPath(path).parts


def _ignored(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return bool(parts) and (
        any(part in _SYSTEM_FOLDERS for part in parts) or parts[-1] in _SYSTEM_FILES or parts[-1].startswith("~$")
    )


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def read_members(
    stream: IO[bytes] | Path,
    archive: str,
    *,
    max_members: int = MAX_MEMBERS,
    max_member_bytes: int = MAX_MEMBER_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> Iterator[Member]:
    """The files of the zip ``stream`` (called ``archive`` in messages), one at a time so memory stays bounded.

    Raises :class:`ArchiveRefused` before yielding anything when the archive as a whole is unreadable or over a
    limit; a bad member (unsafe path, link, encrypted, too large, damaged, a zip inside the zip) is yielded with
    its ``problem`` and the others are still read.
    """
    refused = f"“{archive}”不是有效的 zip 压缩包（或已损坏），无法读取"
    with ExitStack() as stack:
        try:
            if isinstance(stream, Path):
                stream = stack.enter_context(stream.open("rb"))
            package, damaged = _open_archive(stream)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ArchiveRefused(refused) from exc
        stack.enter_context(package)
        yield from _members(package, damaged, archive, max_members, max_member_bytes, max_total_bytes)


def _members(
    package: zipfile.ZipFile,
    damaged: frozenset[zipfile.ZipInfo],
    archive: str,
    max_members: int,
    max_member_bytes: int,
    max_total_bytes: int,
) -> Iterator[Member]:
    infos = [info for info in package.infolist() if not info.is_dir() and not _ignored(member_name(info))]
    if len(infos) > max_members:
        raise ArchiveRefused(f"“{archive}”中有 {len(infos)} 个文件，超过一次上传的上限 {max_members} 个，请分批上传")
    declared = sum(info.file_size for info in infos)
    if declared > max_total_bytes:
        raise ArchiveRefused(
            f"“{archive}”解压后共 {megabytes(declared)}，超过上限 {megabytes(max_total_bytes)}（可能是“压缩炸弹”），未读取"
        )
    for info in infos:
        yield _member(package, info, archive, max_member_bytes, damaged=info in damaged)


#: the newest zip version there is (6.3), past which ``zipfile`` refuses the whole archive (NotImplementedError)
_NEWEST_ZIP_VERSION = zipfile.MAX_EXTRACT_VERSION
_END_OF_DIRECTORY = b"PK\x05\x06"
_DIRECTORY_ENTRY = struct.Struct("<4s4B4HL2L5H2L")  # as zipfile's structCentralDir


def _open_archive(stream: IO[bytes]) -> tuple[zipfile.ZipFile, frozenset[zipfile.ZipInfo]]:
    """The archive opened, and its members whose directory entry asks for a zip version that does not exist: damaged
    members, to be named as the others are, where ``zipfile`` would refuse the whole archive. Raises what
    ``zipfile`` raises when the archive itself is damaged."""
    try:
        return zipfile.ZipFile(stream), frozenset()
    except NotImplementedError:
        asking = _asking_newer_version(stream)
        if not asking:
            raise
    package = zipfile.ZipFile(_Mended(stream, {at: 20 for at in asking.values()}))
    infos = package.infolist()
    return package, frozenset(infos[index] for index in asking if index < len(infos))


def _asking_newer_version(stream: IO[bytes]) -> dict[int, int]:
    """The directory entries (by their place in the directory) that ask for a zip version past 6.3, each with the
    position of that byte in ``stream``; empty when the directory is not where a plain (not zip64) archive has it."""
    end = stream.seek(0, io.SEEK_END)
    tail_at = max(0, end - 22 - 0xFFFF)  # the end record, and after it a comment of at most 64 KB
    stream.seek(tail_at)
    tail = stream.read()
    record = tail.rfind(_END_OF_DIRECTORY)
    if record < 0 or len(tail) - record < 22:
        return {}
    size = struct.unpack_from("<L", tail, record + 12)[0]
    start = tail_at + record - size
    if start < 0:
        return {}
    stream.seek(start)
    directory = stream.read(size)
    asking: dict[int, int] = {}
    at = index = 0
    while at + _DIRECTORY_ENTRY.size <= len(directory) and directory.startswith(b"PK\x01\x02", at):
        entry = _DIRECTORY_ENTRY.unpack_from(directory, at)
        if entry[3] > _NEWEST_ZIP_VERSION:
            asking[index] = start + at + 6
        at += _DIRECTORY_ENTRY.size + entry[12] + entry[13] + entry[14]
        index += 1
    return asking


class _Mended:
    """``stream`` read as if some of its bytes (position → value) said otherwise; what ``zipfile`` needs of it."""

    def __init__(self, stream: IO[bytes], mended: dict[int, int]) -> None:
        self._stream = stream
        self._mended = mended

    def read(self, size: int = -1) -> bytes:
        at = self._stream.tell()
        data = self._stream.read(size)
        hits = [p for p in self._mended if at <= p < at + len(data)]
        if not hits:
            return data
        out = bytearray(data)
        for p in hits:
            out[p - at] = self._mended[p]
        return bytes(out)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()

    def seekable(self) -> bool:
        return True


def _member(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, archive: str, limit: int, *, damaged: bool = False
) -> Member:
    name = member_name(info)
    where = f"压缩包“{archive}”中的“{name}”"

    def refused(reason: str) -> Member:
        return Member(name, None, f"{where}{reason}", info.file_size)

    if damaged:
        return refused(_DAMAGED)
    if unsafe_path(name):
        return refused("路径指向压缩包之外（含“..”或绝对路径），不安全，未读取")
    if _is_symlink(info):
        return refused("是符号链接，未读取")
    if info.flag_bits & _ENCRYPTED_FLAG:
        return refused("已加密，无法读取；请去掉密码后重新打包")
    if info.file_size > limit:
        return refused(f"解压后 {megabytes(info.file_size)}，超过单个文件的上限 {megabytes(limit)}，未读取")
    if name.lower().endswith((".zip", ".rar", ".7z")):
        return refused("是压缩包，压缩包中的压缩包不展开；请解压后放在同一个压缩包中上传")
    try:
        with package.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return refused(_DAMAGED)
    if len(data) > limit:  # the declared size lied
        return refused(f"解压后超过单个文件的上限 {megabytes(limit)}，未读取")
    return Member(name, data, None, len(data))


def office_expansion_problem(path: Path, *, max_bytes: int = OFFICE_MAX_BYTES) -> str | None:
    """Why an .xlsx/.docx must not be opened (it would expand past ``max_bytes``, by default
    :data:`OFFICE_MAX_BYTES`), or None. A reader whose files are legitimately larger (a 项目清单 of 100,000 projects)
    passes its own limit and gets the same words.

    Not a zip at all is not this function's business: the reader reports that in its own words.
    """
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    except NotImplementedError:  # a part asks for a zip version that does not exist
        return damaged_file(path.suffix.lower())
    if len(infos) > OFFICE_MAX_PARTS:
        return f"文件内部有 {len(infos)} 个部件，超过上限 {OFFICE_MAX_PARTS} 个，不像正常的 Office 文件，未读取"
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        return f"文件解压后过大（{megabytes(declared)}，上限 {megabytes(max_bytes)}），可能是“压缩炸弹”，未读取"
    return None
