"""`gaodi report --period 2021Q1 --format docx|pdf|xlsx --out FILE`: render the supervision
report (督导报告) of a plan for a period from the command line — the same figures and the same
renderers as the web page. "Today" is GAODI_TODAY when set; the data are in GAODI_DATA_DIR
(or DATABASE_URL).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaodi.indicators.periods import PeriodError
from gaodi.plans.models import Plan
from gaodi.supervision.report_build import build_report
from gaodi.supervision.report_render import FORMATS, FormatError, render
from gaodi.today import today


class Command(BaseCommand):
    help = _("生成督导报告（docx、pdf 或 xlsx 附表）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period",
            required=True,
            help=_("期间：2021（年度）、2021Q1（季度）或 202103B（双月）"),
        )
        parser.add_argument(
            "--format", dest="fmt", choices=FORMATS, help=_("格式；省略时按 --out 的扩展名")
        )
        parser.add_argument("--out", required=True, help=_("输出文件"))
        parser.add_argument("--plan", type=int, help=_("方案编号（省略时取最新导入的方案）"))

    def handle(
        self, *args: Any, period: str, fmt: str | None, out: str, plan: int | None, **options: Any
    ) -> None:
        target = Path(out)
        fmt = fmt or target.suffix.lstrip(".").lower()
        plans = Plan.objects.order_by("-pk")
        found = plans.filter(pk=plan).first() if plan else plans.first()
        if found is None:
            raise CommandError(
                _("找不到方案：请先导入方案（gaodi import-plan）或运行 gaodi demo")
                if plan is None
                else _("找不到编号为 {pk} 的方案").format(pk=plan)
            )
        try:
            report = build_report(found, period, today())
            content = render(report, fmt)
        except (PeriodError, FormatError) as exc:
            raise CommandError(str(exc)) from exc
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".part")
        temporary.write_bytes(content)
        temporary.replace(target)  # never a half-written report under the real name
        self.stdout.write(
            _("已生成 {out}（{size} 字节）：{title}").format(
                out=target, size=len(content), title=report.title
            )
        )
        self.stdout.write(report.summary)
