"""Change records for rows written in bulk: ``bulk_create()`` sends no ``post_save``, so code that creates tracked
rows that way calls :func:`record_created` in the same transaction, and each row still gets its 新建 record, the
same one a ``save()`` would have written (same context, same snapshot)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..organisations.models import person_name
from . import context
from .models import ChangeAction, ObjectChange
from .registry import is_tracked, label_of, serialise


def record_created(instances: Sequence[models.Model], batch_size: int = 500) -> int:
    """One 新建 :class:`ObjectChange` per instance (saved, with its key; all of one model); how many were written."""
    if not instances:
        return 0
    model = type(instances[0])
    if not is_tracked(model):
        raise ValueError(f"{label_of(model)} 不在变更记录的登记表中（changes.registry.TRACKED）")
    ctx = context.get()
    user = ctx.signed_in_user()
    name = person_name(user)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    ObjectChange.objects.bulk_create(
        (
            ObjectChange(
                user=user,
                user_name=name,
                request_id=ctx.request_id,
                source=ctx.source,
                action=ChangeAction.CREATE,
                content_type=content_type,
                object_id=instance.pk,
                object_repr=str(instance)[:300],
                before=None,
                after=serialise(instance),
            )
            for instance in instances
        ),
        batch_size=batch_size,
    )
    return len(instances)
