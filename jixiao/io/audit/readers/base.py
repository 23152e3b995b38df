"""What every reader shares: the error it raises and Excel-style cell references."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ...errors import InputError, damaged_file

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_OR_LEGACY = "文件已加密（或为旧版格式），无法读取"
#: an Office file with a password: the same words on every path that opens one
ENCRYPTED = f"{ENCRYPTED_OR_LEGACY}（文件设有密码，请去除密码后再提交）"
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")


def is_encrypted_ooxml(data: bytes) -> bool:
    """An .xlsx/.docx saved with a password: Office wraps it in an OLE file holding an ``EncryptedPackage``."""
    return data.startswith(OLE_MAGIC) and _ENCRYPTED_OOXML in data


#: the most characters a cell holds: Excel's own limit, and far beyond any cell of a self-evaluation; a crafted file's
#: longer "cell" is cut here, before any reading looks at it
CELL_MAX = 32_767


class UnreadableDocument(InputError):
    """A submitted file that cannot be read; the message is Chinese and names the file."""


def corrupt(path: Path, kind: str) -> UnreadableDocument:
    return UnreadableDocument(damaged_file(kind), path)


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
