"""Figures past the decimal precision (28 digits) are shown, never a crash: no document means them, and the audit
quotes them in its findings (fuzz findings F8, F9)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.values import fmt, fmt_pct, quantize


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("99999999999999999999999999999", "99999999999999999999999999999"),  # 29 digits: an indicator value
        ("1.000000000000000000000000000E+29", "100000000000000000000000000000"),  # a rate of 10²⁹ %
        ("-123456789012345678901234567.891", "-123456789012345678901234567.891"),
        ("1E+3000", "1.000E+3000"),  # past 40 digits, scientific
        ("Infinity", "—"),
        ("NaN", "—"),
    ],
)
def test_a_figure_past_the_precision_is_shown_unrounded(value: str, shown: str) -> None:
    assert fmt(Decimal(value)) == shown
    assert fmt_pct(Decimal(value)) == (shown if shown == "—" else f"{shown}%")


def test_figures_within_the_precision_are_still_rounded_half_up() -> None:
    assert fmt(Decimal("12345678901234567890123456.785")) == "12345678901234567890123456.79"
    assert fmt(Decimal("6.535"), 1) == "6.5" and fmt(Decimal("6.55"), 1) == "6.6"
    assert fmt_pct(Decimal("65.359477")) == "65.36%" and fmt_pct(None) == "—"


def test_quantize_returns_a_figure_past_the_precision_as_it_is() -> None:
    huge = Decimal("99999999999999999999999999999")
    assert quantize(huge) is huge
    assert quantize(Decimal("0.125")) == Decimal("0.13")
