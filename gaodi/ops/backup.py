"""Backup and restore of a Gaodi site: the database and the uploaded files, in one archive.

The archive is a gzip'd tar holding

- ``database/gaodi.sqlite3`` (SQLite: a consistent copy made with sqlite3's online backup API
  while the site runs) or ``database/gaodi.pgdump`` (PostgreSQL: ``pg_dump -Fc``, one snapshot);
- ``evidence/…`` and ``reports/…``: the uploaded evidence files and the published report files
  of ``GAODI_DATA_DIR``;
- ``manifest.json``, written last: the Gaodi version, the database vendor, the latest applied
  migration of each app, every other member's size and SHA-256, and the time it was made
  (Asia/Shanghai).

The database is copied first and the files after it: Gaodi writes a file before the row that
names it commits (``supervision.evidence.attach``, ``supervision.publishing``), so every row in
the copy finds its file in the archive; a file whose row came later is only an orphan.

A backup is written to ``FILE.part`` and renamed when complete. A restore checks the whole
archive (vendor, migrations known to this version, every checksum) before it touches anything,
refuses to overwrite data without ``force``, then replaces the database and the two folders.

Errors are ``BackupError`` with a Chinese message; the management commands print it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

import gaodi

FORMAT = "gaodi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FOLDERS = ("evidence", "reports")  # under GAODI_DATA_DIR
DATABASE_MEMBER = {"sqlite": "database/gaodi.sqlite3", "postgresql": "database/gaodi.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Tables that `migrate` fills by itself, and sessions: a site with only these is empty.
HOUSEKEEPING_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "django_session"}
)
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
_CHUNK = 1 << 20

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (Chinese) says why and what to do."""


# --- backup -------------------------------------------------------------------------------


def create_backup(
    out: Path, *, data_dir: Path, connection: BaseDatabaseWrapper | None = None
) -> dict[str, Any]:
    """Write the archive to ``out`` (via ``out.part``); returns its manifest."""
    connection = connection or connections["default"]
    vendor = _vendor(connection)
    out = Path(out)
    if out.is_dir():
        raise BackupError(_("备份文件路径“{path}”是一个目录，请给出文件名").format(path=out))
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    migrations = migration_state(connection)
    entries: list[dict[str, Any]] = []
    try:
        with _scratch(out.parent, ".gaodi-backup-") as scratch:
            dump = scratch / Path(DATABASE_MEMBER[vendor]).name
            if vendor == "sqlite":
                _sqlite_copy(connection, dump)
            else:
                _pg_dump(connection.settings_dict, dump)
            # Everything is in it (password hashes, personal data): its owner alone reads it.
            part.unlink(missing_ok=True)  # left by a backup that was killed
            part.touch(mode=0o600)
            with tarfile.open(part, "w:gz", compresslevel=6) as archive:
                entries.append(_add(archive, DATABASE_MEMBER[vendor], dump))
                for folder in FOLDERS:
                    for path in _files_under(Path(data_dir) / folder):
                        relative = path.relative_to(data_dir).as_posix()
                        entries.append(_add(archive, relative, path))
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "gaodi_version": gaodi.__version__,
                    "vendor": vendor,
                    "database": DATABASE_MEMBER[vendor],
                    "migrations": migrations,
                    "files": entries,
                    # the real clock, like the audit trail (GAODI_TODAY is for business dates)
                    "created_at": timezone.localtime().isoformat(timespec="seconds"),
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                info.mtime = int(timezone.now().timestamp())
                info.mode = 0o644
                archive.addfile(info, _BytesReader(body))
        _fsync(part)
        part.replace(out)
        _fsync_dir(out.parent)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return manifest


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(
            _("不支持备份 {vendor} 数据库（只支持 SQLite 和 PostgreSQL）").format(
                vendor=connection.vendor
            )
        )
    return str(connection.vendor)


def migration_state(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The latest applied migration of each app, e.g. {"plans": "0007_…"}."""
    latest: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app_label, ""):
            latest[app_label] = name
    return dict(sorted(latest.items()))


def _sqlite_copy(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """A consistent copy of the live database, by SQLite's online backup API: one read
    transaction, so a write that commits meanwhile is either wholly in the copy or not at all."""
    if connection.in_atomic_block:  # its own uncommitted writes would lock the copy out
        raise BackupError(_("不能在数据库事务中备份，请在事务之外运行"))
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        with connection.wrap_database_errors:
            connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        if target.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(_("数据库副本未通过完整性检查，备份已放弃；请检查磁盘后重试"))
    finally:
        target.close()


def _pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for the configured database (no password on a command line)."""
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        environment["PGSSLMODE"] = str(options["sslmode"])
    return environment


def _run_pg(program: str, arguments: list[str], settings_dict: dict[str, Any]) -> None:
    try:
        result = subprocess.run(
            [program, *arguments],
            env=_pg_environment(settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise BackupError(
            _(
                "找不到 {program} 程序：请安装 PostgreSQL 客户端（例如 apt-get install "
                "postgresql-client），主版本不低于数据库服务器"
            ).format(program=program)
        ) from None
    if result.returncode != 0:
        detail = " ".join(result.stderr.strip().splitlines()[-3:])
        raise BackupError(
            _("{program} 执行失败（退出码 {code}）：{detail}").format(
                program=program, code=result.returncode, detail=detail or "-"
            )
        )


def _pg_dump(settings_dict: dict[str, Any], dump: Path) -> None:
    # One snapshot of the whole database (pg_dump reads in a single repeatable-read transaction).
    _run_pg("pg_dump", ["--format=custom", "--file", str(dump)], settings_dict)


def _files_under(folder: Path) -> list[Path]:
    """The regular files of a folder, sorted; no symbolic links, no half-written ``.part``."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.name.endswith(".part"):
            continue
        found.append(path)
    return found


class _HashingReader:
    """Reads a file for tarfile, hashing exactly the bytes that go into the archive."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


def _add(archive: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as stream:
        status = os.fstat(stream.fileno())
        info = tarfile.TarInfo(name)
        info.size = status.st_size
        info.mtime = int(status.st_mtime)
        info.mode = 0o600
        reader = _HashingReader(stream)
        archive.addfile(info, reader)  # reads exactly info.size bytes
    return {"path": name, "size": info.size, "sha256": reader.digest.hexdigest()}


# --- restore ------------------------------------------------------------------------------


def restore_backup(
    archive: Path,
    *,
    data_dir: Path,
    force: bool = False,
    connection: BaseDatabaseWrapper | None = None,
    say: Say = lambda message: None,
) -> dict[str, Any]:
    """Check the archive, then replace the database and the uploaded files with its contents.

    Nothing is changed unless the whole archive checks out. Returns the manifest."""
    connection = connection or connections["default"]
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with _scratch(data_dir, ".gaodi-restore-") as scratch:
        manifest = unpack(Path(archive), scratch)
        check_vendor(manifest, connection.vendor)
        check_migrations(manifest)
        if not force:
            present = existing_data(connection, data_dir)
            if present:
                raise BackupError(
                    _(
                        "当前站点已有数据（{what}），恢复会覆盖全部现有数据；"
                        "确认无误后加 --force 重试"
                    ).format(what="；".join(present))
                )
        dump = scratch / manifest["database"]
        if manifest["vendor"] == "sqlite":
            _sqlite_restore(connection, dump)
        else:
            _pg_restore(connection, dump)
        say(_("数据库已恢复"))
        for folder in FOLDERS:
            _replace_folder(scratch / folder, data_dir / folder)
        _clear_caches()
        say(_("上传文件已恢复（{count} 个）").format(count=len(manifest["files"]) - 1))
    return manifest


def unpack(path: Path, into: Path) -> dict[str, Any]:
    """Extract the archive into ``into`` and check it against its manifest; returns the manifest.

    Only plain files with safe names are extracted; a missing, extra or altered member, or an
    unreadable archive, is a BackupError."""
    if not path.exists():
        raise BackupError(_("找不到备份文件：{path}").format(path=path))
    if not path.is_file():
        raise BackupError(_("“{path}”不是备份文件").format(path=path))
    digests: dict[str, tuple[int, str]] = {}
    manifest_bytes: bytes | None = None
    try:
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                name = member.name
                if not member.isfile() or not _safe_name(name) or name in digests:
                    raise _corrupt(path, _("含有不应出现的条目“{name}”").format(name=name))
                stream = archive.extractfile(member)
                assert stream is not None  # a regular file
                if name == MANIFEST:
                    manifest_bytes = stream.read(16 * _CHUNK)
                    digests[name] = (0, "")
                    continue
                target = into / name
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with open(target, "xb", opener=_private) as out:
                    while chunk := stream.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                digests[name] = (size, digest.hexdigest())
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        if isinstance(exc, PermissionError):
            raise BackupError(_("无法读取备份文件：{path}（没有权限）").format(path=path)) from None
        raise _corrupt(path, _("无法读取（{error}）").format(error=exc)) from None
    if manifest_bytes is None:
        raise _corrupt(path, _("缺少清单 manifest.json"))
    manifest = _parse_manifest(path, manifest_bytes)
    listed = {entry["path"]: entry for entry in manifest["files"]}
    for name, entry in listed.items():
        if name not in digests:
            raise _corrupt(path, _("缺少文件“{name}”").format(name=name))
        if digests[name] != (entry["size"], entry["sha256"]):
            raise _corrupt(path, _("文件“{name}”的校验值（SHA-256）不符").format(name=name))
    extra = sorted(set(digests) - set(listed) - {MANIFEST})
    if extra:
        raise _corrupt(path, _("含有清单之外的文件“{name}”").format(name=extra[0]))
    return manifest


def _private(path: str, flags: int) -> int:
    """Restored files are readable by their owner only, as Gaodi writes them (0600)."""
    return os.open(path, flags, 0o600)


def _corrupt(path: Path, why: str) -> BackupError:
    return BackupError(
        _("备份文件已损坏或不是 Gaodi 备份：{path}，{why}").format(path=path, why=why)
    )


def _safe_name(name: str) -> bool:
    if name == MANIFEST:
        return True
    parts = name.split("/")
    return (
        len(parts) >= 2
        and parts[0] in ("database", *FOLDERS)
        and all(_SAFE_SEGMENT.match(part) for part in parts[1:])
    )


def _parse_manifest(path: Path, body: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _corrupt(path, _("清单 manifest.json 无法解析")) from None
    try:
        good = (
            manifest["format"] == FORMAT
            and manifest["vendor"] in DATABASE_MEMBER
            and manifest["database"] == DATABASE_MEMBER[manifest["vendor"]]
            and isinstance(manifest["migrations"], dict)
            and all(
                isinstance(entry["path"], str)
                and isinstance(entry["size"], int)
                and isinstance(entry["sha256"], str)
                for entry in manifest["files"]
            )
            and manifest["database"] in {entry["path"] for entry in manifest["files"]}
        )
    except (KeyError, TypeError):
        good = False
    if not good:
        raise _corrupt(path, _("清单 manifest.json 内容不完整"))
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(
            _("备份由较新版本的 Gaodi（{version}）生成，本版本无法读取；请先升级 Gaodi").format(
                version=manifest.get("gaodi_version", "?")
            )
        )
    return dict(manifest)


def check_vendor(manifest: dict[str, Any], vendor: str) -> None:
    if manifest["vendor"] != vendor:
        raise BackupError(
            _(
                "该备份来自 {theirs} 数据库，当前站点使用的是 {ours} 数据库，不能恢复；"
                "请在使用 {theirs} 的站点上恢复（PostgreSQL 由 DATABASE_URL 指定，"
                "未设置时为 SQLite）"
            ).format(
                theirs=VENDOR_NAMES.get(manifest["vendor"], manifest["vendor"]),
                ours=VENDOR_NAMES.get(vendor, vendor),
            )
        )


def check_migrations(manifest: dict[str, Any]) -> None:
    """Every migration the backup had applied must exist in this version of Gaodi (apps no
    longer installed are let through: their tables are simply unused)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    for app_label, name in manifest["migrations"].items():
        if app_label in installed and (app_label, name) not in known:
            raise BackupError(
                _(
                    "备份中的数据库结构（{app} 的迁移 {name}）比当前 Gaodi 版本新，"
                    "请先升级 Gaodi（备份由 Gaodi {version} 生成）"
                ).format(app=app_label, name=name, version=manifest.get("gaodi_version", "?"))
            )


def existing_data(connection: BaseDatabaseWrapper, data_dir: Path) -> list[str]:
    """What a restore would overwrite: tables with rows and uploaded files (empty: nothing)."""
    present = []
    tables = set(connection.introspection.table_names())
    full = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in HOUSEKEEPING_TABLES or table not in tables or table in full:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                full.append(table)
    if full:
        present.append(
            _("数据库中 {count} 个表有数据，如 {tables}").format(
                count=len(full), tables="、".join(full[:3])
            )
        )
    for folder in FOLDERS:
        count = len(_files_under(data_dir / folder))
        if count:
            present.append(_("{folder}/ 中有 {count} 个文件").format(folder=folder, count=count))
    return present


def _sqlite_restore(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """Copy the database into place through SQLite's backup API (page by page under the
    database's write lock, into the live file with its WAL), then check it."""
    source = sqlite3.connect(dump)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(_("备份中的数据库未通过完整性检查，未作任何修改"))
        connection.close()
        connection.ensure_connection()
        with connection.wrap_database_errors:
            source.backup(connection.connection)
    finally:
        source.close()
    if not connection.is_in_memory_db():
        connection.connection.execute("PRAGMA journal_mode=WAL")
        connection.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def _pg_restore(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """The database becomes the backup's, in one transaction: every table now there is
    dropped, then the dump's SQL (pg_restore) is run; on any error nothing changes.

    Not `pg_restore --clean`: that drops only the tables the dump holds, so a table of a
    newer Gaodi (made by `gaodi migrate` before the restore) would stay, unrecorded in
    django_migrations, and the next `gaodi migrate` would fail on it."""
    settings_dict = connection.settings_dict
    quote = connection.ops.quote_name
    drops = [
        f"DROP TABLE IF EXISTS {quote(table)} CASCADE;"
        for table in connection.introspection.table_names()
    ]
    connections.close_all()  # our own open connections would hold locks the drops wait for
    drop_sql = dump.with_name("drop.sql")
    drop_sql.write_text("\n".join(drops) + "\n", encoding="utf-8")
    restore_sql = dump.with_name("restore.sql")
    _run_pg(
        "pg_restore",
        ["--no-owner", "--no-privileges", "--file", str(restore_sql), str(dump)],
        settings_dict,
    )
    _run_pg(
        "psql",
        [
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",  # BEGIN before the first -f, COMMIT after the last
            "--set",
            "ON_ERROR_STOP=1",
            "--dbname",
            str(settings_dict["NAME"]),
            "--file",
            str(drop_sql),
            "--file",
            str(restore_sql),
        ],
        settings_dict,
    )


def _replace_folder(staged: Path, target: Path) -> None:
    """The target folder becomes the staged one (an empty folder when the backup had none)."""
    staged.mkdir(mode=0o700, parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old-{secrets.token_hex(4)}")
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _clear_caches() -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


# --- helpers ------------------------------------------------------------------------------


@contextlib.contextmanager
def _scratch(parent: Path, prefix: str) -> Iterator[Path]:
    """A private scratch folder beside the target (same file system: renames are atomic)."""
    folder = Path(parent) / f"{prefix}{secrets.token_hex(6)}"
    folder.mkdir(mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _fsync(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def file_digests(data_dir: Path) -> dict[str, str]:
    """SHA-256 of every uploaded file, by path relative to the data directory."""
    digests = {}
    for folder in FOLDERS:
        for path in _files_under(Path(data_dir) / folder):
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
            digests[path.relative_to(data_dir).as_posix()] = digest.hexdigest()
    return digests
