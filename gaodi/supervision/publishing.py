"""督导报告 publishing (issue 5): the work team or the 教育督导室 numbers a report
(茌平职教督〔2021〕3号), freezes it — the data it was made from and the three files — and puts
it on the public portal, archived by number.

Numbering: `{place}职教督〔{year}〕{n}号`, where place is the plan's org unit without its
last character (茌平区 -> 茌平), year the year of publishing, n counting from 1 within the plan
and the year. This follows the usual 发文字号 pattern (GB/T 9704: 机关代字〔年份〕序号); the
代字 “职教督” is Gaodi's default (示例).

Files are written under GAODI_DATA_DIR/reports with random names before the database row is
committed; if the commit fails they are removed, so a report is either published whole —
row, change record and three files — or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import FileResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.gate import Action, User, can, memberships
from gaodi.audit.services import record_change
from gaodi.indicators.attainment import chinese_date
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan
from gaodi.today import now

from .handover import Refused
from .models import PublishedReport
from .report_build import build_report
from .report_data import SupervisionReport
from .report_render import CONTENT_TYPES, FORMATS, render

CODE = "职教督"  # 机关代字 of the report numbers (示例)


def reports_dir() -> Path:
    return Path(settings.GAODI_DATA_DIR) / "reports"


def may_publish(user: User | None, plan: Plan) -> bool:
    """The work team of the place, or an inspector of the 调度 scope (区政府教育督导室)."""
    if user is None or not user.is_authenticated:
        return False
    if can(user, Action.REVIEW, plan.org_unit_id):
        return True
    return can(user, Action.INSPECT, plan.org_unit_id) and any(
        m.role == Role.INSPECTOR and m.inspector_scope == InspectorScope.DISPATCH
        for m in memberships(user)
    )


def number_prefix(plan: Plan) -> str:
    """茌平区 -> 茌平职教督."""
    name = plan.org_unit.name
    place = name[:-1] if len(name) > 2 and name[-1] in "区县市省旗" else name
    return f"{place}{CODE}"


def report_number(plan: Plan, year: int, sequence: int) -> str:
    return f"{number_prefix(plan)}〔{year}〕{sequence}号"


def publish_report(plan: Plan, period_id: str, *, actor: Actor, today: dt.date) -> PublishedReport:
    """Number, render, store and publish the plan's report for the period.

    Raises Refused (who may not publish) and periods.PeriodError (a bad period)."""
    user = actor if isinstance(actor, AbstractBaseUser) else None
    if actor is not None and not may_publish(user, plan):
        raise Refused(_("只有工作专班或教育督导室可以发布督导报告"))
    draft = build_report(plan, period_id, today)
    for _attempt in range(3):  # two people publishing at once: the second takes the next number
        try:
            return _publish(plan, draft, user, today)
        except IntegrityError:
            continue
    raise Refused(_("发布未成功：文号冲突，请稍后重试"))


def _publish(
    plan: Plan, draft: SupervisionReport, user: AbstractBaseUser | None, today: dt.date
) -> PublishedReport:
    year = today.year
    last = PublishedReport.objects.filter(plan=plan, year=year).aggregate(n=Max("sequence"))["n"]
    sequence = (last or 0) + 1
    report = draft.with_number(report_number(plan, year, sequence), chinese_date(today))
    files = {fmt: render(report, fmt) for fmt in FORMATS}
    folder = reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    stored: dict[str, dict[str, object]] = {}
    try:
        for fmt, content in files.items():
            name = f"{secrets.token_hex(16)}.{fmt}"
            path = folder / name
            with path.open("xb") as out:  # never overwrites
                written.append(path)
                out.write(content)
            stored[fmt] = {
                "stored_name": name,
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
            }
        with transaction.atomic():
            published = PublishedReport.objects.create(
                plan=plan,
                period=report.period,
                year=year,
                sequence=sequence,
                number=report.number,
                title=report.title,
                content=report.to_json(),
                files=stored,
                published_at=now(),
                published_by=user,
            )
            record_change(
                published,
                actor=user,
                action="publish",
                after={"number": report.number, "period": report.period, "files": stored},
                summary=_("发布督导报告 {number}（{period}）").format(
                    number=report.number, period=report.period_label
                ),
            )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return published


def snapshot(published: PublishedReport) -> SupervisionReport:
    """The report exactly as it was published."""
    return SupervisionReport.from_json(published.content)


def report_file(published: PublishedReport, fmt: str) -> FileResponse | None:
    """A published file as a download with safe headers; None if there is no such file (or
    it no longer matches the fingerprint taken at publishing)."""
    entry = published.files.get(fmt) if fmt in FORMATS else None
    if not entry:
        return None
    path = reports_dir() / str(entry["stored_name"])
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    if hashlib.sha256(content).hexdigest() != entry["sha256"]:
        return None
    response = FileResponse(iter([content]), content_type=CONTENT_TYPES[fmt])
    response["Content-Length"] = str(len(content))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{published.number}.{fmt}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
