"""Seed and inspect the site of a crash test, in a process of its own.

`python tests/crash/sitectl.py seed` and `python tests/crash/sitectl.py inspect` run against the
site the environment names (GAODI_DATA_DIR, and DATABASE_URL for PostgreSQL), exactly as the
server sees it, and print one JSON document. `inspect` reads what to look at from stdin.

The seed is the demo, plus (synthetic, 合成): a data set ``crash`` of INDICATORS base counts
open for 2021, UNITS schools that each large import writes one of, an API token of the work
team, and the progress reports the 区教育和体育局 leads in the current rounds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaodi.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from gaodi.accounts.services import issue_token  # noqa: E402
from gaodi.audit.models import ChangeRecord  # noqa: E402
from gaodi.demo import set_up_demo  # noqa: E402
from gaodi.indicators.models import (  # noqa: E402
    DataSet,
    DataValue,
    Indicator,
    ReportingWindow,
    Submission,
)
from gaodi.orgs.choices import OrgKind  # noqa: E402
from gaodi.orgs.models import Department, OrgUnit  # noqa: E402
from gaodi.supervision import evidence  # noqa: E402
from gaodi.supervision.models import Evidence, ProgressReport  # noqa: E402
from gaodi.supervision.report_queries import department_rows  # noqa: E402
from gaodi.today import today  # noqa: E402

DATA_SET = "crash"
PERIOD = "2021"
INDICATORS = int(os.environ.get("CRASH_INDICATORS", "6000"))
UNITS = 200
DEPARTMENT = "区教育和体育局"


def seed() -> dict[str, Any]:
    call_command("migrate", interactive=False, verbosity=0)
    plan, _logins = set_up_demo()
    county = plan.org_unit
    indicators = Indicator.objects.bulk_create(
        (
            Indicator(
                plan=plan,
                org_unit=county,
                code=f"k{n:05d}",
                name=f"合成指标{n:05d}（崩溃测试）",
                unit="人",
                category="合成（崩溃测试）",
                order=20_000 + n,
            )
            for n in range(1, INDICATORS + 1)
        ),
        batch_size=2000,
    )
    data_set = DataSet.objects.create(plan=plan, code=DATA_SET, name="合成填报表（崩溃测试）")
    data_set.indicators.set(indicators)
    ReportingWindow.objects.create(
        data_set=data_set,
        period=PERIOD,
        opens_on=dt.date(2000, 1, 1),
        closes_on=dt.date(2999, 12, 31),
    )
    units = OrgUnit.objects.bulk_create(
        OrgUnit(code=f"C{n:04d}", name=f"合成学校{n:04d}", kind=OrgKind.SCHOOL, parent=county)
        for n in range(1, UNITS + 1)
    )
    team = get_user_model().objects.get(username="zhuanban")
    token = issue_token(team, "崩溃测试", actor=None)
    education = Department.objects.get(org_unit=county, name=DEPARTMENT)
    targets = [
        {"cycle": row.cycle.pk, "task": row.task.pk, "department": education.pk}
        for row in department_rows(plan, education.pk, today())
        if row.tier == "lead"
        and (row.report is None or row.report.status != ProgressReport.Status.ACCEPTED)
    ]
    return {
        "plan": plan.pk,
        "data_set": DATA_SET,
        "period": PERIOD,
        "codes": [i.code for i in indicators],
        "units": {unit.code: unit.pk for unit in units},
        "token": token,
        "targets": targets,
    }


def inspect(spec: dict[str, Any]) -> dict[str, Any]:
    """What is stored: per school the values of the crash data set (count and a digest), the
    change records of its submission; every progress report of the department with its
    evidence and whether each file is on disk with the right SHA-256; unreferenced files."""
    data_set = DataSet.objects.get(plan_id=spec["plan"], code=DATA_SET)
    units: dict[str, Any] = {}
    for code, pk in spec["units"].items():
        values = dict(
            DataValue.objects.filter(
                org_unit_id=pk, period=PERIOD, indicator__data_sets=data_set
            ).values_list("indicator__code", "value")
        )
        submissions = list(
            Submission.objects.filter(data_set=data_set, org_unit_id=pk, period=PERIOD)
        )
        changes = ChangeRecord.objects.filter(
            object_type="indicators.submission",
            object_id__in=[str(s.pk) for s in submissions],
        ).count()
        units[code] = {
            "count": len(values),
            "digest": _digest(values),
            "submissions": len(submissions),
            "changes": changes,
        }
    folder = evidence.evidence_dir()
    reports = []
    referenced = set()
    chosen = ProgressReport.objects.filter(department_id=spec["department"]).order_by(
        "cycle_id", "task_id", "version"
    )
    for report in chosen:
        files = []
        for item in Evidence.objects.filter(report=report).order_by("pk"):
            referenced.add(item.stored_name)
            path = folder / item.stored_name
            on_disk = path.read_bytes() if path.is_file() else None
            files.append(
                {
                    "name": item.original_name,
                    "sha256": item.sha256,
                    "size": item.size,
                    "on_disk_sha256": hashlib.sha256(on_disk).hexdigest() if on_disk else None,
                }
            )
        changes = ChangeRecord.objects.filter(
            object_type="supervision.progressreport", object_id=str(report.pk)
        ).values_list("action", flat=True)
        reports.append(
            {
                "pk": report.pk,
                "cycle": report.cycle_id,
                "task": report.task_id,
                "version": report.version,
                "status": report.status,
                "narrative": report.narrative,
                "submitted_at": report.submitted_at is not None,
                "evidence": files,
                "changes": sorted(changes),
            }
        )
    on_disk = {path.name for path in folder.iterdir()} if folder.is_dir() else set()
    result: dict[str, Any] = {
        "vendor": connection.vendor,
        "units": units,
        "reports": reports,
        "orphans": sorted(on_disk - referenced),
        "data_dir": str(settings.GAODI_DATA_DIR),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            result["integrity"] = cursor.fetchone()[0]
        else:
            result["integrity"] = "ok"
    return result


def _digest(values: dict[str, Any]) -> str:
    text = ";".join(f"{code}={value.normalize():f}" for code, value in sorted(values.items()))
    return hashlib.sha256(text.encode()).hexdigest()


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        print(json.dumps(seed()))
    else:
        print(json.dumps(inspect(json.load(sys.stdin))))
