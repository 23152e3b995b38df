"""M: checks against the in-year monitoring (运行监控, 财预〔2019〕136号) the evaluation carries."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Likelihood
from ..result import EvaluationResult, Severity
from ..values import fmt
from . import Hit, check
from ._util import where


# A warning, not an error: the project may really have recovered after the monitoring (an error would block the
# submission until explained through the findings' own explanations); the unit is asked to say how in the
# indicator's 偏差原因分析, which is where the 自评表 prints it.
@check("M001", "monitoring.full_score_judged_impossible", Severity.WARNING, "监控判断完全不可能的指标自评满分且未说明")
def full_score_judged_impossible(r: EvaluationResult) -> Iterator[Hit]:
    """反例：7 月监控时“科普活动场次”完成目标可能性为“完全不可能”，年终自评该指标满分，偏差原因分析为空。
    正例：同样满分，但偏差原因分析写明了下半年如何补足。"""
    snapshot = r.evaluation.monitoring
    if snapshot is None:
        return
    for s in r.indicators:
        indicator = s.indicator
        if indicator.claimed_score is None or s.points is None or indicator.claimed_score != s.points:
            continue
        if (indicator.deviation_reason or "").strip():
            continue
        monitored = snapshot.indicator(s.path[-1])
        if monitored is None or monitored.likelihood is not Likelihood.IMPOSSIBLE:
            continue
        yield Hit(
            f"“{s.path[-1]}”自评满分 {fmt(s.points)} 分，但 {snapshot.monitoring_date:%Y-%m-%d} 运行监控判断其"
            f"完成目标可能性为“完全不可能”，偏差原因分析未说明此后如何完成",
            where(s),
        )
