"""Four-level indicator tables (一级 | 二级 | 三级 | 四级 | 分值 | 得分 …) read by their header's columns, where the
cells keep their columns; a row keeps 一级, 二级, 三级, and a table that puts several 四级 rows under one 三级 (the
leaf's name would be lost) or whose header is not found stays unread, with a note."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.audit.document import FoundIndicator
from jixiao.core.audit.source import Place, SourceCell, SourceTable, SourceText
from jixiao.reading.extract import extract

HEADER = ["一级指标", "二级指标", "三级指标", "四级指标", "分值", "自评得分", "复核得分"]


def from_table(rows: list[list[str]], *, title: str = "部门整体支出绩效自评表") -> SourceText:
    source = SourceText(file="t.docx", format="docx")
    source.add_line(title, Place(line=1))
    source.add_table(
        SourceTable(
            tuple(
                tuple(SourceCell(text, Place(cell=f"表1!{chr(65 + c)}{r + 1}")) for c, text in enumerate(row))
                for r, row in enumerate(rows)
            )
        )
    )
    return source


def from_lines(*lines: str) -> SourceText:
    source = SourceText(file="t.txt", format="txt")
    for number, line in enumerate(lines, start=1):
        source.add_line(line, Place(line=number))
    return source


def plain(row: FoundIndicator) -> tuple[object, ...]:
    return (row.level1, row.level2, row.level3, row.target, row.actual, row.points, row.score)


def test_a_word_table_with_explanations_in_the_fourth_level_is_read_by_its_columns() -> None:
    source = from_table(
        [
            HEADER,
            [
                "投入(4分)",
                "目标设定(2分)",
                "目标合理性",
                "所设目标是否依据充分，用以反映目标与职责的相符性。",
                "1",
                "1",
                "",
            ],
            ["", "", "指标明确性", "所设指标是否清晰、细化、可衡量。", "1", "0.5", ""],
            ["", "预算配置(2分)", "人员控制率", "实际在职人数与编制数的比率。", "2", "", ""],
            ["过程", "预算执行", "采购执行率", "实际采购金额与采购预算的比率。", "3", "3", "3"],
            ["合计", "", "", "", "7", "4.5", ""],
        ]
    )
    ex = extract(source)
    assert [plain(r) for r in ex.indicators] == [
        ("投入", "目标设定", "目标合理性", None, None, Decimal(1), Decimal(1)),
        ("投入", "目标设定", "指标明确性", None, None, Decimal(1), Decimal("0.5")),
        ("投入", "预算配置", "人员控制率", None, None, Decimal(2), None),
        ("过程", "预算执行", "采购执行率", None, None, Decimal(3), Decimal(3)),
    ]
    evidence = ex.indicators[1].evidence
    assert evidence is not None and evidence.place.cell == "表1!C3"
    assert not any("四级" in note for note in ex.notes)


def test_pipe_lines_keep_their_empty_merged_cells_and_the_values_by_header() -> None:
    source = from_lines(
        "部门整体支出绩效自评表",
        "| 一级指标 | 二级指标 | 三级指标 | 四级指标 | 指标值 | 实际完成值 | 分值 | 得分 |",
        "| 产出 | 履职数量 | 培训场次 | 全年培训 | ≥12场 | 14场 | 10 | 10 |",
        "| | | 发放资料 | 宣传资料份数 | 2000份 | 1800份 | 10 | 9 |",
        "| | 履职质量 | 验收合格率 | 项目验收 | 100% | 100% | 10 | 10 |",
        "| 总分 | | | | | | 30 | 29 |",
    )
    rows = extract(source).indicators
    assert [plain(r) for r in rows] == [
        ("产出", "履职数量", "培训场次", "≥12场", "14场", Decimal(10), Decimal(10)),
        ("产出", "履职数量", "发放资料", "2000份", "1800份", Decimal(10), Decimal(9)),
        ("产出", "履职质量", "验收合格率", "100%", "100%", Decimal(10), Decimal(10)),
    ]
    assert rows[1].evidence is not None and rows[1].evidence.place.line == 4


def test_several_fourth_level_rows_under_one_third_level_stay_unread() -> None:
    source = from_table(
        [
            HEADER,
            ["决策", "目标设置", "目标完整性", "目标申报", "2", "2", ""],
            ["", "", "", "完整性", "2", "1", ""],
            ["", "", "目标科学性", "合理性", "2", "2", ""],
        ]
    )
    ex = extract(source)
    assert ex.indicators == []
    assert any("容纳不下末级名称" in note for note in ex.notes)


def test_a_four_level_table_without_a_column_header_stays_unread_and_says_so() -> None:
    source = from_lines(
        "部门整体支出绩效自评表",
        "一级 二级 三级指 指标 指标 标 目标 设定 四级指标 自评总分:91 分 自评 复核 值 分 得分",
        "所设目标是否依据充分 1 1 所设指标是否清晰 1",
    )
    ex = extract(source)
    assert ex.indicators == []
    assert any("未找到按栏对齐的表头" in note for note in ex.notes)


def test_a_row_that_does_not_fit_the_header_stops_the_names_carried_down() -> None:
    source = from_lines(
        "部门整体支出绩效自评表",
        "| 一级指标 | 二级指标 | 三级指标 | 四级指标 | 分值 | 得分 |",
        "| 投入 | 目标设定 | 目标合理性 | 依据是否充分 | 2 | 2 |",
        "| 过程 | 预算执行 | 执行率 |",
        "| | | 调整率 | 预算调整的比率 | 3 | 3 |",
        "| 产出 | 职责履行 | 完成率 | 完成数与计划数之比 | 5 | 5 |",
    )
    ex = extract(source)
    assert [plain(r) for r in ex.indicators] == [
        ("投入", "目标设定", "目标合理性", None, None, Decimal(2), Decimal(2)),
        ("产出", "职责履行", "完成率", None, None, Decimal(5), Decimal(5)),
    ]
    assert any("“过程”一行的格子与表头对不上" in note for note in ex.notes)
    assert any("“调整率”一行的层级格与上一行对不上" in note for note in ex.notes)


def test_a_new_level_printed_without_the_levels_below_it_is_not_read() -> None:
    source = from_table(
        [
            HEADER,
            ["投入", "目标设定", "目标合理性", "依据是否充分", "2", "2", ""],
            ["过程", "", "执行率", "执行数与预算数之比", "3", "3", ""],
        ]
    )
    ex = extract(source)
    assert [plain(r) for r in ex.indicators] == [("投入", "目标设定", "目标合理性", None, None, Decimal(2), Decimal(2))]


def test_a_score_above_its_points_or_a_word_in_a_number_column_leaves_the_row_unread() -> None:
    source = from_table(
        [
            HEADER,
            ["投入", "目标设定", "目标合理性", "依据是否充分", "2", "3", ""],
            ["", "", "指标明确性", "指标是否可衡量", "二分", "2", ""],
            ["", "预算配置", "人员控制率", "在职人数与编制数之比", "2", "2", ""],
        ]
    )
    ex = extract(source)
    assert [plain(r) for r in ex.indicators] == [("投入", "预算配置", "人员控制率", None, None, Decimal(2), Decimal(2))]
    assert sum("不是可读的数" in note for note in ex.notes) == 2


def test_a_subtotal_row_of_a_first_level_heads_the_rows_below_it() -> None:
    source = from_table(
        [
            HEADER,
            ["投入", "", "", "", "4", "3", ""],
            ["", "目标设定", "目标合理性", "依据是否充分", "2", "2", ""],
            ["", "预算配置", "人员控制率", "在职人数与编制数之比", "2", "1", ""],
            ["", "", "", "", "", "", ""],
            ["过程", "", "", "", "3", "3", ""],
            ["", "", "执行率", "执行数与预算数之比", "3", "3", ""],
        ]
    )
    ex = extract(source)
    assert [plain(r) for r in ex.indicators] == [
        ("投入", "目标设定", "目标合理性", None, None, Decimal(2), Decimal(2)),
        ("投入", "预算配置", "人员控制率", None, None, Decimal(2), Decimal(1)),
    ]
    assert any("“执行率”一行的层级格与上一行对不上" in note for note in ex.notes)


def test_a_row_opening_with_an_empty_merged_cell_keeps_its_columns_without_outer_borders() -> None:
    source = from_lines(
        "部门整体支出绩效自评表",
        "一级指标 | 二级指标 | 三级指标 | 四级指标 | 分值 | 得分",
        "投入 | 目标设定 | 目标合理性 | 依据是否充分 | 2 | 2",
        " | | 指标明确性 | 指标是否可衡量 | 3 | 2",
        " | 预算配置 | 人员控制率 | 在职人数与编制数之比 | 3 | 3",
    )
    assert [plain(r) for r in extract(source).indicators] == [
        ("投入", "目标设定", "目标合理性", None, None, Decimal(2), Decimal(2)),
        ("投入", "目标设定", "指标明确性", None, None, Decimal(3), Decimal(2)),
        ("投入", "预算配置", "人员控制率", None, None, Decimal(3), Decimal(3)),
    ]
