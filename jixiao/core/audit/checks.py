"""Checks that only a submitted document needs: its fund rows, its narrative sums, its own arithmetic.

Ids ``A…`` are stable and never renumbered, like the step-1 catalogue (:mod:`jixiao.core.checks`), whose
checks also run on every audited document (those in :data:`STEP1_CHECKS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ..checks import Check, Hit, registrar
from ..checks.funds import matches_stated_rate, near_stated_rate, rate_spread, rate_text
from ..result import EvaluationResult, Finding, Severity
from ..values import HUNDRED, fmt, fmt_pct, parse_measure, quantize, ratio_pct, to_decimal
from .document import FACT_FIELDS, Extraction, FoundIndicator, FundLine

#: step-1 checks that are meaningful on what a document states (the others need data a document lacks:
#: surveys, dated outputs, placeholders of our own templates) — listed in docs/checks.md
STEP1_CHECKS = ("F001", "F003", "F004", "F005", "F006", "F009", "S001", "S004", "S005", "S006", "S007", "S009", "S010")


@dataclass(slots=True)
class AuditContext:
    extraction: Extraction
    result: EvaluationResult


AUDIT_CATALOGUE: dict[str, Check[AuditContext]] = {}
audit_check = registrar(AUDIT_CATALOGUE)


def run_audit_checks(ctx: AuditContext) -> list[Finding]:
    findings: list[Finding] = []
    for check in AUDIT_CATALOGUE.values():
        findings.extend(check.run(ctx))
    return findings


_TOLERANCE = Decimal("0.005")  # amounts are compared to the half of the smallest printed unit (0.01 万元)


@audit_check("A001", "audit.fund_total_not_parts", Severity.ERROR, "资金总额行与其下各行之和不符")
def fund_total_not_parts(ctx: AuditContext) -> Iterator[Hit]:
    """“其中”各行是总额的一部分：其下各行之和大于总额时不能成立。各行归属于其上最近的总额行（总额行在块末、
    其下无行时归属于其上各行）；各行之和小于总额时不判断（“其中”可能只列出一部分，或有的行未能读出）。
    反例：年度资金总额 0 / 0 / 0，其中本年财政拨款 202.64 / 132.912 / 132.912。正例：两者相等；或总额 763，
    只读出其中中央补助 502（不判断）。"""
    blocks = [(ctx.extraction.fund_lines, None), *((b, Severity.WARNING) for b in ctx.extraction.more_fund_blocks)]
    for lines, severity in blocks:  # a later block is read from less structure: what it shows is a warning
        yield from _total_against_parts(lines, severity)


#: the amount columns of a fund row, with their names in messages
_AMOUNT_COLUMNS = (("initial_budget_wan", "年初预算数"), ("budget_wan", "全年预算数"), ("spent_wan", "全年执行数"))


def _total_against_parts(lines: list[FundLine], severity: Severity | None) -> Iterator[Hit]:
    for total, parts in _fund_groups(lines):
        gaps = []
        for attr, name in _AMOUNT_COLUMNS:
            stated = getattr(total, attr)
            values = [getattr(p, attr) for p in parts if getattr(p, attr) is not None]
            if stated is None or not values:
                continue
            summed = sum(values, Decimal(0))
            if summed - stated > _TOLERANCE:
                detail = (
                    f"{' + '.join(exact(v) for v in values)} = {exact(summed)}" if len(values) > 1 else exact(summed)
                )
                gaps.append(f"{name} {exact(stated)} 万元，其下各行合计 {detail} 万元")
        if gaps:  # one row, one finding: the columns are one mistake seen three times
            yield Hit(f"“{total.label}”一行与其下各行不符：{'；'.join(gaps)}", total.evidence.place.label(), severity)


def _fund_groups(lines: list[FundLine]) -> Iterator[tuple[FundLine, list[FundLine]]]:
    """Each total row with the rows under it (up to the next total row). Rows above the first total belong to it
    only where nothing follows it (a 合计 row at the foot of its block); otherwise they are another block's."""
    groups: list[tuple[FundLine, list[FundLine]]] = []
    before: list[FundLine] = []
    for line in lines:
        if line.is_total:
            groups.append((line, []))
        elif groups:
            groups[-1][1].append(line)
        else:
            before.append(line)
    if len(groups) == 1 and not groups[0][1] and before:
        groups = [(groups[0][0], before)]
    yield from ((total, parts) for total, parts in groups if parts)


@audit_check("A002", "audit.fund_row_score_off_rule", Severity.ERROR, "资金行得分与执行率 × 分值不符")
def fund_row_score_off_rule(ctx: AuditContext) -> Iterator[Hit]:
    """执行率取执行数 ÷ 预算数，或表中所列执行率；得分按其所写的小数位四舍五入或截断与任一种算法相符即可。
    相差超过 0.5 分为错误；只差得分最后一位的一个单位（如 2.16 与 2.15）是取舍之误，报警告；其间的差别可能来自
    其他计分办法，不判断。
    反例：执行 914.97 ÷ 预算 985.19 = 92.87%，分值 10，得分却为 10；分值 20、执行率 10.77%，得分写 2.16（警告）。
    正例：得 9.29 分；得 2.15 分。"""
    for line in ctx.extraction.fund_lines:
        if line.points is None or line.score is None:
            continue
        rates = _line_rates(line)
        if not rates:
            continue
        expected = [line.points * min(rate, HUNDRED) / HUNDRED for rate, _ in rates]
        places = max(-int(line.score.as_tuple().exponent), 0)
        unit = Decimal(1).scaleb(-places)
        if any(line.score in (e.quantize(unit, ROUND_HALF_UP), e.quantize(unit, ROUND_DOWN)) for e in expected):
            continue
        gap, rate, how = min((abs(e - line.score), r, h) for e, (r, h) in zip(expected, rates, strict=True))
        if gap <= Decimal("0.5") and not (places >= 2 and gap <= unit):
            continue
        near = gap <= Decimal("0.5")
        computed = line.points * min(rate, HUNDRED) / HUNDRED
        yield Hit(
            f"“{line.label}”执行率 {fmt_pct(rate)}（{how}），按执行率 × 分值 {fmt(line.points)} 应得 "
            f"{_score_text(computed, places)}，表中得分 {fmt(line.score)} 分" + ("，得分取舍有误" if near else ""),
            line.evidence.place.label(),
            Severity.WARNING if near else None,
        )


def _line_rates(line: FundLine) -> list[tuple[Decimal, str]]:
    """The line's 执行率 from its amounts and as printed, each with how it was had."""
    rates = []
    budget = line.budget_wan if line.budget_wan is not None else line.initial_budget_wan
    if line.spent_wan is not None and budget:
        rate = ratio_pct(line.spent_wan, budget)
        if rate is not None:
            rates.append((rate, f"{exact(line.spent_wan)} ÷ {exact(budget)} 万元"))
    if line.rate_pct is not None:
        rates.append((line.rate_pct, "表中所列"))
    return rates


def _score_text(value: Decimal, places: int) -> str:
    """A computed score to two places; where the printed score has two places or more, to two places more than it
    has, then rounded to its places (2.1548 shows why 2.16 is wrong; 2.155 would invite rounding twice)."""
    if places < 2:
        return f"{fmt(value)} 分"
    shown = quantize(value, Decimal(1).scaleb(-places - 2))
    return f"{shown:f} 分（保留 {places} 位小数为 {quantize(value, Decimal(1).scaleb(-places)):f}）"


@audit_check("A003", "audit.points_lost_though_met", Severity.WARNING, "实际完成值已达目标却扣分且未说明原因")
def points_lost_though_met(ctx: AuditContext) -> Iterator[Hit]:
    """反例：目标 ≥100%、实际 100%，10 分只得 7 分，偏差原因空白。正例：得 10 分，或写明扣分原因。"""
    for row in ctx.extraction.indicators:
        if row.points is None or row.score is None or row.score >= row.points or (row.reason or "").strip():
            continue
        if _met(row):
            yield Hit(
                f"“{row.level3}”目标 {row.target or '（未写）'}，实际 {row.actual}，已达目标却只得 "
                f"{fmt(row.score)} 分（分值 {fmt(row.points)} 分），且未说明原因",
                row.evidence.place.label() if row.evidence else None,
            )


_EMPTY_TARGET = re.compile(r"^[一\-—/]?$")


def _met(row: FoundIndicator) -> bool:
    actual = (row.actual or "").strip()
    target = (row.target or "").strip()
    if not actual:
        return False
    if _EMPTY_TARGET.match(target):
        # no target: only a rate of 100% (预算执行率 100%) shows the aim was met
        m = parse_measure(actual)
        return m.number is not None and m.unit == "%" and m.number >= HUNDRED
    if actual == target.lstrip("≥≧=═≤≦<>"):
        return True
    t, a = parse_measure(target), parse_measure(actual)
    if t.number is None or a.number is None or (t.unit and a.unit and t.unit != a.unit):
        return False
    if t.operator == "<=":
        return a.number <= t.number
    return a.number >= t.number


@audit_check("A004", "audit.total_over_visible", Severity.ERROR, "自评总分超过可见得分加未列出分值")
def total_over_visible(ctx: AuditContext) -> Iterator[Hit]:
    """反例：可见各项得分 84 分，未列出的指标只剩 10 分，自评总分却为 98 分。正例：总分不超过 94 分。"""
    ex = ctx.extraction
    total = ex.value("self_score")
    rows = [r for r in ex.indicators if r.points is not None]
    if not isinstance(total, Decimal) or not rows:
        return
    scored = sum((r.score for r in rows if r.score is not None), Decimal(0))
    unknown = sum((r.points for r in rows if r.score is None and r.points is not None), Decimal(0))
    listed = sum((r.points for r in rows if r.points is not None), Decimal(0))
    fund = next((line for line in ex.fund_lines if line.is_total), None)
    fund_points = fund.points if fund is not None and fund.points is not None else Decimal(0)
    fund_score = fund.score if fund is not None and fund.score is not None else fund_points
    unlisted = HUNDRED - listed - fund_points
    if unlisted < 0:
        return
    best = scored + unknown + fund_score + unlisted
    if total > best + Decimal("0.5"):
        parts = [f"可见各指标得分合计 {fmt(scored)} 分"]
        if unknown:
            parts.append(f"得分无法辨认的指标按满分 {fmt(unknown)} 分计")
        if fund_points:
            parts.append(f"资金执行得分 {fmt(fund_score)} 分")
        parts.append(f"未列出的指标最多 {fmt(unlisted)} 分")
        yield Hit(f"自评总分 {fmt(total)} 分不能成立：{'，'.join(parts)}，合计最多 {fmt(best)} 分", "facts.self_score")


@audit_check("A005", "audit.sum_statement_mismatch", Severity.ERROR, "文中所述总额与所列各项之和不符")
def sum_statement_mismatch(ctx: AuditContext) -> Iterator[Hit]:
    """反例：“共申请预算资金2026400元，其中……”所列各项合计 1740000 元。正例：各项合计等于总额。"""
    for s in ctx.extraction.sums:
        summed = sum(s.parts_wan, Decimal(0))
        if abs(summed - s.total_wan) > Decimal("0.000001"):
            parts = " + ".join(exact(p) for p in s.parts_wan)
            yield Hit(
                f"所述总额 {exact(s.total_wan)} 万元，所列各项 {parts} = {exact(summed)} 万元，相差 "
                f"{exact(s.total_wan - summed)} 万元",
                s.evidence.place.label(),
            )


_ALL_PAID = re.compile(r"全部拨付|已全部支付|全部支出|全部使用完毕|已全部使用")


@audit_check("A006", "audit.all_paid_but_less_spent", Severity.WARNING, "称资金已全部拨付，却又写明执行数较少")
def all_paid_but_less_spent(ctx: AuditContext) -> Iterator[Hit]:
    """反例：“2179万元目前已全部拨付”，又称“已完成拨付2113.63万元”。正例：两处金额一致。"""
    ex = ctx.extraction
    arrived, spent = ex.facts.get("arrived_wan"), ex.facts.get("spent_wan")
    if arrived is None or spent is None or not _ALL_PAID.search(arrived.evidence.text):
        return
    if isinstance(arrived.value, Decimal) and isinstance(spent.value, Decimal) and spent.value < arrived.value:
        yield Hit(
            f"文中称 {fmt(arrived.value)} 万元“{_ALL_PAID.search(arrived.evidence.text).group(0)}”"  # type: ignore[union-attr]
            f"（{arrived.evidence.place.label()}），又称已拨付/支出 {fmt(spent.value)} 万元（{spent.evidence.place.label()}），"
            f"相差 {fmt(arrived.value - spent.value)} 万元",
            spent.evidence.place.label(),
        )


_DASH = re.compile(r"——|--")


@audit_check("A007", "audit.fund_name_spelled_twice", Severity.WARNING, "同一资金名称前后写法不一")
def fund_name_spelled_twice(ctx: AuditContext) -> Iterator[Hit]:
    """反例：正文“科技创新战略专项资金——X”，附件标题“科技发展战略专项资金——X”。正例：写法一致。"""
    by_tail: dict[str, dict[str, str]] = {}
    for name, evidence in ctx.extraction.quoted_names:
        parts = _DASH.split(name, maxsplit=1)
        if len(parts) == 2 and parts[1]:
            by_tail.setdefault(parts[1], {}).setdefault(parts[0], evidence.place.label())
    for tail, heads in by_tail.items():
        if len(heads) > 1:
            spelled = "、".join(f"“{head}——{tail}”（{place}）" for head, place in heads.items())
            yield Hit(f"同一资金写法不一：{spelled}", next(iter(heads.values())))


_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")


@audit_check("A008", "audit.indicator_date_outside_year", Severity.WARNING, "指标中的日期不在评价年度内")
def indicator_date_outside_year(ctx: AuditContext) -> Iterator[Hit]:
    """反例：2022 年度自评的时效指标写“2021年11月30日前完成资金支付”。正例：写 2022 年内的日期。"""
    year = ctx.extraction.value("year")
    if not isinstance(year, int):
        return
    for row in ctx.extraction.indicators:
        for field in (row.level3, row.target, row.actual):
            m = _YEAR_IN_TEXT.search(field or "")
            if m and int(m.group(1)) != year:
                yield Hit(
                    f"{year} 年度自评的指标“{row.level3}”写有“{field}”，日期在 {m.group(1)} 年",
                    row.evidence.place.label() if row.evidence else None,
                )
                break


def exact(value: Decimal) -> str:
    """An amount as the document's precision needs: at least 2 decimals, more only when they are there
    (132.912 万元 stays 132.912; 0.0001 万元 is 1 元)."""
    text = f"{value.normalize():f}"
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


_CLAUSE = re.compile(r"[,;。、|]")


@audit_check("A009", "audit.goal_and_target_differ", Severity.WARNING, "年度总体目标与指标值写的数量不同")
def goal_and_target_differ(ctx: AuditContext) -> Iterator[Hit]:
    """目标中同一事物、同一计量单位的数量与指标的年度指标值不同（事物以与指标名称相同的最长一段文字、至少三个字认定，
    数量相差一倍以内；目标中任何一处写有该数量即不判断；≥、≤ 的指标值是界限而非数量，不比较）。
    反例：目标“采购马铃薯原原种425万粒”，指标“免费发放原原种”年度指标值 550万粒。正例：指标值也是 425万粒。"""
    goal = ctx.extraction.goal
    if goal is None:
        return
    clauses = [c for c in _CLAUSE.split(goal.text) if c]
    for row in ctx.extraction.indicators:
        target = parse_measure(row.target)
        if target.number is None or not target.unit or target.unit == "%" or not row.level3:
            continue
        if target.operator in ("<=", ">="):  # a bound, not a count: a goal of 110 场 meets ≥100场
            continue
        same_unit = re.compile(rf"(\d+(?:\.\d+)?)\s*{re.escape(target.unit)}")
        counted = [(clause, [to_decimal(m.group(1)) for m in same_unit.finditer(clause)]) for clause in clauses]
        counted = [(clause, stated) for clause, stated in counted if stated]
        if any(target.number in stated for _, stated in counted):
            continue  # the goal states this very quantity somewhere: 总氮 490吨 and 氨氮 250吨 are two things
        best = max((_shared_run(row.level3, clause), clause, stated) for clause, stated in counted) if counted else None
        if best is None or best[0] < 3:
            continue
        _, clause, stated = best
        if any(n and Decimal("0.5") <= target.number / n <= 2 for n in stated):
            yield Hit(
                f"年度总体目标写“{clause.strip()}”，指标“{row.level3}”的年度指标值却为 {row.target}",
                row.evidence.place.label() if row.evidence else goal.place.label(),
            )


def _shared_run(name: str, clause: str) -> int:
    """The length of the longest run of Chinese characters of the indicator's name found in the goal's clause: the
    clause that shares the longest run is the one about the same thing (three characters at least)."""
    letters = re.sub(r"[^\u4e00-\u9fff]", "", name)
    best = 0
    for i in range(len(letters)):
        for j in range(i + best + 1, len(letters) + 1):
            if letters[i:j] not in clause:
                break
            best = j - i
    return best


#: the stated amounts (万元) a self-evaluation cannot have: below zero, or beyond a trillion 万元 (a whole country's
#: budget is some tens of billions of 万元); and the stated rates and score that cannot be below zero
AMOUNT_FACTS = ("initial_budget_wan", "budget_wan", "arrived_wan", "spent_wan")
RATE_FACTS = ("arrival_rate_pct", "spend_rate_pct", "execution_rate_pct", "self_score")
MOST_WAN = Decimal(10) ** 12


def impossible(name: str, value: object) -> bool:
    """Whether fact ``name`` read as ``value`` is a number no document can truthfully state."""
    if name not in AMOUNT_FACTS and name not in RATE_FACTS:
        return False
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        return False
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number < 0 or (name in AMOUNT_FACTS and number >= MOST_WAN)


def impossible_facts(ex: Extraction) -> dict[str, Decimal]:
    """The facts read as numbers no document can truthfully state; they are left out of the evaluation (a missing
    number is better than a wrong one) and reported by A010."""
    return {
        name: fact.value
        for name, fact in ex.facts.items()
        if isinstance(fact.value, Decimal) and impossible(name, fact.value)
    }


@audit_check("A010", "audit.impossible_figure", Severity.ERROR, "所述金额、比率或得分不可能成立")
def impossible_figure(ctx: AuditContext) -> Iterator[Hit]:
    """所述金额为负数或超过一万亿万元，或所述比率、得分为负数；这样的数不计入评价（宁缺勿错）。
    反例：全年预算数“-153万元”。正例：全年预算数“153万元”。"""
    for name, value in impossible_facts(ctx.extraction).items():
        fact = ctx.extraction.facts[name]
        shown = f"{value:f}" if abs(value) < MOST_WAN else f"{value:.3E}"
        yield Hit(
            f"{FACT_FIELDS[name]}读作 {shown}，不可能成立，未计入评价；请核对原文“{fact.evidence.text.strip()[:60]}”",
            fact.evidence.place.label(),
        )


@audit_check("A011", "audit.fund_row_rate_off_amounts", Severity.ERROR, "资金行所列执行率与执行数 ÷ 预算数不符")
def fund_row_rate_off_amounts(ctx: AuditContext) -> Iterator[Hit]:
    """资金行的执行率按其所写的小数位与全年执行数 ÷ 全年预算数比较（四舍五入或截断均可，金额本身的取舍误差也计入）；
    两位小数以上的执行率只差最后一位的一个单位时，是取舍之误，报警告。与所述事实相同的一行由 F001 报告，不重复。
    反例：全年预算数 50、全年执行数 47.68，执行率写 95.00%（应为 95.36%）。正例：写 95.36%。"""
    ex = ctx.extraction
    stated_facts = tuple(ex.value(n) for n in ("budget_wan", "spent_wan", "execution_rate_pct"))
    for line in ex.fund_lines:
        if line.rate_pct is None or line.spent_wan is None or not line.budget_wan:
            continue
        if (line.budget_wan, line.spent_wan, line.rate_pct) == stated_facts:
            continue  # the document's stated figures: F001 compares them
        actual = ratio_pct(line.spent_wan, line.budget_wan)
        if actual is None:
            continue
        spread = rate_spread(actual, line.spent_wan, line.budget_wan)
        if matches_stated_rate(actual, line.rate_pct, spread):
            continue
        slip = near_stated_rate(actual, line.rate_pct, spread)
        yield Hit(
            f"“{line.label}”执行率 {fmt_pct(line.rate_pct)}，而全年执行数 {exact(line.spent_wan)} 万元 ÷ 全年预算数 "
            f"{exact(line.budget_wan)} 万元 = {rate_text(actual, line.rate_pct)}"
            + ("，执行率取舍有误" if slip else ""),
            line.evidence.place.label(),
            Severity.WARNING if slip else None,
        )


def _fund_points(ex: Extraction) -> Decimal | None:
    """The 分值 of 预算执行率 in the fund block (its total row's, else the one row that has one)."""
    total = next((line for line in ex.fund_lines if line.is_total and line.points is not None), None)
    if total is not None:
        return total.points
    return next((line.points for line in ex.fund_lines if line.points is not None), None)


@audit_check("A012", "audit.points_over_100", Severity.WARNING, "各指标分值与预算执行率分值合计超过 100 分")
def points_over_100(ctx: AuditContext) -> Iterator[Hit]:
    """满分为 100 分：读出的各指标分值加资金块的预算执行率分值不能超过 100 分（表格可能截断，少于 100 分不判断；
    分值逐行读出，一页两表等读取情形也可能使合计偏大，故报警告）。
    反例：各指标分值合计 95 分，预算执行率分值 10 分，合计 105 分。正例：合计 100 分。"""
    ex = ctx.extraction
    rows = [r for r in ex.indicators if r.points is not None]
    if not rows:
        return
    listed = sum((r.points for r in rows if r.points is not None), Decimal(0))
    fund = _fund_points(ex) or Decimal(0)
    if listed + fund > HUNDRED:
        extra = f"，加预算执行率分值 {fmt(fund)} 分" if fund else ""
        yield Hit(
            f"{len(rows)} 项指标分值合计 {fmt(listed)} 分{extra}，共 {fmt(listed + fund)} 分，超过满分 100 分",
            rows[0].evidence.place.label() if rows[0].evidence else None,
        )


@audit_check("A013", "audit.total_not_sum_of_scores", Severity.ERROR, "自评总分不等于各指标得分与预算执行率得分之和")
def total_not_sum_of_scores(ctx: AuditContext) -> Iterator[Hit]:
    """表中各指标分值与预算执行率分值合计恰为 100 分（表格完整）、每项都有得分时，自评总分应等于各项得分之和。
    预算执行率不在资金块单独计分的表由 S009 核对。
    反例：指标得分 10 + 20 + 20 + 30 + 10 = 90，预算执行率得分 8.62，总分写 99.62。正例：总分 98.62。"""
    ex = ctx.extraction
    total = ex.value("self_score")
    fund = next((line for line in ex.fund_lines if line.is_total and line.points is not None), None)
    if fund is None:
        fund = next((line for line in ex.fund_lines if line.points is not None), None)
    rows = [r for r in ex.indicators if r.points is not None]
    if not isinstance(total, Decimal) or fund is None or fund.score is None or fund.points is None or not rows:
        return
    if any(r.score is None for r in rows):
        return
    if sum((r.points for r in rows if r.points is not None), Decimal(0)) + fund.points != HUNDRED:
        return
    scored = sum((r.score for r in rows if r.score is not None), Decimal(0))
    if abs(scored + fund.score - total) > Decimal("0.005"):
        yield Hit(
            f"各指标得分合计 {fmt(scored)} 分，加预算执行率得分 {fmt(fund.score)} 分，共 {fmt(scored + fund.score)} 分，"
            f"自评总分却为 {fmt(total)} 分",
            ex.facts["self_score"].evidence.place.label(),
        )


@audit_check("A014", "audit.list_number_repeated", Severity.WARNING, "编号列表中同一序号用了两次")
def list_number_repeated(ctx: AuditContext) -> Iterator[Hit]:
    """从 1 起逐一递增的编号列表中，某项的序号与上一项相同、其后又接着下一个序号：条目数与序号对不上，
    引用“第 5 项”时指的是哪一项说不清。序号跳过（1、2、4）不判断（可能有意删去一项）。
    反例：1. … 2. … 3. … 4. … 4. … 5. …（共六项，序号止于 5）。正例：1. 至 6. 逐一编号。"""
    for number, evidence in ctx.extraction.numbering_slips:
        yield Hit(f"列表中序号“{number}.”用了两次，其后接着 {number + 1}.，条目数与序号对不上", evidence.place.label())


@audit_check("A015", "audit.sentence_rate_off_amounts", Severity.WARNING, "句中所述比率与同句的应有、实际金额不符")
def sentence_rate_off_amounts(ctx: AuditContext) -> Iterator[Hit]:
    """一句话写了应有的金额、实际的金额和比率（执行率、到位率……），比率应是实际 ÷ 应有（按所写的小数位四舍五入
    或截去，并计入两笔金额本身的舍入）。读取只收句意明确的句子（见 reading.extract.rates），仍只作警告。
    反例：“应配套 20971.00 万元，实际配套到位 104880.14 万元，超规模配套 83909.14 万元，执行率为 400.12%”
    （104880.14 ÷ 20971.00 = 500.12%）。正例：执行率为 500.12%。"""
    for name, stated, due, actual, evidence in ctx.extraction.rate_statements:
        rate = ratio_pct(actual, due)
        if rate is None or matches_stated_rate(rate, stated, rate_spread(rate, actual, due)):
            continue
        yield Hit(
            f"句中{name} {exact(stated)}%，与同句的实际 {exact(actual)} 万元 ÷ 应有 {exact(due)} 万元 = "
            f"{rate_text(rate, stated)} 不符",
            evidence.place.label(),
        )


@audit_check("A016", "audit.excess_off_counts", Severity.WARNING, "所述超出任务的比例与任务数、完成数不符")
def excess_off_counts(ctx: AuditContext) -> Iterator[Hit]:
    """文中写了超出任务的百分比，又写了任务数和实际完成数（同一计量单位，各只一个数），超出比例应是
    （完成数 − 任务数）÷ 任务数（按所写的小数位四舍五入或截去）。读取只收意思明确的写法（见 reading.extract.rates），
    仍只作警告。反例：任务 115 户，实际完成 264 户，却写“超任务 43%”（应为 129.57%）。正例：写“超任务 129.57%”或“130%”。"""
    for stated, planned, done, unit, evidence, counts in ctx.extraction.excess_statements:
        rate = ratio_pct(done - planned, planned)
        if rate is None or matches_stated_rate(rate, stated):
            continue
        said, task, count = (format(v.normalize(), "f") for v in (stated, planned, done))  # as printed
        yield Hit(
            f"所述超出任务 {said}%，而任务数 {task} {unit}、实际完成 {count} {unit}（{counts.place.label()}），"
            f"（{count} − {task}）÷ {task} = {rate_text(rate, stated)}",
            evidence.place.label(),
        )


@audit_check("A017", "audit.yuan_and_wan_mixed", Severity.WARNING, "同一金额前后分别写作“元”和“万元”")
def yuan_and_wan_mixed(ctx: AuditContext) -> Iterator[Hit]:
    """同一个数字在一处作为预算、到位或支出金额写作“元”，在另一处写作“万元”：两者相差一万倍，必有一处单位写错。
    只比较写明是预算、到位、支出的金额，不比较“每人 1000 元”之类的标准；数字不同的元与万元（表内用元、文中用万元）
    是常见写法，不判断。反例：“预算资金合计 2089 万元”，又写“全年预算数 2089 元”。正例：两处都写“2089 万元”。"""
    for figure, in_yuan, in_wan in ctx.extraction.unit_slips:
        printed = format(figure.normalize(), "f")
        yield Hit(
            f"“{printed} 元”（{in_yuan.place.label()}）与“{printed} 万元”（{in_wan.place.label()}）数字相同而单位不同，"
            "两者相差一万倍，应有一处单位写错",
            in_yuan.place.label(),
        )


@audit_check("A018", "audit.years_disagree", Severity.WARNING, "所写的评价年度前后不一")
def years_disagree(ctx: AuditContext) -> Iterator[Hit]:
    """文件名、标题、表头和“评价年度”栏所写的评价年度应是同一年；写了不同年度的，评价的是哪一年说不清（读取时不取年度）。
    同一页里确有几张不同年度的表时，也请分别核对。反例：文件名为“某局2022年度部门整体绩效自评表”，表头却是
    “某局2023年度部门整体绩效自评表”。正例：两处都写 2023 年度。"""
    conflict = ctx.extraction.year_conflict
    if len(conflict) < 2:
        return
    said = "、".join(f"{year} 年（{evidence.place.label()}）" for year, evidence in conflict)
    yield Hit(f"标题、表头或评价年度栏写了不同的评价年度：{said}，评价的是哪一年请核对", conflict[1][1].place.label())


_QI_ZHONG = re.compile(r"^其中\s*[:：]?\s*")


def _source_name(line: FundLine) -> str:
    return _QI_ZHONG.sub("", line.label).strip()


@audit_check("A019", "audit.sub_blocks_off_total_parts", Severity.WARNING, "各分项资金的同一来源之和与合计栏不符")
def sub_blocks_off_total_parts(ctx: AuditContext) -> Iterator[Hit]:
    """合计栏之后分列各分项资金（每项一个总额及其中央补助、市级资金……）：各分项的总额之和等于合计栏的总额时，
    这些分项就是合计栏的全部组成，于是各分项中同一来源之和也应等于合计栏的该来源。只在两个以上分项、每个分项都
    写了该来源时比较。反例：合计栏 1084.25 = 763.00 + 321.25，其中市级资金 343.00，两个分项的市级资金却是
    208.00 + 136.00 = 344.00。正例：合计栏市级资金 344.00。"""
    first = ctx.extraction.fund_lines
    grand = next((line for line in first if line.is_total), None)
    subs = [(next((line for line in block if line.is_total), None), block) for block in ctx.extraction.more_fund_blocks]
    subs = [(total, block) for total, block in subs if total is not None]
    if grand is None or len(subs) < 2:
        return
    for attr, column in _AMOUNT_COLUMNS:
        stated = getattr(grand, attr)
        totals = [getattr(total, attr) for total, _ in subs]
        if stated is None or any(t is None for t in totals) or sum(totals, Decimal(0)) != stated:
            continue
        for part in first:
            value = getattr(part, attr)
            if part.is_total or value is None:
                continue
            name = _source_name(part)
            found = [
                next((getattr(line, attr) for line in block if not line.is_total and _source_name(line) == name), None)
                for _, block in subs
            ]
            if any(v is None for v in found):
                continue
            summed = sum(found, Decimal(0))
            if abs(summed - value) > _TOLERANCE:
                yield Hit(
                    f"“{name}”{column}：合计栏为 {exact(value)} 万元，各分项的“{name}”合计 "
                    f"{' + '.join(exact(v) for v in found)} = {exact(summed)} 万元（各分项总额 "
                    f"{' + '.join(exact(t) for t in totals)} = {exact(stated)} 万元，与合计栏相符）",
                    part.evidence.place.label(),
                )
