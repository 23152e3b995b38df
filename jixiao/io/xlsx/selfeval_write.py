"""Write the 附1 项目支出绩效自评表 of one evaluation in the official layout (see :mod:`.selfeval_layout`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from ...core.model import Evaluation, GoalKind, Indicator
from ...core.result import EvaluationResult
from ...core.values import fmt, ratio_pct
from .cells import (
    AMOUNT,
    NUMBER,
    PERCENT,
    PLAIN,
    exact,
    merge,
    new_workbook,
    number,
    page_setup,
    percent,
    put,
    set_widths,
    title_row,
)
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
    WIDTHS,
)


def write_selfeval_table(result: EvaluationResult, path: Path | str) -> Path:
    """The national 附1 项目支出绩效自评表 for one evaluation, in the official layout."""
    path = Path(path)
    e = result.evaluation
    depth = max((len(p) for p, _ in e.nodes()), default=3)
    if depth > len(LEVEL_COLS):
        raise ValueError(f"附1 项目支出绩效自评表最多容纳四级指标，该指标体系有 {depth} 级")

    wb = new_workbook()
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

    scores = _ScoreColumn.of(result)
    row = _write_funds(ws, result, scores, 5)
    row = _write_goals(ws, e, row + 1)
    header = row + 1
    _write_indicators(ws, result, scores, depth, header)

    set_widths(ws, WIDTHS)
    # the indicator header repeats on the pages after the one it first prints on
    page_setup(ws, title_rows=f"{header}:{header}", freeze=None)
    wb.properties.title = f"{e.project.name}（{e.project.year}年度）{TITLE}"
    wb.properties.creator = "jixiao"
    wb.custom_doc_props.append(StringProperty(name=META_FRAMEWORK, value=e.framework))
    wb.custom_doc_props.append(StringProperty(name=META_RULES, value=e.rules))
    wb.save(path)
    return path


@dataclass(slots=True)
class _ScoreColumn:
    """What the 得分 column prints, from one source, so that 总分 is the sum of the printed 得分 cells.

    The 附1 is the unit's own form: when the unit scored every applicable leaf, the column holds its
    scores as entered, 预算执行率 its own score (or, when it gave none, the computed one, said in a note),
    and 总分 their sum. Otherwise the column holds the scores jixiao's total is made of (computed, or the
    unit's score carried where it cannot be computed, rounded per line) and 总分 their sum, with a note.
    """

    leaves: dict[tuple[str, ...], float | str | None]
    leaf_format: str
    execution: float | None
    execution_format: str
    total: float | None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, result: EvaluationResult) -> _ScoreColumn:
        e, notes = result.evaluation, []
        has_execution = bool(result.execution_points)
        computed_execution = result.execution_score.value if result.execution_score is not None else None
        unscored = [s for s in result.applicable if s.indicator.claimed_score is None]
        if not unscored:
            own, execution_format = e.claims.execution_score, PLAIN
            if has_execution and own is None:
                own, execution_format = computed_execution, NUMBER
                notes.append(f"单位未填写预算执行率自评得分，表中预算执行率得分为计算得分 {fmt(own)} 分。")
            leaves = {s.path: s.indicator.claimed_score for s in result.indicators}
            parts = [*leaves.values(), own if has_execution else None]
            total = _sum(parts)
            stated = e.claims.total_score
            if stated is not None and total is not None and stated != total:
                notes.append(f"单位所述自评总分为 {fmt(stated)} 分，与各项自评得分之和不一致；表中总分为各项得分之和。")
            printed = {p: exact(v) for p, v in leaves.items()}
            return cls(printed, PLAIN, exact(own), execution_format, exact(total), notes)

        # not every leaf has the unit's score: the whole column is jixiao's
        used: dict[tuple[str, ...], Decimal | None] = {
            s.path: None if s.indicator.not_applicable else s.used for s in result.indicators
        }
        notes.append(
            f"单位未对全部指标自评打分（{len(unscored)} 项未打分），表中得分均为计算得分"
            "（无法计算的指标采用单位自评分），总分为各项得分之和。"
        )
        total = result.total.value
        if total is not None:
            summed = _sum([*used.values(), computed_execution if has_execution else None]) or Decimal(0)
            if summed != total:
                notes.append(f"剔除不适用指标后按 100 分折算为 {fmt(total)} 分。")
            total = summed
        else:
            notes.append("有指标既无法计算也无自评分，不能得出总分。")
        leaves_printed: dict[tuple[str, ...], float | str | None] = {
            s.path: "—" if s.indicator.not_applicable else number(used[s.path]) for s in result.indicators
        }
        return cls(leaves_printed, NUMBER, number(computed_execution), NUMBER, number(total), notes)


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


def _write_funds(ws: Worksheet, result: EvaluationResult, scores: _ScoreColumn, top: int) -> int:
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
    r = top + 1
    _label(ws, r, 3, r, 4, "年度资金总额")
    put(ws, r, FUND_INITIAL, exact(f.initial_budget_wan), number_format=AMOUNT, align="right")
    put(ws, r, FUND_BUDGET, exact(budget), number_format=AMOUNT, align="right")
    put(ws, r, FUND_EXECUTED, exact(spent), number_format=AMOUNT, align="right")
    put(ws, r, FUND_POINTS, exact(points) if points else "—", number_format=PLAIN, align="center")
    put(ws, r, FUND_RATE, percent(rate), number_format=PERCENT, align="right")
    put(ws, r, FUND_SCORE, scores.execution if points else "—", number_format=scores.execution_format, align="center")

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


def _write_indicators(ws: Worksheet, result: EvaluationResult, scores: _ScoreColumn, depth: int, top: int) -> int:
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

    def place(node: Indicator, path: tuple[str, ...]) -> tuple[int, int]:
        nonlocal row
        level = len(path)
        col = LEVEL_COLS[level - 1]
        if node.is_leaf:
            row += 1
            _value(ws, row, col, row, LEVEL_COLS[-1], node.name)
            for c in LEVEL_COLS[: level - 1]:
                put(ws, row, c)  # borders under the parents' merged cells
            put(ws, row, COL_TARGET, node.target, align="center")
            put(ws, row, COL_ACTUAL, node.actual, align="center")
            put(ws, row, COL_POINTS, exact(node.points), number_format=PLAIN, align="center")
            put(ws, row, COL_SCORE, scores.leaves.get(path), number_format=scores.leaf_format, align="center")
            put(ws, row, COL_REASON, node.deviation_reason)
            return row, row
        spans = [place(child, (*path, child.name)) for child in node.children]
        first, last = spans[0][0], spans[-1][1]
        name = node.name if node.points is None else f"{node.name}（{_points_text(node.points)}分）"
        put(ws, first, col, name, align="center")
        merge(ws, first, col, last, col)
        return first, last

    for root in e.indicators:
        place(root, (root.name,))
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
    put(ws, row, COL_SCORE, scores.total, number_format=scores.leaf_format, align="center")
    # said beside the total rather than in a row below it: readers of the form take 总分 as its last row
    put(ws, row, COL_REASON, "注：" + "".join(scores.notes) if scores.notes else None, size=9)
    return row
