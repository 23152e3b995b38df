"""The lifecycle of a 部门整体自评, written once: who takes which step from which status, and what it needs."""

from __future__ import annotations

from ..evaluations.workflow import Step  # gated here: every item scored and no error finding
from ..organisations.models import Role
from .choices import Action, Status

#: who fills in the department's evaluation: its 主管部门审核人
EDITORS: tuple[str, ...] = (Role.DEPARTMENT_REVIEWER,)
#: the statuses in which it may still be changed
EDITABLE: tuple[str, ...] = (Status.DRAFT, Status.RETURNED)


STEPS: tuple[Step, ...] = (
    Step(Action.SUBMIT, Status.DRAFT, Status.SUBMITTED, EDITORS, gated=True),
    Step(Action.SUBMIT, Status.RETURNED, Status.SUBMITTED, EDITORS, gated=True),
    Step(Action.RETURN, Status.SUBMITTED, Status.RETURNED, (Role.FINANCE_ADMIN,), needs_comment=True),
    Step(Action.ACCEPT, Status.SUBMITTED, Status.ACCEPTED, (Role.FINANCE_ADMIN,)),
    Step(Action.PUBLISH, Status.ACCEPTED, Status.PUBLISHED, (Role.FINANCE_ADMIN,)),
)
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.action for s in STEPS))
_BY_KEY = {(s.action, s.source): s for s in STEPS}


def step(action: str, status: str) -> Step | None:
    return _BY_KEY.get((action, status))
