"""import_plan: the reference plan stored, re-imported as version 2 with a readable diff."""

from __future__ import annotations

import pytest

from gaodi.audit.models import ChangeRecord
from gaodi.orgs.models import Department
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Deadline, Plan, Target, Task
from gaodi.plans.parsing import example_plan_path, parse_bytes
from gaodi.plans.services import ImportRefused, import_plan

pytestmark = pytest.mark.django_db
REFERENCE = example_plan_path().read_text("utf-8")


def imported(text: str = REFERENCE) -> Plan:
    ensure_reference_tree(actor=None)
    return import_plan(parse_bytes(text.encode("utf-8")), actor=None, source_sha256="abc")


def test_the_reference_plan_is_stored_whole_under_its_county() -> None:
    plan = imported()
    assert (plan.org_unit.code, plan.version, plan.doc_number) == (
        "371503",
        1,
        "聊茌政发〔2020〕19号",
    )
    assert plan.public and str(plan.issue_date) == "2020-07-02"
    assert plan.tasks.count() == 23 and plan.task_list.count() == 41
    assert plan.leading_group.count() == 23
    task = plan.tasks.get(number=14)
    leads = [a.department.name for a in task.assignments.filter(role=AssignmentRole.LEAD)]
    assert leads == ["区教育和体育局"]
    assert Target.objects.get(task=task, value=70).clause == "重点任务（十四）"
    assert plan.office_department and plan.office_department.name == "区教育和体育局"
    assert plan.findings.filter(source="audit", code="target-conflict").count() == 1


def test_spellings_become_aliases_of_one_department() -> None:
    plan = imported()
    education = Department.objects.get(org_unit=plan.org_unit, name="区教育和体育局")
    assert {"区教体局", "区教育局", "区教育体育局"} <= set(education.aliases)
    row = plan.task_list.get(seq=6)
    assert row.units == ["区教育局", "区委编办", "区人社局"]
    assert education in [a.department for a in row.assignments.all()]


def test_an_import_leaves_one_change_record_with_counts_and_the_file_hash() -> None:
    plan = imported()
    [record] = ChangeRecord.objects.filter(action="import")
    assert record.object_id == str(plan.pk) and record.object_type == "plans.plan"
    after = record.after
    assert (after["version"], after["sha256"], after["tasks"], after["task_list"]) == (
        1,
        "abc",
        23,
        41,
    )
    assert (after["leading_group"], after["indicators"]) == (23, 72)
    assert after["target_values"] == 184 and after["departments"] > 20
    assert record.before is None


def test_reimporting_an_edited_plan_makes_version_two_and_keeps_version_one() -> None:
    first = imported()
    edited = (
        REFERENCE.replace(
            "2020年6月底前，区政府出台职业院校落实", "2020年9月底前，区政府出台职业院校落实"
        )
        .replace("比例达到70%以上", "比例达到75%以上")
        .replace(
            "（牵头单位：区教育和体育局；配合单位：区人力资源和社会保障局、区残联）",
            "（牵头单位：区教育和体育局；配合单位：区人力资源和社会保障局、区残联、区卫生健康局）",
        )
    )
    second = imported(edited)
    assert (second.version, second.previous) == (2, first)
    changed = second.changes["tasks_changed"]
    assert changed["重点任务:3"]["deadlines"] == {"before": ["2020-06-30"], "after": ["2020-09-30"]}
    assert changed["重点任务:14"]["targets"]["after"] == [">=75%@2022"]
    assert changed["重点任务:4"]["coop"]["after"][-1] == "区卫生健康局"
    assert second.changes["departments_added"] == ["区卫生健康局"]
    assert second.changes["tasks_added"] == [] and second.changes["tasks_removed"] == []
    assert Deadline.objects.get(task__plan=first, task__number=3).date.month == 6
    assert Plan.objects.count() == 2 and Task.objects.filter(plan=first).count() == 23


def test_a_file_without_tasks_is_refused_and_nothing_is_stored() -> None:
    ensure_reference_tree(actor=None)
    with pytest.raises(ImportRefused):
        import_plan(parse_bytes("只是一段文字。".encode()), actor=None)
    assert Plan.objects.count() == 0 and not ChangeRecord.objects.filter(action="import").exists()


def test_the_diff_covers_the_task_list_the_header_and_the_leading_group() -> None:
    imported()
    edited = (
        REFERENCE.replace("区教体局、区人社局、区退役军人局、区农业农村局", "区教体局、区人社局")
        .replace("宋 静\t区政府副区长", "宋 静\t区政府常务副区长")
        .replace("聊茌政发〔2020〕19号", "聊茌政发〔2020〕19号", 1)
    )
    second = imported(edited)
    assert second.changes["rows_changed"] == ["16"]
    assert second.changes["leading_group_changed"]["after"][2] == "副组长 宋静 区政府常务副区长"
    assert second.changes["document_changed"] == {}
    assert "区退役军人局" not in second.changes["departments_removed"]  # still in task 7


def test_reimporting_the_same_document_reports_no_difference() -> None:
    from gaodi.plans.diff import is_empty

    imported()
    second = imported()
    assert second.version == 2 and is_empty(second.changes), second.changes
