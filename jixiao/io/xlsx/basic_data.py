"""The 自评基础数据表: project, funds (computed beside stated), allocations, goals, outputs and surveys, one sheet
each."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from ...core.model import Evaluation, GoalKind
from ...core.result import EvaluationResult
from ...core.rules import EXECUTION_BASIS_LABELS
from ...core.values import fmt
from .cells import (
    AMOUNT,
    PERCENT,
    PLAIN,
    _diff,
    bold_row,
    exact,
    header_cells,
    merge,
    new_workbook,
    page_setup,
    percent,
    put,
    set_widths,
    sheet_title,
    title_row,
)

GOAL_KIND_LABELS = {GoalKind.OVERALL: "总体目标", GoalKind.PHASE: "阶段性目标"}


def write_basic_data_xlsx(result: EvaluationResult, path: Path | str) -> Path:
    """自评基础数据表: project, funds (computed beside stated), allocations, goals, outputs, surveys."""
    path = Path(path)
    wb = new_workbook()
    _project_sheet(wb.active, result)
    _funds_sheet(wb.create_sheet(), result)
    _allocations_sheet(wb.create_sheet(), result.evaluation)
    _goals_sheet(wb.create_sheet(), result.evaluation)
    _outputs_sheet(wb.create_sheet(), result.evaluation)
    _surveys_sheet(wb.create_sheet(), result.evaluation)
    wb.properties.title = sheet_title(result.evaluation, "自评基础数据表")
    wb.properties.creator = "jixiao"
    wb.save(path)
    return path


def _simple_table(
    ws: Worksheet,
    evaluation: Evaluation,
    name: str,
    headers: Sequence[str],
    widths: Sequence[float],
    rows: Sequence[Sequence[tuple[object, str | None]]],
    note: str | None = None,
) -> int:
    """Title, optional note, one header row at row 3 and the rows; returns the last row written.
    The caller finishes the sheet with :func:`_finish` once it has written anything below."""
    ws.title = name
    ncols = len(headers)
    title_row(ws, 1, sheet_title(evaluation, name), ncols, size=14)
    put(ws, 2, 1, note or "金额单位：万元", border=False, size=9, align="right")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    header_cells(ws, 3, headers)
    row = 3
    for values in rows:
        row += 1
        for col, (value, number_format) in enumerate(values, start=1):
            align = "right" if isinstance(value, (int, float)) else "left"
            put(ws, row, col, value, number_format=number_format, align=align)
    if not rows:
        row += 1
        put(ws, row, 1, "无", align="center")
        merge(ws, row, 1, row, ncols)
    set_widths(ws, widths)
    return row


def _project_sheet(ws: Worksheet, result: EvaluationResult) -> None:
    e, p = result.evaluation, result.evaluation.project
    ws.title = "项目基本信息"
    title_row(ws, 1, sheet_title(e, "项目基本信息"), 3, size=14)
    header_cells(ws, 3, ("项目", "内容"))
    merge(ws, 3, 2, 3, 3)
    items: list[tuple[str, object, str | None]] = [
        ("项目名称", p.name, None),
        ("评价年度", p.year, "0"),
        ("主管部门", p.department, None),
        ("实施单位", p.unit, None),
        ("项目背景", p.background, None),
        ("主要内容", "\n".join(f"{i}. {item}" for i, item in enumerate(p.content_items, 1)) or None, None),
        ("实施情况", p.implementation, None),
        ("预期投入（万元）", exact(p.expected_input_wan), AMOUNT),
        ("预期投入资金来源", p.expected_input_source, None),
        ("指标体系", result.framework.name, None),
        ("指标体系分值来源", e.framework_note or result.framework.points_note, None),
        ("评分规则", result.rules.name, None),
    ]
    row = 3
    for label, value, number_format in items:
        row += 1
        put(ws, row, 1, label, bold=True)
        put(ws, row, 2, value, number_format=number_format, align="left")
        merge(ws, row, 2, row, 3)
    row += 2
    put(ws, row, 1, "实施依据", bold=True, border=False)
    row += 1
    header_cells(ws, row, ("序号", "文件名称", "文号"))
    for i, doc in enumerate(p.basis, 1):
        row += 1
        put(ws, row, 1, i, align="center")
        put(ws, row, 2, doc.title)
        put(ws, row, 3, doc.number)
    if not p.basis:
        row += 1
        put(ws, row, 1, "无", align="center")
        merge(ws, row, 1, row, 3)
    set_widths(ws, (16, 60, 24))
    page_setup(ws, title_rows="3:3", freeze="A4")


def _funds_sheet(ws: Worksheet, result: EvaluationResult) -> None:
    e, f = result.evaluation, result.funds
    rows: list[list[tuple[object, str | None]]] = []
    for fund in e.funds:
        dates = "；".join(
            (a.date.isoformat() if a.date else "日期未填")
            + (f"（{fmt(a.amount_wan)}万元）" if len(fund.arrivals) > 1 else "")
            for a in fund.arrivals
        )
        rows.append(
            [
                (fund.source.label, None),
                (fund.detail, None),
                (exact(fund.initial_budget_wan), AMOUNT),
                (exact(fund.annual_budget_wan), AMOUNT),
                (exact(fund.arrived_wan), AMOUNT),
                (dates or None, None),
                (exact(fund.executed_wan), AMOUNT),
                (fund.explanation, None),
            ]
        )
    rows.append(
        [
            ("合计", None),
            (None, None),
            (exact(f.initial_budget_wan), AMOUNT),
            (exact(f.budget_wan), AMOUNT),
            (exact(f.arrived_wan), AMOUNT),
            (None, None),
            (exact(f.spent_wan), AMOUNT),
            (None, None),
        ]
    )
    headers = (
        "资金来源",
        "来源说明",
        "年初预算数\n（万元）",
        "全年预算数\n（万元）",
        "实际到位数\n（万元）",
        "到位日期",
        "全年执行数\n（万元）",
        "差异说明",
    )
    row = _simple_table(ws, e, "资金情况", headers, (16, 18, 14, 14, 14, 24, 14, 40), rows)
    bold_row(ws, row, 8)

    # the rates: what jixiao computes beside what the unit stated, and how
    row += 2
    put(ws, row, 1, "资金到位及执行情况：计算值与单位所述对照", bold=True, border=False)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
    row += 1
    header_cells(ws, row, ("项目", "计算值", "单位所述", "差异\n（所述−计算）", "计算依据及原文"))
    merge(ws, row, 5, row, 8)
    c = e.claims
    amount_rows = [
        ("全年预算数（万元）", f.budget_wan, c.budget_wan, "budget_wan", "全年预算数 = 各资金来源全年预算数之和"),
        ("实际到位数（万元）", f.arrived_wan, c.arrived_wan, "arrived_wan", "实际到位数 = 各笔到位资金之和"),
        ("全年执行数（万元）", f.spent_wan, c.spent_wan, "spent_wan", "全年执行数 = 各资金来源全年执行数之和"),
    ]
    for label, computed, stated, key, basis in amount_rows:
        row += 1
        put(ws, row, 1, label)
        put(ws, row, 2, exact(computed), number_format=AMOUNT, align="right")
        put(ws, row, 3, exact(stated), number_format=AMOUNT, align="right")
        diff = None if computed is None or stated is None else stated - computed
        put(ws, row, 4, exact(diff), number_format=AMOUNT, align="right", color="C00000" if diff else None)
        put(ws, row, 5, _with_quote(basis, c.quotes.get(key)))
        merge(ws, row, 5, row, 8)
    rate_rows = [
        ("资金到位率", f.arrival_rate, c.arrival_rate_pct, "arrival_rate_pct"),
        ("支出率（执行÷到位）", f.spend_rate, c.spend_rate_pct, "spend_rate_pct"),
        (
            f"预算执行率（{EXECUTION_BASIS_LABELS[f.execution_basis]}）",
            f.execution_rate,
            c.execution_rate_pct,
            "execution_rate_pct",
        ),
    ]
    for label, figure, stated, key in rate_rows:
        row += 1
        put(ws, row, 1, label)
        put(ws, row, 2, percent(figure.value), number_format=PERCENT, align="right")
        put(ws, row, 3, percent(stated), number_format=PERCENT, align="right")
        diff = _diff(stated, figure.value)
        put(ws, row, 4, percent(diff), number_format=PERCENT, align="right", color="C00000" if diff else None)
        text = _with_quote(figure.explanation.text(), c.quotes.get(key))
        put(ws, row, 5, text)
        merge(ws, row, 5, row, 8)
    if c.funds_timely is not None:
        row += 1
        put(ws, row, 1, "资金到位及时（所述）")
        put(ws, row, 2, percent(f.arrival_rate.value), number_format=PERCENT, align="right")
        put(ws, row, 3, "是" if c.funds_timely else "否", align="center")
        put(ws, row, 4, None)
        put(ws, row, 5, _with_quote("计算值为资金到位率", c.quotes.get("funds_timely")))
        merge(ws, row, 5, row, 8)
    _finish(ws)


def _finish(ws: Worksheet) -> None:
    """Print setup for a sheet made by :func:`_simple_table`: its header row repeated on every page."""
    page_setup(ws, title_rows="3:3", freeze="A4")


def _with_quote(text: str, quote: str | None) -> str:
    return f"{text}\n原文：{quote}" if quote else text


def _allocations_sheet(ws: Worksheet, e: Evaluation) -> None:
    rows: list[list[tuple[object, str | None]]] = [
        [(i, "0"), (a.recipient, None), (exact(a.amount_wan), AMOUNT), (a.purpose, None), (a.count, "0")]
        for i, a in enumerate(e.allocations, 1)
    ]
    if rows:
        total = sum((a.amount_wan for a in e.allocations), Decimal(0))
        rows.append([("合计", None), (None, None), (exact(total), AMOUNT), (None, None), (None, None)])
    headers = ("序号", "接收单位/对象", "金额（万元）", "用途", "项目数")
    _simple_table(ws, e, "资金分配", headers, (8, 36, 14, 48, 10), rows)
    _finish(ws)


def _goals_sheet(ws: Worksheet, e: Evaluation) -> None:
    rows: list[list[tuple[object, str | None]]] = [
        [(i, "0"), (GOAL_KIND_LABELS[g.kind], None), (g.title, None), (g.expected, None), (g.actual, None)]
        for i, g in enumerate(e.goals, 1)
    ]
    headers = ("序号", "目标类型", "目标名称", "预期目标", "实际完成情况")
    _simple_table(ws, e, "绩效目标", headers, (8, 12, 20, 50, 50), rows, note=" ")
    _finish(ws)


def _outputs_sheet(ws: Worksheet, e: Evaluation) -> None:
    rows: list[list[tuple[object, str | None]]] = [
        [
            (i, "0"),
            (o.title, None),
            (o.date, "yyyy-mm-dd"),
            (o.end_date, "yyyy-mm-dd"),
            (exact(o.count), PLAIN),
            (o.count_unit, None),
            ("是" if o.approximate else None, None),
            (o.participants, "0"),
            (exact(o.amount_wan), AMOUNT),
            (o.indicator, None),
            (o.source_text, None),
        ]
        for i, o in enumerate(e.outputs, 1)
    ]
    headers = (
        "序号",
        "活动/产出",
        "日期",
        "结束日期",
        "数量",
        "数量单位",
        "约数",
        "参与人数",
        "金额\n（万元）",
        "关联指标",
        "原文",
    )
    _simple_table(ws, e, "产出记录", headers, (6, 30, 12, 12, 10, 8, 6, 10, 12, 16, 40), rows)
    _finish(ws)


def _surveys_sheet(ws: Worksheet, e: Evaluation) -> None:
    rows: list[list[tuple[object, str | None]]] = [
        [
            (s.id, None),
            (s.title, None),
            (s.method, None),
            (s.respondents, "0"),
            (s.satisfied, "0"),
            (percent(s.rate_pct), PERCENT),
        ]
        for s in e.surveys
    ]
    headers = ("编号", "调查名称", "调查方式", "有效样本数", "满意人数", "满意率\n（满意人数÷有效样本数）")
    _simple_table(ws, e, "满意度调查", headers, (10, 36, 20, 12, 12, 18), rows, note=" ")
    _finish(ws)
