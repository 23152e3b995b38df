"""Splitting glued table cells: the one reading that fits, or None; never a guess."""

import doctest
from decimal import Decimal

import pytest

from jixiao.reading import runs
from jixiao.reading.runs import Col, LabelledRun, candidate_splits, label_and_run, split_fields, split_run

A, P, R, S = Col.AMOUNT, Col.POINTS, Col.RATE, Col.SCORE
FUND_ROW = (A, A, A, P, R, S)  # 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分


def d(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


def is_the_sum_of_the_others(values: tuple[Decimal, ...]) -> bool:
    return values[0] == values[1] + values[2]


# worked examples from real documents


def test_a_glued_fund_row_splits_into_budget_spending_points_rate_and_score():
    assert split_run("50.0050.0048.601097.20%9.72", FUND_ROW) == d("50.00", "50.00", "48.60", "10", "97.20", "9.72")


def test_three_equal_amounts_and_a_full_rate():
    assert split_run("64.864.864.8100%", [A, A, A, R]) == d("64.8", "64.8", "64.8", "100")


def test_three_amounts_with_six_decimals():
    assert split_run("44.54966144.54966144.549661", [A, A, A]) == d("44.549661", "44.549661", "44.549661")


def test_a_total_and_its_two_parts_need_the_sum_rule():
    assert split_run("3311.031861946.15052364.881361", [A, A, A], constraints=[is_the_sum_of_the_others]) == d(
        "3311.031861", "946.1505", "2364.881361"
    )


def test_without_the_sum_rule_the_decimals_preference_reads_the_total_row_differently():
    # Documented limit: same decimals is a preference, not proof; the caller must add what it knows.
    assert split_run("3311.031861946.15052364.881361", [A, A, A]) == d("3311.031861", "946.150523", "64.881361")


@pytest.mark.parametrize(
    ("run", "amount"),
    [("800800800", "800"), ("202020", "20"), ("144144144", "144")],
)
def test_glued_whole_numbers_read_as_equal_amounts_when_equal_amounts_are_preferred(run, amount):
    assert split_run(run, [A, A, A], prefer_equal_amounts=True) == d(amount, amount, amount)


@pytest.mark.parametrize("run", ["800800800", "202020", "144144144"])
def test_glued_whole_numbers_are_ambiguous_without_a_preference(run):
    assert split_run(run, [A, A, A]) is None


def test_the_docstring_examples_hold():
    assert doctest.testmod(runs).failed == 0


# what a piece may be


def test_results_are_decimals_that_keep_their_printed_decimals():
    result = split_run("50.0050.0048.601097.20%9.72", FUND_ROW)
    assert result is not None
    assert all(type(v) is Decimal for v in result)
    assert [str(v) for v in result] == ["50.00", "50.00", "48.60", "10", "97.20", "9.72"]


def test_a_number_never_starts_with_a_superfluous_zero():
    assert split_run("05", [A]) is None
    assert split_run("0", [A]) == d("0")
    assert split_run("0.50", [A]) == d("0.50")


def test_amounts_have_at_most_six_decimals():
    assert split_run("1.123456", [A]) == d("1.123456")
    assert split_run("1.1234567", [A]) is None


def test_points_are_above_zero_at_most_a_hundred_with_one_decimal():
    assert split_run("9.5", [P]) == d("9.5")
    assert split_run("100", [P]) == d("100")
    assert split_run("9.55", [P]) is None
    assert split_run("0", [P]) is None
    assert split_run("150", [P]) is None


def test_a_rate_is_at_most_a_thousand_with_two_decimals():
    assert split_run("97.20%", [R]) == d("97.20")
    assert split_run("1000%", [R]) == d("1000")
    assert split_run("97.205%", [R]) is None
    assert split_run("1000.01%", [R]) is None


def test_a_percent_sign_may_only_follow_a_rate():
    assert split_run("97.20%9.72", [A, A]) is None
    assert split_run("50.0048.6097.20%", [A, A, R]) == d("50.00", "48.60", "97.20")


def test_a_rate_may_be_printed_without_its_percent_sign():
    assert split_run("64.864.864.8100", [A, A, A, R]) == d("64.8", "64.8", "64.8", "100")


def test_thousands_marks_are_read_inside_a_piece():
    assert split_run("282,796.90282,796.90", [A, A]) == d("282796.90", "282796.90")


# arithmetic of the row


def test_a_rate_may_be_rounded_or_truncated_but_not_otherwise_off():
    assert split_run("3.003.002.0066.67%", [A, A, A, R]) == d("3.00", "3.00", "2.00", "66.67")
    assert split_run("3.003.002.0066.66%", [A, A, A, R]) == d("3.00", "3.00", "2.00", "66.66")
    assert split_run("3.003.002.0066.65%", [A, A, A, R]) is None


def test_a_row_whose_rate_does_not_fit_its_amounts_is_not_read():
    # 30/50 is 60%, not 100%; the only cut that "fits" would be 50.00 | 50.003 | 0.0010 | 0%.
    assert split_run("50.0050.0030.00100%", [A, A, A, R]) is None
    assert candidate_splits("50.0050.0030.00100%", [A, A, A, R]) == []


def test_a_score_must_follow_rate_times_points():
    assert split_run("100.00100.0050.001050.00%0", FUND_ROW) is None


def test_the_arithmetic_checks_can_be_switched_off_for_other_scoring_rules():
    assert split_run("100.00100.0050.001050.00%0", FUND_ROW, check_arithmetic=False) == d(
        "100.00", "100.00", "50.00", "10", "50.00", "0"
    )


def test_a_score_never_exceeds_its_points():
    assert split_run("1012", [P, S], check_arithmetic=False) is None  # 10 | 12 is the only other cut
    assert split_run("105", [P, S], check_arithmetic=False) == d("10", "5")


def test_amounts_in_one_row_are_printed_consistently():
    # "50.00" beside "48.6" is neither fixed-decimals nor trimmed printing
    assert candidate_splits("50.0048.6", [A, A]) == [d("50.004", "8.6")]
    # trimmed printing mixes decimals freely; "64.810 | 0" would be neither
    assert candidate_splits("64.8100", [A, A]) == [d("64.8", "100")]


def test_extra_constraints_filter_the_readings():
    assert split_run("1234", [A, A]) is None
    assert split_run("1234", [A, A], constraints=[lambda v: v[0] < v[1]]) is None
    assert split_run("1234", [A, A], constraints=[lambda v: v[0] > 100]) == d("123", "4")


def test_a_constraint_that_fails_arithmetically_rejects_the_reading():
    assert split_run("1.51.5", [A, A], constraints=[lambda v: v[0] / (v[1] - v[1]) > 0]) is None


# ambiguity and impossibility


def test_every_reading_is_listed_when_asked():
    assert candidate_splits("1234", [A, A]) == [d("1", "234"), d("12", "34"), d("123", "4")]


def test_an_ambiguous_run_gives_none():
    assert split_run("1234", [A, A]) is None


def test_an_impossible_run_gives_none():
    assert split_run("1.11.11.1", [A, A]) is None
    assert split_run("年初50", [A]) is None
    assert split_run("", [A]) is None
    assert split_run("50", []) is None


def test_a_run_too_ambiguous_to_list_gives_none():
    run = "9" * 100
    assert candidate_splits(run, [A] * 10) is None
    assert split_run(run, [A] * 10) is None


def test_a_run_too_long_to_be_a_row_gives_none():
    assert split_run("1.1" * 60, [A] * 60) is None


# separators the document kept


def test_fields_separated_by_blanks_or_bars_are_read_as_they_stand():
    expected = d("50.00", "50.00", "48.60", "10", "97.20", "9.72")
    assert split_run("50.00 50.00 48.60 10 97.20% 9.72", FUND_ROW) == expected
    assert split_run("50.00|50.00|48.60|10|97.20%|9.72", FUND_ROW) == expected
    assert split_run("50.00 | 50.00 | 48.60 | 10 | 97.20 % | 9.72", FUND_ROW) == expected


def test_separated_fields_are_read_as_written_even_when_the_document_miscalculates():
    # The checks downstream report the error; the reader must not hide it.
    assert split_run("50.00 50.00 48.60 10 90.00% 12", FUND_ROW) == d("50.00", "50.00", "48.60", "10", "90.00", "12")


def test_separated_fields_must_still_be_numbers_fit_for_their_column():
    assert split_run("50.00 50.00 48.60 150 97.20% 9.72", FUND_ROW) is None
    assert split_run("50.00 — 48.60 10 97.20% 9.72", FUND_ROW) is None


def test_partly_glued_fields_are_cut_only_inside_each_field():
    assert split_run("50.00 50.0048.60 10 97.20% 9.72", FUND_ROW) == d("50.00", "50.00", "48.60", "10", "97.20", "9.72")
    assert split_run("800 800800", [A, A, A], prefer_equal_amounts=True) == d("800", "800", "800")
    assert split_run("800 80080 0", [A, A, A]) == d("800", "80080", "0")


def test_more_fields_than_columns_gives_none():
    assert split_run("1 2 3", [A, A]) is None


def test_split_fields_keeps_a_lone_percent_sign_with_its_rate():
    assert split_fields(" 50.00 | 97.20 %  9.72 ") == ["50.00", "97.20%", "9.72"]


# full-width and traditional text


def test_full_width_runs_are_read():
    assert split_run("５０.００５０.００４８.６０１０９７.２０％９.７２", FUND_ROW) == d(
        "50.00", "50.00", "48.60", "10", "97.20", "9.72"
    )
    assert split_run("６４．８６４．８６４．８１００％", [A, A, A, R]) == d("64.8", "64.8", "64.8", "100")
    assert split_run("５０．００｜５０．００", [A, A]) == d("50.00", "50.00")


# label_and_run


def test_the_label_and_the_run_are_pulled_out_of_a_line():
    assert label_and_run("年度资金总额:50.0050.0048.601097.20%9.72") == LabelledRun(
        "年度资金总额", "50.0050.0048.601097.20%9.72"
    )


def test_a_traditional_full_width_line_keeps_its_own_characters():
    assert label_and_run("年度資金總額：５０．００５０．００") == LabelledRun("年度資金總額", "５０．００５０．００")


def test_a_label_may_contain_digits_before_its_last_word():
    assert label_and_run("（1）财政拨款 50.00 | 50.00 ") == LabelledRun("（1）财政拨款", "50.00 | 50.00")
    assert label_and_run("2022年度资金总额 50.0050.00") == LabelledRun("2022年度资金总额", "50.0050.00")


def test_a_line_without_a_trailing_run_has_none():
    assert label_and_run("年度资金总额") is None
    assert label_and_run("年度资金总额:50.00万元") is None
    assert label_and_run("") is None


def test_a_bare_run_has_an_empty_label():
    assert label_and_run("50.0050.00") == LabelledRun("", "50.0050.00")


def test_a_labelled_line_splits_end_to_end():
    line = label_and_run("年度资金总额：５０.００５０.００４８.６０１０９７.２０％９.７２")
    assert line is not None
    assert line.label == "年度资金总额"
    assert split_run(line.run, FUND_ROW) == d("50.00", "50.00", "48.60", "10", "97.20", "9.72")


def test_printed_as_accepts_a_figure_rounded_or_cut_to_the_decimals_it_shows() -> None:
    from jixiao.reading.runs import printed_as

    assert printed_as(Decimal("86.18"), Decimal("86.183"))  # rounded
    assert printed_as(Decimal("5"), Decimal("5.43"))  # cut to a whole number
    assert not printed_as(Decimal("95.00"), Decimal("95.36"))
    assert printed_as(Decimal("8.62"), Decimal("8.6183"), slack=Decimal("0.01"))
