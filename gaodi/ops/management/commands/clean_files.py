"""`gaodi clean-files [--delete] [--min-age 分钟]`: list (and remove) uploaded files that no row
names — what a crash between writing a file and committing its row leaves behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaodi.ops.files import DEFAULT_MIN_AGE, orphans


class Command(BaseCommand):
    help = _(
        "列出（加 --delete 则删除）数据库中没有记录的上传文件：崩溃时写了文件、记录未提交而遗留"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help=_("删除列出的文件"))
        parser.add_argument(
            "--min-age",
            type=int,
            default=int(DEFAULT_MIN_AGE.total_seconds() // 60),
            help=_("只处理至少这么多分钟前写入的文件（默认 60；正在保存的文件不会被误删）"),
        )

    def handle(self, *args: Any, delete: bool, min_age: int, **options: Any) -> None:
        if min_age < 0:
            raise CommandError(_("--min-age 不能是负数"))
        found = orphans(Path(settings.GAODI_DATA_DIR), min_age=dt.timedelta(minutes=min_age))
        for orphan in found:
            if delete:
                orphan.path.unlink(missing_ok=True)
            self.stdout.write(f"{orphan.path}  {orphan.size}")
        total = sum(orphan.size for orphan in found)
        if not found:
            message = _("没有孤立文件")
        elif delete:
            message = _("已删除 {count} 个孤立文件（{size} 字节）")
        else:
            message = _("发现 {count} 个孤立文件（{size} 字节）；加 --delete 删除")
        self.stdout.write(message.format(count=len(found), size=total))
