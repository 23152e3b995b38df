"""Amounts a report states in its sentences: 预算, 到位, 执行/支出, and totals with their parts.

An amount is assigned by the words of its own clause: "预算安排153万元" is a budget, "财政资金划拨100万元"
an arrival, "共使用经费100万元" spending. The kind word nearest the amount decides ("批复下达预算资金10万元" is a
budget, not an arrival); at the same distance spending words win ("已完成拨付2113.63万元" is spent, not arrived);
合计/共计 name a budget only where no other word does. The first amount of each kind wins; an amount whose clause
names no kind is left alone, and so is an amount listed after 其中 in its sentence (a part, not the whole). Where
the same words state two different amounts ("实际到位资金104880.14万元 … 实际到位资金120030.14万元"), the kind is
left unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...core.audit.document import Evidence, Fact, SumStatement
from ..numbers import AmountMatch, find_amounts
from ..vocabulary import Vocabulary, pattern
from .flat import Flat

_CLAUSE_BREAK = re.compile(r"[,。;:!?，；：\n]")
#: kind -> the list of fund_columns.yaml naming it before the amount; spending first (at the same distance it wins)
_BEFORE_LISTS = {
    "spent_wan": "fragments_prose_spent",
    "arrived_wan": "fragments_prose_arrived",
    # 年初 before 全年/调整后: "年初预算1250万元，调整后预算1380.5万元" states two budgets, and the budget is the second
    "initial_budget_wan": "fragments_prose_initial",
    "budget_wan": "fragments_prose_budget",
}
_PART = re.compile(r"其中")
#: how far back in its sentence a 其中 makes an amount a part (characters): a list of a few parts
PART_SPAN = 60


@pattern
def _before(v: Vocabulary) -> dict[str, re.Pattern[str]]:
    return {kind: _near_end(v.words("fund_columns", name)) for kind, name in _BEFORE_LISTS.items()}


@pattern
def _weak_budget(v: Vocabulary) -> re.Pattern[str]:
    """Words that name a budget only where no other kind word stands in the clause (合计, 共计)."""
    return _near_end(v.words("fund_columns", "fragments_prose_budget_weak"))


@pattern
def _arrived_after(v: Vocabulary) -> re.Pattern[str]:
    words = "|".join(v.words("fund_columns", "fragments_prose_arrived_after"))
    return re.compile(rf"^[^,。;]{{0,10}}({words})")


def _near_end(fragments: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"({'|'.join(fragments)})[^,。;]{{0,8}}$")


_PARENTHESIS = re.compile(r"\([^()]*$")


#: the amounts of the last text read: stated amounts and unit slips read the same text's amounts (a tuple is swapped
#: whole, and the text is matched by identity, so a text read at the same time in another thread is never confused)
_last_amounts: tuple[str, list[AmountMatch]] = ("", [])


def _amounts_in(text: str) -> list[AmountMatch]:
    global _last_amounts
    last = _last_amounts
    if last[0] is text:
        return last[1]
    found = find_amounts(text)
    _last_amounts = (text, found)
    return found


def find_stated_amounts(flat: Flat) -> dict[str, Fact]:
    text = flat.joined
    found: dict[str, Fact] = {}
    said: dict[str, tuple[str, Decimal]] = {}  # kind -> the words and amount of its first statement
    conflicting: set[str] = set()
    for match in _amounts_in(text):
        if _PARENTHESIS.search(text[max(match.start - 30, 0) : match.start]):
            continue  # "(含结转339.58万元)" qualifies the amount before it
        window = max(match.start - PART_SPAN, 0)
        sentence = text.rfind("。", window, match.start) + 1 or window
        if _PART.search(text, sentence, match.start):
            continue
        clause_start = _clause_start(text, match.start)
        before = text[clause_start : match.start]
        after_end = _clause_end(text, match.end)
        after = text[match.end : after_end]
        kind, words = _kind_and_words(before, after)
        if not kind:
            continue
        if kind in said and said[kind][0] == words and said[kind][1] != match.wan:
            conflicting.add(kind)
        said.setdefault(kind, (words, match.wan))
        if kind not in found:
            found[kind] = Fact(match.wan, flat.evidence(clause_start, after_end, joined=True), _unit_note(match.text))
    for kind in conflicting:
        del found[kind]
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
    return _kind_and_words(before, after)[0]


def _kind_and_words(before: str, after: str) -> tuple[str | None, str]:
    """The kind the clause names, and the words that name it: the nearest kind word before the amount (spending
    first at the same distance), else a word after it, else 合计/共计 for a budget."""
    nearest: tuple[int, str, str] | None = None
    for kind, pattern_ in _before().items():
        m = pattern_.search(before)
        if m and (nearest is None or len(before) - m.end(1) < nearest[0]):
            nearest = (len(before) - m.end(1), kind, m.group(1))
    if nearest is not None:
        return nearest[1], nearest[2]
    m = _arrived_after().search(after)
    if m:
        return "arrived_wan", m.group(1)
    m = _weak_budget().search(before)
    if m:
        return "budget_wan", m.group(1)
    return None, ""


def _unit_note(text: str) -> str | None:
    if re.search(r"[万萬亿億]\s*[元圆圓兀]", text) is None:
        return f"原文“{text}”，已折算为万元"
    return None


#: a figure in digits with 元 alone, and with 万元: "2089元", "2,089.00 万元"
_IN_YUAN = re.compile(r"\d[\d,]*(?:\.\d+)?\s*[元圆圓]")
_IN_WAN = re.compile(r"\d[\d,]*(?:\.\d+)?\s*[万萬]\s*[元圆圓]")
#: what makes an amount in 元 a rate per head or per item, not a fund's amount: "每人1000元", "1000元/人"
_PER_ITEM_BEFORE = re.compile(r"(?:每|标准|人均|户均|生均)[^,。;]{0,6}$")
_PER_ITEM_AFTER = re.compile(r"^\s*(?:/|每|一)")


@dataclass(frozen=True, slots=True)
class UnitSlip:
    """The same figure stated as a fund's amount in 元 in one place and in 万元 in another: "全年预算数2089元" beside
    "预算资金合计2089万元". One of them has the wrong unit (they differ ten-thousandfold)."""

    figure: Decimal  # the number as printed, without its unit
    in_yuan: Evidence
    in_wan: Evidence


def find_unit_slips(flat: Flat) -> list[UnitSlip]:
    """Each figure stated as a budget, arrival or spending in 元 (not a rate per head or item) that the document
    also states, in a clause of any of those kinds, in 万元. A figure in 元 and a different figure in 万元 are
    the normal case (a table in 元, a report in 万元) and are not read here."""
    text = flat.joined
    in_wan: dict[Decimal, Evidence] = {}
    in_yuan: list[tuple[Decimal, Evidence]] = []
    for match in _amounts_in(text):
        clause_start = _clause_start(text, match.start)
        before = text[clause_start : match.start]
        after = text[match.end : _clause_end(text, match.end)]
        if _kind(before, after) is None:
            continue
        evidence = flat.evidence(match.start, match.end, joined=True)  # the figure's own line, not its clause's
        if _IN_WAN.fullmatch(match.text.strip()):
            in_wan.setdefault(match.wan, evidence)
        elif _IN_YUAN.fullmatch(match.text.strip()):
            if _PER_ITEM_BEFORE.search(before) or _PER_ITEM_AFTER.match(after):
                continue
            in_yuan.append((match.wan * 10000, evidence))
    slips: list[UnitSlip] = []
    for figure, evidence in in_yuan:
        if figure in in_wan and figure not in {slip.figure for slip in slips}:
            slips.append(UnitSlip(figure, evidence, in_wan[figure]))
    return slips


_SUM = re.compile(
    r"(?<![\d.,])(?<![\d.] )(?P<total>\d[\d,.]*(?:万元|元))[,]?\s*其中[:]?"
)  # (?<![\d.,]): linear on long digit runs; (?<![\d.] ): not the tail of a figure a line break split
_LIST_BREAK = re.compile(r"[,、;]")
_BARE_WAN = re.compile(r"(?<![\d.])(\d{1,9}(?:\.\d{1,6})?)万\s*$")


#: the longest 其中 list read after a total (characters): some forty parts, far beyond any real sentence
LIST_SPAN = 2000


def find_sum_statements(flat: Flat) -> list[SumStatement]:
    """ "共申请预算资金2026400元，其中A 400000元，B 252000元…": a total and the parts the sentence lists.

    The list ends at the sentence's end, where the next total with its 其中 begins, or where two clauses in a row
    name no amount."""
    text = flat.joined
    out: list[SumStatement] = []
    statements = list(_SUM.finditer(text))
    for i, m in enumerate(statements):
        total = find_amounts(m.group("total"))
        if not total:
            continue
        stop = text.find("。", m.end())
        # a list runs to the sentence's end, within LIST_SPAN: a text of one endless "sentence" repeating 共…其中
        # would otherwise have every total read to its end, time growing with the square of its length (fuzz F12)
        stop = min(stop, m.end() + LIST_SPAN) if stop >= 0 else min(len(text), m.end() + 400)
        if i + 1 < len(statements):
            stop = min(stop, statements[i + 1].start())
        parts: list[Decimal] = []
        empty = 0
        end = m.end()
        in_wan = m.group("total").endswith("万元")
        for clause in _LIST_BREAK.split(text[m.end() : stop]):
            found = find_amounts(clause)
            end += len(clause) + 1
            if not found and in_wan and (bare := _BARE_WAN.search(clause)):
                # a part of a total in 万元 may drop the 元 ("其中…资金60万"); at a clause's end 万 is no other unit
                parts.append(Decimal(bare.group(1)))
                empty = 0
                continue
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


#: a label cell naming its unit, then a cell holding nothing but a number: "全年执行数(万元) | 456"
_LABELLED = re.compile(
    r"(?:^|\|)[ \t]*(?P<label>[^|\n]+?)[ \t]*\|[ \t]*(?P<number>-?\d[\d,]*(?:\.\d+)?)[ \t]*(?=\||$)", re.M
)
_WAN_NOTE = re.compile(r"[(（]万元[)）]")
_NOTE = re.compile(r"[(（][^()（）]*[)）]")
_FACT_OF_MEANING = {
    "initial": "initial_budget_wan",
    "budget": "budget_wan",
    "spent": "spent_wan",
    "arrived": "arrived_wan",
}


@pattern
def _header_meanings(v: Vocabulary) -> dict[str, str]:
    return dict(v.mapping("fund_columns", "headers"))


def find_labelled_amounts(flat: Flat) -> dict[str, Fact]:
    """Amounts a table states beside their labels, one label and one figure to a pair of cells, as a department's
    accounts are often laid out ("年初预算数(万元) | 450 | 全年预算数(调整后)(万元) | 480"). Read only where the label
    says 万元 (a figure without its unit could be 元) and is, once its notes in brackets are set aside, a fund
    column's name (``fund_columns.yaml`` headers) — so "三公经费预算数" or "其中:基本支出" are not the budget or the
    spending. A kind stated twice with different figures is left unread."""
    meanings = _header_meanings()
    found: dict[str, Fact] = {}
    conflicting: set[str] = set()
    for m in _LABELLED.finditer(flat.text):
        label = m.group("label").strip()
        if not _WAN_NOTE.search(label):
            continue
        name = _NOTE.sub("", label).strip()
        kind = _FACT_OF_MEANING.get(meanings.get(name, ""))
        if kind is None:
            continue
        amount = Decimal(m.group("number").replace(",", ""))
        if kind in found and found[kind].value != amount:
            conflicting.add(kind)
        found.setdefault(kind, Fact(amount, flat.evidence(m.start("label"), m.end("number"))))
    for kind in conflicting:
        del found[kind]
    return found
