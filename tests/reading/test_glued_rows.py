"""Indicator rows out of glued (separator-less) OCR/PDF table text."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from typing import Any

import pytest

from jixiao.reading.glued_rows import GluedRow, parse_glued_indicators
from tests.conftest import SHARED, requires_shared

CORPUS = SHARED / "corpus" / "public"
needs_corpus = requires_shared(CORPUS / "expected.json")
FIELDS = ("level1", "level2", "level3", "target", "actual", "points", "score")

SCHOOL = "05-yinchuan-2021-school-table-ocr.txt"
POTATO = "06-yuanzhou-2022-potato-table.txt"
# Expected rows (indices into expected.json "indicators") that the parser reproduces exactly.
EXACT = {SCHOOL: range(16), POTATO: range(11)}

HEADER_05 = "一级指标二级指标三级指标分值指标值全年实际值得分未完成原因分析及改进措施"
HEADER_STANDARD = "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"


def indicator_section(raw: str) -> str:
    """The glued indicator part of a corpus text: from the first 一级指标 header on, NFKC-normalised."""
    return unicodedata.normalize("NFKC", raw[raw.index("一级指标") :])


def load(name: str) -> tuple[str, list[dict[str, Any]]]:
    path = CORPUS / name
    expected = {e["file"]: e for e in json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))}
    return indicator_section(path.read_text(encoding="utf-8")), expected[name]["indicators"]


def as_expected(row: GluedRow) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        return int(value) if isinstance(value, Decimal) and value == value.to_integral_value() else value

    return {field: plain(getattr(row, field)) for field in FIELDS}


@needs_corpus
@pytest.mark.parametrize(
    ("name", "index"), [(name, i) for name, indices in EXACT.items() for i in indices], ids=lambda v: str(v)[:2]
)
def test_corpus_rows_are_read_exactly(name: str, index: int) -> None:
    text, expected = load(name)
    rows = parse_glued_indicators(text)
    assert as_expected(rows[index]) == expected[index]


@needs_corpus
@pytest.mark.parametrize("name", [SCHOOL, POTATO])
def test_corpus_row_count_matches(name: str) -> None:
    text, expected = load(name)
    assert len(parse_glued_indicators(text)) == len(expected)


@needs_corpus
@pytest.mark.parametrize("name", [SCHOOL, POTATO])
def test_corpus_spans_hold_the_level3_name(name: str) -> None:
    text, _ = load(name)
    for row in parse_glued_indicators(text):
        assert row.level3 is not None
        assert row.level3 in text[row.start : row.end]


@needs_corpus
def test_corpus_reason_text_is_kept() -> None:
    text, _ = load(POTATO)
    last = parse_glued_indicators(text)[-1]
    assert last.score == Decimal(7)
    assert last.reason == "加强技术指导,加大宣传力度;加大项目支持力度"


def test_standard_layout_without_header() -> None:
    text = "产出指标数量指标举办科普活动场次≥50场52场1010质量指标活动合格率≥95%98%1010"
    rows = parse_glued_indicators(text)
    assert [(r.level1, r.level2, r.level3, r.target, r.actual, r.points, r.score) for r in rows] == [
        ("产出指标", "数量指标", "举办科普活动场次", "≥50场", "52场", Decimal(10), Decimal(10)),
        ("产出指标", "质量指标", "活动合格率", "≥95%", "98%", Decimal(10), Decimal(10)),
    ]


def test_standard_layout_with_header_reason_and_levels() -> None:
    text = (
        HEADER_STANDARD
        + "产出指标(50分)数量指标举办科普活动场次≥50场52场1010受益人数≥1000人980人109未达到预期,加强宣传"
        "时效指标完成时间2022年12月2022年12月109效益指标社会效益指标群众知晓率提高提高2020"
        "满意度指标服务对象满意度指标群众满意度≥90%95%1010"
    )
    rows = parse_glued_indicators(text)
    assert [(r.level1, r.level2, r.level3, r.target, r.actual, r.points, r.score) for r in rows] == [
        ("产出指标", "数量指标", "举办科普活动场次", "≥50场", "52场", Decimal(10), Decimal(10)),
        ("产出指标", "数量指标", "受益人数", "≥1000人", "980人", Decimal(10), Decimal(9)),
        ("产出指标", "时效指标", "完成时间", "2022年12月", "2022年12月", Decimal(10), Decimal(9)),
        ("效益指标", "社会效益指标", "群众知晓率", "提高", "提高", Decimal(20), Decimal(20)),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", Decimal(10), Decimal(10)),
    ]
    assert rows[1].reason == "未达到预期,加强宣传"


def test_header_order_points_first() -> None:
    text = HEADER_05 + "产出指标(20分)数量指标指标1发放种子8550万粒550万粒8指标2:质量指标(12分)合格率12≥95%98%11"
    rows = parse_glued_indicators(text)
    assert [(r.level3, r.target, r.actual, r.points, r.score) for r in rows] == [
        ("发放种子", "550万粒", "550万粒", Decimal(8), Decimal(8)),
        ("合格率", "≥95%", "98%", Decimal(12), Decimal(11)),
    ]


def test_decimal_points_and_scores() -> None:
    rows = parse_glued_indicators("产出指标数量指标培训人次≥100人120人2.52.5")
    # "2.52.5" is not one number: the parser must not read it as a single value.
    assert rows[0].level3 == "培训人次"
    rows = parse_glued_indicators(HEADER_05 + "产出指标数量指标培训人次2.5≥100人120人2.5")
    assert (rows[0].points, rows[0].score, rows[0].target, rows[0].actual) == (
        Decimal("2.5"),
        Decimal("2.5"),
        "≥100人",
        "120人",
    )


def test_ocr_score_is_recorded_as_none() -> None:
    rows = parse_glued_indicators(HEADER_05 + "产出指标(10分)数量指标保障人数102370人2370人IO")
    assert (rows[0].points, rows[0].target, rows[0].actual, rows[0].score) == (
        Decimal(10),
        "2370人",
        "2370人",
        None,
    )


def test_three_glued_values_are_not_guessed() -> None:
    (row,) = parse_glued_indicators(HEADER_05 + "产出指标数量指标完成率1090%95%80%5")
    assert (row.level3, row.points, row.score) == ("完成率", Decimal(10), Decimal(5))
    assert row.target is None and row.actual is None


def test_unsplittable_points_and_score_are_left_empty() -> None:
    # "510" is 5|10 (score above points) or 51|0 (implausible points): neither is read.
    (row,) = parse_glued_indicators("产出指标数量指标满意度≥90%95%510")
    assert (row.level3, row.target, row.actual) == ("满意度", "≥90%", "95%")
    assert row.points is None and row.score is None


def test_unitless_values_glued_to_points_are_left_empty() -> None:
    (row,) = parse_glued_indicators("产出指标数量指标活动次数≥5052510")
    assert row.level3 == "活动次数"
    assert (row.target, row.actual, row.points, row.score) == (None, None, None, None)


def test_two_different_texts_keep_numbers_but_not_a_guessed_name() -> None:
    (row,) = parse_glued_indicators("效益指标社会效益指标群众知晓率有所提高明显提高2020")
    assert (row.points, row.score) == (Decimal(20), Decimal(20))
    assert (row.level3, row.target, row.actual) == (None, None, None)


def test_weight_suffix_is_dropped_from_level3() -> None:
    (row,) = parse_glued_indicators("产出指标数量指标举办科普活动场次(10分)≥50场52场1010")
    assert (row.level3, row.target, row.actual, row.points, row.score) == (
        "举办科普活动场次",
        "≥50场",
        "52场",
        Decimal(10),
        Decimal(10),
    )


def test_spans_point_into_the_original_text_across_page_marks() -> None:
    text = HEADER_05 + "项目效益(15分)社会效益\n3、指标效果显著15改善办学条件改善办学条件13"
    (row,) = parse_glued_indicators(text)
    assert row.level2 == "社会效益指标"
    assert text[row.start : row.end] == "效果显著15改善办学条件改善办学条件13"
    assert row.level3 is not None and row.level3 in text[row.start : row.end]


def test_cut_off_text_yields_no_row() -> None:
    assert parse_glued_indicators(HEADER_05 + "满意度指标(10分)服务对象满意度指标学生和老") == []


def test_empty_labels_are_not_rows() -> None:
    rows = parse_glued_indicators(HEADER_05 + "项目效益(15分)经济效益指标指标1:指标2:社会效益指标效果显著15好好13指标L")
    assert [(r.level2, r.level3, r.target, r.points, r.score) for r in rows] == [
        ("社会效益指标", "效果显著", "好", Decimal(15), Decimal(13)),
    ]


def test_units_outside_the_known_list_and_names_opening_with_a_unit_character() -> None:
    rows = parse_glued_indicators("产出指标数量指标造林面积≥100公顷120公顷1010人均收入增长≥5%6%109")
    assert [(r.level3, r.target, r.actual, r.points, r.score) for r in rows] == [
        ("造林面积", "≥100公顷", "120公顷", Decimal(10), Decimal(10)),
        ("人均收入增长", "≥5%", "6%", Decimal(10), Decimal(9)),
    ]
    rows = parse_glued_indicators(HEADER_05 + "产出指标数量指标道路长度10≥10公里12公里10人均收入增长10≥5%6%9")
    assert [(r.level3, r.target, r.actual, r.points, r.score) for r in rows] == [
        ("道路长度", "≥10公里", "12公里", Decimal(10), Decimal(10)),
        ("人均收入增长", "≥5%", "6%", Decimal(10), Decimal(9)),
    ]
