"""Every change to an evaluation goes through here: validate, rescore, store a version, log the transition.

Views, imports and management commands all call these functions, so every write is versioned and
recorded whoever makes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ...core import EvaluationResult, evaluate
from ...core.locations import location_label
from ...core.model import Evaluation
from ...core.values import quantize
from ...io.catalogue import load_framework, load_rules
from ..organisations.models import Organisation, person_name
from . import workflow
from .choices import Action, Status
from .models import EvaluationRecord, EvaluationVersion, StoredFinding, Transition
from .submit_gate import gate_of
from .workflow import EDITABLE


class ConcurrentEdit(Exception):
    """Someone else saved first; the later save is refused and nothing is overwritten."""


class NotAllowed(Exception):
    """The action is not allowed in the evaluation's current status."""


class Gone(NotAllowed):
    """The evaluation was deleted (by someone else, a moment ago): there is nothing left to act on."""

    def __init__(self) -> None:
        super().__init__("这份评价已被删除（可能是他人刚刚删除的），操作未执行")


def _locked(record_id: int) -> EvaluationRecord:
    """The live record, locked for the rest of the transaction; :class:`Gone` if it was deleted meanwhile (the
    loser of a race is told so in Chinese, never with a server error)."""
    record = EvaluationRecord.objects.select_for_update().filter(pk=record_id).first()
    if record is None:
        raise Gone()
    return record


def _live(record_id: int) -> EvaluationRecord:
    record = EvaluationRecord.objects.filter(pk=record_id).first()
    if record is None:
        raise Gone()
    return record


def score(evaluation: Evaluation) -> EvaluationResult:
    return evaluate(evaluation, load_rules(evaluation.rules), load_framework(evaluation.framework))


def result_of(record: EvaluationRecord) -> EvaluationResult:
    return score(Evaluation.model_validate(record.document))


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else quantize(value)


def _apply(record: EvaluationRecord, evaluation: Evaluation) -> EvaluationResult:
    """Put the document and everything computed from it on the record (not saved)."""
    result = score(evaluation)
    record.document = evaluation.model_dump(mode="json", exclude_defaults=False)
    record.year = evaluation.project.year
    record.project_name = evaluation.project.name
    f = result.funds
    record.budget_wan = f.budget_wan
    record.spent_wan = f.spent_wan
    record.arrival_rate = _q(f.arrival_rate.value)
    record.execution_rate = _q(f.execution_rate.value)
    record.claimed_score = _q(evaluation.claims.total_score)
    record.claimed_grade = evaluation.claims.grade or ""
    record.computed_score = _q(result.total.value)
    record.computed_grade = result.grade or ""
    record.max_attainable = _q(result.max_attainable.value)
    record.error_count = sum(1 for x in result.findings if x.severity.value == "error")
    record.warning_count = sum(1 for x in result.findings if x.severity.value == "warning")
    return result


def _store_findings(record: EvaluationRecord, result: EvaluationResult) -> None:
    record.findings.all().delete()
    StoredFinding.objects.bulk_create(
        StoredFinding(record=record, code=x.id, severity=x.severity.value, message=x.message, location=x.location or "")
        for x in result.findings
    )


def _version(record: EvaluationRecord, user: AbstractBaseUser | None, summary: str) -> EvaluationVersion:
    number = (record.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return EvaluationVersion.objects.create(
        record=record,
        number=number,
        document=record.document,
        summary=summary,
        author=user,
        author_name=person_name(user),
    )


def _log(record: EvaluationRecord, action: str, old: str, user: AbstractBaseUser | None, comment: str = "") -> None:
    Transition.objects.create(
        record=record,
        action=action,
        from_status=old,
        to_status=record.status,
        actor=user,
        actor_name=person_name(user),
        comment=comment,
    )


@transaction.atomic
def create(
    unit: Organisation,
    evaluation: Evaluation,
    user: AbstractBaseUser | None,
    summary: str = "新建",
    *,
    status: str = Status.DRAFT,
    **fields: Any,
) -> EvaluationRecord:
    """A new record of ``unit`` (a draft, or 待填报 when a 自评任务 opens it; ``fields`` are further columns such
    as the task and the 项目编码)."""
    record = EvaluationRecord(status=status, **fields)
    record.place(unit)
    result = _apply(record, evaluation)
    record.save()
    _store_findings(record, result)
    _version(record, user, summary)
    _log(record, Action.CREATE, "", user, summary)
    return record


@dataclass(frozen=True)
class NewRecord:
    """One record for :func:`create_many`: as the arguments of one :func:`create`."""

    unit: Organisation
    evaluation: Evaluation
    summary: str = "新建"
    fields: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def create_many(
    items: Sequence[NewRecord],
    user: AbstractBaseUser | None,
    *,
    status: str = Status.DRAFT,
    hidden_at: dt.datetime | None = None,
) -> list[EvaluationRecord]:
    """Many new records at once, each as :func:`create` makes it (scored by :func:`_apply`, its findings, version 1
    and its 新建 transition), written with a few ``bulk_create`` statements instead of some ten queries a record.

    ``bulk_create`` sends no signals, so the change records are written here (``changes.bulk``). With
    ``hidden_at`` the records are stored soft-deleted at that time, so that no page, list or count shows them,
    and without change records: a 自评任务 opened in the background builds its evaluations so and shows them all
    at once at the end (``tasks.services``), writing their 新建 records then."""
    from ..changes.bulk import record_created

    records: list[EvaluationRecord] = []
    results: list[EvaluationResult] = []
    for item in items:
        record = EvaluationRecord(status=status, deleted_at=hidden_at, **item.fields)
        record.place(item.unit)
        results.append(_apply(record, item.evaluation))
        records.append(record)
    EvaluationRecord.all_objects.bulk_create(records)
    StoredFinding.objects.bulk_create(
        StoredFinding(record=record, code=x.id, severity=x.severity.value, message=x.message, location=x.location or "")
        for record, result in zip(records, results, strict=True)
        for x in result.findings
    )
    name = person_name(user)
    EvaluationVersion.objects.bulk_create(
        EvaluationVersion(
            record=record, number=1, document=record.document, summary=item.summary, author=user, author_name=name
        )
        for record, item in zip(records, items, strict=True)
    )
    Transition.objects.bulk_create(
        Transition(
            record=record,
            action=Action.CREATE,
            from_status="",
            to_status=record.status,
            actor=user,
            actor_name=name,
            comment=item.summary,
        )
        for record, item in zip(records, items, strict=True)
    )
    if hidden_at is None:
        record_created(records)
    return records


def _render_published(record_id: int) -> None:
    from .background import render_published  # (the documents' module reads this one)

    render_published.enqueue(record_id)


def changed_parts(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Top-level parts of the document that differ, by their Chinese titles."""
    titles = {name: (info.title or name) for name, info in Evaluation.model_fields.items()}
    return [titles[k] for k in titles if before.get(k) != after.get(k)]


@transaction.atomic
def save(
    record_id: int, evaluation: Evaluation, user: AbstractBaseUser | None, expected_revision: int, summary: str = ""
) -> EvaluationRecord:
    """Store a new document if nobody saved since ``expected_revision``; rescore and keep a version."""
    record = _locked(record_id)
    if record.revision != expected_revision:
        raise ConcurrentEdit(
            f"保存被拒绝：本评价已被他人修改（您打开的是第 {expected_revision} 版，当前为第 {record.revision} 版）。"
            "您的修改未保存，请刷新页面查看最新内容后重新修改。"
        )
    if record.status not in EDITABLE:
        raise NotAllowed(f"当前状态为“{record.get_status_display()}”，不能修改")
    before = record.document
    result = _apply(record, evaluation)
    parts = changed_parts(before, record.document)
    if not parts:
        return record
    record.revision += 1
    record.save()
    _store_findings(record, result)
    _version(record, user, summary or "修改：" + "、".join(parts))
    return record


#: the longest explanation of one finding (characters)
EXPLANATION_MAX = 1000


@transaction.atomic
def explain(
    record_id: int, key: str, text: str, user: AbstractBaseUser | None, expected_revision: int
) -> EvaluationRecord:
    """Store the unit's written explanation of the current finding ``key`` (empty text removes it), as a version."""
    record = _live(record_id)
    result = result_of(record)
    finding = next((f for f in result.findings if f.key == key), None)
    if finding is None:
        raise NotAllowed("这条检查发现已不存在（可能已在修改后消除），请刷新页面")
    text = text.strip()
    if len(text) > EXPLANATION_MAX:
        raise NotAllowed(f"说明不能超过 {EXPLANATION_MAX} 字（现为 {len(text)} 字）")
    evaluation = result.evaluation.model_copy(deep=True)
    if text:
        evaluation.explanations[key] = text
    else:
        evaluation.explanations.pop(key, None)
    verb = "说明" if text else "撤回说明"
    return save(
        record_id,
        evaluation,
        user,
        expected_revision,
        f"{verb}检查发现 {finding.id}（{location_label(finding.location)}）",
    )


@transaction.atomic
def restore(
    record_id: int, version_number: int, user: AbstractBaseUser | None, expected_revision: int
) -> EvaluationRecord:
    record = _live(record_id)
    version = record.versions.get(number=version_number)
    evaluation = Evaluation.model_validate(version.document)
    return save(record_id, evaluation, user, expected_revision, f"恢复为第 {version_number} 版")


@transaction.atomic
def soft_delete(record_id: int, user: AbstractBaseUser | None) -> None:
    record = _locked(record_id)
    if record.status not in EDITABLE:
        raise NotAllowed("只有草稿或已退回的评价可以删除")
    record.deleted_at = timezone.now()
    record.save(update_fields=["deleted_at"])
    _log(record, Action.DELETE, record.status, user, "删除（可由系统管理员恢复）")


@transaction.atomic
def undelete(record_id: int, user: AbstractBaseUser | None) -> EvaluationRecord | None:
    """Bring back a soft-deleted record (系统管理员, from the admin), logged like every other step; None when it is
    not deleted (any more: someone else restored it first)."""
    record = EvaluationRecord.all_objects.select_for_update().filter(pk=record_id, deleted_at__isnull=False).first()
    if record is None:
        return None
    record.deleted_at = None
    record.save(update_fields=["deleted_at", "updated_at"])
    _log(record, Action.UNDELETE, record.status, user, "系统管理员恢复已删除的评价")
    return record


@transaction.atomic
def move(
    record_id: int,
    action: str,
    user: AbstractBaseUser | None,
    comment: str = "",
    review_score: Decimal | None = None,
    *,
    gate: bool = True,
) -> EvaluationRecord:
    """Apply a lifecycle action; a return needs a comment, a 复核 needs a score, a submission an open gate.

    ``gate=False`` registers a submission whatever it lacks: only for 财政 importing a unit's past materials,
    whose gaps are what the 复核 is for.
    """
    record = _locked(record_id)
    taken = workflow.step(action, record.status)
    if taken is None:
        raise NotAllowed(f"当前状态为“{record.get_status_display()}”，不能执行“{Action(action).label}”")
    if taken.needs_comment and not comment.strip():
        raise NotAllowed(f"{Action(action).label}时必须填写{Action(action).label}意见")
    if taken.gated and gate:
        closed = gate_of(result_of(record))
        if closed.blocked:
            raise NotAllowed(closed.refusal())
    old = record.status
    record.status = taken.target
    if action == Action.SUBMIT:
        record.submitted_at = timezone.now()
    if taken.needs_score:
        if review_score is None:
            raise NotAllowed("财政复核须填写复核得分")
        rules = load_rules(record.document.get("rules", "mof-2020"))
        record.review_score = review_score
        record.review_grade = rules.grade_for(review_score)
        record.review_comment = comment
    if action == Action.PUBLISH:
        record.published_at = timezone.now()
        if getattr(settings, "JIXIAO_RENDER_ON_PUBLISH", True):
            transaction.on_commit(lambda: _render_published(record.pk))
    record.save()
    _log(record, action, old, user, comment)
    return record
