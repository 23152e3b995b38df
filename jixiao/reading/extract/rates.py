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
from ..numbers import find_amounts
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
