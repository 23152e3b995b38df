"""The projects a batch may be matched to (a task's evaluations the uploader sees), indexed once per process.

The index of a 100,000-project task takes a second or two to build; a worker keeps the last few, keyed by what
would change them (the records' count and newest id), so a batch of a thousand files builds it once.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from django.db.models import Count, Max, QuerySet

from ...core.matching import MatchVocabulary, Project, ProjectIndex
from ...io.catalogue import read_yaml
from ..evaluations.access import visible
from ..evaluations.models import EvaluationRecord
from ..organisations.access import access_for
from .models import IntakeBatch


@cache
def vocabulary() -> MatchVocabulary:
    path = Path(str(resources.files("jixiao") / "data" / "intake" / "matching.yaml"))
    data = read_yaml(path)
    assert isinstance(data, dict), f"{path}：内容应为字段表"
    return MatchVocabulary(
        document_words=tuple(str(word) for word in data.get("document_words") or ()),
        min_code_length=int(data.get("min_code_length", 6)),
        min_similarity=float(data.get("min_similarity", 0.5)),
    )


def candidates_of(batch: IntakeBatch) -> QuerySet[EvaluationRecord]:
    """The task's evaluations the batch's uploader may see: only those can be matched."""
    user = batch.uploaded_by
    records = EvaluationRecord.objects.none() if user is None else visible(access_for(user))
    return records.filter(task_id=batch.task_id)


def index_for(batch: IntakeBatch) -> ProjectIndex:
    records = candidates_of(batch)
    shape = records.aggregate(n=Count("pk"), last=Max("pk"))
    return _index(batch.task_id, batch.uploaded_by_id or 0, shape["n"], shape["last"] or 0)


@lru_cache(maxsize=4)
def _index(task_id: int, user_id: int, count: int, last: int) -> ProjectIndex:
    batch = IntakeBatch(task_id=task_id, uploaded_by_id=user_id or None)
    rows = candidates_of(batch).values_list("pk", "project_code", "project_name", "unit__name")
    return ProjectIndex([Project(pk, code or "", name, unit) for pk, code, name, unit in rows], vocabulary())
