"""Write the 附1 项目支出绩效自评表 of one evaluation in the official layout (see :mod:`.selfeval_layout`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from ...core.model import Evaluation, GoalKind, Indicator
from ...core.result import EvaluationResult
from ...core.values import ratio_pct
from .cells import AMOUNT, PERCENT, PLAIN, exact, merge, number, page_setup, percent, put, set_widths, title_row
from .selfeval_layout import (
    COL_ACTUAL,
    COL_POINTS,
    COL_REASON,
    COL_SCORE,
    COL_TARGET,
    FUND_BUDGET,
    FUND_EXECUTED,
    FUND_INITIAL,
    FUND_POINTS,
    FUND_RATE,
    FUND_ROW_LABELS,
    FUND_SCORE,
    LEVEL_COLS,
    META_FRAMEWORK,
    META_RULES,
    NCOLS,
    SHEET,
    TITLE,
)


def write_selfeval_table(result: EvaluationResult, path: Path | str) -> Path:
    """The national 附1 项目支出绩效自评表 for one evaluation, in the official layout."""
    path = Path(path)
    e = result.evaluation
    depth = max((len(p) for p, _ in e.nodes()), default=3)
    if depth > len(LEVEL_COLS):
        raise ValueError(f"附1 项目支出绩效自评表最多容纳四级指标，该指标体系有 {depth} 级")

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    title_row(ws, 1, TITLE, NCOLS, size=18)
    title_row(ws, 2, f"（{e.project.year}年度）", NCOLS, size=12, bold=False)

    _label(ws, 3, 1, 3, 2, "项目名称")
    _value(ws, 3, 3, 3, 10, e.project.name)
    _label(ws, 4, 1, 4, 2, "主管部门")
    _value(ws, 4, 3, 4, 5, e.project.department)
    _label(ws, 4, 6, 4, 7, "实施单位")
    _value(ws, 4, 8, 4, 10, e.project.unit)

    row = _write_funds(ws, result, 5)
    row = _write_goals(ws, e, row + 1)
    row = _write_indicators(ws, result, depth, row + 1)

    set_widths(ws, (5, 11, 12, 18, 14, 14, 14, 8, 10, 26))
    page_setup(ws, title_rows=None, freeze=None, landscape=False)
    wb.properties.title = f"{e.project.name}（{e.project.year}年度）{TITLE}"
    wb.properties.creator = "jixiao"
    wb.custom_doc_props.append(StringProperty(name=META_FRAMEWORK, value=e.framework))
    wb.custom_doc_props.append(StringProperty(name=META_RULES, value=e.rules))
    wb.save(path)
    return path


def _label(ws: Worksheet, r1: int, c1: int, r2: int, c2: int, text: str, *, vertical: bool = False) -> None:
    cell = put(ws, r1, c1, text, bold=True, align="center")
    if vertical:
        cell.alignment = Alignment(horizontal="center", vertical="center", text_rotation=255, wrap_text=True)
    merge(ws, r1, c1, r2, c2)


def _value(ws: Worksheet, r1: int, c1: int, r2: int, c2: int, value: object, **style: Any) -> None:
    put(ws, r1, c1, value, **style)
    merge(ws, r1, c1, r2, c2)


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _write_funds(ws: Worksheet, result: EvaluationResult, top: int) -> int:
    """The 项目资金 block; returns its last row."""
    e, f = result.evaluation, result.funds
    _label(ws, top, 1, top + 4, 2, "项目资金\n（万元）")
    merge(ws, top, 3, top, 4)
    for col, text in zip(
        range(FUND_INITIAL, FUND_SCORE + 1),
        ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
        strict=True,
    ):
        put(ws, top, col, text, bold=True, align="center")

    spent = f.spent_wan
    budget = f.budget_wan if e.funds else None
    # 附1 defines 执行率 as 全年执行数 ÷ 全年预算数 whatever the rule set's basis for scoring
    rate = ratio_pct(spent, budget) if spent is not None and budget else None
    points = result.execution_points or None
    score = result.execution_score.value if result.execution_score is not None else None
    r = top + 1
    _label(ws, r, 3, r, 4, "年度资金总额")
    put(ws, r, FUND_INITIAL, exact(f.initial_budget_wan), number_format=AMOUNT, align="right")
    put(ws, r, FUND_BUDGET, exact(budget), number_format=AMOUNT, align="right")
    put(ws, r, FUND_EXECUTED, exact(spent), number_format=AMOUNT, align="right")
    put(ws, r, FUND_POINTS, exact(points) if points else "—", number_format=PLAIN, align="center")
    put(ws, r, FUND_RATE, percent(rate), number_format=PERCENT, align="right")
    put(ws, r, FUND_SCORE, number(score) if points else "—", number_format="0.00", align="center")

    for source, label in FUND_ROW_LABELS.items():
        r += 1
        rows = [x for x in e.funds if x.source is source]
        initial = _sum([x.initial_budget_wan for x in rows])
        annual = _sum([x.annual_budget_wan for x in rows])
        executed = _sum([x.executed_wan for x in rows])
        _label(ws, r, 3, r, 4, label)
        put(ws, r, FUND_INITIAL, exact(initial), number_format=AMOUNT, align="right")
        put(ws, r, FUND_BUDGET, exact(annual), number_format=AMOUNT, align="right")
        put(ws, r, FUND_EXECUTED, exact(executed), number_format=AMOUNT, align="right")
        put(ws, r, FUND_POINTS, "—", align="center")
        row_rate = ratio_pct(executed, annual) if executed is not None and annual else None
        put(ws, r, FUND_RATE, percent(row_rate), number_format=PERCENT, align="right")
        put(ws, r, FUND_SCORE, "—", align="center")
    return r


def _write_goals(ws: Worksheet, e: Evaluation, top: int) -> int:
    goals = [g for g in e.goals if g.kind is GoalKind.OVERALL] or [None]
    last = top + len(goals)
    _label(ws, top, 1, last, 1, "年度总体目标", vertical=True)
    _label(ws, top, 2, top, 6, "预期目标")
    _label(ws, top, 7, top, 10, "实际完成情况")
    for r, goal in enumerate(goals, start=top + 1):
        _value(ws, r, 2, r, 6, goal.expected if goal else None)
        _value(ws, r, 7, r, 10, goal.actual if goal else None)
    return last


def _points_text(points: Decimal) -> str:
    return format(points.normalize(), "f")


def _write_indicators(ws: Worksheet, result: EvaluationResult, depth: int, top: int) -> int:
    e = result.evaluation
    put(ws, top, 2, "一级指标", bold=True, align="center")
    put(ws, top, 3, "二级指标", bold=True, align="center")
    if depth == 4:
        put(ws, top, 4, "三级指标", bold=True, align="center")
        put(ws, top, 5, "四级指标", bold=True, align="center")
    else:
        _label(ws, top, 4, top, 5, "三级指标")
    for col, text in zip(
        range(COL_TARGET, COL_REASON + 1),
        ("年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
        strict=True,
    ):
        put(ws, top, col, text, bold=True, align="center")

    row = top

    def place(node: Indicator, level: int) -> tuple[int, int]:
        nonlocal row
        col = LEVEL_COLS[level - 1]
        if node.is_leaf:
            row += 1
            _value(ws, row, col, row, LEVEL_COLS[-1], node.name)
            for c in LEVEL_COLS[: level - 1]:
                put(ws, row, c)  # borders under the parents' merged cells
            put(ws, row, COL_TARGET, node.target, align="center")
            put(ws, row, COL_ACTUAL, node.actual, align="center")
            put(ws, row, COL_POINTS, exact(node.points), number_format=PLAIN, align="center")
            put(ws, row, COL_SCORE, exact(node.claimed_score), number_format=PLAIN, align="center")
            put(ws, row, COL_REASON, node.deviation_reason)
            return row, row
        spans = [place(child, level + 1) for child in node.children]
        first, last = spans[0][0], spans[-1][1]
        name = node.name if node.points is None else f"{node.name}（{_points_text(node.points)}分）"
        put(ws, first, col, name, align="center")
        merge(ws, first, col, last, col)
        return first, last

    for root in e.indicators:
        place(root, 1)
    if row == top:  # no indicators: one empty row keeps the official shape
        row += 1
        for c in (2, 3, 6, 7, 8, 9, 10):
            put(ws, row, c)
        merge(ws, row, 4, row, 5)
    _label(ws, top, 1, row, 1, "绩效指标", vertical=True)

    row += 1
    _label(ws, row, 1, row, COL_ACTUAL, "总分")
    leaf_points = _sum([leaf.points for _, leaf in e.leaves()])
    total_points = (leaf_points or Decimal(0)) + result.execution_points
    put(ws, row, COL_POINTS, exact(total_points), number_format=PLAIN, align="center")
    put(ws, row, COL_SCORE, exact(e.claims.total_score), number_format=PLAIN, align="center")
    put(ws, row, COL_REASON, None)
    return row
