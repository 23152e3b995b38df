"""The 部门整体支出绩效自评表 (xlsx) in the table's layout: 一级/二级/三级指标, 分值, 评分标准, 得分, 扣分原因, with the
header (主管部门, 财政部门, 自评总分, 等级, 联系人) and the 预算执行 figures above it; a second sheet lists the
department's project self-evaluations (the roll-up). Printable: A4, one page wide, header rows repeated."""

from __future__ import annotations

from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from ...core.department.engine import Basis, DepartmentResult, ItemScore
from ...core.department.framework import LEVEL_NAMES
from ...core.values import fmt, fmt_pct
from ..xlsx.cells import (
    AMOUNT,
    NUMBER,
    PLAIN,
    bold_row,
    exact,
    merge,
    new_workbook,
    number,
    page_setup,
    put,
    set_widths,
    title_row,
)

HEADERS = (*LEVEL_NAMES, "分值", "评分标准", "得分", "扣分原因")
_WIDTHS = (12, 12, 16, 7, 40, 8, 40)
SHEET_NAME = "部门整体自评表"
ROLLUP_SHEET = "项目自评汇总"


def table_title(result: DepartmentResult) -> str:
    h = result.evaluation.header
    return f"{h.department} {h.year} 年度部门整体支出绩效自评表"


def deduction_text(item: ItemScore) -> str:
    """What the 扣分原因 column says: the arithmetic for a computed item, the department's words otherwise."""
    if item.basis is Basis.COMPUTED:
        text = item.explanation.formula
        return text + (f"；部门说明：{item.reason}" if item.reason else "")
    if item.basis is Basis.NONE:
        return item.explanation.formula
    return item.reason


def _header_block(ws: Worksheet, result: DepartmentResult, row: int) -> int:
    h = result.evaluation.header
    pairs = (
        ("主管部门", h.department, "财政部门", h.finance or "—"),
        ("部门联系人", h.contact or "—", "联系电话", h.phone or "—"),
        ("自评总分（分）", fmt(result.total.value), "自评等级", result.grade or "—"),
        ("指标体系", result.framework.name, "部门填报总分（分）", fmt(result.evaluation.claimed_total)),
    )
    for a, b, c, d in pairs:
        put(ws, row, 1, a, bold=True)
        put(ws, row, 2, b)
        merge(ws, row, 2, row, 3)
        put(ws, row, 4, c, bold=True)
        merge(ws, row, 4, row, 5)
        put(ws, row, 6, d)
        merge(ws, row, 6, row, 7)
        row += 1
    return row


#: the title of the block of account figures (the reader finds the block by it)
ACCOUNTS_TITLE = "账面数据"
#: the title of the block of ratios
BUDGET_TITLE = "预算执行情况（金额单位：万元）"


def account_label(name: str, unit: str) -> str:
    return f"{name}（{unit}）"


def _accounts_block(ws: Worksheet, result: DepartmentResult, row: int) -> int:
    """Every account figure as entered (unrounded), two to a row: name, figure, name, figure."""
    put(ws, row, 1, ACCOUNTS_TITLE, bold=True, align="center")
    merge(ws, row, 1, row, 7)
    row += 1
    inputs = result.formulas.inputs
    for i in range(0, len(inputs), 2):
        for offset, spec in zip((0, 3), inputs[i : i + 2], strict=False):
            put(ws, row, 1 + offset, account_label(spec.name, spec.unit))
            merge(ws, row, 1 + offset, row, 2 + offset)
            shown = AMOUNT if spec.unit == "万元" else PLAIN  # people are counted, not shown as 46.00
            value = exact(result.evaluation.accounts.get(spec.id))
            put(ws, row, 3 + offset, value, number_format=shown, align="right")
        if len(inputs[i : i + 2]) == 1:
            put(ws, row, 4, "")
            merge(ws, row, 4, row, 6)
        put(ws, row, 7, "")
        row += 1
    return row


def _budget_block(ws: Worksheet, result: DepartmentResult, row: int) -> int:
    put(ws, row, 1, BUDGET_TITLE, bold=True, align="center")
    merge(ws, row, 1, row, 7)
    row += 1
    for ratio in result.headline:
        put(ws, row, 1, ratio.formula.name, bold=True)
        merge(ws, row, 1, row, 2)
        put(ws, row, 3, fmt_pct(ratio.value), align="right")
        put(ws, row, 4, ratio.figure.explanation.formula)
        merge(ws, row, 4, row, 7)
        row += 1
    return row


def _indicator_rows(ws: Worksheet, result: DepartmentResult, row: int) -> int:
    for col, label in enumerate(HEADERS, 1):
        put(ws, row, col, label, bold=True, align="center")
    row += 1
    starts: list[list[int]] = [[], []]  # the rows where each 一级 and 二级 name begins
    previous: tuple[str, ...] = ()
    for item in result.items:
        path = (*item.path, "", "")[:3]
        for level in range(2):
            if previous[: level + 1] != path[: level + 1]:
                starts[level].append(row)
                put(ws, row, level + 1, path[level], align="center")
        put(ws, row, 3, path[2])
        put(ws, row, 4, number(item.points), number_format=NUMBER, align="right")
        put(ws, row, 5, item.node.standard)
        put(ws, row, 6, number(item.used), number_format=NUMBER, align="right")
        put(ws, row, 7, deduction_text(item))
        previous = path
        row += 1
    last = row - 1
    for level in range(2):
        begins = starts[level]
        for i, start in enumerate(begins):
            end = (begins[i + 1] - 1) if i + 1 < len(begins) else last
            merge(ws, start, level + 1, end, level + 1)
    put(ws, row, 1, "合计", bold=True, align="center")
    merge(ws, row, 1, row, 3)
    put(ws, row, 4, number(result.points_total), number_format=NUMBER, align="right")
    put(ws, row, 5, "")
    put(ws, row, 6, number(result.total.value), number_format=NUMBER, align="right")
    put(ws, row, 7, result.total.explanation.formula)
    bold_row(ws, row, 7)
    return row + 1


def _rollup_sheet(ws: Worksheet, result: DepartmentResult) -> None:
    rollup = result.rollup
    headers = ("预算单位", "项目名称", "全年预算数（万元）", "全年执行数（万元）", "预算执行率（%）", "得分", "等级")
    title_row(ws, 1, f"{result.evaluation.header.department} {result.evaluation.header.year} 年度所属项目自评汇总", 7)
    put(ws, 2, 1, f"等级分布：{rollup.distribution()}；{rollup.execution_rate.explanation.formula}", border=False)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=7)
    for col, label in enumerate(headers, 1):
        put(ws, 3, col, label, bold=True, align="center")
    row = 4
    for p in rollup.projects:
        rate = p.spent_wan * 100 / p.budget_wan if p.spent_wan is not None and p.budget_wan else None
        put(ws, row, 1, p.unit)
        put(ws, row, 2, p.project)
        put(ws, row, 3, number(p.budget_wan), number_format=NUMBER, align="right")
        put(ws, row, 4, number(p.spent_wan), number_format=NUMBER, align="right")
        put(ws, row, 5, number(rate), number_format=NUMBER, align="right")
        put(ws, row, 6, number(p.score), number_format=NUMBER, align="right")
        put(ws, row, 7, p.grade or "未评", align="center")
        row += 1
    put(ws, row, 1, "合计", bold=True, align="center")
    merge(ws, row, 1, row, 2)
    put(ws, row, 3, number(rollup.budget_wan), number_format=NUMBER, align="right")
    put(ws, row, 4, number(rollup.spent_wan), number_format=NUMBER, align="right")
    put(ws, row, 5, number(rollup.execution_rate.value), number_format=NUMBER, align="right")
    put(ws, row, 6, "")
    put(ws, row, 7, "")
    bold_row(ws, row, 7)
    set_widths(ws, (18, 28, 12, 12, 11, 8, 7))
    page_setup(ws, title_rows="3:3", freeze="A4")


def write_department_table(result: DepartmentResult, path: Path) -> Path:
    """Write the 自评表 workbook to ``path`` and return it."""
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_NAME
    title_row(ws, 1, table_title(result), 7)
    row = _header_block(ws, result, 2)
    row = _accounts_block(ws, result, row)
    row = _budget_block(ws, result, row)
    header_row = row
    _indicator_rows(ws, result, row)
    set_widths(ws, _WIDTHS)
    page_setup(ws, title_rows=f"{header_row}:{header_row}", freeze=None)
    _rollup_sheet(wb.create_sheet(ROLLUP_SHEET), result)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path
