"""``manage.py sweep_scratch``: remove the scratch folders of uploads older than a day (a crash leaves them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ....scratch import STALE_AFTER, sweep


class Command(BaseCommand):
    help = "删除上传文件读取时留下、超过一天的临时文件夹（进程中途被终止时会留下）"

    def handle(self, *args: Any, **options: Any) -> None:
        gone = sweep()
        self.stdout.write(f"已删除 {len(gone)} 个超过 {STALE_AFTER // 3600} 小时的临时文件夹")
