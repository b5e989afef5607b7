"""The schema rule of docs/scaling.md: every large table carries its root org unit (its
province), written with the row; every heavy query filters by it.

Checked three ways: the tables' definitions (the field is there, required, indexed, in every
unique constraint); the rows of the demo and of a tiny synthetic nation (each row's root is
the root of its org unit); and the SQL of the heavy queries (it names ``root_id``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from gaodi.audit.models import ChangeRecord
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import Rooted, fill_roots, root_id_of, root_ids_of, rooted_models

# The large tables of docs/scaling.md (audit.ChangeRecord apart: see its test below).
LARGE_TABLES = {
    "indicators.DataValue",
    "indicators.Submission",
    "indicators.UnitTotal",
    "credits.Learner",
    "credits.LearningOutcome",
    "credits.RecognitionCase",
    "credits.RecognitionStep",
    "credits.Conversion",
    "credits.LedgerEntry",
    "credits.IssuedCredential",
    "credits.ExamSitting",
    "training.TrainingRecord",
    "specialties.Offering",
    "supervision.ProgressReport",
}


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def test_every_large_table_is_rooted_and_nothing_else() -> None:
    assert {_label(m) for m in rooted_models()} == LARGE_TABLES


@pytest.mark.parametrize("model", rooted_models(), ids=_label)
def test_the_root_column_is_required_indexed_and_in_every_unique_key(
    model: type[Rooted],
) -> None:
    field = model._meta.get_field("root")
    assert field.related_model is OrgUnit
    assert not field.null
    assert not field.editable  # never typed in: written by the service with the row
    column = field.column
    indexed = field.db_index or any("root" in (index.fields or []) for index in model._meta.indexes)
    uniques = [c for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    assert indexed or any("root" in c.fields for c in uniques), f"{column} is not indexed"
    for constraint in uniques:
        # Citus needs the distribution column in every unique key.
        assert "root" in constraint.fields, constraint.name
    # Where the root comes from is a real path to an org unit (or to a rooted row).
    first, _sep, rest = model.ROOT_FROM.partition("__")
    target = model._meta.get_field(first).related_model
    assert target is not None
    if rest == "root":
        assert issubclass(target, Rooted)
    elif rest:
        assert target._meta.get_field(rest).related_model is OrgUnit
    else:
        assert target is OrgUnit


def test_the_audit_trail_carries_the_root_of_what_it_records() -> None:
    field = ChangeRecord._meta.get_field("root")
    assert field.related_model is OrgUnit
    assert field.null  # reference data (catalogues, plans, accounts) belongs to no province


def _specialty() -> Any:
    from gaodi.specialties.models import Specialty

    return Specialty.objects.create(
        code="700101", name="示例专业", level="中职", catalogue="示例", source="示例"
    )


# -- roots of the tree -----------------------------------------------------------------


@pytest.fixture
def nation(db: Any) -> dict[str, OrgUnit]:
    """全国 > 两省 > 市 > 县 > 学校, made by hand."""
    made: dict[str, OrgUnit] = {}
    for code, kind, parent in [
        ("000000", OrgKind.NATION, None),
        ("600000", OrgKind.PROVINCE, "000000"),
        ("600100", OrgKind.CITY, "600000"),
        ("600101", OrgKind.COUNTY, "600100"),
        ("600101001", OrgKind.SCHOOL, "600101"),
        ("660000", OrgKind.PROVINCE, "000000"),
        ("660100", OrgKind.CITY, "660000"),
    ]:
        made[code] = OrgUnit.objects.create(
            code=code, name=f"示例{code}", kind=kind, parent=made.get(parent or "")
        )
    return made


def test_the_root_is_the_province_below_the_nation(nation: dict[str, OrgUnit]) -> None:
    ids = {code: unit.pk for code, unit in nation.items()}
    roots = root_ids_of(ids.values())
    assert roots[ids["600101001"]] == ids["600000"]
    assert roots[ids["600101"]] == ids["600000"]
    assert roots[ids["600000"]] == ids["600000"]
    assert roots[ids["660100"]] == ids["660000"]
    assert roots[ids["000000"]] == ids["000000"]  # the nation is its own


def test_a_tree_without_a_nation_has_its_top_as_root(db: Any) -> None:
    top = OrgUnit.objects.create(code="370000", name="山东省", kind=OrgKind.PROVINCE)
    city = OrgUnit.objects.create(code="371500", name="聊城市", kind=OrgKind.CITY, parent=top)
    county = OrgUnit.objects.create(code="371503", name="茌平区", kind=OrgKind.COUNTY, parent=city)
    assert root_id_of(county.pk) == top.pk


def test_a_tree_deeper_than_one_query_reads_is_followed_to_its_top(db: Any) -> None:
    parent = None
    chain = []
    for level in range(9):
        parent = OrgUnit.objects.create(
            code=f"9{level:05d}", name=f"示例{level}", kind=OrgKind.COUNTY, parent=parent
        )
        chain.append(parent)
    assert root_ids_of([chain[-1].pk]) == {chain[-1].pk: chain[0].pk}


def test_an_unknown_unit_has_no_root(db: Any) -> None:
    with pytest.raises(OrgUnit.DoesNotExist):
        root_ids_of([987654321])


def test_a_row_takes_its_root_when_saved_and_a_new_one_when_it_moves(
    nation: dict[str, OrgUnit],
) -> None:
    from gaodi.specialties.models import Offering

    specialty = _specialty()
    offering = Offering.objects.create(
        school=nation["600101001"], specialty=specialty, year=2021, source="示例"
    )
    assert offering.root_id == nation["600000"].pk
    offering = Offering.objects.get(pk=offering.pk)
    offering.school = nation["660100"]
    offering.save(update_fields=["school"])
    assert Offering.objects.get(pk=offering.pk).root_id == nation["660000"].pk


def test_bulk_create_fills_every_row_in_a_query_per_hop(nation: dict[str, OrgUnit]) -> None:
    from gaodi.specialties.models import Offering

    specialty = _specialty()
    rows = [
        Offering(school=nation[code], specialty=specialty, year=year, source="示例")
        for code in ("600101001", "660100")
        for year in (2020, 2021)
    ]
    with CaptureQueriesContext(connection) as queries:
        fill_roots(rows)
    assert len(queries) == 1
    assert [r.root_id for r in rows] == [nation["600000"].pk] * 2 + [nation["660000"].pk] * 2


# -- the rows ------------------------------------------------------------------------------


def _expected_roots(model: type[Rooted]) -> Iterator[tuple[int, int, int]]:
    """(row id, stored root, the root its org unit has) for every row of a model."""
    first, _sep, rest = model.ROOT_FROM.partition("__")
    path = f"{first}__{rest}" if rest else first
    rows = list(model.objects.values_list("pk", "root_id", path))
    if rest == "root":
        for pk, root, expected in rows:
            yield pk, root, expected
        return
    roots = root_ids_of({unit for _pk, _root, unit in rows})
    for pk, root, unit in rows:
        yield pk, root, roots[unit]


def _rows_agree(least: dict[str, int], *, records: bool = True) -> None:
    counted = {}
    for model in rooted_models():
        wrong = [row for row in _expected_roots(model) if row[1] != row[2]]
        assert wrong == [], _label(model)
        counted[_label(model)] = model.objects.count()
    for label, count in least.items():
        assert counted[label] >= count, label
    # The change records of rooted rows carry the same root (as of the change: a row moved
    # since, by a merge, keeps its earlier records' root).
    for model in rooted_models() if records else []:
        stored = dict(model.objects.values_list("pk", "root_id"))
        records = ChangeRecord.objects.filter(object_type=model._meta.label_lower)
        for object_id, root in records.values_list("object_id", "root_id"):
            if int(object_id) in stored:  # a row since deleted keeps its record
                assert root == stored[int(object_id)], (model, object_id)


def test_every_row_of_the_demo_carries_the_root_of_its_org_unit(demo_once: Any, db: Any) -> None:
    # The demo has rows in every large table (so that the check is not vacuous).
    _rows_agree(dict.fromkeys(LARGE_TABLES, 1))
    shandong = OrgUnit.objects.get(code="370000")
    from gaodi.indicators.models import DataValue

    assert set(DataValue.objects.values_list("root_id", flat=True).distinct()) == {shandong.pk}


def test_every_row_of_a_tiny_synthetic_nation_carries_its_province(db: Any) -> None:
    from gaodi.indicators.models import DataValue
    from gaodi.indicators.synth_nation import NationShape, synthesize_nation

    synthesize_nation(
        NationShape(provinces=2, cities=4, counties=8, schools=16), seed=3, years=[2021, 2022]
    )
    _rows_agree(
        {
            "indicators.DataValue": 16 * 2 * 60,
            "indicators.Submission": 16 * 2,
            "indicators.UnitTotal": 1,
            "credits.Learner": 1,
            "specialties.Offering": 1,
            "training.TrainingRecord": 1,
        }
    )
    provinces = set(OrgUnit.objects.filter(parent__code="000000").values_list("pk", flat=True))
    assert len(provinces) == 2
    schools = DataValue.objects.filter(org_unit__parent__parent__parent__parent__code="000000")
    assert set(schools.values_list("root_id", flat=True).distinct()) == provinces


# -- the heavy queries ---------------------------------------------------------------------


def _filters_by_root(sql: str, table: str) -> bool:
    """The statement reads ``table`` and names its root in the WHERE clause."""
    quoted = connection.ops.quote_name(table)
    if table not in sql and quoted not in sql:
        return False
    where = sql.upper().split(" WHERE ", 1)
    return len(where) == 2 and "ROOT_ID" in where[1].upper()


def _reads_of(queries: CaptureQueriesContext, table: str) -> list[str]:
    """The reads whose main table (the first after FROM) is ``table``."""
    found = []
    for query in queries.captured_queries:
        sql = query["sql"]
        main = re.search(r"\bFROM\s+\"?(\w+)", sql)
        if sql.lstrip().upper().startswith(("SELECT", "WITH")) and main and main[1] == table:
            found.append(sql)
    return found


def test_the_rush_path_reads_values_and_submissions_of_their_province(
    demo_once: Any, db: Any
) -> None:
    """A school's form (store_values, the deadline rush's write) reads by root."""
    from gaodi.indicators.collection import store_values
    from gaodi.indicators.models import DataSet, DataValue, Submission

    data_set = DataSet.objects.filter(plan=demo_once, period_type="yearly").first()
    assert data_set is not None
    school = OrgUnit.objects.filter(kind=OrgKind.SCHOOL).order_by("code").first()
    assert school is not None
    base = [i.code for i in data_set.indicators.all() if not i.formula]
    with CaptureQueriesContext(connection) as queries:
        store_values(
            data_set,
            "2026",
            {school.pk: {base[0]: Decimal(1)}},
            actor=None,
            source="示例",
            check_window=False,
        )
    for table in (DataValue._meta.db_table, Submission._meta.db_table):
        reads = _reads_of(queries, table)
        assert reads, table
        assert all(_filters_by_root(sql, table) for sql in reads), reads
    # Every other statement that reads the values (the live totals' one reads the values it
    # replaces in a join) names their root too.
    values = DataValue._meta.db_table
    joined = [
        q["sql"]
        for q in queries.captured_queries
        if values in q["sql"] and not re.search(rf'INSERT INTO "?{values}"? ', q["sql"])
    ]
    assert joined
    for sql in joined:
        assert re.search(r'\."?root_id"?\s*(=|IN\b)', sql), sql


def test_the_credit_bank_counts_and_status_lists_read_their_province(
    demo_once: Any, db: Any
) -> None:
    """The 学分银行 counts of the plan, the pass rates, the learners' list and a school's
    status list read by root."""
    import datetime as dt

    from gaodi.credits import queries, services, sittings
    from gaodi.credits.models import (
        Conversion,
        ExamSitting,
        IssuedCredential,
        Learner,
        LearningOutcome,
        RecognitionCase,
    )

    schools = list(OrgUnit.objects.filter(kind=OrgKind.SCHOOL))
    issuer = IssuedCredential.objects.first()
    assert issuer is not None
    with CaptureQueriesContext(connection) as queries_run:
        queries.counts(schools, dt.date(2021, 6, 30))
        list(queries.learners_of(schools))
        list(queries.open_cases(schools))
        sittings.pass_rates_of(schools, dt.date(2020, 1, 1), dt.date(2021, 12, 31))
        services.encoded_status_list(issuer.school)
    for model in (
        LearningOutcome,
        Conversion,
        Learner,
        RecognitionCase,
        ExamSitting,
        IssuedCredential,
    ):
        table = model._meta.db_table
        reads = _reads_of(queries_run, table)
        assert reads, table
        assert all(_filters_by_root(sql, table) for sql in reads), reads


def test_a_progress_report_save_reads_its_province(demo_once: Any, db: Any) -> None:
    """The other write of the deadline rush: a department's progress report."""
    from gaodi.orgs.models import Department
    from gaodi.supervision import reports
    from gaodi.supervision.models import Cycle, ProgressReport

    finance = Department.objects.get(org_unit=demo_once.org_unit, name="区财政局")
    task = demo_once.tasks.filter(assignments__department=finance, assignments__role="coop").first()
    cycle = Cycle.objects.filter(schedule__plan=demo_once, period="202103B").get()
    data = reports.ReportInput("ongoing", "示例：经费已拨付")
    with CaptureQueriesContext(connection) as queries:
        saved = reports.save_report(cycle, task, finance, data, actor=None)
    assert saved.root_id == root_id_of(demo_once.org_unit_id)
    reads = _reads_of(queries, ProgressReport._meta.db_table)
    assert reads
    assert all(_filters_by_root(sql, ProgressReport._meta.db_table) for sql in reads), reads


def test_the_migration_finds_roots_in_the_tree_it_read() -> None:
    """Rows written before the column existed get their root from the tree in memory."""
    from gaodi.orgs.migrating import _root

    tree = {
        1: (None, "nation"),
        2: (1, "province"),
        3: (2, "city"),
        4: (3, "school"),
        5: (None, "province"),
        6: (5, "county"),
    }
    assert [_root(tree, unit) for unit in (1, 2, 3, 4, 5, 6)] == [1, 2, 2, 2, 5, 5]


def test_the_roots_under_a_unit_are_its_province_or_for_the_nation_its_provinces(
    nation: dict[str, OrgUnit],
) -> None:
    from gaodi.orgs.roots import roots_under

    ids = {code: unit.pk for code, unit in nation.items()}
    assert roots_under(ids["600101"]) == [ids["600000"]]
    assert roots_under(ids["600000"]) == [ids["600000"]]
    assert roots_under(ids["000000"]) == sorted([ids["000000"], ids["600000"], ids["660000"]])


def test_the_dashboard_sums_read_the_subtrees_provinces(demo_once: Any, db: Any) -> None:
    """指标看板: the unit's own values and the children's subtree sums, by root."""
    from gaodi.indicators.dashboard import Actuals
    from gaodi.indicators.models import DataValue

    with CaptureQueriesContext(connection) as queries:
        actuals = Actuals(demo_once, demo_once.org_unit, [2019, 2020, 2021])
    assert actuals.children  # the county has schools: the subtree sums ran
    table = DataValue._meta.db_table
    reads = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    assert len(reads) == 2, reads  # own values, subtree sums
    assert all("root_id" in sql.split(" WHERE ", 1)[-1] for sql in reads), reads


def test_the_rollup_reads_the_subtrees_provinces(demo_once: Any, db: Any) -> None:
    """The roll-up, one period (live totals and own values) and several (over the values)."""
    from gaodi.indicators.models import DataSet, DataValue, UnitTotal
    from gaodi.indicators.rollup import data_set_by_children

    data_set = DataSet.objects.filter(plan=demo_once, period_type="yearly").first()
    assert data_set is not None
    county = demo_once.org_unit
    with CaptureQueriesContext(connection) as one_period:
        data_set_by_children(data_set, county.pk, "2021")
    # A quarterly data set's year: its four quarters, over the values.
    DataSet.objects.filter(pk=data_set.pk).update(period_type=DataSet.PeriodType.QUARTERLY)
    data_set.refresh_from_db()
    with CaptureQueriesContext(connection) as two_years:
        data_set_by_children(data_set, county.pk, "2021")
    for queries, tables in (
        (one_period, (UnitTotal, DataValue)),
        (two_years, (DataValue,)),
    ):
        for model in tables:
            table = model._meta.db_table
            reads = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
            assert reads, table
            alias = "t" if model is UnitTotal else "dv"
            assert all(f"{alias}.root_id IN" in sql for sql in reads), reads


def test_a_chain_deeper_than_one_query_under_a_nation_has_the_province_as_root(
    nation: dict[str, OrgUnit],
) -> None:
    """nation > province > city > county > school > two more levels: the first query reads
    six levels and ends at the nation; the root is still the province."""
    parent = nation["600101001"]
    for level in range(2):
        parent = OrgUnit.objects.create(
            code=f"600101001{level}", name=f"示例{level}", kind=OrgKind.SCHOOL, parent=parent
        )
    assert root_id_of(parent.pk) == nation["600000"].pk


def test_a_move_within_the_province_is_allowed_and_to_another_refused(
    nation: dict[str, OrgUnit],
) -> None:
    from gaodi.orgs.roots import RootChangeRefused

    county = nation["600101"]
    other_city = OrgUnit.objects.create(
        code="600200", name="示例市二", kind=OrgKind.CITY, parent=nation["600000"]
    )
    county.parent = other_city
    county.save()  # still 示例600000 省
    assert root_id_of(county.pk) == nation["600000"].pk
    county.parent = nation["660100"]
    with pytest.raises(RootChangeRefused, match="跨省移动"):
        county.save()
    assert OrgUnit.objects.get(pk=county.pk).parent_id == other_city.pk


def test_a_row_loaded_without_its_org_unit_takes_the_new_ones_root(
    nation: dict[str, OrgUnit],
) -> None:
    from gaodi.specialties.models import Offering

    specialty = _specialty()
    made = Offering.objects.create(
        school=nation["600101001"], specialty=specialty, year=2021, source="示例"
    )
    deferred = Offering.objects.only("pk", "year").get(pk=made.pk)
    deferred.school = nation["660100"]
    deferred.save()
    assert Offering.objects.get(pk=made.pk).root_id == nation["660000"].pk
    # Saving other fields only leaves the root as it is (the org unit is not saved).
    again = Offering.objects.get(pk=made.pk)
    again.school = nation["600101001"]
    again.year = 2022
    again.save(update_fields=["year"])
    assert Offering.objects.get(pk=made.pk).root_id == nation["660000"].pk


def test_merging_learners_of_two_provinces_keeps_the_credentials_with_their_issuer(
    demo_once: Any, db: Any
) -> None:
    """The merged learner's rows take the kept account's root; a signed credential keeps its
    issuing school's (its bit in that school's status list)."""
    from gaodi.credits import services
    from gaodi.credits.models import IssuedCredential, Learner

    credential = IssuedCredential.objects.select_related("learner").first()
    assert credential is not None
    issuer_root = credential.root_id
    duplicate = credential.learner
    elsewhere = OrgUnit.objects.create(code="660000", name="示例乙省", kind=OrgKind.PROVINCE)
    school = OrgUnit.objects.create(
        code="660000001", name="示例学校", kind=OrgKind.SCHOOL, parent=elsewhere
    )
    keep = Learner.objects.create(
        name=duplicate.name,
        id_encrypted=duplicate.id_encrypted,
        id_fingerprint=duplicate.id_fingerprint,
        masked_id=duplicate.masked_id,
        school=school,
        source="示例",
    )
    assert keep.root_id == elsewhere.pk
    services.merge_learners(keep, duplicate, reason="示例：同一人", actor=None)
    credential.refresh_from_db()
    assert credential.learner_id == keep.pk
    assert credential.root_id == issuer_root
    assert all(o.root_id == elsewhere.pk for o in keep.outcomes.all())
    _rows_agree({}, records=False)
