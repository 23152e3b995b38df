"""自评基础数据表 and 自评指标评分表: real workbooks, values in the right cells, official-style formatting."""

from decimal import Decimal

import openpyxl

from jixiao.io.xlsx.basic_data import write_basic_data_xlsx
from jixiao.io.xlsx.scoring_sheet import write_scoring_xlsx
from tests.conftest import make, run
from tests.io.test_selfeval_table import FUNDS_153, guangdong_evaluation

CLAIMS_153 = {
    "total_score": 100,
    "grade": "优秀",
    "budget_wan": 153,
    "arrived_wan": 100,
    "arrival_rate_pct": "65.36%",
    "spend_rate_pct": "100%",
    "execution_rate_pct": "100%",
    "quotes": {"execution_rate_pct": "预算执行率100%"},
}


def case_153(**changes):
    data = {"funds": FUNDS_153, "claims": CLAIMS_153}
    data.update(changes)
    return run(make(**data))


def rows_by_label(ws, col=1):
    """Label in ``col`` → the first row holding it."""
    rows = {}
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, col).value is not None:
            rows.setdefault(ws.cell(r, col).value, r)
    return rows


def merged(ws):
    return {str(r) for r in ws.merged_cells.ranges}


# --------------------------------------------------------------------------------------------
# 自评基础数据表
# --------------------------------------------------------------------------------------------


def test_the_basic_data_workbook_has_one_sheet_per_subject_each_titled_with_project_and_year(tmp_path):
    project = {"name": "科普专项经费", "year": 2022, "department": "湛江市科学技术协会", "unit": "湛江市科学技术协会",
               "basis": [{"title": "湛江市科普工作实施方案", "number": "湛科协〔2022〕5号"}]}  # fmt: skip
    e = make(
        project=project,
        allocations=[{"recipient": "各县（市、区）科协", "amount_wan": 33, "purpose": "基层科普", "count": 5}],
        outputs=[{"title": "科普讲座", "date": "2022-05-20", "count": 12, "count_unit": "场", "participants": 600}],
        surveys=[{"id": "S1", "title": "活动满意度调查", "respondents": 200, "satisfied": 190, "method": "问卷"}],
    )
    path = write_basic_data_xlsx(run(e), tmp_path / "自评基础数据表.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["项目基本信息", "资金情况", "资金分配", "绩效目标", "产出记录", "满意度调查"]
    for ws in wb.worksheets:
        assert ws["A1"].value == f"科普专项经费（2022年度）{ws.title}"
        assert ws["A1"].font.name == "宋体"
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
    info = wb["项目基本信息"]
    labels = rows_by_label(info)
    assert info.cell(labels["主管部门"], 2).value == "湛江市科学技术协会"
    assert info.cell(labels["评价年度"], 2).value == 2022
    basis = labels["实施依据"]
    assert [c.value for c in info[basis + 1]] == ["序号", "文件名称", "文号"]
    assert [c.value for c in info[basis + 2]] == [1, "湛江市科普工作实施方案", "湛科协〔2022〕5号"]
    alloc = wb["资金分配"]
    assert [c.value for c in alloc[3]] == ["序号", "接收单位/对象", "金额（万元）", "用途", "项目数"]
    assert (alloc["B4"].value, alloc["C4"].value, alloc["C5"].value) == ("各县（市、区）科协", 33, 33)
    outputs = wb["产出记录"]
    assert (outputs["B4"].value, outputs["E4"].value, outputs["H4"].value) == ("科普讲座", 12, 600)
    assert outputs["C4"].number_format == "yyyy-mm-dd"
    surveys = wb["满意度调查"]
    assert surveys["F4"].value == 0.95 and surveys["F4"].number_format == "0.00%"
    goals = wb["绩效目标"]
    assert (goals["B4"].value, goals["D4"].value) == ("总体目标", "开展科普活动，提升公民科学素质")


def test_the_funds_sheet_shows_rows_totals_and_computed_rates_beside_the_stated_ones(tmp_path):
    path = write_basic_data_xlsx(case_153(), tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["资金情况"]
    headers = [c.value for c in ws[3]]
    assert headers == [
        "资金来源", "来源说明", "年初预算数（万元）", "全年预算数（万元）", "实际到位数（万元）", "到位日期",
        "全年执行数（万元）", "差异说明",
    ]  # fmt: skip
    assert [ws.cell(4, c).value for c in (1, 3, 4, 5, 6, 7)] == ["当年财政拨款", 153, 153, 100, "2022-06-30", 100]
    assert ws["A5"].value == "合计" and ws["D5"].value == 153
    rows = rows_by_label(ws)
    arrival = rows["资金到位率"]
    assert ws.cell(arrival, 2).value == 0.6536 and ws.cell(arrival, 2).number_format == "0.00%"  # computed
    assert ws.cell(arrival, 3).value == 0.6536  # stated
    assert "实际到位资金 ÷ 全年预算数" in ws.cell(arrival, 5).value
    execution = next(r for label, r in rows.items() if str(label).startswith("预算执行率"))
    assert "全年执行数 ÷ 全年预算数" in ws.cell(execution, 1).value  # the basis is named
    assert (ws.cell(execution, 2).value, ws.cell(execution, 3).value) == (0.6536, 1.0)
    assert ws.cell(execution, 4).value == 0.3464 and ws.cell(execution, 4).font.color.rgb.endswith("C00000")
    assert "原文：预算执行率100%" in ws.cell(execution, 5).value
    assert f"E{execution}:H{execution}" in merged(ws)
    assert ws.cell(rows["实际到位数（万元）"], 2).value == 100
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"


def test_several_arrivals_are_listed_with_their_amounts(tmp_path):
    funds = [{"source": "current", "annual_budget_wan": 153, "executed_wan": 100,
              "arrivals": [{"amount_wan": 60, "date": "2022-03-01"}, {"amount_wan": 40}]}]  # fmt: skip
    ws = openpyxl.load_workbook(write_basic_data_xlsx(run(make(funds=funds)), tmp_path / "t.xlsx"))["资金情况"]
    assert ws["F4"].value == "2022-03-01（60.00万元）；日期未填（40.00万元）"


# --------------------------------------------------------------------------------------------
# 自评指标评分表
# --------------------------------------------------------------------------------------------


def test_the_scoring_sheet_has_official_headers_frozen_and_printable(tmp_path):
    ws = openpyxl.load_workbook(write_scoring_xlsx(case_153(), tmp_path / "t.xlsx")).active
    assert ws.title == "自评指标评分表"
    assert ws["A1"].value == "科普专项经费（2022年度）自评指标评分表"
    assert {"A1:K1", "A3:C3", "D3:D4", "G3:G4", "K3:K4"} <= merged(ws)
    assert ws["A3"].value == "指标"
    assert [ws.cell(4, c).value for c in (1, 2, 3)] == ["一级指标", "二级指标", "三级指标"]
    assert [ws.cell(3, c).value for c in range(4, 12)] == [
        "分值", "年度指标值", "实际完成值", "自评得分", "计算得分", "差异（自评−计算）", "计算依据", "偏差原因分析及改进措施",
    ]  # fmt: skip
    assert ws.freeze_panes == "D5"
    assert ws.print_title_rows == "$3:$4"
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_margins.left == 0.5
    assert ws.column_dimensions["J"].width == 48
    cell = ws["C6"]
    assert cell.font.name == "宋体" and cell.alignment.wrap_text and cell.border.bottom.style == "thin"


def test_the_scoring_sheet_puts_claimed_and_computed_scores_side_by_side(tmp_path):
    result = case_153()
    ws = openpyxl.load_workbook(write_scoring_xlsx(result, tmp_path / "t.xlsx")).active
    rows = rows_by_label(ws)
    # 预算执行率 row: 100 / 153 → 65.36% → 6.54 of 10, rounded only at the cell
    r = rows["预算执行率"]
    assert (ws.cell(r, 4).value, ws.cell(r, 6).value, ws.cell(r, 8).value) == (10, "65.36%", 6.54)
    assert ws.cell(r, 8).number_format == "0.00"
    assert "65.36% × 10.00 = 6.54" in ws.cell(r, 10).value
    # one row per leaf, with every level
    first = result.indicators[0]
    leaf = rows[first.path[0]]
    assert [ws.cell(leaf, c).value for c in range(1, 10)] == [
        *first.path, float(first.points), first.indicator.target, first.indicator.actual,
        float(first.indicator.claimed_score), float(first.computed), 0,
    ]  # fmt: skip
    assert ws.cell(leaf, 10).value.endswith(first.explanation.text())
    total = rows["总分（自评总分 / 计算总分）"]
    assert (ws.cell(total, 4).value, ws.cell(total, 7).value, ws.cell(total, 8).value) == (100, 100, 96.54)
    assert ws.cell(total, 9).value == 3.46 and ws.cell(total, 9).font.color.rgb.endswith("C00000")
    grade = rows["等级（自评等级 / 计算等级）"]
    assert (ws.cell(grade, 7).value, ws.cell(grade, 8).value) == ("优秀", "优")
    best = rows["可得最高分"]
    assert ws.cell(best, 8).value == 96.54
    for row in ws.iter_rows(min_row=5, min_col=4, max_col=9):
        for cell in row:
            if isinstance(cell.value, float):
                assert Decimal(str(cell.value)) == Decimal(str(cell.value)).quantize(Decimal("0.01"))


def test_a_four_level_tree_gets_four_level_columns(tmp_path):
    ws = openpyxl.load_workbook(write_scoring_xlsx(run(guangdong_evaluation()), tmp_path / "t.xlsx")).active
    assert [ws.cell(4, c).value for c in (1, 2, 3, 4)] == ["一级指标", "二级指标", "三级指标", "四级指标"]
    assert "A3:D3" in merged(ws) and ws.freeze_panes == "E5"
    rows = rows_by_label(ws, 3)
    assert ws.cell(rows["资金到位"], 4).value == "资金到位率"
    assert ws.cell(rows["完成进度"], 4).value is None  # a third-level leaf leaves 四级 empty
    assert "预算执行率" not in rows_by_label(ws)  # guangdong-4level scores execution inside the tree
    assert "非官方分值" in ws["A2"].value
