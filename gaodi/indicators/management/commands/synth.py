"""gaodi synth --scale district|province|nation [--seed N] [--years 2019-2022]: synthetic data
(nation: ``synth_nation``, written in bulk, once per database)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaodi.audit.context import new_request_id
from gaodi.indicators.collection import ValuesRefused
from gaodi.indicators.synth import SCALES, Generated, SynthError, parse_years, synthesize
from gaodi.indicators.synth_nation import NATION, NationGenerated, synthesize_nation


class Command(BaseCommand):
    help = _(
        "生成合成数据（示例省，代码 99 开头）：参考方案各数据集全部基础指标的逐年数值，"
        "经与网页填报相同的校验写入；合成数据，仅供演示和测试"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=[*sorted(SCALES), "nation"],
            default="district",
            help=_(
                "规模：district 一县约 5 所学校；province 16 市、136 县（区）、450 所学校；"
                "nation 31 个省级单位、333 个市、2850 个县（区）、11400 所学校（批量写入，"
                "每个数据库只生成一次）"
            ),
        )
        parser.add_argument(
            "--province-plans",
            action="store_true",
            help=_("全国规模：另在每个省级单位导入一份参考方案副本（每份约 4 秒）"),
        )
        parser.add_argument("--seed", type=int, default=1, help=_("随机种子（同一种子数值相同）"))
        parser.add_argument("--years", default="2019-2022", help=_("年份范围，如 2019-2022"))

    def handle(self, *args: Any, **options: Any) -> None:
        new_request_id("synth-")
        try:
            years = parse_years(options["years"])
            if options["scale"] == "nation":
                nation = synthesize_nation(
                    NATION,
                    seed=options["seed"],
                    years=years,
                    province_plans=options["province_plans"],
                )
            else:
                made = synthesize(SCALES[options["scale"]], seed=options["seed"], years=years)
        except (ValueError, SynthError, ValuesRefused) as exc:
            raise CommandError(str(exc)) from exc
        if options["scale"] == "nation":
            for line in nation_report(nation, seed=options["seed"]):
                self.stdout.write(line)
            return
        for line in report(made, seed=options["seed"]):
            self.stdout.write(line)


def report(made: Generated, *, seed: int) -> list[str]:
    """What was generated, in Chinese, starting with the warning that it is not real."""
    shape = made.shape
    return [
        _("合成数据，仅供演示和测试：以下机构和数值均为虚构，代码以 99 开头，名称以“示例”开头。"),
        _(
            "{province}（{code}）：{cities} 个市、{counties} 个县（区）、{schools} 所学校"
            "（中职学校 {secondary} 所、高职院校 {higher} 所）"
        ).format(
            province=made.province.name,
            code=made.province.code,
            cities=shape.cities,
            counties=shape.counties,
            schools=shape.schools,
            secondary=shape.schools - made.higher_schools,
            higher=made.higher_schools,
        ),
        _(
            "指标来自《{title}》第{version}版（导入至{province}）：{sets} 个数据集、"
            "{indicators} 个基础指标"
        ).format(
            title=made.plan.title,
            version=made.plan.version,
            province=made.province.name,
            sets=made.data_sets,
            indicators=made.base_indicators,
        ),
        _(
            "{first}—{last} 年：经与网页填报相同的校验写入 {values} 个数值，全部通过阻止性校验，"
            "异常波动提示 {warnings} 条；随机种子 {seed}（同一种子生成相同数值）"
        ).format(
            first=made.years[0],
            last=made.years[-1],
            values=made.values,
            warnings=made.warnings,
            seed=seed,
        ),
        _("用时 {seconds:.1f} 秒，每秒写入 {rate:.0f} 个数值").format(
            seconds=made.seconds, rate=made.values_per_second
        ),
    ]


def nation_report(made: NationGenerated, *, seed: int) -> list[str]:
    """What the national run generated, in Chinese, starting with the synthetic warning."""
    shape = made.shape
    lines = [
        _(
            "合成数据，仅供演示和测试：以下机构和数值均为虚构，名称以“示例”开头，"
            "代码为 GB/T 2260 未使用的前缀（全国 000000，省级 60、66—70、72—80、83—98）。"
        ),
        _(
            "{root}（{code}）：{provinces} 个省级单位、{cities} 个市、{counties} 个县（区）、"
            "{schools} 所学校（中职学校 {secondary} 所、高职院校 {higher} 所）"
        ).format(
            root=made.root.name,
            code=made.root.code,
            provinces=shape.provinces,
            cities=shape.cities,
            counties=shape.counties,
            schools=shape.schools,
            secondary=shape.schools - made.higher_schools,
            higher=made.higher_schools,
        ),
        _(
            "指标来自《{title}》第{version}版（导入至{root}）：{sets} 个数据集、"
            "{indicators} 个基础指标；另有 {copies} 份省级方案副本"
        ).format(
            title=made.plan.title,
            version=made.plan.version,
            root=made.root.name,
            sets=made.data_sets,
            indicators=made.base_indicators,
            copies=made.province_plans,
        ),
        _(
            "{first}—{last} 年：批量写入 {values} 个数值（来源“合成数据”，状态填报中）、"
            "{submissions} 份填报和 {records} 条变更记录；全部通过阻止性校验，"
            "异常波动提示 {warnings} 条（每 20 所学校抽查一所）；随机种子 {seed}"
        ).format(
            first=made.years[0],
            last=made.years[-1],
            values=made.values,
            submissions=made.submissions,
            records=made.change_records,
            warnings=made.warnings,
            seed=seed,
        ),
    ]
    if made.extras:
        lines.append(
            _("约 1% 规模的样本：{parts}").format(
                parts="、".join(f"{name} {n}" for name, n in made.extras.items())
            )
        )
    lines.append(
        _(
            "用时 {seconds:.1f} 秒（其中数值 {values_seconds:.1f} 秒），每秒写入 {rate:.0f} 个数值"
        ).format(
            seconds=made.seconds, values_seconds=made.values_seconds, rate=made.values_per_second
        )
    )
    return lines
