"""Drawing a 抽查复核计划: the year's eligible self-evaluations of one 财政局 become candidates (with each unit's
复核 gaps of earlier years), ``jixiao.core.sampling`` draws, and the draw is stored with its criteria and list."""

from __future__ import annotations

import secrets
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper

from ...core.sampling import NO_DEPARTMENT, Candidate, Sample, SamplePlan, SamplingError, SamplingWeights, draw
from ..evaluations.choices import Status
from ..evaluations.models import EvaluationRecord
from ..evaluations.unscored import UNSCORED
from ..organisations.models import Organisation, person_name
from .models import SampleDraw, SampleItem

#: what may be drawn: self-evaluations submitted by their unit (and any later step); drafts, returned and pending
#: ones are still the unit's
ELIGIBLE = (Status.SUBMITTED, Status.DEPARTMENT_APPROVED, Status.FINANCE_REVIEWED, Status.PUBLISHED)

#: the columns a candidate is made of (the organisations' names are read apart: a hundred thousand rows joined
#: twice to their names cost more than the few thousand names)
_FIELDS = (
    "pk", "department_id", "unit_id", "project_name", "budget_wan",
    "claimed_score", "computed_score", "execution_rate", "error_count", "warning_count", "unscored",
)  # fmt: skip


def candidates(finance: Organisation, year: int) -> list[Candidate]:
    """The year's eligible evaluations under ``finance``, each with its unit's self − 复核 gaps of earlier years."""
    earlier: dict[int, list[Decimal]] = defaultdict(list)
    for unit_id, claimed, reviewed in (
        EvaluationRecord.objects.filter(
            finance=finance, year__lt=year, claimed_score__isnull=False, review_score__isnull=False
        )
        .order_by("unit_id", "year", "pk")
        .values_list("unit_id", "claimed_score", "review_score")
    ):
        earlier[unit_id].append(claimed - reviewed)
    history = {unit: tuple(gaps) for unit, gaps in earlier.items()}  # one tuple per unit, shared by its evaluations
    rows = (
        EvaluationRecord.objects.filter(finance=finance, year=year, status__in=ELIGIBLE)
        # a blank evaluation (nothing to compute) is stored as 0 分: no computed score to set the self score beside
        .annotate(unscored=ExpressionWrapper(UNSCORED, output_field=BooleanField()))
        .order_by("pk")
        .values_list(*_FIELDS)
    )
    names = dict(Organisation.objects.values_list("pk", "name"))  # every organisation: a few thousand rows
    out = []
    for pk, dept, unit, name, budget, claimed, computed, rate, errors, warnings, unscored in rows:
        out.append(
            Candidate(
                record_id=pk,
                department_id=dept,
                department_name=names.get(dept, NO_DEPARTMENT) if dept else NO_DEPARTMENT,
                unit_id=unit,
                unit_name=names[unit],
                project_name=name,
                budget_wan=budget,
                claimed_score=claimed,
                computed_score=None if unscored else computed,
                execution_rate=rate,
                error_count=errors,
                warning_count=warnings,
                earlier_gaps=history.get(unit, ()),
            )
        )
    return out


def draw_sample(
    finance: Organisation, year: int, plan: dict[str, Any], user: AbstractBaseUser, weights: SamplingWeights
) -> SampleDraw:
    """Draw and store; :class:`SamplingError` (Chinese) when nothing can be drawn or the plan is not valid."""
    seed = plan.get("seed")
    seed = secrets.randbelow(10**9) if seed is None else seed
    sample_plan = SamplePlan(
        size_pct=plan.get("size_pct"),
        size_count=plan.get("size_count"),
        minimum_per_department=plan["minimum_per_department"],
        random_share_pct=plan["random_share_pct"],
        seed=seed,
    )
    pool = candidates(finance, year)
    if not pool:
        raise SamplingError(f"{finance.name} {year} 年度没有可抽取的评价（须为单位已提交及以后的）")
    sample = draw(pool, sample_plan, weights)
    with transaction.atomic():
        stored = SampleDraw.objects.create(
            finance=finance,
            year=year,
            size_pct=sample_plan.size_pct,
            size_count=sample_plan.size_count,
            minimum_per_department=sample_plan.minimum_per_department,
            random_share_pct=sample_plan.random_share_pct,
            seed=seed,
            candidates=len(pool),
            asked=sample.n_asked,
            drawn=sample.n_drawn,
            criteria={
                "statuses": [str(s.label) for s in ELIGIBLE],
                "weights": weights.model_dump(mode="json"),
                "notes": sample.notes,
            },
            per_department=_per_department(sample),
            drawn_by=user,
            drawn_by_name=person_name(user),
        )
        SampleItem.objects.bulk_create(
            (
                SampleItem(
                    draw=stored,
                    record_id=item.candidate.record_id,
                    position=position,
                    department_name=item.candidate.department_name,
                    unit_name=item.candidate.unit_name,
                    project_name=item.candidate.project_name,
                    budget_wan=item.candidate.budget_wan,
                    part=item.part,
                    rank=item.rank_in_department,
                    risk_score=item.risk_score,
                    why=item.why,
                )
                for position, item in enumerate(sample.items, 1)
            ),
            batch_size=2000,
        )
    return stored


def _per_department(sample: Sample) -> list[dict[str, Any]]:
    return [
        {
            "department": d.department_name,
            "candidates": d.candidates,
            "proportional": d.proportional,
            "allocated": d.allocated,
            "risk": d.drawn_risk,
            "random": d.drawn_random,
        }
        for d in sample.per_department
    ]
