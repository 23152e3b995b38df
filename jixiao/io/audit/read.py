"""Read a submitted file (.txt, .docx, .xlsx, .xls, .pdf) into a :class:`SourceText`.

Every failure is an :class:`UnreadableDocument` whose Chinese message names the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...core.audit.source import SourceText
from ..archive import office_expansion_problem
from .readers.base import UnreadableDocument, corrupt
from .readers.docx import read_docx
from .readers.pdf import read_pdf
from .readers.sheets import read_workbook
from .readers.text import read_text

__all__ = ["SUPPORTED_SUFFIXES", "UnreadableDocument", "read_source"]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx", ".xlsx", ".xls", ".pdf")

_HEAD_BYTES = 1024  # PDF allows junk before "%PDF" within the first 1024 bytes

_READERS: dict[str, Callable[[Path, bytes], SourceText]] = {
    ".docx": read_docx,
    ".xlsx": read_workbook,
    ".xls": read_workbook,
    ".pdf": read_pdf,
}

#: formats that are zip packages, checked for their expanded size before a reader opens them
_OFFICE_ZIPS = frozenset({".docx", ".xlsx"})

_SAVE_AS = {
    ".doc": ".docx",
    ".wps": ".docx",
    ".rtf": ".docx",
    ".odt": ".docx",
    ".docm": ".docx",
    ".et": ".xlsx",
    ".ods": ".xlsx",
    ".xlsm": ".xlsx",
    ".csv": ".xlsx",
}


def read_source(path: Path | str) -> SourceText:
    """The file's prose lines and tables with their places; raises :class:`UnreadableDocument`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(_unsupported(suffix), path)
    try:
        if not path.is_file():
            raise UnreadableDocument("文件不存在" if not path.exists() else "不是文件", path)
        with path.open("rb") as stream:
            data = stream.read() if suffix == ".txt" else stream.read(_HEAD_BYTES)
    except OSError as exc:
        raise UnreadableDocument("无法打开文件（权限不足或被占用）", path) from exc
    if not data:
        raise UnreadableDocument("文件为空", path)
    if suffix in _OFFICE_ZIPS and (problem := office_expansion_problem(path)):
        raise UnreadableDocument(problem, path)
    try:
        source = read_text(path, data) if suffix == ".txt" else _READERS[suffix](path, data)
    except UnreadableDocument:
        raise
    except Exception as exc:  # the libraries raise many kinds of error on damaged files
        raise corrupt(path, suffix) from exc
    if source.is_empty:
        raise UnreadableDocument("文件为空：未读到任何文字", path)
    return source


def _unsupported(suffix: str) -> str:
    supported = "、".join(SUPPORTED_SUFFIXES)
    named = f"“{suffix}”" if suffix else "（无扩展名）"
    message = f"不支持的文件类型{named}，支持的类型：{supported}"
    if suffix in _SAVE_AS:
        message += f"；请用 Office 或 WPS 另存为 {_SAVE_AS[suffix]} 后再提交"
    return message
