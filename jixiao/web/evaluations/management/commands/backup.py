"""``manage.py backup [--out 文件夹或文件]``: one archive of the database, uploaded and generated files and the
session key, with a manifest of checksums (``jixiao/web/backup.py``; docs/deploy.md 「备份与恢复」)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from .... import backup


class Command(BaseCommand):
    help = (
        "备份数据库（SQLite 在线备份或 pg_dump）、media/ 下的文件和会话密钥，写成一个 .tar.gz 文件，"
        "默认放在数据目录的 backups/ 中；运行中的系统不必停止"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            help="备份写到哪个文件夹（文件名自动取 jixiao-备份-日期-时间.tar.gz），或写成哪个文件（以 .tar.gz 或 .tar 结尾）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.backup(options["out"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in backup.describe_backup(result):
            self.stdout.write(line)
