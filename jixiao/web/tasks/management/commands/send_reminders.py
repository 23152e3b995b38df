"""``manage.py send_reminders``: the daily run of deadline reminders (cron: ``0 8 * * * .../manage.py send_reminders``),
and of the weekly reminders of overdue 整改事项. Running it more than once a day, or on several machines, sends each
reminder once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ....changes.context import change_context
from ....monitoring.reminders import remind_monitoring
from ....results.services import remind_overdue
from ... import background
from ...reminders import send_due


class Command(BaseCommand):
    help = "发送自评任务、整改事项和运行监控的截止提醒（每天运行一次；同一提醒不会重复发送）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--background", action="store_true", help="交给后台任务进程（db_worker）发送")

    def handle(self, *args: Any, **options: Any) -> None:
        today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        if options["background"]:
            result = background.send_reminders.enqueue(today.isoformat())
            self.stdout.write(f"{today:%Y-%m-%d}：已交给后台任务进程（任务编号 {result.id}）")
            return
        with change_context(source="cli"):
            sent = send_due(today)
            overdue = remind_overdue(today)
            monitoring = remind_monitoring(today)
        people = sum(r.recipients for r in sent)
        self.stdout.write(f"{today:%Y-%m-%d}：发送提醒 {len(sent)} 条，共 {people} 人")
        if overdue:
            self.stdout.write(f"{today:%Y-%m-%d}：逾期整改事项提醒 {overdue} 项")
        if monitoring:
            self.stdout.write(f"{today:%Y-%m-%d}：运行监控填报提醒 {monitoring} 个单位")
