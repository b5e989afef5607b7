"""Fuzzing the Excel/CSV importer (excel.import_file, behind the upload page): whatever the
file, it is stored completely or refused with Chinese reasons and nothing stored — the counts
of DataValue and ChangeRecord do not move — and when stored, every value the file holds is
there. Workbooks start from the real template of 师资队伍 (ds3) for a school; each example
runs in a transaction that is rolled back, so examples do not see each other."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from hypothesis import example, given
from hypothesis import strategies as st
from pytest_django.plugin import DjangoDbBlocker

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.indicators import excel
from gaodi.indicators.collection import store_values
from gaodi.indicators.models import DataSet, DataValue
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.today import DEMO_TODAY

from .support import count, fuzz, is_chinese

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
PERIOD = "2021"  # open on the demo's day


class Setting:
    """The reference plan, a school and its clerk, and the template of ds3 for the school."""

    def __init__(self, plan: Plan, unit: OrgUnit, clerk: AbstractBaseUser) -> None:
        self.data_set = DataSet.objects.get(plan=plan, code="ds3")
        self.unit, self.clerk = unit, clerk
        self.lines = excel.lines_of(self.data_set)
        self.inputs = [line.code for line in self.lines if not line.formula]
        self.template = excel.template_for(self.data_set, self.unit, PERIOD)
        self.rows = {line.code: excel.FIRST_ROW + n for n, line in enumerate(self.lines)}


@pytest.fixture(scope="module")
def setting(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Setting]:
    """Made once for the module (like setUpTestData) and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        county = ensure_reference_tree(actor=None)
        plan = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
        unit = OrgUnit.objects.create(
            code="371503-S01", name="职教中心1", kind=OrgKind.SCHOOL, parent=county
        )
        clerk = create_member("clerk1", "pw-123456", role=Role.SCHOOL, actor=None, org_unit=unit)
        yield Setting(plan, unit, clerk)
        transaction.set_rollback(True)


@pytest.fixture
def ready(setting: Setting, db: None, settings: Any) -> Setting:
    settings.GAODI_TODAY = dt.date.fromisoformat(DEMO_TODAY)
    return setting


def counts() -> tuple[int, int]:
    return DataValue.objects.count(), ChangeRecord.objects.count()


def attempt(
    setting: Setting,
    content: bytes,
    name: str,
    expected: dict[str, Decimal] | None,
    target: str,
    stored_before: dict[str, int] | None = None,
) -> None:
    """Import the file in a transaction that is rolled back afterwards. Refused: Chinese
    reasons and nothing written. Stored: each of `expected` (the file's values, when the
    test knows them) is stored; codes the file left blank keep what they had."""
    with transaction.atomic():
        if stored_before:
            values = {code: Decimal(v) for code, v in stored_before.items()}
            store_values(setting.data_set, PERIOD, {setting.unit.pk: values}, actor=None, source="")
        before = counts()
        try:
            result = excel.import_file(
                setting.data_set, setting.unit, PERIOD, content, name=name, actor=setting.clerk
            )
        except excel.FileRefused as exc:
            assert exc.problems, "a refusal names its problems"
            for problem in exc.problems:
                assert is_chinese(problem.reason), problem
            assert counts() == before, "a refused file wrote something"
            count(target, "refused")
        else:
            now = excel.stored_values(setting.data_set, setting.unit, PERIOD)
            if expected is not None:
                assert result.values == len(expected), (result.values, expected)
                for code, value in expected.items():
                    assert code in now and abs(now[code] - value) <= Decimal("0.0000005"), (
                        code,
                        now.get(code),
                        value,
                    )
                for code, number in (stored_before or {}).items():
                    if code not in expected:
                        assert now[code] == number, code  # left blank: kept
            assert counts()[0] >= before[0]
            count(target, "stored")
        transaction.set_rollback(True)


# --- workbooks from the template, edited -----------------------------------------------


def _typable(text: str) -> str:
    """What a cell can hold: openpyxl refuses control characters, as Excel does."""
    return "".join(
        c
        for c in text
        if (c >= " " or c in "\t\n") and not "\ud800" <= c <= "\udfff" and c not in "\ufffe\uffff"
    )


INPUT_ROWS = st.integers(excel.FIRST_ROW, excel.FIRST_ROW + 16)
NUMBER = st.one_of(
    st.integers(0, 5000),
    st.integers(0, 5000),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(0, 10_000, allow_nan=False).map(lambda f: round(f, 2)),
    st.sampled_from([0, 1e14, 99999999999999, 10**14, 1e-7, 0.1 + 0.2, -0.0, 5e-324]),
)
VALUE = st.one_of(
    NUMBER,
    NUMBER,
    st.none(),
    st.text(max_size=20).map(_typable),
    st.sampled_from(["１２", " 12 ", "12%", "1,000", "一百", "", " ", "=1+1", "=D5*2", "#N/A"]),
    st.sampled_from(["=SUM(D5:D9)", "=1/0", "='_meta'!B2", '=HYPERLINK("x")', "TRUE"]),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),  # noqa: DTZ001 — a cell has no zone
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=300),
)
ADDRESS = st.builds(lambda c, r: f"{c}{r}", st.sampled_from("ABCDEFGH"), st.integers(1, 40))
EDIT = st.one_of(
    st.tuples(st.just("input"), INPUT_ROWS, VALUE),
    st.tuples(st.just("input"), INPUT_ROWS, VALUE),
    st.tuples(st.just("input"), INPUT_ROWS, VALUE),
    st.tuples(st.just("cell"), ADDRESS, VALUE),
    st.tuples(st.just("insert rows"), INPUT_ROWS, st.integers(1, 3)),
    st.tuples(st.just("delete rows"), INPUT_ROWS, st.integers(1, 3)),
    st.tuples(st.just("empty rows below"), st.integers(1, 5), st.none()),
    st.tuples(st.just("duplicate row"), INPUT_ROWS, st.booleans()),
    st.tuples(st.just("extra sheet"), st.text(max_size=10), VALUE),
    st.tuples(st.just("meta"), st.integers(1, 9), VALUE),
    st.tuples(st.just("meta key"), st.integers(1, 9), VALUE),
    st.tuples(st.just("delete meta row"), st.integers(1, 8), st.none()),
    st.tuples(st.just("remove sheet"), st.sampled_from(["填报", "填报说明", "_meta"]), st.none()),
    st.tuples(st.just("rename sheet"), st.sampled_from(["填报", "_meta"]), st.text(max_size=8)),
)


# The same number in every input: the form's rules (其中 ≤ 总数 …) hold, the file can be stored.
FILL = st.one_of(st.integers(0, 5000), st.floats(0, 5000).map(lambda f: round(f, 3))).map(
    lambda value: [("fill", None, value)]
)


def edited(
    setting: Setting, edits: list[tuple[str, Any, Any]]
) -> tuple[bytes, dict[str, Decimal] | None]:
    """The template with the edits applied, and the values it then holds in its input cells
    (None when the edits moved rows, so that the test cannot say which value is whose)."""
    workbook = openpyxl.load_workbook(io.BytesIO(setting.template))
    sheet, last = workbook[excel.SHEET], excel.FIRST_ROW + len(setting.lines) - 1
    known = True
    for kind, where, value in edits:
        if kind in {"remove sheet", "rename sheet"} and where not in workbook.sheetnames:
            continue
        if kind in {"meta", "meta key", "delete meta row"} and excel.META_SHEET not in workbook:
            continue
        if kind == "fill":
            for code in setting.inputs:
                sheet[f"D{setting.rows[code]}"] = value
        elif kind == "input":
            sheet[f"D{where}"] = value
        elif kind == "cell":
            sheet[where] = value
        elif kind == "insert rows":
            sheet.insert_rows(where, value)
            known = False
        elif kind == "delete rows":
            sheet.delete_rows(where, value)
            known = False
        elif kind == "empty rows below":
            for row in range(last + 1, last + 1 + where):
                sheet[f"A{row}"], sheet[f"D{row}"] = None, ""
        elif kind == "duplicate row":
            source, target = where, last + 1 if value else last + 3
            for column in "ABCDE":
                sheet[f"{column}{target}"] = sheet[f"{column}{source}"].value
        elif kind == "extra sheet":
            extra = workbook.create_sheet(_sheet_name(where, workbook.sheetnames))
            extra["A1"], extra["D5"] = value, value
        elif kind in {"meta", "meta key"}:
            column = "B" if kind == "meta" else "A"
            workbook[excel.META_SHEET][f"{column}{where}"] = value
        elif kind == "delete meta row":
            workbook[excel.META_SHEET].delete_rows(where)
        elif kind == "remove sheet":
            del workbook[where]
        else:  # rename sheet
            workbook[where].title = _sheet_name(value or "x", workbook.sheetnames)
        if excel.SHEET not in workbook.sheetnames:
            known = False
    if all(s.sheet_state != "visible" for s in workbook.worksheets):
        workbook.create_sheet("Sheet1")  # a workbook shows at least one sheet
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), (_input_values(setting, sheet) if known else None)


def _sheet_name(wanted: str, taken: list[str]) -> str:
    name = "".join(c for c in _typable(wanted) if c >= " " and c not in "[]:*?/\\'")[:25]
    name = name.strip() or "x"
    while name in taken:
        name += "1"
    return name


def _input_values(setting: Setting, sheet: Any) -> dict[str, Decimal] | None:
    """What the input cells hold as numbers; None when one holds something not a plain
    number (the file is then refused, or the test cannot tell)."""
    found = {}
    for code in setting.inputs:
        value = sheet[f"D{setting.rows[code]}"].value
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if isinstance(value, float) and not math.isfinite(value):
            return None
        found[code] = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    return found


@fuzz(150)
@example(edits=[("input", 8, 4888), ("input", 9, 252)], stored_before=False)
@example(edits=[("input", 8, 4888), ("input", 9, -1)], stored_before=True)
@example(edits=[("input", 8, float("nan"))], stored_before=False)
@example(edits=[("input", 8, 10**14)], stored_before=False)
@example(edits=[("input", 8, 1), ("duplicate row", 8, True)], stored_before=False)
@example(edits=[("input", 8, 1), ("meta", 2, "999")], stored_before=False)
@example(edits=[("input", 8, 1), ("remove sheet", "_meta", None)], stored_before=False)
@given(
    edits=st.tuples(st.one_of(st.just([]), FILL, FILL), st.lists(EDIT, max_size=4)).map(
        lambda parts: parts[0] + parts[1]
    ),
    stored_before=st.booleans(),
)
def test_an_edited_template_is_stored_whole_or_refused_with_nothing_stored(
    ready: Setting, edits: list[tuple[str, Any, Any]], stored_before: bool
) -> None:
    content, expected = edited(ready, edits)
    before = {"i037n": 100, "i037d": 10} if stored_before else None
    attempt(ready, content, "填报.xlsx", expected, "excel (template edited)", before)


# --- damaged files, random bytes ------------------------------------------------------------


def rezipped(package: bytes, member: str, damage: Any) -> bytes:
    """The package with one member's bytes replaced by damage(bytes)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, damage(data) if info.filename == member else data)
    return buffer.getvalue()


MEMBERS = st.sampled_from(
    [
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet3.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
        "[Content_Types].xml",
    ]
)


@st.composite
def byte_damage(draw: st.DrawFn) -> Any:
    operations = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["flip", "truncate", "delete", "insert"]),
                st.floats(0, 1),
                st.binary(min_size=1, max_size=24),
            ),
            min_size=1,
            max_size=3,
        )
    )

    def damage(data: bytes) -> bytes:
        out = bytearray(data)
        for operation, where, junk in operations:
            if not out:
                break
            at = min(len(out) - 1, int(where * len(out)))
            if operation == "flip":
                out[at] ^= junk[0] or 1
            elif operation == "truncate":
                del out[at:]
            elif operation == "delete":
                del out[at : at + len(junk) * 8]
            else:
                out[at:at] = junk
        return bytes(out)

    return damage


@fuzz(100)
@example(how="member", member="xl/worksheets/sheet1.xml", damage=lambda d: d[: len(d) // 2])
@example(how="member", member="xl/workbook.xml", damage=lambda d: b"<!DOCTYPE x>" + d)
@example(how="member", member="xl/sharedStrings.xml", damage=lambda d: b"")
@example(how="whole", member="", damage=lambda d: d[:100])
# Found in CI: XML that calamine reads but ElementTree refuses (an invalid token) crashed the
# formula scan with ParseError instead of refusing the file.
@example(
    how="member",
    member="xl/workbook.xml",
    damage=lambda d: d.replace(b"<sheets>", b"<sheets>\x01", 1),
)
@example(
    how="member",
    member="xl/worksheets/sheet1.xml",
    damage=lambda d: d.replace(b"</sheetData>", b"\x01</sheetData>", 1),
)
@given(
    how=st.sampled_from(["member", "member", "whole"]),
    member=MEMBERS,
    damage=byte_damage(),
)
def test_a_damaged_template_is_refused_with_nothing_stored(
    ready: Setting, how: str, member: str, damage: Any
) -> None:
    filled, _values = edited(ready, [("input", 8, 4888), ("input", 9, 252)])
    content = rezipped(filled, member, damage) if how == "member" else damage(filled)
    attempt(ready, content, "填报.xlsx", None, "excel (damaged)")


@fuzz(80)
@example(content=b"PK\x03\x04" + bytes(30), name="t.xlsx")
@example(content=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(30), name="t.xls")
@example(content=b"\xff\xfe\x00\x00", name="t.csv")
@given(
    content=st.one_of(
        st.binary(min_size=1, max_size=600),
        st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
    ),
    name=st.sampled_from(["t.xlsx", "t.csv", "t.xls", "t", "数据.txt"]),
)
def test_random_bytes_are_refused_with_nothing_stored(
    ready: Setting, content: bytes, name: str
) -> None:
    attempt(ready, content, name, None, "excel/csv (random bytes)")


# --- CSV -----------------------------------------------------------------------------------

CSV_NUMBER = st.one_of(
    st.integers(0, 10**6).map(lambda n: (str(n), Decimal(n))),
    st.integers(0, 10**9).map(lambda n: (f"{n:,}", Decimal(n))),
    st.decimals(0, 10**6, places=3, allow_nan=False).map(lambda d: (f" {d} ", d)),
)
CSV_OTHER = st.one_of(
    st.integers(-(10**20), -1).map(str),
    st.sampled_from(["", " ", "abc", "１２", "12%", "1e3", "NaN", "Infinity", "1e999", "=1+1"]),
    st.text(max_size=12),
)


BAD = ["code,value", "", "数值,代码", "代码"]


@st.composite
def csv_file(
    draw: st.DrawFn, inputs: list[str], derived: list[str]
) -> tuple[str, dict[str, Decimal] | None]:
    """A CSV of 代码,数值 rows, and what it should store when it is stored (None when the test
    cannot say: a derived or unknown code, text, a code given twice — it should be refused)."""
    header = "代码,数值"
    if draw(st.integers(0, 4)) == 4:  # now and then another header
        header = draw(st.sampled_from(["代码,数值,指标,单位", " 代码 , 数值 ", *BAD]))
    common = st.just(draw(CSV_NUMBER))  # one number for most rows: the form's rules hold
    lines, expected = [header], {}
    good = header.replace(" ", "").startswith("代码,数值")
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["input"] * 12 + ["derived", "unknown", "blank"]))
        if kind == "input":
            code = draw(st.sampled_from(inputs))
        elif kind == "derived":
            code = draw(st.sampled_from(derived))
        else:
            code = draw(st.text(max_size=8)) if kind == "unknown" else ""
        text, value = draw(
            st.one_of(
                common, common, common, common, CSV_NUMBER, CSV_OTHER.map(lambda t: (t, None))
            )
        )
        extra = draw(st.sampled_from(["", "", "", ",名称", ',"含,逗号"', ',"多\n行"']))
        lines.append(f"{_quoted(code)},{_quoted(text)}{extra}")
        if not code.strip() and not text.strip() and not extra:
            continue  # a blank row is skipped
        if kind == "input" and code not in expected and (value is not None or not text.strip()):
            expected[code] = value  # None: given blank, not stored, but given
        else:
            good = False
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    values = {code: value for code, value in expected.items() if value is not None}
    return text, values if good else None


def _quoted(text: str) -> str:
    return f'"{text}"' if any(c in text for c in ',"\r\n') else text


GOOD_ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk"])  # Excel, WPS
ODD_ENCODING = st.sampled_from(["big5", "utf-16", "latin-1", "shift_jis", "hz", "utf-32"])


def csv_content(setting: Setting, data: st.DataObject, encoding: str) -> tuple[bytes, Any]:
    derived = [line.code for line in setting.lines if line.formula]
    text, expected = data.draw(csv_file(setting.inputs, derived), label="csv")
    return text.encode(encoding, errors="replace"), expected


# Found by this test: a CSV whose rows end in a lone CR (Excel for Mac's "CSV (Macintosh)")
# was refused as "CSV 格式有误：new-line character seen in unquoted field".
@fuzz(200)
@example(encoding="utf-8-sig", data=None)
@given(encoding=GOOD_ENCODING, data=st.data())
def test_a_csv_is_stored_whole_or_refused_with_nothing_stored(
    ready: Setting, encoding: str, data: st.DataObject | None
) -> None:
    if data is None:  # the regression example: lines that end in CR alone
        code = ready.inputs[0]
        content, expected = f"代码,数值\r{code},12\r".encode(encoding), {code: Decimal(12)}
    else:
        content, expected = csv_content(ready, data, encoding)
    attempt(ready, content, "数据.csv", expected, "csv")


@fuzz(60)
@given(encoding=ODD_ENCODING, data=st.data())
def test_a_csv_in_another_encoding_is_stored_whole_or_refused_with_nothing_stored(
    ready: Setting, encoding: str, data: st.DataObject
) -> None:
    content, _expected = csv_content(ready, data, encoding)  # may be read as something else
    attempt(ready, content, "数据.csv", None, "csv")
