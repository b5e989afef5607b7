"""`gaodi cycles`: open the supervision cycles that have begun and send reminders.

Idempotent — run it from cron every hour, or leave it running with `--loop 3600`. "Today"
is GAODI_TODAY when set (the demo runs as of 2021-06-30).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from gaodi.supervision.services import run_cycles
from gaodi.today import today


class Command(BaseCommand):
    help = _("开启已到期的调度、督查轮次，并向相关人员发送待办提醒（可重复运行）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            default=0,
            metavar="秒",
            help=_("每隔这么多秒运行一次，直到被中止（默认只运行一次）"),
        )

    def handle(self, *args: Any, loop: int = 0, **options: Any) -> None:
        while True:
            day = today()
            done = run_cycles(day)
            self.stdout.write(
                _(
                    "{day}：新开启 {opened} 个轮次，"
                    "发出开始通知 {notified} 条、截止提醒 {reminded} 条"
                ).format(
                    day=day.isoformat(),
                    opened=len(done.opened),
                    notified=done.notified,
                    reminded=done.reminded,
                )
            )
            for cycle in done.opened:
                self.stdout.write(
                    _("  {cycle}：{start} 至 {end}，报送截止 {due}").format(
                        cycle=cycle,
                        start=cycle.starts_on.isoformat(),
                        end=cycle.ends_on.isoformat(),
                        due=cycle.due_on.isoformat(),
                    )
                )
            if loop <= 0:
                return
            time.sleep(loop)
