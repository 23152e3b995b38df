"""Long digit runs are read in linear time (fuzz finding F7), and a 分值 written with a space is compared as read
(F10)."""

from __future__ import annotations

import time
from decimal import Decimal

from jixiao.core.audit.source import Place, SourceCell, SourceTable, SourceText
from jixiao.reading.extract import extract
from jixiao.reading.glued_rows import parse_glued_indicators

ROW = "产出指标数量指标举办科普活动场次≥50场52场1010质量指标活动合格率≥95%98%"


def test_a_glued_row_with_forty_thousand_digits_is_read_in_a_blink() -> None:
    started = time.perf_counter()
    rows = parse_glued_indicators(ROW + "1" * 40_000)
    assert time.perf_counter() - started < 0.5
    assert rows[0].level3 == "举办科普活动场次" and (rows[0].points, rows[0].score) == (Decimal(10), Decimal(10))


def test_points_and_score_glued_are_still_split_as_before() -> None:
    (_, second) = parse_glued_indicators(ROW + "109")
    assert (second.points, second.score) == (Decimal(10), Decimal(9))


def test_a_text_with_a_long_digit_run_is_extracted_in_a_blink() -> None:
    source = SourceText("测试.txt", "txt")
    source.add_line("共使用经费100万元，其中学术活动23万元，" + "1" * 40_000, Place(line=1))
    started = time.perf_counter()
    extract(source)
    assert time.perf_counter() - started < 1


def _table(points: str) -> SourceText:
    cells = [
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["产出指标", "时效指标", "完成及时率", "100%", "100%", points, "15", ""],
        ["", "", "完成质量", "100%", "90%", "10", "9", ""],
    ]
    source = SourceText("测试.xlsx", "xlsx")
    source.add_table(
        SourceTable(
            tuple(
                tuple(SourceCell(text, Place(cell=f"表!{r}{c}")) for c, text in enumerate(row))
                for r, row in enumerate(cells)
            ),
            name="表",
        )
    )
    return source


def test_points_written_with_a_space_are_compared_as_read() -> None:
    indicators = extract(_table("1 5")).indicators
    timely = next(i for i in indicators if i.level3 == "完成及时率")
    assert (timely.points, timely.score) == (Decimal(15), Decimal(15))


def test_a_score_above_its_points_still_ends_the_row() -> None:
    assert not any(i.level3 == "完成及时率" for i in extract(_table("1 0")).indicators)
