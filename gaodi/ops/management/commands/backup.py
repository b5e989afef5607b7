"""`gaodi backup --out FILE`: the database and the uploaded files in one archive (the site may
keep running: SQLite is copied by its online backup API, PostgreSQL by pg_dump)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaodi.ops.backup import VENDOR_NAMES, BackupError, create_backup


class Command(BaseCommand):
    help = _("备份数据库和上传文件（佐证材料、已发布报告）到一个归档文件；网站可照常运行")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help=_("备份文件，如 gaodi-2021-06-30.tar.gz"))

    def handle(self, *args: Any, out: str, **options: Any) -> None:
        target = Path(out).expanduser()
        try:
            manifest = create_backup(target, data_dir=Path(settings.GAODI_DATA_DIR))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        uploads = len(manifest["files"]) - 1
        self.stdout.write(
            _("已备份到 {out}（{size} 字节）：{vendor} 数据库，上传文件 {count} 个，{time}").format(
                out=target,
                size=target.stat().st_size,
                vendor=VENDOR_NAMES[manifest["vendor"]],
                count=uploads,
                time=manifest["created_at"],
            )
        )
