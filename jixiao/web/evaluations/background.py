"""The work of an evaluation handed to the background worker (django-tasks; ``manage.py db_worker`` runs it)."""

from __future__ import annotations

from django_tasks import task

from . import files
from .choices import Status
from .models import EvaluationRecord


@task()
def render_published(record_id: int) -> str:
    """Make the public PDF of a just-published evaluation, so that the first visitor does not wait for LibreOffice;
    the file's name, or "" when the record is no longer published."""
    record = EvaluationRecord.objects.filter(pk=record_id, status=Status.PUBLISHED).first()
    if record is None:
        return ""
    path, _ = files.build(record, "report-pdf")
    return path.name
