"""Indicator tables read by structure: the header row found by its vocabulary, columns by meaning, rows
against those columns; levels printed once (merged cells) carried down; nothing guessed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.audit.document import FoundIndicator
from jixiao.core.audit.source import Place, SourceCell, SourceTable, SourceText
from jixiao.reading.extract import extract
from jixiao.reading.extract.flat import flatten
from jixiao.reading.extract.indicators import column_meaning
from tests.reading.sources import text_source


def from_lines(*lines: str) -> SourceText:
    source = SourceText(file="t.txt", format="txt")
    for number, line in enumerate(lines, start=1):
        if line.strip():
            source.add_line(line, Place(line=number))
    return source


def from_table(rows: list[list[str]], *, title: str = "项目支出绩效自评表") -> SourceText:
    source = SourceText(file="t.docx", format="docx")
    source.add_line(title, Place(line=1))
    source.add_table(
        SourceTable(
            tuple(
                tuple(SourceCell(text, Place(cell=f"表!{chr(65 + c)}{r + 1}")) for c, text in enumerate(row))
                for r, row in enumerate(rows)
            )
        )
    )
    return source


def plain(row: FoundIndicator) -> tuple[object, ...]:
    return (row.level1, row.level2, row.level3, row.target, row.actual, row.points, row.score)


def test_header_cells_are_named_by_meaning_without_blanks_or_notes() -> None:
    assert column_meaning("年度指标值(A)") == "target"
    assert column_meaning("全年实际值 (B)") == "actual"
    assert column_meaning("指标权重(分)") == "points"
    assert column_meaning("度量单位") == "unit"
    assert column_meaning("偏差原因分析及改进措施") == "reason"
    assert column_meaning("项目名称") is None


@pytest.mark.parametrize(
    ("target", "actual", "points", "score", "reason"),
    [
        ("年度计划值", "实际完成情况", "指标分值", "实际得分", "偏差原因及改进措施"),
        ("计划目标值", "全年实际完成值", "分值", "自评分", "偏差原因分析"),
        ("年初指标值", "年度实际完成值", "权重", "自评分值", "原因分析及改进措施"),
    ],
)
def test_other_provinces_names_for_the_indicator_columns(target, actual, points, score, reason) -> None:
    rows = extract(
        from_lines(
            "项目支出绩效自评表",
            f"一级指标 | 二级指标 | 三级指标 | {target} | {actual} | {points} | {score} | {reason}",
            "产出指标 | 数量指标 | 培训场次 | ≥4场 | 3场 | 10 | 7.5 | 疫情影响",
            "总分 | 100 | 97.5",
        )
    ).indicators
    assert [plain(r) for r in rows] == [
        ("产出指标", "数量指标", "培训场次", "≥4场", "3场", Decimal(10), Decimal("7.5")),
    ]
    assert rows[0].reason == "疫情影响"


def test_a_word_table_with_merged_level_cells_carries_the_levels_down() -> None:
    source = from_table(
        [
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["产出指标", "数量指标", "培训人数", "≥200人", "230人", "20", "20", ""],
            ["", "", "发放手册", "500册", "450册", "10", "9", "印刷延误"],
            ["", "时效指标", "按时完成率", "100%", "100%", "10", "10", ""],
            ["效益指标", "社会效益指标", "群众知晓率", "≥90%", "92%", "20", "20", ""],
            ["总分", "", "", "", "", "60", "59", ""],
        ]
    )
    rows = extract(source).indicators
    assert [plain(r) for r in rows] == [
        ("产出指标", "数量指标", "培训人数", "≥200人", "230人", Decimal(20), Decimal(20)),
        ("产出指标", "数量指标", "发放手册", "500册", "450册", Decimal(10), Decimal(9)),
        ("产出指标", "时效指标", "按时完成率", "100%", "100%", Decimal(10), Decimal(10)),
        ("效益指标", "社会效益指标", "群众知晓率", "≥90%", "92%", Decimal(20), Decimal(20)),
    ]
    assert rows[1].reason == "印刷延误"
    assert rows[1].evidence is not None and rows[1].evidence.place.cell == "表!C3"


def test_pipe_text_with_points_before_the_values_and_no_points_column() -> None:
    points_first = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 全年实际值 | 得分",
            "产出指标 | 质量指标 | 验收合格率 | 15 | 100% | 98% | 14",
        )
    ).indicators
    assert [plain(r) for r in points_first] == [
        ("产出指标", "质量指标", "验收合格率", "100%", "98%", Decimal(15), Decimal(14))
    ]
    score_only = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 | 二级指标 | 三级指标 | 年初目标值(A) | 实际完成值(B) | 得分",
            "产出指标 | 数量指标 | 新建示范点 | ≥3个 | 3个 | 10.0",
            "改造示范点 | ≥2个 | 2个 | 10.0",
        )
    ).indicators
    assert [plain(r) for r in score_only] == [
        ("产出指标", "数量指标", "新建示范点", "≥3个", "3个", None, Decimal(10)),
        ("产出指标", "数量指标", "改造示范点", "≥2个", "2个", None, Decimal(10)),
    ]


def test_split_nature_value_and_unit_columns_make_one_target_as_printed() -> None:
    rows = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析",
            "产出指标 | 数量指标 | 受益学生 | ≧ | 120 | 人次 | 126 | 10 | 10",
            "满意度指标 | 服务对象满意度指标 | 家长满意度 | ≥ | 95 | % | 97% | 10 | 10",
        )
    ).indicators
    assert [(r.level3, r.target, r.actual) for r in rows] == [
        ("受益学生", "≧120人次", "126"),
        ("家长满意度", "≥95%", "97%"),
    ]
    assert rows[1].level1 == "满意度指标" and rows[1].level2 == "服务对象满意度指标"


def test_one_cell_per_line_rows_are_recovered_by_the_header_and_the_score_column_named_above() -> None:
    rows = extract(
        from_lines(
            "资金绩效目标自评表",
            "项目名称",
            "示范资金",
            "自评得分",
            "100",
            "年度绩效指标完成情况",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成指标值",
            "60",
            "产出指标",
            "数量指标",
            "指标1:举办培训班",
            "4期",
            "4期",
            "10",
            "指标2:覆盖乡镇",
            "全覆盖",
            "全覆盖",
            "10",
            "效益指标",
            "社会效益指标",
            "指标1:群众知晓程度",
            "逐步提高",
            "逐步提高",
            "8",
        )
    ).indicators
    assert [plain(r) for r in rows] == [
        ("产出指标", "数量指标", "指标1:举办培训班", "4期", "4期", None, Decimal(10)),
        ("产出指标", "数量指标", "指标2:覆盖乡镇", "全覆盖", "全覆盖", None, Decimal(10)),
        ("效益指标", "社会效益指标", "指标1:群众知晓程度", "逐步提高", "逐步提高", None, Decimal(8)),
    ]


def test_a_level1_is_not_carried_onto_a_level2_that_belongs_under_another() -> None:
    rows = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分",
            "项目决策 | 数量指标 | 宣传次数 | 2次 | 2次 | 10 | 10",
            "质量指标 | 宣传覆盖率 | 100% | 100% | 10 | 10",
            "成本指标 | 宣传成本 | ≤5万元 | 4.8万元 | 10 | 10",
            "满意度指标 | 满意度指标 | 群众满意度 | 90% | 95% | 10 | 10",
        )
    ).indicators
    assert [(r.level1, r.level2, r.level3) for r in rows] == [
        ("项目决策", "数量指标", "宣传次数"),
        (None, "质量指标", "宣传覆盖率"),
        (None, "成本指标", "宣传成本"),
        ("满意度指标", "满意度指标", "群众满意度"),
    ]


def test_cost_is_a_level1_only_when_a_level2_follows_it() -> None:
    rows = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分",
            "产出指标 | 时效指标 | 完成时间 | 12月底 | 11月 | 10 | 10",
            "成本指标 | 人均成本 | ≤300元 | 280元 | 10 | 10",
            "成本指标 | 经济成本指标 | 总成本 | ≤50万元 | 48万元 | 10 | 10",
        )
    ).indicators
    assert [(r.level1, r.level2, r.level3) for r in rows] == [
        ("产出指标", "时效指标", "完成时间"),
        ("产出指标", "成本指标", "人均成本"),
        ("成本指标", "经济成本指标", "总成本"),
    ]


def test_an_unknown_level2_printed_right_after_its_level1_is_kept_as_printed() -> None:
    rows = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分",
            "效益指标 | 社会综合效益指标 | 受益农户 | 500户 | 520户 | 10 | 10",
        )
    ).indicators
    assert [(r.level1, r.level2, r.level3) for r in rows] == [("效益指标", "社会综合效益指标", "受益农户")]


WEB_TABLE = (
    "项目支出绩效自评表",
    "绩效",
    "     指标",
    "     | 一级指标",
    "     | 二级指标",
    "     | 三级指标",
    "     | 指标值",
    "     | 实施进度",
    "产出指标",
    "     | 数量指标",
    "     | 培训场次",
    "     | 全年不少于4场",
    "     | 已完成",
    "     | |",
    "项目效益",
    "     | 社会效益",
    "     指标",
    "     | 居民知晓度",
    "     | 逐步提升",
    "     | 已提升",
    "     | |",
    "满意度指标",
    "     | 满意度指标",
    "     | 群众满意度",
    "     | 90%",
    "     | 95%",
    "三、项目资金使用情况",
    "资金按计划拨付。",
)


@pytest.mark.parametrize("blank_lines", [False, True])
def test_a_web_table_copied_with_its_cells_line_breaks_is_read_row_by_row(blank_lines: bool) -> None:
    # a page copied with a blank line between its lines: the wrapped cell ("社会效益" / "指标") is still one cell
    lines = [line for text in WEB_TABLE for line in ((text, "") if blank_lines else (text,))]
    source = text_source(*lines)  # blank lines kept, as a .txt reader keeps them
    assert "项目效益 | 社会效益指标 | 居民知晓度" in flatten(source).text
    rows = extract(source).indicators
    assert [plain(r) for r in rows] == [
        ("产出指标", "数量指标", "培训场次", "全年不少于4场", "已完成", None, None),
        ("项目效益", "社会效益指标", "居民知晓度", "逐步提升", "已提升", None, None),
        ("满意度指标", "满意度指标", "群众满意度", "90%", "95%", None, None),
    ]


def test_rows_without_numbers_are_not_read_across_lines() -> None:
    """Without a 分值/得分 column to anchor them, cells on separate lines could belong to any row."""
    rows = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 | 二级指标 | 三级指标 | 指标值 | 完成情况说明",
            "产出指标 | 数量指标 | 培训场次",
            "4场",
            "已完成",
        )
    ).indicators
    assert rows == []


def test_a_row_whose_numbers_do_not_fit_the_columns_is_not_read() -> None:
    rows = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分",
            "产出指标 | 数量指标 | 培训人数 | 200人 | 180人 | 10 | 12",
        )
    ).indicators
    assert rows == []  # a 得分 above its 分值 is not a row of this table


def test_indicators_a_report_lists_by_level2_are_read_when_the_count_matches() -> None:
    ex = extract(
        from_lines(
            "关于2023年专项资金绩效自评报告",
            "一、绩效目标情况",
            "下达资金500万元,分解二级指标3个、三级指标4个:",
            "1.数量指标2个:新建污水管网12公里、改造泵站3座。",
            "2.时效指标1个:项目完工率≥80%。",
            "3.社会效益指标2个:群众生活环境明显改善。",
        )
    )
    assert [(r.level1, r.level2, r.level3, r.target) for r in ex.indicators] == [
        (None, "数量指标", "新建污水管网", "12公里"),
        (None, "数量指标", "改造泵站", "3座"),
        (None, "时效指标", "项目完工率", "≥80%"),
    ]
    assert any("社会效益指标" in note and "未逐项读取" in note for note in ex.notes)


def test_values_printed_apart_from_their_names_are_paired_only_when_the_counts_agree() -> None:
    """PDF text exported by columns: all values first, then the level names and the row names."""
    ex = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 ≥50人 52人 20 20 100% 98% 20 19"
            " 产出指标 数量指标 培训人数 质量指标 结业合格率 总分 40 39",
        )
    )
    assert [plain(r) for r in ex.indicators] == [
        ("产出指标", "数量指标", "培训人数", "≥50人", "52人", Decimal(20), Decimal(20)),
        ("产出指标", "质量指标", "结业合格率", "100%", "98%", Decimal(20), Decimal(19)),
    ]
    assert any("一一对应" in note for note in ex.notes)
    uneven = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 ≥50人 52人 20 20 100% 98% 20 19"
            " 产出指标 数量指标 培训人数 结业人数 质量指标 结业合格率 总分 40 39",
        )
    )
    assert uneven.indicators == []


def test_a_row_followed_by_values_without_a_name_is_not_read() -> None:
    """Names and values out of step: the values after a name may be the next row's."""
    ex = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分",
            "产出指标 数量指标 培训人数 ≥40人 45人 10 10 开班次数 课时数 ≥4期 4期 10 10 ≥30课时 30课时 10 10",
        )
    )
    assert [(r.level3, r.target) for r in ex.indicators] == [("培训人数", "≥40人")]
    assert any("课时数" in note and "错位" in note for note in ex.notes)


def test_a_row_with_an_empty_cell_is_skipped_with_a_note_not_shifted() -> None:
    ex = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施",
            "产出指标 | 数量指标 | 培训人数 | ≥100人 |  | 10 | 8 | ",
            "结业合格率 | 100% | 95% | 10 | 9 | 个别学员未通过考核",
        )
    )
    assert [(r.level3, r.target, r.actual, r.points, r.score, r.reason) for r in ex.indicators] == [
        ("结业合格率", "100%", "95%", Decimal(10), Decimal(9), "个别学员未通过考核")
    ]
    assert "“培训人数”一行的数值无法与表头各栏一一对应，未读取" in ex.notes


def test_one_cell_per_line_rows_after_a_cell_that_fits_no_row_are_not_trusted() -> None:
    ex = extract(
        from_lines(
            "资金绩效目标自评表",
            "自评得分",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成指标值",
            "产出指标",
            "数量指标",
            "指标1:举办培训班",
            "4期",
            "10",
            "指标2:覆盖乡镇",
            "全覆盖",
            "全覆盖",
            "10",
            "质量指标",
            "指标1:培训合格率",
            "95%",
            "96%",
            "10",
        )
    )
    # 指标1 lost its 实际完成值 cell: 指标2 can no longer be told from the cells around it
    assert [(r.level2, r.level3, r.target, r.actual, r.score) for r in ex.indicators] == [
        ("质量指标", "指标1:培训合格率", "95%", "96%", Decimal(10))
    ]
    assert any("指标2:覆盖乡镇" in note for note in ex.notes)


def test_a_nature_column_that_says_positive_or_negative_is_not_taken_for_the_value() -> None:
    rows = extract(
        from_lines(
            "项目支出绩效自评表",
            "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | 分值 | 得分",
            "产出指标 | 数量指标 | 新增造林面积 | 正向 | 300 | 亩 | 320 | 10 | 10",
            "成本指标 | 造林成本 | ≤ | 1200 | 元/亩 | 1150 | 10 | 10",
        )
    ).indicators
    assert [(r.level3, r.target, r.actual) for r in rows] == [
        ("新增造林面积", "300亩", "320"),
        ("造林成本", "≤1200元/亩", "1150"),
    ]
