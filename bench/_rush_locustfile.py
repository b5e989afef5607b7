"""The locust side of ``bench/rush.py`` (started by it; not a benchmark of its own).

Environment (set by rush.py):

- ``RUSH_WORK``: a JSON-lines file, one request a line: ``{"id", "kind", "path", "token",
  "body"}`` (``kind`` is ``values``, ``progress`` or ``ping``; ``body`` is null for a GET).
- ``RUSH_OUT``: where to write one JSON line per request sent: ``{"id", "kind", "start",
  "ms", "status", "try"}`` (``start`` in seconds since the epoch, ``status`` 0 when the
  connection failed).
- ``RUSH_RETRIES``: how many times a failed request (no answer, or a 5xx)
  is sent again, as a client that timed out would (default 3); a 4xx is not retried.
- ``RUSH_REPLAY_EVERY``: every Nth submission is sent a second time after it succeeded (a
  double click); 0 for none. Such a replay must not store anything twice.

Each simulated user takes the next request from one shared queue, so every line of the work
file is sent exactly once (plus retries and replays), as fast as the server answers: the
"hour" is compressed into as many seconds as the server needs. When the queue is empty the
runner stops.
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from typing import Any

from locust import FastHttpUser, events, task
from locust.exception import StopUser

WORK: deque[dict[str, Any]] = deque()
RESULTS: list[dict[str, Any]] = []
RETRIES = int(os.environ.get("RUSH_RETRIES", "3"))
REPLAY_EVERY = int(os.environ.get("RUSH_REPLAY_EVERY", "0"))
RETRY_STATUSES = {0, 500, 502, 503, 504}
BUSY = [0]  # requests in flight (greenlets switch only on I/O, so a plain counter is safe)


@events.init.add_listener  # type: ignore[untyped-decorator]
def _load(environment: Any, **_kwargs: Any) -> None:
    with open(os.environ["RUSH_WORK"], encoding="utf-8") as lines:
        WORK.extend(json.loads(line) for line in lines if line.strip())


@events.quitting.add_listener  # type: ignore[untyped-decorator]
def _write(environment: Any, **_kwargs: Any) -> None:
    with open(os.environ["RUSH_OUT"], "w", encoding="utf-8") as out:
        for row in RESULTS:
            out.write(json.dumps(row) + "\n")


class Clerk(FastHttpUser):
    """A school clerk or a county liaison: sends the next submission, then the next."""

    network_timeout = 30.0
    connection_timeout = 10.0

    @task
    def submit(self) -> None:
        if not WORK:
            if BUSY[0] == 0 and self.environment.runner is not None:
                self.environment.runner.quit()  # the last answer is in: stop
            raise StopUser
        item = WORK.popleft()
        BUSY[0] += 1
        try:
            status = self._send(item, 1)
            attempt = 1
            while status in RETRY_STATUSES and attempt <= RETRIES:
                attempt += 1
                time.sleep(0.05 * attempt)
                status = self._send(item, attempt)
            replay = REPLAY_EVERY and item["kind"] != "ping" and item["seq"] % REPLAY_EVERY == 0
            if status == 200 and replay:
                self._send(item, 0)  # try 0: the replay of a stored submission
        finally:
            BUSY[0] -= 1
        if not WORK and BUSY[0] == 0 and self.environment.runner is not None:
            self.environment.runner.quit()

    def _send(self, item: dict[str, Any], attempt: int) -> int:
        headers = {"Authorization": f"Bearer {item['token']}"} if item.get("token") else {}
        started = time.time()
        clock = time.perf_counter()
        if item["body"] is None:
            response = self.client.get(item["path"], headers=headers, name=item["kind"])
        else:
            response = self.client.post(
                item["path"], json=item["body"], headers=headers, name=item["kind"]
            )
        elapsed = (time.perf_counter() - clock) * 1000
        status = int(response.status_code or 0)
        RESULTS.append(
            {
                "id": item["id"],
                "kind": item["kind"],
                "start": started,
                "ms": elapsed,
                "status": status,
                "try": attempt,
            }
        )
        return status
