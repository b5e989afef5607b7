"""Benchmark ``rush``: the last hour before a reporting deadline, against ``gaodi serve``.

Who submits (nation scale, issue 10): 11,000 school clerks, each sending his school's form of
60 values (``POST /api/v1/plans/{plan}/values``, the same checks as the web form: value
rules, 10 blocking 其中 ≤ 总数 rules, one upsert, one change record), and 2,850 county
liaisons, each sending his department's progress report of the dispatch round without
evidence (``POST /api/v1/cycles/{cycle}/progress``, submitted at once). 13,850 submissions
of "one simulated hour", sent as fast as the server takes them: the hour is compressed into
as many seconds as the server needs (a closed loop of ``USERS`` simulated users, each sending
its next submission as soon as the previous one is answered). Without ``--scale`` the rush is
the nation's (about 15 minutes at the rates measured here); ``--scale district`` sends 500
(400 forms, 100 reports), ``province`` 2,000 (1,600 and 400): quick runs that check the same,
``--scale nation`` the 13,850.

Set-up (not timed as load; its rate is printed): a throw-away PostgreSQL database
(``bench/_django.py``; ``GAODI_BENCH_DATABASE_URL``, else
postgres://postgres@127.0.0.1:5432/gaodi_bench, since the issue asks for PostgreSQL), the
reference plan imported at a synthetic root, a synthetic data set of 60 base counts with 10
rules, a dispatch round, and an org tree that says it is made up (codes start with 99, names
with 示例: 示例国 → 30 示例市 → 95 示例县 each → the schools), one department per county
leading one of the plan's tasks, and per school and per department one user with one API
token. Users, memberships, departments, assignments and tokens are bulk inserts (no change
record for this fixture; the submissions themselves go through the services and record
theirs).

Server: ``python -m gaodi.cli serve --workers N`` on a free loopback port (gunicorn, sync
workers, its access log on), with ``DJANGO_SETTINGS_MODULE=_rush_settings``: Gaodi's settings
plus one bench-only URL, ``/bench-ping/``. Load: locust headless (``bench/_rush_locustfile.py``,
FastHttpUser), loopback only, bounded by ``--run-time``. A failed request (no answer, 5xx) is
sent again up to 3 times, and every 50th submission is sent a second time after it was stored
(a double click): neither may store anything twice.

Baseline: ``GET /bench-ping/``, a Django view that returns "ok", under the same gunicorn, the
same middleware and the same locust users, in the same run: its requests/s is the most this
server can answer on this machine. ``baseline_ms`` = 1000 / those requests/s (the server's
time per request at capacity), ``writes_ms`` = 1000 / ``writes_per_s``, ``ratio`` = writes_ms
÷ baseline_ms (how many pings one submission costs).

Afterwards the database is counted (``bench/_rush_check.py``): every expected (school,
indicator, period) value and (department, cycle, task) report stored, once, holding what was
sent. ``lost`` counts submissions not completely stored (whatever the reason: refused, never
answered, never sent before the time bound), ``duplicated`` rows beyond the first of a key
(values and reports), ``wrong`` values or reports that hold something else.

Workers for 2 cores: 3 (``GAODI_RUSH_WORKERS`` to try others), with 2 simulated users per
worker (``GAODI_RUSH_USERS``). Measured 2026-11-29 17:12–17:19 UTC at district scale (500
submissions each) on the shared 2-core machine (load average 2.5–7.5 from other test runs, so
read them as a range): 2 workers 14.5–17.2 writes/s, 3 workers 17.1–26.2, 4 workers 17.7 (6
users; 24 users gave the same rate with p99 over 2 s). Throughput does not grow past 3: a
write is ~25–30 ms of Python CPU (Django, the gate, the checks, 19 queries' ORM work) plus
PostgreSQL's own CPU, and PostgreSQL and locust share the same two cores, so a fourth worker
only adds switching; below 3 a worker sits idle while its queries run. More users than 2 per
worker add queueing, not throughput: in a closed loop the latency is users ÷ rate. gunicorn's
rule of thumb (2 × cores + 1 = 5) assumes requests that mostly wait on I/O; these do not.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from _django import BENCH_DATABASE_URL, throwaway_database
from _rush_check import tally
from timing import percentile, rounded

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
LOCUSTFILE = BENCH_DIR / "_rush_locustfile.py"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gaodi_bench"

# (school forms, county department reports) per scale
SHAPES = {"district": (400, 100), "province": (1_600, 400), "nation": (11_000, 2_850)}
COUNTIES_PER_CITY = 95
WORKERS = int(os.environ.get("GAODI_RUSH_WORKERS", "3"))
USERS = int(os.environ.get("GAODI_RUSH_USERS", str(2 * WORKERS)))
RETRIES = 3
REPLAY_EVERY = 50
PINGS = 3_000
RUN_TIME_S = 1_800  # the bound on each locust run (nation at 15 writes/s: ~15 min)
INDICATORS = 60
RULES = 10
PERIOD = "2025"
SEED = 20251231
TARGET_WRITES_PER_S = 300
TARGET_P99_MS = 300
TARGET = "writes_per_s >= 300 and p99_ms <= 300 and lost == 0 and duplicated == 0"
BASELINE = "GET /bench-ping/ (a Django view returning 'ok') under the same gunicorn and locust"


DEFAULT_SCALE = "nation"  # without --scale: the rush (bench/run.py)


def run(scale: str) -> dict[str, Any]:
    had_url = BENCH_DATABASE_URL in os.environ
    os.environ.setdefault(BENCH_DATABASE_URL, DEFAULT_DATABASE_URL)
    try:
        with throwaway_database("rush") as vendor:
            return _measure(scale, vendor)
    finally:
        if not had_url:
            os.environ.pop(BENCH_DATABASE_URL, None)


def _measure(scale: str, vendor: str) -> dict[str, Any]:
    from django.db import connections

    schools, departments = SHAPES[scale]
    started = time.perf_counter()
    made = _populate(schools, departments)
    setup_s = time.perf_counter() - started
    connections.close_all()
    with tempfile.TemporaryDirectory(prefix="gaodi-rush-") as scratch:
        work = Path(scratch)
        with _server(WORKERS) as port:
            _warm_up(port, made)
            ping = _drive(port, _pings(), work / "ping")
            rush = _drive(port, made["work"], work / "rush")
    counted = _count(made)
    return _figures(scale, vendor, made, setup_s, ping, rush, counted)


# --- the synthetic nation -------------------------------------------------------------------


def _populate(school_count: int, department_count: int) -> dict[str, Any]:
    """Org tree, plan, data set, round, users and tokens; the work to send and what to expect."""
    from django.db import connection

    from gaodi.plans.models import Task

    clock = time.perf_counter()
    root, counties, schools = _tree(school_count, department_count)
    plan, data_set, codes = _plan_and_data_set(root)
    cycle = _round(plan)
    tasks = list(Task.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True))
    departments = _departments(counties, tasks)
    fixture_s = time.perf_counter() - clock
    clock = time.perf_counter()
    tokens = _users_and_tokens(schools, departments)
    users_s = time.perf_counter() - clock
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    chance = random.Random(SEED)
    work: list[dict[str, Any]] = []
    expected_values: dict[tuple[int, str, str], Decimal] = {}
    expected_reports: dict[tuple[int, int, int], tuple[str, int]] = {}
    values_path = f"/api/v1/plans/{plan.pk}/values"
    for school in schools:
        numbers = _form(chance)
        for code, number in zip(codes, numbers, strict=True):
            expected_values[(school, code, PERIOD)] = Decimal(number)
        body = {
            "unit": school,
            "period": PERIOD,
            "data_set": data_set.code,
            "values": dict(zip(codes, numbers, strict=True)),
        }
        work.append({"kind": "values", "path": values_path, "token": tokens[school], "body": body})
    progress_path = f"/api/v1/cycles/{cycle.pk}/progress"
    for department, task in departments.items():
        percent = chance.randint(0, 100)
        expected_reports[(department, cycle.pk, task)] = ("submitted", percent)
        body = {
            "task": task,
            "department": department,
            "progress": "ongoing",
            "narrative": "示例：按期推进（合成数据，负载测试）",
            "percent": percent,
            "revision": "0.0",
            "submit": True,
        }
        work.append(
            {"kind": "progress", "path": progress_path, "token": tokens[-department], "body": body}
        )
    chance.shuffle(work)  # clerks and liaisons arrive mixed
    for seq, item in enumerate(work):
        item["id"] = item["seq"] = seq
    return {
        "work": work,
        "plan": plan.pk,
        "data_set": data_set.pk,
        "cycle": cycle.pk,
        "schools": len(schools),
        "departments": len(departments),
        "expected_values": expected_values,
        "expected_reports": expected_reports,
        "fixture_s": fixture_s,
        "users_s": users_s,
        "accounts": len(tokens),
    }


def _tree(school_count: int, department_count: int) -> tuple[Any, list[int], list[int]]:
    """示例国 → 示例市 (99CC00) → 示例县 (99CCNN) → schools (99CCNNKK); all bulk inserts."""
    from gaodi.orgs.choices import OrgKind
    from gaodi.orgs.models import OrgUnit

    root = OrgUnit.objects.create(code="990000", name="示例国（合成数据）", kind=OrgKind.PROVINCE)
    city_count = -(-department_count // COUNTIES_PER_CITY)
    cities = OrgUnit.objects.bulk_create(
        OrgUnit(code=f"99{c:02d}00", name=f"示例市{c:02d}", kind=OrgKind.CITY, parent=root)
        for c in range(1, city_count + 1)
    )
    county_units = OrgUnit.objects.bulk_create(
        OrgUnit(
            code=f"99{c:02d}{n:02d}",
            name=f"示例县{c:02d}{n:02d}",
            kind=OrgKind.COUNTY,
            parent=cities[c - 1],
        )
        for k in range(department_count)
        for c, n in [(k // COUNTIES_PER_CITY + 1, k % COUNTIES_PER_CITY + 1)]
    )
    school_units = OrgUnit.objects.bulk_create(
        OrgUnit(
            code=f"{county.code}{k // len(county_units) + 1:02d}",
            name=f"示例学校{county.code}{k // len(county_units) + 1:02d}",
            kind=OrgKind.SCHOOL,
            parent=county,
        )
        for k in range(school_count)
        for county in [county_units[k % len(county_units)]]
    )
    return root, [u.pk for u in county_units], [u.pk for u in school_units]


def _plan_and_data_set(root: Any) -> tuple[Any, Any, list[str]]:
    """The reference plan at the root, plus 合成 data set of 60 base counts with 10 rules."""
    import dataclasses

    from gaodi.indicators.models import DataSet, Indicator, ReportingWindow, ValidationRule
    from gaodi.plans.parsing import example_plan_path, parse_path
    from gaodi.plans.services import import_plan

    draft = parse_path(example_plan_path())
    labelled = dataclasses.replace(
        draft,
        document=dataclasses.replace(draft.document, title="（合成数据）" + draft.document.title),
    )
    plan = import_plan(labelled, actor=None, org_unit=root)
    codes = [f"r{n:02d}" for n in range(1, INDICATORS + 1)]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            org_unit=root,
            code=code,
            name=f"示例指标{n:02d}（合成数据）",
            unit="人",
            category="合成（负载测试）",
            order=10_000 + n,
        )
        for n, code in enumerate(codes, start=1)
    )
    data_set = DataSet.objects.create(plan=plan, code="rush", name="示例填报表（合成数据）")
    data_set.indicators.set(indicators)
    ValidationRule.objects.bulk_create(
        ValidationRule(
            data_set=data_set,
            name=f"合成：r{2 * k:02d} 不超过 r{2 * k - 1:02d}",
            left=f"r{2 * k:02d}",
            operator="<=",
            right=f"r{2 * k - 1:02d}",
        )
        for k in range(1, RULES + 1)
    )
    ReportingWindow.objects.create(
        data_set=data_set,
        period=PERIOD,
        opens_on=dt.date(2000, 1, 1),
        closes_on=dt.date(2999, 12, 31),
    )
    return plan, data_set, codes


def _round(plan: Any) -> Any:
    from django.utils import timezone

    from gaodi.accounts.choices import InspectorScope
    from gaodi.supervision.models import Cycle, Schedule

    schedule, _made = Schedule.objects.get_or_create(  # the import seeds the plan's own
        plan=plan,
        kind=Schedule.Kind.DISPATCH,
        scope=InspectorScope.DISPATCH,
        defaults={"frequency": Schedule.Frequency.BIMONTHLY, "starts_on": dt.date(2025, 1, 1)},
    )
    return Cycle.objects.create(
        schedule=schedule,
        period="2025-11",
        starts_on=dt.date(2025, 11, 1),
        ends_on=dt.date(2025, 12, 31),
        due_on=dt.date(2026, 1, 8),
        opened_at=timezone.now(),
    )


def _departments(counties: list[int], tasks: list[int]) -> dict[int, int]:
    """One 示例教育局 per county, leading one of the plan's tasks: department -> task."""
    from gaodi.orgs.models import Department
    from gaodi.plans.choices import AssignmentRole
    from gaodi.plans.models import Assignment

    made = Department.objects.bulk_create(
        Department(org_unit_id=county, name="示例教育局（合成数据）") for county in counties
    )
    led = {d.pk: tasks[k % len(tasks)] for k, d in enumerate(made)}
    Assignment.objects.bulk_create(
        Assignment(
            task_id=task,
            department_id=department,
            role=AssignmentRole.LEAD,
            order=1,
            spelling="示例教育局",
        )
        for department, task in led.items()
    )
    return led


def _users_and_tokens(schools: list[int], departments: dict[int, int]) -> dict[int, str]:
    """A clerk per school and a liaison per department, each with one API token (bulk).
    Keyed by school id, and by minus the department id."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.utils import timezone

    from gaodi.accounts.choices import Role
    from gaodi.accounts.models import ApiToken, Membership
    from gaodi.accounts.services import hash_key

    user_model = get_user_model()
    now = timezone.now()
    places = [(school, f"rush-clerk-{school}") for school in schools]
    places += [(-department, f"rush-liaison-{department}") for department in departments]
    users = user_model.objects.bulk_create(
        user_model(username=name, password=UNUSABLE_PASSWORD_PREFIX + "rush", date_joined=now)
        for _place, name in places
    )
    Membership.objects.bulk_create(
        Membership(user=user, role=Role.SCHOOL, org_unit_id=place)
        if place > 0
        else Membership(user=user, role=Role.DEPARTMENT, department_id=-place)
        for (place, _name), user in zip(places, users, strict=True)
    )
    keys = {place: "gd_" + secrets.token_urlsafe(32) for place, _name in places}
    ApiToken.objects.bulk_create(
        ApiToken(user=user, name="负载测试", key_hash=hash_key(keys[place]), created_at=now)
        for (place, _name), user in zip(places, users, strict=True)
    )
    return keys


def _form(chance: random.Random) -> list[str]:
    """60 counts that satisfy the rules (each part at most its whole); one in ten a half."""
    row: list[str] = []
    for n in range(1, INDICATORS + 1):
        if n % 2 == 0 and n <= 2 * RULES:
            row.append(str(chance.randint(0, int(Decimal(row[-1])))))
        else:
            row.append(str(chance.randint(0, 5000)) + (".5" if n % 10 == 0 else ""))
    return row


# --- server and load ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _server(workers: int) -> Iterator[int]:
    """``gaodi serve`` on a free loopback port against the throw-away database."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(BENCH_DIR)]),
        "DJANGO_SETTINGS_MODULE": "_rush_settings",
        "GAODI_DEBUG": "false",
    }
    log = open(Path(os.environ["GAODI_DATA_DIR"]) / "serve.log", "wb")  # noqa: SIM115
    command = [sys.executable, "-m", "gaodi.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        _wait_until_up(port, server)
        yield port
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gaodi serve exited with {server.returncode}; see serve.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench-ping/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gaodi serve did not answer within 60 s")


def _warm_up(port: int, made: dict[str, Any]) -> None:
    """Every worker loads its code paths: reads of the two write routes (not timed)."""
    item = next(i for i in made["work"] if i["kind"] == "progress")
    school = next(i for i in made["work"] if i["kind"] == "values")
    urls = [
        (f"/api/v1/cycles/{made['cycle']}/progress", item["token"]),
        (
            f"/api/v1/plans/{made['plan']}/values?unit={school['body']['unit']}&period={PERIOD}"
            "&data_set=rush",
            school["token"],
        ),
    ]
    for _ in range(10 * WORKERS):
        for path, token in urls:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"}
            )
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()


def _pings() -> list[dict[str, Any]]:
    return [
        {"id": n, "seq": n, "kind": "ping", "path": "/bench-ping/", "token": "", "body": None}
        for n in range(PINGS)
    ]


def _drive(port: int, work: list[dict[str, Any]], stem: Path) -> list[dict[str, Any]]:
    """Send every item once with locust headless; one result row per request sent."""
    work_file, out_file = stem.with_suffix(".work.jsonl"), stem.with_suffix(".out.jsonl")
    with work_file.open("w", encoding="utf-8") as lines:
        for item in work:
            lines.write(json.dumps(item, ensure_ascii=False) + "\n")
    env = {
        **os.environ,
        "RUSH_WORK": str(work_file),
        "RUSH_OUT": str(out_file),
        "RUSH_RETRIES": str(RETRIES),
        "RUSH_REPLAY_EVERY": str(REPLAY_EVERY),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(USERS),
        "--spawn-rate",
        str(USERS),
        "--run-time",
        f"{RUN_TIME_S}s",
        "--stop-timeout",
        "30",
        "--host",
        f"http://127.0.0.1:{port}",
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--exit-code-on-error",
        "0",
    ]
    subprocess.run(
        command,
        env=env,
        cwd=BENCH_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=RUN_TIME_S + 120,
    )
    with out_file.open(encoding="utf-8") as rows:
        return [json.loads(row) for row in rows if row.strip()]


# --- afterwards -----------------------------------------------------------------------------


def _count(made: dict[str, Any]) -> dict[str, Any]:
    """What the database holds, against what was sent."""
    from gaodi.indicators.models import DataValue
    from gaodi.supervision.models import ProgressReport

    values = DataValue.objects.filter(indicator__data_sets=made["data_set"], period=PERIOD)
    stored_values = [
        ((unit, code, period), value)
        for unit, code, period, value in values.values_list(
            "org_unit_id", "indicator__code", "period", "value"
        )
    ]
    reports = ProgressReport.objects.filter(cycle_id=made["cycle"])
    stored_reports = [
        ((department, cycle, task), (status, percent))
        for department, cycle, task, status, percent in reports.values_list(
            "department_id", "cycle_id", "task_id", "status", "percent"
        )
    ]
    by_values = tally(made["expected_values"], stored_values)
    by_reports = tally(made["expected_reports"], stored_reports)
    held = dict(stored_values)
    incomplete = {
        school
        for (school, code, period), sent in made["expected_values"].items()
        if held.get((school, code, period)) != sent
    }
    reports_held = dict(stored_reports)
    missing_reports = sum(
        1 for key, sent in made["expected_reports"].items() if reports_held.get(key) != sent
    )
    return {
        "values": by_values,
        "reports": by_reports,
        "lost": len(incomplete) + missing_reports,
    }


def _figures(
    scale: str,
    vendor: str,
    made: dict[str, Any],
    setup_s: float,
    ping: list[dict[str, Any]],
    rush: list[dict[str, Any]],
    counted: dict[str, Any],
) -> dict[str, Any]:
    writes = [r for r in rush if r["kind"] != "ping"]
    answered = {r["id"] for r in writes if r["status"] == 200}
    span = _span(writes)
    writes_per_s = len(answered) / span if span else 0.0
    times = [r["ms"] for r in writes] or [0.0]
    pings_ok = [r for r in ping if r["status"] == 200]
    ping_span = _span(ping)
    baseline_rps = len(pings_ok) / ping_span if ping_span else 0.0
    baseline_ms = 1000 / baseline_rps if baseline_rps else 0.0
    writes_ms = 1000 / writes_per_s if writes_per_s else 0.0
    ratio = writes_ms / baseline_ms if baseline_ms else 0.0
    values, reports = counted["values"], counted["reports"]
    duplicated = values.duplicated + reports.duplicated
    p99 = percentile(times, 0.99)
    submissions = len(made["work"])
    by_kind = {
        kind: rounded(percentile([r["ms"] for r in writes if r["kind"] == kind] or [0.0], 0.99))
        for kind in ("values", "progress")
    }
    return {
        "name": "rush",
        "scale": scale,
        "database": vendor,
        "submissions": submissions,
        "school_forms": made["schools"],
        "values_per_form": INDICATORS,
        "department_reports": made["departments"],
        "compressed_time": "the simulated hour is sent as fast as the server answers",
        "workers": WORKERS,
        "users": USERS,
        "requests": len(writes),
        "retries": sum(1 for r in writes if r["try"] > 1),
        "replays": sum(1 for r in writes if r["try"] == 0),
        "duration_s": round(span, 2),
        "writes_per_s": round(writes_per_s, 1),
        "p50_ms": rounded(percentile(times, 0.50)),
        "p95_ms": rounded(percentile(times, 0.95)),
        "p99_ms": rounded(p99),
        "p99_ms_by_kind": by_kind,
        "errors": sum(1 for r in writes if r["status"] != 200),
        "unanswered": submissions - len(answered),
        "lost": counted["lost"],
        "duplicated": duplicated,
        "wrong": values.wrong + reports.wrong,
        "unexpected_rows": values.unexpected + reports.unexpected,
        "values_expected": values.expected,
        "values_stored": values.stored,
        "reports_expected": reports.expected,
        "reports_stored": reports.stored,
        "setup_s": round(setup_s, 1),
        "accounts": made["accounts"],
        "accounts_per_s": round(made["accounts"] / made["users_s"]) if made["users_s"] else 0,
        "baseline": BASELINE,
        "baseline_rps": round(baseline_rps, 1),
        "baseline_p99_ms": rounded(percentile([r["ms"] for r in ping] or [0.0], 0.99)),
        "baseline_ms": rounded(baseline_ms),
        "writes_ms": rounded(writes_ms),
        "ratio": round(ratio, 2),
        "target": TARGET,
        "target_met": writes_per_s >= TARGET_WRITES_PER_S
        and p99 <= TARGET_P99_MS
        and counted["lost"] == 0
        and duplicated == 0,
    }


def _span(rows: list[dict[str, Any]]) -> float:
    """Seconds from the first request sent to the last answer received."""
    if not rows:
        return 0.0
    first = min(float(r["start"]) for r in rows)
    last = max(float(r["start"]) + float(r["ms"]) / 1000 for r in rows)
    return last - first
