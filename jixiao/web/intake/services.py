"""Receiving a batch of files for a 自评任务, and what happens to each: read, audit, match, import.

:func:`receive` keeps every file of the upload (the members of a zip, or the files chosen) in one transaction,
or refuses the whole upload with a Chinese reason and keeps nothing. The files are then processed in the
background (:mod:`.background`), each on its own: :func:`process` reads and audits it, matches it to a project
(``core.matching``) and imports it into that evaluation (``evaluations.importing.import_into``). A failure on one
file is that file's outcome, never the batch's, and an import is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from pydantic import ValidationError

from ...core.audit.document import AuditedDocument
from ...core.audit.source import SourceText
from ...io import archive
from ...io.audit.audit_file import AuditSettings
from ...io.audit.bounded import read_and_audit_bounded
from .. import scratch
from ..evaluations import importing
from ..evaluations.choices import Action, Status
from ..evaluations.edit_forms import model_problems
from ..evaluations.models import EvaluationRecord, ImportedSource
from ..evaluations.services import NotAllowed, move
from ..organisations.models import person_name
from ..tasks.models import Notice, Task
from ..tasks.reminders import recipients
from .matching import candidates_of, index_for
from .models import IntakeBatch, IntakeFile, Outcome

log = logging.getLogger(__name__)

#: how many files one background job handles (two workers share a batch job by job)
FILES_PER_JOB = 10


class UploadRefused(Exception):
    """The upload as a whole cannot be received; nothing was kept. The message is Chinese and names the file."""


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file as the web hands it over: its name and a stream of its bytes."""

    name: str
    stream: IO[bytes]
    size: int


def limits() -> dict[str, int]:
    return {
        "max_members": getattr(settings, "JIXIAO_INTAKE_MAX_FILES", archive.MAX_MEMBERS),
        "max_member_bytes": getattr(settings, "JIXIAO_INTAKE_MAX_FILE_BYTES", archive.MAX_MEMBER_BYTES),
        "max_total_bytes": getattr(settings, "JIXIAO_INTAKE_MAX_TOTAL_BYTES", archive.MAX_TOTAL_BYTES),
    }


# ------------------------------------------------------------------------------------------ receiving


def _members(uploads: Iterable[Upload]) -> Iterator[archive.Member]:
    bounds = limits()
    for upload in uploads:
        if upload.name.lower().endswith(".zip"):
            try:
                yield from archive.read_members(upload.stream, upload.name, **bounds)
            except archive.ArchiveRefused as exc:
                raise UploadRefused(str(exc)) from exc
        elif upload.size > bounds["max_member_bytes"]:
            yield archive.Member(
                upload.name,
                None,
                f"“{upload.name}”有 {archive.megabytes(upload.size)}，超过单个文件的上限 "
                f"{archive.megabytes(bounds['max_member_bytes'])}，未读取",
                upload.size,
            )
        else:
            data = upload.stream.read()
            yield archive.Member(upload.name, data, None, len(data))


def batch_name(uploads: list[Upload]) -> str:
    return uploads[0].name if len(uploads) == 1 else f"{uploads[0].name} 等 {len(uploads)} 个文件"


def receive(task: Task, uploads: list[Upload], user: AbstractBaseUser) -> IntakeBatch:
    """Keep every file of the upload as a batch of ``task`` and queue it; raises :class:`UploadRefused`."""
    if not uploads:
        raise UploadRefused("没有选择文件")
    bounds = limits()
    with transaction.atomic():
        batch = IntakeBatch.objects.create(
            task=task, name=batch_name(uploads)[:255], uploaded_by=user, uploaded_by_name=person_name(user)
        )
        first_of: dict[str, int] = {}
        count = 0
        for position, member in enumerate(_members(uploads), start=1):
            count = position
            if position > bounds["max_members"]:
                raise UploadRefused(f"一次上传的文件超过上限 {bounds['max_members']} 个，请分批上传")
            _keep(batch, position, member, first_of)
        if count == 0:
            raise UploadRefused(f"“{batch.name}”中没有文件")
    queued = list(batch.files.filter(outcome=Outcome.QUEUED).values_list("pk", flat=True))
    enqueue(queued)
    return batch


def _keep(batch: IntakeBatch, position: int, member: archive.Member, first_of: dict[str, int]) -> None:
    file = IntakeFile(batch=batch, position=position, name=member.name[:500], size=member.size)
    if member.data is None:
        file.outcome, file.reason, file.processed_at = Outcome.UNREADABLE, member.problem or "", timezone.now()
    else:
        file.sha256 = hashlib.sha256(member.data).hexdigest()
        file.content = member.data
        twin = first_of.setdefault(file.sha256, position)
        if twin != position:
            file.outcome, file.processed_at = Outcome.DUPLICATE, timezone.now()
            file.reason = f"与本批第 {twin} 个文件内容相同（SHA-256 一致），未重复导入"
    file.save()


def enqueue(file_ids: list[int]) -> None:
    """Hand the files to the background worker, :data:`FILES_PER_JOB` a job, once the transaction has committed."""
    from .background import process_files

    for start in range(0, len(file_ids), FILES_PER_JOB):
        chunk = file_ids[start : start + FILES_PER_JOB]
        transaction.on_commit(lambda chunk=chunk: process_files.enqueue(chunk))


# ---------------------------------------------------------------------------------------- processing


def _audit(data: bytes, name: str) -> tuple[SourceText | None, AuditedDocument]:
    """The file as read and its audit, read in a worker process bounded in time and memory, as uploads are."""
    task_settings = AuditSettings.load(importing.DEFAULT_RULES, importing.DEFAULT_FRAMEWORK)
    with scratch.folder("intake-") as tmp:
        path = Path(tmp) / f"file{Path(name).suffix.lower()}"
        path.write_bytes(data)
        return read_and_audit_bounded(
            path,
            task_settings,
            name=name,
            seconds=getattr(settings, "JIXIAO_READ_SECONDS", None),
            megabytes=getattr(settings, "JIXIAO_READ_MEGABYTES", None),
        )


def _texts(source: SourceText | None) -> list[str]:
    if source is None:
        return []
    return [line.text for line in source.lines] + [
        cell.text for table in source.tables for row in table.rows for cell in row if cell.text
    ]


def _finish(file: IntakeFile, outcome: str, reason: str = "", **fields: Any) -> None:
    file.outcome, file.reason, file.processed_at = outcome, reason, timezone.now()
    for name, value in fields.items():
        setattr(file, name, value)
    file.save()


def process(file_id: int) -> None:
    """Read, audit, match and import one queued file; its outcome says what happened. Never raises for the file's
    own faults (they are its outcome), so the rest of the batch goes on."""
    claimed = IntakeFile.objects.filter(pk=file_id, outcome=Outcome.QUEUED, claimed_at__isnull=True).update(
        claimed_at=timezone.now()
    )
    if not claimed:  # done or being done already (a job run twice), or the batch was removed
        return
    file = IntakeFile.objects.select_related("batch").get(pk=file_id)
    earlier = importing.earlier_import(file.sha256)
    if earlier is not None:
        _finish(file, Outcome.DUPLICATE, _already(earlier), record=earlier)
        return
    try:
        source, doc = _audit(bytes(file.content or b""), file.name)
    except Exception:  # a reader's own fault must not stop the batch: the file is reported, the error logged
        log.exception("批量接收：读取“%s”时出错", file.name)
        _finish(file, Outcome.UNREADABLE, f"“{file.name}”读取时出错，无法识别其内容；请检查文件后单独导入")
        return
    if doc.error:
        _finish(file, Outcome.UNREADABLE, doc.error)
        return
    audit = doc.to_dict()
    facts = audit.get("facts") or {}
    file.audit, file.risk = audit, Decimal(str(audit["risk"])) if audit.get("risk") is not None else None
    file.read_project = str(facts.get("project") or "")[:500]
    file.read_unit = str(facts.get("unit") or "")[:500]
    match = index_for(file.batch).match(
        text=_texts(source), project=facts.get("project"), unit=facts.get("unit"), file_name=file.name
    )
    file.how = match.how[:300]
    if match.key is None:
        candidates = [
            {"record": c.key, "similarity": round(c.similarity, 3), "reason": c.reason} for c in match.candidates
        ]
        _finish(file, Outcome.CONFIRM, match.how, candidates=candidates)
        return
    record = EvaluationRecord.objects.get(pk=match.key)
    if importing.touched_by_hand(record):
        reason = (
            f"{match.how}；但单位已在系统中修改过这份评价（第 {record.revision} 版），导入会以文件内容生成新的版本"
            "（原有内容保留在版本记录中），请确认"
        )
        _finish(file, Outcome.CONFIRM, reason, record=record, candidates=[_only(record.pk, match.how)])
        return
    import_file(file, record.pk, file.batch.uploaded_by, match.how)


def fail(file_id: int) -> None:
    """Mark a file whose processing broke off unexpectedly (the error is logged), so the batch can finish."""
    IntakeFile.objects.filter(pk=file_id, outcome=Outcome.QUEUED).update(
        outcome=Outcome.REFUSED,
        reason="处理这个文件时系统出错，未导入；请稍后单独导入，或联系系统管理员查看日志",
        processed_at=timezone.now(),
    )


def _only(record_id: int, reason: str) -> dict[str, Any]:
    return {"record": record_id, "similarity": 1.0, "reason": reason}


def _already(record: EvaluationRecord) -> str:
    return f"同一文件已导入为“{record.project_name}”（{record.year} 年度，{record.unit.name}），未重复导入"


def _budget_note(record: EvaluationRecord, audit: dict[str, Any]) -> str:
    """A difference between the budget the file states and the one the evaluation held before (the 项目清单's, or
    an earlier file's), for the officer to check; nothing when either is missing."""
    stated = (audit.get("facts") or {}).get("budget_wan")
    funds = record.document.get("funds") or []
    listed = funds[0].get("annual_budget_wan") if funds else None
    if stated is None or listed is None:
        return ""
    stated_wan, listed_wan = Decimal(str(stated)), Decimal(str(listed))
    if stated_wan == listed_wan:
        return ""
    return f"文件所述全年预算数 {stated_wan:,.2f} 万元，与此前的 {listed_wan:,.2f} 万元（项目清单或先导入的文件）不一致，请核对"


def import_file(file: IntakeFile, record_id: int, user: AbstractBaseUser | None, how: str) -> None:
    """Import ``file`` into the evaluation ``record_id``; the file's outcome records the result."""
    listed = EvaluationRecord.objects.select_related("unit").get(pk=record_id)
    received = importing.ReceivedFile(
        name=file.name.rsplit("/", 1)[-1],
        data=bytes(file.content or b""),
        sha256=file.sha256,
        audit=file.audit or {},
        risk=file.risk,
    )
    try:
        source = importing.import_into(record_id, received, user, how)
    except importing.DuplicateImport as exc:
        _finish(file, Outcome.DUPLICATE, _already(exc.record), record=exc.record)
    except NotAllowed as exc:
        _finish(file, Outcome.REFUSED, str(exc), record=listed)
    except ValidationError as exc:
        _finish(
            file, Outcome.REFUSED, "文件中的数值不符合要求，未导入：" + "；".join(model_problems(exc)), record=listed
        )
    else:
        note = _budget_note(listed, file.audit or {})
        _finish(file, Outcome.IMPORTED, note, record_id=record_id, source=source, content=None, how=how[:300])
        _tell_the_unit(listed, received.name, file.batch)


def _tell_the_unit(record: EvaluationRecord, file_name: str, batch: IntakeBatch) -> None:
    """An in-app notice to the unit's people: their evaluation now holds what their file says."""
    text = (
        f"【{batch.task.name}】{batch.uploaded_by_name}已把报送的文件“{file_name}”导入“{record.project_name}”的自评，"
        "请核对读取的内容"
    )
    url = reverse("evaluations:detail", args=[record.pk])
    Notice.objects.bulk_create(Notice(user=person, text=text, url=url) for person in recipients(record.unit))


# ------------------------------------------------------------------------------------ a person decides


class ChoiceRefused(Exception):
    """The chosen project cannot take the file (not in the task, or not visible to the person)."""


def choose(file: IntakeFile, record_id: int, user: AbstractBaseUser) -> None:
    """Import a file awaiting confirmation into the project a person chose."""
    if file.outcome != Outcome.CONFIRM:
        raise ChoiceRefused(f"“{file.name}”已处理（{file.get_outcome_display()}），无需再确认")
    if not candidates_of(file.batch).filter(pk=record_id).exists():
        raise ChoiceRefused(f"“{file.name}”：所选项目不在本任务中，或不在您的范围内")
    import_file(file, record_id, user, "人工确认")


def record_by_code(batch: IntakeBatch, code: str) -> EvaluationRecord | None:
    return candidates_of(batch).filter(project_code=code.strip()).first()


def skip(file: IntakeFile, user: AbstractBaseUser) -> None:
    if file.outcome == Outcome.CONFIRM:
        _finish(file, Outcome.SKIPPED, f"{person_name(user)}确认不导入")


#: a file taken by a worker this long ago and not finished was left by a worker that stopped (reading one file is
#: bounded far below it, by JIXIAO_READ_SECONDS); the setting JIXIAO_INTAKE_STALLED_SECONDS says otherwise
STALLED_AFTER = dt.timedelta(minutes=10)
#: the note on a file put back in the queue because the worker processing it stopped; stopping a worker twice fails it
RETRIED = "上次处理时后台处理进程中断，已自动重新安排处理"
GAVE_UP = (
    "后台处理进程两次在处理这个文件时中断（文件可能使读取程序崩溃），未导入；"
    "请检查文件后单独导入，或联系系统管理员查看日志"
)


def stalled_after() -> dt.timedelta:
    """How long a worker may show no sign of life on a job before it is taken for dead (:data:`STALLED_AFTER`)."""
    seconds = getattr(settings, "JIXIAO_INTAKE_STALLED_SECONDS", None)
    return STALLED_AFTER if seconds is None else dt.timedelta(seconds=float(seconds))


def stalled(batch: IntakeBatch) -> QuerySet[IntakeFile]:
    """Files no worker is on: never taken (the jobs were lost), or taken by a worker that stopped part-way."""
    waiting = batch.files.filter(outcome=Outcome.QUEUED)
    latest = waiting.aggregate(latest=Max("claimed_at"))["latest"] or batch.created_at
    if timezone.now() - latest < stalled_after():
        return IntakeFile.objects.none()  # still being worked on
    return waiting.filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - stalled_after()))


def recover(file_ids: list[int]) -> bool:
    """Put back in the queue the unfinished files of a job whose worker stopped part-way (killed, or its machine
    went down): True when that is done, or nothing is left to do; False while the job still shows signs of life (one
    of its files taken or finished within :func:`stalled_after`), so that the caller looks again later.

    The file the worker was on is retried once, and says so (:data:`RETRIED`); a file that stopped a worker twice is
    refused (:data:`GAVE_UP`). Files the job never reached go back without counting. A file whose import was
    committed just before the worker stopped is recorded as imported, not read again."""
    with transaction.atomic():
        files = list(IntakeFile.objects.select_for_update().filter(pk__in=file_ids).order_by("batch", "position"))
        waiting = [f for f in files if f.outcome == Outcome.QUEUED]
        if not waiting:
            return True
        moments = [t for f in files for t in (f.claimed_at, f.processed_at) if t is not None]
        if moments and timezone.now() - max(moments) < stalled_after():
            return False
        again = []
        for file in waiting:
            imported = (
                None
                if file.claimed_at is None
                else ImportedSource.objects.filter(
                    sha256=file.sha256, record__isnull=False, imported_at__gte=file.claimed_at
                ).first()
            )
            if imported is not None:
                _finish(file, Outcome.IMPORTED, "", record_id=imported.record_id, source=imported, content=None)
            elif file.claimed_at is not None and file.reason == RETRIED:
                _finish(file, Outcome.REFUSED, GAVE_UP)
            else:
                if file.claimed_at is not None:
                    file.reason = RETRIED
                file.claimed_at = None
                file.save(update_fields=["claimed_at", "reason"])
                again.append(file.pk)
        enqueue(again)
    return True


def retry(batch: IntakeBatch) -> int:
    """Queue again the files no worker is on; how many."""
    with transaction.atomic():
        waiting = list(stalled(batch).values_list("pk", flat=True))
        IntakeFile.objects.filter(pk__in=waiting).update(claimed_at=None)
        enqueue(waiting)
    return len(waiting)


def submit_imported(batch: IntakeBatch, user: AbstractBaseUser) -> int:
    """Register the drafts this batch imported as submitted (the units sent them as their official materials, so the
    submit gate is not applied: its gaps are what the review is for); how many."""
    done = 0
    for pk in imported_drafts(batch):
        try:
            move(pk, Action.SUBMIT, user, f"单位以文件报送，经批量接收“{batch.name}”后登记为已提交", gate=False)
        except NotAllowed:
            continue  # moved on meanwhile
        done += 1
    return done


def imported_drafts(batch: IntakeBatch) -> list[int]:
    """The evaluations this batch imported that are still drafts."""
    return list(
        EvaluationRecord.objects.filter(
            pk__in=batch.files.filter(outcome=Outcome.IMPORTED).values("record_id"), status=Status.DRAFT
        ).values_list("pk", flat=True)
    )
