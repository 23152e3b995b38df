"""Reminders and extensions of a task's deadlines: the daily run tells the people who are behind, once per event;
the board reminds by hand and grants a later deadline to one unit, which the overdue count follows."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.evaluations.choices import Action, Status
from jixiao.web.evaluations.models import EvaluationRecord
from jixiao.web.organisations.models import Role
from jixiao.web.tasks.models import DeadlineExtension, Notice, Reminder, Task
from tests.web.conftest import World, client_for
from tests.web.test_tasks import open_task

DEADLINES = {"unit_deadline": "2023-04-20", "department_deadline": "2023-05-10", "finance_deadline": "2023-05-31"}


def opened(world: World) -> Task:
    for place in ("A1", "A2", "B1"):
        for role in (Role.FILLER, Role.UNIT_HEAD):
            user = world.user(role, place)
            user.email = f"{role}.{place}@example.gov.cn"
            user.save()
    open_task(world, **DEADLINES)
    return Task.objects.get()


def run(day: str) -> str:
    out = StringIO()
    call_command("send_reminders", "--date", day, stdout=out)
    return out.getvalue()


def test_nothing_is_sent_long_before_the_deadline(world: World) -> None:
    opened(world)
    assert run("2023-04-01") == "2023-04-01：发送提醒 0 条，共 0 人\n"
    assert not Reminder.objects.exists() and not mail.outbox


def test_units_behind_are_told_before_the_deadline_once(world: World) -> None:
    task = opened(world)
    assert run("2023-04-18") == "2023-04-18：发送提醒 3 条，共 6 人\n"
    assert run("2023-04-19") == "2023-04-19：发送提醒 0 条，共 0 人\n"  # the same event is not sent again
    reminders = {r.organisation.name: r for r in Reminder.objects.filter(task=task)}
    assert set(reminders) == {"甲一单位", "甲二单位", "乙一单位"}
    assert {r.kind for r in reminders.values()} == {Reminder.Kind.UNIT_SOON}
    assert len(mail.outbox) == 3
    message = next(m for m in mail.outbox if "filler.A1@example.gov.cn" in m.to)
    assert message.subject == "绩效自评提醒：2022年度项目支出绩效自评"
    assert (
        message.body
        == "【2022年度项目支出绩效自评】甲一单位有 1 份评价尚未提交；截止日期为 2023年04月20日，请按时办理。"
    )
    notices = Notice.objects.filter(user=world.user(Role.FILLER, "A1"))
    assert [n.url for n in notices] == ["/tasks/todo/"]
    # the board lists what was sent: when, to whom, which kind, the deadline, how many pending, how many people
    page = client_for(world.user(Role.FINANCE_ADMIN, "F1")).get(f"/tasks/{task.pk}/").content.decode()
    table = page.split('<table id="reminders">', 1)[1].split("</table>", 1)[0]
    sent = timezone.localtime(reminders["甲一单位"].sent_at).strftime("%Y-%m-%d %H:%M")
    assert (
        f"<tr><td>{sent}</td><td>甲一单位</td><td>{reminders['甲一单位'].get_kind_display()}</td><td>2023-04-20</td>"
        '<td class="num">1</td><td class="num">2</td></tr>'
    ) in table
    assert table.count("<tr><td>") == 3


def test_overdue_units_are_told_again_and_submitted_ones_are_not(world: World) -> None:
    task = opened(world)
    run("2023-04-18")
    a1 = EvaluationRecord.objects.get(project_code="440800-001")
    evaluation_services.move(a1.pk, Action.START, None)
    evaluation_services.move(a1.pk, Action.SUBMIT, None, gate=False)
    assert run("2023-04-21") == "2023-04-21：发送提醒 2 条，共 4 人\n"  # 甲二 and 乙一 overdue; 甲一 submitted
    kinds = {(r.organisation.name, r.kind) for r in Reminder.objects.filter(task=task, deadline__gte="2023-04-20")}
    assert ("甲二单位", Reminder.Kind.UNIT_OVERDUE) in kinds and ("乙一单位", Reminder.Kind.UNIT_OVERDUE) in kinds
    assert ("甲一单位", Reminder.Kind.UNIT_OVERDUE) not in kinds
    assert ("甲主管部门", Reminder.Kind.REVIEW_SOON) not in kinds  # 19 days before its deadline: not yet
    review = Reminder.objects.filter(kind=Reminder.Kind.REVIEW_SOON)
    assert not review.exists()
    assert run("2023-05-08").startswith("2023-05-08：发送提醒 1 条")  # now the 主管部门 is told
    assert Reminder.objects.get(kind=Reminder.Kind.REVIEW_SOON).organisation == world.org("DA")


def test_the_board_reminds_one_unit_by_hand_and_logs_it(world: World) -> None:
    task = opened(world)
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    response = finance.post(f"/tasks/{task.pk}/remind/", {"unit": world.org("A2").pk})
    assert response.status_code == 302
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.organisation, reminder.recipients) == ("manual", world.org("A2"), 2)
    assert reminder.sent_by == world.user(Role.FINANCE_ADMIN, "F1")
    finance.post(f"/tasks/{task.pk}/remind/", {"unit": world.org("A2").pk})
    assert Reminder.objects.count() == 2  # by hand, as often as asked, each logged
    # the board lists them, newest first, at Beijing time
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=dt.datetime(2023, 4, 18, 16, 5, tzinfo=dt.UTC))
    page = finance.get(f"/tasks/{task.pk}/").content.decode()
    logged = page[page.index('<table id="reminders">') :]
    rows = logged[: logged.index("</table>")].split("<tr>")[2:]
    assert len(rows) == 2 and rows[1].startswith("<td>2023-04-19 00:05</td><td>甲二单位</td><td>手动提醒</td>"), rows


def test_an_extension_moves_one_units_deadline_and_the_overdue_count(world: World) -> None:
    task = opened(world)
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    data = {"unit": world.org("A1").pk, "deadline": "2099-12-31", "reason": "单位主要负责人调整，申请延期"}
    finance.post(f"/tasks/{task.pk}/extend/", data)
    extension = DeadlineExtension.objects.get()
    assert (extension.unit, extension.deadline, extension.granted_by_name) == (
        world.org("A1"),
        dt.date(2099, 12, 31),
        world.user(Role.FINANCE_ADMIN, "F1").get_full_name(),
    )
    board = finance.get(f"/tasks/{task.pk}/").context["total"]
    assert board.overdue == 2  # the task's deadline passed long ago; 甲一 has until 2099
    assert run("2023-04-21").startswith("2023-04-21：发送提醒 2 条")  # 甲一 is not overdue
    # the unit's row of the drilled-down board says so, and only its row
    rows = finance.get(f"/tasks/{task.pk}/?department={world.org('DA').pk}").context["rows"]
    assert {row.name: row.extended_to for row in rows} == {"甲一单位": dt.date(2099, 12, 31), "甲二单位": None}
    assert {row.name: row.overdue for row in rows} == {"甲一单位": 0, "甲二单位": 1}


def test_an_extension_must_be_later_than_the_tasks_deadline(world: World) -> None:
    task = opened(world)
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    response = finance.post(
        f"/tasks/{task.pk}/extend/", {"unit": world.org("A1").pk, "deadline": "2023-04-01", "reason": "x"}, follow=True
    )
    assert not DeadlineExtension.objects.exists()
    assert "甲一单位延期未保存：延期后的日期须晚于任务的填报截止日期（2023年04月20日）" in response.content.decode()


def test_only_those_running_the_task_remind_or_extend(world: World) -> None:
    task = opened(world)
    for role, place, status in (
        (Role.FILLER, "A1", 404),  # units do not see the task
        (Role.FINANCE_ADMIN, "F2", 404),  # another finance bureau
        (Role.DEPARTMENT_REVIEWER, "DA", 403),  # sees the board, did not open the task
    ):
        client = client_for(world.user(role, place))
        assert client.post(f"/tasks/{task.pk}/remind/", {"unit": world.org("A1").pk}).status_code == status
        assert client.post(f"/tasks/{task.pk}/extend/", {"unit": world.org("A1").pk}).status_code == status
    assert not Reminder.objects.exists() and not DeadlineExtension.objects.exists()
    # a unit outside the task owner's reach is refused too
    finance = client_for(world.user(Role.FINANCE_ADMIN, "F1"))
    assert finance.post(f"/tasks/{task.pk}/remind/", {"unit": world.org("C1").pk}).status_code == 404


def test_notices_show_an_unread_count_until_read(world: World) -> None:
    opened(world)
    run("2023-04-18")
    filler = client_for(world.user(Role.FILLER, "A1"))
    assert 'id="unread-count">1<' in filler.get("/tasks/todo/").content.decode()
    page = filler.get("/tasks/notices/").content.decode()
    assert "甲一单位有 1 份评价尚未提交" in page
    assert 'id="unread-count"' not in filler.get("/tasks/todo/").content.decode()


def test_a_started_or_submitted_unit_is_not_pending(world: World) -> None:
    task = opened(world)
    for record in EvaluationRecord.objects.filter(task=task):
        evaluation_services.move(record.pk, Action.START, None)
        evaluation_services.move(record.pk, Action.SUBMIT, None, gate=False)
    assert set(EvaluationRecord.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
    assert run("2023-04-21") == "2023-04-21：发送提醒 0 条，共 0 人\n"
