"""Workbooks (.xlsx, .xls) through calamine: one table per worksheet, cells as ``sheet!A1``."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from ....core.audit.source import Place, SourceCell, SourceTable, SourceText
from .base import (
    CELL_MAX,
    ENCRYPTED,
    ENCRYPTED_OR_LEGACY,
    OLE_MAGIC,
    UnreadableDocument,
    column_letters,
    corrupt,
    is_encrypted_ooxml,
)
from .extent import Extent, xls_oversized, xlsx_oversized


def cell_text(value: object) -> str:
    """A cell's value as the sheet shows it, without float noise: 10.0 → "10", 387664.62 → "387664.62"."""
    if isinstance(value, str):
        return value[:CELL_MAX]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return "" if value is None else str(value)


def read_workbook(path: Path, head: bytes) -> SourceText:
    """``head`` is the file's first bytes; the content, not the suffix, decides how it is opened."""
    suffix = path.suffix.lower()
    notes: list[str] = []
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if is_encrypted_ooxml(data):
            raise UnreadableDocument(ENCRYPTED, path)
        fmt = "xls"
        if suffix != ".xls":
            notes.append(f"文件扩展名为 {suffix}，实为旧版 .xls 格式")
        # calamine builds every sheet of an .xls as it opens it: one sheet too large is the whole file
        if (oversized := xls_oversized(data)) is not None:
            raise UnreadableDocument(oversized.problem(), path)
    else:
        data = None
        fmt = "xlsx"
        if suffix == ".xls":
            notes.append("文件扩展名为 .xls，实为 .xlsx 格式")
    refused: list[Extent] = []
    try:
        if data is not None:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        else:
            workbook, refused = _open(path, head)
        source = SourceText(file=str(path), format=fmt, notes=notes)
        hidden: list[str] = []
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            rows = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            source.add_table(_table(meta.name, rows))
            if meta.visible != SheetVisibleEnum.Visible:
                hidden.append(meta.name)
        if hidden:
            notes.append(f"含隐藏工作表：{'、'.join(hidden)}（已一并读取）")
        notes.extend(extent.problem() for extent in refused)
    except PasswordError as exc:
        raise UnreadableDocument("文件已加密，无法读取", path) from exc
    except CalamineError as exc:
        if fmt == "xls" and suffix != ".xls":
            raise UnreadableDocument(ENCRYPTED_OR_LEGACY, path) from exc
        if suffix == ".xls" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise UnreadableDocument(
                "文件不是有效的 .xls 文件（似为网页格式导出），请用 Excel 或 WPS 打开后另存为 .xlsx", path
            ) from exc
        raise corrupt(path, suffix) from exc
    if refused and source.is_empty:
        raise UnreadableDocument(refused[0].problem(), path)
    return source


def _open(path: Path, head: bytes) -> tuple[CalamineWorkbook, list[Extent]]:
    """The .xlsx opened, with its sheets that are too large (:mod:`.extent`) left empty, and those sheets."""
    if not head.startswith(b"PK"):
        raise CalamineError("not a zip")
    try:
        with zipfile.ZipFile(path) as package:
            oversized = dict(xlsx_oversized(package))
            if oversized:
                return CalamineWorkbook.from_filelike(io.BytesIO(_emptied(package, oversized))), [*oversized.values()]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        pass  # calamine says what is wrong with it
    # from_path picks the parser by suffix, so a .xls that is really .xlsx goes through bytes
    if path.suffix.lower() == ".xlsx":
        return CalamineWorkbook.from_path(str(path)), []
    return CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes())), []


_EMPTY_SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'


def _emptied(package: zipfile.ZipFile, parts: dict[str, Extent]) -> bytes:
    """The package again, with ``parts`` (worksheets) emptied."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in package.infolist():
            if info.filename in parts:
                copy.writestr(info.filename, _EMPTY_SHEET)
                continue
            try:
                content = package.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError):
                continue  # a damaged part is left out, and calamine says so if it needs it
            copy.writestr(info.filename, content)
    return out.getvalue()


_EMPTY = SourceCell("", Place())  # empty cells are never cited, so they share one placeless cell


def _table(name: str, values: list[list[object]]) -> SourceTable:
    texts = [
        None if row.count("") == len(row) else [v if v.__class__ is str else cell_text(v) for v in row]
        for row in values
    ]
    # trim trailing empty rows and columns (calamine's range can reach formatted but empty cells)
    while texts and not (texts[-1] and any(texts[-1])):
        texts.pop()
    width = max((_used_width(row) for row in texts if row), default=0)
    heads = [f"{name}!{letter}" for letter in column_letters(width)]
    blank = (_EMPTY,) * width  # empty rows (between a sheet's parts) share one tuple
    rows = []
    for r, row in enumerate(texts, start=1):
        if row is None:
            rows.append(blank)
            continue
        number = str(r)
        if len(row) < width:
            row += [""] * (width - len(row))
        rows.append(
            tuple(
                [
                    SourceCell(text, Place(None, None, head + number)) if text else _EMPTY
                    for head, text in zip(heads, row, strict=False)
                ]
            )
        )
    return SourceTable(tuple(rows), name=name)


def _used_width(row: list[str]) -> int:
    for i in range(len(row) - 1, -1, -1):
        if row[i]:
            return i + 1
    return 0
