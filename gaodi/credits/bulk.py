"""Bulk import of certificates (证书批量导入) from Excel or CSV: every row checked first, every
problem listed by cell (the shared problems table), and then all rows stored or none.
Idempotent: a certificate already held (scheme + number + holder) is left as it is; a learner
already registered (same ID fingerprint) is found, not registered again.

Columns: 学校代码, 姓名, 身份证号, 证书体系, 认证单元, 等级, 证书编号, 发证机构, 发证日期, 有效期至
(the last may be blank: valid for good)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from gaodi.files.tables import Table, TableRow
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor

from . import identity
from .models import Learner, LearningOutcome, OutcomeUnit
from .services import OutcomeInput, fingerprint, record_outcome, register_learner

COLUMNS = (
    "学校代码",
    "姓名",
    "身份证号",
    "证书体系",
    "认证单元",
    "等级",
    "证书编号",
    "发证机构",
    "发证日期",
    "有效期至",
)
REQUIRED = COLUMNS[:-1]
SOURCE = "证书批量导入"
EXAMPLE = "【示例】"  # marks the template's example row (name and certificate number)


@dataclass(frozen=True)
class Problem:
    place: str
    value: str
    message: str

    @property
    def reason(self) -> str:
        return self.message

    def __str__(self) -> str:
        return _("{place}“{value}”：{message}").format(
            place=self.place, value=self.value, message=self.message
        )


@dataclass(frozen=True)
class CertificateRow:
    school: OrgUnit
    name: str
    id_number: str
    given: OutcomeInput


@dataclass(frozen=True)
class Imported:
    learners: int
    certificates: int
    unchanged: int


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def check_rows(table: Table, schools: list[OrgUnit]) -> tuple[list[CertificateRow], list[Problem]]:
    """The rows as certificates to store, and every problem found (by cell)."""
    by_code = {s.code: s for s in schools}
    writable = {s.pk for s in schools}
    units = {(u.scheme.code, u.code): u for u in OutcomeUnit.objects.select_related("scheme")}
    units_by_name = {(u.scheme.name, u.name): u for u in units.values()}
    found: list[CertificateRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], int] = {}
    names: dict[str, tuple[str, int]] = {}  # ID number -> (name, row) in this file

    def refuse(row: TableRow, column: str, message: str) -> None:
        value = row.cells.get(column, "")
        if column == "身份证号":  # never echo a whole ID number back, even a wrong one
            value = identity.mask(identity.normalise(value))
        problems.append(Problem(table.place(row, column), value, message))

    for row in table.rows:
        cells = row.cells
        example = next(
            (c for c in COLUMNS if str(cells.get(c, "")).strip().startswith(EXAMPLE)), None
        )
        if example is not None:  # the template's example row, left in: never imported
            refuse(row, example, _("示例行，请删除后再导入"))
            continue
        before = len(problems)
        school = by_code.get(cells["学校代码"].strip())
        if school is None:
            refuse(row, "学校代码", _("不是本方案所辖、您可导入的学校"))
        name = cells["姓名"].strip()
        if not name or len(name) > 50:
            refuse(row, "姓名", _("请填写姓名（不超过 50 个字）"))
        number = ""
        try:
            number = identity.check_id_number(cells["身份证号"])
        except identity.IdentityRefused as refused:
            refuse(row, "身份证号", str(refused))
        key = (cells["证书体系"].strip(), cells["认证单元"].strip())
        unit = units.get(key) or units_by_name.get(key)
        if unit is None:
            refuse(row, "认证单元", _("认证单元目录中没有该证书体系的这一单元"))
        level = cells["等级"].strip()
        if unit is not None and level not in unit.scheme.levels:
            refuse(
                row,
                "等级",
                _("应为：{levels}").format(levels="、".join(unit.scheme.levels)),
            )
        certificate = cells["证书编号"].strip()
        if not certificate or len(certificate) > 60:
            refuse(row, "证书编号", _("请填写证书编号（不超过 60 个字符）"))
        issuer = cells["发证机构"].strip()
        if not issuer or len(issuer) > 100:
            refuse(row, "发证机构", _("请填写发证机构（不超过 100 个字）"))
        issued_on = _day(cells["发证日期"])
        if issued_on is None:
            refuse(row, "发证日期", _("日期应写成 YYYY-MM-DD"))
        valid_text = cells.get("有效期至", "").strip()
        valid_until = _day(valid_text) if valid_text else None
        if valid_text and valid_until is None:
            refuse(row, "有效期至", _("日期应写成 YYYY-MM-DD，长期有效留空"))
        elif valid_until and issued_on and valid_until < issued_on:
            refuse(row, "有效期至", _("有效期不能早于发证日期"))
        if number and unit is not None and certificate:
            twin = (number, unit.scheme.code, certificate)
            if twin in seen:
                refuse(
                    row,
                    "证书编号",
                    _("与第 {n} 行是同一人的同一证书").format(n=seen[twin]),
                )
            seen[twin] = row.number
        if number and name:
            first = names.setdefault(number, (name, row.number))
            if first[0] != name:
                refuse(row, "姓名", _("与第 {n} 行同一身份证号的姓名不符").format(n=first[1]))
        if number and school is not None:
            held = Learner.objects.filter(
                id_fingerprint=fingerprint(number), merged_into__isnull=True
            ).first()
            if held is not None and held.school_id != school.pk:
                if held.school_id in writable:
                    message = _("该学习者已在{school}登记").format(school=held.school.name)
                else:
                    message = _("该身份证号已在其他学校登记，请联系工作专班")
                refuse(row, "学校代码", message)
            elif held is not None and name and held.name != name:
                refuse(row, "姓名", _("姓名与已登记的不符"))
        if len(problems) == before:
            assert school is not None and unit is not None and issued_on is not None
            found.append(
                CertificateRow(
                    school,
                    name,
                    number,
                    OutcomeInput(unit, level, certificate, issuer, issued_on, valid_until),
                )
            )
    return found, problems


@transaction.atomic
def import_certificates(rows: list[CertificateRow], *, actor: Actor) -> Imported:
    """Store the checked rows (one transaction: all or none); what is there is left alone."""
    learners = certificates = unchanged = 0
    for row in rows:
        learner = Learner.objects.filter(
            id_fingerprint=fingerprint(row.id_number), merged_into__isnull=True
        ).first()
        if learner is None:
            learner = register_learner(
                row.school, row.name, row.id_number, source=SOURCE, actor=actor
            )
            learners += 1
        exists = LearningOutcome.objects.filter(
            learner=learner, scheme=row.given.unit.scheme, number=row.given.number
        ).exists()
        if exists:
            unchanged += 1
            continue
        record_outcome(learner, row.given, source=SOURCE, actor=actor)
        certificates += 1
    return Imported(learners, certificates, unchanged)


def template_workbook(school_code: str, scheme: str, unit: str, level: str) -> Workbook:
    """The import template: the header row (COLUMNS) and one example row, marked 【示例】 in
    its name and number (a made-up ID number with a valid check digit) — delete it before
    importing. The cells are text, so that ID numbers and dates keep their digits."""
    from .demo import demo_id_number

    book = Workbook()
    sheet = book.active
    sheet.title = str(_("证书导入"))
    sheet.append(list(COLUMNS))
    sheet.append(
        [
            school_code,
            str(_("【示例】张三")),
            demo_id_number("20050101", 1),
            scheme,
            unit,
            level,
            str(_("【示例】请删除此行")),
            str(_("发证机构全称")),
            "2021-06-01",
            "",
        ]
    )
    for row in sheet.iter_rows():
        for cell in row:
            cell.number_format = "@"
    for column, width in zip("ABCDEFGHIJ", (12, 10, 20, 14, 16, 8, 20, 24, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    return book
