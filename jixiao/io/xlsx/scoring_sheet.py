"""The 自评指标评分表: the indicator tree with the unit's score beside jixiao's, the difference and the reason.

Every node has a row: a parent's row (bold, shaded, 「小计」) comes before its children and carries the sums of
the figures printed for its leaves; 总分 is the sum of the printed 一级 subtotals and 预算执行率. Scores are
already rounded per line by the core, so every printed total is the sum of its printed parts. 计算得分 is
the score that enters jixiao's total: computed, or the unit's own score carried where it cannot be
computed (计分方式 says which); a not-applicable leaf has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from ...core.model import INDICATOR_KIND_LABELS, Evaluation, Indicator
from ...core.result import EvaluationResult, Figure, compare_scores, score_value
from ...core.values import fmt
from .cells import (
    NUMBER,
    PERCENT,
    _diff,
    bold_row,
    merge,
    new_workbook,
    number,
    page_setup,
    percent,
    put,
    set_widths,
    sheet_title,
    title_row,
)

_DIFF = "差异\n（自评−计算）"
_SCORING_HEADERS = (
    "分值",
    "年度指标值",
    "实际完成值",
    "自评得分",
    "计算得分",
    "计分方式",
    _DIFF,
    "计算依据",
    "偏差原因分析及改进措施",
)
_WIDTHS = (7, 11, 11, 8, 8, 10, 9, 36, 18)
_LEVEL_WIDTH = 9
_LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标")
_SUBTOTAL_FILL = PatternFill("solid", start_color="F2F2F2")

#: printed figures of one row: 分值, 自评得分, 计算得分
Line = tuple[Decimal | None, Decimal | None, Decimal | None]


def _depth(evaluation: Evaluation) -> int:
    return max((len(path) for path, _ in evaluation.nodes()), default=1)


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the figures present; None when none is."""
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _sum_lines(lines: Iterable[Line]) -> Line:
    columns = list(zip(*lines, strict=True)) or [(), (), ()]
    return _sum(columns[0]), _sum(columns[1]), _sum(columns[2])


def write_scoring_xlsx(result: EvaluationResult, path: Path | str) -> Path:
    """自评指标评分表: the indicator tree with subtotals, the unit's score beside jixiao's, the difference and why."""
    path = Path(path)
    e = result.evaluation
    levels = max(_depth(e), 1)
    ncols = levels + len(_SCORING_HEADERS)
    col = {name: levels + i for i, name in enumerate(_SCORING_HEADERS, start=1)}
    tolerance = result.rules.claim_tolerance

    wb = new_workbook()
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

    def new_row(label: str | None, level: int = 1) -> int:
        """A row with ``label`` at its level, merged rightwards over the remaining level columns."""
        nonlocal row
        row += 1
        for c in range(1, ncols + 1):
            put(ws, row, c)
        if label is not None:
            put(ws, row, level, label)
            merge(ws, row, level, row, levels)
        return row

    def figures(r: int, line: Line) -> None:
        points, claimed, computed = line
        put(ws, r, col["分值"], number(points), number_format=NUMBER, align="right")
        put(ws, r, col["自评得分"], number(claimed), number_format=NUMBER, align="right")
        put(ws, r, col["计算得分"], number(computed), number_format=NUMBER, align="right")
        diff = _diff(claimed, computed)
        red = diff is not None and abs(diff) > tolerance
        diff_col = col[_DIFF]
        put(ws, r, diff_col, number(diff), number_format=NUMBER, align="right", color="C00000" if red else None)

    def emphasise(r: int) -> None:
        bold_row(ws, r, ncols)
        for c in range(1, ncols + 1):
            ws.cell(r, c).fill = _SUBTOTAL_FILL

    parts: list[Line] = []
    c = e.claims
    if result.execution_score is not None:
        r = new_row("预算执行率")
        line = (score_value(result.execution_points), score_value(c.execution_score), result.execution_score.value)
        figures(r, line)
        parts.append(line)
        put(ws, r, col["年度指标值"], percent(Decimal(100)), number_format=PERCENT, align="right")
        put(ws, r, col["实际完成值"], percent(result.funds.execution_rate.value), number_format=PERCENT, align="right")
        put(ws, r, col["计分方式"], "计算", align="center")
        put(
            ws, r, col["计算依据"], f"{result.execution_score.explanation.text()}；{_text(result.funds.execution_rate)}"
        )

    def place(node: Indicator, path: tuple[str, ...]) -> Line:
        level = len(path)
        r = new_row(node.name, level)
        if node.is_leaf:
            s = result.score_of(path)
            assert s is not None  # every leaf is scored
            applicable = not node.not_applicable
            line = (score_value(s.points), s.claimed, s.used if applicable else None)
            figures(r, line)
            put(ws, r, col["年度指标值"], node.target)
            put(ws, r, col["实际完成值"], node.actual)
            put(ws, r, col["计分方式"], s.basis.label if applicable else "不适用", align="center")
            basis = s.explanation.text()
            if node.not_applicable:
                basis = f"不适用，不计分。{basis}"
            put(ws, r, col["计算依据"], f"［{INDICATOR_KIND_LABELS[node.effective_kind]}］{basis}")
            put(ws, r, col["偏差原因分析及改进措施"], node.deviation_reason)
            return line
        line = _sum_lines([place(child, (*path, child.name)) for child in node.children])
        figures(r, line)
        put(ws, r, col["计分方式"], "小计", align="center")
        emphasise(r)
        return line

    for root in e.indicators:
        parts.append(place(root, (root.name,)))

    points, claimed, computed = _sum_lines(parts)
    total = result.total.value
    rescaled = total is not None and total != computed
    r = new_row("总分")
    figures(r, (points, claimed, computed if total is not None else None))
    stated = score_value(c.total_score)
    comparison = compare_scores(stated if stated is not None else claimed, total)
    basis = [
        result.carried.text(),
        f"计算总分{comparison}" if comparison else "",
        "各项得分之和；剔除不适用指标后的折算见下行" if rescaled else result.total.explanation.text(),
    ]
    put(ws, r, col["计算依据"], "\n".join(b for b in basis if b))
    emphasise(r)
    if rescaled:
        r = new_row("折算总分")
        figures(r, (None, None, total))
        put(ws, r, col["计算依据"], result.total.explanation.text())
        bold_row(ws, r, ncols)
    if stated is not None and stated != claimed:
        r = new_row("单位所述自评总分")
        figures(r, (None, stated, total))
        what = f"各项自评得分之和（{fmt(claimed)} 分）" if claimed is not None else "各项均无自评得分"
        put(ws, r, col["计算依据"], f"单位所述自评总分与{what}不一致")
    r = new_row("等级（自评等级 / 计算等级）")
    put(ws, r, col["自评得分"], c.grade, align="center")
    put(ws, r, col["计算得分"], result.grade, align="center")
    put(
        ws,
        r,
        col["计算依据"],
        result.rules.name + "：" + "、".join(f"{g.grade} ≥ {fmt(g.min_score)} 分" for g in result.rules.grades),
    )
    r = new_row("可得最高分")
    put(ws, r, col["计算得分"], number(result.max_attainable.value), number_format=NUMBER, align="right")
    put(ws, r, col["计算依据"], result.max_attainable.explanation.text())

    row += 2
    note = f"注：{result.framework.points_note}"
    if e.framework_note:
        note += f"\n{e.framework_note}"
    put(ws, row, 1, note, size=9, border=False)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)

    set_widths(ws, [_LEVEL_WIDTH] * levels + list(_WIDTHS))
    page_setup(ws, title_rows="3:4", freeze=f"{get_column_letter(levels + 1)}5")
    wb.properties.title = sheet_title(e, "自评指标评分表")
    wb.properties.creator = "jixiao"
    wb.save(path)
    return path


def _text(figure: Figure) -> str:
    return figure.explanation.text()
