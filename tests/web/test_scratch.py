"""Uploads are read in scratch folders under the data folder, never left in the system's temp folder; what a killed
process leaves is swept after a day (issue 10 §11)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from jixiao.web import scratch


def test_a_scratch_folder_is_under_the_data_folder_and_gone_after_its_block(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    with scratch.folder("import-") as folder:
        (folder / "upload.xlsx").write_bytes(b"PK")
        assert folder.parent == tmp_path / "scratch"
    with pytest.raises(RuntimeError), scratch.folder("import-") as folder:
        raise RuntimeError("读取时出错")
    assert list((tmp_path / "scratch").iterdir()) == []


def test_what_a_killed_process_left_is_swept_after_a_day(settings, tmp_path: Path, capsys) -> None:
    settings.MEDIA_ROOT = tmp_path
    root = scratch.root()
    old, fresh = root / "import-old", root / "import-fresh"
    for folder in (old, fresh):
        folder.mkdir()
        (folder / "upload.xlsx").write_bytes(b"PK")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    call_command("sweep_scratch")
    assert "已删除 1 个超过 24 小时的临时文件夹" in capsys.readouterr().out
    assert sorted(p.name for p in root.iterdir()) == ["import-fresh"]


def test_an_import_leaves_nothing_behind(client, settings, tmp_path: Path, world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jixiao.web.organisations.models import Role
    from tests.web.conftest import client_for

    settings.MEDIA_ROOT = tmp_path
    filler = client_for(world.user(Role.FILLER, "A1"))
    filler.post("/evaluations/import/", {"file": SimpleUploadedFile("报告.txt", "项目名称：科普经费".encode())})
    assert list(scratch.root().iterdir()) == []


def test_a_large_upload_is_spooled_into_the_scratch_folder_not_the_system_temp_folder() -> None:
    """Django writes an upload above FILE_UPLOAD_MAX_MEMORY_SIZE to a file while it arrives; a request killed then
    leaves that file where the sweep finds it."""
    from django.conf import settings
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile("批量.zip", "application/zip", 0, None)
    try:
        assert Path(upload.temporary_file_path()).parent == scratch.root()
        assert scratch.root() == Path(settings.MEDIA_ROOT) / "scratch"
    finally:
        upload.close()
