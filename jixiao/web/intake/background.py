"""The work of a batch, handed to the background worker (django-tasks; ``manage.py db_worker`` runs it)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from ..changes.context import change_context
from ..changes.models import Source
from . import services
from .models import IntakeFile

log = logging.getLogger(__name__)


@task()
def process_files(file_ids: list[int]) -> int:
    """Read, match and import each file; how many were handled. Safe to run twice: a file is taken only once.
    The changes are recorded as the uploader's, made by a background task. Should the worker stop part-way (killed,
    its machine down), :func:`watch_files` puts the unfinished files back in the queue, once."""
    _watch(file_ids)
    uploaders = dict(IntakeFile.objects.filter(pk__in=file_ids).values_list("pk", "batch__uploaded_by"))
    users = get_user_model().objects.in_bulk({u for u in uploaders.values() if u is not None})
    for file_id in file_ids:
        with change_context(user=users.get(uploaders.get(file_id)), source=Source.TASK):
            try:
                services.process(file_id)
            except Exception:  # one file's failure is its own outcome; the rest of the job goes on
                log.exception("批量接收：处理第 %s 号文件时出错", file_id)
                services.fail(file_id)
    return len(file_ids)


@task()
def watch_files(file_ids: list[int]) -> bool:
    """Look after a :func:`process_files` job from the side: once it has shown no sign of life for
    ``services.stalled_after()`` (its worker was killed, or its machine went down), put its unfinished files back in
    the queue (``services.recover``); while it has, look again later. Whether it is done."""
    done = services.recover(file_ids)
    if not done:
        _watch(file_ids)
    return done


def _watch(file_ids: list[int]) -> None:
    """Have :func:`watch_files` look at these files when a live worker would have finished one of them."""
    if watch_files.get_backend().supports_defer:  # (the tests' immediate backend runs every job at once)
        watch_files.using(run_after=timezone.now() + services.stalled_after()).enqueue(file_ids)
