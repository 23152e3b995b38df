"""Target-quality checks (G…): what 财预〔2021〕101号 asks of a 绩效目标申报表. Ids are stable, never renumbered.

A check reads a :class:`TargetSubject` (the declaration and the quality data) and yields :class:`Hit`; locations are
``指标:一级／二级／三级`` for a leaf, or the declaration field's name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..checks import Check, Hit, registrar
from ..result import Finding, Severity
from .declaration import Declaration, LeafAt, format_number
from .rules import TargetCategory, TargetRules

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class TargetSubject:
    declaration: Declaration
    rules: TargetRules

    def category(self, first: str) -> TargetCategory | None:
        return self.rules.category_of(first)

    def leaves_of(self, category: TargetCategory) -> list[LeafAt]:
        return [a for a in self.declaration.leaves() if self.category(a.first) is category]

    def points_of(self, category: TargetCategory) -> Decimal:
        return sum((a.leaf.points or Decimal(0) for a in self.leaves_of(category)), Decimal(0))


TARGET_CATALOGUE: dict[str, Check[TargetSubject]] = {}
check = registrar(TARGET_CATALOGUE)


def run_target_checks(declaration: Declaration, rules: TargetRules) -> list[Finding]:
    """Every G check on ``declaration``; findings sorted by severity, then id."""
    subject = TargetSubject(declaration, rules)
    findings = [f for c in TARGET_CATALOGUE.values() for f in c.run(subject)]
    findings.sort(key=lambda f: (f.severity.rank, f.id))
    return findings


def _at(a: LeafAt) -> str:
    return f"指标:{a.path}"


def _n(value: Decimal) -> str:
    return format_number(value)


@check("G001", "targets.weights", WARNING, "一级指标分值与101号权重不符")
def weights(s: TargetSubject) -> Iterator[Hit]:
    """一级指标分值按 101号：有成本指标 20/40/20/10，无成本指标 50/30/10（不设满意度时效益加 10），合计 90 分。

    反例：未设成本指标，产出指标 60 分、效益指标 20 分（应为 50、30）。
    正例：产出指标 50 分、效益指标 30 分、满意度指标 10 分。
    """
    if not any(True for _ in s.declaration.leaves()):
        return
    has_cost = bool(s.leaves_of(TargetCategory.COST))
    has_satisfaction = bool(s.leaves_of(TargetCategory.SATISFACTION))
    profile = s.rules.profile(has_cost, has_satisfaction)
    if profile is None:
        return
    tolerance = s.rules.weight_tolerance
    for category in TargetCategory:
        expected = profile.weights.get(category, Decimal(0))
        actual = s.points_of(category)
        if abs(actual - expected) > tolerance:
            yield Hit(
                f"{category.label}合计 {_n(actual)} 分，按101号“{profile.name}”的权重应为 {_n(expected)} 分"
                f"（一级指标合计应为 {_n(profile.total)} 分，另 10 分为自评时的预算执行率）",
                f"一级指标:{category.label}",
            )
    total = s.declaration.points
    if abs(total - profile.total) > tolerance:
        yield Hit(
            f"全部指标分值合计 {_n(total)} 分，应为 {_n(profile.total)} 分（预算执行率 10 分留待自评）",
            "indicators",
        )


@check("G002", "targets.measurable", ERROR, "指标不可衡量")
def measurable(s: TargetSubject) -> Iterator[Hit]:
    """每个末级指标都要可衡量：定量指标有数值和计量单位；定性指标有评价标准（至少两档）且目标等级在标准之中。

    反例：“科普活动场次 ≥ 120” 没有计量单位；定性指标“社会影响”没有评价标准。
    正例：“科普活动场次 ≥120 场”；定性指标“社会影响”标准“好/较好/一般/差”，目标“好”。
    """
    for a in s.declaration.leaves():
        leaf = a.leaf
        if leaf.is_qualitative:
            levels = leaf.scale_levels()
            if len(levels) < 2:
                yield Hit(f"定性指标“{a.path}”没有评价标准（如“好/较好/一般/差”），无法判断是否达成", _at(a))
            elif leaf.expected and leaf.expected not in levels:
                yield Hit(f"定性指标“{a.path}”的目标等级“{leaf.expected}”不在评价标准“{'/'.join(levels)}”之中", _at(a))
            continue
        if leaf.value is None:
            yield Hit(f"定量指标“{a.path}”（{leaf.comparator.value}）没有填写指标值", _at(a))
        elif not (leaf.unit or "").strip():
            yield Hit(f"定量指标“{a.path}”的指标值 {_n(leaf.value)} 没有计量单位", _at(a))


@check("G003", "targets.cost_required", ERROR, "缺少成本指标")
def cost_required(s: TargetSubject) -> Iterator[Hit]:
    """按 101号，工程基建类、大型修缮及购置项目等应设置成本指标（哪些项目必须设置由数据文件规定）。

    反例：项目类别“工程基建类”，没有成本指标。
    正例：项目类别“工程基建类”，设有“经济成本指标／单位面积造价 ≤3500 元/平方米”。
    """
    kind = s.declaration.project.kind
    if not s.rules.cost_is_required(kind):
        return
    if not s.leaves_of(TargetCategory.COST):
        why = "所有项目都应设置成本指标" if s.rules.cost_required.always else f"项目类别为“{kind}”"
        yield Hit(f"{why}，按101号应设置成本指标，申报表中没有成本指标", "indicators")


@check("G004", "targets.satisfaction", ERROR, "面向公众的项目缺少满意度指标")
def satisfaction(s: TargetSubject) -> Iterator[Hit]:
    """直接面向社会公众提供服务的项目应设置满意度指标（101号 二（四））。

    反例：申报“面向社会公众提供服务”，没有满意度指标。
    正例：设有“满意度指标／服务对象满意度指标／参与群众满意度 ≥90%”。
    """
    if s.declaration.public_facing and not s.leaves_of(TargetCategory.SATISFACTION):
        yield Hit("项目直接面向社会公众提供服务，按101号应设置满意度指标，申报表中没有满意度指标", "public_facing")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@check("G005", "targets.budget_restating", WARNING, "指标只是复述预算")
def budget_restating(s: TargetSubject) -> Iterator[Hit]:
    """指标不应只是复述预算：资金到位率、预算执行率等（预算执行率留待自评），或指标值等于资金总额的“万元”指标。

    反例：产出指标“预算执行率 =100%”；成本指标“项目总成本 ≤153 万元”而资金总额为 153 万元。
    正例：成本指标“每场活动平均成本 ≤1.2 万元”。
    """
    total = s.declaration.total_wan
    for a in s.declaration.leaves():
        name = _squeeze(a.leaf.name)
        word = next((w for w in s.rules.budget_restating_words if w in name), None)
        if word:
            yield Hit(f"指标“{a.path}”是“{word}”，只复述预算（预算执行率 10 分留待自评），不反映产出或效益", _at(a))
            continue
        unit = (a.leaf.unit or "").strip()
        value = a.leaf.value
        if value is None or unit not in s.rules.budget_value_units:
            continue
        in_wan = value / 10000 if unit == "元" else value
        if in_wan == total:
            yield Hit(f"指标“{a.path}”的指标值 {_n(value)} {unit} 等于资金总额 {total:.2f} 万元，只复述预算", _at(a))


@check("G006", "targets.below_last_year", WARNING, "指标值低于上年实际且无理由")
def below_last_year(s: TargetSubject) -> Iterator[Hit]:
    """指标值应从严从高设定（101号 一（一）3）：正向（≥）不低于上年实际、反向（≤）不高于上年实际，否则写明理由。

    反例：“科普活动场次 ≥100 场”，上年实际 120 场，没有理由。
    正例：同样的数，理由写明“今年经费压减三成”；或指标值 ≥130 场。
    """
    for a in s.declaration.leaves():
        leaf = a.leaf
        if leaf.value is None or leaf.last_year is None or (leaf.below_last_year_reason or "").strip():
            continue
        unit = (leaf.unit or "").strip()
        if leaf.comparator.value == "≥" and leaf.value < leaf.last_year:
            yield Hit(
                f"指标“{a.path}”的指标值 ≥{_n(leaf.value)}{unit} 低于上年实际 {_n(leaf.last_year)}{unit}，未说明理由",
                _at(a),
            )
        elif leaf.comparator.value == "≤" and leaf.value > leaf.last_year:
            yield Hit(
                f"指标“{a.path}”的指标值 ≤{_n(leaf.value)}{unit} 比上年实际 {_n(leaf.last_year)}{unit} 宽松，"
                "未说明理由",
                _at(a),
            )


def _normalised(name: str, suffixes: Iterable[str]) -> str:
    text = re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", name)).lower()
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
    return text


@check("G007", "targets.duplicates", WARNING, "重复的指标")
def duplicates(s: TargetSubject) -> Iterator[Hit]:
    """同一指标不应出现两次（名称相同，或去掉空格、标点和“指标”词尾后相同），无论是否在同一个二级指标下。

    反例：“数量指标／科普活动场次”和“质量指标／科普活动 场次”。
    正例：“科普活动场次”和“科普讲座场次”。
    """
    seen: dict[str, LeafAt] = {}
    for a in s.declaration.leaves():
        key = _normalised(a.leaf.name, s.rules.duplicate_ignored_suffixes)
        first = seen.get(key)
        if first is None:
            seen[key] = a
            continue
        same = "同名" if first.leaf.name == a.leaf.name else "名称实质相同"
        yield Hit(f"指标“{a.path}”与“{first.path}”{same}，是重复的指标", _at(a))


@check("G008", "targets.categories", ERROR, "缺少产出或效益指标，或一级指标不明")
def categories(s: TargetSubject) -> Iterator[Hit]:
    """原则上每一项目均应设置产出指标和效益指标（101号 二）；一级指标只能是成本、产出、效益、满意度四类。

    反例：只有产出指标；一级指标写作“管理指标”。
    正例：产出指标和效益指标都有末级指标。
    """
    for first in s.declaration.indicators:
        if s.category(first.name) is None:
            yield Hit(f"一级指标“{first.name}”不是成本、产出、效益、满意度四类之一（101号）", f"一级指标:{first.name}")
    for category in (TargetCategory.OUTPUT, TargetCategory.BENEFIT):
        if not s.leaves_of(category):
            yield Hit(f"缺少{category.label}：按101号，原则上每一项目均应设置产出指标和效益指标", "indicators")


@check("G009", "targets.funds_total", ERROR, "资金来源合计与资金总额不符")
def funds_total(s: TargetSubject) -> Iterator[Hit]:
    """资金来源各项之和应等于资金总额。

    反例：资金总额 153 万元，当年财政拨款 150 万元、其他资金 0 万元。
    正例：资金总额 153 万元，当年财政拨款 153 万元。
    """
    d = s.declaration
    if d.funds and d.funds_total_wan != d.total_wan:
        parts = "＋".join(f"{f.source.label} {f.amount_wan:.2f} 万元" for f in d.funds)
        yield Hit(
            f"资金来源合计 {parts} ＝ {d.funds_total_wan:.2f} 万元，与资金总额 {d.total_wan:.2f} 万元不符", "funds"
        )
