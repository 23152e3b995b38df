"""`make bench`: scoring throughput, one .docx report, a batch of PDFs. Prints figures for docs/performance.md.

Sizes come from the environment so a quick run is possible: BENCH_PROJECTS (50000), BENCH_PDFS (100).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from jixiao.core import evaluate
from jixiao.core.model import Evaluation
from jixiao.io.catalogue import load_framework, load_rules

from .synthetic import evaluation


def bench_scoring(n: int) -> dict[str, float]:
    rules, framework = load_rules("mof-2020"), load_framework("mof-selfeval")
    raw = [evaluation(i) for i in range(n)]
    t0 = time.perf_counter()
    models = [Evaluation.model_validate(d) for d in raw]
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    findings = 0
    for m in models:
        findings += len(evaluate(m, rules, framework).findings)
    work = time.perf_counter() - t0
    return {
        "projects": n,
        "load_s": load,
        "score_check_s": work,
        "projects_per_s": n / work,
        "ratio": work / load,
        "findings": findings,
    }


def bench_docx(repeat: int = 30) -> dict[str, float]:
    from jixiao.io.evaluation_file import load_evaluation
    from jixiao.io.report.chart import render_chart
    from jixiao.io.report.docx import write_report_docx

    example = load_evaluation(Path(__file__).resolve().parent.parent / "examples" / "zhanjiang-2022-kepu")
    result = evaluate(example, load_rules(example.rules), load_framework(example.framework))
    chart = render_chart(result)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeat):
            t0 = time.perf_counter()
            write_report_docx(result, Path(tmp) / f"r{i}.docx", chart_png=chart)
            times.append(time.perf_counter() - t0)
    return {"docx_median_ms": statistics.median(times) * 1000, "docx_max_ms": max(times) * 1000}


def bench_pdf(n: int) -> dict[str, float]:
    from jixiao.io.report.docx import write_report_docx
    from jixiao.io.report.pdf import convert_to_pdf

    rules, framework = load_rules("mof-2020"), load_framework("mof-selfeval")
    with tempfile.TemporaryDirectory() as tmp:
        docs = []
        for i in range(n):
            result = evaluate(Evaluation.model_validate(evaluation(i)), rules, framework)
            docs.append(write_report_docx(result, Path(tmp) / f"r{i}.docx"))
        t0 = time.perf_counter()
        pdfs = convert_to_pdf(docs, Path(tmp) / "pdf")
        total = time.perf_counter() - t0
    return {"pdfs": len(pdfs), "pdf_total_s": total, "pdf_each_s": total / n}


def main() -> None:
    projects = int(os.environ.get("BENCH_PROJECTS", "50000"))
    pdfs = int(os.environ.get("BENCH_PDFS", "100"))
    print(f"CPU cores: {os.cpu_count()}")
    s = bench_scoring(projects)
    print(
        f"scoring: {s['projects']} projects × 20 indicators; load {s['load_s']:.2f} s; score+checks "
        f"{s['score_check_s']:.2f} s; {s['projects_per_s']:.0f} projects/s; ratio {s['ratio']:.2f} (target ≤ 2); "
        f"{s['findings']} findings"
    )
    d = bench_docx()
    print(f"docx report: median {d['docx_median_ms']:.1f} ms, max {d['docx_max_ms']:.1f} ms (target ≤ 50 ms)")
    p = bench_pdf(pdfs)
    print(
        f"pdf batch: {p['pdfs']} PDFs in {p['pdf_total_s']:.1f} s through one LibreOffice process; "
        f"{p['pdf_each_s']:.2f} s each (target ≤ 0.5 s)"
    )


if __name__ == "__main__":
    main()
