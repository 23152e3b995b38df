"""Read and audit one file in a worker process bounded in time and memory: web uploads, where a hostile or broken
file must not hold a web or background worker for long, nor take the server's memory.

The worker is forked from a multiprocessing "forkserver", a clean process started once (per calling process) that
has already imported the readers: a file costs a fork, not a fresh import, and nothing of the caller (its threads,
its database connections) is copied into the worker. The worker lowers its own limits (address space, CPU time, a
wall-clock alarm) and reads; the caller waits at most the time allowed, then kills the worker and whatever it
started (OCR). The worker only gets the file's path and a folder for its own temporary files and what it prints;
the caller removes that folder once the worker is gone.

Whatever goes wrong is told as an :class:`AuditedDocument` with ``error`` set, in Chinese, naming the file as the
user called it (:data:`~jixiao.io.errors.READ_TOO_SLOW`, ``READ_TOO_BIG``, ``READ_DIED``).
"""

from __future__ import annotations

import ast
import errno
import gc
import logging
import math
import multiprocessing
import os
import resource
import signal
import sys
import tempfile
import threading
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path

from ...core.audit.document import AuditedDocument
from ...core.audit.source import SourceText
from ...reading.audit import audit_source
from ..errors import READ_DIED, READ_TOO_BIG, READ_TOO_SLOW
from .audit_file import UNEXPECTED, AuditSettings
from .read import UnreadableDocument, read_source

log = logging.getLogger(__name__)

#: how long reading one file may take (seconds, wall clock), unless the caller says otherwise
SECONDS = 120.0
#: how much memory (MB of address space) the worker reading one file may use, unless the caller says otherwise
MEGABYTES = 1536
#: seconds the worker's own alarms wait beyond the limit, to end it should the caller be gone; and how long a
#: worker that has answered may take to exit
_GRACE = 5

_MB = 1024 * 1024
#: what the worker prints (a traceback, a library's last words), in its folder: the caller logs the end of it
_PRINTED = "stderr.txt"
_PRINTED_TAIL = 4000

#: how libraries say they ran out of memory other than by MemoryError: Rust's allocator before it aborts
#: ("memory allocation of 90000 bytes failed", python-calamine), zlib-rs panicking with "MemError", libxml2's
#: "Memory allocation failed", C++'s std::bad_alloc, the C library's ENOMEM and zlib's Z_MEM_ERROR in words
_OUT_OF_MEMORY_WORDS = (
    "memoryerror",
    "memerror",
    "memory allocation",
    "out of memory",
    "bad_alloc",
    "cannot allocate memory",
    "insufficient memory",
)

#: the worker's answers besides a reading, and the caller's word for a worker that did not answer in time
_MEMORY = "memory"
_TIMED_OUT = "timed out"

Answer = tuple[SourceText | None, AuditedDocument]


def read_and_audit_bounded(
    path: Path | str,
    settings: AuditSettings,
    *,
    name: str | None = None,
    seconds: float | None = None,
    megabytes: int | None = None,
) -> Answer:
    """:func:`~jixiao.io.audit.audit_file.read_and_audit` in a worker process that may take at most ``seconds``
    and ``megabytes`` (defaults :data:`SECONDS`, :data:`MEGABYTES`). The worker's folder is made beside the file
    (in the system's temporary folder if that is read-only)."""
    path = Path(path)
    label = name or str(path)
    seconds = SECONDS if seconds is None else seconds
    megabytes = MEGABYTES if megabytes is None else megabytes
    context = _context()
    beside = path.parent if os.access(path.parent, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="jixiao-read-", dir=beside, ignore_cleanup_errors=True) as folder:
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(
            target=_work,
            args=(sender, path, settings, label, seconds, megabytes, folder),
            name="jixiao-read",
            daemon=True,
        )
        try:
            worker.start()
        except BaseException:
            receiver.close()
            raise
        finally:
            sender.close()  # the worker has its own end: once it is gone, reading ours meets the end of the pipe
        outcome: object = None
        try:
            outcome = _receive(receiver) if wait([receiver, worker.sentinel], timeout=seconds) else _TIMED_OUT
        finally:
            receiver.close()
            code = _end(worker, answered=outcome not in (None, _TIMED_OUT))
        printed = _printed(Path(folder))
    if printed:
        read_well = isinstance(outcome, tuple) and outcome[1].error is None
        log.log(logging.WARNING if read_well else logging.ERROR, "读取“%s”时工作进程输出：\n%s", label, printed)
    if isinstance(outcome, tuple):
        return outcome
    if outcome == _MEMORY or (outcome is None and _says_out_of_memory(printed)):
        log.warning("读取“%s”超出内存上限 %s MB，已停止", label, megabytes)
        return None, _failed(label, READ_TOO_BIG.format(megabytes=megabytes))
    if outcome == _TIMED_OUT or code in (-signal.SIGALRM, -signal.SIGXCPU):
        log.warning("读取“%s”超过 %s 秒，已停止", label, seconds)
        return None, _failed(label, READ_TOO_SLOW.format(seconds=f"{seconds:g}"))
    log.error("读取“%s”的工作进程意外结束（退出码 %s）", label, code)
    return None, _failed(label, READ_DIED.format(how=_how_it_ended(code)))


def _failed(label: str, message: str) -> AuditedDocument:
    return AuditedDocument(file=label, extraction=None, error=f"文件 {label}：{message}")


def _how_it_ended(code: int | None) -> str:
    if code == -signal.SIGKILL:  # the kernel's out-of-memory killer, or an administrator
        return "读取程序被系统强行终止（可能是服务器内存不足）"
    if code is not None and code < 0:
        return "读取程序崩溃"
    return "读取程序意外退出"


def _receive(receiver: Connection) -> object:
    """The worker's answer; None when it ended without one (its death closed the pipe)."""
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return None


def _end(worker: BaseProcess, *, answered: bool) -> int | None:
    """The worker gone, its exit code: one that answered is let exit; any other is killed, with whatever it
    started."""
    if answered:
        worker.join(_GRACE)
    if not answered or worker.exitcode is None:
        try:
            # its own process group (see _work): the OCR programs it started die with it
            os.killpg(worker.pid or 0, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # not yet its own group, or the group is gone already
            worker.kill()
    worker.join()
    code = worker.exitcode
    worker.close()
    return code


def _printed(folder: Path) -> str:
    try:
        with (folder / _PRINTED).open("rb") as printed:
            printed.seek(0, os.SEEK_END)
            printed.seek(max(0, printed.tell() - _PRINTED_TAIL))
            return printed.read().decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _says_out_of_memory(text: str) -> bool:
    text = text.lower()
    return any(words in text for words in _OUT_OF_MEMORY_WORDS)


# -------------------------------------------------------------------------------------------- the worker


_started = threading.Lock()
_context_made: ForkServerContext | None = None


def _context() -> ForkServerContext:
    """The forkserver context, the readers named for the server to import once, before its first fork."""
    global _context_made
    with _started:
        if _context_made is None:
            context = multiprocessing.get_context("forkserver")
            # "__main__" is multiprocessing's own default; this module brings the readers and their libraries
            context.set_forkserver_preload(list(dict.fromkeys(["__main__", __name__, *_main_imports()])))
            _short_socket_folder()
            _context_made = context
        return _context_made


#: the longest temp folder the forkserver's socket fits in (a Unix socket's path has at most 107 bytes)
_SOCKET_FOLDER_MAX = 60


def _short_socket_folder() -> None:
    """Have multiprocessing keep its socket in a short folder: it makes one (``pymp-…``) in the temp folder the
    first time it needs one, and under a long TMPDIR the socket's path would not fit, so no file could be read."""
    from multiprocessing import util

    if len(tempfile.gettempdir()) <= _SOCKET_FOLDER_MAX:
        return
    saved = tempfile.tempdir
    tempfile.tempdir = "/tmp" if os.path.isdir("/tmp") else saved
    try:
        util.get_temp_dir()  # made now, in the short folder, and kept for this process
    finally:
        tempfile.tempdir = saved


def _main_imports() -> list[str]:
    """What the caller's main script (gunicorn's, manage.py) imports, or its module (``python -m``): multiprocessing
    runs it again in every worker before anything else, and its own preloading of ``"__main__"`` does not happen
    (Python 3.11 to 3.13 never hand the forkserver the script's path), so whatever it imports is best loaded in
    the forkserver once. A worker started under gunicorn would otherwise import gunicorn, under pytest's script
    pytest: some 70 to 150 ms a file."""
    main = sys.modules.get("__main__")
    module = getattr(getattr(main, "__spec__", None), "name", None)
    if module:
        return [] if module.endswith("__main__") else [module]  # a package's __main__ is not run again
    script = getattr(main, "__file__", None)
    if not script:  # python -c (as pytest-xdist's workers are), or the interactive interpreter
        return []
    try:
        tree = ast.parse(Path(script).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return []
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def _work(
    sender: Connection, path: Path, settings: AuditSettings, label: str, seconds: float, megabytes: int, folder: str
) -> None:
    """In the worker: set the limits, read, answer with what :func:`read_and_audit_bounded` returns or
    :data:`_MEMORY`."""
    # what the forkserver imported is left alone by the collector: else every collection touches, and so copies,
    # the pages shared with the forkserver (it halved the worker's time on a report of 14,000 characters)
    gc.freeze()
    os.setpgid(0, 0)
    printed = os.open(Path(folder) / _PRINTED, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(printed, 2)
    os.close(printed)
    os.environ["TMPDIR"] = tempfile.tempdir = folder
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file behind
    # bounds of the worker's own, for when the caller is gone: SIGALRM's and SIGXCPU's default actions end the
    # process even in the middle of a C library call, where a Python handler would wait for the call to return
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, seconds + _GRACE)
    _lower(resource.RLIMIT_CPU, math.ceil(seconds) + _GRACE)
    # the soft limit only, so that it can be lifted again to send the answer
    memory = resource.getrlimit(resource.RLIMIT_AS)
    _lower(resource.RLIMIT_AS, megabytes * _MB)
    outcome: object
    try:
        outcome = _read_and_audit(path, settings, label)
        if outcome[1].error is not None and _came_near(megabytes * _MB):
            outcome = _MEMORY
    # BaseException: a Rust reader's panic (python-calamine) is not an Exception
    except BaseException as exc:
        if not _out_of_memory(exc):
            raise
        outcome = _MEMORY
    finally:
        resource.setrlimit(resource.RLIMIT_AS, memory)
    sender.send(outcome)
    sender.close()


def _lower(limit: int, soft: int) -> None:
    _, hard = resource.getrlimit(limit)
    resource.setrlimit(limit, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _read_and_audit(path: Path, settings: AuditSettings, label: str) -> Answer:
    """What :func:`~jixiao.io.audit.audit_file.read_and_audit` does, except that running out of memory is raised
    rather than told as a damaged file (``read_source``) or a fault of ours (the audit): under a memory limit that
    is the likeliest reason, and the user is told so."""
    try:
        source = read_source(path)
    except UnreadableDocument as exc:
        if _out_of_memory(exc):
            raise
        return None, AuditedDocument(file=label, extraction=None, error=str(exc).replace(str(path), label))
    source.file = label
    try:
        return source, audit_source(source, settings.rules, settings.framework, settings.weights)
    except Exception as exc:
        if _out_of_memory(exc):
            raise
        log.exception("审核“%s”时出错", label)
        return source, AuditedDocument(file=label, extraction=None, error=f"文件 {label}：{UNEXPECTED}")


#: how close to the limit the worker's peak address space must have come for a failed reading to be put down to it
_NEAR = 64 * _MB


def _came_near(limit: int) -> bool:
    """Whether the worker's address space has ever come within :data:`_NEAR` of ``limit`` (bytes): a library that
    cannot allocate does not always say so. zlib-rs inside python-calamine, for one, reports a failed allocation as
    a damaged deflate stream, and the reading ends as “damaged file”; when memory was that short, the limit is the
    likelier reason. Linux only (``VmPeak`` of /proc/self/status); elsewhere False."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            peak = next((line for line in status if line.startswith("VmPeak:")), "")
    except OSError:
        return False
    fields = peak.split()
    return len(fields) >= 2 and fields[1].isdigit() and int(fields[1]) * 1024 >= limit - _NEAR


def _out_of_memory(exc: BaseException) -> bool:
    """Whether running out of memory is among the causes of ``exc``."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, MemoryError) or (isinstance(cause, OSError) and cause.errno == errno.ENOMEM):
            return True
        if _says_out_of_memory(str(cause)):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False
