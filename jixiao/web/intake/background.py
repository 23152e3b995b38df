"""The work of a batch, handed to the background worker (django-tasks; ``manage.py db_worker`` runs it)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from ..changes.context import change_context
from ..changes.models import Source
from . import services
from .models import IntakeFile

log = logging.getLogger(__name__)


@task()
def process_files(file_ids: list[int]) -> int:
    """Read, match and import each file; how many were handled. Safe to run twice: a file is taken only once.
    The changes are recorded as the uploader's, made by a background task."""
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
