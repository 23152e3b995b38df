"""Audit many files: collect them from the paths given, then audit each without letting one stop the rest."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
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

    With ``jobs`` above 1, that many files are read at once, each in its own worker process bounded in time and
    memory (:mod:`.bounded`): a thousand reports use every core, and a file that hangs or crashes its reader
    costs only its own audit. ``progress`` is then called as files finish, in whatever order they do."""
    total = len(files)
    if jobs <= 1 or total < 2:
        docs: list[AuditedDocument] = []
        for done, path in enumerate(files, start=1):
            docs.append(_audit_one(path, settings))
            if progress is not None:
                progress(done, total, path)
        return docs
    from .bounded import read_and_audit_bounded  # starts a forkserver: only for batches that use it

    def bounded(path: Path) -> AuditedDocument:
        try:
            return read_and_audit_bounded(path, settings)[1]
        except Exception:  # the caller's side of a worker (a pipe, a fork) failing is no reason to stop the rest
            log.exception("审核“%s”时出错", path)
            return AuditedDocument(file=str(path), extraction=None, error=f"文件 {path}：{UNEXPECTED}")

    found: dict[int, AuditedDocument] = {}
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="jixiao-audit") as pool:
        futures = {pool.submit(bounded, path): i for i, path in enumerate(files)}
        for done, future in enumerate(as_completed(futures), start=1):
            i = futures[future]
            found[i] = future.result()
            if progress is not None:
                progress(done, total, files[i])
    return [found[i] for i in range(total)]


def _audit_one(path: Path, settings: AuditSettings) -> AuditedDocument:
    try:
        return audit_file(path, settings)
    # A bug met on one odd file must not cost the other thousands their audit; it is reported on that file.
    except Exception:
        log.exception("审核“%s”时出错", path)
        return AuditedDocument(file=str(path), extraction=None, error=f"文件 {path}：{UNEXPECTED}")
