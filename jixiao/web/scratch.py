"""Scratch folders for uploads being read, under the data folder (``media/scratch``) rather than the system's temp
folder.

A folder is removed when its work ends; one left by a process that was killed (a crash, a restart in the middle of
an import) is swept at the next start of the web or worker processes, and by ``manage.py sweep_scratch``, once it
is older than :data:`STALE_AFTER`. So an uploaded file never lingers where other users of the server can see it.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.http import FileResponse

#: a scratch folder this old belongs to no running request or job
STALE_AFTER = 24 * 3600


def root() -> Path:
    path = Path(settings.MEDIA_ROOT) / "scratch"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def folder(prefix: str) -> Iterator[Path]:
    """A private folder for the duration of the block, removed afterwards whatever happens."""
    with tempfile.TemporaryDirectory(prefix=prefix, dir=root()) as path:
        yield Path(path)


def sweep(now: float | None = None) -> list[str]:
    """Remove the scratch folders (and files) older than :data:`STALE_AFTER`; their names."""
    cutoff = (now if now is not None else time.time()) - STALE_AFTER
    gone = []
    for entry in root().iterdir():
        try:
            if entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
                gone.append(entry.name)
        except FileNotFoundError:  # another process swept it first
            continue
    return gone


def workbook_response(write: Callable[[Path], Path], filename: str) -> FileResponse:
    """A workbook written to a scratch folder, read back and the folder removed before it is sent (nothing is left
    behind, whatever happens to the download)."""
    with folder("xlsx-") as where:
        content = write(Path(where) / "book.xlsx").read_bytes()
    return FileResponse(BytesIO(content), as_attachment=True, filename=filename)
