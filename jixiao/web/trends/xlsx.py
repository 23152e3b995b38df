"""The dashboard's tables as a workbook, in the house style (``io.xlsx.cells``): one sheet per table, each with a
title naming the scope and years, a line stating the filters and the units, a header row repeated on every printed
page, and the same figures as the page (the sections' rows; every listed unit, where the page shows the first
hundred)."""

from __future__ import annotations

from pathlib import Path

from ...io.xlsx.cells import NUMBER, PERCENT, new_workbook, number, page_setup, percent, put, set_widths, title_row
from .sections import Cell, Column, Section

#: sheet names (at most 31 characters, none of \ / ? * [ ] :)
SHEETS = {
    "grades": "计算等级",
    "review-grades": "复核等级",
    "execution": "预算执行率",
    "scores": "得分各自平均",
    "scores-together": "三项齐全的得分",
    "gaps": "自评偏高的单位",
    "rectifications": "整改销号",
}


def _put_value(ws: object, row: int, col: int, value: Cell, column: Column) -> None:
    if value is None:
        put(ws, row, col, "—", align="center")  # type: ignore[arg-type]
    elif isinstance(value, str):
        put(ws, row, col, value, align="left" if column.kind == "text" and col > 1 else "center")  # type: ignore[arg-type]
    elif column.kind == "score":
        put(ws, row, col, number(value), number_format=NUMBER, align="right")  # type: ignore[arg-type]
    elif column.kind == "pct":
        put(ws, row, col, percent(value), number_format=PERCENT, align="right")  # type: ignore[arg-type]
    else:
        put(ws, row, col, int(value), number_format="0", align="right")  # type: ignore[arg-type]


def write_trends_xlsx(sections: list[Section], heading: str, conditions: str, path: Path) -> Path:
    """``heading`` names the scope and years (「测试市财政局 2020–2024 年度」); ``conditions`` the filters."""
    wb = new_workbook()
    first = True
    for section in sections:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = SHEETS.get(section.key, section.key)[:31]
        ncols = len(section.columns)
        title_row(ws, 1, f"{heading}历年对比：{section.title}", ncols, size=14)
        put(ws, 2, 1, f"{conditions}{section.note}", align="left", border=False)
        if ncols > 1:
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
        for col, column in enumerate(section.columns, 1):
            put(ws, 3, col, column.label, bold=True, align="center")
        for r, row in enumerate(section.rows, 4):
            for col, (column, value) in enumerate(zip(section.columns, row, strict=True), 1):
                _put_value(ws, r, col, value, column)
        if not section.rows:
            put(ws, 4, 1, "没有符合条件的数据。", align="left")
            if ncols > 1:
                ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=ncols)
        set_widths(ws, [c.width for c in section.columns])
        page_setup(ws, title_rows="3:3", freeze="A4")
    wb.save(path)
    return path
