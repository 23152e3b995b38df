"""Opening a 年度自评任务: check the 项目清单 against the organisation tree, then open every project as 待填报, all or
nothing. Each record is pre-filled from its row (name, unit, 主管部门, budgets, 绩效目标) and, where the project
was evaluated the year before, from that evaluation's targets (``core.carry_forward``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ...core.carry_forward import carry_forward
from ...core.model import Evaluation
from ...io.catalogue import load_framework
from ...io.xlsx.project_list import ListProblem, ProjectList, ProjectRow
from ..evaluations import services as evaluation_services
from ..evaluations.choices import Status
from ..evaluations.models import EvaluationRecord
from ..organisations.models import Organisation, OrganisationKind
from .models import Task


@dataclass(frozen=True)
class TaskSettings:
    owner: Organisation
    year: int
    name: str
    rules: str
    framework: str
    unit_deadline: dt.date
    department_deadline: dt.date
    finance_deadline: dt.date


class ListRefused(Exception):
    """The 项目清单 has problems; nothing was created."""

    def __init__(self, problems: list[ListProblem]) -> None:
        super().__init__(f"项目清单有 {len(problems)} 处问题，未建立任务")
        self.problems = problems


def units_under(owner: Organisation) -> dict[str, Organisation]:
    """The 预算单位 at or below ``owner``, by name (the name a 项目清单 uses)."""
    ids = owner.unit_ids() if owner.kind != OrganisationKind.UNIT else [owner.pk]
    return {unit.name: unit for unit in Organisation.objects.filter(pk__in=ids).select_related("parent")}


def check_against_tree(listing: ProjectList, units: dict[str, Organisation]) -> list[ListProblem]:
    """Problems the reader cannot see: a 主管部门 that is not the unit's own."""
    problems: list[ListProblem] = []
    for row in listing.rows:
        unit = units.get(row.unit)
        if unit is None or not row.department:
            continue
        departments = {node.name for node in unit.ancestors() if node.kind == OrganisationKind.DEPARTMENT}
        if departments and row.department not in departments:
            problems.append(
                ListProblem(
                    row.row,
                    None,
                    f"第{row.row}行：主管部门“{row.department}”与系统中{row.unit}的主管部门"
                    f"“{'、'.join(sorted(departments))}”不一致",
                )
            )
    return problems


def _column(cell: str | None) -> tuple[int, str]:
    """ "项目清单!AB7" → (2, "AB"): problems of one row in the order of its columns."""
    letters = "".join(ch for ch in (cell or "").rsplit("!", 1)[-1] if ch.isalpha())
    return (len(letters), letters)


def list_from_task(earlier: Task) -> ProjectList:
    """An earlier task's projects as a 项目清单: the same codes, names, units and 主管部门; the budgets are the new
    year's, so they are left for the unit to fill in."""
    records = EvaluationRecord.objects.filter(task=earlier).select_related("unit", "department").order_by("pk")
    rows = [
        ProjectRow(
            row=n,
            code=r.project_code,
            name=r.project_name,
            unit=r.unit.name,
            department=r.department.name if r.department else None,
            initial_budget_wan=None,
            annual_budget_wan=None,
            goal=None,
        )
        for n, r in enumerate(records, start=1)
    ]
    return ProjectList(file=f"沿用“{earlier.name}”", sheet="", amount_unit="万元", rows=rows, problems=[])


def _evaluation_of(row: ProjectRow, settings: TaskSettings) -> Evaluation:
    data: dict[str, object] = {
        "project": {"name": row.name, "year": settings.year, "unit": row.unit, "department": row.department},
        "rules": settings.rules,
        "framework": settings.framework,
        "indicators": [i.model_dump(mode="json") for i in load_framework(settings.framework).skeleton()],
    }
    if row.annual_budget_wan is not None:
        data["funds"] = [
            {
                "source": "current",
                "initial_budget_wan": row.initial_budget_wan,
                "annual_budget_wan": row.annual_budget_wan,
            }
        ]
    if row.goal:
        data["goals"] = [{"kind": "overall", "expected": row.goal}]
    return Evaluation.model_validate(data)


def _last_year(unit: Organisation, row: ProjectRow, year: int) -> EvaluationRecord | None:
    earlier = EvaluationRecord.objects.filter(unit=unit, year=year - 1)
    return (
        earlier.filter(project_code=row.code).order_by("-pk").first()
        or earlier.filter(project_name=row.name).order_by("-pk").first()
    )


@transaction.atomic
def open_task(
    settings: TaskSettings, listing: ProjectList, user: AbstractBaseUser | None, source_name: str = ""
) -> Task:
    """The task and one 待填报 evaluation per row; raises :class:`ListRefused` (and creates nothing) on any problem."""
    units = units_under(settings.owner)
    problems = [*listing.problems, *check_against_tree(listing, units)]
    faulted = {p.row for p in listing.problems}  # (a reader given the unit names has said so already)
    problems += [
        ListProblem(row.row, None, f"第{row.row}行：预算单位“{row.unit}”不在{settings.owner.name}所辖的单位中")
        for row in listing.rows
        if row.unit not in units and row.row not in faulted
    ]
    if not listing.rows:
        problems.append(ListProblem(None, None, "项目清单中没有项目"))
    if problems:
        raise ListRefused(sorted(problems, key=lambda p: (p.row or 0, _column(p.cell), p.message)))
    task = Task.objects.create(
        owner=settings.owner,
        year=settings.year,
        name=settings.name,
        rules=settings.rules,
        framework=settings.framework,
        unit_deadline=settings.unit_deadline,
        department_deadline=settings.department_deadline,
        finance_deadline=settings.finance_deadline,
        source_name=source_name,
        created_by=user,
    )
    for row in listing.rows:
        unit = units[row.unit]
        evaluation = _evaluation_of(row, settings)
        summary = f"由自评任务“{task.name}”建立"
        previous = _last_year(unit, row, settings.year)
        if previous is not None:
            evaluation = carry_forward(Evaluation.model_validate(previous.document), evaluation)
            summary += f"，已带入{settings.year - 1}年度评价的指标和目标值（实际完成值和得分留空）"
        evaluation_services.create(
            unit, evaluation, user, summary, status=Status.PENDING, task=task, project_code=row.code
        )
    return task
