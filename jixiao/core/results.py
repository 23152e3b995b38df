"""结果应用: what a 财政局 does with a project's evaluation grade when it sets next year's budget.

A policy is data (``jixiao/data/results/policy.yaml``, or the text a 财政局 saved): per grade (优/良/中/差, the
rule sets' grade names) an action (优先保障, 压减 10% …) and a budget change in percent of this year's 全年预算数
(+0 维持, −10 压减 10%, −100 取消), optionally split by score bands within a grade, optionally ``cancel``; a note
citing the source of each rule; and rules of a 主管部门 (by name or code) that replace some grades' rules for it.
:func:`suggest` applies the policy to one evaluation and explains the figure with its inputs.

A score band is half open, ``score_from ≤ 得分 < score_to``; a missing end is open (the top band of a grade has no
``score_to``, so a score of 100 falls in it).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from pydantic import Field, field_validator, model_validator

from .model import Model, Num
from .result import Explanation
from .values import HUNDRED, ValueProblem, fmt, quantize

#: the grades of the rule sets, best first
GRADES: tuple[str, ...] = ("优", "良", "中", "差")

#: the suggested amount is kept to the 4 places of the budget columns and shown at 2
AMOUNT_PLACES = Decimal("0.0001")

_INF = Decimal("Infinity")


def _plain(value: Decimal) -> str:
    """``Decimal("-12.50")`` → ``-12.5``; ``10`` stays ``10`` (not ``1E+1``)."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "+0") else text


def change_text(change_pct: Decimal | None, cancel: bool = False) -> str:
    """The budget change in words: 取消 / 不变 / 压减 10% / 增加 5%."""
    if cancel:
        return "取消"
    if change_pct is None:
        return "—"
    if change_pct == 0:
        return "不变"
    return f"{'压减' if change_pct < 0 else '增加'} {_plain(abs(change_pct))}%"


class Rule(Model):
    """One grade's (or one score band's) treatment."""

    grade: str = Field(title="等级")
    action: str = Field(min_length=1, title="处理方式")
    change_pct: Num | None = Field(default=None, title="预算调整比例（%）")
    score_from: Num | None = Field(default=None, title="分数下限（含）")
    score_to: Num | None = Field(default=None, title="分数上限（不含）")
    cancel: bool = Field(default=False, title="取消项目")
    note: str = Field(default="", title="依据")

    @field_validator("grade")
    @classmethod
    def _known_grade(cls, value: str) -> str:
        value = value.strip()
        if value not in GRADES:
            raise ValueProblem(f"未知的等级“{value}”，应为 {'、'.join(GRADES)} 之一")
        return value

    @field_validator("change_pct")
    @classmethod
    def _not_below_all(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value < -HUNDRED:
            raise ValueProblem(f"预算调整比例 {_plain(value)}% 低于 -100%：压减不能超过全部预算")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.cancel:
            if self.change_pct is not None and self.change_pct != -HUNDRED:
                raise ValueProblem(
                    f"“{self.grade}”的规则取消项目（cancel: true），预算调整比例应为 -100% 或不写，"
                    f"现为 {_plain(self.change_pct)}%"
                )
            self.change_pct = -HUNDRED
        elif self.change_pct is None:
            raise ValueProblem(
                f"“{self.grade}”的规则缺少预算调整比例（change_pct）：维持写 0，压减 10% 写 -10，取消写 cancel: true"
            )
        if self.score_from is not None and self.score_to is not None and self.score_from >= self.score_to:
            raise ValueProblem(
                f"“{self.grade}”的规则分数区间 {_plain(self.score_from)}–{_plain(self.score_to)} 无效：下限应小于上限"
            )
        return self

    @property
    def low(self) -> Decimal:
        return -_INF if self.score_from is None else self.score_from

    @property
    def high(self) -> Decimal:
        return _INF if self.score_to is None else self.score_to

    @property
    def banded(self) -> bool:
        return self.score_from is not None or self.score_to is not None

    def covers(self, score: Decimal | None) -> bool:
        """Whether this rule applies to ``score`` (a rule without a band applies to any, even no score)."""
        if not self.banded:
            return True
        return score is not None and self.low <= score < self.high

    @property
    def range_text(self) -> str:
        """``60–70`` (from 60 up to but not including 70) / ``70 分及以上`` / ``低于 60 分`` / ``不限``."""
        if self.score_from is not None and self.score_to is not None:
            return f"{_plain(self.score_from)}–{_plain(self.score_to)}"
        if self.score_from is not None:
            return f"{_plain(self.score_from)} 分及以上"
        if self.score_to is not None:
            return f"低于 {_plain(self.score_to)} 分"
        return "不限"

    @property
    def band_text(self) -> str:
        """The band for a table: ``60–70 分`` / ``70 分及以上`` / ``低于 60 分`` / ``不限``."""
        text = self.range_text
        return f"{text} 分" if self.score_from is not None and self.score_to is not None else text

    @property
    def change(self) -> str:
        return change_text(self.change_pct, self.cancel)


def _overlaps(a: Rule, b: Rule) -> bool:
    return a.low < b.high and b.low < a.high


def _check_rules(rules: list[Rule], where: str) -> None:
    """No two rules of one grade may apply to the same score."""
    for grade in GRADES:
        of_grade = sorted((r for r in rules if r.grade == grade), key=lambda r: (r.low, r.high))
        for a, b in itertools.combinations(of_grade, 2):
            if _overlaps(a, b):
                if not a.banded and not b.banded:
                    raise ValueProblem(
                        f"{where}“{grade}”有两条规则，都未限定分数区间；同一等级分档时每条都要写分数区间"
                    )
                raise ValueProblem(f"{where}“{grade}”的两条规则分数区间 {a.range_text} 与 {b.range_text} 重叠")


class DepartmentRules(Model):
    """A 主管部门's own rules: for the grades they name, they replace the policy's rules."""

    department: str = Field(min_length=1, title="主管部门（名称或编码）")
    note: str = Field(default="", title="依据")
    rules: list[Rule] = Field(min_length=1, title="规则")

    @model_validator(mode="after")
    def _no_overlap(self) -> DepartmentRules:
        _check_rules(self.rules, f"主管部门“{self.department}”的单独规则中，")
        return self

    @property
    def grades(self) -> list[str]:
        return [g for g in GRADES if any(r.grade == g for r in self.rules)]

    def matches(self, names: tuple[str, ...]) -> bool:
        return self.department.strip() in names


class Policy(Model):
    """A 财政局's 结果应用 policy (the shape of ``jixiao/data/results/policy.yaml``)."""

    name: str = Field(min_length=1, title="名称")
    source: str = Field(default="", title="依据")
    rules: list[Rule] = Field(min_length=1, title="规则")
    departments: list[DepartmentRules] = Field(default_factory=list, title="主管部门单独规则")

    @model_validator(mode="after")
    def _every_grade_once(self) -> Policy:
        missing = [g for g in GRADES if not any(r.grade == g for r in self.rules)]
        if missing:
            raise ValueProblem(f"缺少等级“{'”“'.join(missing)}”的规则：{'、'.join(GRADES)} 四个等级都要有规则")
        _check_rules(self.rules, "")
        seen: set[str] = set()
        for override in self.departments:
            key = override.department.strip()
            if key in seen:
                raise ValueProblem(f"主管部门“{key}”的单独规则写了两处，请合并为一处")
            seen.add(key)
        return self

    def rules_of(self, grade: str) -> list[Rule]:
        return sorted((r for r in self.rules if r.grade == grade), key=lambda r: (-r.low, -r.high))

    def override_for(self, grade: str, department: tuple[str, ...]) -> DepartmentRules | None:
        """The 主管部门's own rules when they cover ``grade``."""
        return next((o for o in self.departments if o.matches(department) and grade in o.grades), None)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What the policy suggests for one evaluation. ``suggested_wan`` is kept to 4 places (shown at 2); None when
    there is no budget to apply the change to, or no rule applies (the explanation says which)."""

    grade: str | None
    score: Decimal | None
    rule: Rule | None
    override: str | None  # the 主管部门 whose own rule applied
    budget_wan: Decimal | None
    suggested_wan: Decimal | None
    explanation: Explanation

    @property
    def action(self) -> str:
        return self.rule.action if self.rule else "—"

    @property
    def change_pct(self) -> Decimal | None:
        return self.rule.change_pct if self.rule else None

    @property
    def change(self) -> str:
        return self.rule.change if self.rule else "—"


def suggest(
    policy: Policy,
    *,
    budget_wan: Decimal | None,
    grade: str | None,
    score: Decimal | None,
    department: str | None,
    department_code: str | None = None,
) -> Suggestion:
    """Apply ``policy`` to an evaluation of ``grade`` (None: not scored) and ``score`` whose 主管部门 is named
    ``department`` (or coded ``department_code``), this year's 全年预算数 being ``budget_wan``."""
    budget = ("本年全年预算数", f"{fmt(budget_wan)} 万元" if budget_wan is not None else "未填")
    if grade is None or grade not in GRADES:
        why = "尚未评分，无法按结果应用政策提出建议" if grade is None else f"等级“{grade}”不在政策的等级之列"
        return Suggestion(grade, score, None, None, budget_wan, None, Explanation("无建议", why, (budget,)))
    inputs: list[tuple[str, str]] = [("等级", grade), ("得分", fmt(score) if score is not None else "无")]
    names = tuple(x.strip() for x in (department, department_code) if x and x.strip())
    override = policy.override_for(grade, names)
    rules = [r for r in override.rules if r.grade == grade] if override else policy.rules_of(grade)
    chosen = [r for r in rules if r.covers(score)]
    whose = f"主管部门“{override.department}”的单独规则" if override else "政策"
    if override:
        inputs.append(("适用", whose))
    if not chosen:
        bands = "、".join(r.range_text for r in rules)
        why = (
            f"{whose}中“{grade}”按分数区间（{bands}）区分，但没有得分"
            if score is None
            else f"{whose}中“{grade}”的分数区间（{bands}）不含 {fmt(score)} 分"
        )
        return Suggestion(
            grade, score, None, override.department if override else None, budget_wan, None,
            Explanation("无适用规则", why + "，请补充政策或人工决定", (*inputs, budget)),
        )  # fmt: skip
    rule = chosen[0]
    band = f"（{rule.band_text}）" if rule.banded else ""
    if rule.note:
        inputs.append(("依据", rule.note))
    amount, formula = _amount(rule, budget_wan)
    return Suggestion(
        grade,
        score,
        rule,
        override.department if override else None,
        budget_wan,
        amount,
        Explanation(f"“{grade}”{band}：{rule.action}", formula, tuple(inputs)),
    )


def _amount(rule: Rule, budget_wan: Decimal | None) -> tuple[Decimal | None, str]:
    """The suggested amount and its formula with the inputs written in."""
    if budget_wan is None:
        return None, f"本年全年预算数未填，只建议处理方式（{rule.change}），不计算建议预算金额"
    if rule.cancel:
        return Decimal(0), f"建议预算 = 0.00 万元（取消项目；本年全年预算数 {fmt(budget_wan)} 万元）"
    change = rule.change_pct if rule.change_pct is not None else Decimal(0)
    amount = quantize(budget_wan * (HUNDRED + change) / HUNDRED, AMOUNT_PLACES)
    sign = "−" if change < 0 else "+"
    return amount, (
        f"建议预算 = 本年全年预算数 {fmt(budget_wan)} 万元 × (1 {sign} {_plain(abs(change))}%) = {fmt(amount)} 万元"
    )
