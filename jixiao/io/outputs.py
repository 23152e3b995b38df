"""Write every standard output of one evaluation into a folder, all or nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from ..core.result import EvaluationResult
from .json_result import result_to_json

#: the official report: what the unit submits and publishes
REPORT_DOCX = "自评报告.docx"
REPORT_PDF = "自评报告.pdf"
#: the internal review version: the official text plus the check findings, the unit's explanations and 录入说明
REVIEW_DOCX = "自评报告（审核版）.docx"
REVIEW_PDF = "自评报告（审核版）.pdf"
BASIC_DATA_XLSX = "自评基础数据表.xlsx"
SCORING_XLSX = "自评指标评分表.xlsx"
SELFEVAL_TABLE_XLSX = "项目支出绩效自评表.xlsx"
RESULT_JSON = "评价结果.json"

OUTPUT_FILES = (
    REPORT_DOCX,
    REPORT_PDF,
    REVIEW_DOCX,
    REVIEW_PDF,
    BASIC_DATA_XLSX,
    SCORING_XLSX,
    SELFEVAL_TABLE_XLSX,
    RESULT_JSON,
)


def write_outputs(
    result: EvaluationResult,
    out_dir: Path,
    *,
    pdf: bool = True,
    pdf_variants: tuple[str, ...] = ("official", "review"),
    alternatives: list[EvaluationResult] | None = None,
    signed_on: dt.date | None = None,
) -> list[Path]:
    """Build every file in a private folder next to ``out_dir``; move them in only when all succeeded.

    Both versions of the report are written, and with ``pdf`` the PDFs of ``pdf_variants`` (in one LibreOffice
    run; the web asks only for the one being downloaded, since a PDF costs seconds); ``signed_on`` is their 落款
    date.
    """
    from .report.chart import render_chart
    from .report.docx import write_report_docx
    from .xlsx.basic_data import write_basic_data_xlsx
    from .xlsx.scoring_sheet import write_scoring_xlsx
    from .xlsx.selfeval_write import write_selfeval_table

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".jixiao-", dir=out_dir.parent))
    try:
        chart = render_chart(result)
        reports = {
            variant: write_report_docx(result, staging / name, chart_png=chart, variant=variant, signed_on=signed_on)
            for name, variant in ((REPORT_DOCX, "official"), (REVIEW_DOCX, "review"))
        }
        if pdf:
            from .report.pdf import convert_to_pdf

            convert_to_pdf([reports[variant] for variant in pdf_variants], staging)
        write_basic_data_xlsx(result, staging / BASIC_DATA_XLSX)
        write_scoring_xlsx(result, staging / SCORING_XLSX)
        write_selfeval_table(result, staging / SELFEVAL_TABLE_XLSX)
        (staging / RESULT_JSON).write_text(
            json.dumps(result_to_json(result, alternatives), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for name in OUTPUT_FILES:
            source = staging / name
            if source.exists():
                target = out_dir / name
                source.replace(target)
                written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
