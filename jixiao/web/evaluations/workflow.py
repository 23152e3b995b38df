"""The review lifecycle, written once (财预〔2020〕10号 第二十六～二十八条).

Each :class:`Step` is an action taken from one status by one of some roles, with what it needs. Everything else
reads this table: the service layer (``services.move``: allowed from where, to where, with a comment or a score,
through the submit gate), the permission check (``access.may``), the action buttons (the detail page offers the
steps ``may`` allows), and the table in ``docs/web.md`` (``markdown_table``; a test keeps the two the same).
The tests of the permission matrix keep their own hand-written copy, so that a wrong entry here is caught.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..organisations.models import Role
from .choices import Action, Status

#: the unit's own people: they fill in, edit, restore, delete and submit
EDITORS: tuple[str, ...] = (Role.FILLER, Role.UNIT_HEAD)
#: the statuses in which the unit may still change the document (edit, restore a version, delete)
EDITABLE: tuple[str, ...] = (Status.DRAFT, Status.RETURNED)
#: not yet submitted: what a deadline chases
UNSUBMITTED: tuple[str, ...] = (Status.PENDING, *EDITABLE)
#: the roles above the unit: they see the overview and the internal review version of the report
REVIEWERS: tuple[str, ...] = (Role.DEPARTMENT_REVIEWER, Role.FINANCE_ADMIN)


@dataclass(frozen=True)
class Step:
    action: str
    source: str
    target: str
    roles: tuple[str, ...]
    needs_comment: bool = False  # a return states why
    needs_score: bool = False  # a 复核 records the 复核得分
    gated: bool = False  # a submission passes the submit gate (required parts, explained errors)


STEPS: tuple[Step, ...] = (
    Step(Action.START, Status.PENDING, Status.DRAFT, EDITORS),
    Step(Action.SUBMIT, Status.DRAFT, Status.SUBMITTED, EDITORS, gated=True),
    Step(Action.SUBMIT, Status.RETURNED, Status.SUBMITTED, EDITORS, gated=True),
    Step(Action.APPROVE, Status.SUBMITTED, Status.DEPARTMENT_APPROVED, (Role.DEPARTMENT_REVIEWER,)),
    Step(Action.RETURN, Status.SUBMITTED, Status.RETURNED, (Role.DEPARTMENT_REVIEWER,), needs_comment=True),
    Step(Action.RETURN, Status.DEPARTMENT_APPROVED, Status.RETURNED, (Role.FINANCE_ADMIN,), needs_comment=True),
    Step(Action.REVIEW, Status.DEPARTMENT_APPROVED, Status.FINANCE_REVIEWED, (Role.FINANCE_ADMIN,), needs_score=True),
    Step(Action.REVIEW, Status.FINANCE_REVIEWED, Status.FINANCE_REVIEWED, (Role.FINANCE_ADMIN,), needs_score=True),
    Step(Action.PUBLISH, Status.FINANCE_REVIEWED, Status.PUBLISHED, (Role.FINANCE_ADMIN,)),
)

#: the lifecycle actions, in the order of the table (what the action URL accepts)
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(step.action for step in STEPS))
_BY_KEY: dict[tuple[str, str], Step] = {(step.action, step.source): step for step in STEPS}
assert len(_BY_KEY) == len(STEPS), "workflow.STEPS: one step per action and status"


def step(action: str, status: str) -> Step | None:
    """The step ``action`` takes from ``status``, or None when it cannot be taken there."""
    return _BY_KEY.get((action, status))


def needs_comment(action: str) -> bool:
    return any(s.needs_comment for s in STEPS if s.action == action)


def needs_score(action: str) -> bool:
    return any(s.needs_score for s in STEPS if s.action == action)


def markdown_table() -> str:
    """The lifecycle as the table in docs/web.md (Chinese labels)."""
    lines = ["| 操作 | 从 | 到 | 谁可以 | 条件 |", "|---|---|---|---|---|"]
    for s in STEPS:
        needs = [
            text
            for flag, text in (
                (s.needs_comment, "须填写意见"),
                (s.needs_score, "须填写复核得分"),
                (s.gated, "须通过提交前检查"),
            )
            if flag
        ]
        roles = "、".join(Role(r).label for r in s.roles)
        row = [Action(s.action).label, Status(s.source).label, Status(s.target).label, roles, "、".join(needs) or "—"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)
