"""专业与产业对接: worked examples with the plan's own 附件2 numbers (pure), and the page."""

from __future__ import annotations

from decimal import Decimal

from gaodi.specialties.alignment import alignment

# 附件2 二、专业布局, 2020 targets: 新一代信息技术 664, 高端装备 650, 医养健康 blank.
TARGETS = {"新一代信息技术": 664, "高端装备": 650, "医养健康": None}
SERVED = {
    "新一代信息技术": {"计算机应用"},
    "高端装备": {"机电技术应用", "数控技术应用"},
    "医养健康": set(),
}


def test_the_target_structure_leaves_blanks_out_and_the_gap_is_in_points() -> None:
    found = alignment(
        2020,
        TARGETS,
        {"新一代信息技术": 600, "高端装备": 400, "医养健康": None},
        SERVED,
        {"计算机应用", "机电技术应用", "旅游服务与管理"},
    )
    assert found.target_total == 1314 and found.actual_total == 1000
    it, kit, health = found.rows
    assert it.target_share == Decimal("50.5")  # 664 / 1314
    assert kit.target_share == Decimal("49.5")
    assert it.actual_share == Decimal("60.0") and kit.actual_share == Decimal("40.0")
    assert it.gap == Decimal("9.5") and kit.gap == Decimal("-9.5")
    assert health.target_share is None and health.gap is None  # blank in the plan: unknown
    assert found.unserved_industries == ("医养健康",)
    assert found.unmapped_specialties == ("旅游服务与管理",)
    assert (
        "新一代信息技术：目标 664 人（50.5%），实际 600 人（60.0%），相差 +9.5 个百分点"
        in found.steps
    )
    assert "医养健康：目标 方案未填，实际 未报" in found.steps


def test_nothing_reported_gives_unknown_shares_not_zero() -> None:
    found = alignment(2021, TARGETS, {}, SERVED, set())
    assert found.actual_total == 0
    assert all(row.actual_share is None and row.gap is None for row in found.rows)
    assert found.unmapped_specialties == ()


def test_no_targets_at_all() -> None:
    found = alignment(2022, {}, {}, {}, {"计算机应用"})
    assert found.rows == () and found.target_total == 0
    assert found.unmapped_specialties == ("计算机应用",)


def test_the_warnings_page_shows_the_alignment_with_its_working(db, client, settings) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from gaodi.demo import DEMO_PASSWORD, set_up_demo

    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    plan, _logins = set_up_demo()
    assert client.login(username="zhuanban", password=DEMO_PASSWORD)
    page = client.get(f"/specialties/plans/{plan.pk}/warnings/?year=2021").content.decode()
    assert "专业与产业对接（2021年）" in page
    assert "计算过程" in page and "目标结构" in page
    assert "没有对接专业的产业" in page
