"""D: checks on dates: fund arrivals and outputs within the evaluated year, the self-evaluation's deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model import FundSource
from ..result import EvaluationResult, Severity
from ..values import fmt
from . import Hit, check

_OUTPUT_DATES = (("date", "日期"), ("end_date", "结束日期"))


@check("D001", "dates.outside_year", Severity.WARNING, "资金到位或产出日期不在评价年度内")
def outside_year(r: EvaluationResult) -> Iterator[Hit]:
    """上年结转资金在上一年度到位属正常，不在此列。
    反例：评价 2022 年度，当年财政拨款 2021-12-30 到位；活动记录日期 2023-01-05。正例：日期均在 2022 年内。"""
    e = r.evaluation
    year = e.project.year
    for i, row in enumerate(e.funds):
        for j, arrival in enumerate(row.arrivals):
            d = arrival.date
            if d is None or d.year == year or (row.source is FundSource.CARRYOVER and d.year < year):
                continue
            yield Hit(
                f"{row.source.label}第 {j + 1} 笔到位资金 {fmt(arrival.amount_wan)} 万元的到位日期 {d.isoformat()} "
                f"不在评价年度 {year} 年内",
                f"funds[{i}].arrivals[{j}].date",
            )
    for k, record in enumerate(e.outputs):
        for field, label in _OUTPUT_DATES:
            d = getattr(record, field)
            if d is not None and d.year != year:
                yield Hit(
                    f"产出记录“{record.title}”的{label} {d.isoformat()} 不在评价年度 {year} 年内",
                    f"outputs[{k}].{field}",
                )


@check("D002", "dates.deadline_implausible", Severity.WARNING, "自评完成时限早于年度结束或晚于次年年底")
def deadline_implausible(r: EvaluationResult) -> Iterator[Hit]:
    """自评在年度结束、决算形成后进行，一般在次年完成。
    反例：评价 2022 年度，完成时限 2022-11-30 或 2024-03-01。正例：2023-04-20。"""
    deadline = r.evaluation.organisation.deadline
    year = r.evaluation.project.year
    if deadline is None:
        return
    if deadline.year <= year:
        yield Hit(
            f"自评完成时限 {deadline.isoformat()} 不晚于评价年度 {year} 年年末，年度尚未结束、决算数据尚未形成",
            "organisation.deadline",
        )
    elif deadline > dt.date(year + 1, 12, 31):
        yield Hit(
            f"自评完成时限 {deadline.isoformat()} 距评价年度 {year} 年年末超过 12 个月",
            "organisation.deadline",
        )


@check("D003", "dates.end_before_start", Severity.ERROR, "产出记录结束日期早于开始日期")
def end_before_start(r: EvaluationResult) -> Iterator[Hit]:
    """反例：开始 2022-05-10，结束 2022-05-01。正例：结束 2022-05-12。"""
    for k, record in enumerate(r.evaluation.outputs):
        if record.date is not None and record.end_date is not None and record.end_date < record.date:
            yield Hit(
                f"产出记录“{record.title}”结束日期 {record.end_date.isoformat()} 早于开始日期 {record.date.isoformat()}",
                f"outputs[{k}].end_date",
            )
