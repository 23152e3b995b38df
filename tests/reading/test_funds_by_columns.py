"""The fund block of a 自评表 read by its column headers: figures go under the column that means them, a
glued run is cut only where one reading fits the row's arithmetic, and what cannot be placed stays unread."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.audit.document import FundLine
from jixiao.core.audit.source import Place, SourceText
from jixiao.io.audit.audit_file import AuditSettings
from jixiao.reading.audit import audit_source
from jixiao.reading.extract import extract
from jixiao.reading.extract.flat import bordered, flatten
from jixiao.reading.extract.funds import read_fund_block
from tests.reading.sources import text_source

STANDARD_HEAD = "项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分"


def block(*lines: str) -> tuple[list[FundLine], list[str]]:
    return read_fund_block(flatten(text_source(*lines)))


def total(lines: list[FundLine]) -> FundLine:
    return next(line for line in lines if line.is_total)


def test_a_full_row_is_read_under_its_columns_as_written():
    lines, notes = block(STANDARD_HEAD, "年度资金总额 | 50 | 60 | 45 | 10 | 75% | 7.5", "年度总体目标 | 完成")
    row = total(lines)
    assert (row.initial_budget_wan, row.budget_wan, row.spent_wan) == (Decimal(50), Decimal(60), Decimal(45))
    assert (row.points, row.rate_pct, row.score) == (Decimal(10), Decimal(75), Decimal("7.5"))
    assert notes == []


def test_an_empty_cell_in_a_pipe_table_does_not_shift_the_columns():
    # the 年初预算数 cell is empty: the five figures are 全年预算数 … 得分, which the arithmetic proves
    lines, _ = block(STANDARD_HEAD, "年度资金总额 | | 120 | 96 | 10 | 80% | 8", "年度总体目标 | 完成")
    row = total(lines)
    assert row.initial_budget_wan is None
    assert (row.budget_wan, row.spent_wan, row.rate_pct, row.score) == (
        Decimal(120),
        Decimal(96),
        Decimal(80),
        Decimal(8),
    )


def test_the_empty_cells_of_a_pipe_line_keep_their_places():
    # no 执行率 or 得分 to prove anything: only the empty cells say that 300 is the 全年预算数, not the 年初预算数
    for row in ("年度资金总额 | | 300 | 280 | | | ", "| 年度资金总额 | | 300 | 280 | | | |"):
        ex = extract(text_source("项目支出绩效自评表", STANDARD_HEAD, row, "年度总体目标 | 完成"))
        assert ex.facts["budget_wan"].value == Decimal(300)
        assert ex.facts["spent_wan"].value == Decimal(280)
        assert "initial_budget_wan" not in ex.facts


def test_without_its_empty_cells_the_same_row_stays_unread():
    lines, notes = block(STANDARD_HEAD, "年度资金总额 | | 300 | 280 | | | ", "年度总体目标 | 完成")
    assert lines == []
    assert any("无法唯一对应" in note for note in notes)


def test_a_row_with_missing_values_that_nothing_proves_stays_unread():
    lines, notes = block(STANDARD_HEAD, "年度资金总额 | 100 | 80", "年度总体目标 | 完成")
    assert lines == []
    assert any("无法唯一对应" in note for note in notes)


def test_a_yuan_table_is_read_in_wan():
    lines, notes = block(
        "项目资金(元) | 全年预算数 | 全年执行数 | 执行率", "年度资金总额 | 250000.00 | 200000.00 | 80%", "绩效指标"
    )
    row = total(lines)
    assert (row.budget_wan, row.spent_wan, row.rate_pct) == (Decimal(25), Decimal(20), Decimal(80))
    assert "资金栏以“元”为单位，已折算为万元" in notes


def test_a_glued_run_is_cut_where_one_reading_fits():
    lines, _ = block(
        "资金投入情况(万元)全年预算数(A)全年执行数(B)执行率(B/A)", "年度资金总额:250200.5880.23%", "绩效指标"
    )
    row = total(lines)
    assert (row.budget_wan, row.spent_wan, row.rate_pct) == (Decimal(250), Decimal("200.58"), Decimal("80.23"))


def test_a_glued_run_with_two_readings_is_left_unread_with_a_note():
    # 12 | 9 | 75% and 129 | 7 | 5% both fit (7/129 = 5.4%, printed as 5%): neither is taken
    lines, notes = block("资金投入情况(万元)全年预算数(A)全年执行数(B)执行率(B/A)", "年度资金总额:12975%", "绩效指标")
    assert lines == []
    assert any("12975%" in note and "未读取" in note for note in notes)


def test_a_percentage_is_never_read_as_an_amount():
    # a row as wide as the header, but with its percentage under 全年预算数: the row is misplaced, so unread
    lines, _ = block("项目资金(万元) | 全年预算数 | 全年执行数 | 执行率", "年度资金总额 | 90% | 100 | 90", "绩效指标")
    assert all(line.budget_wan is None and line.spent_wan is None for line in lines)


def test_a_year_is_never_read_as_an_amount():
    lines, _ = block(
        "项目资金(万元) | 全年预算数 | 全年执行数 | 执行率", "年度资金总额 | 2020年 | 100 | 90%", "绩效指标"
    )
    assert all(Decimal(2020) not in (line.budget_wan, line.spent_wan, line.initial_budget_wan) for line in lines)


def test_a_huge_number_in_a_cell_does_not_shift_the_columns():
    lines, _ = block(
        STANDARD_HEAD, "年度资金总额 | 12345678901234567 | 60 | 45 | 10 | 75% | 7.5", "年度总体目标 | 完成"
    )
    for line in lines:
        assert line.budget_wan != Decimal(60)
        assert line.spent_wan != Decimal(60)


def test_spent_is_never_taken_from_the_budget_column():
    lines, _ = block("项目资金(万元) | 全年预算数 | 全年执行数 | 执行率", "年度资金总额 | 300 | | ", "绩效指标")
    for line in lines:
        assert line.spent_wan is None


def test_figures_printed_after_the_header_away_from_their_row_name_need_the_arithmetic():
    # PDF text that scrambled the table: the row name comes after its figures; 8.62 = 10 × 21.55/25
    text = (
        "年初预算数 全年预算数 全年执行数 分值 执行率 得分 25 25 21.55 10 8.62 年度资金总额 项目资金(万元) 年度总体目标"
    )
    row = total(block(text)[0])
    assert (row.budget_wan, row.spent_wan, row.score) == (Decimal(25), Decimal("21.55"), Decimal("8.62"))


def test_a_header_with_its_figure_after_a_colon_is_the_total():
    ex = extract(text_source("预算执行情况", "预算数:", "2.38", "执行数:", "2.38", "年度总体目标"))
    assert ex.facts["budget_wan"].value == Decimal("2.38")
    assert ex.facts["spent_wan"].value == Decimal("2.38")


def test_a_row_that_lost_its_leading_digits_gives_only_what_its_arithmetic_proves():
    lines, notes = block(
        "年初预算数全年预算数全年执行数执行率执行率权重执行率得分",
        "年度资金总额其中财政拨款.32.06.579.27107.93",
        "绩效指标",
    )
    (line,) = lines
    assert (line.rate_pct, line.points, line.score) == (Decimal("79.27"), Decimal(10), Decimal("7.93"))
    assert line.budget_wan is None and line.spent_wan is None
    assert any("前部残缺" in note for note in notes)


def test_a_unit_printed_above_the_table_speaks_for_the_fund_block():
    lines, notes = block(
        "单位：元",
        "项目支出绩效自评表",
        "项目名称 | 某项目",
        "项目资金 | 全年预算数 | 全年执行数 | 执行率",
        "年度资金总额 | 1530000 | 1000000 | 65.36%",
        "绩效指标",
    )
    row = total(lines)
    assert (row.budget_wan, row.spent_wan) == (Decimal(153), Decimal(100))
    assert "资金栏以“元”为单位，已折算为万元" in notes


def test_a_bare_rate_that_is_not_spent_over_budget_means_the_row_is_misplaced():
    # a column the header words do not know (结余) shifted the figures: 10 stands under 执行率 but is no rate
    lines, _ = block("项目资金(万元) | 全年预算数 | 全年执行数 | 执行率", "年度资金总额 | 100 | 90 | 10", "绩效指标")
    assert all(line.rate_pct != Decimal(10) for line in lines)


def test_a_rate_printed_with_its_sign_is_read_as_written_even_when_wrong():
    lines, _ = block("项目资金(万元) | 全年预算数 | 全年执行数 | 执行率", "年度资金总额 | 100 | 90 | 95%", "绩效指标")
    assert total(lines).rate_pct == Decimal(95)


def test_a_joined_header_word_is_two_columns_when_the_row_has_no_rate_column_of_its_own():
    # PDF text ran "执行率 | 得分" together into "执行率得分"
    lines, _ = block(
        "项目资金 (万元) 全年预算数 全年执行数 分值 执行率得分", "年度资金总额: 80 60 10 75% 7.5", "绩效指标"
    )
    row = total(lines)
    assert (row.budget_wan, row.spent_wan, row.points, row.rate_pct, row.score) == (
        Decimal(80),
        Decimal(60),
        Decimal(10),
        Decimal(75),
        Decimal("7.5"),
    )


def test_a_total_row_that_names_its_column_is_read_without_a_header_row():
    ex = extract(text_source("项目资金", "年度预算资金总额: 1084.25", "其中:中央补助 668.00", "资金下达"))
    assert ex.facts["budget_wan"].value == Decimal("1084.25")


def test_a_second_block_of_a_sub_project_is_not_read_as_the_first():
    lines, _ = block(
        "项目资金 | 全年预算数 | 全年执行数 | 执行率",
        "年度资金总额 | 300 | 240 | 80%",
        "子项目一",
        "年度资金总额 | 100 | 100 | 100%",
        "绩效指标",
    )
    assert [line.budget_wan for line in lines if line.is_total] == [Decimal(300)]


def test_the_same_fund_source_named_twice_side_by_side_is_not_summed():
    ex = extract(
        text_source(
            "预算执行情况",
            "预算数:",
            "5",
            "执行数:",
            "4",
            "其中:中央补助 5万元",
            "其中:中央补助 4万元",
            "年度目标完成情况",
        )
    )
    assert (ex.facts["budget_wan"].value, ex.facts["spent_wan"].value) == (Decimal(5), Decimal(4))
    assert all(not line.label.endswith("中央补助") for line in ex.fund_lines)


def test_a_spreadsheet_row_is_read_under_the_columns_of_its_header_words():
    # the row name spans two merged cells (C:D), so the figures start one column later than the name's cell
    from jixiao.core.audit.source import SourceCell, SourceTable

    grid = [
        ["项目资金(万元)", "", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "", "年度资金总额", "", "", "120", "96", "10", "80%", "8"],
        ["年度总体目标", "完成", "", "", "", "", "", "", "", ""],
    ]
    letters = "ABCDEFGHIJ"
    text = SourceText(file="t.xlsx", format="xlsx")
    text.add_table(
        SourceTable(
            tuple(
                tuple(SourceCell(cell, Place(cell=f"表!{letters[c]}{r + 1}")) for c, cell in enumerate(row))
                for r, row in enumerate(grid)
            ),
            name="表",
        )
    )
    ex = extract(text)
    assert ex.facts["budget_wan"].value == Decimal(120)
    assert ex.facts["spent_wan"].value == Decimal(96)
    assert "initial_budget_wan" not in ex.facts


SUB_FUNDS = (
    "项目资金(万元)",
    "年度预算资金总额: 500.00",
    "其中:中央补助 300.00",
    "市级资金 150.00",
    "本级资金 50.00",
    "甲类补助资金(万元)",
    "年度预算资金总额: 200.00",
    "其中:中央补助 120.00",
    "市级资金 60.00",
    "本级资金 21.00",
    "资金管理情况 | 按规定使用",
)


def test_each_sub_fund_s_total_and_its_parts_are_read_as_a_block_of_their_own():
    ex = extract(text_source(*SUB_FUNDS))
    assert total(ex.fund_lines).budget_wan == Decimal(500)
    assert ex.value("budget_wan") == Decimal(500)  # the facts come from the first block
    assert [[(line.label, line.budget_wan) for line in b] for b in ex.more_fund_blocks] == [
        [
            ("年度预算资金总额", Decimal(200)),
            ("其中:中央补助", Decimal(120)),
            ("市级资金", Decimal(60)),
            ("本级资金", Decimal(21)),
        ]
    ]


def test_a_sub_fund_whose_parts_exceed_its_total_is_a_warning_naming_the_sums():
    settings = AuditSettings.load()
    doc = audit_source(text_source(*SUB_FUNDS), settings.rules, settings.framework, settings.weights)
    found = [(f.id, f.severity.name, f.message) for f in doc.findings if f.id == "A001"]
    assert found == [
        (
            "A001",
            "WARNING",
            "“年度预算资金总额”一行与其下各行不符：全年预算数 200.00 万元，其下各行合计 120.00 + 60.00 + 21.00 = 201.00 万元",
        )
    ]


# ---- a score column whose heading gives its rule ------------------------------------------------------------

RULE_HEAD = "预算执行情况(万元) (20分) | 预算数(A) | 执行数(B) | 执行率(B/A) | 得分 (20分*执行率)"


def test_a_score_heading_that_gives_its_rule_gives_the_row_its_points():
    lines, _ = block(RULE_HEAD, "年度财政资金总额 | 278.4449 | 30.00 | 10.77% | 2.15", "年度绩效目标 | 完成")
    row = total(lines)
    assert (row.budget_wan, row.spent_wan, row.rate_pct) == (Decimal("278.4449"), Decimal("30.00"), Decimal("10.77"))
    assert (row.points, row.score) == (Decimal(20), Decimal("2.15"))


def test_a_score_rounded_up_past_its_rule_is_warned_with_the_figure_to_four_places():
    source = text_source(
        "项目支出绩效自评表",
        RULE_HEAD,
        "年度财政资金总额 | 278.4449 | 30.00 | 10.77% | 2.16",
        "年度绩效目标 | 完成",
    )
    settings = AuditSettings.load()
    doc = audit_source(source, settings.rules, settings.framework, settings.weights)
    found = [(f.id, f.severity.name, f.message) for f in doc.findings if f.id == "A002"]
    message = (
        "“年度财政资金总额”执行率 10.77%（30.00 ÷ 278.4449 万元），按执行率 × 分值 20.00 应得 2.1548 分"
        "（保留 2 位小数为 2.15），表中得分 2.16 分，得分取舍有误"
    )
    assert found == [("A002", "WARNING", message)]


@pytest.mark.parametrize(
    ("budget", "arrived", "spent"),
    [
        ("预算安排数", "资金到位数", "实际支出数"),
        ("全年预算安排数", "到位资金", "全年实际支出数"),
        ("年度预算数", "实际到位数", "实际支出"),
    ],
)
def test_other_names_for_the_fund_columns(budget: str, arrived: str, spent: str):
    ex = extract(
        text_source(
            "项目支出绩效自评表",
            f"项目资金(万元) | {budget} | {arrived} | {spent} | 分值 | 执行率 | 得分",
            "年度资金总额 | 120 | 100 | 96 | 10 | 80% | 8",
            "年度总体目标 | 完成",
        )
    )
    read = {name: ex.facts[name].value for name in ("budget_wan", "arrived_wan", "spent_wan", "execution_rate_pct")}
    assert read == {
        "budget_wan": Decimal(120),
        "arrived_wan": Decimal(100),
        "spent_wan": Decimal(96),
        "execution_rate_pct": Decimal(80),
    }


# ---- a rate printed apart from its row ----------------------------------------------------------------------

APART_HEAD = "年初预算数 全年预算数 全年执行数 分值 执行率 得分"


def _apart(*after: str) -> tuple[FundLine, list[str]]:
    lines, notes = block(
        "项目资金(元)",
        APART_HEAD,
        "年度资金总额 250000.00 250000.00 215457.6 10 8.62",
        *after,
        "一级指标 二级指标 三级指标",
    )
    return total(lines), notes


def test_a_rate_printed_apart_is_read_where_it_alone_is_what_the_amounts_give():
    row, notes = _apart("年度总体目标 86.19% 实际完成情况 已完成结算")
    assert row.rate_pct == Decimal("86.19")
    assert "其后单独印出的 86.19% 与执行数 ÷ 预算数相符（或只差最后一位），作为该行执行率读取" in " ".join(notes)


def test_a_percentage_the_amounts_do_not_give_or_one_of_few_decimals_is_not_taken():
    assert _apart("年度总体目标 覆盖率达到 92.50%")[0].rate_pct is None
    assert _apart("年度总体目标 完成率 86%")[0].rate_pct is None  # whole percentages match by chance too often


def test_two_percentages_that_both_fit_leave_the_rate_unread():
    assert _apart("年度总体目标 86.18% 与 86.19%")[0].rate_pct is None


def test_a_table_pasted_from_a_spreadsheet_with_tabs_is_read_by_its_cells():
    ex = extract(
        text_source(
            "项目支出绩效自评表",
            "项目名称\t乡村道路养护项目",
            "主管部门\t某县交通运输局\t实施单位\t某县公路 管理站",
            "项目资金(万元)\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
            "年度资金总额\t100\t120\t96\t10\t80%\t8",
            "\t年度总体目标\t完成",
        )
    )
    read = {name: ex.facts[name].value for name in ("project", "unit", "budget_wan", "spent_wan", "execution_rate_pct")}
    assert read == {
        "project": "乡村道路养护项目",
        "unit": "某县公路管理站",
        "budget_wan": Decimal(120),
        "spent_wan": Decimal(96),
        "execution_rate_pct": Decimal(80),
    }


def test_tabs_that_indent_a_line_make_no_cells():
    assert bordered("\t\t一、基本情况") == "\t\t一、基本情况"
    assert bordered("一、\t基本情况") == "一、\t基本情况"
    assert bordered("(二)\t资金情况") == "(二)\t资金情况"
    assert bordered("1\t产出指标\t数量指标") == "1 | 产出指标 | 数量指标"  # a 序号 cell
    assert bordered("经济效益 指标\t\t\t") == "经济效益 指标 | "
    assert bordered("项目名称\t乡村道路养护项目") == "项目名称 | 乡村道路养护项目"


def test_sources_other_provinces_list_are_read_as_parts_and_checked_against_the_total():
    lines, _ = block(
        STANDARD_HEAD,
        "年度资金总额 | 100 | 120 | 96 | 10 | 80% | 8",
        "其中:省级财政资金 | 60 | 70 | 66 | — | 94.29% | —",
        "自筹资金 | 40 | 50 | 40 | — | 80% | —",
        "年度总体目标 | 完成",
    )
    assert [(line.label, line.budget_wan, line.spent_wan) for line in lines] == [
        ("年度资金总额", Decimal(120), Decimal(96)),
        ("其中:省级财政资金", Decimal(70), Decimal(66)),
        ("自筹资金", Decimal(50), Decimal(40)),
    ]


def test_a_row_whose_source_is_not_in_the_vocabulary_is_left_unread_and_said_so():
    lines, notes = block(
        STANDARD_HEAD,
        "年度资金总额 | 100 | 120 | 96 | 10 | 80% | 8",
        "其中:省级财政资金 | 60 | 70 | 56 | — | 80% | —",
        "企业捐赠资金 | 40 | 50 | 40 | — | 80% | —",
        "年度总体目标 | 完成",
    )
    assert [line.label for line in lines] == ["年度资金总额", "其中:省级财政资金"]
    assert notes == ["资金栏“企业捐赠资金”一行的名称不在资金来源词表中，这一行的数字未读取"]
