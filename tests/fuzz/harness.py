"""Run fuzz cases through the public entry point and judge each one.

A case passes when ``audit_file`` returns (nothing escapes it), any error it reports is a Chinese message naming
the file and is not the audit's own fault, a well-formed file is read, and the read took at most
:data:`MAX_SECONDS` and :data:`MAX_MEGABYTES` more memory than before it. Cases run in a forked child process
(:func:`run_cases`), so that a reader which aborts the whole process (a native library's failed allocation) or never
returns is reported as that case's failure instead of taking the test run down with it.
"""

from __future__ import annotations

import faulthandler
import logging
import multiprocessing
import os
import re
import resource
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO

from jixiao.core.audit.document import AuditedDocument
from jixiao.io.audit import audit_file as audit_file_module
from jixiao.io.audit.audit_file import UNEXPECTED, AuditSettings, audit_file
from jixiao.io.audit.readers import pdf as pdf_reader

from .mutate import Mutant, mutant

#: a guard, not a benchmark: every seed reads in well under a second
MAX_SECONDS = 5.0
MAX_MEGABYTES = 300.0
#: how long the parent waits for one case before it kills the child and calls the case hung
HANG_SECONDS = 60.0

#: the problems of :func:`judge` and :func:`run_cases` that the known open findings are told apart by
FAULT = "审核程序出错（已兜底为中文提示，但这是程序缺陷）"
CRASHED = "进程崩溃（退出码 {code}）"

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: what a program's own words look like: exception names, tracebacks, Python reprs
_ENGLISH = re.compile(
    r"Traceback|Error|Exception|Warning|object|NoneType|invalid literal|Errno|errno|"
    r"File \"|line \d+|0x[0-9a-f]{4,}|<[a-z_]+[ >]|\bself\b|\bNone\b|"
    r"\b(?:unexpected|expected|cannot|could not|not found|failed|invalid|unsupported|decode|codec|"
    r"calamine|pdfminer|pdfplumber|lxml|pydantic|decimal|panic)\b",
    re.IGNORECASE,
)
#: what a reader may say about a well-formed file: that it holds no text (every line was blanked), or, for a text
#: file, that a NUL character makes it binary
_EMPTY = "文件为空"
_BINARY_TEXT = "不是有效的文本文件"


def is_chinese_message(message: str, label: str = "") -> bool:
    """Whether ``message`` is a sentence for a finance officer: Chinese, and free of the program's own words
    (``label``, the file's name as given, is left out of the judgement)."""
    text = message.replace(label, "") if label else message
    return bool(_CJK.search(text)) and not _ENGLISH.search(text)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one case did: its time, its memory, the error it reported, and ``problem`` (Chinese) when it failed."""

    name: str
    suffix: str
    family: str
    seconds: float
    megabytes: float
    error: str | None
    problem: str | None = None
    detail: str = ""  # for a fault: the exception the audit logged


#: open findings of ``test_findings.py``, each told by what its cases look like: the fuzz tests count a case that fails
#: only this way instead of failing on it. Remove an entry together with the xfail mark of its finding's test.
KNOWN_OPEN: dict[str, Callable[[Outcome], bool]] = {
    # none the fuzz meets: F4–F11 are fixed (test_findings.py says where), and F12 lies past the fuzz's longest line
    # (mutate.LONG). A finding the fuzz meets gets its entry here, e.g.
    # "F13": lambda o: o.problem == FAULT and "module.py:function" in o.detail,
}


def known_open(outcome: Outcome) -> str | None:
    """The open finding a failed case is an instance of, or None."""
    return next((name for name, looks_like in KNOWN_OPEN.items() if looks_like(outcome)), None)


def judge(
    mutant_: Mutant, label: str, result: AuditedDocument | BaseException, seconds: float, megabytes: float
) -> str | None:
    """Why the case failed (Chinese), or None."""
    if isinstance(result, BaseException):
        return f"异常未被拦截：{type(result).__name__}: {str(result)[:200]}"
    if seconds > MAX_SECONDS:
        return f"用时 {seconds:.1f} 秒，超过 {MAX_SECONDS:.0f} 秒"
    if megabytes > MAX_MEGABYTES:
        return f"内存增加 {megabytes:.0f} MB，超过 {MAX_MEGABYTES:.0f} MB"
    error = result.error
    if error is None:
        return None
    if UNEXPECTED in error:
        return FAULT
    if not is_chinese_message(error, label):
        return f"提示不是中文：{error[:200]}"
    if label not in error:
        return f"提示未指明文件：{error[:200]}"
    if mutant_.readable and _EMPTY not in error:
        if not (mutant_.suffix == ".txt" and _BINARY_TEXT in error and b"\x00" in mutant_.data):
            return f"格式完好的文件被拒：{error[:200]}"
    return None


# --- measuring one read ------------------------------------------------------------------------------------------

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _resident_mb() -> float:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE / 2**20
    except OSError:
        return 0.0


def _reset_peak() -> bool:
    """Reset the kernel's high-water mark of resident memory (Linux ≥ 4.0), so that the next peak is this case's."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def _mapped_mb(field: str = "VmSize:") -> float:
    """The process's address space (what RLIMIT_AS counts), or its peak (``VmPeak:``)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _LoggedFaults(logging.Handler):
    """The exceptions ``audit_file`` caught and logged (its Chinese message hides them; the report shows them)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.last = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            frames = traceback.extract_tb(exc.__traceback__)
            where = f" @ {Path(frames[-1].filename).name}:{frames[-1].name}" if frames else ""
            self.last = f"{type(exc).__name__}: {str(exc)[:300]}{where}"


@contextmanager
def quiet_audit() -> Iterator[_LoggedFaults]:
    """OCR switched off (the fuzz is about the readers; Tesseract would take seconds a page and make the results
    depend on the machine), and the audit's error log caught instead of printed."""
    handler = _LoggedFaults()
    logger = logging.getLogger(audit_file_module.__name__)
    saved = (pdf_reader.tesseract_chi_sim, logger.propagate)
    pdf_reader.tesseract_chi_sim = lambda: False  # type: ignore[assignment]
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        pdf_reader.tesseract_chi_sim, logger.propagate = saved  # type: ignore[assignment]
        logger.removeHandler(handler)


@cache
def settings() -> AuditSettings:
    return AuditSettings.load()


def audit_case(mutant_: Mutant, folder: Path, faults: _LoggedFaults) -> Outcome:
    """Write the case to ``folder`` under a Chinese name, audit it, and judge it."""
    label = f"模糊测试{mutant_.index}{mutant_.suffix}"
    path = folder / label
    path.write_bytes(mutant_.data)
    faults.last = ""
    measured = _reset_peak()
    before = _resident_mb()
    started = time.perf_counter()
    result: AuditedDocument | BaseException
    try:
        result = audit_file(path, settings(), name=label)
    except BaseException as exc:  # the whole point: nothing may escape
        if isinstance(exc, KeyboardInterrupt):
            raise
        result = exc
    seconds = time.perf_counter() - started
    megabytes = max(0.0, _peak_mb() - before) if measured else 0.0
    path.unlink(missing_ok=True)
    error = result.error if isinstance(result, AuditedDocument) else None
    problem = judge(mutant_, label, result, seconds, megabytes)
    return Outcome(mutant_.name, mutant_.suffix, mutant_.family, seconds, megabytes, error, problem, faults.last)


def audit_in_process(mutants: Iterable[Mutant]) -> list[Outcome]:
    """Every case audited here, in this process (for cases that cannot abort it: hypothesis's text cases)."""
    with tempfile.TemporaryDirectory(prefix="jixiao-fuzz-") as folder, quiet_audit() as faults:
        return [audit_case(m, Path(folder), faults) for m in mutants]


# --- a child process per batch -----------------------------------------------------------------------------------

Case = tuple[str, int, int]  # (format, seed, index): the child makes the file itself


def _child(
    conn: Connection,
    cases: Sequence[Case],
    make: Callable[[str, int, int], Mutant],
    spare_mb: int | None,
    printed: int,
) -> None:
    os.dup2(printed, 2)  # what the libraries print (a Rust panic's backtrace) goes to the parent's file
    faulthandler.disable()  # pytest's, which writes to the terminal: an abort is reported as the case's outcome
    cap = None
    if spare_mb is not None:  # a memory bomb fails at the cap instead of filling the machine
        cap = _mapped_mb() + spare_mb
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (int(cap * 2**20), hard))
    with tempfile.TemporaryDirectory(prefix="jixiao-fuzz-") as folder, quiet_audit() as faults:
        for suffix, seed, index in cases:
            outcome = audit_case(make(suffix, seed, index), Path(folder), faults)
            # a reader stopped by the cap has not kept within bounds, whatever it answered (its MemoryError is told
            # as a damaged file): the cap is the test's safety net, not the program's
            if cap is not None and outcome.problem is None and _mapped_mb("VmPeak:") > cap - 32:
                outcome = replace(outcome, problem=f"内存达到测试上限（{spare_mb} MB）")
            conn.send(outcome)
    conn.close()


def run_cases(
    cases: Sequence[Case],
    *,
    make: Callable[[str, int, int], Mutant] = mutant,
    hang_seconds: float = HANG_SECONDS,
    spare_mb: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Every case audited in a forked child; a child that dies or hangs is reported against its case, and a new
    child goes on with the next one. ``spare_mb``: the address space the child may map beyond what it inherited."""
    context = multiprocessing.get_context("fork")
    outcomes: list[Outcome] = []
    start = 0
    while start < len(cases):
        receive, send = context.Pipe(duplex=False)
        printed = tempfile.TemporaryFile()
        child = context.Process(
            target=_child, args=(send, cases[start:], make, spare_mb, printed.fileno()), daemon=True
        )
        child.start()
        send.close()
        done = start
        failure = None
        while done < len(cases):
            if not receive.poll(hang_seconds):
                child.kill()
                failure = f"超过 {hang_seconds:.0f} 秒未返回（已终止）"
                break
            try:
                outcome = receive.recv()
            except EOFError:
                child.join()
                failure = CRASHED.format(code=child.exitcode)
                break
            outcomes.append(outcome)
            if progress:
                progress(outcome)
            done += 1
        child.join()
        receive.close()
        last_words = _last_words(printed)
        if failure is not None:
            suffix, seed, index = cases[done]
            crashed = make(suffix, seed, index)
            outcome = Outcome(crashed.name, suffix, crashed.family, 0.0, 0.0, None, failure, last_words)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
            done += 1
        start = done
    return outcomes


_ALLOCATION = re.compile(r"memory allocation of \d+ bytes failed")


def _last_words(printed: IO[bytes]) -> str:
    """What a dead child printed last that says why: a failed allocation, else its last line."""
    with printed:
        printed.seek(0, os.SEEK_END)
        printed.seek(max(0, printed.tell() - 65536))
        text = printed.read().decode("utf-8", "replace")
    found = _ALLOCATION.findall(text)
    if found:
        return found[-1]
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith(" ")]
    return lines[-1][:300] if lines else ""
