"""``manage.py backup`` and ``manage.py restore`` (jixiao/web/backup.py), on whichever database the pass uses.

The round trip is real: a world of evaluations, an imported original and files under media/ are backed up by the
command, then restored by ``manage.py restore`` in another process, started with an empty data folder (and, on
PostgreSQL, a second, empty database of the same cluster), as an operator would after losing a server. Every row
of every table (and the schema, and the PostgreSQL sequences) and the SHA-256 of every file must come back alike.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from jixiao.web import backup
from jixiao.web.evaluations.choices import Status
from jixiao.web.evaluations.importing import kept
from jixiao.web.evaluations.models import EvaluationRecord, EvaluationVersion, ImportedSource
from jixiao.web.organisations.models import Role
from tests.web.conftest import World

ROOT = Path(__file__).resolve().parents[2]
KEY = "backup-test-key-" + "k" * 40
#: bytes of every value, so that a BinaryField going through text on the way would show
ORIGINAL = bytes(range(256)) * 64 + "自评报告原件".encode()


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of the test's own: a session key file and media/ with generated documents, a nested
    Chinese name, an empty file, and a scratch folder that must not be kept."""
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    data = tmp_path / "data"
    media = data / "media"
    (media / "outputs" / "1-r1-unsigned").mkdir(parents=True)
    (media / "outputs" / "1-r1-unsigned" / "自评报告.docx").write_bytes(os.urandom(5000))
    (media / "上传" / "2022 年").mkdir(parents=True)
    (media / "上传" / "2022 年" / "佐证材料（一）.pdf").write_bytes(ORIGINAL)
    (media / "empty.txt").write_bytes(b"")
    (media / "scratch" / "upload-abc").mkdir(parents=True)
    (media / "scratch" / "upload-abc" / "half-read.zip").write_bytes(b"partial")
    (data / "secret_key").write_text(KEY)
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = media
    return data


@pytest.fixture
def filled(world: World, record_factory: Callable[..., EvaluationRecord]) -> World:
    record_factory("A1", Status.DRAFT, edits=2)
    record_factory("A2", Status.SUBMITTED, edits=1)
    published = record_factory("B1", Status.PUBLISHED)
    kept("佐证材料.pdf", ORIGINAL, {"source": "测试"}, None, world.user(Role.FILLER, "B1"), published)
    return world


def run_backup(out: Path) -> tuple[Path, str]:
    stdout = io.StringIO()
    call_command("backup", out=out, stdout=stdout)
    archives = sorted(out.iterdir())
    assert len(archives) == 1, archives  # no draft, no staging folder left beside it
    return archives[0], stdout.getvalue()


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def manifest_of(archive: Path) -> dict[str, Any]:
    return json.loads(members(archive)[backup.MANIFEST])


def rewrite(archive: Path, change: Callable[[dict[str, bytes], dict[str, Any]], None]) -> None:
    """The archive written again after ``change(members, manifest)``, checksums kept consistent."""
    content = members(archive)
    manifest = json.loads(content.pop(backup.MANIFEST))
    change(content, manifest)
    manifest["files"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in content.items()}
    content[backup.MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in content.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def file_sums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------------------------- both sides of a round trip


def plain_rows(db: Any, vendor: str) -> dict[str, Any]:
    """Every row of every table, the schema and (PostgreSQL) the sequences, through the driver alone."""
    cursor = db.cursor()
    found: dict[str, Any] = {}
    if vendor == "sqlite":
        cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        found["(schema)"] = cursor.fetchall()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")  # sqlite_sequence too
    else:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2"
        )
        found["(constraints)"] = cursor.fetchall()
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1, 2"
        )
        found["(indexes)"] = cursor.fetchall()
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1"
        )
        found["(sequences)"] = cursor.fetchall()
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()]
        found[table] = sorted(rows, key=repr)
    return found


def open_sqlite(name: str) -> sqlite3.Connection:
    return sqlite3.connect(name, uri=name.startswith("file:"))


def open_postgresql(settings_dict: dict[str, Any], name: str) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=name,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
    )


def rows_of(target: Path | str) -> dict[str, Any]:
    """The rows of the test's own database (``target`` its name) or of a restored one."""
    if connection.vendor == "sqlite":
        db = open_sqlite(str(target))
    else:
        db = open_postgresql(connection.settings_dict, str(target))
    try:
        return plain_rows(db, connection.vendor)
    finally:
        db.close()


@pytest.fixture
def empty_target(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], str]]:
    """An empty data folder, the environment of a process configured for it, and where its database is: a file
    in the folder on SQLite, a second, empty database of the test cluster on PostgreSQL (dropped afterwards)."""
    folder = tmp_path / "restored"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "JIXIAO_"))}
    env.update(DJANGO_SETTINGS_MODULE="jixiao.web.settings", JIXIAO_DATA_DIR=str(folder), PYTHONPATH=str(ROOT))
    if connection.vendor == "sqlite":
        yield folder, env, str(folder / "jixiao.sqlite3")
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    env["DATABASE_URL"] = f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}{port}/{name}"
    try:
        yield folder, env, name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_a_backup_restored_into_an_empty_system_brings_back_every_row_and_file(
    transactional_db: None, filled: World, data_dir: Path, tmp_path: Path, empty_target: Any
) -> None:
    archive, said = run_backup(tmp_path / "backups")
    assert archive.name.startswith("jixiao-备份-") and archive.name.endswith(".tar.gz")
    assert "备份已写出" in said and "绩效自评 3 行" in said, said
    assert archive.stat().st_mode & 0o077 == 0  # the session key and all the data: its owner's only

    content = members(archive)
    manifest = json.loads(content[backup.MANIFEST])
    media = {n for n in content if n.startswith("media/")}
    assert media == {
        "media/outputs/1-r1-unsigned/自评报告.docx",
        "media/上传/2022 年/佐证材料（一）.pdf",
        "media/empty.txt",
    }
    assert content["secret_key"].decode() == KEY and manifest["secret_key"] == "file"
    assert list(content)[-1] == backup.MANIFEST
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["jixiao_version"] and manifest["created_at"]
    leaves = dict(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    assert manifest["migrations"]["evaluations"] == leaves["evaluations"]
    assert manifest["tables"]["evaluations_evaluationrecord"] == {
        "model": "evaluations.EvaluationRecord",
        "rows": EvaluationRecord.all_objects.count(),
    }
    assert manifest["tables"]["evaluations_importedsource"]["rows"] == 1
    for name, data in content.items():
        if name != backup.MANIFEST:
            assert manifest["files"][name] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

    folder, env, restored_db = empty_target
    result = manage(env, "restore", str(archive))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已从" in result.stdout and "每张表的行数都与备份清单一致" in result.stdout, result.stdout

    original = rows_of(connection.settings_dict["NAME"])
    assert original["evaluations_importedsource"][0].count(ORIGINAL) == 1
    assert len(original["evaluations_evaluationversion"]) == EvaluationVersion.objects.count() >= 6
    assert rows_of(restored_db) == original
    expected_files = {k: v for k, v in file_sums(data_dir / "media").items() if not k.startswith("scratch/")}
    assert file_sums(folder / "media") == expected_files
    assert (folder / "secret_key").read_text() == KEY
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # nothing staged left behind

    # a second restore finds the system in use: refused unless forced, and the data stay as they are
    again = manage(env, "restore", str(archive))
    assert again.returncode != 0
    assert "不是空的" in again.stderr and archive.name in again.stderr and "--force" in again.stderr, again.stderr
    forced = manage(env, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert rows_of(restored_db) == original
    assert file_sums(folder / "media") == expected_files


def damage_database_member(archive: Path) -> None:
    """One byte changed inside the database copy of an uncompressed archive."""
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("database/"))
    with open(archive, "r+b") as raw:
        raw.seek(member.offset_data + member.size // 2)
        byte = raw.read(1)
        raw.seek(-1, io.SEEK_CUR)
        raw.write(bytes([byte[0] ^ 0x01]))


def damage_middle(archive: Path) -> None:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))


def cut_short(archive: Path) -> None:
    archive.write_bytes(archive.read_bytes()[:-3000])


@pytest.mark.parametrize(
    ("suffix", "damage", "said"),
    [
        (".tar", damage_database_member, "与备份清单中的校验值（SHA-256）不符"),
        (".tar.gz", damage_middle, "损坏"),
        (".tar.gz", cut_short, "不完整"),
    ],
    ids=["byte-in-database", "byte-in-compressed", "cut-short"],
)
def test_a_damaged_archive_is_refused_before_anything_is_written(
    transactional_db: None,
    filled: World,
    data_dir: Path,
    tmp_path: Path,
    suffix: str,
    damage: Callable[[Path], None],
    said: str,
) -> None:
    archive = tmp_path / "backups" / f"备份{suffix}"
    call_command("backup", out=archive, stdout=io.StringIO())
    damage(archive)
    before = (file_sums(data_dir), rows_of(connection.settings_dict["NAME"]))
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), force=True, stdout=io.StringIO())
    message = str(refused.value)
    assert said in message and str(archive) in message and "未恢复任何内容" in message, message
    assert (file_sums(data_dir), rows_of(connection.settings_dict["NAME"])) == before
    with pytest.raises(CommandError):
        call_command("restore", str(archive), verify=True, stdout=io.StringIO())


def test_an_archive_from_another_database_or_a_newer_program_is_refused(
    transactional_db: None, data_dir: Path, tmp_path: Path
) -> None:
    archive, _ = run_backup(tmp_path / "backups")
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def from_other_database(content: dict[str, bytes], manifest: dict[str, Any]) -> None:
        content[backup.DATABASE_MEMBER[other]] = content.pop(manifest["database"]["member"])
        manifest["database"].update(vendor=other, member=backup.DATABASE_MEMBER[other])

    rewrite(archive, from_other_database)
    with pytest.raises(CommandError, match="只能恢复到同一种数据库") as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert str(archive) in str(refused.value)

    archive, _ = run_backup(tmp_path / "newer")
    rewrite(archive, lambda content, manifest: manifest["migrations"].update(evaluations="9999_future"))
    with pytest.raises(CommandError, match=r"evaluations\.9999_future.*更新的版本"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_restore_refuses_a_database_in_use_without_force(
    transactional_db: None, filled: World, data_dir: Path, tmp_path: Path
) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("测试用的 SQLite 数据库在内存中，不能在本进程中恢复；SQLite 上的拒绝由往返测试在另一进程中检验")
    archive, _ = run_backup(tmp_path / "backups")
    with pytest.raises(CommandError, match="不是空的") as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert "绩效自评" in str(refused.value) and "--force" in str(refused.value)
    assert ImportedSource.objects.count() == 1


def test_backup_goes_to_the_data_folder_never_overwrites_and_leaves_nothing_when_it_fails(
    transactional_db: None, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_command("backup", stdout=io.StringIO())
    (archive,) = (data_dir / "backups").iterdir()
    assert archive.name.startswith("jixiao-备份-") and archive.suffixes[-2:] == [".tar", ".gz"]
    with pytest.raises(CommandError, match="已存在，不会覆盖"):
        call_command("backup", out=archive, stdout=io.StringIO())

    plain = tmp_path / "plain.tar"
    call_command("backup", out=plain, stdout=io.StringIO())
    with tarfile.open(plain, "r:") as tar:  # uncompressed when asked for by the name
        assert tar.getnames()[-1] == backup.MANIFEST
    verified = io.StringIO()
    call_command("restore", str(plain), verify=True, stdout=verified)
    assert "完好" in verified.getvalue()

    def full_disk(media_root: Path, skip: Path | None = None) -> Iterator[tuple[Path, str]]:
        yield data_dir / "secret_key", "media/first"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_media_files", full_disk)
    failed = tmp_path / "failed"
    with pytest.raises(CommandError, match=r"写出备份文件 .* 失败"):
        call_command("backup", out=failed, stdout=io.StringIO())
    assert list(failed.iterdir()) == []
