"""Benchmark ``pages``: the pages and API endpoints users feel, cold and warm (issue 10).

Data: ``gaodi demo``'s records in a throw-away database (``bench/_django.py``): the reference
plan of 茌平区 with its users, values, supervision, specialties and credit bank, as of
2021-06-30 (GAODI_TODAY, as ``conftest.py``'s ``demo_once``). At ``--scale province`` the
synthetic province of ``gaodi synth --scale province`` (16 cities, 136 counties, 450 schools,
4 years of values) is added, and its plan's dashboard, 红黄绿灯 and roll-up are timed as the
province's work team (a user ``shengji`` made here) on top of the demo's pages.

Every request goes through Django's test ``Client`` (the whole middleware stack: session,
authentication, CSRF, locale), logged in as the demo user who uses that page: the work team
``zhuanban``, the leader ``lingdao`` for the dashboards, the school clerk ``xuexiao`` for his
form; the API with ``Authorization: Bearer`` and a key from ``accounts.services.issue_token``.

- ``cold_ms``: the median of COLD requests, each the first after clearing what the process
  keeps between requests: Django's cache (``cache.clear()``), the code's ``lru_cache``s
  (formula trees, Excel column letters), the cached template loader, and the database
  connection (closed, so the request opens a new one). Imports, URL patterns and the Python
  bytecode stay loaded: this is a warm process's first request, not a process start.
- warm: REPETITIONS requests after WARMUP, ``p50/p95/p99`` (nearest rank).
- ``queries``: SQL queries of one warm request (``CaptureQueriesContext``), and ``repeated``:
  how often the most frequent query shape (numbers and strings blanked) ran in it. A page
  with more than MANY_QUERIES queries, or a shape repeated REPEATED times or more, is flagged
  as an N+1 suspect.
- ``p95_ms``: the warm p95 of the slowest page or endpoint (``worst_page``); ``median_ms``:
  the median of every page's and endpoint's warm p50.
- Baseline (``baseline_ms``): the cheapest existing route, the login page, through the same
  Client (there is no /healthz). ``ratio`` = the p95 of the slowest page or endpoint ÷ the
  baseline's p95.

Target (the issue names none for pages; this benchmark uses): every page's and endpoint's
warm p95 <= 300 ms.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple

from _django import throwaway_database
from timing import median, percentile, rounded, time_calls

REPETITIONS = 30
WARMUP = 3
COLD = 3
TARGET_P95_MS = 300.0
MANY_QUERIES = 30
REPEATED = 5
DAY = dt.date(2021, 6, 30)
BASELINE = "the login page (GET /accounts/login/, anonymous) through the same test Client"
SYNTH_YEARS = [2019, 2020, 2021, 2022]
HOST = "localhost"  # in ALLOWED_HOSTS by default; the test Client's "testserver" is not


class Page(NamedTuple):
    """One page or endpoint: a label, who calls it, and its address."""

    label: str
    who: str  # a username, or "api:<username>" for a Bearer token of that user
    path: str


def run(scale: str) -> dict[str, Any]:
    os.environ["GAODI_TODAY"] = DAY.isoformat()
    with throwaway_database("pages") as vendor:
        return _run(scale, vendor)


def demo_pages() -> list[Page]:
    """The demo's main pages and endpoints, with real addresses."""
    from django.urls import reverse

    from gaodi.indicators.models import DataSet
    from gaodi.orgs.models import OrgUnit
    from gaodi.plans.models import Plan

    plan = Plan.objects.get(org_unit__code="371503")
    county = plan.org_unit
    school = OrgUnit.objects.get(code="371503-S01")
    task = plan.tasks.get(number=14)
    data_set = DataSet.objects.get(plan=plan, code="ds3")
    api = f"/api/v1/plans/{plan.pk}"
    return [
        Page("plans:overview 方案总览", "zhuanban", reverse("plans:overview", args=[plan.pk])),
        Page("plans:tasks 任务清单", "zhuanban", reverse("plans:tasks", args=[plan.pk])),
        Page(
            "plans:task 任务（第14项）", "zhuanban", reverse("plans:task", args=[plan.pk, task.pk])
        ),
        Page(
            "indicators:dashboard 指标看板",
            "lingdao",
            reverse("indicators:dashboard", args=[plan.pk]),
        ),
        Page(
            "supervision:overview 领导驾驶舱",
            "lingdao",
            reverse("supervision:overview", args=[plan.pk]),
        ),
        Page(
            "indicators:form 学校填报表（ds3, 2021）",
            "xuexiao",
            reverse("indicators:form", args=[data_set.pk, school.pk, "2021"]),
        ),
        Page(
            "supervision:lights 红黄绿灯", "zhuanban", reverse("supervision:lights", args=[plan.pk])
        ),
        Page("credits:learners 学分银行", "zhuanban", reverse("credits:learners", args=[plan.pk])),
        Page(
            "specialties:warnings 专业预警",
            "zhuanban",
            reverse("specialties:warnings", args=[plan.pk]),
        ),
        Page("GET /api/v1/plans/{id}", "api:zhuanban", api),
        Page("GET /api/v1/plans/{id}/tasks", "api:zhuanban", f"{api}/tasks?limit=100"),
        Page(
            "GET /api/v1/plans/{id}/rollup (county, i037)",
            "api:zhuanban",
            f"{api}/rollup?unit={county.pk}&period=2021&indicator=i037",
        ),
        Page(
            "GET /api/v1/plans/{id}/values (school, ds3)",
            "api:zhuanban",
            f"{api}/values?unit={school.pk}&period=2020&data_set=ds3",
        ),
        Page("GET /api/v1/plans/{id}/credit-counts", "api:zhuanban", f"{api}/credit-counts"),
    ]


def province_pages() -> tuple[list[Page], dict[str, Any]]:
    """The synthetic province (``gaodi synth --scale province``) and its plan's pages, read by
    the province's work team."""
    from django.urls import reverse

    from gaodi.accounts.choices import Role
    from gaodi.accounts.services import create_member
    from gaodi.indicators.synth import SCALES, synthesize

    started = time.perf_counter()
    made = synthesize(SCALES["province"], seed=1, years=SYNTH_YEARS)
    synth_s = time.perf_counter() - started
    create_member(
        "shengji", "gaodi-bench-only", role=Role.ADMIN, actor=None, org_unit=made.province
    )
    plan = made.plan
    year = str(SYNTH_YEARS[-1])
    api = f"/api/v1/plans/{plan.pk}"
    pages = [
        Page(
            "province indicators:dashboard 指标看板",
            "shengji",
            reverse("indicators:dashboard", args=[plan.pk]),
        ),
        Page(
            "province supervision:lights 红黄绿灯",
            "shengji",
            reverse("supervision:lights", args=[plan.pk]),
        ),
        Page(
            "province GET rollup (province by city, i037)",
            "api:shengji",
            f"{api}/rollup?unit={made.province.pk}&period={year}&indicator=i037",
        ),
    ]
    return pages, {"synth_values": made.values, "synth_s": round(synth_s, 1)}


def reset_caches() -> None:
    """Forget what the process keeps between requests (see "cold" in the docstring)."""
    from django.core.cache import caches
    from django.db import connections
    from django.template import engines

    from gaodi.indicators import formula
    from gaodi.indicators.excel import units

    for cache in caches.all():
        cache.clear()
    formula.parse.cache_clear()
    units._letter.cache_clear()
    for engine in engines.all():
        for loader in getattr(engine, "engine", engine).template_loaders:
            reset = getattr(loader, "reset", None)
            if reset is not None:
                reset()
    connections.close_all()


def query_shape(sql: str) -> str:
    """A query with its numbers and quoted strings blanked, to spot the same query in a loop."""
    shape = re.sub(r"'(?:[^']|'')*'", "?", sql)
    shape = re.sub(r"\b\d+(?:\.\d+)?\b", "?", shape)
    return re.sub(r"\(\s*\?(?:\s*,\s*\?)*\s*\)", "(?…)", shape)


def most_repeated(queries: list[str]) -> tuple[int, str]:
    """How often the most frequent query shape ran, and that shape ("" for no queries)."""
    shapes = Counter(query_shape(sql) for sql in queries)
    if not shapes:
        return 0, ""
    shape, count = shapes.most_common(1)[0]
    return count, shape


def _clients(usernames: set[str]) -> dict[str, Callable[[str], Any]]:
    """One ``get(path)`` per caller: a logged-in browser session, or a Bearer token."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from gaodi.accounts.services import issue_token

    users = get_user_model().objects
    getters: dict[str, Callable[[str], Any]] = {}
    for who in sorted(usernames):
        if who.startswith("api:"):
            key = issue_token(users.get(username=who[4:]), "基准测试", actor=None)
            client = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION="Bearer " + key)
        else:
            client = Client(HTTP_HOST=HOST)
            client.force_login(users.get(username=who))
        getters[who] = client.get
    anonymous = Client(HTTP_HOST=HOST)
    getters[""] = anonymous.get
    return getters


def measure(get: Callable[[str], Any], path: str) -> dict[str, Any]:
    """Status, queries, cold and warm figures of one address."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    status = get(path).status_code
    cold = []
    for _ in range(COLD):
        reset_caches()
        started = time.perf_counter()
        get(path)
        cold.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        get(path)
    queries = [q["sql"] for q in captured.captured_queries]
    repeated, top = most_repeated(queries)
    warm = time_calls(lambda: get(path), repetitions=REPETITIONS, warmup=WARMUP)
    return {
        "status": status,
        "queries": len(queries),
        "repeated": repeated,
        "n_plus_1_suspect": len(queries) > MANY_QUERIES or repeated >= REPEATED,
        "cold_ms": rounded(median(cold)),
        "p50_ms": rounded(median(warm)),
        "p95_ms": rounded(percentile(warm, 0.95)),
        "p99_ms": rounded(percentile(warm, 0.99)),
        "top_repeated_sql": " ".join(top.split())[:200],
    }


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def print_pages(figures: list[dict[str, Any]], login: dict[str, Any]) -> None:
    """The per-page table, on stderr (stdout's last line is the JSON object with --json)."""
    rows = [("baseline: login page", login), *((f["page"], f) for f in figures)]
    width = max(_width(label) for label, _ in rows)
    header = f"{'page':<{width}}  queries  repeated  cold_ms   p50_ms   p95_ms   p99_ms"
    print(header, file=sys.stderr)
    for label, f in rows:
        flag = "  N+1?" if f["n_plus_1_suspect"] else ""
        padded = label + " " * (width - _width(label))
        print(
            f"{padded}  {f['queries']:>7}  {f['repeated']:>8}  {f['cold_ms']:>7.1f}  "
            f"{f['p50_ms']:>7.1f}  {f['p95_ms']:>7.1f}  {f['p99_ms']:>7.1f}{flag}",
            file=sys.stderr,
        )


def _run(scale: str, vendor: str) -> dict[str, Any]:
    from django.conf import settings

    from gaodi.demo import set_up_demo

    settings.GAODI_TODAY = DAY  # when Django was set up by an earlier benchmark of `all`
    started = time.perf_counter()
    set_up_demo()
    demo_s = time.perf_counter() - started
    pages = demo_pages()
    extra: dict[str, Any] = {}
    if scale != "district":
        if scale == "nation":
            extra["note"] = "nation scale is not timed here: the province's pages stand for it"
        more, extra_figures = province_pages()
        pages += more
        extra.update(extra_figures)
    get = _clients({page.who for page in pages})

    login = measure(get[""], "/accounts/login/")
    figures = []
    for page in pages:
        found = measure(get[page.who], page.path)
        figures.append({"page": page.label, "who": page.who, "path": page.path, **found})
    refused = [f"{f['page']}: {f['status']}" for f in figures if f["status"] != 200]
    if refused or login["status"] != 200:
        raise RuntimeError(f"pages did not answer 200: {refused}, login {login['status']}")

    print_pages(figures, login)
    worst = max(figures, key=lambda f: f["p95_ms"])
    p95 = worst["p95_ms"]
    return {
        "name": "pages",
        "scale": scale,
        "database": vendor,
        "repetitions": REPETITIONS,
        "warmup": WARMUP,
        "cold_repetitions": COLD,
        "cold": "first request after cache.clear(), lru_cache clears, template loader reset "
        "and a new database connection (imports and URLs stay loaded)",
        "p95_ms": p95,
        "worst_page": worst["page"],
        "median_ms": rounded(median([f["p50_ms"] for f in figures])),
        "n_plus_1_suspects": [f["page"] for f in figures if f["n_plus_1_suspect"]],
        "pages": figures,
        "baseline": BASELINE,
        "baseline_ms": login["p95_ms"],
        "baseline_p50_ms": login["p50_ms"],
        "baseline_queries": login["queries"],
        "ratio": round(p95 / login["p95_ms"], 2),
        "ratio_means": "p95 of the slowest page ÷ p95 of the login page",
        "target": f"warm p95 of every page and endpoint <= {TARGET_P95_MS:g} ms",
        "target_met": all(f["p95_ms"] <= TARGET_P95_MS for f in figures),
        "demo_setup_s": round(demo_s, 1),
        **extra,
    }
