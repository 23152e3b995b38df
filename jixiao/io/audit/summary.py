"""The summary workbook of a batch audit: documents ranked by risk, and every finding on its own row."""

from __future__ import annotations

import os
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ...core.audit.document import AuditedDocument
from ...core.result import Finding, Severity

__all__ = ["ISSUE_COLUMNS", "RANKING_COLUMNS", "rank", "write_atomically", "write_summary_xlsx"]

RANKING_SHEET = "风险排序"
ISSUES_SHEET = "全部问题"

RANKING_COLUMNS: tuple[str, ...] = (
    "序号",
    "文件",
    "类型",
    "年度",
    "项目",
    "单位",
    "预算数(万元)",
    "到位数(万元)",
    "执行数(万元)",
    "所述执行率(%)",
    "自评得分",
    "自评等级",
    "风险分",
    "错误数",
    "警告数",
    "主要问题",
    "无法读取原因",
)
ISSUE_COLUMNS: tuple[str, ...] = ("文件", "编号", "级别", "位置", "说明")

_TWO_PLACES = "0.00"
_DECIMAL_COLUMNS = {"预算数(万元)", "到位数(万元)", "执行数(万元)", "所述执行率(%)", "自评得分"}
_WRAPPED_COLUMNS = {"主要问题", "无法读取原因", "说明"}
_WRAPPED_WIDTH = 60
_MAX_WIDTH = 50
_MIN_WIDTH = 6
_TOP_FINDINGS = 3
_EXCEL_CELL_LIMIT = 32767

Cell = str | int | Decimal | None


def rank(docs: Sequence[AuditedDocument]) -> list[AuditedDocument]:
    """Read documents by risk, highest first (ties keep their order), then the unreadable ones."""
    read = [d for d in docs if d.error is None]
    unread = [d for d in docs if d.error is not None]
    read.sort(key=lambda d: -(d.risk if d.risk is not None else Decimal(-1)))
    return read + unread


def write_summary_xlsx(docs: Sequence[AuditedDocument], path: Path) -> Path:
    """Write the workbook to ``path`` all at once: on any failure ``path`` is left as it was."""
    wb = Workbook()
    ranking = wb.active
    ranking.title = RANKING_SHEET
    issues = wb.create_sheet(ISSUES_SHEET)
    ordered = rank(docs)
    _fill(ranking, RANKING_COLUMNS, [_ranking_row(i, d) for i, d in enumerate(ordered, start=1)])
    _fill(
        issues,
        ISSUE_COLUMNS,
        [[d.file, f.id, f.severity.label, f.location, f.message] for d in ordered for f in d.findings],
    )
    write_atomically(path, lambda tmp: wb.save(tmp))
    return path


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """``write`` a temporary file beside ``path``, then move it into place (a rename within one folder)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _ranking_row(number: int, doc: AuditedDocument) -> list[Cell]:
    ex = doc.extraction

    def fact(name: str) -> Cell:
        return ex.value(name) if ex is not None else None

    errors = sum(f.severity is Severity.ERROR for f in doc.findings)
    warnings = sum(f.severity is Severity.WARNING for f in doc.findings)
    return [
        number,
        doc.file,
        doc.kind.label if ex is not None else None,
        fact("year"),
        fact("project"),
        fact("unit"),
        fact("budget_wan"),
        fact("arrived_wan"),
        fact("spent_wan"),
        fact("execution_rate_pct"),
        fact("self_score"),
        fact("grade"),
        doc.risk,
        errors if doc.error is None else None,
        warnings if doc.error is None else None,
        _main_problems(doc.findings),
        doc.error,
    ]


def _main_problems(findings: Sequence[Finding]) -> str | None:
    top = sorted(findings, key=lambda f: f.severity.rank)[:_TOP_FINDINGS]
    return "\n".join(f"{f.id} {f.message}" for f in top) or None


def _fill(ws: Worksheet, columns: Sequence[str], rows: list[list[Cell]]) -> None:
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [_display_width(c) for c in columns]
    for values in rows:
        ws.append([_clean(v) for v in values])
        for i, value in enumerate(values):
            if value is not None and columns[i] not in _WRAPPED_COLUMNS:
                widths[i] = max(widths[i], _display_width(_shown(value, columns[i])))
    last_row = ws.max_row
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        name = columns[i - 1]
        for (cell,) in ws.iter_rows(min_row=2, max_row=last_row, min_col=i, max_col=i):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # document text beginning with "=" must stay text, never a formula
            elif name in _DECIMAL_COLUMNS and cell.value is not None:
                cell.number_format = _TWO_PLACES
            if name in _WRAPPED_COLUMNS:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = _WRAPPED_WIDTH if column in _WRAPPED_COLUMNS else min(max(widths[i - 1] + 2, _MIN_WIDTH), _MAX_WIDTH)
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"


def _clean(value: Cell) -> Cell:
    """Values as Excel accepts them: text without control characters and no longer than a cell holds;
    numbers in plain notation (openpyxl writes ``str(Decimal)``, which may be ``1E+2``)."""
    if isinstance(value, Decimal):
        return Decimal(f"{value:f}")
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:_EXCEL_CELL_LIMIT]
    return value


def _shown(value: Cell, column: str) -> str:
    if isinstance(value, Decimal) and column in _DECIMAL_COLUMNS:
        return f"{value:.2f}"
    return str(value)


def _display_width(text: str) -> int:
    """Columns a text takes on screen: Chinese characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
