"""A rate stated in one sentence with the two amounts it is made of: "地方应配套20971.00万元，实际配套到位
104880.14万元，执行率为400.12%" states 400.12% where the amounts give 500.12%.

Read only where the sentence is unambiguous: exactly one rate (执行率, 到位率 … from ``fund_columns.yaml``), exactly
one amount after a word of what was due (应配套, 计划, 预算 …) and exactly one after a word of what happened (实际,
已到位 …); an amount after a word of an excess or a remainder (超, 结余 …) takes no part. Nothing is computed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...core.audit.document import Evidence
from ..numbers import find_amounts, find_percents
from ..vocabulary import Vocabulary, pattern
from .flat import Flat

_SENTENCE_END = re.compile(r"[。；;!?！？\n]")
_CLAUSE_BREAK = re.compile(r"[,，、:：]")


@dataclass(frozen=True, slots=True)
class RateStatement:
    rate_pct: Decimal  # as printed
    name: str  # 执行率, 到位率 …
    due_wan: Decimal
    actual_wan: Decimal
    evidence: Evidence


@pattern
def _rate_re(v: Vocabulary) -> re.Pattern[str]:
    words = v.alternation("fund_columns", "fragments_rate_words", escape=False)
    return re.compile(rf"(?P<name>{words})(?:为|达到|达|是)?[:：]?\s*(?P<pct>\d{{1,4}}(?:\.\d{{1,4}})?)\s*%")


@pattern
def _roles(v: Vocabulary) -> dict[str, re.Pattern[str]]:
    return {
        role: re.compile(f"(?:{v.alternation('fund_columns', 'fragments_rate_' + role, escape=False)})")
        for role in ("base", "actual", "other")
    }


def find_rate_statements(flat: Flat) -> list[RateStatement]:
    text = flat.joined
    out: list[RateStatement] = []
    start = 0
    for end_m in [*_SENTENCE_END.finditer(text), None]:
        end = end_m.start() if end_m else len(text)
        sentence = text[start:end]
        rates = list(_rate_re().finditer(sentence))
        if len(rates) == 1 and (found := _amounts_by_role(sentence)):
            due, actual = found
            m = rates[0]
            out.append(
                RateStatement(
                    Decimal(m.group("pct")), m.group("name"), due, actual, flat.evidence(start, end, joined=True)
                )
            )
        start = end + 1
    return out


def _amounts_by_role(sentence: str) -> tuple[Decimal, Decimal] | None:
    roles = _roles()
    due: list[Decimal] = []
    actual: list[Decimal] = []
    for amount in find_amounts(sentence):
        clause = sentence[: amount.start]
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(clause)]
        words = clause[breaks[-1] if breaks else 0 :]
        if roles["other"].search(words):
            continue
        is_actual, is_due = bool(roles["actual"].search(words)), bool(roles["base"].search(words))
        if is_actual and not is_due:
            actual.append(amount.wan)
        elif is_due and not is_actual:
            due.append(amount.wan)
    if len(due) == 1 and len(actual) == 1 and due[0] > 0:
        return due[0], actual[0]
    return None


# --- an excess over the task, stated apart from the counts it is made of ----------------------------------------


@dataclass(frozen=True, slots=True)
class ExcessStatement:
    """ "实际改造数超任务43%" with the task and the count done that the document states elsewhere ("任务数为115户",
    "实际完成……264户"): the stated excess should be (done − planned) ÷ planned. Nothing is computed here."""

    excess_pct: Decimal  # as printed
    planned: Decimal
    done: Decimal
    unit: str  # the counting unit both counts are written in (户, 人, 个 …)
    evidence: Evidence  # the sentence stating the excess
    counts: Evidence  # where the task count is stated


@pattern
def _excess_re(v: Vocabulary) -> re.Pattern[str]:
    words = v.alternation("fund_columns", "fragments_excess", escape=False)
    return re.compile(rf"(?:{words})\s*(?=\d)")


@pattern
def _count_re(v: Vocabulary) -> re.Pattern[str]:
    """A count: a number and a counting unit (``indicator_columns.yaml`` ``indicator_units``, less money and rates)."""
    money = set(v.mapping("units", "money_units"))
    units = [u for u in v.words("indicator_columns", "indicator_units") if u not in money and u not in ("%", "‰")]
    alternation = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?<![\d.])(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>{alternation})(?![\u4e00-\u9fff]*[元%])")


@pattern
def _count_roles(v: Vocabulary) -> tuple[re.Pattern[str], re.Pattern[str]]:
    planned = v.alternation("fund_columns", "fragments_count_planned", escape=False)
    done = v.alternation("fund_columns", "fragments_count_done", escape=False)
    return re.compile(f"(?:{planned})"), re.compile(f"(?:{done})")


def find_excess_statements(flat: Flat) -> list[ExcessStatement]:
    """The one stated excess over a task, with the one task count and the one count done the document states in
    one counting unit. Read only where all is unambiguous: one excess percentage (however often repeated); in the
    whole document exactly one counting unit with both a task count and a count done, each written after a word
    of its role in its own clause (任务/计划 …, 实际完成 …) and each one value (however often repeated); and the
    excess's clause naming the same thing as the count done's (a shared run of two Chinese characters other than
    the role words: "实际改造数超任务" and "实际完成农村危房改造"). Otherwise nothing. Clauses end at line ends too
    (a heading's words are not a clause's), so a count wrapped over two lines is not read."""
    text = flat.text
    excess: dict[Decimal, tuple[int, int, str]] = {}
    for m in _excess_re().finditer(text):
        percents = find_percents(text[m.end() : m.end() + 12])
        if percents and percents[0].start == 0:
            words = _clause_before(text, m.start())
            excess.setdefault(percents[0].value, (m.start() - len(words), m.end() + percents[0].end, words))
    if len(excess) != 1:
        return []
    counts: dict[str, dict[str, dict[Decimal, tuple[int, int, str]]]] = {}
    planned_re, done_re = _count_roles()
    for m in _count_re().finditer(text):
        words = _clause_before(text, m.start())
        if _excess_re().search(words) or _roles()["other"].search(words):
            continue
        is_planned, is_done = bool(planned_re.search(words)), bool(done_re.search(words))
        if is_planned == is_done:
            continue
        role = "planned" if is_planned else "done"
        counts.setdefault(m.group("unit"), {}).setdefault(role, {}).setdefault(
            Decimal(m.group("number")), (m.start() - len(words), m.end(), words)
        )
    paired = [(unit, roles) for unit, roles in counts.items() if "planned" in roles and "done" in roles]
    if len(paired) != 1:
        return []
    unit, roles = paired[0]
    if len(roles["planned"]) != 1 or len(roles["done"]) != 1:
        return []
    ((planned, (at, planned_end, _)),) = roles["planned"].items()
    ((done, (_, _, done_words)),) = roles["done"].items()
    ((pct, (start, end, excess_words)),) = excess.items()
    if planned <= 0 or not _same_thing(excess_words, done_words):
        return []
    return [
        ExcessStatement(
            pct,
            planned,
            done,
            unit,
            flat.evidence(start, end),
            flat.evidence(at, planned_end),
        )
    ]


_RUN = 2  # Chinese characters two clauses must share to be about the same thing


def _clause_before(text: str, at: int) -> str:
    """The words of the clause up to ``at`` (from the last comma or sentence end)."""
    lo = max(0, at - 200)
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, lo, at)] + [
        m.end() for m in _SENTENCE_END.finditer(text, lo, at)
    ]
    return text[max(breaks, default=lo) : at]


def _same_thing(first: str, second: str) -> bool:
    """Whether two clauses share a run of Chinese characters that is not a word of a count's role."""
    planned_re, done_re = _count_roles()

    def runs(clause: str) -> list[str]:
        return re.sub(r"[^\u4e00-\u9fff]+", " ", done_re.sub(" ", planned_re.sub(" ", clause))).split()

    others = runs(second)
    return any(
        run[i : i + _RUN] in other for run in runs(first) for other in others for i in range(len(run) - _RUN + 1)
    )
