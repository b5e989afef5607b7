"""`gaodi warnings --year 2021 [--rule-set CODE] [--plan ID]`: compute the 专业预警 of the plans'
schools as of a year (services.run_warnings, replacing that year's results of the rule set,
with change records), for one plan or every current plan, with one rule set or every stored
one; prints a Chinese summary. A rule set not in force that year is reported and skipped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaodi.plans.models import Plan
from gaodi.specialties.models import RuleSetVersion
from gaodi.specialties.queries import decision_label
from gaodi.specialties.services import Refused, run_warnings


class Command(BaseCommand):
    help = _("按规则集计算各方案所辖学校的专业预警（替换该年原有结果，记入变更记录）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, metavar="年份", help=_("评估年份"))
        parser.add_argument(
            "--rule-set", default="", metavar="编号", help=_("规则集编号（默认：全部规则集）")
        )
        parser.add_argument(
            "--plan", type=int, default=None, metavar="ID", help=_("方案 ID（默认：全部现行方案）")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError(_("评估年份应在 2000–2100 之间"))
        codes = sorted(set(RuleSetVersion.objects.values_list("code", flat=True)))
        if options["rule_set"]:
            if options["rule_set"] not in codes:
                raise CommandError(
                    _("没有规则集“{code}”；已有：{codes}").format(
                        code=options["rule_set"], codes="、".join(codes) or _("（无）")
                    )
                )
            codes = [options["rule_set"]]
        plans = Plan.objects.select_related("org_unit").order_by("pk")
        if options["plan"] is not None:
            plans = plans.filter(pk=options["plan"])
            if not plans.exists():
                raise CommandError(_("没有 ID 为 {pk} 的方案").format(pk=options["plan"]))
        else:
            plans = plans.filter(next_version__isnull=True)
        for plan in plans:
            for code in codes:
                self._run(plan, year, code)

    def _run(self, plan: Plan, year: int, code: str) -> None:
        try:
            results = run_warnings(plan, year, code, actor=None)
        except Refused as refused:
            self.stdout.write(_("《{title}》：{why}，跳过").format(title=plan.title, why=refused))
            return
        flagged = [r for r in results if r.consequence]
        self.stdout.write(
            _(
                "《{title}》规则集 {code}，评估至 {year} 年：共 {count} 个专业点，"
                "{flagged} 个预警或需调减、停招、撤销"
            ).format(
                title=plan.title, code=code, year=year, count=len(results), flagged=len(flagged)
            )
        )
        for result in flagged:
            self.stdout.write(
                _("  {school} {specialty}：{label}").format(
                    school=result.school.name,
                    specialty=result.specialty.name,
                    label=decision_label(result),
                )
            )
