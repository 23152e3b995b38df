"""Documents of a stored evaluation, built on demand and cached per revision."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from ...io import outputs
from .models import EvaluationRecord
from .services import result_of

#: kind → (label, output file name)
DOWNLOADS: dict[str, tuple[str, str]] = {
    "report-docx": ("自评报告（Word）", outputs.REPORT_DOCX),
    "report-pdf": ("自评报告（PDF）", outputs.REPORT_PDF),
    "basic-data": ("自评基础数据表", outputs.BASIC_DATA_XLSX),
    "scoring": ("自评指标评分表", outputs.SCORING_XLSX),
    "selfeval-table": ("项目支出绩效自评表（附1）", outputs.SELFEVAL_TABLE_XLSX),
}


def build(record: EvaluationRecord, kind: str) -> tuple[Path, str]:
    """The file for ``kind`` at the record's current revision, written once and reused."""
    folder = Path(settings.MEDIA_ROOT) / "outputs" / f"{record.pk}-r{record.revision}"
    name = DOWNLOADS[kind][1]
    path = folder / name
    if not path.exists():
        outputs.write_outputs(result_of(record), folder, pdf=(kind == "report-pdf"))
    prefix = record.project_name if str(record.year) in record.project_name else f"{record.year}-{record.project_name}"
    download_name = f"{prefix}-{name}"
    return path, download_name
