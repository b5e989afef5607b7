"""专业预警和退出: preset rule sets from provincial and city rules, and a 示例 set for the district.

Each preset cites its source as /work/shared/SOURCES.md ("Specialty warning and exit") records
it; what the source does not say is a parameter with a 示例 default, named in the rule's
`examples` and explained in its `note`. The district copies a preset, changes what it needs
and saves it as a new version with its own effective date (warning.select_rule_set).

The reference plan sets no numbers. 聊茌政发〔2020〕19号 重点任务（八）: "建立专业预警和退出机制，
引导学校对设置重复、招生就业连续不达标专业及时调减或停止招生。" `chiping_example` is therefore
示例 throughout: it combines the sourced rules below for 中职, the level of the district's
schools (附件2 二、专业布局: 计算机应用, 机电技术应用, 数控技术应用, 康复技术, ...).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .warning import (
    CUT,
    EMPLOYMENT_RANK_PERCENTILE,
    EMPLOYMENT_RATE,
    ENROLMENT,
    PLAN_COMPLETION,
    STOP,
    WARN,
    WITHDRAW,
    Condition,
    Rule,
    RuleSet,
)

EXAMPLE = "示例"

FUJIAN_URL = "http://www.olppe.com/guonei/20230821/21142544.html"
REGION_URL = "http://news.dzwindows.com/fz/2023/0216/57192.html"
SHANDONG_URL = "http://big5.china.com.cn/gate/big5/sd.china.com.cn/a/2017/jryw_0531/977189.html"

FUJIAN_SOURCE = (
    "福建省教育厅 2023 年通知：高职专业初次毕业去向落实率连续 2 年处于后 10% 的，调减或停止招生"
    "（" + FUJIAN_URL + "）"
)
REGION_SOURCE = (
    "某自治区 2023 年中职专业设置通知：全日制招生连续 3 年每年不足 30 人的专业予以调整，涉农、"
    "艺术、老年服务、健康服务类专业除外；新设专业 5 年内不得撤销（" + REGION_URL + "）"
)
SHANDONG_SOURCE = (
    "山东省 2017 年高职专业设置管理：就业率连续 2 年较低的专业调减招生计划直至停招；连续 3 年"
    "未招生的专业予以撤销（" + SHANDONG_URL + "）"
)
JILIN_SOURCE = (
    "吉林市 2013 年中职专业结构调整通知：连续 2 年招生不足计划 30% 或不足一个班的专业，下一年度"
    "停止招生（见于转载网站，原件未核）"
)
CHIPING_CLAUSE = (
    "聊茌政发〔2020〕19号 重点任务（八）：建立专业预警和退出机制，引导学校对设置重复、招生就业"
    "连续不达标专业及时调减或停止招生。"
)

EXEMPT_CLASSES = ("涉农", "艺术", "老年服务", "健康服务")  # the autonomous region's 2023 list
SMALL_ENROLMENT = Decimal(30)  # 30 人: the autonomous region (2023)
NEW_MAJOR_YEARS = 5  # 新设专业 5 年内不得撤销: the autonomous region (2023)
BOTTOM_SHARE = Decimal(10)  # 后 10%: 福建 (2023)
UNDER_PLAN = Decimal(30)  # 不足计划 30%: 吉林市 (2013)

# 示例 defaults: the sources do not give these numbers.
LOW_EMPLOYMENT_RATE = Decimal(80)  # 山东 2017 says "就业率较低" without a number
CLASS_SIZE = 40  # 吉林市 2013 says "不足一个班" without the class size
RANK_MIN_PEERS = 5  # fewer 高职 peers with a rate than this are not ranked


def fujian_2023(min_peers: int = RANK_MIN_PEERS) -> RuleSet:
    """福建 2023 (高职): bottom 10 % by 初次毕业去向落实率 two years running -> 调减或停止招生.

    Sourced: the metric, the 10 %, the two years, the consequence. 示例: ties take the best
    position, fewer than `min_peers` peers are not ranked, the effective date (the report's
    date; the notice's own date is not recorded), and 调减 as the consequence recorded (the
    source allows 停止招生 too). The cap on the number of majors (在校生 / 300) is a school-level
    rule, not one of a specialty, and is not here.
    """
    rule = Rule(
        code="fj-employment-bottom-10",
        name="初次毕业去向落实率连续 2 年后 10%",
        level="高职",
        conditions=(
            Condition(EMPLOYMENT_RANK_PERCENTILE, "<=", BOTTOM_SHARE, min_peers=min_peers),
        ),
        consequence=CUT,
        consecutive_years=2,
        source=FUJIAN_SOURCE,
        consequence_text="调减或停止招生",
        examples=("ties", "min_peers"),
        note="并列取最高位次、少于最少同类专业数不排位次为示例；结果记为调减（原文调减或停止招生）。",
    )
    return RuleSet(
        code="fujian-2023",
        name="福建省高职专业预警（2023）",
        version=1,
        effective_from=date(2023, 8, 21),
        rules=(rule,),
        source=FUJIAN_SOURCE,
        note="施行日期为示例（取报道日期）。",
    )


def autonomous_region_2023() -> RuleSet:
    """The autonomous region 2023 (中职): full-time enrolment < 30 in each of 3 consecutive
    years -> 调整, 涉农/艺术/老年服务/健康服务 exempt, a new major protected for 5 years.

    Sourced: everything in the rule. 示例: 调整 recorded as 调减 (the mildest of the four
    consequences that 调整 covers), and the effective date (the report's date).
    """
    rule = Rule(
        code="region-enrolment-under-30",
        name="全日制招生连续 3 年不足 30 人",
        level="中职",
        conditions=(Condition(ENROLMENT, "<", SMALL_ENROLMENT),),
        consequence=CUT,
        consecutive_years=3,
        exempt_classes=EXEMPT_CLASSES,
        protect_new_years=NEW_MAJOR_YEARS,
        source=REGION_SOURCE,
        consequence_text="调整",
        examples=("consequence",),
        note="原文“调整”记为调减（示例）。",
    )
    return RuleSet(
        code="autonomous-region-2023",
        name="某自治区中职专业调整（2023）",
        version=1,
        effective_from=date(2023, 2, 16),
        rules=(rule,),
        source=REGION_SOURCE,
        note="施行日期为示例（取报道日期）。",
    )


def shandong_2017(low_employment_rate: Decimal = LOW_EMPLOYMENT_RATE) -> RuleSet:
    """山东 2017 (高职): 就业率 low two years running -> 调减招生计划直至停招; no enrolment three
    years running -> 撤销.

    Sourced: the two years, the three years, the consequences. 示例: what "low" is — 就业率
    below `low_employment_rate` (示例 80 %; the source gives no number) — and the effective
    date (the report's date). "No enrolment" is an enrolment of 0 reported for the year.
    """
    low_employment = Rule(
        code="sd-low-employment",
        name="就业率连续 2 年较低",
        level="高职",
        conditions=(Condition(EMPLOYMENT_RATE, "<", low_employment_rate),),
        consequence=CUT,
        consecutive_years=2,
        source=SHANDONG_SOURCE,
        consequence_text="调减招生计划直至停招",
        examples=("threshold",),
        note="原文未给出“就业率较低”的数值，阈值为示例参数。",
    )
    no_enrolment = Rule(
        code="sd-no-enrolment",
        name="连续 3 年未招生",
        level="高职",
        conditions=(Condition(ENROLMENT, "==", Decimal(0)),),
        consequence=WITHDRAW,
        consecutive_years=3,
        source=SHANDONG_SOURCE,
        consequence_text="撤销",
        note="未招生须报 0 人；未报送的年份中断连续计数。",
    )
    return RuleSet(
        code="shandong-2017",
        name="山东省高职专业预警和退出（2017）",
        version=1,
        effective_from=date(2017, 5, 31),
        rules=(low_employment, no_enrolment),
        source=SHANDONG_SOURCE,
        note="施行日期为示例（取报道日期）。",
    )


def jilin_city_2013(class_size: int = CLASS_SIZE) -> RuleSet:
    """吉林市 2013 (中职): enrolment under 30 % of plan, or under one class, two years running
    -> no enrolment the next year (停招).

    Sourced: 30 %, "一个班", two years, the consequence. 示例: the class size (`class_size`,
    示例 40), reading "或" year by year (a year fails on either test), and the effective date.
    """
    rule = Rule(
        code="jl-under-plan-or-class",
        name="连续 2 年招生不足计划 30% 或不足一个班",
        level="中职",
        conditions=(
            Condition(PLAN_COMPLETION, "<", UNDER_PLAN),
            Condition(ENROLMENT, "<", Decimal(class_size)),
        ),
        consequence=STOP,
        consecutive_years=2,
        match="any",
        source=JILIN_SOURCE,
        consequence_text="下一年度停止招生",
        examples=("conditions[1].threshold",),
        note="一个班的人数为示例参数；两项条件逐年满足其一即计入。",
    )
    return RuleSet(
        code="jilin-city-2013",
        name="吉林市中职专业结构调整（2013）",
        version=1,
        effective_from=date(2013, 1, 1),
        rules=(rule,),
        source=JILIN_SOURCE,
        note="施行日期为示例（原件日期未核）。",
    )


def chiping_example(
    low_employment_rate: Decimal = LOW_EMPLOYMENT_RATE, class_size: int = CLASS_SIZE
) -> RuleSet:
    """示例: a 中职 set for the district, for 重点任务（八） of 聊茌政发〔2020〕19号, which says
    only "招生就业连续不达标专业及时调减或停止招生" (quoted in CHIPING_CLAUSE), no numbers.

    Every rule borrows a sourced rule's shape and numbers for 中职 (the borrowing itself is
    示例) and names its origin: 预警 after one year under 30 (Gaodi's own, 示例); 调减 after three
    years under 30 with the autonomous region's exemptions and 5-year protection; 调减 after two
    years of low 就业率 (山东, threshold 示例); 停招 after two years under 30 % of plan or one
    class (吉林市, class size 示例); 撤销 after three years without enrolment (山东), a new major
    protected for 5 years (the autonomous region). Effective from the plan's date, 2020-07-02.
    """
    region, shandong, jilin = (
        autonomous_region_2023(),
        shandong_2017(low_employment_rate),
        (jilin_city_2013(class_size)),
    )
    borrowed = "示例（借用：{source}）"
    rules = (
        Rule(
            code="cp-warn-enrolment",
            name="当年招生不足 30 人",
            level="中职",
            conditions=(Condition(ENROLMENT, "<", SMALL_ENROLMENT),),
            consequence=WARN,
            source=EXAMPLE,
            examples=("threshold", "consecutive_years", "consequence"),
            note="高地示例：一年不足即预警，提醒学校，不影响招生。",
        ),
        _borrow(region.rules[0], "cp-cut-enrolment", borrowed),
        _borrow(shandong.rules[0], "cp-cut-employment", borrowed),
        _borrow(jilin.rules[0], "cp-stop-under-plan", borrowed),
        _borrow(shandong.rules[1], "cp-withdraw-no-enrolment", borrowed, protect=NEW_MAJOR_YEARS),
    )
    return RuleSet(
        code="chiping-example",
        name="茌平区中职专业预警和退出（示例）",
        version=1,
        effective_from=date(2020, 7, 2),
        rules=rules,
        source=CHIPING_CLAUSE + "方案未给出数值，本规则集为示例。",
        note="各条数值借用省市规定，均为示例，由区教育和体育局确定后另存新版本。",
    )


def _borrow(rule: Rule, code: str, template: str, protect: int | None = None) -> Rule:
    """A sourced rule applied to the district's 中职 specialties, marked 示例."""
    data = rule.to_json()
    data.update(
        code=code,
        level="中职",
        source=template.format(source=rule.source),
        examples=[*rule.examples, "level"],
    )
    if protect is not None:
        data.update(protect_new_years=protect, examples=[*data["examples"], "protect_new_years"])
    return Rule.from_json(data)


def all_presets() -> tuple[RuleSet, ...]:
    """Every preset with its default parameters, for the page that lists them."""
    return (
        fujian_2023(),
        autonomous_region_2023(),
        shandong_2017(),
        jilin_city_2013(),
        chiping_example(),
    )
