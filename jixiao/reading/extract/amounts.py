"""Amounts a report states in its sentences: 预算, 到位, 执行/支出, and totals with their parts.

An amount is assigned by the words of its own clause: "预算安排153万元" is a budget, "财政资金划拨100万元"
an arrival, "共使用经费100万元" spending. Spending words are tested first ("已完成拨付2113.63万元" is
spent, not arrived). The first amount of each kind wins; an amount whose clause names no kind is left alone.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...core.audit.document import Fact, SumStatement
from ..numbers import find_amounts
from .flat import Flat

_CLAUSE_BREAK = re.compile(r"[,。;:!?，；：\n]")
_BEFORE = {
    "spent_wan": re.compile(
        r"(使用经费|使用资金|实际使用|实际支出|支出金额|安排支出|预算支出|(?<!其他)(?<!基本)(?<!项目)支出|完成拨付|执行数|已使用|使用)[^,。;]{0,8}$"
    ),
    "arrived_wan": re.compile(r"(到位资金|实际到位|资金到位|划拨|拨付|下达|到账)[^,。;]{0,8}$"),
    # 年初 before 全年/调整后: "年初预算1250万元，调整后预算1380.5万元" states two budgets, and the budget is the second
    "initial_budget_wan": re.compile(r"(年初预算)[^,。;]{0,8}$"),
    "budget_wan": re.compile(
        r"(预算安排|预算计划安排|全年预算|调整后预算|预算数|计划投资|预期投入|总投资|预算资金|共计|合计)[^,。;]{0,8}$"
    ),
}
_AFTER = {
    "arrived_wan": re.compile(r"^[^,。;]{0,10}(已全部拨付|全部到位|已到位|已拨付|全部拨付|已下达)"),
}
_PARENTHESIS = re.compile(r"\([^()]*$")


def find_stated_amounts(flat: Flat) -> dict[str, Fact]:
    text = flat.joined
    found: dict[str, Fact] = {}
    for match in find_amounts(text):
        if _PARENTHESIS.search(text[max(match.start - 30, 0) : match.start]):
            continue  # "(含结转339.58万元)" qualifies the amount before it
        clause_start = _clause_start(text, match.start)
        before = text[clause_start : match.start]
        after_end = _clause_end(text, match.end)
        after = text[match.end : after_end]
        kind = _kind(before, after)
        if kind and kind not in found:
            found[kind] = Fact(match.wan, flat.evidence(clause_start, after_end, joined=True), _unit_note(match.text))
    return found


def _clause_start(text: str, at: int) -> int:
    for i in range(at - 1, max(at - 40, 0) - 1, -1):
        if _CLAUSE_BREAK.match(text[i]):
            return i + 1
    return max(at - 40, 0)


def _clause_end(text: str, at: int) -> int:
    m = _CLAUSE_BREAK.search(text, at, min(at + 40, len(text)))
    return m.start() if m else min(at + 40, len(text))


def _kind(before: str, after: str) -> str | None:
    for kind, pattern in _BEFORE.items():
        if pattern.search(before):
            return kind
    for kind, pattern in _AFTER.items():
        if pattern.search(after):
            return kind
    return None


def _unit_note(text: str) -> str | None:
    if re.search(r"[万萬亿億]\s*[元圆圓兀]", text) is None:
        return f"原文“{text}”，已折算为万元"
    return None


_SUM = re.compile(r"(?<!\d)(?P<total>\d[\d,.]*(?:万元|元))[,]?\s*其中[:]?")  # (?<!\d): linear on long digit runs
_LIST_BREAK = re.compile(r"[,、;]")


#: the longest 其中 list read after a total (characters): some forty parts, far beyond any real sentence
LIST_SPAN = 2000


def find_sum_statements(flat: Flat) -> list[SumStatement]:
    """ "共申请预算资金2026400元，其中A 400000元，B 252000元…": a total and the parts the sentence lists.

    The list ends at the sentence's end or where two clauses in a row name no amount."""
    text = flat.joined
    out: list[SumStatement] = []
    for m in _SUM.finditer(text):
        total = find_amounts(m.group("total"))
        if not total:
            continue
        stop = text.find("。", m.end())
        # a list runs to the sentence's end, within LIST_SPAN: a text of one endless "sentence" repeating 共…其中
        # would otherwise have every total read to its end, time growing with the square of its length (fuzz F12)
        stop = min(stop, m.end() + LIST_SPAN) if stop >= 0 else min(len(text), m.end() + 400)
        parts: list[Decimal] = []
        empty = 0
        end = m.end()
        for clause in _LIST_BREAK.split(text[m.end() : stop]):
            found = find_amounts(clause)
            end += len(clause) + 1
            if not found:
                empty += 1
                if empty >= 2:
                    break
                continue
            empty = 0
            parts.extend(a.wan for a in found)
        if len(parts) >= 2:
            out.append(SumStatement(total[0].wan, tuple(parts), flat.evidence(m.start(), min(end, stop), joined=True)))
    return out
