"""Read a submitted file (.txt, .docx, .xlsx, .xls, .pdf) into a :class:`SourceText`.

Every failure is an :class:`UnreadableDocument` whose Chinese message names the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...core.audit.source import SourceText
from ..archive import office_expansion_problem
from .readers.base import ENCRYPTED, OLE_MAGIC, UnreadableDocument, corrupt, is_encrypted_ooxml
from .readers.docx import read_docx
from .readers.pdf import read_pdf
from .readers.sheets import read_workbook
from .readers.text import read_text

__all__ = ["SUPPORTED_SUFFIXES", "UnreadableDocument", "office_refusal", "read_source", "unsupported_type"]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx", ".xlsx", ".xls", ".pdf")

#: a file of 0 bytes, on every path
EMPTY = "文件为空"

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
        raise UnreadableDocument(unsupported_type(suffix), path)
    try:
        if not path.is_file():
            raise UnreadableDocument("文件不存在" if not path.exists() else "不是文件", path)
        with path.open("rb") as stream:
            data = stream.read() if suffix == ".txt" else stream.read(_HEAD_BYTES)
    except OSError as exc:
        raise UnreadableDocument("无法打开文件（权限不足或被占用）", path) from exc
    if not data:
        raise UnreadableDocument(EMPTY, path)
    if suffix in _OFFICE_ZIPS and (problem := office_refusal(path, data)):
        raise UnreadableDocument(problem, path)
    try:
        source = read_text(path, data) if suffix == ".txt" else _READERS[suffix](path, data)
    except UnreadableDocument:
        raise
    except Exception as exc:  # the libraries raise many kinds of error on damaged files
        raise corrupt(path, suffix) from exc
    except BaseException as exc:
        # calamine (Rust) panics on some damaged .xls files, and pyo3 hands the panic to Python as a PanicException,
        # which is not an Exception: it is a damaged file all the same
        if not _is_native_panic(exc):
            raise
        raise corrupt(path, suffix) from exc
    if source.is_empty:
        raise UnreadableDocument("文件为空：未读到任何文字", path)
    return source


def _is_native_panic(exc: BaseException) -> bool:
    """pyo3's ``PanicException``, which cannot be imported by name (its module exists only inside the extension)."""
    kind = type(exc)
    return kind.__name__ == "PanicException" and kind.__module__ == "pyo3_runtime"


def office_refusal(path: Path, head: bytes | None = None, *, expansion: bool = True) -> str | None:
    """Why the .xlsx or .docx at ``path`` is not opened, in the words every path uses for it, or None.

    Refused: a file of 0 bytes, one saved with a password (:data:`ENCRYPTED`), one that is no Office package at all
    (a PDF or a program under an Office name), and, unless ``expansion`` is False (a reader with a limit of its
    own), one that would expand past :data:`~jixiao.io.archive.OFFICE_MAX_BYTES` (a “zip bomb”). An old binary
    Office file under the new name is not refused here: the audit reads it, other paths say what to do. What a
    reader meets further in (a damaged part) is the reader's to say. ``head``: the file's first bytes, if read.
    """
    if head is None:
        try:
            with path.open("rb") as stream:
                head = stream.read(_HEAD_BYTES)
        except OSError:
            return None  # the reader says it in its own words
    if not head:
        return EMPTY
    if head.startswith(OLE_MAGIC):
        return ENCRYPTED if is_encrypted_ooxml(path.read_bytes()) else None
    if not head.startswith(b"PK"):
        return corrupt(path, path.suffix.lower()).reason
    return office_expansion_problem(path) if expansion else None


def unsupported_type(suffix: str) -> str:
    """“不支持的文件类型“.zip”，支持的类型：…”, with how to save the formats that Office or WPS can convert."""
    supported = "、".join(SUPPORTED_SUFFIXES)
    named = f"“{suffix}”" if suffix else "（无扩展名）"
    message = f"不支持的文件类型{named}，支持的类型：{supported}"
    if suffix in _SAVE_AS:
        message += f"；请用 Office 或 WPS 另存为 {_SAVE_AS[suffix]} 后再提交"
    return message
