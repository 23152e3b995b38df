"""``manage.py restore 备份文件 [--force] [--verify]``: check every checksum of an archive written by
``manage.py backup``, then restore it into the configured (empty) database and data folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from .... import backup


class Command(BaseCommand):
    help = (
        "从 manage.py backup 写出的备份文件恢复数据库、media/ 下的文件和会话密钥；先核对每个文件的校验值，"
        "只恢复到空的数据库和数据目录（加 --force 才覆盖现有数据）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="备份文件（jixiao-备份-….tar.gz）")
        parser.add_argument("--force", action="store_true", help="数据库或数据目录已有数据时也恢复（覆盖现有数据）")
        parser.add_argument("--verify", action="store_true", help="只核对备份文件是否完好，不恢复、不写入任何内容")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            if options["verify"]:
                lines = backup.describe_verified(archive, backup.verify(archive))
            else:
                lines = backup.describe_restore(backup.restore(archive, force=options["force"]))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in lines:
            self.stdout.write(line)
