"""gaodi backup / gaodi restore (gaodi/ops/backup.py).

The round trip runs on the test run's database: SQLite in the default run, PostgreSQL in the
PostgreSQL stage of .ci/run (it uses `transactional_db`, so conftest.py marks it django_db and
`-m "django_db and not browser"` selects it). pg_dump and pg_restore then read and write the
test database itself, which is why the data must be committed (no wrapping transaction).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from gaodi.demo import set_up_demo
from gaodi.ops import backup
from gaodi.supervision import evidence
from gaodi.supervision.models import Evidence, ProgressReport, PublishedReport
from gaodi.supervision.publishing import publish_report

DAY = dt.date(2021, 6, 30)
REPO = Path(__file__).resolve().parents[1]
PDF = b"%PDF-1.4\n% Gaodi backup test\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def _dump() -> list[dict[str, object]]:
    """Every row of every model, in a stable order (dumpdata orders by primary key)."""
    out = io.StringIO()
    call_command("dumpdata", all=True, format="json", stdout=out)
    rows = json.loads(out.getvalue())
    return sorted(rows, key=lambda row: (str(row["model"]), str(row["pk"])))


def _wipe_database() -> None:
    """A new, empty database: not one table left."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []


@pytest.fixture
def site(transactional_db: None, settings: Any, tmp_path: Path) -> Path:
    """The demo, a published report (three files in reports/) and an evidence file."""
    settings.GAODI_TODAY = DAY
    settings.GAODI_DATA_DIR = tmp_path / "site"
    plan, _logins = set_up_demo()
    publish_report(plan, "2021Q2", actor=None, today=DAY)
    report = ProgressReport.objects.order_by("pk").first()
    assert report is not None
    checked = evidence.CheckedFile(name="佐证材料.pdf", kind="pdf", content=PDF)
    with transaction.atomic():
        evidence.attach(report, [checked], actor=None)
    return Path(settings.GAODI_DATA_DIR)


def test_backup_wipe_restore_gives_back_every_row_and_every_file(
    site: Path, settings: Any, tmp_path: Path
) -> None:
    rows = _dump()
    files = backup.file_digests(site)
    assert any(name.startswith("evidence/") for name in files)
    assert sum(name.startswith("reports/") for name in files) == 3
    archive = tmp_path / "gaodi.tar.gz"
    out = io.StringIO()

    call_command("backup", out=str(archive), stdout=out)

    assert archive.is_file() and not archive.with_name("gaodi.tar.gz.part").exists()
    assert archive.stat().st_mode & 0o777 == 0o600
    assert "已备份到" in out.getvalue()
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["vendor"] == connection.vendor
    assert manifest["gaodi_version"]
    assert manifest["migrations"]["supervision"].startswith("000")
    assert manifest["created_at"].endswith("+08:00")
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert {name: listed[name] for name in files} == files
    assert manifest["database"] in listed

    settings.GAODI_DATA_DIR = tmp_path / "new"  # a new, empty data directory
    _wipe_database()
    call_command("restore", str(archive), stdout=io.StringIO())

    assert _dump() == rows
    assert backup.file_digests(settings.GAODI_DATA_DIR) == files
    restored = Path(settings.GAODI_DATA_DIR)
    assert (restored / "evidence").stat().st_mode & 0o777 == 0o700
    assert all((restored / name).stat().st_mode & 0o777 == 0o600 for name in files)
    assert Evidence.objects.count() == 1 and PublishedReport.objects.count() == 1
    for entry in PublishedReport.objects.get().files.values():
        stored = Path(settings.GAODI_DATA_DIR) / "reports" / entry["stored_name"]
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == entry["sha256"]

    # The site now has data: a second restore is refused, then done with --force.
    with pytest.raises(CommandError, match="--force") as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert "已有数据" in str(refused.value)
    with connection.cursor() as cursor:  # as if a newer Gaodi had migrated this database
        cursor.execute("CREATE TABLE ops_newer (id integer PRIMARY KEY)")
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert "ops_newer" not in connection.introspection.table_names()  # the backup's, wholly
    assert _dump() == rows
    assert backup.file_digests(settings.GAODI_DATA_DIR) == files


def test_a_failed_backup_leaves_neither_the_file_nor_the_part(
    transactional_db: None, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.GAODI_DATA_DIR = tmp_path / "site"
    (tmp_path / "site" / "evidence").mkdir(parents=True)
    (tmp_path / "site" / "evidence" / "a.pdf").write_bytes(PDF)

    def full_disk(*args: object, **kwargs: object) -> list[Path]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_files_under", full_disk)
    with pytest.raises(OSError):
        call_command("backup", out=str(tmp_path / "b.tar.gz"), stdout=io.StringIO())
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


# --- refusals, each in Chinese --------------------------------------------------------------
# They touch no table, but carry django_db so that the PostgreSQL stage of .ci/run runs them
# too: there "the other vendor" is an SQLite backup offered to a PostgreSQL site.
refusal = pytest.mark.django_db


def _archive(
    path: Path, *, vendor: str, tamper: str = "", migrations: dict[str, str] | None = None
) -> Path:
    """A small hand-made archive (the database member is only bytes: it is never reached)."""
    members = {backup.DATABASE_MEMBER[vendor]: b"database", "evidence/x.pdf": PDF}
    manifest = {
        "format": backup.FORMAT,
        "format_version": backup.FORMAT_VERSION,
        "gaodi_version": "0.1.0",
        "vendor": vendor,
        "database": backup.DATABASE_MEMBER[vendor],
        "migrations": migrations or {},
        "files": [
            {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in members.items()
        ],
        "created_at": "2021-06-30T12:00:00+08:00",
    }
    if tamper == "altered":
        members["evidence/x.pdf"] = PDF.replace(b"Gaodi", b"Gaodj")
    if tamper == "unsafe":
        members["../../etc/x"] = b"no"
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _restore_error(path: Path, settings: Any, tmp_path: Path) -> str:
    settings.GAODI_DATA_DIR = tmp_path / "site"
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), stdout=io.StringIO())
    assert not any((tmp_path / "site").glob(".gaodi-restore-*"))  # the scratch folder is gone
    return str(refused.value)


def _other_vendor() -> str:
    return "postgresql" if connection.vendor == "sqlite" else "sqlite"


@refusal
def test_a_missing_backup_file_is_named(settings: Any, tmp_path: Path) -> None:
    message = _restore_error(tmp_path / "无此文件.tar.gz", settings, tmp_path)
    assert "找不到备份文件" in message and "无此文件.tar.gz" in message


@refusal
@pytest.mark.parametrize("damage", ["garbage", "truncated", "altered", "unsafe", "no manifest"])
def test_a_corrupt_archive_is_refused_before_anything_changes(
    damage: str, settings: Any, tmp_path: Path
) -> None:
    path = _archive(tmp_path / "b.tar.gz", vendor=connection.vendor, tamper=damage)
    if damage == "garbage":
        path.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:-200])
    elif damage == "no manifest":
        with tarfile.open(path, "w:gz") as archive:
            info = tarfile.TarInfo("evidence/x.pdf")
            info.size = len(PDF)
            archive.addfile(info, io.BytesIO(PDF))
    message = _restore_error(path, settings, tmp_path)
    assert "备份文件已损坏或不是 Gaodi 备份" in message
    if damage == "altered":
        assert "evidence/x.pdf" in message and "校验值" in message
    assert not (tmp_path / "site" / "evidence").exists()


@refusal
def test_a_backup_of_the_other_database_vendor_is_refused(settings: Any, tmp_path: Path) -> None:
    other = _other_vendor()
    message = _restore_error(_archive(tmp_path / "b.tar.gz", vendor=other), settings, tmp_path)
    assert f"该备份来自 {backup.VENDOR_NAMES[other]} 数据库" in message
    assert "不能恢复" in message


@refusal
def test_a_backup_from_a_newer_gaodi_is_refused(settings: Any, tmp_path: Path) -> None:
    path = _archive(
        tmp_path / "b.tar.gz", vendor=connection.vendor, migrations={"plans": "9999_future"}
    )
    message = _restore_error(path, settings, tmp_path)
    assert "比当前 Gaodi 版本新" in message and "9999_future" in message


# --- the commands themselves, on a real SQLite file in WAL mode ------------------------------


def _gaodi(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("GAODI_", "DJANGO"))
    }
    environment.pop("DATABASE_URL", None)
    environment.update(
        GAODI_DATA_DIR=str(data_dir),
        GAODI_SECRET_KEY="backup-test",
        PYTHONPATH=str(REPO),
    )
    return subprocess.run(
        [sys.executable, "-m", "gaodi.cli", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_the_commands_round_trip_a_demo_site_on_sqlite(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    archive = tmp_path / "demo.tar.gz"
    assert _gaodi("demo", "--no-serve", "--data-dir", str(old), data_dir=old).returncode == 0
    made = _gaodi("backup", "--out", str(archive), data_dir=old)
    assert made.returncode == 0, made.stderr
    assert "已备份到" in made.stdout

    restored = _gaodi("restore", str(archive), data_dir=new)

    assert restored.returncode == 0, restored.stderr
    assert "请先停止网站" in restored.stdout
    dumps = [
        _gaodi("dumpdata", "--all", data_dir=where).stdout for where in (old, new)
    ]  # every app, every row
    assert dumps[0] == dumps[1] and len(dumps[0]) > 100_000
    again = _gaodi("restore", str(archive), data_dir=new)
    assert again.returncode != 0 and "--force" in again.stderr
    missing = _gaodi("restore", str(tmp_path / "none.tar.gz"), data_dir=new)
    assert missing.returncode != 0 and "找不到备份文件" in missing.stderr


# --- gaodi clean-files: what a crash between a file and its row leaves behind ----------------


def test_clean_files_removes_only_old_files_that_no_row_names(site: Path) -> None:
    named = backup.file_digests(site)
    stray = site / "evidence" / "0123456789abcdef0123456789abcdef.pdf"
    stray.write_bytes(PDF)
    fresh = site / "reports" / "fedcba9876543210fedcba9876543210.pdf"
    fresh.write_bytes(PDF)  # a save in progress: written a moment ago, its row not yet in
    hour_ago = time.time() - 3700
    os.utime(stray, (hour_ago, hour_ago))
    listed = io.StringIO()

    call_command("clean_files", stdout=listed)

    assert str(stray) in listed.getvalue() and "--delete" in listed.getvalue()
    assert stray.exists()
    deleted = io.StringIO()
    call_command("clean_files", delete=True, stdout=deleted)
    assert "已删除 1 个孤立文件" in deleted.getvalue()
    assert not stray.exists() and fresh.exists()
    fresh.unlink()
    assert backup.file_digests(site) == named  # every file a row names is untouched
    call_command("clean_files", delete=True, min_age=0, stdout=io.StringIO())
    assert backup.file_digests(site) == named
