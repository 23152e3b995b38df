"""Opening a 监控批次 (a record per approved declaration of the 财政局's tree), saving a unit's figures with their
warnings, and submitting."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ...core.monitoring import Assessment, IndicatorProgress, MonitoringRecord, Problem, assess, problems
from ...io.monitoring.presets import load_warning_preset
from ..changes.bulk import record_created
from ..evaluations.services import ConcurrentEdit, NotAllowed
from ..organisations.models import Membership, Organisation, OrganisationKind, person_name
from ..targets.choices import DeclarationStatus
from ..targets.models import TargetDeclaration
from ..tasks.models import Notice
from ..tasks.reminders import TOLD, recipients
from .models import MonitoringRecord as StoredRecord
from .models import MonitoringRound, RecordStatus


class Incomplete(Exception):
    """The record cannot be saved or submitted as it is; ``problems`` say why, in Chinese, per field."""

    def __init__(self, found: list[Problem]) -> None:
        super().__init__("；".join(p.message for p in found))
        self.problems = found


def approved_declarations(finance: Organisation, year: int):  # type: ignore[no-untyped-def]
    return TargetDeclaration.objects.filter(finance=finance, year=year, status=DeclarationStatus.APPROVED)


def initial_document(declaration: TargetDeclaration, monitoring_date: dt.date) -> MonitoringRecord:
    """The record a unit starts from: the approved targets' indicators and 资金总额, nothing filled in yet."""
    parsed = declaration.parsed()
    return MonitoringRecord(
        project=declaration.project_name,
        year=declaration.year,
        unit=declaration.unit.name,
        department=declaration.department.name if declaration.department else None,
        monitoring_date=monitoring_date,
        requested_wan=parsed.total_wan,
        annual_budget_wan=parsed.total_wan,
        indicators=[
            IndicatorProgress(path=[at.first, at.second, at.leaf.name], target=at.leaf.target_text())
            for at in parsed.leaves()
        ],
    )


#: how many monitoring records one INSERT writes when a round is opened
ROUND_BATCH = 500


@transaction.atomic
def open_round(
    finance: Organisation,
    year: int,
    monitoring_date: dt.date,
    preset: str,
    mode: str,
    due_date: dt.date,
    user: AbstractBaseUser | None,
) -> MonitoringRound:
    load_warning_preset(preset)  # an unknown preset is refused before anything is written
    if MonitoringRound.objects.filter(finance=finance, monitoring_date=monitoring_date).exists():
        raise NotAllowed(f"{finance.name}在监控时点 {monitoring_date:%Y-%m-%d} 已有监控批次")
    declarations = list(approved_declarations(finance, year).select_related("unit", "department"))
    if not declarations:
        raise NotAllowed(f"{finance.name}{year}年度没有已批复的绩效目标申报，无法新建监控")
    stored = MonitoringRound.objects.create(
        finance=finance, year=year, monitoring_date=monitoring_date, preset=preset, time_progress_mode=mode,
        due_date=due_date, created_by=user, created_by_name=person_name(user),
    )  # fmt: skip
    _create_records(stored, declarations)
    return stored


@transaction.atomic
def add_late_approvals(pk: int) -> int:
    """Records for the declarations of the round's year approved since it was opened; how many were added (their
    units are told, as at the opening)."""
    stored = MonitoringRound.objects.select_for_update().get(pk=pk)
    there = stored.records.values("declaration_id")
    late = approved_declarations(stored.finance, stored.year).exclude(pk__in=there)
    declarations = list(late.select_related("unit", "department"))
    _create_records(stored, declarations)
    return len(declarations)


def _create_records(stored: MonitoringRound, declarations: list[TargetDeclaration]) -> None:
    """One record per declaration; a province opens thousands at once: in batches, each row still with its 新建 change
    record."""
    for start in range(0, len(declarations), ROUND_BATCH):
        created = StoredRecord.objects.bulk_create(
            StoredRecord(
                round=stored,
                declaration=declaration,
                unit_id=declaration.unit_id,
                department_id=declaration.department_id,
                finance_id=declaration.finance_id,
                project_name=declaration.project_name,
                document=initial_document(declaration, stored.monitoring_date).model_dump(mode="json"),
            )
            for declaration in declarations[start : start + ROUND_BATCH]
        )
        record_created(created)
    if declarations:
        _tell_units(stored, [d.unit_id for d in declarations])


def assessment_of(record: StoredRecord, document: MonitoringRecord | None = None) -> Assessment:
    return assess(
        document or record.parsed(), load_warning_preset(record.round.preset), record.round.time_progress_mode
    )


@transaction.atomic
def save(
    pk: int, document: MonitoringRecord, user: AbstractBaseUser | None, expected_revision: int, submit: bool = False
) -> StoredRecord:
    """Store ``document`` with its warnings; with ``submit``, also submit it. Contradictions (a 纠偏措施 missing for
    an indicator not 确定能) refuse even a draft; what is merely not filled in yet refuses only the submission."""
    record = StoredRecord.objects.select_for_update().select_related("round").get(pk=pk)
    if record.status != RecordStatus.DRAFT:
        raise NotAllowed(f"当前状态为“{record.get_status_display()}”，不能修改")
    if record.revision != expected_revision:
        raise ConcurrentEdit("该监控记录已被他人修改，请刷新页面后重新填写")
    found = problems(document)
    if not submit:
        found = [p for p in found if not p.missing]
    if found:
        raise Incomplete(found)
    assessment = assessment_of(record, document)
    record.document = document.model_dump(mode="json")
    record.warnings = [
        {"rule_id": w.rule_id, "level": w.level.value, "level_label": w.level.label, "message": w.message,
         "indicator": w.indicator}
        for w in assessment.warnings
    ]  # fmt: skip
    record.warning_count = len(assessment.warnings)
    record.warning_rules = "".join(f",{w.rule_id}" for w in assessment.warnings) + ("," if assessment.warnings else "")
    record.revision += 1
    if submit:
        record.status = RecordStatus.SUBMITTED
        record.submitted_at = timezone.now()
        record.return_comment = record.returned_by_name = ""
    record.save()
    if submit and record.warning_count and record.department is not None:
        url = reverse("monitoring:record", args=[record.pk])
        text = (
            f"【运行监控】{record.unit.name}“{record.project_name}”（截至 {record.round.monitoring_date:%Y-%m-%d}）"
            f"已提交，触发预警 {record.warning_count} 条，请关注。"
        )
        Notice.objects.bulk_create(Notice(user=person, text=text, url=url) for person in recipients(record.department))
    return record


def _tell_units(stored: MonitoringRound, unit_ids: list[int]) -> None:
    """One notice to each unit's 填报人 and 单位负责人: how many of its projects the new round asks for, by when."""
    counts = Counter(unit_ids)
    members = Membership.objects.filter(
        organisation_id__in=counts, role__in=TOLD[OrganisationKind.UNIT], user__is_active=True
    ).values_list("user_id", "organisation_id")
    url = reverse("monitoring:index")
    Notice.objects.bulk_create(
        (
            Notice(
                user_id=user_id,
                text=f"【运行监控】{stored}已开始：本单位有 {counts[unit_id]} 个项目待填报，"
                f"请于 {stored.due_date:%Y年%m月%d日} 前提交。",
                url=url,
            )
            for user_id, unit_id in members
        ),
        batch_size=500,
    )


@transaction.atomic
def send_back(pk: int, comment: str, user: AbstractBaseUser | None) -> StoredRecord:
    """A submitted record back to its unit as a draft, with the reason (required); the unit is told."""
    record = StoredRecord.objects.select_for_update().select_related("round").get(pk=pk)
    if record.status != RecordStatus.SUBMITTED:
        raise NotAllowed(f"当前状态为“{record.get_status_display()}”，只有已提交的监控可以退回")
    comment = comment.strip()
    if not comment:
        raise ValueError("退回意见：请写明退回的原因和需要修改的内容")
    record.status = RecordStatus.DRAFT
    record.submitted_at = None
    record.return_comment = comment
    record.returned_by_name = person_name(user)
    record.revision += 1
    record.save()
    text = (
        f"【运行监控】“{record.project_name}”（截至 {record.round.monitoring_date:%Y-%m-%d}）被"
        f"{record.returned_by_name}退回：{comment}"
    )
    url = reverse("monitoring:record", args=[record.pk])
    Notice.objects.bulk_create(Notice(user=person, text=text, url=url) for person in recipients(record.unit))
    return record
