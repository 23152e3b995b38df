"""F: checks on fund figures (预算、到位、执行) and what the unit says about them."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..result import EvaluationResult, Severity
from ..values import fmt, fmt_pct, quantize, ratio_pct
from . import Hit, check


def matches_stated_rate(actual: Decimal, stated: Decimal, spread: Decimal = Decimal(0)) -> bool:
    """Whether a stated rate is ``actual`` written to the stated number of decimals, rounded or truncated.

    "65.4%" and "65%" both state 65.359…%; "66%" does not, nor does "65.37%". ``spread`` is how far the true rate
    may lie from ``actual`` because the amounts it was computed from were themselves rounded (:func:`rate_spread`).
    """
    places = max(-int(stated.as_tuple().exponent), 0)
    unit = Decimal(1).scaleb(-places)
    return actual + spread >= stated - unit / 2 and actual - spread < stated + unit


def near_stated_rate(actual: Decimal, stated: Decimal, spread: Decimal = Decimal(0)) -> bool:
    """Whether a stated rate of two or more decimals misses ``actual`` by no more than one unit of its last place:
    a slip in rounding (86.19% for 86.183…%) rather than a rate that the amounts contradict."""
    places = max(-int(stated.as_tuple().exponent), 0)
    if places < 2:
        return False
    unit = Decimal(1).scaleb(-places)
    return actual + spread >= stated - unit * 3 / 2 and actual - spread < stated + unit * 2


def rate_spread(actual: Decimal, numerator: Decimal, denominator: Decimal) -> Decimal:
    """How far the rate of two amounts as printed may lie from the rate of the amounts before they were rounded to
    print: half a unit of each amount's last printed decimal, relative to the amount (a whole number is exact).
    47.68 ÷ 50 = 95.36% may be anything from 95.35% to 95.37%."""
    if not numerator or not denominator:
        return Decimal(0)
    return abs(actual) * (_half_unit(numerator) / abs(numerator) + _half_unit(denominator) / abs(denominator))


def _half_unit(amount: Decimal) -> Decimal:
    exponent = amount.as_tuple().exponent
    return Decimal(5).scaleb(exponent - 1) if isinstance(exponent, int) and exponent < 0 else Decimal(0)


@check("F001", "funds.stated_rate_mismatch", Severity.ERROR, "所述比率与所述金额不符")
def stated_rate_mismatch(r: EvaluationResult) -> Iterator[Hit]:
    """所述比率按其所写的小数位与金额之比比较（四舍五入或截断均可，金额本身的取舍误差也计入）；两位小数以上的比率
    只差最后一位的一个单位时，是取舍之误，报警告。
    反例：预算 153、到位 100，却写“到位率 70%”；预算 25、执行 21.54576，写“执行率 86.19%”（警告，应为 86.18%）。
    正例：写“到位率 65.36%”“65.4%”“65%”。"""
    c, f = r.evaluation.claims, r.funds
    budget = c.budget_wan if c.budget_wan is not None else f.budget_wan
    arrived = c.arrived_wan if c.arrived_wan is not None else f.arrived_wan
    spent = c.spent_wan if c.spent_wan is not None else f.spent_wan
    pairs = [
        ("资金到位率", c.arrival_rate_pct, arrived, budget, "到位资金", "预算", "claims.arrival_rate_pct"),
        ("支出率", c.spend_rate_pct, spent, arrived, "支出", "到位资金", "claims.spend_rate_pct"),
    ]
    basis_den = budget if f.execution_basis.value == "budget" else arrived
    basis_name = "预算" if f.execution_basis.value == "budget" else "到位资金"
    pairs.append(
        ("预算执行率", c.execution_rate_pct, spent, basis_den, "支出", basis_name, "claims.execution_rate_pct")
    )
    for name, stated, num, den, num_name, den_name, loc in pairs:
        if stated is None or num is None or den is None:
            continue
        actual = ratio_pct(num, den)
        if actual is None:
            continue
        spread = rate_spread(actual, num, den)
        if matches_stated_rate(actual, stated, spread):
            continue
        slip = near_stated_rate(actual, stated, spread)
        yield Hit(
            f"所述{name} {fmt_pct(stated)} 与所述金额不符：{num_name} {exact_amount(num)} 万元 ÷ {den_name} "
            f"{exact_amount(den)} 万元 = {rate_text(actual, stated)}" + ("，所述比率取舍有误" if slip else ""),
            loc,
            Severity.WARNING if slip else None,
        )


def exact_amount(value: Decimal) -> str:
    """An amount with at least 2 decimals, more only when it has them (21.54576 万元 stays 21.54576)."""
    text = f"{value.normalize():f}"
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


def rate_text(actual: Decimal, stated: Decimal) -> str:
    """A computed rate to two places, or to one place more than the stated rate has when it has two or more."""
    places = max(-int(stated.as_tuple().exponent), 0)
    if places < 2:
        return fmt_pct(actual)
    return f"{quantize(actual, Decimal(1).scaleb(-places - 1)):f}%"


@check("F002", "funds.rows_do_not_add_up", Severity.ERROR, "资金来源各行之和与所述总额不符")
def rows_do_not_add_up(r: EvaluationResult) -> Iterator[Hit]:
    """反例：所述预算 153 万元，来源行合计 150 万元。正例：合计 153 万元。"""
    c, f = r.evaluation.claims, r.funds
    checks = [
        ("预算", c.budget_wan, f.budget_wan, "claims.budget_wan"),
        ("到位资金", c.arrived_wan, f.arrived_wan, "claims.arrived_wan"),
        ("支出", c.spent_wan, f.spent_wan, "claims.spent_wan"),
    ]
    for name, stated, total, loc in checks:
        if stated is not None and total is not None and stated != total:
            yield Hit(
                f"所述{name} {fmt(stated)} 万元，与资金来源各行合计 {fmt(total)} 万元相差 {fmt(stated - total)} 万元",
                loc,
            )
    if r.evaluation.project.expected_input_wan is not None and r.evaluation.funds:
        expected = r.evaluation.project.expected_input_wan
        if expected != f.budget_wan:
            yield Hit(
                f"预期投入 {fmt(expected)} 万元与全年预算数合计 {fmt(f.budget_wan)} 万元不符",
                "project.expected_input_wan",
                Severity.WARNING,
            )


@check("F003", "funds.spent_over_arrived", Severity.ERROR, "执行数大于到位数且无说明")
def spent_over_arrived(r: EvaluationResult) -> Iterator[Hit]:
    """反例：到位 100 万元、执行 120 万元且无说明。正例：执行 100 万元。"""
    for i, row in enumerate(r.evaluation.funds):
        arrived, spent = row.arrived_wan, row.executed_wan
        if arrived is not None and spent is not None and spent > arrived and not row.explanation:
            yield Hit(
                f"{row.source.label}执行数 {fmt(spent)} 万元大于实际到位 {fmt(arrived)} 万元，且未说明资金来源",
                f"funds[{i}].executed_wan",
            )


@check("F004", "funds.arrived_over_budget", Severity.WARNING, "到位数大于预算数且无说明")
def arrived_over_budget(r: EvaluationResult) -> Iterator[Hit]:
    """反例：预算 100 万元、到位 110 万元且无说明。正例：到位 100 万元。"""
    for i, row in enumerate(r.evaluation.funds):
        arrived = row.arrived_wan
        if arrived is not None and arrived > row.annual_budget_wan and not row.explanation:
            yield Hit(
                f"{row.source.label}实际到位 {fmt(arrived)} 万元大于全年预算数 {fmt(row.annual_budget_wan)} 万元，且未说明",
                f"funds[{i}].arrivals",
            )


#: a 存在的问题 item that speaks of execution explains a low rate; one that merely mentions 资金 or 经费 does not
_FUND_WORDS = ("执行", "支出", "结余", "结转", "拨付", "到位")


@check("F005", "funds.low_execution_unexplained", Severity.WARNING, "预算执行率低于 90% 未说明原因")
def low_execution_unexplained(r: EvaluationResult) -> Iterator[Hit]:
    """反例：执行率 65.36% 而各资金行、问题和偏差原因均未说明。正例：执行率 95%。"""
    rate = r.funds.execution_rate.value
    limit = r.rules.execution.unexplained_below_pct
    if rate is None or rate >= limit:
        return
    explained = (
        any(row.explanation for row in r.evaluation.funds)
        or any(s.indicator.deviation_reason for s in r.indicators if s.indicator.effective_kind.value == "fund")
        or any(any(w in p for w in _FUND_WORDS) for p in r.evaluation.narrative.problems)
    )
    if not explained:
        yield Hit(
            f"预算执行率 {fmt_pct(rate)}（{r.funds.execution_rate.explanation.formula.split(' = ')[0]}）低于 "
            f"{fmt_pct(limit)}，未说明原因",
            "funds",
        )


@check("F006", "funds.timely_claim_contradicted", Severity.ERROR, "称“资金到位及时”但到位率低于 100%")
def timely_claim_contradicted(r: EvaluationResult) -> Iterator[Hit]:
    """反例：写“资金到位及时”，到位率 65.36%。正例：到位率 100%，或未作此表述。"""
    rate = r.funds.arrival_rate.value
    if r.evaluation.claims.funds_timely and rate is not None and rate < 100:
        yield Hit(
            f"报告称“资金到位及时”，但实际到位 {fmt(r.funds.arrived_wan)} 万元、全年预算 {fmt(r.funds.budget_wan)} 万元，"
            f"到位率仅 {fmt_pct(rate)}",
            "claims.funds_timely",
        )


@check("F007", "funds.allocations_exceed_funds", Severity.ERROR, "分配给下级的资金超过到位或预算资金")
def allocations_exceed_funds(r: EvaluationResult) -> Iterator[Hit]:
    """反例：到位 100 万元，分配下级 120 万元。正例：分配 33 万元。"""
    allocated = sum((a.amount_wan for a in r.evaluation.allocations), Decimal(0))
    if not r.evaluation.allocations:
        return
    ceiling = r.funds.arrived_wan if r.funds.arrived_wan is not None else r.funds.budget_wan
    if allocated > ceiling:
        yield Hit(
            f"分配给下级单位和项目的资金合计 {fmt(allocated)} 万元，超过可用资金 {fmt(ceiling)} 万元", "allocations"
        )


@check("F008", "funds.no_budget", Severity.WARNING, "预算为 0 或未填写")
def no_budget(r: EvaluationResult) -> Iterator[Hit]:
    """黄色预警：预算为 0。反例：没有资金行或全年预算数合计为 0。正例：全年预算数 153 万元。"""
    if r.funds.budget_wan == 0:
        yield Hit("全年预算数合计为 0 万元，无法计算到位率和执行率", "funds")


@check("F009", "funds.large_unspent", Severity.WARNING, "超过 20% 的预算未支出")
def large_unspent(r: EvaluationResult) -> Iterator[Hit]:
    """黄色预警：结余超过预算的 20%。反例：预算 153、支出 100（结余 34.64%）。正例：支出 150。"""
    f = r.funds
    if f.spent_wan is None or f.budget_wan == 0:
        return
    unspent = f.budget_wan - f.spent_wan
    share = unspent * 100 / f.budget_wan
    if share > 20:
        yield Hit(
            f"全年预算 {fmt(f.budget_wan)} 万元，支出 {fmt(f.spent_wan)} 万元，未支出 {fmt(unspent)} 万元，占 {fmt_pct(share)}",
            "funds",
        )
