"""The progress board as a workbook, in the house style (``io.xlsx.cells``): one row per 主管部门 or unit, the
counts per status, the shares, overdue, and the mean scores, with the total row last."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl.utils import get_column_letter

from ...io.xlsx.cells import NUMBER, bold_row, new_workbook, number, page_setup, put, title_row
from ..evaluations.choices import Status
from .board import BoardRow
from .models import Task


def write_board_xlsx(task: Task, rows: list[BoardRow], total: BoardRow, by: str, path: Path, as_of: dt.date) -> Path:
    wb = new_workbook()
    ws = wb.active
    ws.title = "填报进度"
    statuses = list(Status)
    headers = [
        "主管部门" if by == "department" else "预算单位",
        "项目数",
        *(s.label for s in statuses),
        "已提交（%）",
        "已审核通过（%）",
        "逾期未报",
        "平均自评得分",
        "平均计算得分",
    ]
    ncols = len(headers)
    title = f"{task.name}：填报进度（{as_of:%Y年%m月%d日}，单位填报截止日期 {task.unit_deadline:%Y年%m月%d日}）"
    title_row(ws, 1, title, ncols)
    for col, text in enumerate(headers, 1):
        put(ws, 2, col, text, bold=True, align="center")
    for r, row in enumerate([*rows, total], 3):
        counts = [row.total, *(row.by_status.get(s.value, 0) for s in statuses)]
        put(ws, r, 1, row.name)
        for col, count in enumerate(counts, 2):
            put(ws, r, col, count, align="right")
        figures = [row.submitted_pct, row.approved_pct]
        for col, figure in enumerate(figures, 2 + len(counts)):
            put(ws, r, col, number(figure), number_format=NUMBER, align="right")
        put(ws, r, ncols - 2, row.overdue, align="right")
        put(ws, r, ncols - 1, number(row.mean_claimed), number_format=NUMBER, align="right")
        put(ws, r, ncols, number(row.mean_computed), number_format=NUMBER, align="right")
    bold_row(ws, 3 + len(rows), ncols)
    ws.column_dimensions["A"].width = 30
    for col in range(2, ncols + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11
    page_setup(ws, title_rows="2:2", freeze="B3")
    wb.save(path)
    return path
