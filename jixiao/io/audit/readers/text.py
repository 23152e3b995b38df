"""Plain text: one line per physical line, numbered as an editor shows them."""

from __future__ import annotations

import re
from pathlib import Path

from ....core.audit.source import Place, SourceText
from .base import UnreadableDocument

_NEWLINE = re.compile(r"\r\n|\r|\n")


def decode_text(data: bytes) -> str | None:
    """utf-8 (with or without BOM), utf-16 with a BOM, else gb18030 (GBK files from Chinese Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif b"\x00" in data:
        return None  # binary, or utf-16 without a BOM, which nothing writes by accident
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_text(path: Path, data: bytes) -> SourceText:
    text = decode_text(data)
    if text is None:
        raise UnreadableDocument("不是有效的文本文件（无法按 UTF-8、UTF-16 或 GB18030 解码）", path)
    source = SourceText(file=str(path), format="txt")
    for number, line in enumerate(_NEWLINE.split(text), start=1):
        if line.strip():
            source.add_line(line, Place(line=number))
    return source
