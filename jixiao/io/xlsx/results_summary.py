"""The 结果应用汇总表 a 财政局 sends with its 决算 and to the 人大: one row per 主管部门 with how many projects were
evaluated, how many at each grade, their 全年预算数 and 全年执行数 with the 预算执行率 of the sums, how far the units'
own scores stood from the 复核, and the 整改事项 closed and still open; a 合计 row last, computed from the rows.

The layout is a printed report's: the title merged across the table, 编制单位 and 「单位：万元」 under it, a header of
two rows (the grades, the 复核 and the 整改 grouped under one heading each), frozen and repeated on every printed
page, borders, A4 landscape fitted to the page width, and a 说明 under the table saying how each figure is computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from ...core.values import ratio_pct
from .cells import NUMBER, bold_row, merge, new_workbook, number, page_setup, put, set_widths, title_row

#: the grade columns: the rule sets' four grades, then the evaluations with nothing scored
SUMMARY_GRADES: tuple[str, ...] = ("优", "良", "中", "差", "未评分")

#: amounts in 万元: thousands separated, 2 places
MONEY = "#,##0.00"

TOTAL_NAME = "合计"


@dataclass(frozen=True)
class SummaryRow:
    """One 主管部门's figures (or the 合计). Amounts in 万元, unrounded; ``gap_sum`` is Σ(自评得分 − 复核得分) over the
    ``gap_count`` evaluations that have both."""

    department: str
    count: int
    grades: dict[str, int] = field(default_factory=dict)
    budget_wan: Decimal = Decimal(0)
    executed_wan: Decimal = Decimal(0)
    reviewed: int = 0
    gap_count: int = 0
    gap_sum: Decimal = Decimal(0)
    closed: int = 0
    unclosed: int = 0

    @property
    def execution_rate(self) -> Decimal | None:
        """Σ全年执行数 ÷ Σ全年预算数 × 100, of this row's sums (never an average of rates)."""
        return ratio_pct(self.executed_wan, self.budget_wan)

    @property
    def mean_gap(self) -> Decimal | None:
        return self.gap_sum / self.gap_count if self.gap_count else None


def total_of(rows: Sequence[SummaryRow]) -> SummaryRow:
    """The 合计 row: every count and sum added up from ``rows``; its rate and mean gap follow from those sums."""
    return SummaryRow(
        department=TOTAL_NAME,
        count=sum(r.count for r in rows),
        grades={g: sum(r.grades.get(g, 0) for r in rows) for g in SUMMARY_GRADES},
        budget_wan=sum((r.budget_wan for r in rows), Decimal(0)),
        executed_wan=sum((r.executed_wan for r in rows), Decimal(0)),
        reviewed=sum(r.reviewed for r in rows),
        gap_count=sum(r.gap_count for r in rows),
        gap_sum=sum((r.gap_sum for r in rows), Decimal(0)),
        closed=sum(r.closed for r in rows),
        unclosed=sum(r.unclosed for r in rows),
    )


#: (top heading, the headings under it); a top heading alone spans both header rows
HEADINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("序号", ()),
    ("主管部门", ()),
    ("项目数（个）", ()),
    ("评价等级（个）", SUMMARY_GRADES),
    ("全年预算数", ()),
    ("全年执行数", ()),
    ("预算执行率（%）", ()),
    ("复核情况", ("已复核（个）", "自评与复核平均差（分）")),
    ("整改事项（项）", ("已销号", "未销号")),
)
WIDTHS = (6, 24, 10, 6, 6, 6, 6, 8, 14, 14, 12, 12, 12, 8, 8)
#: the first row of figures
FIRST = 5

NOTE = (
    "说明：1. 评价等级取财政复核等级，未复核的取系统按评分规则计算的等级；没有可计算内容的评价计为“未评分”。"
    "2. 预算执行率 = 全年执行数合计 ÷ 全年预算数合计 × 100%（按合计数计算，不是各项目执行率的平均）；"
    "全年执行数未填的评价按 0 计入。"
    "3. 自评与复核平均差 = Σ（单位自评得分 − 复核得分）÷ 有自评得分的已复核评价数，正数表示单位自评偏高。"
    "4. 未销号含待整改和已报整改情况、尚待销号的事项。"
)


def write_results_summary(
    rows: Sequence[SummaryRow], total: SummaryRow, *, title: str, year: int, issuer: str, path: Path
) -> Path:
    """Write the 汇总表 of ``rows`` (one per 主管部门) and ``total`` (see :func:`total_of`) to ``path``."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "结果应用汇总表"
    ncols = len(WIDTHS)
    title_row(ws, 1, title, ncols)
    put(ws, 2, 1, f"编制单位：{issuer}　　评价年度：{year}年度", border=False)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols - 3)
    put(ws, 2, ncols - 2, "单位：万元", align="right", border=False)
    ws.merge_cells(start_row=2, start_column=ncols - 2, end_row=2, end_column=ncols)
    _header(ws)
    for r, row in enumerate([*rows, total], FIRST):
        _figures(ws, r, row, None if row is total else r - FIRST + 1)
    last = FIRST + len(rows)
    bold_row(ws, last, ncols)
    put(ws, last + 1, 1, NOTE, size=9, border=False)
    ws.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=ncols)
    set_widths(ws, WIDTHS)
    page_setup(ws, title_rows="3:4", freeze=f"C{FIRST}")
    ws.page_setup.orientation = "landscape"  # a 15-column report table: always across the page
    wb.save(path)
    return path


def _header(ws: Worksheet) -> None:
    col = 1
    for top, under in HEADINGS:
        if not under:
            put(ws, 3, col, top, bold=True, align="center")
            merge(ws, 3, col, 4, col)
            col += 1
            continue
        put(ws, 3, col, top, bold=True, align="center")
        merge(ws, 3, col, 3, col + len(under) - 1)
        for offset, text in enumerate(under):
            put(ws, 4, col + offset, text, bold=True, align="center")
        col += len(under)


def _figures(ws: Worksheet, r: int, row: SummaryRow, position: int | None) -> None:
    put(ws, r, 1, position, align="center")
    put(ws, r, 2, row.department, align="center" if position is None else "left")
    put(ws, r, 3, row.count, align="right")
    for offset, grade in enumerate(SUMMARY_GRADES):
        put(ws, r, 4 + offset, row.grades.get(grade, 0), align="right")
    col = 4 + len(SUMMARY_GRADES)
    put(ws, r, col, number(row.budget_wan), number_format=MONEY, align="right")
    put(ws, r, col + 1, number(row.executed_wan), number_format=MONEY, align="right")
    put(ws, r, col + 2, number(row.execution_rate), number_format=NUMBER, align="right")
    put(ws, r, col + 3, row.reviewed, align="right")
    put(ws, r, col + 4, number(row.mean_gap), number_format=NUMBER, align="right")
    put(ws, r, col + 5, row.closed, align="right")
    put(ws, r, col + 6, row.unclosed, align="right")
