"""The 项目支出绩效目标执行监控表 (财预〔2019〕136号 附件) as a printable workbook, in the house style
(``io.xlsx.cells``).

The annex itself was not retrieved (see ``docs/monitoring.md``); the columns follow the brief's description of
it, which the JSP and Oracle implementations and the 黄石市 form in the policy fragment bear out: the 项目资金 block
(年度预算申请, 全年预算数, 1-7月执行数, 执行率, 全年预计执行数, with 序时进度 beside it), then per indicator 一级/二级/
三级指标, 年度指标值, 1-7月执行情况, 全年预计完成情况, 偏差原因分析 (经费保障, 制度保障, 人员保障, 硬件条件保障, 其他:
√ under each cause), 完成目标可能性 (确定能, 有可能, 完全不可能: √), 纠偏措施 and 备注. 「1-7月」 follows the
monitoring date's month. The warnings close the sheet.
"""

from __future__ import annotations

from pathlib import Path

from ...core.model import DEVIATION_CAUSE_LABELS, LIKELIHOOD_LABELS, DeviationCause, Likelihood
from ...core.monitoring import Assessment
from ...core.values import fmt, fmt_pct
from ..xlsx.cells import AMOUNT, NUMBER, exact, merge, new_workbook, number, page_setup, put, set_widths, title_row

SHEET = "监控表"
CAUSES = list(DeviationCause)
LIKELIHOODS = list(Likelihood)
#: 一级, 二级, 三级, 年度指标值, 执行情况, 全年预计, 5 causes, 3 likelihoods, 纠偏措施, 备注
WIDTHS = [9, 10, 16, 12, 12, 12, *[6] * len(CAUSES), *[6] * len(LIKELIHOODS), 22, 16]
NCOLS = len(WIDTHS)
TICK = "√"


def write_monitoring_table(assessment: Assessment, path: Path) -> Path:
    record = assessment.record
    months = assessment.months_label
    wb = new_workbook()
    ws = wb.active
    ws.title = SHEET
    title_row(ws, 1, "项目支出绩效目标执行监控表", NCOLS)
    put(
        ws,
        2,
        1,
        f"（{record.year}年度）    监控时点：{record.monitoring_date:%Y年%m月%d日}",
        align="center",
        border=False,
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=NCOLS)

    row = 3
    for label, value in (
        ("项目名称", record.project),
        ("主管部门", record.department or ""),
        ("实施单位", record.unit or ""),
    ):
        put(ws, row, 1, label, bold=True, align="center")
        merge(ws, row, 1, row, 2)
        put(ws, row, 3, value)
        merge(ws, row, 3, row, NCOLS)
        row += 1

    # 项目资金（万元）
    headers = [
        "年度预算申请（万元）", "全年预算数（万元）", f"{months}执行数（万元）", f"{months}执行率",
        "全年预计执行数（万元）", "序时进度", "执行率与序时进度之差（个百分点）",
    ]  # fmt: skip
    put(ws, row, 1, "项目资金（万元）", bold=True, align="center")
    merge(ws, row, 1, row + 1, 2)
    spans = _spans(len(headers), NCOLS - 2)
    col = 3
    execution = assessment.execution
    gap = assessment.gap_points
    values = [
        (exact(record.requested_wan), AMOUNT),
        (exact(record.annual_budget_wan), AMOUNT),
        (exact(record.executed_wan), AMOUNT),
        (fmt_pct(execution.value_pct) if execution else "—", None),
        (exact(record.expected_executed_wan), AMOUNT),
        (fmt_pct(assessment.time.value_pct), None),
        (number(-gap) if gap is not None else None, NUMBER),
    ]
    for header, span, (value, fmt_code) in zip(headers, spans, values, strict=True):
        put(ws, row, col, header, bold=True, align="center")
        merge(ws, row, col, row, col + span - 1)
        put(ws, row + 1, col, value, number_format=fmt_code, align="right")
        merge(ws, row + 1, col, row + 1, col + span - 1)
        col += span
    row += 2
    formulas = [assessment.time.text] + ([execution.text] if execution else [])
    put(ws, row, 1, "计算公式", bold=True, align="center")
    merge(ws, row, 1, row, 2)
    put(ws, row, 3, "；".join(formulas) + f"（序时进度{assessment.mode.label}计算）")
    merge(ws, row, 3, row, NCOLS)
    row += 1

    # 绩效指标
    head = row
    fixed = ["一级指标", "二级指标", "三级指标", "年度指标值", f"{months}执行情况", "全年预计完成情况"]
    for i, text in enumerate(fixed, 1):
        put(ws, head, i, text, bold=True, align="center")
        merge(ws, head, i, head + 1, i)
    first_cause = len(fixed) + 1
    put(ws, head, first_cause, "偏差原因分析", bold=True, align="center")
    merge(ws, head, first_cause, head, first_cause + len(CAUSES) - 1)
    for offset, cause in enumerate(CAUSES):
        put(ws, head + 1, first_cause + offset, DEVIATION_CAUSE_LABELS[cause], bold=True, align="center")
    first_likely = first_cause + len(CAUSES)
    put(ws, head, first_likely, "完成目标可能性", bold=True, align="center")
    merge(ws, head, first_likely, head, first_likely + len(LIKELIHOODS) - 1)
    for offset, likelihood in enumerate(LIKELIHOODS):
        put(ws, head + 1, first_likely + offset, LIKELIHOOD_LABELS[likelihood], bold=True, align="center")
    measures_col = first_likely + len(LIKELIHOODS)
    for col, text in ((measures_col, "纠偏措施"), (measures_col + 1, "备注")):
        put(ws, head, col, text, bold=True, align="center")
        merge(ws, head, col, head + 1, col)
    row = head + 2
    for item in record.indicators:
        levels = [*item.path[:2], "/".join(item.path[2:])] if len(item.path) > 3 else list(item.path)
        levels = [""] * (3 - len(levels)) + levels if len(levels) < 3 else levels
        completion = assessment.completion(item)
        done = item.completed or ""
        if completion is not None:
            done += f"（完成 {fmt(completion.value_pct)}%）"
        for i, text in enumerate([*levels, item.target or "", done, item.expected or ""], 1):
            put(ws, row, i, text, align="left" if i > 3 else "center")
        for offset, cause in enumerate(CAUSES):
            put(ws, row, first_cause + offset, TICK if cause in item.causes else "", align="center")
        for offset, likelihood in enumerate(LIKELIHOODS):
            put(ws, row, first_likely + offset, TICK if item.likelihood is likelihood else "", align="center")
        put(ws, row, measures_col, item.measures or "")
        remarks = [text for text in (item.cause_note, item.note) if text and text.strip()]
        remarks += [f"【{w.level.label}】{_rule_title(assessment, w.rule_id)}" for w in assessment.warnings_of(item)]
        put(ws, row, measures_col + 1, "；".join(remarks))
        row += 1

    put(ws, row, 1, "预警情况", bold=True, align="center")
    merge(ws, row, 1, row, 2)
    lines = [f"{i}. 【{w.level.label}】{w.message}" for i, w in enumerate(assessment.warnings, 1)]
    put(ws, row, 3, "\n".join(lines) if lines else f"未触发预警（预警规则：{assessment.preset.name}）")
    merge(ws, row, 3, row, NCOLS)
    row += 1
    put(ws, row, 1, f"预警规则：{assessment.preset.name}（{assessment.preset.source}）", border=False, size=9)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=NCOLS)

    set_widths(ws, WIDTHS)
    page_setup(ws, title_rows=f"{head}:{head + 1}", freeze=None)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _spans(parts: int, width: int) -> list[int]:
    """``width`` columns shared among ``parts`` blocks as evenly as possible, the wider ones first."""
    base, extra = divmod(width, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _rule_title(assessment: Assessment, rule_id: str) -> str:
    return next((rule.title for rule in assessment.preset.rules if rule.id == rule_id), rule_id)
