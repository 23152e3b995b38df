"""The 自评指标评分表: each leaf indicator with the unit's score beside jixiao's, the difference and the reason."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ...core.model import INDICATOR_KIND_LABELS, Evaluation
from ...core.result import EvaluationResult, Figure, ScoreBasis
from ...core.values import fmt, fmt_pct
from .cells import NUMBER, _diff, bold_row, merge, number, page_setup, put, set_widths, sheet_title, title_row

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


def _depth(evaluation: Evaluation) -> int:
    return max((len(path) for path, _ in evaluation.nodes()), default=1)


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
