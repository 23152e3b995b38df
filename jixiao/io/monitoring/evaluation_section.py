"""What the 自评报告 says of the in-year monitoring (``Evaluation.monitoring``): under 绩效目标完成情况, where the
project stood at the monitoring date, and each indicator that monitoring judged not certain to be completed."""

from __future__ import annotations

from ...core.model import Likelihood, MonitoringSnapshot
from ...core.values import fmt
from ..report.body import _Body, _date

#: the numbers of the items under the 运行监控 paragraph, a level below the report's （1）（2）
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def monitoring_paragraphs(body: _Body, snapshot: MonitoringSnapshot | None) -> None:
    if snapshot is None:
        return
    body.para(
        f"运行监控情况：截至 {_date(snapshot.monitoring_date)}，{snapshot.execution_text}，"
        f"{snapshot.time_progress_text}。"
    )
    items = []
    for item in snapshot.indicators:
        if item.likelihood in (None, Likelihood.CERTAIN):
            continue
        share = f"（{fmt(item.completion_pct)}%）" if item.completion_pct is not None else ""
        causes = "、".join(c.label for c in item.causes) or "未选择"
        if item.cause_note:
            causes += f"，{item.cause_note.strip()}"
        items.append(
            f"{_CIRCLED[len(items)] if len(items) < len(_CIRCLED) else ''}{item.name}：年度指标值 {item.target or '—'}，截至监控时点完成 {item.completed or '—'}{share}，"
            f"全年预计 {item.expected or '—'}，完成目标可能性“{item.likelihood.label}”；偏差原因：{causes}；"
            f"纠偏措施：{(item.measures or '未填写').strip().rstrip('。')}。"
        )
    if items:
        body.items(items)
