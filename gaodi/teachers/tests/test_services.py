"""师资队伍 writes: each with its change record, bad input refused with every problem listed
and nothing written, parameter versions never overwritten."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from gaodi.audit.models import ChangeRecord
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_org_unit, ensure_reference_tree
from gaodi.teachers.models import RulesVersion, StaffingQuota, Teacher
from gaodi.teachers.rules import plan_rules
from gaodi.teachers.services import (
    Refused,
    TeacherInput,
    record_honour,
    record_teacher,
    record_teachers,
    rules_in_force,
    save_rules,
    seed_rules,
    set_quota,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db: None, settings: Any) -> OrgUnit:
    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    county = ensure_reference_tree(actor=None)
    return ensure_org_unit("371503-S01", "职教中心", OrgKind.SCHOOL, county, actor=None)


def given(name: str = "甲", **extra: Any) -> TeacherInput:
    values: dict[str, Any] = {
        "full_time": True,
        "specialty_course": True,
        "hired_on": dt.date(2020, 9, 1),
        **extra,
    }
    return TeacherInput(name=name, **values)


def test_a_teacher_is_recorded_with_its_change_record(school: OrgUnit) -> None:
    teacher = record_teacher(school, given(enterprise_years=Decimal("3.5")), actor=None)
    record = ChangeRecord.objects.get(object_type="teachers.teacher")
    assert record.after["enterprise_years"] == "3.5" and teacher.school == school


def test_a_list_is_all_or_nothing_with_every_rows_problems(school: OrgUnit) -> None:
    rows = [
        given("甲"),
        given("", left_on=dt.date(2020, 1, 1)),
        given("丙", certified_on=dt.date(2020, 1, 1), subject="学" * 101),
    ]
    with pytest.raises(Refused) as refused:
        record_teachers(school, rows, actor=None)
    message = str(refused.value)
    assert "第 2 行：请填写姓名" in message and "第 2 行：离岗日期须晚于入职日期" in message
    assert "第 3 行：填写了“双师型”认定日期，但未勾选“双师型”教师" in message
    assert "第 3 行：任教学科（专业）不能超过 100 个字（现为 101 个字）" in message
    assert not Teacher.objects.exists()
    assert not ChangeRecord.objects.filter(object_type="teachers.teacher").exists()
    assert record_teachers(school, [given("甲"), given("乙")], actor=None) == 2
    assert ChangeRecord.objects.filter(object_type="teachers.teacher").count() == 2


def test_a_teacher_of_a_place_that_is_not_a_school_is_refused(school: OrgUnit) -> None:
    assert school.parent is not None
    with pytest.raises(Refused, match="不是学校"):
        record_teacher(school.parent, given(), actor=None)


def test_a_quota_is_corrected_with_before_and_after(school: OrgUnit) -> None:
    set_quota(school, 2021, 240, "编办文件", actor=None)
    set_quota(school, 2021, 250, "编办更正文件", actor=None)
    assert StaffingQuota.objects.get(school=school, year=2021).quota == 250
    last = ChangeRecord.objects.filter(object_type="teachers.staffingquota").latest("pk")
    assert (last.before["quota"], last.after["quota"]) == (240, 250)
    with pytest.raises(Refused, match="编制员额须为不小于 0 的整数.*请填写来源"):
        set_quota(school, 2021, -1, "", actor=None)


def test_an_honour_needs_a_known_kind_level_date_and_source(school: OrgUnit) -> None:
    teacher = record_teacher(school, given(), actor=None)
    with pytest.raises(Refused) as refused:
        record_honour(teacher, "guru", "宇宙级", dt.date(2030, 1, 1), "", actor=None)
    assert str(refused.value).count("）") >= 4  # four numbered problems
    honour = record_honour(
        teacher, "chief", "市级", dt.date(2021, 1, 1), "聊城首席技师", actor=None
    )
    assert honour.get_kind_display() == "首席技师"


def test_parameter_versions_are_never_overwritten_and_take_effect_on_their_day(
    school: OrgUnit,
) -> None:
    assert seed_rules(actor=None) == 1 and seed_rules(actor=None) == 0
    with pytest.raises(Refused, match="已存在"):
        save_rules(plan_rules(), actor=None)
    second = replace(
        plan_rules(), version=2, effective_from=dt.date(2022, 1, 1), part_time_cap=Decimal("0.1")
    )
    save_rules(second, actor=None)
    assert rules_in_force(dt.date(2021, 12, 31)).version == 1  # type: ignore[union-attr]
    assert rules_in_force(dt.date(2022, 1, 1)).part_time_cap == Decimal("0.1")  # type: ignore[union-attr]
    early = replace(second, version=3, effective_from=dt.date(2021, 1, 1))
    with pytest.raises(Refused, match="施行日期不能早于第 2 版"):
        save_rules(early, actor=None)
    assert RulesVersion.objects.count() == 2


def test_the_stored_sets_share_the_versioned_shape_and_refusals() -> None:
    """RulesVersion is a VersionedParameters (code, version, 施行日期, name, source) and the
    services refuse with the one Refused every app's views catch."""
    from gaodi.specialties import services as shared
    from gaodi.teachers import services
    from gaodi.versioning import VersionedParameters

    assert issubclass(RulesVersion, VersionedParameters)
    assert services.Refused is shared.Refused


def test_a_place_uses_its_own_version_then_the_ones_above_it_never_a_neighbours(
    school: OrgUnit,
) -> None:
    from gaodi.teachers.services import new_rules_version, rules_for

    seed_rules(actor=None)
    county = school.parent
    assert county is not None and county.parent is not None
    neighbour = ensure_org_unit("371502", "东昌府区", OrgKind.COUNTY, county.parent, actor=None)
    new_rules_version(
        neighbour,
        {"part_time_cap": Decimal("0.05")},
        effective_from=dt.date(2021, 1, 1),
        source="邻区文件",
        actor=None,
    )
    assert rules_for(county, dt.date(2021, 6, 30)).code == "teacher-rules"  # type: ignore[union-attr]
    city = new_rules_version(
        county.parent,
        {"min_enterprise_years": Decimal(2)},
        effective_from=dt.date(2021, 1, 1),
        source="市文件",
        actor=None,
    )
    found = rules_for(county, dt.date(2021, 6, 30))
    assert found is not None and found.code == city.code
    assert found.basis_of("min_enterprise_years") == "市文件"
    assert found.basis_of("part_time_cap").startswith("聊茌政发")  # unchanged: its own source
    assert rules_for(county, dt.date(2020, 12, 31)).code == "teacher-rules"  # type: ignore[union-attr]
