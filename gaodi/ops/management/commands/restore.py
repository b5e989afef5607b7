"""`gaodi restore FILE [--force]`: put a backup made by `gaodi backup` back in place.

Checks the archive first (same database vendor, every SHA-256, migrations this version knows);
refuses to overwrite a site that has data unless --force. Stop the site (gaodi serve) first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from gaodi.ops.backup import VENDOR_NAMES, BackupError, restore_backup


class Command(BaseCommand):
    help = _("从 gaodi backup 生成的备份恢复数据库和上传文件（恢复前请停止网站）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("备份文件"))
        parser.add_argument(
            "--force", action="store_true", help=_("覆盖已有数据（默认只恢复到空站点）")
        )

    def handle(self, *args: Any, file: str, force: bool, **options: Any) -> None:
        if connection.vendor == "sqlite":
            self.stdout.write(
                _(
                    "提示：恢复 SQLite 数据库时请先停止网站（gaodi serve），恢复完成后再启动；"
                    "否则正在处理的请求会写入旧数据或读到一半的结果"
                )
            )
        else:
            self.stdout.write(_("提示：恢复期间网站上的请求会等待或失败，建议先停止网站"))
        try:
            manifest = restore_backup(
                Path(file).expanduser(),
                data_dir=Path(settings.GAODI_DATA_DIR),
                force=force,
                say=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "已从 {file} 恢复（{vendor}，备份时间 {time}，Gaodi {version}）。"
                "如本程序版本较新，请再运行 gaodi migrate"
            ).format(
                file=file,
                vendor=VENDOR_NAMES[manifest["vendor"]],
                time=manifest["created_at"],
                version=manifest["gaodi_version"],
            )
        )
