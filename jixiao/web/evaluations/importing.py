"""Importing an existing self-evaluation document: audit the upload, keep it, turn what it states into a record.

The upload is audited once (:func:`audit_upload`) and kept as an :class:`ImportedSource` without a record
(:func:`stage`); the confirmation page shows that audit, and confirming (:func:`import_staged`) builds the
:class:`Evaluation` from the same stored audit (:func:`to_evaluation`), so what is imported is exactly what
was shown, and the record can always be traced back to the file and the place each value was read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ...core.audit.checks import impossible
from ...core.audit.document import FACT_FIELDS, AuditedDocument, DocumentKind
from ...core.audit.evaluation import evaluation_data
from ...core.audit.source import Place
from ...core.locations import location_label
from ...core.model import Evaluation
from ...core.result import Severity
from ...io.audit.audit_file import AuditSettings
from ...io.audit.bounded import read_and_audit_bounded
from .. import scratch
from ..organisations.models import Organisation, person_name
from . import services, workflow
from .choices import Action
from .models import EvaluationRecord, ImportedSource, ImportMode

MAX_BYTES = 20 * 1024 * 1024
#: an upload not confirmed within this time is dropped
STAGED_FOR = dt.timedelta(days=1)
#: the rule set and indicator framework a new evaluation gets, so the audit judges it as the record will
DEFAULT_RULES: str = Evaluation.model_fields["rules"].default
DEFAULT_FRAMEWORK: str = Evaluation.model_fields["framework"].default


class DuplicateImport(Exception):
    """The same file was already imported for the same unit and year."""

    def __init__(self, record: EvaluationRecord) -> None:
        super().__init__(
            f"同一文件已导入为“{record.project_name}”（{record.year} 年度，{record.unit.name}），不能重复导入"
        )
        self.record = record


class StagedGone(Exception):
    """The upload was already imported, or dropped after :data:`STAGED_FOR`."""


# ------------------------------------------------------------------------------------------ reading


def audit_upload(data: bytes, file_name: str) -> AuditedDocument:
    """The audit of the uploaded bytes, read in a worker process bounded in time and memory (settings
    ``JIXIAO_READ_SECONDS``, ``JIXIAO_READ_MEGABYTES``); errors name the file as the user called it, not the
    temporary copy."""
    with scratch.folder("import-") as tmp:
        # not the user's name: it may be longer than the file system allows
        path = Path(tmp) / f"upload{Path(file_name).suffix.lower()}"
        path.write_bytes(data)
        return read_and_audit_bounded(
            path,
            AuditSettings.load(DEFAULT_RULES, DEFAULT_FRAMEWORK),
            name=file_name,
            seconds=getattr(settings, "JIXIAO_READ_SECONDS", None),
            megabytes=getattr(settings, "JIXIAO_READ_MEGABYTES", None),
        )[1]


def stage(data: bytes, file_name: str, doc: AuditedDocument, user: AbstractBaseUser) -> ImportedSource:
    """Keep a readable upload and its audit until the user confirms (dropping uploads nobody confirmed)."""
    ImportedSource.objects.filter(record__isnull=True, uploaded_at__lt=timezone.now() - STAGED_FOR).delete()
    return kept(file_name, data, doc.to_dict(), doc.risk, user)


def kept(
    file_name: str,
    data: bytes,
    audit: Mapping[str, Any],
    risk: Decimal | None,
    user: AbstractBaseUser | None,
    record: EvaluationRecord | None = None,
) -> ImportedSource:
    """The file stored byte for byte with its audit: staged (no record yet), or imported as ``record``'s draft."""
    return ImportedSource.objects.create(
        record=record,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        format=Path(file_name).suffix.lower().lstrip(".")[:10],
        content=data,
        audit=dict(audit),
        risk=risk,
        mode=ImportMode.DRAFT if record is not None else "",
        imported_by=user,
        imported_by_name=person_name(user),
        imported_at=timezone.now() if record is not None else None,
    )


def staged_for(user: AbstractBaseUser, pk: object) -> ImportedSource | None:
    """The user's own upload ``pk`` if it still awaits confirmation."""
    if not str(pk).isdigit():
        return None
    return ImportedSource.objects.filter(
        pk=int(str(pk)),
        record__isnull=True,
        imported_by=user,
        uploaded_at__gte=timezone.now() - STAGED_FOR,
    ).first()


def duplicate_of(sha256: str, unit: Organisation, year: int) -> EvaluationRecord | None:
    """A live record of ``unit`` and ``year`` already imported from a file with this digest."""
    source = (
        ImportedSource.objects.filter(
            sha256=sha256, record__unit=unit, record__year=year, record__deleted_at__isnull=True
        )
        .select_related("record__unit")
        .first()
    )
    return source.record if source is not None else None


# -------------------------------------------------------------------------------------- what was read


@dataclass(frozen=True, slots=True)
class FactRow:
    label: str
    value: str | None  # None: the document states nothing readable
    place: str
    text: str


@dataclass(frozen=True, slots=True)
class FindingRow:
    code: str
    severity: str
    severity_label: str
    location: str
    message: str


def _shown(value: object) -> str:
    # floats in the audit JSON are the shortest form of the figures read, so str() prints those digits
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(Decimal(str(value))) if isinstance(value, float) else str(value)


def fact_rows(audit: Mapping[str, Any]) -> list[FactRow]:
    """Every fact the audit reports, in ``FACT_FIELDS`` order, with where it was read."""
    facts = audit.get("facts") or {}
    provenance = audit.get("provenance") or {}
    rows = []
    for name, label in FACT_FIELDS.items():
        value = facts.get(name)
        where = provenance.get(name) or {}
        place = Place(where.get("page"), where.get("line"), where.get("cell")).label() if where else ""
        rows.append(FactRow(label, None if value is None else _shown(value), place, where.get("text", "")))
    return rows


def finding_rows(audit: Mapping[str, Any]) -> list[FindingRow]:
    return [
        FindingRow(
            code=f["id"],
            severity=f["severity"],
            severity_label=Severity(f["severity"]).label,
            location=location_label(f.get("location")),
            message=f["message"],
        )
        for f in audit.get("findings") or []
    ]


def kind_label(audit: Mapping[str, Any]) -> str:
    return DocumentKind(audit.get("kind", "unknown")).label


@dataclass(frozen=True, slots=True)
class SourcePanel:
    """What the record page shows of the file it was imported from."""

    source: ImportedSource
    facts: list[FactRow]
    kind: str


def panels_of(record: EvaluationRecord) -> list[SourcePanel]:
    """The files the record was imported from, latest first."""
    sources = ImportedSource.objects.filter(record=record).defer("content").order_by("-imported_at", "-pk")
    return [SourcePanel(source, fact_rows(source.audit), kind_label(source.audit)) for source in sources]


# ----------------------------------------------------------------------------------------- conversion


def to_evaluation(audit: Mapping[str, Any], *, name: str, year: int, unit: Organisation) -> Evaluation:
    """What the document states, as an evaluation of ``unit`` (name and year as the user confirmed them).

    Only what was read goes in: no placeholder indicators for points the document does not list, no fund
    row without a stated budget. The system's default rules and framework apply. Raises pydantic's
    ``ValidationError`` when a value read does not fit the model.
    """
    provenance = audit.get("provenance") or {}
    # a figure the audit found impossible (A010) is left out, as the audit left it out of its own evaluation
    facts = {name: value for name, value in (audit.get("facts") or {}).items() if not impossible(name, value)}
    data = evaluation_data(
        facts,
        audit.get("indicators") or [],
        project={
            "name": name,
            "year": year,
            "unit": unit.name,
            "department": unit.parent.name if unit.parent else None,
        },
        quotes={fact: where["text"] for fact, where in provenance.items() if where.get("text")},
        rules_id=DEFAULT_RULES,
        framework_id=DEFAULT_FRAMEWORK,
    )
    return Evaluation.model_validate(data)


# --------------------------------------------------------------------------------------------- import


@transaction.atomic
def import_staged(
    source_id: int, *, unit: Organisation, name: str, year: int, mode: str, user: AbstractBaseUser
) -> EvaluationRecord:
    """Create the record from the staged upload: a draft, or (for 财政 re-checking old submissions) submitted.

    Raises :class:`DuplicateImport`, :class:`StagedGone`, or pydantic's ``ValidationError``.
    """
    # Imports into one unit queue up here, so two people sending the same file cannot both pass the check.
    Organisation.objects.select_for_update().filter(pk=unit.pk).first()
    source = ImportedSource.objects.select_for_update().filter(pk=source_id, record__isnull=True).first()
    if source is None:
        raise StagedGone("这次上传已导入或已过期，请重新上传文件")
    existing = duplicate_of(source.sha256, unit, year)
    if existing is not None:
        raise DuplicateImport(existing)
    evaluation = to_evaluation(source.audit, name=name, year=year, unit=unit)
    note = f"从文件“{source.file_name}”导入"
    record = services.create(unit, evaluation, user, note)
    if mode == ImportMode.SUBMITTED:
        record = services.move(
            record.pk, Action.SUBMIT, user, f"{note}，登记为已提交的自评（财政复核历史材料）", gate=False
        )
    source.record = record
    source.mode = mode
    source.imported_at = timezone.now()
    source.save(update_fields=["record", "mode", "imported_at"])
    return record


# ------------------------------------------------------------------------------ into an existing record


def laid_over(current: Evaluation, read: Evaluation) -> Evaluation:
    """``current`` (an evaluation a 自评任务 opened, perhaps already holding an earlier file) with what a file
    states laid over it: the file's funds and indicators replace the record's when the file states any, its claims
    replace the record's one by one; the project keeps the task's identity, rules and framework. A 年初预算数 the
    file leaves out keeps the 项目清单's. (Merged as JSON, the form the record stores, so that every value goes
    through validation again in the form it is written.)"""
    data = current.model_dump(mode="json")
    stated = read.model_dump(mode="json")
    if read.funds:
        listed = data["funds"][0].get("initial_budget_wan") if data["funds"] else None
        data["funds"] = stated["funds"]
        if data["funds"][0].get("initial_budget_wan") is None and listed is not None:
            data["funds"][0]["initial_budget_wan"] = listed
    if read.indicators:
        data["indicators"] = stated["indicators"]
    data["claims"] = {**data["claims"], **read.claims.model_dump(mode="json", exclude_defaults=True)}
    return Evaluation.model_validate(data)


def touched_by_hand(record: EvaluationRecord) -> bool:
    """Whether someone has saved the record since it was opened, other than by importing files into it (each
    import is one revision)."""
    return record.revision > 1 + ImportedSource.objects.filter(record=record).count()


@dataclass(frozen=True, slots=True)
class ReceivedFile:
    """A file received for an existing evaluation, already audited (``audit`` is ``AuditedDocument.to_dict()``)."""

    name: str
    data: bytes
    sha256: str
    audit: Mapping[str, Any]
    risk: Decimal | None


def earlier_import(sha256: str) -> EvaluationRecord | None:
    """A live record already imported from a file with this digest: the same file is never imported twice."""
    source = (
        ImportedSource.objects.filter(sha256=sha256, record__isnull=False, record__deleted_at__isnull=True)
        .select_related("record__unit")
        .first()
    )
    return source.record if source is not None else None


@transaction.atomic
def import_into(record_id: int, received: ReceivedFile, user: AbstractBaseUser | None, how: str) -> ImportedSource:
    """Lay the file over the evaluation ``record_id`` of a 自评任务 and keep the file as its source.

    A 待填报 evaluation is started first (开始填报). Raises :class:`DuplicateImport`, ``services.NotAllowed``
    (the evaluation is submitted or further along, or deleted) or pydantic's ``ValidationError``.
    """
    record = EvaluationRecord.objects.select_for_update().filter(pk=record_id).first()
    if record is None:
        raise services.NotAllowed("对应的评价已被删除，未导入")
    existing = earlier_import(received.sha256)
    if existing is not None:
        raise DuplicateImport(existing)
    note = f"从文件“{received.name}”导入（{how}）"
    if workflow.step(Action.START, record.status) is not None:
        record = services.move(record.pk, Action.START, user, note)
    if record.status not in services.EDITABLE:
        raise services.NotAllowed(
            f"该项目的评价已{record.get_status_display()}，不能再导入文件；如需更正，须先退回单位"
        )
    current = Evaluation.model_validate(record.document)
    read = to_evaluation(received.audit, name=record.project_name, year=record.year, unit=record.unit)
    record = services.save(record.pk, laid_over(current, read), user, record.revision, note)
    return kept(received.name, received.data, received.audit, received.risk, user, record)


def keep_upload(record: EvaluationRecord, file_name: str, data: bytes, user: AbstractBaseUser | None) -> ImportedSource:
    """Keep a 附1 uploaded into ``record`` as its source, with what the audit reads from it: the same file can then
    never be uploaded twice, and the record shows where its figures came from."""
    doc = audit_upload(data, file_name)
    return kept(file_name, data, doc.to_dict(), doc.risk, user, record)
