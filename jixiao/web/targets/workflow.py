"""Who takes which step of a 绩效目标申报 and from where (财预〔2015〕88号 第二十六条: 单位 → 主管部门 → 财政).

The tests of the permission matrix (tests/web/test_targets.py) keep their own hand-written copy of this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..organisations.models import Role
from .choices import EDITABLE, DeclarationAction, DeclarationStatus

#: the unit's own people: they declare, edit, submit, adjust approved targets and start the self-evaluation
UNIT_ROLES: tuple[str, ...] = (Role.FILLER, Role.UNIT_HEAD)


@dataclass(frozen=True)
class Step:
    action: str
    sources: tuple[str, ...]
    roles: tuple[str, ...]


#: the actions of the detail page, each from where and by whom (the target of a review depends on its outcome)
STEPS: dict[str, Step] = {
    "edit": Step("edit", EDITABLE, UNIT_ROLES),
    DeclarationAction.SUBMIT: Step(DeclarationAction.SUBMIT, EDITABLE, UNIT_ROLES),
    "department_review": Step("department_review", (DeclarationStatus.SUBMITTED,), (Role.DEPARTMENT_REVIEWER,)),
    "finance_review": Step("finance_review", (DeclarationStatus.DEPARTMENT_PASSED,), (Role.FINANCE_ADMIN,)),
    "adjust": Step("adjust", (DeclarationStatus.APPROVED,), UNIT_ROLES),
    "start_evaluation": Step("start_evaluation", (DeclarationStatus.APPROVED,), UNIT_ROLES),
}

LABELS = {
    "edit": "修改",
    DeclarationAction.SUBMIT: "提交审核",
    "department_review": "主管部门审核",
    "finance_review": "财政审核",
    "adjust": "调整目标",
    "start_evaluation": "开始年度自评",
}
