"""`python -m bench.audit`: how fast `jixiao audit` reads and checks submitted documents.

Targets (issue 4): text and .docx ≥ 50 documents/s; the standard .xlsx 自评表 ≥ 100 files/s; and the
ratio of our whole audit (read + extract + check) to the raw read of the same files with the library
alone (calamine for .xlsx, pdfplumber for .pdf) ≤ 2. Sizes: BENCH_AUDIT_FILES (300), BENCH_AUDIT_PDFS (20).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from python_calamine import CalamineWorkbook

from jixiao.core import evaluate
from jixiao.core.model import Evaluation
from jixiao.io.audit.audit_file import AuditSettings, audit_file
from jixiao.io.audit.read import read_source
from jixiao.io.catalogue import load_framework, load_rules
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


def _raw_pdf(path: Path) -> object:
    with pdfplumber.open(path) as pdf:
        return [(page.extract_text(), page.extract_tables()) for page in pdf.pages]


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
    files: dict[str, list[Path]] = {"txt": [], "docx": [], "xlsx": [], "pdf": []}
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
    files["pdf"] = convert_to_pdf(files["docx"][:pdfs], work / "pdf")
    return files


def main() -> None:
    n = int(os.environ.get("BENCH_AUDIT_FILES", "300"))
    pdfs = int(os.environ.get("BENCH_AUDIT_PDFS", "20"))
    settings = AuditSettings.load()
    with tempfile.TemporaryDirectory() as tmp:
        files = build(Path(tmp), n, pdfs)
        audit_file(files["txt"][0], settings)  # warm the caches (regexes, rule set) once
        raw = {"txt": _raw_text, "xlsx": _raw_xlsx, "pdf": _raw_pdf, "docx": None}
        print(f"CPU cores: {os.cpu_count()}")
        for kind in ("txt", "docx", "xlsx", "pdf"):
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


if __name__ == "__main__":
    main()
