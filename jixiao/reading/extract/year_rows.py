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
from .flat import Flat

#: column head -> the fact it holds (None: a column we read past, such as a breakdown)
HEADS = {
    "预算计划安排": "budget_wan",
    "实际安排额度": "arrived_wan",
    "实际下达额度": "arrived_wan",
    "实际明细支出": "spent_wan",
    "实际支出金额": "spent_wan",
    "市本级支出": None,
    "转移支付县(区)支出": None,
}
_SUB_HEAD = r"(?:\(其中:[\u4e00-\u9fff]{2,12}\))"  # a sub-column printed under the head before it: no value of its own
_HEAD = "|".join(re.escape(h) for h in HEADS)
# a group heading over the columns ("实际明细支出" over 市本级支出 | 转移支付县(区)支出): its first column is the total
_GROUP = r"实际明细支出|实际支出金额"
_YEAR_ROW = re.compile(rf"(?P<group>{_GROUP})?年度(?P<heads>(?:(?:{_HEAD}){_SUB_HEAD}?)+)(?P<year>(?:19|20)\d{{2}})年")
_PARENTHESIS = re.compile(r"\([^()]*\)")
_VALUES = re.compile(r"[\d.,]+(?:万元|元)?(?:\([^()]*\))?")


def read_year_rows(flat: Flat) -> dict[str, Fact]:
    text = flat.joined
    found: dict[str, Fact] = {}
    for m in _YEAR_ROW.finditer(text):
        heads = [HEADS[h] for h in re.findall(_HEAD, re.sub(_SUB_HEAD, "", m.group("heads")))]
        group = m.group("group")
        if group:  # the row's first figure is the group's total, and the sum of the others says so
            heads[0] = HEADS[group]
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
