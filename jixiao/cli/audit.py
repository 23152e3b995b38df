"""``jixiao audit``: read submitted self-evaluations, say what they state and what does not hold."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..core.audit.document import FACT_FIELDS, AuditedDocument, Fact
from ..core.result import Severity
from ..core.values import fmt_count
from ..io.errors import InputError

if TYPE_CHECKING:
    from ..io.audit.audit_file import AuditSettings
from .app import OutputFormat, app, err, fail, out

JSON_NAME = "audit.json"
SUMMARY_NAME = "audit-summary.xlsx"

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_UNITS = {
    "budget_wan": " 万元",
    "initial_budget_wan": " 万元",
    "arrived_wan": " 万元",
    "spent_wan": " 万元",
    "self_score": " 分",
}
_PERCENT = {"arrival_rate_pct", "spend_rate_pct", "execution_rate_pct"}
_EVIDENCE_CHARS = 40
#: files audited at once by default: one per core (each read in its own bounded worker process)
DEFAULT_JOBS = os.cpu_count() or 1


@app.command("audit")
def audit_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="要审核的自评报告或自评表（.txt .docx .xlsx .xls .pdf），或含这些文件的文件夹（递归查找）"),
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="屏幕输出格式：text 或 json")
    ] = OutputFormat.TEXT,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help=f"把 {JSON_NAME} 和 {SUMMARY_NAME} 写入此文件夹")
    ] = None,
    rules: Annotated[str, typer.Option("--rules", help="评分规则编号或 YAML 文件")] = "mof-2020",
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="同时审核的文件数（默认为本机的 CPU 核数）；文件不少于 16 个时启动这么多个读取进程并行审核",
        ),
    ] = DEFAULT_JOBS,
) -> None:
    """审核已提交的绩效自评报告 / 自评表：读出所述数字，找出不成立之处，按风险排序。"""
    # The readers (pdfplumber, calamine, openpyxl, zhconv) load here, not at every `jixiao` start.
    from ..io.audit.audit_file import AuditSettings
    from ..io.audit.batch import iter_files
    from ..io.audit.read import SUPPORTED_SUFFIXES

    try:
        settings = AuditSettings.load(rules=rules)
        files = iter_files(paths)
    except InputError as exc:
        fail(str(exc))
        return
    if not files:
        fail(f"在 {'、'.join(map(str, paths))} 中没有找到可审核的文件（支持 {'、'.join(SUPPORTED_SUFFIXES)}）")
    if out_dir is not None:
        # Fail before hours of reading, not after.
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            fail(f"无法创建输出文件夹 {out_dir}：{exc.strerror or exc}", 3)

    docs = _audit_with_progress(files, settings, jobs)
    summary = _summary(docs)
    payload = {"documents": [d.to_dict() for d in docs], "summary": summary}

    written: list[Path] = []
    write_problem: str | None = None
    if out_dir is not None:
        try:
            written = _write_outputs(payload, docs, out_dir)
        except OSError as exc:
            write_problem = f"无法写入输出文件夹 {out_dir}：{exc.strerror or exc}"

    if output_format is OutputFormat.JSON:
        _write_stdout(_json_text(payload))
    elif len(docs) == 1:
        _document(out, docs[0])
    else:
        _overview(out, docs, summary)
    if written and output_format is OutputFormat.TEXT:
        out.print("已写出：" + "、".join(escape(str(p)) for p in written), soft_wrap=True)
    if write_problem is not None:
        fail(write_problem, 3)
    if summary["unreadable"]:
        raise typer.Exit(1)


def _audit_with_progress(files: list[Path], settings: AuditSettings, jobs: int) -> list[AuditedDocument]:
    from ..io.audit.batch import audit_paths

    if len(files) < 2 or not err.is_terminal:
        return audit_paths(files, settings, jobs=jobs)
    columns = (
        TextColumn("审核"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("", total=len(files))

        def advance(done: int, total: int, path: Path) -> None:
            bar.update(task, completed=done, description=escape(path.name))

        return audit_paths(files, settings, advance, jobs=jobs)


def _summary(docs: Sequence[AuditedDocument]) -> dict[str, int]:
    findings = [f for d in docs for f in d.findings]
    return {
        "files": len(docs),
        "unreadable": sum(d.error is not None for d in docs),
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": sum(f.severity is Severity.WARNING for f in findings),
        "infos": sum(f.severity is Severity.INFO for f in findings),
    }


def _json_text(payload: dict[str, object]) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _write_outputs(payload: dict[str, object], docs: Sequence[AuditedDocument], out_dir: Path) -> list[Path]:
    json_path = out_dir / JSON_NAME
    data = _json_text(payload).encode("utf-8")
    from ..io.audit.summary import write_atomically, write_summary_xlsx

    write_atomically(json_path, lambda tmp: tmp.write_bytes(data))
    return [json_path, write_summary_xlsx(docs, out_dir / SUMMARY_NAME)]


def _write_stdout(text: str) -> None:
    """UTF-8 whatever the locale says, so the JSON can be piped into other tools."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _document(console: Console, doc: AuditedDocument) -> None:
    """Everything about one document: what was read and where, what does not hold, its risk and notes."""
    console.print(f"[bold]文件：{escape(doc.file)}[/]", soft_wrap=True)
    if doc.error is not None:
        console.print(f"[bold red]无法读取：[/]{escape(doc.error)}", soft_wrap=True)
    else:
        console.print(f"类型：{doc.kind.label}")
        console.print("读出的内容：")
        facts = doc.extraction.facts if doc.extraction else {}
        for name, label in FACT_FIELDS.items():
            fact = facts.get(name)
            shown = _fact_line(name, fact) if fact else "[dim]未读出[/]"
            label = label.split("（")[0]  # the value carries its unit
            console.print(f"  {label}：{shown}", soft_wrap=True)
        if doc.findings:
            console.print(f"发现问题 {len(doc.findings)} 条：")
            for f in doc.findings:
                where = f"  {escape(f.location)}" if f.location else ""
                console.print(
                    f"  [{_STYLE[f.severity]}]{f.severity.label}[/] {f.id}{where}  {escape(f.message)}", soft_wrap=True
                )
        else:
            console.print("未发现问题。")
        console.print(f"[bold]风险分：{_risk(doc.risk)}[/]")
    notes = [*doc.notes, *(doc.extraction.notes if doc.extraction else [])]
    if notes:
        console.print("说明：")
        for note in notes:
            console.print(f"  {escape(note)}", soft_wrap=True)


def _fact_line(name: str, fact: Fact) -> str:
    value = fact.value
    if isinstance(value, Decimal):
        shown = fmt_count(value) + ("%" if name in _PERCENT else _UNITS.get(name, ""))
    elif isinstance(value, bool):
        shown = "是" if value else "否"
    else:
        shown = str(value)
    text = fact.evidence.text.strip()
    if len(text) > _EVIDENCE_CHARS:
        text = text[:_EVIDENCE_CHARS] + "…"
    where = f"{fact.evidence.place.label()}：“{text}”"
    note = f"；{fact.note}" if fact.note else ""
    return f"[bold]{escape(shown)}[/]  （{escape(where)}{escape(note)}）"


def _overview(console: Console, docs: Sequence[AuditedDocument], summary: dict[str, int]) -> None:
    """One line per document, riskiest first, then the counts."""
    from ..io.audit.readers.pdf import NEEDS_OCR
    from ..io.audit.summary import rank

    console.print("风险分  文件  主要问题")
    for doc in rank(docs):
        if doc.error is not None:
            top = f"[bold red]无法读取：[/]{escape(doc.error)}"
        elif doc.findings:
            f = min(doc.findings, key=lambda f: f.severity.rank)
            top = f"[{_STYLE[f.severity]}]{f.severity.label}[/] {f.id} {escape(f.message)}"
        else:
            # risk can be above 0 without findings (e.g. nothing readable): say why
            why = next((n for n in doc.notes if n.startswith(f"风险分 {_risk(doc.risk)}：")), None)
            top = "未发现问题" + (f"（{escape(why)}）" if why and doc.risk else "")
        ocr = "（OCR 识别，数字须人工核对）" if any(NEEDS_OCR in n for n in doc.notes) else ""
        console.print(f"{_risk(doc.risk):>6}  {escape(doc.file)}{ocr}  {top}", soft_wrap=True)
    console.print(
        f"[bold]共 {summary['files']} 个文件，读取失败 {summary['unreadable']} 个，"
        f"错误 {summary['errors']} 条，警告 {summary['warnings']} 条[/]"
    )


def _risk(risk: Decimal | None) -> str:
    return "—" if risk is None else fmt_count(risk)
