"""The migrations describe the models exactly: a model change without its migration fails here, not on a
finance bureau's server."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_no_model_change_lacks_a_migration(db: None) -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        raise AssertionError(f"有模型改动没有迁移文件：\n{out.getvalue()}") from exit_
