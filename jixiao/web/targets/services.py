"""Every change of a 绩效目标申报 goes through here: create, save, the review steps, adjustments of approved
targets, and opening the year-end self-evaluation from the approved targets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ...core.model import Evaluation
from ...core.result import Finding
from ...core.targets.checks import run_target_checks
from ...core.targets.declaration import Comparator, Declaration, TargetLeaf
from ...core.targets.rules import ReviewGrade
from ...core.targets.to_evaluation import leaf_indicator, to_evaluation
from ...io.catalogue import load_framework
from ...io.targets.data import load_review_grades, load_target_rules
from ..evaluations import services as evaluation_services
from ..evaluations.models import EvaluationRecord
from ..evaluations.services import ConcurrentEdit, NotAllowed
from ..evaluations.workflow import EDITABLE as EVALUATION_EDITABLE
from ..monitoring.snapshot import latest_snapshot
from ..organisations.models import Organisation, person_name
from ..tasks.models import Notice
from ..tasks.reminders import recipients
from .choices import EDITABLE, DeclarationAction, DeclarationStatus
from .models import DeclarationTransition, TargetAdjustment, TargetDeclaration

#: the framework a self-evaluation opened from approved targets uses (附1: 预算执行率 10 分 outside the tree)
EVALUATION_FRAMEWORK = "mof-selfeval"


def findings_of(declaration: Declaration) -> list[Finding]:
    return run_target_checks(declaration, load_target_rules())


def _locked(pk: int) -> TargetDeclaration:
    found = TargetDeclaration.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotAllowed("这份绩效目标申报已不存在")
    return found


def _columns(row: TargetDeclaration, declaration: Declaration) -> None:
    row.document = declaration.model_dump(mode="json")
    row.year = declaration.project.year
    row.project_name = declaration.project.name
    row.project_code = declaration.project.code or ""


def _log(
    row: TargetDeclaration, action: str, old: str, user: AbstractBaseUser | None, comment: str = "", grade: str = ""
) -> None:
    DeclarationTransition.objects.create(
        declaration=row,
        action=action,
        from_status=old,
        to_status=row.status,
        grade=grade,
        actor=user,
        actor_name=person_name(user),
        comment=comment,
    )


def _stamped(declaration: Declaration, unit: Organisation) -> Declaration:
    """The declaration with its unit and 主管部门 named as the organisation tree has them."""
    department = next((o for o in unit.ancestors() if o.kind == "department"), None)
    project = declaration.project.model_copy(
        update={"unit": unit.name, "department": department.name if department else declaration.project.department}
    )
    return declaration.model_copy(update={"project": project})


def duplicate_of(unit_id: int, declaration: Declaration, exclude: int | None = None) -> str | None:
    """Why ``declaration`` would repeat one the unit already has (same 预算年度 and 项目名称), or None."""
    p = declaration.project
    same = TargetDeclaration.objects.filter(unit_id=unit_id, year=p.year, project_name=p.name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        return f"“项目名称”：本单位 {p.year} 年度已申报“{p.name}”，请修改那份申报，不要重复申报"
    return None


@transaction.atomic
def create(unit: Organisation, declaration: Declaration, user: AbstractBaseUser | None) -> TargetDeclaration:
    if problem := duplicate_of(unit.pk, declaration):
        raise ValueError(problem)
    row = TargetDeclaration()
    row.place(unit)
    _columns(row, _stamped(declaration, unit))
    row.save()
    _log(row, DeclarationAction.CREATE, "", user, "新建")
    return row


@transaction.atomic
def save(pk: int, declaration: Declaration, user: AbstractBaseUser | None, expected_revision: int) -> TargetDeclaration:
    row = _locked(pk)
    if row.revision != expected_revision:
        raise ConcurrentEdit(
            f"保存被拒绝：本申报已被他人修改（您打开的是第 {expected_revision} 版，当前为第 {row.revision} 版）。"
            "您的修改未保存"
        )
    if row.status not in EDITABLE:
        raise NotAllowed(f"当前状态为“{row.get_status_display()}”，不能修改")
    if problem := duplicate_of(row.unit_id, declaration, exclude=row.pk):
        raise ValueError(problem)
    _columns(row, _stamped(declaration, row.unit))
    row.revision += 1
    row.save()
    return row


def _move(row: TargetDeclaration, sources: tuple[str, ...], target: str) -> str:
    if row.status not in sources:
        raise NotAllowed(f"当前状态为“{row.get_status_display()}”，不能执行此操作")
    old = row.status
    row.status = target
    return old


def _notify(row: TargetDeclaration, organisation: Organisation | None, text: str) -> None:
    """An in-app notice (the bell) to the people of ``organisation`` whose turn it now is."""
    if organisation is None:
        return
    url = reverse("targets:detail", args=[row.pk])
    Notice.objects.bulk_create(
        Notice(user=person, text=f"【绩效目标】{row.year}年{row.project_name}（{row.unit.name}）{text}", url=url)
        for person in recipients(organisation)
    )


@transaction.atomic
def submit(pk: int, user: AbstractBaseUser | None) -> TargetDeclaration:
    row = _locked(pk)
    old = _move(row, EDITABLE, DeclarationStatus.SUBMITTED)
    row.save()
    _log(row, DeclarationAction.SUBMIT, old, user)
    _notify(row, row.department, "已提交，待主管部门审核。")
    return row


def _needs(comment: str, what: str) -> str:
    text = comment.strip()
    if not text:
        raise ValueError(f"{what}须填写审核意见")
    return text


@transaction.atomic
def department_review(pk: int, passed: bool, comment: str, user: AbstractBaseUser | None) -> TargetDeclaration:
    """主管部门 审核: pass to 财政, or return to the unit (with a comment)."""
    row = _locked(pk)
    if passed:
        old = _move(row, (DeclarationStatus.SUBMITTED,), DeclarationStatus.DEPARTMENT_PASSED)
        action = DeclarationAction.DEPARTMENT_PASS
        text = comment.strip()
    else:
        text = _needs(comment, "退回")
        old = _move(row, (DeclarationStatus.SUBMITTED,), DeclarationStatus.RETURNED)
        action = DeclarationAction.DEPARTMENT_RETURN
        row.review_comment = text
    row.save()
    _log(row, action, old, user, text)
    if passed:
        _notify(row, row.finance, "主管部门已审核通过，待财政审核。")
    else:
        _notify(row, row.unit, f"被主管部门退回：{text}")
    return row


def review_grade(grade: str) -> ReviewGrade:
    found = load_review_grades().get(grade)
    if found is None:
        raise ValueError(f"审核等级须为 {'、'.join(load_review_grades().names)} 之一（实际为“{grade}”）")
    return found


@transaction.atomic
def finance_review(
    pk: int, grade: str, comment: str, user: AbstractBaseUser | None, *, returned: bool = False
) -> TargetDeclaration:
    """财政 审核 with a grade (88号): a grade that approves (优、良) approves unless ``returned``; the others (中、差)
    return it to the unit. Every return states why."""
    chosen = review_grade(grade)
    row = _locked(pk)
    approve = chosen.approves and not returned
    if approve:
        text = comment.strip()
        old = _move(row, (DeclarationStatus.DEPARTMENT_PASSED,), DeclarationStatus.APPROVED)
        row.approved_at = timezone.now()
        action = DeclarationAction.FINANCE_APPROVE
    else:
        text = _needs(comment, "退回")
        old = _move(row, (DeclarationStatus.DEPARTMENT_PASSED,), DeclarationStatus.RETURNED)
        action = DeclarationAction.FINANCE_RETURN
    row.review_grade = chosen.grade
    row.review_comment = text
    row.save()
    said = f"审核等级：{chosen.grade}（{chosen.consequence}）" + (f"。{text}" if text else "")
    _log(row, action, old, user, said, chosen.grade)
    _notify(row, row.unit, ("已批复，" if approve else "被财政退回，") + said)
    return row


class AdjustmentResult:
    def __init__(self, adjustment: TargetAdjustment, evaluation_updated: bool | None) -> None:
        self.adjustment = adjustment
        #: None: no self-evaluation yet; True: its 年度指标值 was updated; False: it is past editing
        self.evaluation_updated = evaluation_updated


@transaction.atomic
def adjust(
    pk: int,
    path: tuple[str, str, str],
    comparator: Comparator,
    value: Decimal | None,
    unit: str | None,
    reason: str,
    user: AbstractBaseUser | None,
    expected: str | None = None,
) -> AdjustmentResult:
    """Change one approved target (88号 第二十八条), recorded with its reason; the self-evaluation, if one exists and
    can still be edited, gets the new 年度指标值 as a new version."""
    reason = reason.strip()
    if not reason:
        raise ValueError("调整理由：调整已批复的绩效目标须写明理由")
    row = _locked(pk)
    if row.status != DeclarationStatus.APPROVED:
        raise NotAllowed(f"当前状态为“{row.get_status_display()}”，只有已批复的绩效目标可以调整")
    declaration = row.parsed()
    first, second, name = path
    old_leaf = declaration.leaf(first, second, name)
    if old_leaf is None:
        raise ValueError(f"指标：申报表中没有“{first}／{second}／{name}”")
    new_leaf = old_leaf.model_copy(
        update={"comparator": comparator, "value": value, "unit": unit, "expected": expected}
    )
    new_leaf = TargetLeaf.model_validate(new_leaf.model_dump())
    if new_leaf.target_text() == old_leaf.target_text():
        raise ValueError(f"指标值：新的指标值与原指标值“{old_leaf.target_text()}”相同，无需调整")
    updated = _replace_leaf(declaration, path, new_leaf)
    row.document = updated.model_dump(mode="json")
    row.revision += 1
    row.save()
    adjustment = TargetAdjustment.objects.create(
        declaration=row,
        first=first,
        second=second,
        indicator=name,
        old_target=old_leaf.target_text(),
        new_target=new_leaf.target_text(),
        reason=reason,
        actor=user,
        actor_name=person_name(user),
    )
    return AdjustmentResult(adjustment, _adjust_evaluation(row, path, new_leaf, reason, user))


def _replace_leaf(declaration: Declaration, path: tuple[str, str, str], leaf: TargetLeaf) -> Declaration:
    data = declaration.model_dump()
    for first in data["indicators"]:
        for second in first["children"]:
            for i, old in enumerate(second["children"]):
                if (first["name"], second["name"], old["name"]) == path:
                    second["children"][i] = leaf.model_dump()
    return Declaration.model_validate(data)


def _adjust_evaluation(
    row: TargetDeclaration, path: tuple[str, str, str], leaf: TargetLeaf, reason: str, user: AbstractBaseUser | None
) -> bool | None:
    record = EvaluationRecord.objects.filter(pk=row.evaluation_id).first() if row.evaluation_id else None
    if record is None:
        return None
    if record.status not in EVALUATION_EDITABLE:
        return False
    evaluation = Evaluation.model_validate(record.document)
    target = leaf_indicator(leaf).target
    data = evaluation.model_dump(mode="json")
    changed = _set_target(data["indicators"], path[-1], target)
    if not changed:
        return False
    evaluation_services.save(
        record.pk,
        Evaluation.model_validate(data),
        user,
        record.revision,
        summary=f"绩效目标调整：“{'／'.join(path)}”年度指标值改为“{target}”（{reason}）",
    )
    return True


def _set_target(nodes: list[dict[str, Any]], name: str, target: str | None) -> bool:
    """Set the 年度指标值 of the one leaf named ``name``; nothing when no leaf or several carry the name (G007 asks
    for unique names, but a unit may have kept a duplicate)."""
    found = [node for node in _leaves(nodes) if node["name"] == name]
    if len(found) != 1:
        return False
    found[0]["target"] = target
    return True


def _leaves(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for node in nodes:
        out.extend(_leaves(node["children"]) if node["children"] else [node])
    return out


@transaction.atomic
def start_evaluation(pk: int, user: AbstractBaseUser | None) -> EvaluationRecord:
    """The year-end self-evaluation, opened from the approved targets (and the latest monitoring, if any)."""
    row = _locked(pk)
    if row.status != DeclarationStatus.APPROVED:
        raise NotAllowed(f"当前状态为“{row.get_status_display()}”，只有已批复的绩效目标可以开始年度自评")
    if row.evaluation_id is not None:
        raise NotAllowed("本项目已开始年度自评")
    framework = load_framework(EVALUATION_FRAMEWORK)
    evaluation = to_evaluation(row.parsed(), framework)
    snapshot = latest_snapshot(row)
    if snapshot is not None:
        evaluation = evaluation.model_copy(update={"monitoring": snapshot})
    record = evaluation_services.create(
        row.unit, evaluation, user, "按已批复的绩效目标新建", project_code=row.project_code
    )
    row.evaluation = record
    row.save(update_fields=["evaluation", "updated_at"])
    return record
