"""佐证材料 files: what a file is (from its content, never its name), where it is kept, and how it is given out.

Accepted: PDF, images (JPEG, PNG, GIF, TIFF, BMP, WebP), Office files (docx/xlsx/pptx, and the older doc/xls/ppt),
OFD (the national e-document format many 财政 and 税务 systems export) and WPS files, each at most
:data:`MAX_BYTES`. Anything else (an executable renamed .pdf, a script, an archive) is refused with a Chinese
message naming the file. The few signatures are checked here rather than through libmagic: the Office and OFD
formats are zip files told apart only by their members, which a first-bytes sniffer cannot see.

Files are kept by their SHA-256 under ``media/evidence/`` in the data folder: not a static folder, so nothing is
reachable without the view that checks who may see the evaluation. A file is written under a temporary name and
renamed into place, so a reader never sees half a file; the same content is stored once.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

#: the largest evidence file (20 MB)
MAX_BYTES = 20 * 1024 * 1024
MAX_LABEL = "20 MB"
#: how much of a file is read to tell what it is
HEAD_BYTES = 1024


class EvidenceRefused(ValueError):
    """An upload that cannot be kept; the message is Chinese and names the file."""


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str  # shown to people: 「PDF」「图片（PNG）」「Word 文档」…
    media_type: str  # sent back on download
    extension: str  # the download's file name ends with it


PDF = Sniffed("PDF", "application/pdf", ".pdf")
WEBP = Sniffed("图片（WebP）", "image/webp", ".webp")  # RIFF….WEBP: told by bytes 8–12, not a prefix
_MAGIC: tuple[tuple[bytes, Sniffed], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", Sniffed("图片（PNG）", "image/png", ".png")),
    (b"\xff\xd8\xff", Sniffed("图片（JPEG）", "image/jpeg", ".jpg")),
    (b"GIF87a", Sniffed("图片（GIF）", "image/gif", ".gif")),
    (b"GIF89a", Sniffed("图片（GIF）", "image/gif", ".gif")),
    (b"II*\x00", Sniffed("图片（TIFF）", "image/tiff", ".tif")),
    (b"MM\x00*", Sniffed("图片（TIFF）", "image/tiff", ".tif")),
    (b"BM", Sniffed("图片（BMP）", "image/bmp", ".bmp")),
)
#: the compound-document (OLE2) signature of doc, xls, ppt and the WPS formats
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_KINDS = {
    ".doc": Sniffed("Word 文档（97-2003）", "application/msword", ".doc"),
    ".wps": Sniffed("WPS 文字文档", "application/vnd.ms-works", ".wps"),
    ".xls": Sniffed("Excel 工作簿（97-2003）", "application/vnd.ms-excel", ".xls"),
    ".et": Sniffed("WPS 表格", "application/vnd.ms-excel", ".et"),
    ".ppt": Sniffed("PowerPoint 演示文稿（97-2003）", "application/vnd.ms-powerpoint", ".ppt"),
}
_OLE2_DEFAULT = Sniffed("Office 文档（97-2003）", "application/x-ole-storage", ".doc")
#: zip-based formats, by a member only they have
_ZIP_KINDS: tuple[tuple[str, Sniffed], ...] = (
    (
        "word/document.xml",
        Sniffed("Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    ),
    (
        "xl/workbook.xml",
        Sniffed("Excel 工作簿", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    ),
    (
        "ppt/presentation.xml",
        Sniffed(
            "PowerPoint 演示文稿", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"
        ),
    ),
    ("OFD.xml", Sniffed("OFD 版式文件", "application/ofd", ".ofd")),
)
ACCEPTED_LABEL = "PDF、图片（JPG/PNG/GIF/TIFF/BMP/WebP）、Word、Excel、PowerPoint、WPS 或 OFD 文件"
_NAMED = {
    b"MZ": "Windows 可执行程序",
    b"\x7fELF": "可执行程序",
    b"#!": "脚本",
    b"\xca\xfe\xba\xbe": "可执行程序",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
    b"<": "网页或 XML 文本",
}


def sniff(head: bytes, file: IO[bytes], name: str) -> Sniffed | None:
    """What the content is, from its first bytes (and, for a zip, its members); None when it is none of the
    accepted kinds."""
    for magic, sniffed in _MAGIC:
        if head.startswith(magic):
            return sniffed
    if b"%PDF-" in head[:HEAD_BYTES] and not any(head.startswith(m) for m in _NAMED if m != b"<"):
        return PDF  # the PDF standard allows bytes before its header (within the first 1 KB)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(_OLE2):
        return _OLE2_KINDS.get(Path(name).suffix.lower(), _OLE2_DEFAULT)
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        for member, sniffed in _ZIP_KINDS:
            if member in names:
                return sniffed
    return None


def _what_it_is(head: bytes) -> str:
    for magic, label in _NAMED.items():
        if head.lstrip()[: len(magic)] == magic if magic == b"<" else head.startswith(magic):
            return f"，其内容是{label}"
    if head.startswith(b"PK\x03\x04"):
        return "，其内容是压缩包"
    return ""


@dataclass(frozen=True, slots=True)
class Stored:
    sniffed: Sniffed
    sha256: str
    size: int


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "evidence"


def path_of(sha256: str) -> Path:
    return root() / sha256[:2] / sha256


def store(file: IO[bytes], name: str, size: int) -> Stored:
    """Check and keep an uploaded file; raises :class:`EvidenceRefused` (nothing kept) when it cannot be."""
    if size > MAX_BYTES:
        raise EvidenceRefused(f"文件“{name}”大小为 {size / 1024 / 1024:.1f} MB，超过 {MAX_LABEL} 的上限，未保存")
    if size == 0:
        raise EvidenceRefused(f"文件“{name}”是空文件，未保存")
    file.seek(0)
    head = file.read(HEAD_BYTES)
    sniffed = sniff(head, file, name)
    if sniffed is None:
        raise EvidenceRefused(
            f"文件“{name}”不是可接受的佐证材料{_what_it_is(head)}；请上传 {ACCEPTED_LABEL}（按文件内容判断，不看扩展名）"
        )
    digest = hashlib.sha256()
    file.seek(0)
    read = 0
    while chunk := file.read(1024 * 1024):
        read += len(chunk)
        if read > MAX_BYTES:
            raise EvidenceRefused(f"文件“{name}”超过 {MAX_LABEL} 的上限，未保存")
        digest.update(chunk)
    sha = digest.hexdigest()
    target = path_of(sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{sha}.{os.getpid()}.part")
        file.seek(0)
        with open(partial, "wb") as out:
            while chunk := file.read(1024 * 1024):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    return Stored(sniffed, sha, read)


def _extensions() -> dict[str, str]:
    kinds = [sniffed for _, sniffed in _MAGIC] + [WEBP, *_OLE2_KINDS.values()] + [sniffed for _, sniffed in _ZIP_KINDS]
    return {sniffed.media_type: sniffed.extension for sniffed in reversed(kinds)}


_EXTENSIONS = _extensions()
_SAME = {(".jpeg", ".jpg"), (".tiff", ".tif"), (".wps", ".doc"), (".et", ".xls")}


def download_name(file_name: str, media_type: str) -> str:
    """The file's own name, with the extension of what it really is (a JPEG named .pdf downloads as .jpg)."""
    stem, suffix = os.path.splitext(file_name)
    extension = _EXTENSIONS.get(media_type)
    if extension is None or suffix.lower() == extension or (suffix.lower(), extension) in _SAME:
        return file_name
    return stem + extension
