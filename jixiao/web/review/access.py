"""Who does what in the 复核 of one evaluation.

Whoever may see the evaluation sees its 复核 page; what they may do there depends on their side:

* the 财政绩效管理员 of the evaluation's 财政局 (and the system administrator) is the reviewer: sets 复核得分 per
  indicator, asks queries (问询), records problems and 整改要求, finishes the 复核 (the lifecycle's 「财政复核」);
* the unit's 填报人 and 单位负责人 answer queries, comment and attach evidence; they see the reviewer's scores and
  problems once the 复核 is finished (before that only the threads, which are addressed to them);
* the 主管部门 审核人 reads everything.
"""

from __future__ import annotations

from ..evaluations.choices import Status
from ..evaluations.models import EvaluationRecord
from ..evaluations.workflow import EDITORS
from ..organisations.access import Access
from ..organisations.models import Role
from .models import Side

#: the statuses in which the reviewer works on the sheet: submitted and not yet published
SHEET_OPEN: tuple[str, ...] = (Status.SUBMITTED, Status.DEPARTMENT_APPROVED, Status.FINANCE_REVIEWED)
#: the statuses in which the 复核 is finished and its outcome shown to the unit
FINISHED: tuple[str, ...] = (Status.FINANCE_REVIEWED, Status.PUBLISHED)


def is_reviewer(access: Access, record: EvaluationRecord) -> bool:
    return access.reaches(Role.FINANCE_ADMIN, record)


def is_unit(access: Access, record: EvaluationRecord) -> bool:
    return any(access.reaches(role, record) for role in EDITORS)


def side_of(access: Access, record: EvaluationRecord) -> str | None:
    """The side ``access`` speaks for in the threads (the reviewer's side wins for a system administrator)."""
    if is_reviewer(access, record):
        return Side.REVIEWER
    if is_unit(access, record):
        return Side.UNIT
    return None


def may_score(access: Access, record: EvaluationRecord) -> bool:
    return is_reviewer(access, record) and record.status in SHEET_OPEN


def may_write(access: Access, record: EvaluationRecord) -> bool:
    """Post a message or attach a file: either side, until the evaluation is published."""
    return side_of(access, record) is not None and record.status != Status.PUBLISHED


def sees_outcome(access: Access, record: EvaluationRecord) -> bool:
    """The reviewer's scores, problems and the 复核意见书: the roles above the unit always, the unit once finished."""
    if is_reviewer(access, record) or access.reaches(Role.DEPARTMENT_REVIEWER, record):
        return True
    return record.status in FINISHED
