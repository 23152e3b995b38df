"""Audit many files: collect them from the paths given, then audit each without letting one stop the rest."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ...core.audit.document import AuditedDocument
from ..errors import InputError
from .audit_file import UNEXPECTED, AuditSettings, audit_file
from .read import SUPPORTED_SUFFIXES

log = logging.getLogger(__name__)

__all__ = ["Progress", "audit_paths", "iter_files"]

#: called after each file: (files done, files in all, the file just done)
Progress = Callable[[int, int, Path], None]


def iter_files(paths: Sequence[Path]) -> list[Path]:
    """The files to audit: files as given, folders walked recursively in sorted order.

    In folders only supported types are taken; hidden files and folders and Office lock files (``~$…``)
    are skipped. A file named twice is audited once. Raises :class:`InputError` naming every path that
    does not exist.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InputError(f"文件或文件夹不存在：{'、'.join(missing)}")
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        found = _walk(path) if path.is_dir() else [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(top, name) for name in names if _wanted(name))
    return sorted(found)


def _wanted(name: str) -> bool:
    if name.startswith((".", "~$")):
        return False
    return os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES


def audit_paths(
    files: Sequence[Path], settings: AuditSettings, progress: Progress | None = None, *, jobs: int = 1
) -> list[AuditedDocument]:
    """One audited document per file, in the order given; a file that cannot be read has ``error`` set.

    With ``jobs`` above 1 and a batch large enough to repay starting them (:data:`PER_WORKER` files a worker),
    that many worker processes read at once, so a thousand reports use every core. Should a file crash its
    reader (a native library's fault ends the process), the files not yet done are read again one by one,
    each in its own bounded worker (:mod:`.bounded`): the one at fault gets its own Chinese error, the others
    their audit. ``progress`` is called as files finish, in whatever order they do."""
    total = len(files)
    if jobs <= 1 or total < PER_WORKER * min(jobs, 2):
        docs: list[AuditedDocument] = []
        for done, path in enumerate(files, start=1):
            docs.append(_audit_one(path, settings))
            if progress is not None:
                progress(done, total, path)
        return docs
    found: dict[int, AuditedDocument] = {}
    context = multiprocessing.get_context("forkserver")
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(settings,)) as pool:
            futures = {pool.submit(_audit_in_worker, path): i for i, path in enumerate(files)}
            for future in as_completed(futures):
                i = futures[future]
                found[i] = future.result()
                if progress is not None:
                    progress(len(found), total, files[i])
    except BrokenProcessPool:
        from .bounded import read_and_audit_bounded

        log.warning("批量审核的工作进程意外结束，其余 %s 个文件逐个在单独的进程中重新读取", total - len(found))
        for i, path in enumerate(files):
            if i not in found:
                found[i] = read_and_audit_bounded(path, settings)[1]
                if progress is not None:
                    progress(len(found), total, path)
    return [found[i] for i in range(total)]


#: files a worker must have to repay its start (importing the readers takes about a second)
PER_WORKER = 8
_SETTINGS: list[AuditSettings] = []


def _start_worker(settings: AuditSettings) -> None:
    _SETTINGS[:] = [settings]


def _audit_in_worker(path: Path) -> AuditedDocument:
    return _audit_one(path, _SETTINGS[0])


def _audit_one(path: Path, settings: AuditSettings) -> AuditedDocument:
    try:
        return audit_file(path, settings)
    # A bug met on one odd file must not cost the other thousands their audit; it is reported on that file.
    except Exception:
        log.exception("审核“%s”时出错", path)
        return AuditedDocument(file=str(path), extraction=None, error=f"文件 {path}：{UNEXPECTED}")
