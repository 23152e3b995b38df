"""The 复核 of one evaluation: its sheet, threads, evidence and problems, and finishing it.

Each write locks the evaluation first (``services._locked``), so a 复核 saved while the unit or another reviewer
moves the evaluation on is refused in Chinese rather than written against a status that no longer allows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ...core.document_diff import FieldChange, diff_documents
from ...core.model import Evaluation
from ...core.result import EvaluationResult
from ...core.review import EXECUTION_KEY, ReviewEntry, ReviewSheet, check_score, review_sheet
from ..evaluations import services as evaluation_services
from ..evaluations.choices import Action
from ..evaluations.models import EvaluationRecord, EvaluationVersion
from ..organisations.models import person_name
from ..tasks.models import Notice
from ..tasks.reminders import recipients
from . import evidence as evidence_files
from .access import SHEET_OPEN
from .models import Evidence, IndicatorReview, ReviewMessage, ReviewProblem, Side

NotAllowed = evaluation_services.NotAllowed
#: the longest message, comment or problem text (characters)
TEXT_MAX = 2000


def entries_of(record: EvaluationRecord) -> dict[str, ReviewEntry]:
    return {
        row.key: ReviewEntry(row.score, row.comment)
        for row in IndicatorReview.objects.filter(record=record).only("key", "score", "comment")
    }


def sheet_of(record: EvaluationRecord, result: EvaluationResult | None = None) -> ReviewSheet:
    """The 复核 sheet of ``record`` (``result``: its engine result, when the caller has it already)."""
    return review_sheet(result or evaluation_services.result_of(record), entries_of(record))


def check_key(record: EvaluationRecord, key: str) -> None:
    """A line key posted from the page: empty (the evaluation as a whole) or a line the sheet still has."""
    if key and key not in {line.key for line in sheet_of(record).lines}:
        raise NotAllowed("该指标已不在指标表中，请刷新页面")


def has_sheet(record: EvaluationRecord) -> bool:
    return IndicatorReview.objects.filter(record=record, score__isnull=False).exists()


def line_names(sheet: ReviewSheet) -> dict[str, str]:
    """Each line's key → how people name it (「产出指标 / 数量指标 / 科普活动场次」)."""
    return {line.key: " / ".join(line.path) if line.path else EXECUTION_KEY for line in sheet.lines}


@transaction.atomic
def save_sheet(record_id: int, values: Mapping[str, tuple[str, str]], user: AbstractBaseUser | None) -> ReviewSheet:
    """Store the reviewer's (score text, comment) per line key; every line is checked before anything is written.

    Raises ``NotAllowed`` with every problem, one per line, when any score cannot stand or the status has moved on.
    """
    record = evaluation_services._locked(record_id)
    if record.status not in SHEET_OPEN:
        raise NotAllowed(f"当前状态为“{record.get_status_display()}”，不能修改复核得分")
    result = evaluation_services.result_of(record)
    sheet = sheet_of(record, result)
    names = line_names(sheet)
    problems: list[str] = []
    checked: dict[str, tuple[Decimal | None, str]] = {}
    for line in sheet.lines:
        if line.key not in values:
            continue
        text, comment = values[line.key]
        comment = comment.strip()
        if len(comment) > TEXT_MAX:
            problems.append(f"“{names[line.key]}”的复核说明超过 {TEXT_MAX} 字")
            continue
        try:
            score = check_score(names[line.key], line.points, text)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if score is not None and score != line.computed and not comment:
            problems.append(f"“{names[line.key]}”的复核得分与计算得分不同，须填写复核说明")
            continue
        checked[line.key] = (score, comment)
    if problems:
        raise NotAllowed("；".join(problems))
    name = person_name(user)
    existing = {row.key: row for row in IndicatorReview.objects.filter(record=record)}
    for key, (score, comment) in checked.items():
        row = existing.get(key)
        if row is None:
            if score is None and not comment:
                continue
            row = IndicatorReview(record=record, key=key)
        elif row.score == score and row.comment == comment:
            continue
        row.score, row.comment, row.reviewer, row.reviewer_name = score, comment, user, name
        row.save()
    return sheet_of(record, result)


def _notify(record: EvaluationRecord, to: str, text: str, anchor: str = "") -> None:
    """A notice to the other side: the unit's people, or the reviewers of its 财政局."""
    url = reverse("review:workbench", args=[record.pk]) + anchor
    if to == Side.UNIT:
        people = recipients(record.unit)
    else:
        people = recipients(record.finance) if record.finance_id else []
    Notice.objects.bulk_create(Notice(user=person, text=text, url=url) for person in people)


def _latest_version(record: EvaluationRecord) -> int | None:
    return record.versions.order_by("-number").values_list("number", flat=True).first()


@dataclass(frozen=True)
class Upload:
    file: IO[bytes]
    name: str
    size: int


@transaction.atomic
def post_message(
    record_id: int,
    *,
    side: str,
    kind: str,
    key: str,
    body: str,
    user: AbstractBaseUser | None,
    reply_to: int | None = None,
    upload: Upload | None = None,
) -> ReviewMessage:
    """A message on the evaluation's thread (``key`` empty) or an indicator's; a query by the reviewer, an answer
    (to an open query) or a comment by either side; an attached file becomes evidence of the same line."""
    record = evaluation_services._locked(record_id)
    check_key(record, key)
    body = body.strip()
    if not body and upload is None:
        raise NotAllowed("请填写内容或附上佐证材料")
    if len(body) > TEXT_MAX:
        raise NotAllowed(f"内容超过 {TEXT_MAX} 字")
    if kind == ReviewMessage.Kind.QUERY and side != Side.REVIEWER:
        raise NotAllowed("只有复核方可以发出问询")
    query = None
    if kind == ReviewMessage.Kind.ANSWER:
        query = ReviewMessage.objects.filter(pk=reply_to, record=record, kind=ReviewMessage.Kind.QUERY).first()
        if query is None or side != Side.UNIT:
            raise NotAllowed("答复须针对本评价的一条问询")
        key = query.key
    message = ReviewMessage.objects.create(
        record=record,
        key=key,
        kind=kind,
        side=side,
        body=body or "（附佐证材料）",
        reply_to=query,
        version=_latest_version(record),
        author=user,
        author_name=person_name(user),
    )
    if upload is not None:
        add_evidence(record, side=side, key=key, upload=upload, user=user, message=message)
    if query is not None and query.answered_at is None:
        query.answered_at = timezone.now()
        query.save(update_fields=["answered_at"])
    other = Side.UNIT if side == Side.REVIEWER else Side.REVIEWER
    what = {"query": "提出复核问询", "answer": "答复了复核问询", "comment": "留言"}[kind]
    _notify(record, other, f"{person_name(user)}对“{record.project_name}”{what}：{body[:60]}", f"#message-{message.pk}")
    return message


def add_evidence(
    record: EvaluationRecord,
    *,
    side: str,
    key: str,
    upload: Upload,
    user: AbstractBaseUser | None,
    message: ReviewMessage | None = None,
) -> Evidence:
    """Check and keep a file (``EvidenceRefused`` when it cannot be), then record it. The file is written before the
    row: a failed transaction leaves at most an unreferenced file, never a row without its file."""
    stored = evidence_files.store(upload.file, upload.name, upload.size)
    return Evidence.objects.create(
        record=record,
        key=key,
        message=message,
        file_name=upload.name[:255],
        kind=stored.sniffed.kind,
        media_type=stored.sniffed.media_type,
        sha256=stored.sha256,
        size=stored.size,
        side=side,
        uploaded_by=user,
        uploaded_by_name=person_name(user),
    )


@transaction.atomic
def attach(record_id: int, *, side: str, key: str, upload: Upload, user: AbstractBaseUser | None) -> Evidence:
    record = evaluation_services._locked(record_id)
    check_key(record, key)
    item = add_evidence(record, side=side, key=key, upload=upload, user=user)
    other = Side.UNIT if side == Side.REVIEWER else Side.REVIEWER
    _notify(record, other, f"{person_name(user)}为“{record.project_name}”上传了佐证材料“{item.file_name}”", "#evidence")
    return item


@transaction.atomic
def add_problem(
    record_id: int, *, key: str, problem: str, requirement: str, user: AbstractBaseUser | None
) -> ReviewProblem:
    record = evaluation_services._locked(record_id)
    if record.status not in SHEET_OPEN:
        raise NotAllowed(f"当前状态为“{record.get_status_display()}”，不能再记录问题")
    check_key(record, key)
    problem, requirement = problem.strip(), requirement.strip()
    if not problem or not requirement:
        raise NotAllowed("请填写发现的问题和整改要求")
    if len(problem) > TEXT_MAX or len(requirement) > TEXT_MAX:
        raise NotAllowed(f"问题或整改要求超过 {TEXT_MAX} 字")
    return ReviewProblem.objects.create(
        record=record,
        key=key,
        problem=problem,
        requirement=requirement,
        created_by=user,
        created_by_name=person_name(user),
    )


@transaction.atomic
def remove_problem(record_id: int, problem_id: int) -> None:
    record = evaluation_services._locked(record_id)
    if record.status not in SHEET_OPEN:
        raise NotAllowed(f"当前状态为“{record.get_status_display()}”，不能再修改问题")
    ReviewProblem.objects.filter(pk=problem_id, record=record).delete()


@transaction.atomic
def finish(
    record_id: int, *, conclusion: str, due: dt.date, user: AbstractBaseUser | None
) -> tuple[EvaluationRecord, ReviewSheet]:
    """The lifecycle's 「财政复核」 with the sheet's 复核 total as the 复核得分; opens the 整改事项 of the error findings
    and the problems found (due on ``due``) and tells the unit."""
    record = evaluation_services._locked(record_id)
    sheet = sheet_of(record)
    total = sheet.review_total.value
    if total is None:
        raise NotAllowed(f"复核总分无法得出：{sheet.review_total.explanation.formula}")
    record = evaluation_services.move(record.pk, Action.REVIEW, user, conclusion.strip(), total)
    from ..results.services import open_rectifications

    opened = open_rectifications(record, user, due, notify=False)
    _notify(
        record,
        Side.UNIT,
        f"“{record.project_name}”财政复核已完成：复核得分 {total:.2f} 分（{record.review_grade}）"
        + (f"，须整改事项 {len(opened)} 项" if opened else ""),
    )
    return record, sheet


@dataclass(frozen=True)
class QueryChanges:
    """What the unit changed in the evaluation since a query was asked."""

    query: ReviewMessage
    since: int | None  # the version at the query
    now: int | None
    changes: list[FieldChange]


def changes_since(record: EvaluationRecord, queries: list[ReviewMessage]) -> list[QueryChanges]:
    """Per query (newest first), the fields changed between the version it was asked at and the latest one."""
    numbers = {q.version for q in queries if q.version is not None}
    latest = _latest_version(record)
    if latest is not None:
        numbers.add(latest)
    documents = {
        v.number: Evaluation.model_validate(v.document)
        for v in EvaluationVersion.objects.filter(record=record, number__in=numbers).only("number", "document")
    }
    out = []
    for query in sorted(queries, key=lambda q: q.pk, reverse=True):
        before, after = documents.get(query.version or -1), documents.get(latest or -1)
        changed = (
            diff_documents(before, after) if before is not None and after is not None and before is not after else []
        )
        out.append(QueryChanges(query, query.version, latest, changed))
    return out
