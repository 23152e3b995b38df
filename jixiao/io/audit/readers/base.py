"""What every reader shares: the error it raises and Excel-style cell references."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ...errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_OR_LEGACY = "文件已加密（或为旧版格式），无法读取"
#: the most characters a cell holds: Excel's own limit, and far beyond any cell of a self-evaluation; a crafted file's
#: longer "cell" is cut here, before any reading looks at it
CELL_MAX = 32_767


class UnreadableDocument(InputError):
    """A submitted file that cannot be read; the message is Chinese and names the file."""


def corrupt(path: Path, kind: str) -> UnreadableDocument:
    return UnreadableDocument(f"文件已损坏或不是有效的 {kind} 文件", path)


@cache
def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_letters(width: int) -> list[str]:
    return [column_letter(i) for i in range(width)]
