"""`python -m bench.audit`: how fast `jixiao audit` reads and checks submitted documents.

Targets (issue 4): text and .docx ≥ 50 documents/s; the standard .xlsx 自评表 ≥ 100 files/s; and the
ratio of our whole audit (read + extract + check) to the raw read of the same files with the library
alone (calamine for .xlsx) ≤ 2.

PDF (issue 14): whole-audit throughput ≥ 20 files/s for report-sized PDFs (10–30 pages) and ≥ 50 files/s for
one-page 附1 tables, on this machine's cores; reading ÷ raw pypdfium2 text extraction of the same files ≤ 3,
reported beside the old pdfplumber reading in the same run; and the peak memory of reading a 300-page PDF.
Sizes: BENCH_AUDIT_FILES (300), BENCH_AUDIT_PDFS (40 reports and 120 tables).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
from python_calamine import CalamineWorkbook

from jixiao.core import evaluate
from jixiao.core.model import Evaluation
from jixiao.io.audit.audit_file import AuditSettings, audit_file
from jixiao.io.audit.batch import audit_paths
from jixiao.io.audit.read import read_source
from jixiao.io.audit.readers.pdf import read_pdf_with_pdfplumber
from jixiao.io.catalogue import load_framework, load_rules
from jixiao.io.evaluation_file import load_evaluation
from jixiao.io.report.docx import write_report_docx
from jixiao.io.report.pdf import convert_to_pdf
from jixiao.io.xlsx.selfeval_write import write_selfeval_table

from .synthetic import evaluation

ROOT = Path(__file__).resolve().parent.parent
#: ../shared beside the repository, or where JIXIAO_SHARED says (as for the tests and tools/)
SHARED = Path(os.environ.get("JIXIAO_SHARED") or ROOT.parent / "shared")


def _timed(files: list[Path], work: Callable[[Path], object]) -> float:
    t0 = time.perf_counter()
    for path in files:
        work(path)
    return time.perf_counter() - t0


def _raw_xlsx(path: Path) -> object:
    book = CalamineWorkbook.from_path(str(path))
    return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]


def _raw_pdf_text(path: Path) -> object:
    """The floor: PDFium's text of every page, nothing else."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def _old_pdf(path: Path) -> object:
    """The reader before issue 14: pdfplumber's layout analysis and table finder on every page."""
    return read_pdf_with_pdfplumber(path, path.read_bytes()[:1024])


def _audit_all(files: list[Path], workers: int) -> float:
    """Seconds to audit ``files`` with ``workers`` processes (each loads the settings once)."""
    t0 = time.perf_counter()
    if workers == 1:
        settings = AuditSettings.load()
        for path in files:
            audit_file(path, settings)
        return time.perf_counter() - t0
    with ProcessPoolExecutor(workers) as pool:
        # started and warmed first (imports, rule set, regexes): a batch of a thousand files pays that once
        list(pool.map(_audit_in_worker, files[:workers], chunksize=1))
        t0 = time.perf_counter()
        list(pool.map(_audit_in_worker, files, chunksize=max(1, len(files) // (4 * workers))))
        return time.perf_counter() - t0


def _audit_in_worker(path: Path) -> int:
    return len(audit_file(path, AuditSettings.load()).findings)


def _peak_memory_mib(path: Path) -> tuple[float, float]:
    """Peak resident memory (MiB) of a fresh process that reads ``path``, and of one that only imports."""
    code = "import sys; from pathlib import Path; from jixiao.io.audit.read import read_source; {}"
    peaks = []
    for body in ("read_source(Path(sys.argv[1]))", "pass"):
        proc = subprocess.Popen([sys.executable, "-c", code.format(body), str(path)])
        _, status, usage = os.wait4(proc.pid, 0)
        if status:
            raise SystemExit(f"读取 {path} 的进程出错（{status}）")
        peaks.append(usage.ru_maxrss / 1024)
    return peaks[0], peaks[1]


def _raw_text(path: Path) -> object:
    return path.read_text(encoding="utf-8")


def build(work: Path, n: int, pdfs: int) -> dict[str, list[Path]]:
    rules, framework = load_rules("mof-2020"), load_framework("mof-selfeval")
    texts = [
        *sorted((SHARED / "corpus" / "public").glob("*.txt")),
        SHARED / "seed" / "zhanjiang-2022-kepu-self-evaluation.txt",
    ]
    if not texts[-1].exists():
        raise SystemExit(f"未找到 {texts[-1]}：本测量需要 ../shared（可用环境变量 JIXIAO_SHARED 指定位置）")
    files: dict[str, list[Path]] = {"txt": [], "docx": [], "xlsx": []}
    for kind in ("txt", "xlsx", "docx"):
        (work / kind).mkdir()
    for i in range(n):
        source = texts[i % len(texts)]
        target = work / "txt" / f"{i:05d}-{source.name}"
        shutil.copyfile(source, target)
        files["txt"].append(target)
    for i in range(n):
        result = evaluate(Evaluation.model_validate(evaluation(i)), rules, framework)
        files["xlsx"].append(write_selfeval_table(result, work / "xlsx" / f"{i:05d}.xlsx"))
        files["docx"].append(write_report_docx(result, work / "docx" / f"{i:05d}.docx"))
    # report-sized PDFs: the example's 自评报告 (its narrative runs to some twenty pages), one file per report
    example = evaluate(load_evaluation(ROOT / "examples" / "zhanjiang-2022-kepu"), rules, framework)
    (work / "reports").mkdir()
    report = write_report_docx(example, work / "reports" / "00000.docx")
    reports = [report, *(Path(shutil.copyfile(report, work / "reports" / f"{i:05d}.docx")) for i in range(1, pdfs))]
    files["pdf reports"] = convert_to_pdf(reports, work / "pdf-reports")
    files["pdf tables"] = convert_to_pdf(files["xlsx"][: 3 * pdfs], work / "pdf-tables")  # one-page 附1 tables
    files["pdf 300 pages"] = [_joined(files["pdf reports"], 300, work / "pdf-300" / "300页.pdf")]
    return files


def _joined(parts: list[Path], pages: int, target: Path) -> Path:
    """One PDF of at least ``pages`` pages, the reports one after another."""
    target.parent.mkdir()
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        for part in parts:
            source = pdfium.PdfDocument(str(part))
            out.import_pages(source)
            source.close()
            if len(out) >= pages:
                break
    out.save(str(target))
    out.close()
    return target


def main() -> None:
    n = int(os.environ.get("BENCH_AUDIT_FILES", "300"))
    pdfs = int(os.environ.get("BENCH_AUDIT_PDFS", "40"))
    settings = AuditSettings.load()
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        files = build(Path(tmp), n, pdfs)
        audit_file(files["txt"][0], settings)  # warm the caches (regexes, rule set) once
        raw = {"txt": _raw_text, "xlsx": _raw_xlsx, "docx": None}
        print(f"CPU cores: {workers}")
        for kind in ("txt", "docx", "xlsx"):
            count = len(files[kind])
            ours = _timed(files[kind], lambda p: audit_file(p, settings))
            read = _timed(files[kind], read_source)
            line = (
                f"audit {kind}: {count} files in {ours:.2f} s = {count / ours:.0f} files/s "
                f"(reading into SourceText {read:.2f} s, extraction and checks {ours - read:.2f} s)"
            )
            reader = raw[kind]
            if reader is not None:
                base = _timed(files[kind], reader)
                line += f"; raw library read {base:.3f} s; ratio read {read / base:.2f}, whole audit {ours / base:.2f}"
            print(line)
        for kind in ("pdf reports", "pdf tables"):
            group = files[kind]
            count = len(group)
            pages = sum(len(pdfium.PdfDocument(str(p))) for p in group)
            one = _audit_all(group, 1)
            many = _audit_all(group, workers)
            started = time.perf_counter()
            audit_paths(group, settings, jobs=workers)
            batch = time.perf_counter() - started
            read = _timed(group, read_source)
            floor = _timed(group, _raw_pdf_text)
            old = _timed(group, _old_pdf)
            print(
                f"audit {kind}: {count} files, {pages} pages; whole audit {count / one:.1f} files/s in one process, "
                f"{count / many:.1f} files/s in {workers} once started; `jixiao audit -j {workers}` {batch:.2f} s with "
                f"starting its workers; reading {read:.3f} s, raw pypdfium2 text {floor:.3f} s, "
                f"ratio {read / floor:.2f}; old pdfplumber reading {old:.3f} s ({old / floor:.1f} × the raw text, "
                f"{old / read:.1f} × the new reading)"
            )
        big = files["pdf 300 pages"][0]
        peak, base = _peak_memory_mib(big)
        started = time.perf_counter()
        read_source(big)
        print(
            f"read a {len(pdfium.PdfDocument(str(big)))}-page PDF: {time.perf_counter() - started:.2f} s, "
            f"peak memory {peak:.0f} MiB (a process that only imports the reader: {base:.0f} MiB)"
        )


if __name__ == "__main__":
    main()
