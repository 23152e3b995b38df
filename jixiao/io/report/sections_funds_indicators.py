"""四、项目资金使用绩效: the fund tables and figures, the indicator score table, the chart's place, outputs and
satisfaction surveys.

An indicator table with four levels or long 实际完成值 gets a landscape section (297 × 210 mm) of its own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal

from ...core.model import GoalKind, Indicator
from ...core.result import EvaluationResult, Explanation, IndicatorScore, ScoreBasis
from ...core.score_table import score_table
from ...core.values import fmt, fmt_count, fmt_pct
from ..monitoring.evaluation_section import monitoring_paragraphs
from .body import _Body, _date, _wan
from .ooxml import LANDSCAPE_TEXT_WIDTH_MM, TEXT_WIDTH_MM, Cell, Col, _ems


def _fund_tables(body: _Body, result: EvaluationResult) -> None:
    e, f = result.evaluation, result.funds
    if e.funds:
        body.caption("表", "项目资金情况（单位：万元）")
        rows: list[list[Cell | str]] = []
        for row in e.funds:
            label = row.source.label
            if row.detail:
                label += f"：{row.detail}" if re.search(r"[（()）]", row.detail) else f"（{row.detail}）"
            rows.append(
                [
                    Cell(label, align="left"),
                    fmt(row.initial_budget_wan),
                    fmt(row.annual_budget_wan),
                    fmt(row.arrived_wan),
                    fmt(row.executed_wan),
                ]
            )
        rows.append(
            [
                Cell("合计", bold=True),
                Cell(fmt(f.initial_budget_wan), bold=True),
                Cell(fmt(f.budget_wan), bold=True),
                Cell(fmt(f.arrived_wan), bold=True),
                Cell(fmt(f.spent_wan), bold=True),
            ]
        )
        body.table(
            [
                Col("资金来源", 36),
                Col("年初预算数\n（万元）", 30, "right"),
                Col("全年预算数\n（万元）", 30, "right"),
                Col("实际到位\n（万元）", 30, "right"),
                Col("全年执行数\n（万元）", 30, "right"),
            ],
            rows,
        )
    else:
        body.para(None, lead="项目资金：")
    for number, figure in enumerate((f.arrival_rate, f.spend_rate, f.execution_rate), 1):
        body.para(f"（{number}）{figure.explanation.text()}。")
    for row in e.funds:
        for arrival in row.arrivals:
            if arrival.date:
                when = f"于{_date(arrival.date)}到位{_wan(arrival.amount_wan)}"
            else:  # the official version states what is known; the reviewer sees what is missing
                when = f"到位{_wan(arrival.amount_wan)}" + ("（到位日期未填写）" if body.review else "")
            note = f"；说明：{arrival.note.rstrip('。')}" if arrival.note else ""
            body.para(f"{row.source.label}{when}{note}。")
        if row.explanation:
            body.para(row.explanation, lead=f"{row.source.label}差异说明：")
    c = e.claims
    stated = [
        (label, value)
        for label, value in (
            ("预算总额", _wan(c.budget_wan) if c.budget_wan is not None else None),
            ("到位资金", _wan(c.arrived_wan) if c.arrived_wan is not None else None),
            ("支出资金", _wan(c.spent_wan) if c.spent_wan is not None else None),
            ("资金到位率", fmt_pct(c.arrival_rate_pct) if c.arrival_rate_pct is not None else None),
            ("支出率", fmt_pct(c.spend_rate_pct) if c.spend_rate_pct is not None else None),
            ("预算执行率", fmt_pct(c.execution_rate_pct) if c.execution_rate_pct is not None else None),
        )
        if value is not None
    ]
    if stated and body.review:  # the unit's own figures beside the computed ones are for the reviewer
        body.para("单位报告所述：" + "，".join(f"{label}{value}" for label, value in stated) + "。")

    if e.allocations:
        total = sum((a.amount_wan for a in e.allocations), Decimal(0))
        body.para(f"资金分配情况：共分配{len(e.allocations)}笔，合计{_wan(total)}，明细如下表。")
        body.caption("表", "资金分配情况（单位：万元）")
        rows = [
            [
                str(i),
                Cell(a.recipient, align="left"),
                fmt(a.amount_wan),
                Cell(a.purpose or "—", align="left"),
                str(a.count) if a.count is not None else "—",
            ]
            for i, a in enumerate(e.allocations, 1)
        ]
        rows.append([Cell("合计", span=2, bold=True), Cell(fmt(total), bold=True), "", ""])
        body.table(
            [
                Col("序号", 12),
                Col("接收单位/对象", 50),
                Col("金额（万元）", 28, "right"),
                Col("用途", 48),
                Col("项目数", 18),
            ],
            rows,
        )
    else:
        body.para(None, lead="资金分配情况：")


def _explanation(expl: Explanation, result: EvaluationResult) -> str:
    """The explanation without the rule-set name when that is the report's rule set (said once in 三、)."""
    if expl.rule != result.rules.name:
        return expl.text()
    inputs = "；".join(f"{name} {value}" for name, value in expl.inputs)
    return expl.formula + (f"（{inputs}）" if inputs else "")


_LEVELS = ("一级\n指标", "二级\n指标", "三级\n指标", "四级\n指标")


def _score_cell(s: IndicatorScore, result: EvaluationResult) -> Cell:
    if s.indicator.not_applicable:
        return Cell("不适用")
    if s.basis is ScoreBasis.CLAIMED:  # the score that enters the total, so that the column adds up to it
        return Cell(f"{fmt(s.used)}\n按自评")
    if s.computed is None:
        return Cell("—")
    claimed = s.indicator.claimed_score
    off = claimed is not None and abs(claimed - s.computed) > result.rules.claim_tolerance
    return Cell(fmt(s.computed), bold=off)


_EM_MM_9PT = 9 * 25.4 / 72  # one hanzi at 9 pt
_CELL_PADDING_MM = 2.2


def _fit_widths(
    total: float, rows: Sequence[Sequence[float]], minimums: Sequence[float], step: float = 2.0
) -> list[float]:
    """Share ``total`` mm between text columns so that the table is short: start every column at its minimum and
    give each ``step`` of the rest to the column that lowers the sum of row heights most (a row is as high as its
    fullest cell). ``rows`` holds each row's text widths in hanzi, per column."""
    widths = list(minimums)
    spare = total - sum(widths)

    def height(ws: list[float]) -> float:
        return sum(max(n / max(w - _CELL_PADDING_MM, 1.0) for n, w in zip(row, ws, strict=True)) for row in rows)

    while spare >= step:
        best, best_height = len(widths) - 1, None
        for i in range(len(widths)):
            trial = widths.copy()
            trial[i] += step
            h = height(trial)
            if best_height is None or h < best_height - 1e-9:
                best, best_height = i, h
        widths[best] += step
        spare -= step
    widths[-1] += spare
    return [math.floor(w * 10) / 10 for w in widths]


def _text_cell(text: str | None) -> Cell:
    """A value as written: centred when short, left-aligned when it runs over several lines."""
    if not text:
        return Cell("—")
    return Cell(text, align="left" if _ems(text) > 8 else None)


def _indicator_table(body: _Body, result: EvaluationResult) -> None:
    scores = result.indicators
    depth = min(max(max((len(s.path) for s in scores), default=1), 1), 4)
    rows: list[list[Cell | str]] = []
    if result.execution_score is not None:
        f = result.funds
        rows.append(
            [
                Cell("预算执行率", span=depth),
                fmt(result.execution_points),
                "100%",  # the 附1 target, as the table prints it
                fmt_pct(f.execution_rate.value),
                fmt(result.evaluation.claims.execution_score),
                fmt(result.execution_score.value),
                _explanation(result.execution_score.explanation, result),
            ]
        )
    previous: tuple[str, ...] = ()
    for s in scores:
        path = s.path[:depth]
        cells: list[Cell | str] = []
        for level in range(len(path) - 1):
            same = len(previous) > level + 1 and previous[: level + 1] == path[: level + 1]
            cells.append(Cell(path[level], merge="continue" if same else "restart"))
        leaf = path[-1] + ("（不适用）" if s.indicator.not_applicable else "")
        cells.append(Cell(leaf, span=depth - len(path) + 1))
        ind: Indicator = s.indicator
        cells += [
            fmt(s.points),
            _text_cell(ind.target),
            _text_cell(ind.actual),
            "不适用" if ind.not_applicable else fmt(s.claimed),
            _score_cell(s, result),
            _explanation(s.explanation, result),
        ]
        rows.append(cells)
        previous = path
    # the totals are the score table's, as every page prints them: each the sum of the printed figures above it
    table = score_table(result)
    if table.rescaling is not None:
        rows.append(
            [
                Cell("剔除不适用指标后按 100 分折算", span=depth + 4, align="left"),
                Cell(f"{'+' if table.rescaling > 0 else ''}{fmt(table.rescaling)}"),
                result.total.explanation.formula,
            ]
        )
    stated = (
        f"单位所述自评总分 {fmt(table.stated_total)} 分" if table.stated_total is not None else "单位未填写自评总分"
    )
    grade = f"等级：自评{result.evaluation.claims.grade or '—'}，计算{result.grade or '—'}；{stated}"
    if table.comparison:
        grade += f"，计算得分{table.comparison}"
    if table.carried:
        grade += f"；{table.carried}"
    rows.append(
        [
            Cell("合计", span=depth, bold=True),
            Cell(fmt(table.points_total), bold=True),
            "",
            "",
            Cell("不完整" if table.claimed_total is None else fmt(table.claimed_total), bold=True),
            Cell("未评分" if table.unscored else fmt(table.computed_total), bold=True),
            grade,
        ]
    )

    # widths: levels and scores fixed; 指标值, 完成值 and 依据 share the rest so that the table is short
    lines = [row for row in rows[:-1] if len(row) >= 6]  # the indicator rows, not the 折算 row
    texts = [[str(c.text if isinstance(c, Cell) else c) for c in row[-6:]] for row in lines]
    ems = [[_ems(t[1]), _ems(t[2]), _ems(t[5])] for t in texts]
    # four levels, or long 完成值, do not fit a portrait page: the table gets a landscape section of its own
    long_actuals = sum(1 for e in ems if e[1] > 16)
    landscape = body.section_xml is not None and (depth >= 4 or long_actuals >= 2)
    score_w = 13
    if landscape:
        width, level_w, minimums = LANDSCAPE_TEXT_WIDTH_MM, {1: 30, 2: 24, 3: 20, 4: 18}[depth], (16, 16, 50)
    else:
        width, level_w, minimums = TEXT_WIDTH_MM, {1: 24, 2: 18, 3: 14, 4: 12}[depth], (14, 14, 38)
    em = _EM_MM_9PT
    target_w, actual_w, basis_w = _fit_widths(
        width - level_w * depth - 3 * score_w, [[n * em for n in row] for row in ems], minimums
    )
    cols = [Col(_LEVELS[i], level_w) for i in range(depth)] + [
        Col("分值", score_w),
        Col("年度\n指标值", target_w),
        Col("实际\n完成值", actual_w),
        Col("自评\n得分", score_w),
        Col("计算\n得分", score_w),
        Col("计算依据", basis_w, "left"),
    ]
    if landscape:
        body.end_section()
    body.h3("2. 绩效指标完成情况")
    body.caption("表", "绩效指标评分表（分值、得分单位：分）")
    note = (
        f"注：计算得分按“{result.rules.name}”计算；加粗的计算得分与自评得分相差超过{fmt(result.rules.claim_tolerance)}分；"
        "“按自评”表示该指标无法计算，总分中计入单位自评分（超过可得档次上限的按上限计入）。"
    )
    body.table(cols, rows, small=True, note=note)
    if landscape:
        body.end_section(body.landscape_section())


def _goal_completion(body: _Body, result: EvaluationResult) -> None:
    """What became of each goal. The goals themselves are stated in 一、（二）; here each is named by its title
    (or 总体目标 / 阶段性目标) and followed by its completion only, so no goal is printed twice."""
    e = result.evaluation
    n = e.narrative
    done = [g for g in e.goals if g.actual or body.review]  # the official version leaves out what was not reported
    for kind, label in ((GoalKind.OVERALL, "总体目标"), (GoalKind.PHASE, "阶段性目标")):
        goals = [g for g in done if g.kind is kind]
        if not goals:
            continue
        if kind is GoalKind.PHASE or any(g.kind is GoalKind.PHASE for g in done):
            body.para(f"{label}完成情况：")
        titles = [g.title or (label if len(goals) == 1 else f"{label}{i}") for i, g in enumerate(goals, 1)]
        body.items([f"{t.rstrip('：:')}：{g.actual or body.empty}" for t, g in zip(titles, goals, strict=True)])
    if not done and not n.performance:
        body.para(None)


def _section_funds(body: _Body, result: EvaluationResult, chart_xml: str | None) -> None:
    e = result.evaluation
    n = e.narrative
    body.h1("四、项目资金使用绩效")
    body.h2("（一）资金投入情况")
    body.h3("1. 资金到位情况")
    body.para(n.fund_arrival)
    _fund_tables(body, result)
    body.h3("2. 资金执行情况")
    body.para(n.fund_execution)
    body.h3("3. 资金管理情况")
    body.para(n.fund_management)

    body.h2("（二）绩效目标完成情况")
    body.h3("1. 总体绩效目标完成情况")
    if n.performance:
        body.para(n.performance)
    _goal_completion(body, result)
    monitoring_paragraphs(body, e.monitoring)
    if result.indicators:
        _indicator_table(body, result)
    else:
        body.h3("2. 绩效指标完成情况")
        body.para(None)
    if chart_xml is not None:
        body.raw(chart_xml)
        body.caption("图", "各一级指标分值与得分")
    body.h3("3. 主要产出")
    if e.outputs:
        body.caption("表", "主要产出")
        rows = []
        for i, o in enumerate(e.outputs, 1):
            when = _date(o.date) or "—"
            if o.end_date and o.end_date != o.date:
                when += f"至{_date(o.end_date)}"
            count = "—"
            if o.count is not None:
                count = f"{fmt_count(o.count)}{o.count_unit or ''}" + ("（约数）" if o.approximate else "")
            rows.append(
                [
                    str(i),
                    when,
                    Cell(o.title, align="left"),
                    count,
                    str(o.participants) if o.participants is not None else "—",
                    fmt(o.amount_wan),
                    o.indicator or "—",
                ]
            )
        body.table(
            [
                Col("序号", 10),
                Col("日期", 31),
                Col("活动/产出", 41),
                Col("数量", 20),
                Col("参与人数", 16),
                Col("金额\n（万元）", 18, "right"),
                Col("关联指标", 20),
            ],
            rows,
            small=True,
        )
    else:
        body.para(None)
    body.h3("4. 满意度指标完成情况")
    if n.satisfaction:
        body.para(n.satisfaction)
    if e.surveys:
        body.caption("表", "满意度调查")
        body.table(
            [
                Col("调查名称", 46, "left"),
                Col("调查方式", 42, "left"),
                Col("有效样本数", 22),
                Col("满意人数", 22),
                Col("满意度", 24),
            ],
            [[s.title, s.method or "—", str(s.respondents), str(s.satisfied), fmt_pct(s.rate_pct)] for s in e.surveys],
        )
    elif not n.satisfaction:
        body.para(None)
