"""Reading money, percentages and indicator values: Decimal all the way, Chinese messages on bad input."""

from decimal import Decimal

import pytest

from jixiao.core.values import ValueProblem, fmt, fmt_pct, parse_amount, parse_measure, parse_percent, quantize


def test_it_reads_amounts_in_wan_by_default():
    assert parse_amount(153) == Decimal("153")
    assert parse_amount(48.6) == Decimal("48.6")


def test_it_converts_yuan_and_yi_to_wan_exactly():
    assert parse_amount("1530000元") == Decimal("153.0000")
    assert parse_amount("1,530,000.50元") == Decimal("153.00005")
    assert parse_amount("1.53亿元") == Decimal("15300.00")
    assert parse_amount("153万元") == Decimal("153")
    assert parse_amount("１５３万元") == Decimal("153")


@pytest.mark.parametrize("bad", ["-5", "-5万元", "一百万", "abc", "12.5美元"])
def test_it_refuses_negative_or_unreadable_amounts_in_chinese(bad):
    with pytest.raises(ValueProblem, match="金额"):
        parse_amount(bad)


def test_it_refuses_a_negative_number():
    with pytest.raises(ValueProblem, match="不能为负数"):
        parse_amount(-1)


def test_it_reads_percentages_only_with_a_percent_sign():
    assert parse_percent("65.36%") == Decimal("65.36")
    assert parse_percent("６５．３６％") == Decimal("65.36")
    with pytest.raises(ValueProblem, match="缺少百分号"):
        parse_percent("65.36")
    with pytest.raises(ValueProblem, match="缺少百分号"):
        parse_percent(0.6536)


def test_it_splits_targets_into_operator_number_and_unit():
    m = parse_measure("≥50个")
    assert (m.operator, m.number, m.unit) == (">=", Decimal("50"), "个")
    m = parse_measure("≤90万元")
    assert (m.operator, m.number, m.unit) == ("<=", Decimal("90"), "万元")
    m = parse_measure("=0起")
    assert (m.operator, m.number, m.unit) == ("=", Decimal("0"), "起")
    m = parse_measure("100%")
    assert (m.operator, m.number, m.unit) == (None, Decimal("100"), "%")
    assert parse_measure("效果明显").number is None


def test_it_rounds_half_up_for_display_only():
    assert quantize(Decimal("6.535")) == Decimal("6.54")
    assert fmt(Decimal("100") / Decimal("153") * 100) == "65.36"
    assert fmt_pct(Decimal("65.359477")) == "65.36%"
    assert fmt(None) == "—"


def test_counts_display_as_written_without_padding():
    from jixiao.core.values import fmt_count

    assert [fmt_count(Decimal(x)) for x in ("6115", "15.00", "2.60", "100")] == ["6115", "15", "2.6", "100"]
