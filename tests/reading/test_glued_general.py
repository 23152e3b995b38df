"""General rules of glued indicator tables: repeated level names, names listed at two levels, layouts other
than the two 财预 templates, and runs of figures cut only where exactly one reading fits the arithmetic."""

from __future__ import annotations

import time
from decimal import Decimal

from jixiao.reading import vocabulary
from jixiao.reading.glued_rows import locate_glued_table, parse_glued_indicators, read_glued_indicators
from jixiao.reading.vocabulary import Vocabulary, using

POINTS_FIRST = "一级指标二级指标三级指标分值指标值实际值得分偏差原因分析及改进措施"
UNSCORED = "一级指标二级指标三级指标年度指标值全年完成值未完成原因和改进措施"
# 部门整体自评表: 计量单位 and 指标性质 before the values, 权重 between 指标值 and 完成值.
FIGURES = "绩效指标指标名称计量单位指标性质指标值指标权重(分)全年完成值指标得分(分)说明"
NO_POINTS = "二级指标三级指标年初目标值(A)实际完成值(B)得分"


def cells(text: str) -> list[tuple[object, ...]]:
    return [(r.level1, r.level2, r.level3, r.target, r.actual, r.points, r.score) for r in parse_glued_indicators(text)]


# --- level names ----------------------------------------------------------------------------------------


def test_a_category_heading_printed_twice_is_one_level_name() -> None:
    # The merged level-2 cell and the row both print 数量指标: the level-3 name is what follows.
    assert cells("产出指标数量指标数量指标系统升级完成率100%100%1010") == [
        ("产出指标", "数量指标", "系统升级完成率", "100%", "100%", Decimal(10), Decimal(10)),
    ]


def test_a_topic_name_printed_twice_begins_the_level3_name() -> None:
    # 财务管理 is a topic, not a category heading: the second copy opens 财务管理制度健全性.
    rows = cells(POINTS_FIRST + "项目管理(20分)财务管理财务管理制度健全性5一制度健全5")
    assert rows == [("项目管理", "财务管理", "财务管理制度健全性", "一", "制度健全", Decimal(5), Decimal(5))]


def test_a_name_listed_at_both_levels_is_level1_only_when_a_level2_name_follows() -> None:
    rows = cells("效益指标社会效益指标群众知晓率提高提高2020满意度指标群众满意度≥90%95%1010")
    assert rows[1][:3] == ("效益指标", "满意度指标", "群众满意度")
    rows = cells("满意度指标服务对象满意度指标群众满意度≥90%95%1010")
    assert rows[0][:3] == ("满意度指标", "服务对象满意度指标", "群众满意度")


# --- an unscored table ----------------------------------------------------------------------------------


def test_an_unscored_table_keeps_values_that_end_in_a_number() -> None:
    rows = cells(UNSCORED + "产出指标数量指标培训人次≥100人120人质量指标验收合格率100%100%")
    assert rows == [
        ("产出指标", "数量指标", "培训人次", "≥100人", "120人", None, None),
        ("产出指标", "质量指标", "验收合格率", "100%", "100%", None, None),
    ]


def test_values_that_cannot_be_told_apart_leave_the_row_unread_since_the_name_end_is_unknown() -> None:
    # Is the name "收入增长" or "收入增长较上年"? The values give no cut, so the name is not guessed.
    assert cells(UNSCORED + "效益指标经济效益指标收入增长较上年2023年明显增长明显增长") == []


# --- figure cells cut by arithmetic ---------------------------------------------------------------------


def test_a_run_of_figures_is_cut_where_exactly_one_reading_fits_the_arithmetic() -> None:
    reading = read_glued_indicators(FIGURES + "道路养护任务完成率%951010010火灾受害率%0.810010")
    assert [(r.level3, r.target, r.actual, r.points, r.score) for r in reading.rows] == [
        # 95 | 10 | 100 | 10: 100 ≥ 95, full marks. 9510 | 10 | 0 | 10 would be a 9510% target.
        ("道路养护任务完成率", "95", "100", Decimal(10), Decimal(10)),
        # 0.8 | 10 | 0 | 10: a rate to keep low, none happened, full marks. 0.8 | 100 | 1 | 0 would give
        # one row all 100 points.
        ("火灾受害率", "0.8", "0", Decimal(10), Decimal(10)),
    ]
    assert reading.notes == []


def test_a_run_with_two_readings_is_left_unread_and_said_so() -> None:
    # "2810810": 28 | 10 | 8 | 10 (full marks for 8 of 28?) or 2 | 8 | 1081 | 0 (a lower-is-better rate
    # missed): both fit, so neither is read.
    reading = read_glued_indicators(FIGURES + "管护面积万亩2810810")
    assert reading.rows == []
    assert reading.notes == ["“管护面积”一行的数字“2810810”没有唯一一种符合列序和分值、得分算术的拆法，该行未读取"]


def test_the_unit_cell_is_not_part_of_the_name_and_a_comparator_opens_the_target() -> None:
    (row,) = parse_glued_indicators(FIGURES + "道路达标率%≥951010010")
    assert (row.level3, row.target, row.actual, row.points, row.score) == (
        "道路达标率",
        "≥95",
        "100",
        Decimal(10),
        Decimal(10),
    )
    (row,) = parse_glued_indicators(FIGURES + "新建道路长度公里≥2.5103.110")
    assert (row.level3, row.target, row.actual, row.points, row.score) == (
        "新建道路长度",
        "≥2.5",
        "3.1",
        Decimal(10),
        Decimal(10),
    )


def test_a_score_below_its_points_must_match_the_completion_ratio() -> None:
    # 100 | 10 | 80 | 8: 80 of 100 done, 8 of 10 points.
    (row,) = parse_glued_indicators(FIGURES + "培训覆盖率%10010808")
    assert (row.target, row.actual, row.points, row.score) == ("100", "80", Decimal(10), Decimal(8))


def test_after_a_row_short_of_full_marks_a_sentence_before_the_next_figures_may_be_its_reason() -> None:
    reading = read_glued_indicators(
        FIGURES + "培训覆盖率%10010808因乡镇未按期开展培训,下年加强督促宣传覆盖率%1001010010"
    )
    assert [r.level3 for r in reading.rows] == ["培训覆盖率"]
    assert "名称不能确定" in reading.notes[0]


def test_a_table_without_a_points_column_reads_target_actual_score() -> None:
    rows = cells(NO_POINTS + "数量指标补贴发放率100%100%10质量指标满意度90%95%20")
    assert rows == [
        (None, "数量指标", "补贴发放率", "100%", "100%", None, Decimal(10)),
        (None, "质量指标", "满意度", "90%", "95%", None, Decimal(20)),
    ]


def test_without_points_a_bare_run_has_several_readings_and_is_not_read() -> None:
    # "6620" is 6 | 6 | 20, 6 | 62 | 0 or 66 | 2 | 0: no 分值 to choose by.
    reading = read_glued_indicators(NO_POINTS + "数量指标补贴渔船数6620")
    assert reading.rows == []
    assert "6620" in reading.notes[0]


def test_a_long_run_of_figures_is_skipped_quickly() -> None:
    started = time.perf_counter()
    reading = read_glued_indicators(FIGURES + ("任务完成率%" + "1" * 5_000) * 20)
    assert time.perf_counter() - started < 0.5
    assert reading.rows == []


# --- the words come from the data -----------------------------------------------------------------------


def test_empty_cell_marks_come_from_the_vocabulary() -> None:
    text = POINTS_FIRST + "项目决策(10分)项目立项相关性4/符合规划4"
    assert cells(text)[0][3:5] == (None, "/符合规划")
    default = vocabulary.current()
    glued = {**default.lists["glued"], "empty_marks": (*default.words("glued", "empty_marks"), "/")}
    with using(Vocabulary({**default.lists, "glued": glued}, default.maps)):
        assert cells(text) == [("项目决策", "项目立项", "相关性", "/", "符合规划", Decimal(4), Decimal(4))]


def test_a_result_written_in_words_after_a_printed_value_is_the_actual() -> None:
    assert cells(UNSCORED + "产出指标时效指标完成时间12月已完成") == [
        ("产出指标", "时效指标", "完成时间", "12月", "已完成", None, None),
    ]
    # Without such a marker the words may belong to the target ("12月底前完成"): nothing is guessed.
    assert cells(UNSCORED + "产出指标时效指标完成时间12月底前完成") == []


# --- where the table is ---------------------------------------------------------------------------------


def test_a_glued_header_that_names_its_columns_marks_the_table_up_to_its_end_word() -> None:
    text = "部门整体绩效自评表年度预算执行率95%" + FIGURES + "道路达标率%951010010总分100填表人"
    span = locate_glued_table(text)
    assert span is not None
    assert text[span[0] : span[1]] == FIGURES[4:] + "道路达标率%951010010"
    (row,) = parse_glued_indicators(text[span[0] : span[1]])
    assert (row.level3, row.target, row.actual, row.points, row.score) == (
        "道路达标率",
        "95",
        "100",
        Decimal(10),
        Decimal(10),
    )


def test_a_header_with_cells_apart_or_with_borders_is_not_a_glued_table() -> None:
    assert locate_glued_table("指标名称 计量单位 指标值 权重 完成值 得分\n道路达标率 % 95 10 100 10") is None
    assert locate_glued_table(FIGURES + "|道路达标率|%|95|10|100|10|") is None
    assert locate_glued_table("二级指标三级指标指标值道路达标率") is None


def test_a_weight_printed_in_a_name_is_not_a_figure_cell() -> None:
    rows = cells(NO_POINTS + "质量指标(10分)补贴发放率(10分)100%100%10")
    assert rows == [(None, "质量指标", "补贴发放率", "100%", "100%", None, Decimal(10))]


def test_the_unit_cell_is_a_known_unit_so_a_name_ending_in_a_unit_character_keeps_it() -> None:
    (row,) = parse_glued_indicators(FIGURES + "帮扶受益村个2.5103.110")
    assert (row.level3, row.target, row.actual) == ("帮扶受益村", "2.5", "3.1")


def test_rows_whose_points_add_up_past_100_are_not_read() -> None:
    text = (
        "产出指标数量指标培训人次≥100人120人3030质量指标活动合格率≥95%98%3030"
        "时效指标完成时间12月12月3030效益指标社会效益指标群众知晓率提高提高2020"
    )
    reading = read_glued_indicators(text)
    assert reading.rows == []
    assert reading.notes == ["粘连的指标行分值合计 110 分，超过 100 分，数字的拆分不可靠，指标行未读取"]


def test_the_nature_cell_is_cut_off_the_name_and_tells_the_direction() -> None:
    # 反向: the lower the better, so 0.5 against a ceiling of 0.8 earns full marks.
    (row,) = parse_glued_indicators(FIGURES + "森林火灾受害率%反向0.8100.510")
    assert (row.level3, row.target, row.actual, row.points, row.score) == (
        "森林火灾受害率",
        "0.8",
        "0.5",
        Decimal(10),
        Decimal(10),
    )


def test_an_unknown_column_name_leaves_the_standard_order() -> None:
    text = "一级指标二级指标三级指标年度指标值实际完成值考核分数得分产出指标数量指标培训人次≥100人120人1010"
    assert cells(text) == [("产出指标", "数量指标", "培训人次", "≥100人", "120人", Decimal(10), Decimal(10))]


def test_in_an_unscored_table_a_lone_run_of_digits_is_not_taken_for_a_value() -> None:
    # "6620" may be 66 | 20 or 6 | 620: only the name is read.
    assert cells(UNSCORED + "产出指标数量指标补贴渔船数6620") == [
        ("产出指标", "数量指标", "补贴渔船数", None, None, None, None)
    ]
