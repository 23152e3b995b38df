"""Creating, saving and moving a 部门整体自评, each in one transaction: nothing is half-written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ...core.department.engine import DepartmentResult
from ...core.department.framework import DepartmentFramework
from ...core.department.model import DepartmentEvaluation, Header
from ...core.department.rollup import ProjectOutcome
from ...io.department.catalogue import evaluate_document
from ...io.department.table_read import ReadTable
from ..evaluations.models import EvaluationRecord
from ..evaluations.services import ConcurrentEdit, NotAllowed
from ..evaluations.unscored import record_unscored
from ..organisations.models import Organisation, OrganisationKind, person_name
from ..tasks.models import Notice
from ..tasks.reminders import recipients
from . import workflow
from .choices import Action
from .models import DepartmentEvaluationRecord, DepartmentTransition


def finance_of(department: Organisation) -> Organisation:
    for node in department.ancestors():
        if node.kind == OrganisationKind.FINANCE:
            return node
    raise NotAllowed(f"“{department.name}”不在任何财政局之下，不能建立部门整体自评")


def projects_of(department_id: int, year: int) -> list[ProjectOutcome]:
    """The department's project self-evaluations of the year, as the roll-up reads them: the 财政复核 grade and score
    where there is one, else the computed ones; a project with nothing scored yet is 未评."""
    records = (
        EvaluationRecord.objects.filter(department_id=department_id, year=year)
        .select_related("unit")
        .only(
            "project_name",
            "unit__name",
            "budget_wan",
            "spent_wan",
            "computed_score",
            "computed_grade",
            "review_score",
            "review_grade",
            "arrival_rate",
            "execution_rate",
        )
        .order_by("unit__name", "project_name", "pk")
    )
    out = []
    for r in records:
        unscored = record_unscored(r) and not r.review_grade
        grade = r.review_grade or (None if unscored else r.computed_grade or None)
        score = r.review_score if r.review_score is not None else (None if unscored else r.computed_score)
        out.append(ProjectOutcome(r.project_name, r.unit.name, grade, r.budget_wan, r.spent_wan, score))
    return out


def document_of(record: DepartmentEvaluationRecord) -> DepartmentEvaluation:
    return DepartmentEvaluation.model_validate(record.document)


def _stored(outcome: ProjectOutcome) -> dict[str, str | None]:
    return {
        "project": outcome.project,
        "unit": outcome.unit,
        "grade": outcome.grade,
        **{k: None if getattr(outcome, k) is None else str(getattr(outcome, k)) for k in _AMOUNTS},
    }


_AMOUNTS = ("budget_wan", "spent_wan", "score")


def _outcome(row: dict[str, str | None]) -> ProjectOutcome:
    amounts = [None if row[k] is None else Decimal(str(row[k])) for k in _AMOUNTS]
    return ProjectOutcome(str(row["project"]), str(row["unit"]), row["grade"], *amounts)


def rolled_up_projects(record: DepartmentEvaluationRecord) -> list[ProjectOutcome]:
    """The projects as submitted once the evaluation left the department's hands; live while it may be changed."""
    if record.projects is not None and record.status not in workflow.EDITABLE:
        return [_outcome(row) for row in record.projects]
    return projects_of(record.department_id, record.year)


def result_of(record: DepartmentEvaluationRecord) -> DepartmentResult:
    return evaluate_document(document_of(record), rolled_up_projects(record))


def _store(
    record: DepartmentEvaluationRecord, document: DepartmentEvaluation, projects: list[ProjectOutcome] | None = None
) -> DepartmentResult:
    record.document = document.model_dump(mode="json")
    if projects is None:
        projects = projects_of(record.department_id, record.year)
    result = evaluate_document(document, projects)
    record.computed_score = result.total.value
    record.computed_grade = result.grade or ""
    record.claimed_score = document.claimed_total
    record.claimed_grade = document.claimed_grade
    record.error_count = len(result.errors)
    record.warning_count = len(result.findings) - len(result.errors)
    return result


def _transition(record: DepartmentEvaluationRecord, action: str, source: str, user: Any, comment: str = "") -> None:
    DepartmentTransition.objects.create(
        record=record,
        action=action,
        from_status=source,
        to_status=record.status,
        actor=user,
        actor_name=person_name(user),
        comment=comment,
    )


def create(department: Organisation, year: int, framework: str, user: Any) -> DepartmentEvaluationRecord:
    finance = finance_of(department)
    document = DepartmentEvaluation(
        header=Header(department=department.name, year=year, finance=finance.name), framework=framework
    )
    record = DepartmentEvaluationRecord(department=department, finance=finance, year=year, framework=framework)
    _store(record, document)
    try:
        with transaction.atomic():
            record.save()
            _transition(record, Action.CREATE, "", user)
    except IntegrityError:
        raise NotAllowed(f"“{department.name}”{year} 年度的部门整体自评已经建立") from None
    return record


def save(pk: int, document: DepartmentEvaluation, user: Any, revision: int) -> DepartmentEvaluationRecord:
    with transaction.atomic():
        record = DepartmentEvaluationRecord.objects.select_for_update().get(pk=pk)
        if record.status not in workflow.EDITABLE:
            raise NotAllowed(f"当前状态为“{record.get_status_display()}”，不能修改")
        if record.revision != revision:
            raise ConcurrentEdit("他人已在您打开页面后保存了修改")
        document = document.model_copy(
            update={"framework": record.framework, "header": document.header.model_copy(update={"year": record.year})}
        )
        _store(record, document)
        record.revision += 1
        record.save()
    return record


def submit_gate(result: DepartmentResult) -> list[str]:
    """Why a 部门整体自评 cannot be submitted yet (empty: it can)."""
    problems = []
    missing = [i for i in result.items if i.used is None]
    if missing:
        names = "、".join(i.path[-1] for i in missing[:5]) + (f"等 {len(missing)} 项" if len(missing) > 5 else "")
        problems.append(f"尚有指标未评分：{names}")
    for finding in result.errors:
        problems.append(f"{finding.id} {finding.message}")
    return problems


def move(pk: int, action: str, user: Any, comment: str = "") -> DepartmentEvaluationRecord:
    comment = comment.strip()
    with transaction.atomic():
        record = DepartmentEvaluationRecord.objects.select_for_update().get(pk=pk)
        taken = workflow.step(action, record.status)
        if taken is None:
            raise NotAllowed(f"当前状态为“{record.get_status_display()}”，不能执行“{Action(action).label}”")
        if taken.needs_comment and not comment:
            raise NotAllowed(f"{Action(action).label}时必须填写意见")
        if taken.gated:
            projects = projects_of(record.department_id, record.year)  # the roll-up as it stands now, kept
            result = _store(record, document_of(record), projects)
            problems = submit_gate(result)
            if problems:
                raise NotAllowed("不能提交：" + "；".join(problems))
            record.projects = [_stored(p) for p in projects]
        source = record.status
        record.status = taken.target
        now = timezone.now()
        if action == Action.SUBMIT:
            record.submitted_at = now
        if action in (Action.ACCEPT, Action.RETURN):
            record.review_comment = comment
        if action == Action.PUBLISH:
            record.published_at = now
        record.save()
        _transition(record, action, source, user, comment)
        _notify(record, action, comment)
    return record


#: what each step tells the other side, after “<部门><年度>年度部门整体支出绩效自评”
_TOLD = {
    Action.SUBMIT: "已提交，请审核。",
    Action.RETURN: "已被财政退回：{comment}",
    Action.ACCEPT: "已通过财政审核。",
    Action.PUBLISH: "已公开。",
}


def _notify(record: DepartmentEvaluationRecord, action: str, comment: str) -> None:
    """An in-app notice (the bell) to whoever takes the next step: 财政 after a submission, the 主管部门 otherwise."""
    to = record.finance if action == Action.SUBMIT else record.department
    text = f"【部门整体自评】{record.department.name}{record.year}年度部门整体支出绩效自评" + _TOLD[
        Action(action)
    ].format(comment=comment)
    url = reverse("department:detail", args=[record.pk])
    Notice.objects.bulk_create(Notice(user=person, text=text, url=url) for person in recipients(to))


def imported(document: DepartmentEvaluation, read: ReadTable, framework: DepartmentFramework) -> DepartmentEvaluation:
    """``document`` with what a 自评表 states: contact, every account figure, and the self-scored items (computed items
    keep what the department wrote about them; the narrative, stated ratios and totals are not in the table)."""
    computed = {"/".join(path) for path, leaf in framework.leaves() if leaf.formula}
    items = {k: v for k, v in document.items.items() if k in computed}
    items.update(read.items)
    header = document.header.model_copy(update={"contact": read.contact, "phone": read.phone})
    return document.model_copy(update={"header": header, "accounts": dict(read.accounts), "items": items})
