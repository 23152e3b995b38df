"""Signal handlers writing an :class:`~.models.ObjectChange` for each save and delete of a tracked model.

``pre_save`` reads the row as it is in the database (one query by key) when the object exists; ``post_save``
writes a 新建 or 修改 record, skipping a 修改 that changed nothing but ``auto_now`` columns. ``pre_delete`` takes the
snapshot and ``post_delete`` writes the 删除 record (cascaded deletions included: Django sends their signals too).
The records are written in the same transaction as the change, so a rolled-back change leaves none.

Not recorded: ``QuerySet.update()``, ``bulk_create()``, ``bulk_update()`` and raw SQL, which send no signals; nor
fixture loading (``raw`` saves). Code that must leave a trace changes objects one by one through ``save()``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from ..organisations.models import person_name
from . import context
from .models import ChangeAction, ObjectChange
from .registry import ignored_in_comparison, serialise, tracked_models

#: where a snapshot waits on the instance between the pre_ and post_ signals
BEFORE = "_change_before"


def _record(instance: models.Model, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    ctx = context.get()
    user = ctx.signed_in_user()
    ObjectChange.objects.create(
        user=user,
        user_name=person_name(user),
        request_id=ctx.request_id,
        source=ctx.source,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance), for_concrete_model=True),
        object_id=instance.pk,
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    before = None
    if not raw and instance.pk is not None:
        stored = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk).first()
        before = serialise(stored) if stored is not None else None
    setattr(instance, BEFORE, before)


def _post_save(sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **_: Any) -> None:
    if raw:
        return
    before = instance.__dict__.pop(BEFORE, None)
    after = serialise(instance)
    if created or before is None:
        _record(instance, ChangeAction.CREATE, None, after)
        return
    ignored = ignored_in_comparison(sender)
    if {k: v for k, v in before.items() if k not in ignored} == {k: v for k, v in after.items() if k not in ignored}:
        return
    _record(instance, ChangeAction.UPDATE, before, after)


def _pre_delete(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    setattr(instance, BEFORE, (instance.pk, serialise(instance)))


def _post_delete(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    pk, before = instance.__dict__.pop(BEFORE, (instance.pk, serialise(instance)))
    if instance.pk is None:
        instance.pk = pk
    _record(instance, ChangeAction.DELETE, before, None)


def connect() -> None:
    """Connect the handlers to every tracked model (called from the app's ``ready()``)."""
    for model in tracked_models():
        uid = f"changes:{model._meta.label_lower}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=f"{uid}:pre_save")
        post_save.connect(_post_save, sender=model, dispatch_uid=f"{uid}:post_save")
        pre_delete.connect(_pre_delete, sender=model, dispatch_uid=f"{uid}:pre_delete")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=f"{uid}:post_delete")
