"""gaodi demo [--no-serve] [--port N] [--data-dir DIR]: set up the demo and serve it."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaodi.audit.context import new_request_id
from gaodi.demo import DEMO_PASSWORD, set_up_demo
from gaodi.today import today


class Command(BaseCommand):
    help = _(
        "创建内置 SQLite 演示库、导入茌平区方案、为每个角色建演示账号，"
        "并在 http://127.0.0.1:8000 提供服务"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help=_("只准备数据，不启动服务"))
        parser.add_argument("--port", type=int, default=8000, help=_("端口（默认 8000）"))
        parser.add_argument(
            "--data-dir", help=_("数据目录（默认 ./gaodi-data，也可用 GAODI_DATA_DIR）")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get("DATABASE_URL"):
            raise CommandError(
                _("演示只使用内置 SQLite 数据库；请取消 DATABASE_URL 后再运行 gaodi demo")
            )
        new_request_id("demo-")
        call_command("migrate", interactive=False, verbosity=0)
        plan, logins = set_up_demo()
        self.stdout.write(_("数据目录：{path}").format(path=settings.GAODI_DATA_DIR))
        self.stdout.write(
            _("方案：{title}（第{version}版），按 {today} 计算时限").format(
                title=plan.title, version=plan.version, today=today()
            )
        )
        self.stdout.write(_("演示账号（密码均为 {password}）：").format(password=DEMO_PASSWORD))
        for login in logins:
            self.stdout.write(f"  {login.username:10s} {login.role}：{login.who}")
        if not options["no_serve"]:
            call_command("serve", port=options["port"])
