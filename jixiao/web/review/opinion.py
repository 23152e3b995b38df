"""The 复核意见书 of one evaluation, from what is stored (the writer: ``jixiao.io.report.review_opinion``)."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from ...core.model import Evaluation
from ...io.report.review_opinion import (
    OpinionProblem,
    ReviewOpinion,
    write_review_opinion_docx,
    write_review_opinion_pdf,
)
from .. import scratch
from ..evaluations.choices import Action
from ..evaluations.models import EvaluationRecord
from ..results.models import Rectification
from . import services
from .models import ReviewProblem

WHOLE = "整体"


def opinion_of(record: EvaluationRecord) -> ReviewOpinion:
    sheet = services.sheet_of(record)
    names = services.line_names(sheet)
    dues = {
        ref.removeprefix("problem:"): due
        for ref, due in Rectification.objects.filter(record=record, source=Rectification.Source.REVIEW).values_list(
            "source_ref", "due_date"
        )
    }
    problems = tuple(
        OpinionProblem(
            where=names.get(p.key, p.key) if p.key else WHOLE,
            problem=p.problem,
            requirement=p.requirement,
            due=dues.get(str(p.pk)),
        )
        for p in ReviewProblem.objects.filter(record=record)
    )
    finished = record.transitions.filter(action=Action.REVIEW).order_by("-created_at", "-pk").first()
    reviewer = finished.actor_name if finished else ""
    if not reviewer:
        row = record.indicator_reviews.order_by("-updated_at").first()
        reviewer = row.reviewer_name if row else ""
    evaluation = Evaluation.model_validate(record.document)
    return ReviewOpinion(
        issuer=record.finance.name if record.finance_id else "",
        department=record.department.name if record.department_id else None,
        unit=record.unit.name,
        project_title=evaluation.project.with_year(),
        year=record.year,
        sheet=sheet,
        conclusion=record.review_comment,
        problems=problems,
        reviewer=reviewer,
        date=timezone.localdate(finished.created_at) if finished else timezone.localdate(),
    )


def render(record: EvaluationRecord, kind: str) -> tuple[bytes, str]:
    """The document's bytes and its download name; written in a scratch folder that is removed at once."""
    opinion = opinion_of(record)
    name = f"{opinion.project_title}绩效自评复核意见书.{kind}"
    with scratch.folder("opinion-") as where:
        if kind == "pdf":
            path = write_review_opinion_pdf(opinion, Path(where))
        else:
            path = write_review_opinion_docx(opinion, Path(where) / "opinion.docx")
        return path.read_bytes(), name
