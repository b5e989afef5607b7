"""gaodi serve [--port N]: gunicorn on 127.0.0.1, static files by whitenoise."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("用 gunicorn 在本机提供服务（静态文件由 whitenoise 提供）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help=_("端口（默认 8000）"))
        parser.add_argument("--bind", default="127.0.0.1", help=_("监听地址（默认 127.0.0.1）"))
        parser.add_argument("--workers", type=int, default=2, help=_("工作进程数"))

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.wsgiapp import WSGIApplication

        address = f"{options['bind']}:{options['port']}"
        self.stdout.write(
            _("在浏览器中打开 http://{address}/ （按 Ctrl+C 停止）").format(address=address)
        )
        sys.argv = [
            "gunicorn",
            "gaodi.wsgi:application",
            "--bind",
            address,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
        ]
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
