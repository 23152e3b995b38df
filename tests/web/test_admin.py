"""The admin in Chinese: a 系统管理员 brings back a deleted evaluation, and the undeletion is recorded."""

from __future__ import annotations

from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import EvaluationRecord
from tests.web.conftest import client_for


def test_the_admin_is_in_chinese_and_undeletes_a_soft_deleted_evaluation(world, record_factory):
    record = record_factory("A1")
    services.soft_delete(record.pk, world.user("filler", "A1"))
    assert not EvaluationRecord.objects.filter(pk=record.pk).exists()

    world.sysadmin.is_staff = world.sysadmin.is_superuser = True
    world.sysadmin.save()
    client = client_for(world.sysadmin)
    listing = client.get("/admin/evaluations/evaluationrecord/")
    assert listing.status_code == 200
    assert "恢复所选的已删除评价" in listing.content.decode()
    response = client.post(
        "/admin/evaluations/evaluationrecord/", {"action": "undelete", "_selected_action": [record.pk]}, follow=True
    )
    assert "已恢复 1 项评价。" in response.content.decode()
    record = EvaluationRecord.objects.get(pk=record.pk)
    assert record.deleted_at is None
    assert [t.action for t in record.transitions.all()][-2:] == ["delete", "undelete"]
    assert record.transitions.last().get_action_display() == "恢复已删除的评价"
    assert record.versions.count() == 1


def test_the_admin_refuses_to_add_or_delete_evaluations_directly(world):
    world.sysadmin.is_staff = world.sysadmin.is_superuser = True
    world.sysadmin.save()
    client = client_for(world.sysadmin)
    assert client.get("/admin/evaluations/evaluationrecord/add/").status_code == 403
