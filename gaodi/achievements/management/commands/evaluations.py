"""`gaodi evaluations --year 2020 [--plan ID]`: compute the 职业院校评价 composites of the plans'
schools for a year (services.compute_evaluations: the weight set version in force on 31
December of that year; that year's results replaced, with change records), for one plan or
every current plan; prints a Chinese summary. A year without a weight set in force is reported
and skipped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaodi.achievements.services import Refused, compute_evaluations
from gaodi.plans.models import Plan


class Command(BaseCommand):
    help = _("计算各方案所辖学校的职业院校评价综合得分（替换该年原有结果，记入变更记录）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, metavar="年份", help=_("评价年份"))
        parser.add_argument(
            "--plan", type=int, default=None, metavar="ID", help=_("方案 ID（默认：全部现行方案）")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError(_("评价年份应在 2000–2100 之间"))
        plans = Plan.objects.select_related("org_unit").order_by("pk")
        if options["plan"] is not None:
            plans = plans.filter(pk=options["plan"])
            if not plans.exists():
                raise CommandError(_("没有 ID 为 {pk} 的方案").format(pk=options["plan"]))
        else:
            plans = plans.filter(next_version__isnull=True)
        for plan in plans:
            try:
                results = compute_evaluations(plan, year, actor=None)
            except Refused as refused:
                self.stdout.write(
                    _("《{title}》：{why}，跳过").format(title=plan.title, why=refused)
                )
                continue
            first = results[0] if results else None
            version = (
                _("权重集 {code} 第 {version} 版").format(
                    code=first.weight_set_code, version=first.weight_set_version
                )
                if first
                else _("无登记得分")
            )
            self.stdout.write(
                _("《{title}》{year} 年学校评价（{version}）：共 {count} 所学校").format(
                    title=plan.title, year=year, version=version, count=len(results)
                )
            )
            for result in results:
                score = (
                    _("综合得分 {value}，第 {rank} 名").format(
                        value=result.composite, rank=result.rank
                    )
                    if result.composite is not None
                    else _("无法计算")
                )
                self.stdout.write(
                    _("  {school}：{score}").format(school=result.school.name, score=score)
                )
