"""Who may send a task's files in bulk and see a batch: the task's managers (the organisation that opened it, or
the 财政局 above), and a 主管部门审核人 for its own units' projects. A batch is seen by whoever uploaded it and by
the task's managers."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from ..evaluations.models import EvaluationRecord
from ..evaluations.workflow import REVIEWERS
from ..organisations.access import Access, access_for
from ..tasks.access import may_manage, visible_tasks
from ..tasks.models import Task
from .models import IntakeBatch

REFUSED = "只有发起任务的单位、其上级财政局，或项目所属主管部门的审核人可以批量接收文件"


def may_upload(access: Access, task: Task) -> bool:
    if may_manage(access, task):
        return True
    scope = access.scope(*REVIEWERS)
    return scope is not None and EvaluationRecord.objects.filter(scope, task=task).exists()


def may_see(access: Access, batch: IntakeBatch, user_id: int | None) -> bool:
    return batch.uploaded_by_id == user_id or may_manage(access, batch.task)


def get_batch(request: HttpRequest, pk: int) -> IntakeBatch:
    access = access_for(request.user)
    batch = IntakeBatch.objects.filter(pk=pk, task__in=visible_tasks(access)).select_related("task__owner").first()
    if batch is None or not may_see(access, batch, request.user.pk):
        raise Http404("这批文件不存在或无权查看")
    return batch


def batches_of(access: Access, task: Task, user_id: int | None) -> list[IntakeBatch]:
    batches = task.intake_batches.all()
    if not may_manage(access, task):
        batches = batches.filter(uploaded_by_id=user_id)
    return list(batches[:50])
