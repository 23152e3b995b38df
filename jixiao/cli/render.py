"""Rich rendering of results and catalogues for the terminal, all in Chinese."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..core.checks import Check
from ..core.frameworks import Framework
from ..core.locations import location_label
from ..core.result import EvaluationResult, Severity, compare_scores
from ..core.rules import EXECUTION_BASIS_LABELS, RuleSet
from ..core.values import fmt, fmt_pct

#: how a rate or a quantitative indicator is scored, as `jixiao rules` lists it
_METHODS = {
    "ratio": "按比例（实际 ÷ 目标 × 分值）",
    "bands": "分档",
    "threshold_linear": "及格门槛以上线性赋分",
}
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def result(console: Console, r: EvaluationResult, alternatives: list[EvaluationResult], written: list[Path]) -> None:
    e, f = r.evaluation, r.funds
    console.print(
        f"[bold]{e.project.name}[/]（{e.project.year} 年度）  主管部门：{e.project.department or '—'}  "
        f"实施单位：{e.project.unit or '—'}"
    )
    console.print(f"评分规则：{r.rules.name}  指标体系：{r.framework.name}")
    if not r.framework.points_official:
        console.print(f"[yellow]分值说明：{e.framework_note or r.framework.points_note}[/]")

    funds = Table(title="项目资金（万元）", show_lines=False)
    for col in ("全年预算数", "实际到位", "全年执行数", "资金到位率", "支出率（占到位）", "预算执行率"):
        funds.add_column(col, justify="right")
    funds.add_row(
        fmt(f.budget_wan),
        fmt(f.arrived_wan),
        fmt(f.spent_wan),
        fmt_pct(f.arrival_rate.value),
        fmt_pct(f.spend_rate.value),
        fmt_pct(f.execution_rate.value),
    )
    console.print(funds)
    for fig in (f.arrival_rate, f.spend_rate, f.execution_rate):
        console.print(f"  {fig.explanation.text()}")

    sheet = Table(title="指标评分表", show_lines=False)
    sheet.add_column("指标")
    sheet.add_column("分值", justify="right")
    sheet.add_column("自评", justify="right")
    sheet.add_column("计算", justify="right")
    sheet.add_column("计算依据", overflow="fold")
    if r.execution_score is not None:
        sheet.add_row(
            "预算执行率",
            fmt(r.execution_points),
            fmt(e.claims.execution_score),
            fmt(r.execution_score.value),
            r.execution_score.explanation.formula,
        )
    for s in r.indicators:
        claimed = s.claimed
        computed = (
            fmt(s.computed) if s.computed is not None else (f"按自评 {fmt(s.used)}" if s.used is not None else "—")
        )
        mark = (
            "[red]"
            if claimed is not None and s.computed is not None and abs(claimed - s.computed) > r.rules.claim_tolerance
            else ""
        )
        label = " › ".join(s.path) + ("（不适用）" if s.indicator.not_applicable else "")
        sheet.add_row(label, fmt(s.points), fmt(claimed), f"{mark}{computed}", s.explanation.formula)
    console.print(sheet)

    claimed_total = e.claims.total_score
    console.print(
        f"[bold]自评：{fmt(claimed_total)} 分，{e.claims.grade or '—'}    "
        f"计算：{fmt(r.total.value)} 分，{r.grade or '—'}    可得最高分：{fmt(r.max_attainable.value)} 分[/]"
    )
    gap = compare_scores(claimed_total, r.total.value)
    if gap:
        console.print(f"  计算总分{gap}")
    console.print(f"  {r.total.explanation.text()}")
    if r.carried.count:
        console.print(f"  [yellow]{r.carried.text()}[/]")
    if len(alternatives) > 1:
        console.print(
            "各评分规则下："
            + "；".join(f"{alt.rules.name} {fmt(alt.total.value)} 分 {alt.grade or '—'}" for alt in alternatives)
        )

    if r.findings:
        table = Table(title=f"一致性检查发现（{len(r.findings)} 条）")
        table.add_column("编号")
        table.add_column("级别")
        table.add_column("问题", overflow="fold")
        table.add_column("位置", overflow="fold")
        for finding in r.findings:
            style = _STYLE[finding.severity]
            table.add_row(
                finding.id, f"[{style}]{finding.severity.label}[/]", finding.message, location_label(finding.location)
            )
        console.print(table)
    else:
        console.print("一致性检查：未发现问题。")
    if written:
        console.print("已写出：" + "、".join(str(p) for p in written))


def rule_sets(console: Console, items: list[RuleSet]) -> None:
    table = Table(title="评分规则")
    for col in ("编号", "名称", "执行率口径", "定量评分", "来源"):
        table.add_column(col)
    for rs in items:
        execution = EXECUTION_BASIS_LABELS[rs.execution.basis] + "；" + _METHODS[rs.execution.method]
        table.add_row(rs.id, rs.name, execution, _METHODS[rs.quantitative.method], rs.source)
    console.print(table)


def frameworks(console: Console, items: list[Framework]) -> None:
    table = Table(title="指标体系")
    for col in ("编号", "名称", "层级", "单列执行率分值", "分值来源"):
        table.add_column(col)
    for fw in items:
        table.add_row(
            fw.id, fw.name, str(fw.levels), fmt(fw.execution_points), "官方" if fw.points_official else "单位配置"
        )
    console.print(table)


def checks(console: Console, items: list[Check], title: str = "一致性检查目录") -> None:
    table = Table(title=f"{title}（{len(items)} 项）")
    for col in ("编号", "级别", "名称", "说明"):
        table.add_column(col)
    for c in items:
        table.add_row(c.id, c.severity.label, c.name, c.title)
    console.print(table)
