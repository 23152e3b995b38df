"""Fund tables laid out by year (广东 "项目绩效自评信息指标评分表"): a row of column heads, then one row per year.

    分年度明细 | 年度 | 预算计划安排 | 实际安排额度
               | 2020年 | 3339.58万元(含上年度结转339.58万元) | 3311.031861万元

PDF text runs the cells together; the heads give the order, amounts with a unit are read as they stand,
and a bare run of digits is split only when one reading fits (the first column being the sum of the
others, where the heads say it is a total and its parts).
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...core.audit.document import Fact
from ..numbers import find_amounts
from ..runs import Col, split_run
from ..vocabulary import Vocabulary, mapping, pattern
from .flat import Flat

_SUB_HEAD = r"(?:\(其中:[\u4e00-\u9fff]{2,12}\))"  # a sub-column printed under the head before it: no value of its own


def _heads() -> dict[str, str | None]:
    """Column head -> the fact it holds (None: a column read past, such as a breakdown); ``fund_columns.yaml``."""
    return {h: (None if fact == "-" else fact) for h, fact in mapping("fund_columns", "year_row_heads").items()}


@pattern
def _head_re(v: Vocabulary) -> str:
    heads = sorted(v.mapping("fund_columns", "year_row_heads"), key=len, reverse=True)
    return "|".join(re.escape(h) for h in heads)


@pattern
def _year_row(v: Vocabulary) -> re.Pattern[str]:
    # a group heading over the columns ("实际明细支出" over 市本级支出 | 转移支付县(区)支出): its first column is the total
    group = v.alternation("fund_columns", "year_row_groups")
    head = _head_re()
    return re.compile(rf"(?P<group>{group})?年度(?P<heads>(?:(?:{head}){_SUB_HEAD}?)+)(?P<year>(?:19|20)\d{{2}})年")


_PARENTHESIS = re.compile(r"\([^()]*\)")
_VALUES = re.compile(r"[\d.,]+(?:万元|元)?(?:\([^()]*\))?")


def read_year_rows(flat: Flat) -> dict[str, Fact]:
    text = flat.joined
    found: dict[str, Fact] = {}
    heads_of = _heads()
    for m in _year_row().finditer(text):
        heads = [heads_of[h] for h in re.findall(_head_re(), re.sub(_SUB_HEAD, "", m.group("heads")))]
        group = m.group("group")
        if group:  # the row's first figure is the group's total, and the sum of the others says so
            heads[0] = heads_of[group]
        values_m = re.match(rf"(?:{_VALUES.pattern})+", text[m.end() :])
        if not values_m:
            continue
        span = (m.start(), m.end() + values_m.end())
        values = _values(values_m.group(0), len(heads), total_first=bool(group))
        if values is None:
            continue
        for kind, value in zip(heads, values, strict=True):
            if kind and kind not in found:
                found[kind] = Fact(value, flat.evidence(*span, joined=True), "按“年度”行的列序读取")
    return found


def _values(raw: str, count: int, *, total_first: bool) -> list[Decimal] | None:
    bare = _PARENTHESIS.sub("", raw)
    with_unit = find_amounts(bare)
    if len(with_unit) == count:
        return [a.wan for a in with_unit]
    if with_unit or count < 2:
        return None
    constraints = [lambda v: v[0] == sum(v[1:], Decimal(0))] if total_first else []
    split = split_run(bare, [Col.AMOUNT] * count, constraints=constraints)
    if split is None or (total_first and split[0] != sum(split[1:], Decimal(0))):
        return None
    return list(split)
