"""Backups of the web system: one archive file holding the database, the files under ``media/`` and the session
key, with a manifest of checksums and row counts; verified and restored into an empty data folder and database.

An archive (``jixiao-备份-YYYYMMDD-HHMMSS.tar.gz``) holds::

    database/jixiao.sqlite3   SQLite: a copy made with SQLite's online backup API (safe while the server writes)
    database/jixiao.pgdump    PostgreSQL: pg_dump --format=custom, taken in the snapshot the row counts were read in
    secret_key                the data folder's session key, when the key comes from that file
    media/…                   uploads and generated documents (not media/scratch: work in progress)
    manifest.json             last: when, which version, which database, migration state, rows per table, and the
                              SHA-256 and size of every other member

An archive is written under a temporary name, read back and checked against its manifest, and only then given its
final name. A restore checks every checksum before it writes anything, stages everything beside its destination,
and then moves it into place. The cache, scratch and static folders are not kept: they are rebuilt by themselves.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

import jixiao

FORMAT = "jixiao-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
KEY_FILE = "secret_key"
MEDIA = "media"
#: the database member's name per vendor
DATABASE_MEMBER = {"sqlite": "database/jixiao.sqlite3", "postgresql": "database/jixiao.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
#: tables that ``migrate`` fills by itself: rows there do not make a database "in use"
MIGRATE_FILLS = frozenset({"django_migrations", "django_content_type", "auth_permission"})
#: the tables named in summaries, in this order
HEADLINE = (
    "evaluations.EvaluationRecord",
    "evaluations.EvaluationVersion",
    "evaluations.ImportedSource",
    "organisations.Organisation",
    "auth.User",
    "tasks.Task",
)
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 64 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese and names the file."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    seconds: float


@dataclass
class RestoreResult:
    archive: Path
    manifest: dict[str, Any]
    database: str
    media_root: Path
    files: int
    secret_key: Path | None
    seconds: float
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------- backup


def backup(out: Path | None = None) -> BackupResult:
    """Write an archive of the configured database, ``MEDIA_ROOT`` and the session key file; its path.

    ``out`` is a folder (default ``DATA_DIR/backups``) or a file name ending in ``.tar.gz``, ``.tgz`` or ``.tar``
    (uncompressed). An existing file is never overwritten.
    """
    started = time.monotonic()
    final = _archive_path(out, timezone.localtime())
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(f"不支持备份 {vendor} 数据库（只支持 SQLite 和 PostgreSQL）")
    try:
        final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupError(f"无法建立备份文件夹 {final.parent}：{exc}") from exc
    if final.exists():
        raise BackupError(f"备份文件 {final} 已存在，不会覆盖")
    draft = final.with_name(f".{final.name}.{os.getpid()}.part")
    stage = Path(tempfile.mkdtemp(prefix=".jixiao-backup-", dir=final.parent))
    try:
        dump = stage / Path(DATABASE_MEMBER[vendor]).name
        if vendor == "sqlite":
            state = _dump_sqlite(dump)
        else:
            state = _dump_postgresql(dump)
        models = _models_by_table()
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "jixiao_version": jixiao.__version__,
            "database": {"vendor": vendor, "member": DATABASE_MEMBER[vendor], "server_version": state.server_version},
            "migrations": state.migrations,
            "tables": {name: {"model": models.get(name), "rows": rows} for name, rows in sorted(state.rows.items())},
            "secret_key": _secret_key_source(),
            "files": {},
        }
        _write_archive(draft, final, dump, manifest)
        try:  # read back: a backup that cannot be read is no backup
            _scan_and_compare(draft, manifest, shown=final)
        except BackupError as exc:
            raise BackupError(f"{exc}；未写出备份") from exc
        _publish(draft, final)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        with suppress(FileNotFoundError):
            draft.unlink()
    return BackupResult(final, manifest, time.monotonic() - started)


def _archive_path(out: Path | None, now: datetime) -> Path:
    name = f"jixiao-备份-{now:%Y%m%d-%H%M%S}.tar.gz"
    if out is None:
        return Path(settings.DATA_DIR) / "backups" / name
    out = Path(out).absolute()
    if out.name.endswith((".tar", ".tar.gz", ".tgz")) and not out.is_dir():
        return out
    return out / name


@dataclass
class _DatabaseState:
    rows: dict[str, int]
    migrations: dict[str, str]
    server_version: str


def _dump_sqlite(dump: Path) -> _DatabaseState:
    """Copy the database with SQLite's backup API (one step: a consistent snapshot however busy the server is),
    in rollback-journal mode so that the copy is one self-contained file, and read its counts from the copy."""
    if connection.in_atomic_block:
        # the copy would wait for ever for this connection's own transaction to end
        raise BackupError("不能在数据库事务中备份 SQLite 数据库")
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(dump)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        problem = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(
                f"数据库 {connection.settings_dict['NAME']} 已损坏（SQLite 完整性检查：{problem}），未写出备份"
            )
        cursor = copy.cursor()
        return _DatabaseState(_row_counts(cursor, "sqlite"), _migrations(cursor), sqlite3.sqlite_version)
    finally:
        copy.close()


def _dump_postgresql(dump: Path) -> _DatabaseState:
    """pg_dump in a snapshot exported by a read-only transaction that also counts the rows, so that the
    manifest's counts are those of the dump even while the system is in use."""
    default = connections[DEFAULT_DB_ALIAS]
    wrapper = type(default)(dict(default.settings_dict), DEFAULT_DB_ALIAS)  # a connection of its own
    try:
        wrapper.ensure_connection()
        raw = wrapper.connection
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            rows = _row_counts(cursor, "postgresql")
            migrations = _migrations(cursor)
            _run_pg(
                "pg_dump",
                ["--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={dump}"],
                wrapper.settings_dict,
                doing="备份数据库",
            )
            cursor.execute("ROLLBACK")
    finally:
        wrapper.close()
    return _DatabaseState(rows, migrations, server_version)


def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


def _row_counts(cursor: Any, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # names from the catalogue, not from a user
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations(cursor: Any) -> dict[str, str]:
    """The latest applied migration of each app (names begin with a zero-padded number)."""
    try:
        cursor.execute("SELECT app, name FROM django_migrations")
    except Exception as exc:
        raise BackupError(
            "数据库还没有迁移（没有 django_migrations 表），没有可备份的数据：请先运行 manage.py migrate"
        ) from exc
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def _models_by_table() -> dict[str, str]:
    return {model._meta.db_table: model._meta.label for model in apps.get_models(include_auto_created=True)}


def _secret_key_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE


def _secret_key_source() -> str:
    """Where the running system's session key comes from: ``file`` (kept in the archive), ``environment``
    (DJANGO_SECRET_KEY: the environment file is kept elsewhere) or ``none``."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return "environment"
    return "file" if _secret_key_file().is_file() else "none"


class _HashingReader:
    """A file read once into the archive, its SHA-256 taken on the way (no second read that could see other
    bytes)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


def _media_files(media_root: Path, skip: Path | None = None) -> Iterator[tuple[Path, str]]:
    """Every regular file under ``media_root`` but the scratch folder (and the backup folder, were it there)."""
    if not media_root.is_dir():
        return
    scratch = media_root / "scratch"
    for folder, dirs, files in os.walk(media_root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if here / d not in (scratch, skip))
        for name in sorted(files):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path, f"{MEDIA}/{path.relative_to(media_root).as_posix()}"


def _write_archive(draft: Path, final: Path, dump: Path, manifest: dict[str, Any]) -> None:
    files: dict[str, dict[str, Any]] = manifest["files"]
    mode = "w:gz" if final.name.endswith((".gz", ".tgz")) else "w"
    options: dict[str, Any] = {"compresslevel": 6} if mode == "w:gz" else {}

    def add(tar: tarfile.TarFile, path: Path, name: str) -> None:
        with open(path, "rb") as raw:
            info = tar.gettarinfo(arcname=name, fileobj=raw)
            info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
            reader = _HashingReader(raw)
            tar.addfile(info, reader)
        files[name] = {"sha256": reader.sha256.hexdigest(), "size": info.size}

    try:
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            with tarfile.open(fileobj=out, mode=mode, format=tarfile.PAX_FORMAT, **options) as tar:
                add(tar, dump, manifest["database"]["member"])
                if manifest["secret_key"] == "file":
                    add(tar, _secret_key_file(), KEY_FILE)
                for path, name in _media_files(Path(settings.MEDIA_ROOT), skip=final.parent):
                    try:
                        add(tar, path, name)
                    except FileNotFoundError:
                        continue  # a generated document replaced while we walked: it is rebuilt when asked for
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
                tar.addfile(info, io.BytesIO(data))
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise BackupError(f"写出备份文件 {final} 失败：{exc}") from exc


def _publish(draft: Path, final: Path) -> None:
    """Give the finished archive its name: never over an existing file, and on disk before the name appears."""
    try:
        os.link(draft, final)
    except FileExistsError as exc:
        raise BackupError(f"备份文件 {final} 已存在，不会覆盖") from exc
    except OSError:  # a file system without hard links (some network shares)
        if final.exists():
            raise BackupError(f"备份文件 {final} 已存在，不会覆盖") from None
        os.replace(draft, final)
    _sync_folder(final.parent)


def _sync_folder(folder: Path) -> None:
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ------------------------------------------------------------------------------------------------- reading archives


def _members(archive: Path, shown: Path, handle: Callable[[str, IO[bytes]], None]) -> None:
    """Call ``handle(name, stream)`` for each member of ``archive`` in order, reading it once, as a stream. A
    damaged or cut-off archive, or one with anything but plain files, raises BackupError naming ``shown``."""
    if not archive.is_file():
        raise BackupError(f"找不到备份文件 {shown}")
    seen: set[str] = set()
    try:
        with open(archive, "rb") as raw:
            compressed = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            # gzip's own reader, not tarfile's: it checks the CRC of the whole stream when it reaches the end
            source: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
            with tarfile.open(fileobj=source, mode="r|") as tar:
                for member in tar:
                    if not member.isfile():
                        raise BackupError(
                            f"备份文件 {shown} 中有不是普通文件的条目 {member.name}：不是本系统写出的备份"
                        )
                    if member.name in seen:
                        raise BackupError(f"备份文件 {shown} 中的 {member.name} 出现了两次：不是本系统写出的备份")
                    seen.add(member.name)
                    stream = tar.extractfile(member)
                    assert stream is not None  # a regular file always has one
                    handle(member.name, stream)
            while source.read(CHUNK):  # to the end, past the tar's end marker: there the CRC is checked
                pass
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"备份文件 {shown} 已损坏或不完整，无法读取（{exc}）") from exc


def _scan_and_compare(
    archive: Path, expected: dict[str, Any] | None = None, shown: Path | None = None
) -> dict[str, Any]:
    """Read the whole archive once: the SHA-256 of every member, compared with its manifest (or with
    ``expected``, the manifest just written); the manifest."""
    shown = shown or archive
    found: dict[str, dict[str, Any]] = {}
    manifest_data: list[bytes] = []

    def handle(name: str, stream: IO[bytes]) -> None:
        if name == MANIFEST:
            manifest_data.append(stream.read(MANIFEST_MAX_BYTES + 1))
            return
        sha, size = hashlib.sha256(), 0
        while chunk := stream.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
        found[name] = {"sha256": sha.hexdigest(), "size": size}

    _members(archive, shown, handle)
    if not manifest_data or len(manifest_data[0]) > MANIFEST_MAX_BYTES:
        raise BackupError(f"备份文件 {shown} 中没有备份清单 {MANIFEST}：备份已损坏或不完整，或不是本系统写出的备份")
    try:
        manifest = json.loads(manifest_data[0])
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"备份文件 {shown} 的备份清单 {MANIFEST} 已损坏（{exc}）") from exc
    _check_manifest(manifest, shown)
    if expected is not None and manifest != expected:
        raise BackupError(f"备份文件 {shown} 写出后读回的备份清单与写入的不同：磁盘可能有问题")
    listed: dict[str, dict[str, Any]] = manifest["files"]
    for name in sorted(set(listed) | set(found)):
        if name not in found:
            raise BackupError(f"备份文件 {shown} 缺少备份清单中列出的 {name}：备份不完整")
        if name not in listed:
            raise BackupError(f"备份文件 {shown} 中的 {name} 不在备份清单中：不是本系统写出的备份")
        if found[name] != {"sha256": listed[name].get("sha256"), "size": listed[name].get("size")}:
            raise BackupError(f"备份文件 {shown} 中的 {name} 与备份清单中的校验值（SHA-256）不符：备份已损坏")
    return manifest


def _check_manifest(manifest: Any, shown: Path) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"备份文件 {shown} 不是本系统写出的备份（备份清单格式不对）")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份文件 {shown} 的格式版本是 {manifest.get('format_version')}，本程序只能读取第 {FORMAT_VERSION} 版：请用写出它的版本恢复"
        )
    database = manifest.get("database")
    files = manifest.get("files")
    if (
        not isinstance(database, dict)
        or database.get("member") != DATABASE_MEMBER.get(database.get("vendor", ""))
        or not isinstance(files, dict)
        or database["member"] not in files
        or not isinstance(manifest.get("tables"), dict)
        or not isinstance(manifest.get("migrations"), dict)
    ):
        raise BackupError(f"备份文件 {shown} 的备份清单不完整（缺少数据库、文件或表的记录）")
    for name in files:
        if name not in (database["member"], KEY_FILE) and _media_parts(name) is None:
            raise BackupError(f"备份文件 {shown} 的备份清单中有不允许的文件名 {name}")


def _media_parts(name: str) -> tuple[str, ...] | None:
    """The path under ``media/`` of a member name, or None unless it is a plain relative path there."""
    path = PurePosixPath(name)
    parts = path.parts
    if path.is_absolute() or len(parts) < 2 or parts[0] != MEDIA or any(p in ("", ".", "..") for p in parts):
        return None
    if "\\" in name or "\x00" in name:
        return None
    return parts[1:]


def verify(archive: Path) -> dict[str, Any]:
    """The manifest of ``archive`` once every member has been read and found to match it."""
    return _scan_and_compare(Path(archive))


# --------------------------------------------------------------------------------------------------------- restore


def restore(archive: Path, force: bool = False) -> RestoreResult:
    """Restore ``archive`` into the configured database and data folder.

    Nothing is written until every checksum has been found right, the archive's database is the configured kind,
    this program knows every migration it has applied, and the target is empty (or ``force``).
    """
    started = time.monotonic()
    archive = Path(archive).absolute()
    try:
        manifest = verify(archive)
    except BackupError as exc:
        raise BackupError(f"{exc}；未恢复任何内容") from exc
    vendor = connection.vendor
    source_vendor = manifest["database"]["vendor"]
    if source_vendor != vendor:
        raise BackupError(
            f"备份文件 {archive} 中是 {VENDOR_NAMES[source_vendor]} 数据库，而本系统配置的是 "
            f"{VENDOR_NAMES.get(vendor, vendor)}：只能恢复到同一种数据库（检查 DATABASE_URL 是否设置正确）"
        )
    pending = _check_migrations(manifest, archive)
    sqlite_target = _sqlite_target() if vendor == "sqlite" else None
    media_root = Path(settings.MEDIA_ROOT)
    in_use = _in_use(sqlite_target, media_root)
    if in_use and not force:
        raise BackupError(
            f"要恢复到的数据库和数据目录不是空的（{in_use}），未恢复 {archive}：恢复会覆盖现有的数据。"
            "确要覆盖，请先停止网页和后台进程、用 manage.py backup 备份现有数据，再加 --force 重新运行"
        )

    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged_media = Path(tempfile.mkdtemp(prefix=".media-restoring-", dir=media_root.parent))
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".jixiao-restoring-", dir=data_dir))  # beside the key it replaces
    staged_db = (
        sqlite_target.parent if sqlite_target else scratch
    ) / f".{Path(manifest['database']['member']).name}.restoring-{os.getpid()}"
    staged_key = scratch / KEY_FILE
    notes: list[str] = []
    key: Path | None = None
    clean = sqlite_target is None and (bool(in_use) or _has_tables())
    try:
        count = _extract(archive, manifest, staged_db, staged_media, staged_key)
        if sqlite_target is not None:
            _check_sqlite_copy(staged_db, manifest, archive)
            connection.close()
            for suffix in ("-wal", "-shm", "-journal"):
                with suppress(FileNotFoundError):
                    Path(f"{sqlite_target}{suffix}").unlink()
            os.replace(staged_db, sqlite_target)
            _own(sqlite_target)
            database = f"SQLite 数据库 {sqlite_target}"
        else:
            connection.close()
            _restore_postgresql(staged_db, clean=clean, archive=archive)
            extra = _compare_postgresql(manifest, archive)
            if extra:
                notes.append(f"数据库中另有备份里没有的表（未改动）：{'、'.join(extra)}")
            database = f"PostgreSQL 数据库 {connection.settings_dict['NAME']}"
        _swap_media(staged_media, media_root)
        key = _place_secret_key(staged_key) if KEY_FILE in manifest["files"] else None
    finally:
        shutil.rmtree(staged_media, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
        with suppress(FileNotFoundError):
            staged_db.unlink()
    _clear_cache()
    if manifest["secret_key"] == "environment":
        notes.append(
            "备份时会话密钥来自环境变量 DJANGO_SECRET_KEY，不在备份中：请使用原环境文件中的同一个密钥，否则所有人须重新登录"
        )
    elif key is not None and os.environ.get("DJANGO_SECRET_KEY"):
        notes.append(f"已写入 {key}，但本机设置了 DJANGO_SECRET_KEY，以环境变量为准")
    if pending:
        notes.append(f"本程序比备份多出迁移（{'、'.join(pending)}）：请运行 manage.py migrate")
    return RestoreResult(archive, manifest, database, media_root, count, key, time.monotonic() - started, notes)


def _check_migrations(manifest: dict[str, Any], archive: Path) -> list[str]:
    """Refuse a database from a newer program; the apps whose migrations this program adds (``migrate`` then)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for app, name in manifest["migrations"].items():
        if (app, name) not in known:
            raise BackupError(
                f"备份文件 {archive} 中的数据库已应用迁移 {app}.{name}，本程序没有这个迁移：备份来自更新的版本"
                f"（{manifest.get('jixiao_version')}），请先把程序升级到该版本再恢复"
            )
    leaves = {app: name for app, name in loader.graph.leaf_nodes()}
    return sorted(f"{app}.{name}" for app, name in leaves.items() if manifest["migrations"].get(app) != name)


def _sqlite_target() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError(f"配置的 SQLite 数据库 {name} 是内存数据库，无法恢复到其中")
    return Path(name).absolute()


def _in_use(sqlite_target: Path | None, media_root: Path) -> str:
    """What the target already holds, in words; empty when nothing (tables ``migrate`` fills do not count)."""
    said = []
    if sqlite_target is None or sqlite_target.exists():
        connection.ensure_connection()
        with connection.cursor() as cursor:
            rows = {t: n for t, n in _row_counts(cursor, connection.vendor).items() if t not in MIGRATE_FILLS and n}
        if rows:
            said.append(
                f"数据库 {connection.settings_dict['NAME']} 中已有{_headline(rows)}，共 {sum(rows.values()):,} 行"
            )
    files = sum(1 for _ in _media_files(media_root))
    if files:
        said.append(f"{media_root} 中已有 {files} 个文件")
    return "；".join(said)


def _has_tables() -> bool:
    with connection.cursor() as cursor:
        return bool(_tables(cursor, connection.vendor))


def _extract(archive: Path, manifest: dict[str, Any], staged_db: Path, staged_media: Path, staged_key: Path) -> int:
    """Write each member to its staging place, checking its checksum again on the way (the archive might have
    changed since it was verified); the number of media files."""
    listed = manifest["files"]
    database = manifest["database"]["member"]
    media = 0

    def handle(name: str, stream: IO[bytes]) -> None:
        nonlocal media
        if name == MANIFEST:
            return
        if name == database:
            target = staged_db
        elif name == KEY_FILE:
            target = staged_key
        else:
            parts = _media_parts(name)
            assert parts is not None  # the manifest's names were checked
            target = staged_media.joinpath(*parts)
            media += 1
        sha = hashlib.sha256()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    sha.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            raise BackupError(f"恢复 {archive} 时写入 {target} 失败：{exc}") from exc
        if sha.hexdigest() != listed[name]["sha256"]:
            raise BackupError(f"备份文件 {archive} 在恢复过程中发生了变化（{name} 的校验值不符）")

    try:
        _members(archive, archive, handle)
    except BackupError as exc:
        raise BackupError(f"{exc}；未恢复任何内容") from exc
    return media


def _check_sqlite_copy(path: Path, manifest: dict[str, Any], archive: Path) -> None:
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        problem = db.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(f"备份文件 {archive} 中的数据库未通过 SQLite 完整性检查（{problem}），未恢复")
        _compare_counts(_row_counts(db.cursor(), "sqlite"), manifest, archive)
    finally:
        db.close()


def _compare_counts(found: dict[str, int], manifest: dict[str, Any], archive: Path) -> list[str]:
    """Every table of the manifest with its number of rows; the tables that are here besides."""
    for table, entry in manifest["tables"].items():
        if found.get(table) != entry["rows"]:
            got = "没有这张表" if table not in found else f"{found[table]:,} 行"
            raise BackupError(f"从 {archive} 恢复的数据库中，表 {table} 备份时有 {entry['rows']:,} 行，恢复后{got}")
    return sorted(set(found) - set(manifest["tables"]))


def _restore_postgresql(dump: Path, clean: bool, archive: Path) -> None:
    args = ["--no-password", "--single-transaction", "--no-owner", "--no-privileges"]
    if clean:
        args += ["--clean", "--if-exists"]
    args += [f"--dbname={connection.settings_dict['NAME']}", str(dump)]
    # another process holding a table would make --clean wait for ever: fail after a minute instead
    _run_pg(
        "pg_restore",
        args,
        connection.settings_dict,
        doing=f"从 {archive} 恢复数据库",
        pgoptions="-c lock_timeout=60000",
    )


def _compare_postgresql(manifest: dict[str, Any], archive: Path) -> list[str]:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        found = _row_counts(cursor, "postgresql")
    return _compare_counts(found, manifest, archive)


def _run_pg(program: str, args: list[str], db: dict[str, Any], doing: str, pgoptions: str | None = None) -> None:
    """Run a PostgreSQL client program on ``db``; the password goes through the environment, never the command
    line, where any user of the machine could read it."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"找不到 {program}：请安装 PostgreSQL 客户端（scripts/install-system-packages.sh），版本不低于数据库服务器"
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGAPPNAME": f"jixiao {program}",
    }
    options = db.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl"):
        if options.get(key):
            values[f"PG{key.upper()}"] = options[key]
    if pgoptions:
        values["PGOPTIONS"] = pgoptions
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    result = subprocess.run([path, *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = "\n".join(result.stderr.strip().splitlines()[-10:])
        raise BackupError(f"{doing}失败（{program} 退出码 {result.returncode}）：{detail}")


def _swap_media(staged: Path, media_root: Path) -> None:
    """Put the restored files in place of ``media_root`` (old generated documents would be served for the
    restored records otherwise: they are filed under the record's id and revision)."""
    old = media_root.with_name(f".media-old-{os.getpid()}-{secrets.token_hex(4)}")
    if media_root.exists():
        os.replace(media_root, old)
    os.replace(staged, media_root)
    os.chmod(media_root, 0o755)
    _own(media_root, tree=True)
    shutil.rmtree(old, ignore_errors=True)


def _place_secret_key(staged: Path) -> Path:
    target = _secret_key_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(staged, 0o600)
    os.replace(staged, target)
    _own(target)
    return target


def _own(path: Path, tree: bool = False) -> None:
    """Restored as root, files take the owner of the data folder: the service account must be able to write them."""
    if os.geteuid() != 0:
        return
    owner = Path(settings.DATA_DIR).stat()
    paths = [path, *path.rglob("*")] if tree else [path]
    for each in paths:
        os.chown(each, owner.st_uid, owner.st_gid, follow_symlinks=False)


def _clear_cache() -> None:
    """Cached fragments are keyed by the data's newest change, which a restore may bring back: drop them."""
    from django.core.cache import cache

    with suppress(Exception):
        cache.clear()


# ------------------------------------------------------------------------------------------------------- summaries


def _headline(rows: dict[str, int]) -> str:
    labels = _models_by_table()
    by_label = {labels.get(t): n for t, n in rows.items()}
    parts = []
    for label in HEADLINE:
        if by_label.get(label):
            model = apps.get_model(label)
            parts.append(f"{model._meta.verbose_name} {by_label[label]:,} 行")
    return "、".join(parts) or f"{len(rows)} 张表的数据"


def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("字节", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "字节" else f"{size:,.1f} {unit}"
        size /= 1024
    return ""


def _database_line(manifest: dict[str, Any], vendor: bool = True) -> str:
    tables = manifest["tables"]
    rows = {t: e["rows"] for t, e in tables.items()}
    line = f"{len(tables)} 张表，共 {sum(rows.values()):,} 行（{_headline(rows)}）"
    return f"{VENDOR_NAMES[manifest['database']['vendor']]}，{line}" if vendor else line


def _media_count(manifest: dict[str, Any]) -> int:
    return sum(1 for name in manifest["files"] if name.startswith(f"{MEDIA}/"))


SECRET_KEY_WORDS = {
    "file": "已包含（secret_key）：备份文件能让人冒用登录会话，请像保管数据库一样保管",
    "environment": "未包含：来自环境变量 DJANGO_SECRET_KEY，请另行保存环境文件",
    "none": "未包含：数据目录中没有 secret_key 文件",
}


def describe_backup(result: BackupResult) -> list[str]:
    manifest = result.manifest
    return [
        f"备份已写出：{result.path}（{_size(result.path)}，用时 {result.seconds:.2f} 秒）",
        f"  数据库：{_database_line(manifest)}",
        f"  文件：media/ 下 {_media_count(manifest)} 个（不含 scratch/；cache/、static/ 可重建，未备份）",
        f"  会话密钥：{SECRET_KEY_WORDS[manifest['secret_key']]}",
        f"  备份清单：记有 {len(manifest['files'])} 个文件的 SHA-256；写出后已全部读回核对",
    ]


def describe_verified(archive: Path, manifest: dict[str, Any]) -> list[str]:
    return [
        f"备份文件 {archive} 完好：{len(manifest['files'])} 个文件的 SHA-256 都与备份清单相符",
        f"  备份时间：{manifest['created_at']}，程序版本 {manifest['jixiao_version']}",
        f"  数据库：{_database_line(manifest)}",
        f"  文件：media/ 下 {_media_count(manifest)} 个",
        f"  会话密钥：{SECRET_KEY_WORDS[manifest['secret_key']]}",
    ]


def describe_restore(result: RestoreResult) -> list[str]:
    manifest = result.manifest
    lines = [
        f"已从 {result.archive} 恢复（各文件的 SHA-256 都与备份清单相符；备份时间 {manifest['created_at']}，程序版本 {manifest['jixiao_version']}），用时 {result.seconds:.2f} 秒",
        f"  数据库：恢复到 {result.database}；每张表的行数都与备份清单一致：{_database_line(manifest, vendor=False)}",
        f"  文件：{result.files} 个，放入 {result.media_root}",
    ]
    if result.secret_key is not None:
        lines.append(f"  会话密钥：已写入 {result.secret_key}")
    lines += [f"  注意：{note}" for note in result.notes]
    lines.append("  请重新启动网页和后台进程")
    return lines
