"""Reading figures from real documents: exact Decimals in 万元, and None rather than a guess."""

import doctest
from decimal import Decimal

import pytest

from jixiao.reading import numbers
from jixiao.reading.numbers import (
    AmountMatch,
    PercentMatch,
    find_amounts,
    find_percents,
    read_amount,
    read_number,
    read_percent,
)

# read_amount


@pytest.mark.parametrize(
    ("text", "wan"),
    [
        ("153万元", "153"),
        ("153万", "153"),
        ("153 万元", "153"),
        ("1530000元", "153"),
        ("2026400元", "202.64"),
        ("1,530,000.50元", "153.00005"),
        ("1530千元", "153"),
        ("1.53亿元", "15300"),
        ("1.53亿", "15300"),
        ("3千万元", "3000"),
        ("282,796.90万元", "282796.90"),
        ("0元", "0"),
    ],
)
def test_an_arabic_amount_with_its_unit_is_read_in_wan(text, wan):
    assert read_amount(text) == Decimal(wan)


def test_a_conversion_is_exact_and_never_rounded():
    assert read_amount("387664.62", default_unit="元") == Decimal("38.766462")
    assert read_amount("1329120.67元") == Decimal("132.912067")


def test_printed_decimals_are_kept_when_no_conversion_is_needed():
    assert str(read_amount("282,796.90万元")) == "282796.90"
    assert str(read_amount("50.00", default_unit="万元")) == "50.00"


def test_a_conversion_adds_no_trailing_zeros_and_no_exponent():
    assert str(read_amount("1530000元")) == "153"
    assert str(read_amount("2026400元")) == "202.64"
    assert str(read_amount("1.53亿元")) == "15300"


def test_amounts_are_decimals_not_floats():
    for text in ("153万元", "387664.62元", "一百五十三万元", "一点五三亿元"):
        assert type(read_amount(text)) is Decimal


@pytest.mark.parametrize("text", ["１５３万元", "１５３万", "１，５３０，０００元", "１５３．００万元"])
def test_full_width_digits_are_read(text):
    assert read_amount(text) == Decimal("153")


@pytest.mark.parametrize(
    ("text", "wan"),
    [
        ("一百五十三万", "153"),
        ("一百五十三万元", "153"),
        ("壹佰伍拾叁万元", "153"),
        ("壹佰伍拾叁万元整", "153"),
        ("人民币壹佰伍拾叁万元整", "153"),
        ("三百万元", "300"),
        ("两百万元", "200"),
        ("一千零五十万元", "1050"),
        ("一点五三亿元", "15300"),
        ("十万元", "10"),
    ],
)
def test_an_amount_in_chinese_numerals_is_read(text, wan):
    assert read_amount(text) == Decimal(wan)


@pytest.mark.parametrize(
    ("text", "wan"),
    [("96萬元", "96"), ("兩百萬元", "200"), ("壹佰伍拾叁萬圓整", "153"), ("1.53億元", "15300"), ("一點五萬元", "1.5")],
)
def test_traditional_characters_are_read(text, wan):
    assert read_amount(text) == Decimal(wan)


def test_the_ocr_slip_wan_wu_is_read_as_wan_yuan():
    assert read_amount("153万兀") == Decimal("153")


def test_a_currency_sign_means_yuan():
    assert read_amount("￥1,530,000.00") == Decimal("153")
    assert read_amount("¥153万") == Decimal("153")


def test_a_written_unit_wins_over_the_default_unit():
    assert read_amount("153万元", default_unit="元") == Decimal("153")
    assert read_amount("一百五十三万", default_unit="元") == Decimal("153")


def test_a_bare_number_is_read_in_the_default_unit():
    assert read_amount("153", default_unit="万元") == Decimal("153")
    assert read_amount("1530", default_unit="千元") == Decimal("153")
    assert read_amount("一百五十三", default_unit="万元") == Decimal("153")
    assert read_amount("153", default_unit="萬元") == Decimal("153")


def test_a_bare_number_without_a_default_unit_is_not_an_amount():
    assert read_amount("153") is None
    assert read_amount("一百五十三") is None


@pytest.mark.parametrize("text", ["", "  ", "—", "——", "-", "－", "/", "无", "N/A"])
def test_placeholders_are_not_amounts(text):
    assert read_amount(text) is None
    assert read_amount(text, default_unit="万元") is None


@pytest.mark.parametrize(
    "text",
    [
        "-5万元",  # budgets, arrivals and spending are never negative
        "153万人",
        "3万亩",
        "15万粒",
        "3千",  # a count, not money
        "1,23万元",  # thousands marks in the wrong place
        "153万元（含结转）",
        "约153万元",
        "50-60万元",
        "12.5美元",
        "五万五元",  # colloquial; "strict" Chinese numerals only
        "一二三万元",
        "二三十万元",
    ],
)
def test_anything_not_plainly_an_amount_gives_none(text):
    assert read_amount(text) is None


def test_an_unknown_default_unit_is_a_programming_error():
    with pytest.raises(ValueError, match="未知的金额单位"):
        read_amount("153", default_unit="美元")


# read_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10", "10"),
        ("9.72", "9.72"),
        ("9.70", "9.70"),
        ("１０", "10"),
        ("９．７２", "9.72"),
        ("1,234", "1234"),
        ("-5", "-5"),
    ],
)
def test_a_plain_number_is_read_as_printed(text, value):
    result = read_number(text)
    assert result == Decimal(value)
    assert str(result) == value.replace(",", "")


@pytest.mark.parametrize(
    ("text", "value"), [("十", "10"), ("十五", "15"), ("一百", "100"), ("零点五", "0.5"), ("兩千", "2000")]
)
def test_a_chinese_numeral_is_a_number(text, value):
    assert read_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "—", "abc", "10分", "9.72%", "二〇二二", "一二三", "十几"])
def test_anything_but_a_plain_number_gives_none(text):
    assert read_number(text) is None


# read_percent


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("65.36%", "65.36"),
        ("65.36 %", "65.36"),
        ("６５．３６％", "65.36"),
        ("100%", "100"),
        ("百分之六十五点三六", "65.36"),
        ("百分之百", "100"),
        ("百分之一百", "100"),
        ("百分之九十", "90"),
        ("-5%", "-5"),
    ],
)
def test_a_percentage_is_read_in_percentage_points(text, points):
    assert read_percent(text) == Decimal(points)
    assert read_percent(text, require_sign=True) == Decimal(points)


def test_a_percentage_keeps_its_printed_decimals():
    assert str(read_percent("100.00%")) == "100.00"


def test_a_bare_number_is_a_percentage_only_when_no_sign_is_required():
    assert read_percent("65.36") == Decimal("65.36")
    assert read_percent("65.36", require_sign=True) is None


@pytest.mark.parametrize("text", ["", "—", "达标", "65.36个百分点", "65.36%以上", "百分之"])
def test_text_is_not_a_percentage(text):
    assert read_percent(text) is None


# find_amounts


def test_every_arabic_amount_in_a_sentence_is_found_with_its_span():
    text = "项目总投资153万元，其中财政资金2179万元、自筹2,113.63万元，实际支付1329120.67元及3339.58萬元。"
    found = find_amounts(text)
    assert [(m.text, m.wan) for m in found] == [
        ("153万元", Decimal("153")),
        ("2179万元", Decimal("2179")),
        ("2,113.63万元", Decimal("2113.63")),
        ("1329120.67元", Decimal("132.912067")),
        ("3339.58萬元", Decimal("3339.58")),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_chinese_numeral_amounts_in_a_sentence_are_found_with_their_span():
    text = "共申请一百五十三万元，大写壹佰伍拾叁万元整。"
    assert find_amounts(text) == [
        AmountMatch(3, 10, Decimal("153"), "一百五十三万元"),
        AmountMatch(13, 21, Decimal("153"), "壹佰伍拾叁万元整"),
    ]


def test_a_found_amount_is_an_exact_decimal():
    [match] = find_amounts("共申请预算资金2026400元")
    assert match.wan == Decimal("202.64")
    assert type(match.wan) is Decimal


def test_years_lengths_and_counts_are_not_amounts():
    assert find_amounts("2022年完成道路32.63公里，种子15万粒，受益15万人，种植3万亩，153万") == []


def test_a_per_head_amount_is_still_an_amount():
    assert find_amounts("生均1000元") == [AmountMatch(2, 7, Decimal("0.1"), "1000元")]


def test_full_width_amounts_are_found_at_their_place_in_the_source():
    text = "到位资金１５３万元。"
    assert find_amounts(text) == [AmountMatch(4, 9, Decimal("153"), "１５３万元")]


def test_yi_and_the_ocr_slip_are_found():
    assert [(m.text, m.wan) for m in find_amounts("153万兀及1.53亿元")] == [
        ("153万兀", Decimal("153")),
        ("1.53亿元", Decimal("15300")),
    ]


def test_currency_signs_are_amounts_in_yuan():
    assert [(m.text, m.wan) for m in find_amounts("合同价¥1,530,000.00，另付￥153万")] == [
        ("¥1,530,000.00", Decimal("153")),
        ("￥153万", Decimal("153")),
    ]


def test_estimates_and_negative_figures_are_left_out():
    assert find_amounts("投入数十万元，节约数十五万元，几百万元，调减-50万元") == []


def test_a_full_width_comma_between_digits_is_not_trusted_as_a_thousands_mark():
    assert [m.text for m in find_amounts("项目3，200万元；共3项，200万元")] == ["200万元"]


def test_yuan_beginning_a_word_is_not_money():
    assert find_amounts("推进一元化管理，二元结构，3元素") == []


# find_percents


def test_every_percentage_in_a_sentence_is_found():
    text = "到位率65.36%，执行率97%，百分之百完成，满意度百分之九十五点五"
    assert find_percents(text) == [
        PercentMatch(3, 9, Decimal("65.36"), "65.36%"),
        PercentMatch(13, 16, Decimal("97"), "97%"),
        PercentMatch(17, 21, Decimal("100"), "百分之百"),
        PercentMatch(27, 35, Decimal("95.5"), "百分之九十五点五"),
    ]


def test_full_width_percentages_are_found_at_their_place_in_the_source():
    assert find_percents("执行率６５．３６％") == [PercentMatch(3, 9, Decimal("65.36"), "６５．３６％")]


def test_a_dash_in_a_range_is_not_a_minus_sign():
    assert [m.value for m in find_percents("95%-100%之间，95-100%")] == [Decimal(95), Decimal(100), Decimal(100)]


def test_a_negative_change_keeps_its_sign():
    assert [m.value for m in find_percents("同比增长率-5%")] == [Decimal(-5)]


def test_the_docstring_examples_hold():
    assert doctest.testmod(numbers).failed == 0


def test_the_tail_of_a_figure_a_line_break_split_is_no_amount():
    # "共4\n1470万元" joins as "共4 1470万元": the whole figure is not known, and 1470 would be a wrong one
    assert [m.wan for m in find_amounts("下达资金共4 1470万元，其中第一批31374万元")] == [Decimal(31374)]
    assert [m.wan for m in find_amounts("预算132. 912万元")] == []
    assert [m.wan for m in find_amounts("第4批 1470万元")] == [Decimal(1470)]  # a word stands between
