"""Reading back a 部门整体支出绩效自评表 that :mod:`.table_xlsx` wrote (perhaps filled in or corrected by hand in
Excel): the contact, every account figure, and each self-scored item's score and 扣分原因. Computed items are not read:
their score comes from the accounts. Every problem is an :class:`~jixiao.io.errors.InputError` naming the sheet, row
and column; nothing is returned half-read."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from ...core.department.framework import DepartmentFramework, Formulas
from ...core.department.model import ItemEntry
from ...core.values import ValueProblem, to_decimal
from ..errors import InputError
from .table_xlsx import ACCOUNTS_TITLE, BUDGET_TITLE, HEADERS, SHEET_NAME, account_label

#: the most rows the reader looks at: a 自评表 has about forty
MAX_ROWS = 500


@dataclass
class ReadTable:
    framework_name: str
    contact: str = ""
    phone: str = ""
    accounts: dict[str, Decimal] = field(default_factory=dict)
    items: dict[str, ItemEntry] = field(default_factory=dict)


def _text(ws: Worksheet, row: int, col: int) -> str:
    value = ws.cell(row, col).value
    return "" if value is None else str(value).strip()


def _number(ws: Worksheet, row: int, col: int, what: str) -> Decimal | None:
    value = ws.cell(row, col).value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return to_decimal(value, what=what)
    except ValueProblem as err:
        raise InputError(f"工作表“{SHEET_NAME}”第 {row} 行：{err}") from None


#: the most a workbook may unpack to: the table this system writes unpacks to well under 1 MB
MAX_UNPACKED_BYTES = 20 * 1024 * 1024


def read_department_table(path: Path, framework: DepartmentFramework, formulas: Formulas) -> ReadTable:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise InputError("文件不是有效的 xlsx 工作簿") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(f"工作簿解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，不是本系统的自评表")
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise InputError("文件不是有效的 xlsx 工作簿") from None
    if SHEET_NAME not in wb.sheetnames:
        raise InputError(f"不是部门整体支出绩效自评表：找不到工作表“{SHEET_NAME}”")
    ws = wb[SHEET_NAME]
    last = min(ws.max_row, MAX_ROWS)
    labels = {_text(ws, r, c): (r, c) for r in range(1, last + 1) for c in (1, 4)}
    read = ReadTable(framework_name=_text(ws, *_right_of(labels, "指标体系")))
    if read.framework_name != framework.name:
        raise InputError(f"自评表的指标体系为“{read.framework_name or '未填写'}”，本评价为“{framework.name}”，不能导入")
    read.contact = _text(ws, *_right_of(labels, "部门联系人"))
    read.phone = _text(ws, *_right_of(labels, "联系电话"))
    by_label = {account_label(s.name, s.unit): s for s in formulas.inputs}
    start, end = labels.get(ACCOUNTS_TITLE), labels.get(BUDGET_TITLE)
    if start is None or end is None:
        raise InputError(f"工作表“{SHEET_NAME}”中找不到“{ACCOUNTS_TITLE}”或“{BUDGET_TITLE}”一栏")
    for row in range(start[0] + 1, end[0]):
        for col in (1, 4):
            spec = by_label.get(_text(ws, row, col))
            if spec is not None:
                value = _number(ws, row, col + 2, spec.name)
                if value is not None:
                    read.accounts[spec.id] = value
    header = next((r for r in range(1, last + 1) if tuple(_text(ws, r, c) for c in range(1, 8)) == HEADERS), None)
    if header is None:
        raise InputError(f"工作表“{SHEET_NAME}”中找不到指标表的表头（{'、'.join(HEADERS)}）")
    levels = ["", ""]
    for row in range(header + 1, last + 1):
        first = _text(ws, row, 1)
        if first == "合计":
            break
        for i in range(2):
            if _text(ws, row, i + 1):
                levels[i] = _text(ws, row, i + 1)
        path = (*levels, _text(ws, row, 3))
        leaf = framework.node(path)
        if leaf is None or leaf.children:
            raise InputError(f"工作表“{SHEET_NAME}”第 {row} 行：指标“{'/'.join(path)}”不在“{framework.name}”中")
        if leaf.formula:
            continue
        score = _number(ws, row, 6, f"“{path[-1]}”得分")
        reason = _text(ws, row, 7)
        if score is not None and score < 0:
            raise InputError(f"工作表“{SHEET_NAME}”第 {row} 行“{path[-1]}”得分不能小于 0")
        if score is not None and score > leaf.points:
            raise InputError(f"工作表“{SHEET_NAME}”第 {row} 行“{path[-1]}”得分 {score} 超过分值 {leaf.points}")
        if score is not None or reason:
            read.items["/".join(path)] = ItemEntry(score=score, reason=reason)
    return read


def _right_of(labels: dict[str, tuple[int, int]], label: str) -> tuple[int, int]:
    """The cell holding the value of a header label (the merged cell to its right)."""
    if label not in labels:
        raise InputError(f"工作表“{SHEET_NAME}”中找不到“{label}”")
    row, col = labels[label]
    return row, col + (1 if col == 1 else 2)
