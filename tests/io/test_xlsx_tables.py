"""自评基础数据表 and 自评指标评分表: real workbooks, values in the right cells, official-style formatting."""

import re
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from jixiao.io.evaluation_file import load_evaluation
from jixiao.io.xlsx.basic_data import write_basic_data_xlsx
from jixiao.io.xlsx.cells import MAX_ROW_HEIGHT, fit_height, new_workbook, put, set_widths, text_height, text_lines
from jixiao.io.xlsx.scoring_sheet import write_scoring_xlsx
from jixiao.io.xlsx.selfeval_write import write_selfeval_table
from tests.conftest import EXAMPLE, make, run
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
# Printing: row heights and page setup
# --------------------------------------------------------------------------------------------


def test_a_line_holds_as_many_characters_as_its_width_allows():
    # 22 width units at 10.5 pt leave room for 10 full-width characters a line
    assert text_lines("中" * 10, 22) == 1
    assert text_lines("中" * 11, 22) == 2
    assert text_lines("中" * 10, 22, size=21) == 2  # twice the size, half the characters a line
    assert text_lines("中" * 10, 44) == 1 and text_lines("中" * 21, 44) == 2


def test_explicit_line_breaks_and_whole_latin_words_start_new_lines():
    assert text_lines("中\n中\n中", 22) == 3
    assert text_lines("中" * 8 + "ab", 22) == 1
    assert text_lines("中" * 8 + "Science", 22) == 2  # the word moves whole to the next line
    assert text_lines("Science" * 6, 22) == 3  # a word longer than a line breaks anywhere: 25.92 em in 10
    assert text_height("中" * 11, 22) == 2 * 10.5 * 1.45 + 4
    assert text_height("年度总体目标", 4.5, stacked=True) == 6 * 10.5 * 1.45 + 4


def sheet_with(texts: dict[str, str], widths=(10, 12, 30), merges=()):
    wb = new_workbook()
    ws = wb.active
    for ref, text in texts.items():
        put(ws, ws[ref].row, ws[ref].column, text)
    for block in merges:
        ws.merge_cells(block)
    set_widths(ws, widths)
    fit_height(ws)
    return ws


def test_a_row_is_as_tall_as_its_tallest_text_in_the_width_it_is_shown_in():
    long = "湛江市科协坚持以习近平新时代中国特色社会主义思想为指导" * 3
    ws = sheet_with({"A1": long, "C1": "短", "A2": long}, merges=["A2:C2"])
    assert ws.row_dimensions[1].height == text_height(long, 10)
    assert ws.row_dimensions[2].height == text_height(long, 10 + 12 + 30)  # merged: the block's width
    assert ws.row_dimensions[1].height > 4 * ws.row_dimensions[2].height
    assert ws.row_dimensions[3].height is None  # an empty row keeps the default


def test_a_block_merged_down_several_rows_shares_its_height_among_them():
    ws = sheet_with({"A1": "年度总体目标", "B1": "一", "B2": "二"}, merges=["A1:A2"])
    ws["A1"].alignment = Alignment(text_rotation=255, wrap_text=True)
    fit_height(ws)
    heights = [ws.row_dimensions[r].height for r in (1, 2)]
    assert sum(heights) == pytest.approx(text_height("年度总体目标", 10, stacked=True))
    assert heights[0] == heights[1]


def test_a_text_too_long_for_one_row_is_set_smaller_and_the_row_stops_at_409_points():
    ws = sheet_with({"A1": "中" * 1500, "A2": "中" * 9000})
    assert ws["A1"].font.sz < 10.5 and ws.row_dimensions[1].height <= MAX_ROW_HEIGHT
    assert ws["A1"].font.name == "宋体"
    assert ws["A2"].font.sz == 7.5 and ws.row_dimensions[2].height == MAX_ROW_HEIGHT


def test_every_sheet_of_every_workbook_prints_on_a4_one_page_wide_with_its_headers_and_page_numbers(tmp_path):
    result = run(load_evaluation(EXAMPLE))
    for write in (write_basic_data_xlsx, write_scoring_xlsx, write_selfeval_table):
        wb = openpyxl.load_workbook(write(result, tmp_path / f"{write.__name__}.xlsx"))
        assert wb._fonts[0].name == "宋体"  # the unit of column width everywhere
        for ws in wb.worksheets:
            setup = ws.page_setup
            assert (int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (9, 1, 0), ws.title
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert ws.print_area == f"'{ws.title}'!$A$1:${get_column_letter(ws.max_column)}${ws.max_row}"
            assert ws.print_title_rows
            assert ws.oddFooter.center.text == "第 &P 页，共 &N 页" and ws.oddFooter.left.text == "&A"
            assert ws.page_margins.left == 0.5 and ws.print_options.horizontalCentered
            heights = [d.height for d in ws.row_dimensions.values() if d.height]
            assert heights and max(heights) <= MAX_ROW_HEIGHT
            # everything shown is Chinese: no rule-set or framework ids, no raw model locations
            shown = [ws.title] + [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
            assert not [t for t in shown if re.search(r"mof-|guangdong-|claims\.|funds\.|indicators\.", t)]
    # wide tables turn the page; the 附1 and the project sheet are portrait, like the official forms
    orientation = {
        ws.title: ws.page_setup.orientation
        for path in tmp_path.glob("*.xlsx")
        for ws in openpyxl.load_workbook(path).worksheets
    }
    assert orientation["项目支出绩效自评表"] == orientation["项目基本信息"] == "portrait"
    assert orientation["自评指标评分表"] == orientation["资金情况"] == orientation["产出记录"] == "landscape"


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
        assert ws["A1"].value == f"2022年度科普专项经费{ws.title}"
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
        "资金来源", "来源说明", "年初预算数\n（万元）", "全年预算数\n（万元）", "实际到位数\n（万元）", "到位日期",
        "全年执行数\n（万元）", "差异说明",
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
    assert ws["A1"].value == "2022年度科普专项经费自评指标评分表"
    assert {"A1:L1", "A3:C3", "D3:D4", "G3:G4", "L3:L4"} <= merged(ws)
    assert ws["A3"].value == "指标"
    assert [ws.cell(4, c).value for c in (1, 2, 3)] == ["一级指标", "二级指标", "三级指标"]
    assert [ws.cell(3, c).value for c in range(4, 13)] == [
        "分值", "年度指标值", "实际完成值", "自评得分", "计算得分", "计分方式", "差异\n（自评−计算）", "计算依据",
        "偏差原因分析及改进措施",
    ]  # fmt: skip
    assert ws.freeze_panes == "D5"
    assert ws.print_title_rows == "$3:$4"
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["K"].width == 36
    cell = ws["C8"]
    assert cell.font.name == "宋体" and cell.alignment.wrap_text and cell.border.bottom.style == "thin"


def scoring_rows(ws):
    """The rows from the first below the header down to 总分: (level, name, row), level 0 for 预算执行率."""
    levels = next(c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value == "分值") - 1
    rows = []
    for r in range(5, ws.max_row + 1):
        level, name = next(((c, ws.cell(r, c).value) for c in range(1, levels + 1) if ws.cell(r, c).value), (0, None))
        if name == "总分":
            return rows, r, levels
        rows.append((0 if (level, name) == (1, "预算执行率") else level, name, r))
    raise AssertionError("没有总分行")


def figure(ws, r, c) -> Decimal | None:
    value = ws.cell(r, c).value
    return None if value is None else Decimal(str(value))


def total(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def assert_the_sums_hold(ws) -> None:
    """Every 小计 is the sum of the leaves printed under it, 总分 the sum of the 一级 subtotals and 预算执行率,
    in 分值, 自评得分 and 计算得分; every 差异 is 自评 − 计算 of the printed figures."""
    rows, total_row, levels = scoring_rows(ws)
    points, claimed, computed, method, diff = (levels + i for i in (1, 4, 5, 6, 7))
    for i, (level, name, r) in enumerate(rows):
        if ws.cell(r, method).value == "小计":
            below = []
            for deeper, _, rr in rows[i + 1 :]:
                if deeper <= level:
                    break
                if ws.cell(rr, method).value != "小计":
                    below.append(rr)
            assert below, name
            for c in (points, claimed, computed):
                assert figure(ws, r, c) == total(figure(ws, rr, c) for rr in below), (name, c)
        a, b = figure(ws, r, claimed), figure(ws, r, computed)
        assert figure(ws, r, diff) == (None if a is None or b is None else a - b), name
    parts = [r for level, _, r in rows if level <= 1]
    for c in (points, claimed, computed):
        assert figure(ws, total_row, c) == total(figure(ws, r, c) for r in parts), c
    for row in ws.iter_rows(min_row=5, min_col=levels + 1, max_col=levels + 7):
        for cell in row:
            if isinstance(cell.value, float) and cell.number_format == "0.00":
                assert Decimal(str(cell.value)) == Decimal(str(cell.value)).quantize(Decimal("0.01"))


def test_the_scoring_sheet_puts_claimed_and_computed_scores_side_by_side(tmp_path):
    result = case_153()
    ws = openpyxl.load_workbook(write_scoring_xlsx(result, tmp_path / "t.xlsx")).active
    rows = rows_by_label(ws)
    # 预算执行率 row: 100 / 153 → 65.36% → 6.54 of 10; no self-score for it in this case
    r = rows["预算执行率"]
    assert [ws.cell(r, c).value for c in (4, 5, 6, 7, 8, 9, 10)] == [10, 1, 0.6536, None, 6.54, "计算", None]
    assert ws.cell(r, 6).number_format == "0.00%" and ws.cell(r, 8).number_format == "0.00"
    assert "65.36% × 10.00 = 6.54" in ws.cell(r, 11).value
    # the tree as an outline: each parent's row with its subtotal, then its children
    output = rows["产出指标"]
    assert [ws.cell(output, c).value for c in (4, 7, 8, 9, 10)] == [50, 50, 50, "小计", 0]
    assert ws.cell(output, 1).font.b and f"A{output}:C{output}" in merged(ws)
    assert (ws.cell(output + 1, 2).value, ws.cell(output + 1, 9).value) == ("数量指标", "小计")
    first = result.indicators[0]
    leaf = output + 2
    assert [ws.cell(leaf, c).value for c in range(1, 11)] == [
        None, None, first.path[-1], float(first.points), first.indicator.target, first.indicator.actual,
        float(first.indicator.claimed_score), float(first.computed), "计算", 0,
    ]  # fmt: skip
    assert ws.cell(leaf, 11).value.endswith(first.explanation.text())
    # 总分 sums the printed parts; the unit's stated 100 differs from its own line scores (90), and says so
    r = rows["总分"]
    assert [ws.cell(r, c).value for c in (4, 7, 8, 10)] == [100, 90, 96.54, -6.54]
    assert "计算总分比单位自评低 3.46 分" in ws.cell(r, 11).value
    stated = rows["单位所述自评总分"]
    assert [ws.cell(stated, c).value for c in (7, 8, 10)] == [100, 96.54, 3.46]
    assert ws.cell(stated, 10).font.color.rgb.endswith("C00000")
    assert "与各项自评得分之和（90.00 分）不一致" in ws.cell(stated, 11).value
    grade = rows["等级（自评等级 / 计算等级）"]
    assert (ws.cell(grade, 7).value, ws.cell(grade, 8).value) == ("优秀", "优")
    assert ws.cell(rows["可得最高分"], 8).value == 96.54
    assert_the_sums_hold(ws)


def test_the_unit_s_own_execution_score_sits_beside_the_computed_one_and_enters_its_total(tmp_path):
    result = case_153(claims={**CLAIMS_153, "execution_score": 10})
    ws = openpyxl.load_workbook(write_scoring_xlsx(result, tmp_path / "t.xlsx")).active
    rows = rows_by_label(ws)
    assert [ws.cell(rows["预算执行率"], c).value for c in (7, 8, 10)] == [10, 6.54, 3.46]
    assert [ws.cell(rows["总分"], c).value for c in (7, 8, 10)] == [100, 96.54, 3.46]
    assert "单位所述自评总分" not in rows  # 100 is the sum of the unit's own lines
    assert_the_sums_hold(ws)


def test_the_zhanjiang_sheet_adds_up_and_says_how_much_rests_on_the_unit_s_own_scores(tmp_path):
    result = run(load_evaluation(EXAMPLE))
    assert result.carried.count  # the example carries some of the unit's scores
    ws = openpyxl.load_workbook(write_scoring_xlsx(result, tmp_path / "t.xlsx")).active
    assert_the_sums_hold(ws)
    rows = rows_by_label(ws)
    r = rows["总分"]
    assert figure(ws, r, 9) == result.total.value == result.indicator_sum  # no 预算执行率 row in this framework
    assert ws.cell(r, 12).value.startswith(result.carried.text())
    assert "须人工复核" in ws.cell(r, 12).value
    methods = {ws.cell(rr, 10).value for rr in range(5, r)}
    assert {"小计", "计算", "采用自评分，须人工复核", "不适用"} <= methods
    assert "经济效益" in rows_by_label(ws, 3)
    not_applicable = rows_by_label(ws, 3)["经济效益"]
    assert ws.cell(not_applicable, 9).value is None and ws.cell(not_applicable, 10).value == "不适用"


def test_a_rescaled_total_is_printed_below_the_sum_it_is_rescaled_from(tmp_path):
    e = make()
    leaf = e.indicators[1].children[0].children[0]
    leaf.not_applicable = True
    result = run(e)
    assert result.total.value != result.indicator_sum + result.execution_score.value  # 30 points dropped
    ws = openpyxl.load_workbook(write_scoring_xlsx(result, tmp_path / "t.xlsx")).active
    assert_the_sums_hold(ws)
    rows = rows_by_label(ws)
    assert figure(ws, rows["总分"], 8) == result.indicator_sum + result.execution_score.value
    rescaled = rows["折算总分"]
    assert figure(ws, rescaled, 8) == result.total.value
    assert "按 100 分折算" in ws.cell(rescaled, 11).value


def test_a_four_level_tree_gets_four_level_columns(tmp_path):
    ws = openpyxl.load_workbook(write_scoring_xlsx(run(guangdong_evaluation()), tmp_path / "t.xlsx")).active
    assert [ws.cell(4, c).value for c in (1, 2, 3, 4)] == ["一级指标", "二级指标", "三级指标", "四级指标"]
    assert "A3:D3" in merged(ws) and ws.freeze_panes == "E5"
    rows = rows_by_label(ws, 3)
    assert ws.cell(rows["资金到位"], 5).value == 10  # a parent at the third level, with its subtotal
    assert ws.cell(rows["资金到位"] + 1, 4).value == "资金到位率"
    progress = rows["完成进度"]
    assert f"C{progress}:D{progress}" in merged(ws)  # a third-level leaf spans the 四级 column
    assert "预算执行率" not in rows_by_label(ws)  # guangdong-4level scores execution inside the tree
    assert "非官方分值" in ws["A2"].value
    assert_the_sums_hold(ws)
