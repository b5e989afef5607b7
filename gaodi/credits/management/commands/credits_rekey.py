"""`gaodi credits-rekey`: after GAODI_CREDITS_KEY is set or changed, re-encrypt the credit bank's
stored ID numbers and the schools' private signing keys from the old key to the current one and
recompute the ID-number fingerprints (services.rekey: all or nothing, each row's change
recorded, no secret in the record).

The old key is read from the environment, never from the command line (where `ps` and the
shell history would show it): GAODI_CREDITS_OLD_KEY, or `--from-secret-key` when the data was
protected by the site's secret key (before GAODI_CREDITS_KEY was first set). Rotation steps:
docs/security.md, "学分银行的密钥"."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaodi.credits.services import Refused, rekey

OLD_KEY_VARIABLE = "GAODI_CREDITS_OLD_KEY"


class Command(BaseCommand):
    help = _(
        "把学分银行的身份证号和签名私钥从原密钥重新加密到当前密钥（GAODI_CREDITS_KEY），"
        "并重算身份证号指纹；全部成功或全部不变，记入变更记录"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from-secret-key",
            action="store_true",
            help=_("原数据由站点密钥（GAODI_SECRET_KEY）保护（首次设置 GAODI_CREDITS_KEY 时）"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["from_secret_key"]:
            old = str(settings.SECRET_KEY)
        else:
            old = os.environ.get(OLD_KEY_VARIABLE, "").strip()
        if not old:
            raise CommandError(
                _("请在环境变量 {name} 中给出原密钥，或用 --from-secret-key").format(
                    name=OLD_KEY_VARIABLE
                )
            )
        try:
            done = rekey(old, actor=None)
        except Refused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            _("已重新加密：学习者身份证号 {learners} 个，签名私钥 {keys} 把。").format(
                learners=done.learners, keys=done.keys
            )
        )
