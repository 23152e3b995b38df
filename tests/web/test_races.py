"""The loser of a race gets a Chinese page, never a server error (issue 10 §3): an evaluation deleted a moment before
is 404 「评价已不存在」, one that moved on is 409 「操作未执行」; the winner's change stands and nothing is half-done."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from jixiao.web.evaluations import services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Role
from tests.web.conftest import World, client_for


def test_every_service_tells_the_late_one_the_evaluation_is_gone(world: World, record_factory: Any) -> None:
    record = record_factory("A1")
    filler = world.user(Role.FILLER, "A1")
    services.soft_delete(record.pk, filler)
    evaluation = services.result_of(EvaluationRecord.all_objects.get(pk=record.pk)).evaluation
    for late in (
        lambda: services.soft_delete(record.pk, filler),
        lambda: services.move(record.pk, Action.SUBMIT, filler, gate=False),
        lambda: services.save(record.pk, evaluation, filler, record.revision),
        lambda: services.restore(record.pk, 1, filler, record.revision),
    ):
        with pytest.raises(services.Gone) as gone:
            late()
        assert str(gone.value) == "这份评价已被删除（可能是他人刚刚删除的），操作未执行"


def test_a_step_that_no_longer_applies_is_a_409_page(world: World, record_factory: Any, monkeypatch) -> None:
    """The page was read while the evaluation was a draft; someone submitted it before this delete arrived."""
    record = record_factory("A1")
    filler = client_for(world.user(Role.FILLER, "A1"))
    real = services.soft_delete

    def submitted_first(record_id: int, user: Any) -> None:
        services.move(record_id, Action.SUBMIT, None, gate=False)
        real(record_id, user)

    monkeypatch.setattr(services, "soft_delete", submitted_first)
    response = filler.post(f"/evaluations/{record.pk}/delete/")
    assert response.status_code == 409
    page = response.content.decode()
    assert "操作未执行" in page and "只有草稿或已退回的评价可以删除。请刷新页面查看最新状态。" in page
    assert EvaluationRecord.objects.get(pk=record.pk).status == Status.SUBMITTED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks: PostgreSQL only (make test runs it)")
def test_twenty_people_delete_and_submit_one_draft_at_once(world: World, record_factory: Any) -> None:
    record = record_factory("A1")
    users = [world.user(Role.FILLER, "A1"), world.user(Role.UNIT_HEAD, "A1")]
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def act(n: int) -> None:
        client = client_for(users[n % 2])
        try:
            barrier.wait(timeout=20)
            url = f"/evaluations/{record.pk}/delete/" if n % 2 else f"/evaluations/{record.pk}/action/submit/"
            data = {} if n % 2 else {"confirm": "yes"}
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(statuses) == 20 and set(statuses) <= {302, 404, 409}, statuses
    stored = EvaluationRecord.all_objects.get(pk=record.pk)
    deletes = stored.transitions.filter(action=Action.DELETE).count()
    submits = stored.transitions.filter(action=Action.SUBMIT).count()
    # one of the two kinds won, once (a draft the submit gate stops is deleted); the other never half-happened
    assert (deletes, submits) in ((1, 0), (0, 1))
    assert (stored.deleted_at is not None) == bool(deletes) and (stored.status == Status.SUBMITTED) == bool(submits)
