"""The next-year budget list as a workbook, in the house style (``io.xlsx.cells``): one row per evaluation with the
grade it is judged by, the policy's action and suggested budget with the formula, and finance's decision."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from ...io.xlsx.cells import AMOUNT, NUMBER, new_workbook, number, page_setup, put, set_widths, title_row
from ...io.xlsx.results_summary import MONEY
from ..organisations.models import Organisation
from .services import BudgetLine, PolicyInForce

HEADERS = (
    "序号", "主管部门", "预算单位", "项目名称", "本年全年预算数（万元）", "依据等级", "得分", "处理方式",
    "建议预算（万元）", "计算过程", "调整后预算（万元）", "调整理由", "决定人",
)  # fmt: skip
WIDTHS = (6, 16, 18, 26, 14, 12, 8, 16, 14, 36, 14, 24, 12)


def write_budget_xlsx(
    finance: Organisation, year: int, in_force: PolicyInForce, lines: list[BudgetLine], path: Path
) -> Path:
    wb = new_workbook()
    ws = wb.active
    ws.title = "下年预算安排建议"
    ncols = len(HEADERS)
    title_row(ws, 1, f"{finance.name}{year}年度绩效自评结果应用：下年预算安排建议", ncols)
    put(
        ws, 2, 1,
        f"按“{in_force.policy.name}”（{in_force.label}）计算；等级取复核等级，未复核的取计算等级；"
        f"导出时间 {timezone.localtime():%Y-%m-%d %H:%M}。",
        border=False,
    )  # fmt: skip
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    for col, text in enumerate(HEADERS, 1):
        put(ws, 3, col, text, bold=True, align="center")
    for r, line in enumerate(lines, 4):
        decision = line.decision
        values: list[tuple[object, str | None, str]] = [
            (r - 3, None, "right"),
            (line.department_name, None, "left"),
            (line.unit_name, None, "left"),
            (line.project_name, None, "left"),
            (number(line.budget_wan), MONEY, "right"),
            (line.grade_label, None, "center"),
            (number(line.score), NUMBER, "right"),
            (line.suggestion.action, None, "left"),
            (number(line.suggestion.suggested_wan), MONEY, "right"),
            (line.suggestion.explanation.formula, None, "left"),
            (number(decision.decided_wan) if decision else None, AMOUNT if decision else None, "right"),
            (decision.reason if decision else None, None, "left"),
            (decision.decided_by_name if decision else None, None, "left"),
        ]
        for col, (value, number_format, align) in enumerate(values, 1):
            put(ws, r, col, value, number_format=number_format, align=align)
    set_widths(ws, WIDTHS)
    page_setup(ws, title_rows="3:3", freeze="E4")
    wb.save(path)
    return path
