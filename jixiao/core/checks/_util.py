"""Small helpers shared by the check modules."""

from __future__ import annotations

from decimal import Decimal

from ..result import IndicatorScore


def where(score: IndicatorScore) -> str:
    """Location of an indicator: its path of names."""
    return "指标:" + "/".join(score.path)


def differs(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) > tolerance


#: stated percentages are compared with computed ones after rounding to 2 places; allow one unit of the last place
RATE_TOLERANCE = Decimal("0.01")
