"""Ratios computed from the department's stated account figures, each with its formula and inputs written out.

An unstated input leaves its ratio unread (``value`` None), never 0."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..result import Explanation, Figure
from ..values import fmt, fmt_pct, ratio_pct
from .framework import Formula, Formulas


@dataclass(frozen=True, slots=True)
class Ratio:
    formula: Formula
    figure: Figure

    @property
    def value(self) -> Decimal | None:
        return self.figure.value

    def text(self) -> str:
        """``结转结余率 = 结转结余总额 12.00 万元 ÷ 全年预算数（调整后） 480.00 万元 = 2.50%``, or why it is unread."""
        return f"{self.formula.name} = {self.figure.explanation.formula}"


def shown(value: Decimal | None, unit: str) -> str:
    """An input as the formula prints it: ``12.00 万元``, ``48 人``."""
    if value is None:
        return "未填写"
    if unit == "人" and value == value.to_integral_value():
        return f"{int(value)} 人"
    return f"{fmt(value)} {unit}"


def _side(terms: list[str], formulas: Formulas, accounts: dict[str, Decimal | None]) -> tuple[str, Decimal | None]:
    """The written side (names with their figures, ``−`` between subtracted terms) and its sum."""
    parts: list[str] = []
    total: Decimal | None = Decimal(0)
    for i, term in enumerate(terms):
        negative = term.startswith("-")
        spec = formulas.input(term.removeprefix("-"))
        value = accounts.get(spec.id)
        written = f"{spec.name} {shown(value, spec.unit)}"
        parts.append(written if i == 0 and not negative else f"{'−' if negative else '+'} {written}")
        if value is None or total is None:
            total = None
        else:
            total += -value if negative else value
    text = " ".join(parts)
    return (f"（{text}）" if len(terms) > 1 else text), total


def compute_ratio(formula: Formula, formulas: Formulas, accounts: dict[str, Decimal | None]) -> Ratio:
    top, numerator = _side(formula.numerator, formulas, accounts)
    bottom, denominator = _side(formula.denominator, formulas, accounts)
    inputs = tuple(
        (formulas.input(name).name, shown(accounts.get(name), formulas.input(name).unit)) for name in formula.inputs()
    )
    written = f"{top} ÷ {bottom} × 100%"
    if numerator is None or denominator is None:
        missing = [formulas.input(n).name for n in dict.fromkeys(formula.inputs()) if accounts.get(n) is None]
        why = f"未填写{'、'.join(missing)}，不计算"
        return Ratio(formula, Figure(None, Explanation(formula.name, why, inputs)))
    value = ratio_pct(numerator, denominator)
    if value is None:
        why = f"{bottom}为 0，不计算"
        return Ratio(formula, Figure(None, Explanation(formula.name, why, inputs)))
    return Ratio(formula, Figure(value, Explanation(formula.name, f"{written} = {fmt_pct(value)}", inputs)))


def compute_ratios(formulas: Formulas, accounts: dict[str, Decimal | None]) -> dict[str, Ratio]:
    """Every formula's ratio, by formula id, in the order of the formulas file."""
    return {f.id: compute_ratio(f, formulas, accounts) for f in formulas.formulas}
