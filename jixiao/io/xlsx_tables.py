"""The 自评基础数据表 and the 自评指标评分表 as formatted xlsx workbooks, plus the cell helpers both use.

Every sheet opens with a title row naming the project and year; amounts are in 万元 and say so in
their headers. Figures jixiao computed are rounded half-up to 2 places before they reach a cell
(see :func:`number`); amounts the unit entered are written unrounded (see :func:`exact`).
Values, never formulas, are written: openpyxl cannot cache a formula's result, so other readers
would see empty cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from ..core.model import INDICATOR_KIND_LABELS, Evaluation, GoalKind
from ..core.result import EvaluationResult, Figure, ScoreBasis
from ..core.rules import EXECUTION_BASIS_LABELS
from ..core.values import HUNDRED, fmt, fmt_pct, quantize

FONT_NAME = "宋体"
#: computed figures: points, scores, percentage points
NUMBER = "0.00"
#: rates written as fractions (0.6536 shows as 65.36%)
PERCENT = "0.00%"
#: amounts in 万元 as entered: always 2 decimals, up to 6 (to the 分) so no entered digit is hidden
AMOUNT = "0.00####"
#: points and claimed scores as entered: 30 shows as 30, 7.5 as 7.5
PLAIN = "General"

_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
GOAL_KIND_LABELS = {GoalKind.OVERALL: "总体目标", GoalKind.PHASE: "阶段性目标"}

# --------------------------------------------------------------------------------------------
# Cell helpers (also used by selfeval_table)
# --------------------------------------------------------------------------------------------


def number(value: Decimal | None) -> float | None:
    """A computed figure for a cell: rounded half-up to 2 places, then float.

    Decimal leaves the program only here, at the cell boundary. openpyxl stores numbers as
    floats whatever it is given, so a raw Decimal would land as a binary approximation of, say,
    65.359477…; rounding first makes the cell hold exactly the 2-place figure the reports print,
    and Excel sums and a re-import agree with what the user sees.
    """
    return None if value is None else float(quantize(value))


def percent(value_pct: Decimal | None) -> float | None:
    """Percentage points as a fraction for a ``0.00%`` cell, rounded to 2 places of the percentage first."""
    return None if value_pct is None else float(quantize(value_pct) / HUNDRED)


def exact(value: Decimal | None) -> float | None:
    """An entered figure (amount, points, claimed score) unrounded.

    Entered figures are data, not results: rounding them would change the evaluation on
    re-import. A float's shortest repr keeps up to 15 significant digits, which covers any amount
    the model allows, so ``Decimal(str(cell.value))`` gives the same decimal back.
    """
    return None if value is None else float(value)


def clean_text(value: str) -> str:
    """Text without the control characters xlsx cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def put(
    ws: Worksheet,
    row: int,
    col: int,
    value: object = None,
    *,
    number_format: str | None = None,
    bold: bool = False,
    size: float = 10.5,
    align: str = "left",
    border: bool = True,
    color: str | None = None,
) -> Cell:
    """Write one cell with the house style: 宋体, wrapped, vertically centred, thin border."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = clean_text(value)
        # text such as "=0起" must stay text, not become a formula
        cell.data_type = "s"
    else:
        cell.value = value
    cell.font = Font(name=FONT_NAME, size=size, bold=bold, color=color)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if number_format:
        cell.number_format = number_format
    if border:
        cell.border = BORDER
    return cell


def bold_row(ws: Worksheet, row: int, ncols: int) -> None:
    """Embolden a totals row, keeping each cell's colour."""
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(name=FONT_NAME, size=cell.font.size, bold=True, color=cell.font.color)


def merge(ws: Worksheet, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    """Merge a block (when larger than one cell) and give every cell in it the border, so the edge prints."""
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            ws.cell(row=r, column=c).border = BORDER
    if max_row > min_row or max_col > min_col:
        ws.merge_cells(start_row=min_row, start_column=min_col, end_row=max_row, end_column=max_col)


def fit_height(ws: Worksheet, row: int, text: str | None, width: float) -> None:
    """Row height for wrapped text in a merged cell, which spreadsheet programs do not fit by themselves.

    ``width`` is in column-width units; a CJK character takes about two.
    """
    if not text:
        return
    lines = 0
    for part in text.split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in part)
        lines += max(1, -(-units // int(width)))
    ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 15, 14.5 * lines + 2)


def title_row(ws: Worksheet, row: int, text: str, ncols: int, *, size: float = 16, bold: bool = True) -> None:
    """A centred title merged across the table, without borders."""
    put(ws, row, 1, text, bold=bold, size=size, align="center", border=False)
    if ncols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = 30 if size >= 14 else 20


def header_cells(ws: Worksheet, row: int, labels: Sequence[str], start_col: int = 1) -> None:
    for offset, label in enumerate(labels):
        put(ws, row, start_col + offset, label, bold=True, align="center")


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def page_setup(ws: Worksheet, *, title_rows: str | None, freeze: str | None, landscape: bool = True) -> None:
    """A4, fit to one page wide, repeat the header rows on every printed page, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = FONT_NAME
    if title_rows:
        ws.print_title_rows = title_rows
    if freeze:
        ws.freeze_panes = freeze


def sheet_title(evaluation: Evaluation, what: str) -> str:
    return f"{evaluation.project.name}（{evaluation.project.year}年度）{what}"


def _diff(claimed: Decimal | None, computed: Decimal | None) -> Decimal | None:
    if claimed is None or computed is None:
        return None
    return quantize(claimed) - quantize(computed)


def _depth(evaluation: Evaluation) -> int:
    return max((len(path) for path, _ in evaluation.nodes()), default=1)


# --------------------------------------------------------------------------------------------
# 自评基础数据表
# --------------------------------------------------------------------------------------------


def write_basic_data_xlsx(result: EvaluationResult, path: Path | str) -> Path:
    """自评基础数据表: project, funds (computed beside stated), allocations, goals, outputs, surveys."""
    path = Path(path)
    wb = Workbook()
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
    """Title, optional note, one header row at row 3 and the rows; returns the last row written."""
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
    page_setup(ws, title_rows="3:3", freeze="A4")
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
    set_widths(ws, (20, 70, 28))
    page_setup(ws, title_rows="3:3", freeze="A4", landscape=False)


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
        "年初预算数（万元）",
        "全年预算数（万元）",
        "实际到位数（万元）",
        "到位日期",
        "全年执行数（万元）",
        "差异说明",
    )
    row = _simple_table(ws, e, "资金情况", headers, (16, 18, 14, 14, 14, 24, 14, 40), rows)
    bold_row(ws, row, 8)

    # the rates: what jixiao computes beside what the unit stated, and how
    row += 2
    put(ws, row, 1, "资金到位及执行情况：计算值与单位所述对照", bold=True, border=False)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
    row += 1
    header_cells(ws, row, ("项目", "计算值", "单位所述", "差异（所述−计算）", "计算依据及原文"))
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
        fit_height(ws, row, _with_quote(basis, c.quotes.get(key)), 92)
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
        fit_height(ws, row, text, 92)
    if c.funds_timely is not None:
        row += 1
        put(ws, row, 1, "资金到位及时（所述）")
        put(ws, row, 2, fmt_pct(f.arrival_rate.value) if f.arrival_rate.value is not None else None, align="right")
        put(ws, row, 3, "是" if c.funds_timely else "否", align="center")
        put(ws, row, 4, None)
        put(ws, row, 5, _with_quote("计算值为资金到位率", c.quotes.get("funds_timely")))
        merge(ws, row, 5, row, 8)


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


def _goals_sheet(ws: Worksheet, e: Evaluation) -> None:
    rows: list[list[tuple[object, str | None]]] = [
        [(i, "0"), (GOAL_KIND_LABELS[g.kind], None), (g.title, None), (g.expected, None), (g.actual, None)]
        for i, g in enumerate(e.goals, 1)
    ]
    headers = ("序号", "目标类型", "目标名称", "预期目标", "实际完成情况")
    _simple_table(ws, e, "绩效目标", headers, (8, 12, 20, 50, 50), rows, note=" ")


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
        "金额（万元）",
        "关联指标",
        "原文",
    )
    _simple_table(ws, e, "产出记录", headers, (6, 30, 12, 12, 10, 8, 6, 10, 12, 16, 40), rows)


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
    headers = ("编号", "调查名称", "调查方式", "有效样本数", "满意人数", "满意率（满意人数÷有效样本数）")
    _simple_table(ws, e, "满意度调查", headers, (10, 36, 20, 12, 12, 18), rows, note=" ")


# --------------------------------------------------------------------------------------------
# 自评指标评分表
# --------------------------------------------------------------------------------------------

_SCORING_HEADERS = (
    "分值",
    "年度指标值",
    "实际完成值",
    "自评得分",
    "计算得分",
    "差异（自评−计算）",
    "计算依据",
    "偏差原因分析及改进措施",
)
_LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标")


def write_scoring_xlsx(result: EvaluationResult, path: Path | str) -> Path:
    """自评指标评分表: each leaf with the unit's score beside jixiao's, the difference and the reason."""
    path = Path(path)
    e = result.evaluation
    levels = max(_depth(e), 1)
    ncols = levels + len(_SCORING_HEADERS)
    col = {name: levels + i for i, name in enumerate(_SCORING_HEADERS, start=1)}
    tolerance = result.rules.claim_tolerance

    wb = Workbook()
    ws = wb.active
    ws.title = "自评指标评分表"
    title_row(ws, 1, sheet_title(e, "自评指标评分表"), ncols)
    official = "" if result.framework.points_official else "（分值由单位或模板设定，非官方分值）"
    put(ws, 2, 1, f"评分规则：{result.rules.name}；指标体系：{result.framework.name}{official}", size=9, border=False)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)

    # two header rows: 指标 over the level columns, every other header spanning both rows
    put(ws, 3, 1, "指标", bold=True, align="center")
    merge(ws, 3, 1, 3, levels)
    for i in range(levels):
        put(ws, 4, i + 1, _LEVEL_NAMES[i] if i < len(_LEVEL_NAMES) else f"{i + 1}级指标", bold=True, align="center")
    for name, c in col.items():
        put(ws, 3, c, name, bold=True, align="center")
        merge(ws, 3, c, 4, c)

    row = 4

    def label_row(label: str) -> int:
        nonlocal row
        row += 1
        put(ws, row, 1, label, bold=True)
        merge(ws, row, 1, row, levels)
        for c in col.values():
            put(ws, row, c)
        return row

    def scores(r: int, points: Decimal | None, claimed: Decimal | None, computed: Decimal | None) -> None:
        put(ws, r, col["分值"], number(points), number_format=NUMBER, align="right")
        put(ws, r, col["自评得分"], number(claimed), number_format=NUMBER, align="right")
        put(ws, r, col["计算得分"], number(computed), number_format=NUMBER, align="right")
        diff = _diff(claimed, computed)
        red = diff is not None and abs(diff) > tolerance
        put(
            ws,
            r,
            col["差异（自评−计算）"],
            number(diff),
            number_format=NUMBER,
            align="right",
            color="C00000" if red else None,
        )

    if result.execution_score is not None:
        r = label_row("预算执行率")
        scores(r, result.execution_points, None, result.execution_score.value)
        put(ws, r, col["年度指标值"], "100%")
        put(ws, r, col["实际完成值"], fmt_pct(result.funds.execution_rate.value))
        put(
            ws, r, col["计算依据"], f"{result.execution_score.explanation.text()}；{_text(result.funds.execution_rate)}"
        )

    for s in result.indicators:
        row += 1
        ind = s.indicator
        for i in range(levels):
            put(ws, row, i + 1, s.path[i] if i < len(s.path) else None)
        computed = s.computed if s.basis is ScoreBasis.COMPUTED else None
        scores(row, s.points, ind.claimed_score, computed)
        put(ws, row, col["年度指标值"], ind.target)
        put(ws, row, col["实际完成值"], ind.actual)
        basis = s.explanation.text()
        if ind.not_applicable:
            basis = f"不适用，不计分。{basis}"
        kind = INDICATOR_KIND_LABELS[ind.effective_kind]
        put(ws, row, col["计算依据"], f"［{kind}］{basis}")
        put(ws, row, col["偏差原因分析及改进措施"], ind.deviation_reason)

    c = e.claims
    leaf_points = sum((s.points for s in result.indicators if s.points is not None), Decimal(0))
    r = label_row("总分（自评总分 / 计算总分）")
    scores(r, leaf_points + result.execution_points, c.total_score, result.total.value)
    put(ws, r, col["计算依据"], result.total.explanation.text())
    bold_row(ws, r, ncols)
    r = label_row("等级（自评等级 / 计算等级）")
    put(ws, r, col["自评得分"], c.grade, align="center")
    put(ws, r, col["计算得分"], result.grade, align="center")
    put(
        ws,
        r,
        col["计算依据"],
        result.rules.name + "：" + "、".join(f"{g.grade} ≥ {fmt(g.min_score)} 分" for g in result.rules.grades),
    )
    r = label_row("可得最高分")
    put(ws, r, col["计算得分"], number(result.max_attainable.value), number_format=NUMBER, align="right")
    put(ws, r, col["计算依据"], result.max_attainable.explanation.text())

    row += 2
    note = f"注：{result.framework.points_note}"
    if e.framework_note:
        note += f"\n{e.framework_note}"
    put(ws, row, 1, note, size=9, border=False)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = 30

    set_widths(ws, [12] * levels + [8, 14, 14, 9, 9, 11, 48, 30])
    page_setup(ws, title_rows="3:4", freeze=f"{get_column_letter(levels + 1)}5")
    wb.properties.title = sheet_title(e, "自评指标评分表")
    wb.properties.creator = "jixiao"
    wb.save(path)
    return path


def _text(figure: Figure) -> str:
    return figure.explanation.text()
