"""The 结果应用汇总表 as written: title, 编制单位 and 单位, a two-row header, one row per 主管部门, the 合计 row added
up from the rows with its 执行率 from the sums, and the print set-up of a report."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from jixiao.io.xlsx.results_summary import SummaryRow, total_of, write_results_summary

D = Decimal

ROWS = [
    SummaryRow(
        department="甲主管部门",
        count=3,
        grades={"优": 1, "良": 1, "中": 1},
        budget_wan=D("153.0000"),
        executed_wan=D("150.0000"),
        reviewed=2,
        gap_count=2,
        gap_sum=D("7.50"),
        closed=1,
        unclosed=2,
    ),
    SummaryRow(
        department="乙主管部门",
        count=2,
        grades={"差": 1, "未评分": 1},
        budget_wan=D("47.0000"),
        executed_wan=D("10.0000"),
        reviewed=0,
        closed=0,
        unclosed=0,
    ),
]


@pytest.fixture
def sheet(tmp_path: Path) -> openpyxl.worksheet.worksheet.Worksheet:
    path = write_results_summary(
        ROWS,
        total_of(ROWS),
        title="测试市财政局2022年度项目支出绩效自评结果应用汇总表",
        year=2022,
        issuer="测试市财政局",
        path=tmp_path / "summary.xlsx",
    )
    return openpyxl.load_workbook(path)["结果应用汇总表"]


def values(ws: openpyxl.worksheet.worksheet.Worksheet, row: int) -> list[object]:
    return [c.value for c in ws[row]]


def test_the_title_issuer_and_unit_head_the_table(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    assert sheet["A1"].value == "测试市财政局2022年度项目支出绩效自评结果应用汇总表"
    assert "A1:O1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "编制单位：测试市财政局　　评价年度：2022年度"
    assert sheet["M2"].value == "单位：万元"


def test_the_header_has_two_rows_with_grouped_headings(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    assert values(sheet, 3) == [
        "序号", "主管部门", "项目数（个）", "评价等级（个）", None, None, None, None,
        "全年预算数", "全年执行数", "预算执行率（%）", "复核情况", None, "整改事项（项）", None,
    ]  # fmt: skip
    assert values(sheet, 4)[3:8] == ["优", "良", "中", "差", "未评分"]
    assert values(sheet, 4)[11:] == ["已复核（个）", "自评与复核平均差（分）", "已销号", "未销号"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "D3:H3", "L3:M3", "N3:O3"} <= merged


def test_one_row_per_department_with_the_rate_of_its_sums(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    assert values(sheet, 5) == [1, "甲主管部门", 3, 1, 1, 1, 0, 0, 153.0, 150.0, 98.04, 2, 3.75, 1, 2]
    assert values(sheet, 6) == [2, "乙主管部门", 2, 0, 0, 0, 1, 1, 47.0, 10.0, 21.28, 0, None, 0, 0]
    assert sheet["I5"].number_format == "#,##0.00" and sheet["K5"].number_format == "0.00"


def test_the_total_row_adds_the_rows_and_its_rate_is_the_sum_executed_over_the_sum_budgeted(
    sheet: openpyxl.worksheet.worksheet.Worksheet,
) -> None:
    # 160 / 200 = 80.00%, not the mean of 98.04% and 21.28% (59.66%)
    assert values(sheet, 7) == [None, "合计", 5, 1, 1, 1, 1, 1, 200.0, 160.0, 80.0, 2, 3.75, 1, 2]
    assert all(sheet.cell(row=7, column=c).font.b for c in range(1, 16))
    assert sheet["A8"].value.startswith("说明：1. 评价等级取财政复核等级")


def test_the_total_of_no_rows_is_zero_with_no_rate() -> None:
    total = total_of([])
    assert (total.count, total.budget_wan, total.execution_rate, total.mean_gap) == (0, D(0), None, None)


def test_it_prints_as_a_report(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$3:$4"
    assert sheet.freeze_panes == "C5"
    assert sheet["B5"].border.left.style == "thin" and sheet["O7"].border.bottom.style == "thin"
