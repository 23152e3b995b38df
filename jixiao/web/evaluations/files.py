"""Documents of a stored evaluation, built on demand and cached per revision and submission date.

Everyone who sees an evaluation gets the official report (what the unit submits and what is published). The
internal review version (the findings, the unit's explanations and the 录入说明) is for the people who review
it, the roles above the unit.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ...io import outputs
from ..organisations.access import Access
from . import workflow
from .models import EvaluationRecord
from .services import result_of

#: kind → (label, output file name): for everyone who sees the evaluation
DOWNLOADS: dict[str, tuple[str, str]] = {
    "report-docx": ("自评报告（Word）", outputs.REPORT_DOCX),
    "report-pdf": ("自评报告（PDF）", outputs.REPORT_PDF),
    "basic-data": ("自评基础数据表", outputs.BASIC_DATA_XLSX),
    "scoring": ("自评指标评分表", outputs.SCORING_XLSX),
    "selfeval-table": ("项目支出绩效自评表（附1）", outputs.SELFEVAL_TABLE_XLSX),
}
#: kind → (label, output file name): only for reviewers
REVIEW_DOWNLOADS: dict[str, tuple[str, str]] = {
    "review-docx": ("自评报告审核版（Word，内部）", outputs.REVIEW_DOCX),
    "review-pdf": ("自评报告审核版（PDF，内部）", outputs.REVIEW_PDF),
}
ALL_DOWNLOADS = {**DOWNLOADS, **REVIEW_DOWNLOADS}
PDF_KINDS = frozenset({"report-pdf", "review-pdf"})


def may_review(access: Access, record: EvaluationRecord) -> bool:
    """Whether ``access`` may read the review version: the roles above the unit (a system administrator reaches
    every role)."""
    return any(access.reaches(role, record) for role in workflow.REVIEWERS)


def downloads_for(access: Access, record: EvaluationRecord) -> dict[str, tuple[str, str]]:
    """The files ``access`` may download for ``record``."""
    return ALL_DOWNLOADS if may_review(access, record) else DOWNLOADS


def build(record: EvaluationRecord, kind: str) -> tuple[Path, str]:
    """The file for ``kind`` at the record's current revision, written once and reused.

    The report's 落款 is the submission date, which changes without a new revision, so it is part of the folder.
    """
    signed_on = timezone.localdate(record.submitted_at) if record.submitted_at else None
    folder = Path(settings.MEDIA_ROOT) / "outputs" / f"{record.pk}-r{record.revision}-{signed_on or 'unsigned'}"
    name = ALL_DOWNLOADS[kind][1]
    path = folder / name
    if not path.exists():
        variant = "review" if kind == "review-pdf" else "official"
        outputs.write_outputs(
            result_of(record), folder, pdf=kind in PDF_KINDS, pdf_variants=(variant,), signed_on=signed_on
        )
    prefix = record.project_name if str(record.year) in record.project_name else f"{record.year}-{record.project_name}"
    download_name = f"{prefix}-{name}"
    return path, download_name
