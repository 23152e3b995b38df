"""A draw as a workbook, in the house style (``io.xlsx.cells``): the list of evaluations drawn with why each was
drawn, then a sheet per 主管部门 of how the sample was allocated, and the criteria."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from ...io.xlsx.cells import AMOUNT, NUMBER, new_workbook, number, page_setup, put, set_widths, title_row
from .models import SampleDraw, SampleItem


def write_sample_xlsx(draw: SampleDraw, items: list[SampleItem], path: Path) -> Path:
    wb = new_workbook()
    ws = wb.active
    ws.title = "抽查名单"
    headers = [
        "序号",
        "主管部门",
        "预算单位",
        "项目名称",
        "全年预算数（万元）",
        "抽取方式",
        "部门内排名",
        "风险分",
        "抽取理由",
    ]
    title_row(ws, 1, f"{draw.finance.name}{draw.year}年度项目支出绩效自评抽查复核名单", len(headers))
    put(ws, 2, 1, _criteria(draw), align="left")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    for col, text in enumerate(headers, 1):
        put(ws, 3, col, text, bold=True, align="center")
    labels = dict(SampleItem.Part.choices)
    for r, item in enumerate(items, 4):
        put(ws, r, 1, item.position, align="right")
        put(ws, r, 2, item.department_name)
        put(ws, r, 3, item.unit_name)
        put(ws, r, 4, item.project_name)
        put(ws, r, 5, number(item.budget_wan), number_format=AMOUNT, align="right")
        put(ws, r, 6, labels.get(item.part, item.part))
        put(ws, r, 7, item.rank, align="right")
        put(ws, r, 8, number(item.risk_score), number_format=NUMBER, align="right")
        put(ws, r, 9, item.why)
    set_widths(ws, [6, 20, 22, 30, 12, 10, 8, 8, 60])
    page_setup(ws, title_rows="3:3", freeze="A4")

    per = wb.create_sheet("各主管部门")
    headers = ["主管部门", "候选数", "按比例分得", "实际分配", "按风险抽取", "随机抽取"]
    title_row(per, 1, f"{draw.year}年度抽查复核：各主管部门的分配", len(headers))
    for col, text in enumerate(headers, 1):
        put(per, 2, col, text, bold=True, align="center")
    for r, d in enumerate(draw.per_department, 3):
        values = [d["department"], d["candidates"], d["proportional"], d["allocated"], d["risk"], d["random"]]
        for col, value in enumerate(values, 1):
            put(per, r, col, value, align="left" if col == 1 else "right")
    set_widths(per, [30, 10, 12, 10, 12, 10])
    page_setup(per, title_rows="2:2", freeze="A3")
    wb.save(path)
    return path


def _criteria(draw: SampleDraw) -> str:
    notes = "；".join(draw.criteria.get("notes", []))
    return (
        f"抽取条件：{'、'.join(draw.criteria.get('statuses', []))}的评价共 {draw.candidates} 个，按{draw.size_label}应抽 {draw.asked} 个，"
        f"每个主管部门至少 {draw.minimum_per_department} 个，其中随机抽取 {draw.random_share_label}，"
        f"随机种子 {draw.seed}；实际抽取 {draw.drawn} 个。{notes + '。' if notes else ''}"
        f"抽取人：{draw.drawn_by_name}，{timezone.localtime(draw.drawn_at):%Y-%m-%d %H:%M}。"
    )
