"""Crash safety (issue 6): kill the server with SIGKILL in the middle of a write, restart it,
and prove that no acknowledged write is lost and no write is half there.

`gaodi serve` (gunicorn, two workers) runs as a subprocess in a process group of its own on a
seeded site (tests/crash/sitectl.py: the demo plus a synthetic data set of 20,000 indicators).
Two client threads write over HTTP, each write recorded with whether it was acknowledged:

- large imports: POST /api/v1/plans/{plan}/values with 20,000 values for one school (a new
  school each time, so that one import is exactly the values of one school);
- progress-report submissions: the report form of the 区教育和体育局 (log-in session, CSRF,
  "汇总报送督查督导"), each with three PDF evidence files of 1 MB and a unique narrative.

When the write of the kind under test is inside its database transaction — seen from outside:
on SQLite the WAL write lock is held (fcntl F_GETLK on the -shm file, which takes no lock), on
PostgreSQL a backend of the site's database has a transaction id (it has written) — the whole
process group (gunicorn master and workers) gets SIGKILL. The server is restarted and the site
inspected in a separate process: every acknowledged import has all its values and its one
change record, every acknowledged report its row, evidence rows and files with the right
SHA-256; the import or report in flight is either wholly there or wholly absent; report versions
run 1..n; on SQLite the integrity check passes. A write after the restart must succeed too.

Both tests use one seeded site per database (module scope); the ledger of writes carries over.
SQLite runs in the default run; PostgreSQL in the PostgreSQL stage of .ci/run (conftest.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import random
import secrets
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from .conftest import run_is_postgres

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SITECTL = Path(__file__).with_name("sitectl.py")
TODAY = "2021-06-30"
PASSWORD = "gaodi-demo-2021"
LIAISON = "jiaoti"  # 区教育和体育局联络员 (lead department)
INDICATORS = 20_000
EVIDENCE_FILES = 3
EVIDENCE_BYTES = 1 << 20
WAIT = 30.0  # seconds for any one phase; a hung phase fails the test


# --- the site and its server ---------------------------------------------------------------


@dataclass
class Site:
    vendor: str
    data_dir: Path
    environment: dict[str, str]
    seed: dict[str, Any]
    probe: Callable[[], bool] = lambda: False
    ledger: list[Write] = field(default_factory=list)
    kills: list[dict[str, Any]] = field(default_factory=list)
    restarts: int = 0
    orphans_removed: int = 0
    next_unit: int = 0

    @property
    def unit_codes(self) -> list[str]:
        return list(self.seed["units"])


def _environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GAODI_", "DJANGO_", "GUNICORN_")) and key != "DATABASE_URL"
    }
    environment.update(
        GAODI_DATA_DIR=str(data_dir),
        GAODI_TODAY=TODAY,
        GAODI_SECRET_KEY="crash-test-" + secrets.token_hex(8),
        CRASH_INDICATORS=str(INDICATORS),
        PYTHONPATH=str(REPO),
        # gunicorn's control socket is one per user (~/.gunicorn/gunicorn.ctl): not ours to share
        GUNICORN_CMD_ARGS="--no-control-socket",
    )
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def _sitectl(site_environment: dict[str, str], action: str, spec: Any = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(SITECTL), action],
        input=json.dumps(spec) if spec is not None else "",
        env=site_environment,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """`gaodi serve` in a process group of its own (so that SIGKILL reaches every worker)."""

    def __init__(self, site: Site) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (site.data_dir.parent / f"serve-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gaodi.cli", "serve", "--port", str(self.port)],
            cwd=REPO,
            env=site.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self._log_tail()
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise AssertionError("服务器未能启动\n" + self._log_tail())

    def _log_tail(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_bytes()[-3000:].decode(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once; wait until all are gone."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=WAIT)
        self._wait_group_gone()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._wait_group_gone()
        self.log.close()

    def _wait_group_gone(self) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        raise AssertionError("gunicorn 的工作进程在 SIGKILL 后仍在运行")


# --- probes: is a write transaction open right now? ----------------------------------------

WAL_WRITE_LOCK_BYTE = 120  # SQLite's WAL_WRITE_LOCK in the -shm file (wal.c: 120 + 0)


def _sqlite_probe(data_dir: Path, stack: contextlib.ExitStack) -> Callable[[], bool]:
    """True while another process holds the WAL write lock: BEGIN IMMEDIATE takes it, COMMIT or
    ROLLBACK gives it back. F_GETLK only asks; it takes no lock and slows no writer."""
    shm = data_dir / "gaodi.sqlite3-shm"
    state: dict[str, int] = {}
    stack.callback(lambda: os.close(state["fd"]) if "fd" in state else None)

    def probe() -> bool:
        try:
            inode = shm.stat().st_ino
        except FileNotFoundError:
            return False
        if state.get("inode") != inode:  # a clean shutdown removes it; the next start makes one
            if "fd" in state:
                os.close(state["fd"])
            state["fd"], state["inode"] = os.open(shm, os.O_RDONLY), inode
        asked = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, WAL_WRITE_LOCK_BYTE, 1, 0)
        answer = fcntl.fcntl(state["fd"], fcntl.F_GETLK, asked)
        lock_type: int = struct.unpack("hhqqi", answer)[0]
        return lock_type != fcntl.F_UNLCK

    return probe


def _postgres_watcher(database_url: str) -> Any:
    import psycopg

    return psycopg.connect(database_url, autocommit=True)


def _postgres_probe(watcher: Any) -> Callable[[], bool]:
    """True while a backend of the site's database is in a transaction that has written."""

    def probe() -> bool:
        row = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        ).fetchone()
        return bool(row and row[0])

    return probe


# --- the writes ---------------------------------------------------------------------------


@dataclass
class Write:
    kind: str  # "import" or "report"
    key: str  # the school's code, or the report's narrative
    expected: dict[str, Any]
    sent_at: float = 0.0
    acknowledged: bool = False
    in_flight_at_kill: bool = False
    answer: str = ""
    send: Callable[[str], str] | None = field(default=None, repr=False)

    def run(self, base: str) -> None:
        """Send it; acknowledged only when the server answered that it is stored."""
        assert self.send is not None
        self.sent_at = time.monotonic()
        self.answer = self.send(base)
        self.acknowledged = True


def _digest(values: dict[str, str]) -> str:
    text = ";".join(f"{code}={Decimal(v).normalize():f}" for code, v in sorted(values.items()))
    return hashlib.sha256(text.encode()).hexdigest()


class Writers:
    """Two client threads, imports and report submissions, each one write at a time."""

    def __init__(self, site: Site, server: Server) -> None:
        self.site, self.server = site, server
        self.stop = threading.Event()
        self.paused = {"import": threading.Event(), "report": threading.Event()}
        self.idle = {"import": threading.Event(), "report": threading.Event()}  # saw the pause
        self.in_flight: dict[str, Write | None] = {"import": None, "report": None}
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._loop, args=(kind,), daemon=True)
            for kind in ("import", "report")
        ]

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=WAIT)

    def acknowledged(self, kind: str) -> int:
        return sum(w.acknowledged for w in self.site.ledger if w.kind == kind)

    def _loop(self, kind: str) -> None:
        session = requests.Session()
        try:
            if kind == "report":
                _log_in(session, self.server.base)
            else:
                session.headers["Authorization"] = "Bearer " + self.site.seed["token"]
            while not self.stop.is_set():
                if self.paused[kind].is_set():
                    self.idle[kind].set()
                    time.sleep(0.01)
                    continue
                write = (_import if kind == "import" else _report)(self.site, session)
                self.in_flight[kind] = write
                try:
                    write.run(self.server.base)
                finally:
                    self.in_flight[kind] = None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            return  # the server was killed: the write in flight stays unacknowledged
        except Exception as exc:  # noqa: BLE001 — reported by the test, not lost in a thread
            self.errors.append(f"{kind}: {exc!r}")


def _log_in(session: requests.Session, base: str) -> None:
    session.get(base + "/accounts/login/", timeout=WAIT)
    answer = session.post(
        base + "/accounts/login/",
        data={
            "username": LIAISON,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=WAIT,
    )
    assert answer.status_code == 302, answer.text[:500]


def _import(site: Site, session: requests.Session) -> Write:
    """The next school's 20,000 values (all different from any other school's)."""
    seed = site.seed
    code = site.unit_codes[site.next_unit]
    site.next_unit += 1
    salt = site.next_unit * 7919
    values = {c: str((salt + n * 31) % 100_000) for n, c in enumerate(seed["codes"])}
    write = Write("import", code, {"count": len(values), "digest": _digest(values)})
    site.ledger.append(write)
    url = f"/api/v1/plans/{seed['plan']}/values"
    body = {
        "unit": seed["units"][code],
        "period": seed["period"],
        "data_set": seed["data_set"],
        "values": values,
    }

    def send(base: str) -> str:
        answer = session.post(base + url, json=body, timeout=WAIT)
        assert answer.status_code == 200, answer.text[:500]
        assert answer.json()["stored"] == len(values)
        return answer.text[:100]

    write.send = send
    return write


def _report(site: Site, session: requests.Session) -> Write:
    """Save and submit one report of the department, with three 1 MB PDFs, in one request."""
    targets = site.seed["targets"]
    number = sum(w.kind == "report" for w in site.ledger)
    target = targets[number % len(targets)]
    marker = f"崩溃测试报送 #{number} {secrets.token_hex(4)}"
    files = [
        (f"佐证{number}-{i}.pdf", b"%PDF-1.4\n" + os.urandom(EVIDENCE_BYTES))
        for i in range(EVIDENCE_FILES)
    ]
    write = Write(
        "report",
        marker,
        {
            "target": target,
            "files": sorted(hashlib.sha256(content).hexdigest() for _n, content in files),
        },
    )
    site.ledger.append(write)
    path = f"/supervision/cycles/{target['cycle']}/tasks/{target['task']}/departments/" + (
        f"{target['department']}/"
    )

    def send(base: str) -> str:
        answer = session.post(
            base + path,
            data={
                "progress": "ongoing",
                "percent": "60",
                "narrative": marker,
                "action": "submit",
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            files=[("files", (name, content, "application/pdf")) for name, content in files],
            allow_redirects=False,
            timeout=WAIT,
        )
        # Stored: a redirect to the report; refused: the form again (200) with the reasons.
        assert answer.status_code == 302, answer.text[:2000]
        return answer.headers["Location"]

    write.send = send
    return write


# --- kill, restart, check ------------------------------------------------------------------


def _wait_for(condition: Callable[[], bool], what: str, writers: Writers) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert not writers.errors, writers.errors
        assert time.monotonic() < deadline, f"等待超时：{what}"
        time.sleep(0.01)


# How long a write's transaction must have been seen open before the kill, in seconds: one
# kill early in it and one later. An import holds its transaction for a few hundred ms (checks,
# then 20,000 rows); a report's lasts about 10 ms (the row, three files written, the change
# record, the 待办), so its second kill lands while the files are being written.
HOLDS = {"import": ((0.0, 0.03), (0.05, 0.2)), "report": ((0.0, 0.0), (0.002, 0.007))}


def _kill_during(site: Site, server: Server, kind: str, hold: float) -> Server:
    """Run both writers, then SIGKILL the server once a `kind` write's transaction has been
    open `hold` seconds; returns the restarted server."""
    other = "report" if kind == "import" else "import"
    with Writers(site, server) as writers:
        before = {k: writers.acknowledged(k) for k in ("import", "report")}
        _wait_for(
            lambda: (
                writers.acknowledged(kind) >= before[kind] + 3
                and writers.acknowledged(other) >= before[other] + 1
            ),
            "两类写入都已得到确认",
            writers,
        )
        writers.paused[other].set()  # only the write under test is in flight at the kill
        _wait_for(writers.idle[other].is_set, f"{other} 停止", writers)
        seen_since: float | None = None
        deadline = time.monotonic() + WAIT
        while True:
            assert not writers.errors, writers.errors
            assert time.monotonic() < deadline, "等待超时：未观察到进行中的写事务"
            flying = writers.in_flight[kind]
            if flying is not None and site.probe():
                seen_since = seen_since or time.monotonic()
                if time.monotonic() - seen_since >= hold:
                    killed_at = time.monotonic()
                    server.kill()
                    break
            else:
                seen_since = None
            time.sleep(0.0005)
    assert not writers.errors, writers.errors
    # What was sent and never acknowledged was in flight (normally the one write seen above;
    # had it been answered in the last instant, the next one just sent, or none).
    unanswered = [w for w in site.ledger if w.sent_at and not w.acknowledged]
    unanswered = [w for w in unanswered if not w.in_flight_at_kill]
    assert len(unanswered) <= 1 and all(w.kind == kind for w in unanswered), [
        (w.kind, w.key, w.answer) for w in unanswered
    ]
    for write in unanswered:
        write.in_flight_at_kill = True
    site.kills.append(
        {
            "kind": kind,
            "in_flight": [w.key for w in unanswered],
            "ms_into_request": round((killed_at - flying.sent_at) * 1000),
            "ms_into_transaction": round((killed_at - seen_since) * 1000, 1),
        }
    )
    restarted = Server(site)
    site.restarts += 1
    return restarted


def _after_restart_writes(site: Site, server: Server) -> None:
    """One import and one report on the restarted server: nothing is stuck or locked."""
    importing = requests.Session()
    importing.headers["Authorization"] = "Bearer " + site.seed["token"]
    _import(site, importing).run(server.base)
    reporting = requests.Session()
    _log_in(reporting, server.base)
    _report(site, reporting).run(server.base)


def _check(site: Site) -> dict[str, Any]:
    """Inspect the site (a process of its own) and hold it to the ledger."""
    imports = [w for w in site.ledger if w.kind == "import"]
    spec = {
        "plan": site.seed["plan"],
        "department": site.seed["targets"][0]["department"],
        # every school written to, and the next one, never written: it must be empty
        "units": {code: site.seed["units"][code] for code in site.unit_codes[: site.next_unit + 1]},
    }
    found = _sitectl(site.environment, "inspect", spec)
    assert found["vendor"] == site.vendor
    assert found["integrity"] == "ok"
    outcomes = {"present": 0, "absent": 0}

    for write in imports:
        stored = found["units"][write.key]
        whole = (
            stored["count"] == write.expected["count"]
            and stored["digest"] == write.expected["digest"]
            and stored["submissions"] == 1
            and stored["changes"] == 1
        )
        none = stored["count"] == stored["submissions"] == stored["changes"] == 0
        if write.acknowledged:
            assert whole, (write.key, stored)
        else:
            assert write.in_flight_at_kill, write.key
            assert whole or none, ("部分导入", write.key, stored)
            outcomes["present" if whole else "absent"] += 1
    never = site.unit_codes[site.next_unit]
    assert found["units"][never]["count"] == 0

    by_marker: dict[str, list[dict[str, Any]]] = {}
    for report in found["reports"]:
        by_marker.setdefault(report["narrative"], []).append(report)
        for item in report["evidence"]:  # every referenced file is there, intact
            assert item["on_disk_sha256"] == item["sha256"], (report["pk"], item)
    chains: dict[tuple[int, int], list[int]] = {}
    for report in found["reports"]:
        chains.setdefault((report["cycle"], report["task"]), []).append(report["version"])
    for versions in chains.values():
        assert sorted(versions) == list(range(1, len(versions) + 1)), versions
    for write in (w for w in site.ledger if w.kind == "report"):
        matches = by_marker.get(write.key, [])
        assert len(matches) <= 1, write.key
        if matches:
            report = matches[0]
            assert report["status"] == "submitted" and report["submitted_at"], report
            assert sorted(e["sha256"] for e in report["evidence"]) == write.expected["files"]
            assert {"submit"} <= set(report["changes"]), report["changes"]
            assert report["cycle"] == write.expected["target"]["cycle"]
            assert report["task"] == write.expected["target"]["task"]
        if write.acknowledged:
            assert matches, ("已确认的报送丢失", write.key)
        else:
            assert write.in_flight_at_kill, write.key
            outcomes["present" if matches else "absent"] += 1
    assert found["orphans"] == []  # gaodi clean-files removed the crashes' leftovers
    return {"outcomes": outcomes}


def _clean_files(site: Site) -> int:
    """`gaodi clean-files --delete`: a report save killed after writing its files and before
    its commit leaves them with no row (never a row without its file); only the killed saves
    may have done so. Returns how many it removed."""
    done = subprocess.run(
        [sys.executable, "-m", "gaodi.cli", "clean-files", "--delete", "--min-age", "0"],
        env=site.environment,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    removed = len(done.stdout.splitlines()) - 1
    killed_saves = sum(w.in_flight_at_kill for w in site.ledger if w.kind == "report")
    assert removed <= killed_saves * EVIDENCE_FILES, done.stdout
    return removed


def _summary(site: Site, checked: dict[str, Any]) -> str:
    acknowledged = {
        kind: sum(w.acknowledged for w in site.ledger if w.kind == kind)
        for kind in ("import", "report")
    }
    return json.dumps(
        {
            "vendor": site.vendor,
            "acknowledged": acknowledged,
            "values_acknowledged": acknowledged["import"] * INDICATORS,
            "kills": site.kills,
            "restarts": site.restarts,
            "orphan_files_removed": site.orphans_removed,
            **checked,
        },
        ensure_ascii=False,
    )


# --- the site per database, and the tests ---------------------------------------------------


@contextlib.contextmanager
def _postgres_database() -> Iterator[str]:
    """A throw-away database on the server the run's DATABASE_URL names."""
    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"gaodi_crash_{secrets.token_hex(4)}"
    admin_url = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield urlunsplit(url._replace(path="/" + name))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.django_db)],
)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    vendor = request.param
    data_dir = tmp_path_factory.mktemp(f"crash-{vendor}") / "data"
    with contextlib.ExitStack() as stack:
        database_url = None
        if vendor == "postgresql":
            assert run_is_postgres()  # conftest.py deselects it otherwise
            database_url = stack.enter_context(_postgres_database())
        environment = _environment(data_dir, database_url)
        seed = _sitectl(environment, "seed")
        assert len(seed["codes"]) == INDICATORS and seed["targets"]
        site = Site(vendor, data_dir, environment, seed)
        if database_url is None:
            site.probe = _sqlite_probe(data_dir, stack)
        else:
            watcher = stack.enter_context(_postgres_watcher(database_url))
            site.probe = _postgres_probe(watcher)
        yield site


@pytest.mark.parametrize("kind", ["import", "report"])
def test_sigkill_in_a_write_loses_nothing_acknowledged_and_leaves_nothing_half(
    site: Site, kind: str
) -> None:
    rng = random.Random()
    server = Server(site)
    for low, high in HOLDS[kind]:
        server = _kill_during(site, server, kind, rng.uniform(low, high))
    try:
        _after_restart_writes(site, server)
        site.orphans_removed += _clean_files(site)
        checked = _check(site)
    finally:
        server.stop()
    print(_summary(site, checked))
