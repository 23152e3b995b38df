"""``jixiao``: evaluate a self-evaluation, write its documents, list rule sets, frameworks and checks."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..core import evaluate as run_engine
from ..core.audit.checks import AUDIT_CATALOGUE
from ..core.checks import CATALOGUE
from ..core.department.checks import DEPARTMENT_CATALOGUE
from ..core.result import EvaluationResult
from ..core.targets.checks import TARGET_CATALOGUE
from ..io.catalogue import load_framework, load_rules, shipped_ids
from ..io.errors import InputError
from ..io.evaluation_file import load_evaluation
from . import render
from .app import OutputFormat, app, err, fail, out


@app.command("evaluate")
def evaluate_command(
    path: Annotated[Path, typer.Argument(help="自评数据：含 evaluation.yaml 的文件夹、YAML 文件或附1 自评表 .xlsx")],
    rules: Annotated[
        str | None, typer.Option("--rules", help="评分规则编号或 YAML 文件；默认取数据中指定的规则")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="输出文件夹")] = Path("out"),
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="屏幕输出格式：text 或 json")
    ] = OutputFormat.TEXT,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="是否用 LibreOffice 生成 PDF 报告")] = True,
    write: Annotated[bool, typer.Option("--write/--no-write", help="是否写出报告和表格")] = True,
) -> None:
    """评分、检查，并写出自评报告（.docx/.pdf）、自评基础数据表、自评指标评分表和附1 自评表。"""
    try:
        evaluation = load_evaluation(path)
        rule_set = load_rules(rules or evaluation.rules)
        framework = load_framework(evaluation.framework)
    except InputError as exc:
        fail(str(exc))
        return
    result = run_engine(evaluation, rule_set, framework)
    alternatives = [
        result if rid == rule_set.id else run_engine(evaluation, load_rules(rid), framework)
        for rid in shipped_ids("rules")
    ]
    written: list[Path] = []
    if write:
        from ..io.outputs import write_outputs
        from ..io.report.pdf import PdfError

        try:
            written = write_outputs(result, out_dir, pdf=pdf, alternatives=alternatives)
        except PdfError as exc:
            fail(f"{exc}（输出文件夹 {out_dir} 未写入任何文件）", 3)
        except OSError as exc:
            fail(f"无法写入输出文件夹 {out_dir}：{exc.strerror or exc}（未写入任何文件）", 3)
    if output_format is OutputFormat.JSON:
        from ..io.json_result import result_to_json

        sys.stdout.write(json.dumps(result_to_json(result, alternatives), ensure_ascii=False, indent=2) + "\n")
    else:
        render.result(out, result, alternatives, written)
    if any(f.severity.value == "error" for f in result.findings) and output_format is OutputFormat.TEXT:
        out.print("[bold red]存在错误级发现，请核实后再提交。[/]")


@app.command("rules")
def rules_command() -> None:
    """列出可用的评分规则。"""
    render.rule_sets(out, [load_rules(rid) for rid in shipped_ids("rules")])


@app.command("frameworks")
def frameworks_command() -> None:
    """列出可用的指标体系。"""
    render.frameworks(out, [load_framework(fid) for fid in shipped_ids("frameworks")])


@app.command("checks")
def checks_command() -> None:
    """列出一致性检查目录（稳定编号）。"""
    render.checks(out, list(CATALOGUE.values()))
    render.checks(out, list(AUDIT_CATALOGUE.values()), "审核已提交材料时另加的检查（jixiao audit）")
    render.checks(out, sorted(TARGET_CATALOGUE.values(), key=lambda c: c.id), "绩效目标申报的目标质量检查")
    render.checks(out, sorted(DEPARTMENT_CATALOGUE.values(), key=lambda c: c.id), "部门整体支出自评的检查")


from . import audit as _audit  # noqa: E402, F401  (registers `jixiao audit` after the commands above)


def main() -> None:  # pragma: no cover - console entry
    app()


__all__ = ["EvaluationResult", "app", "err", "main"]
