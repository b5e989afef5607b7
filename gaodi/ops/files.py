"""Uploaded files that no row names: what a crash can leave behind.

Evidence files (`supervision.evidence.attach`) and published report files
(`supervision.publishing`) are written before the row that names them commits; a save that
fails cleanly removes them, but a process killed between the two (SIGKILL, power loss, OOM)
leaves them on disk with no row — never the other way round. They are harmless (nothing links
to them, nothing serves them) but take space and go into every backup. `gaodi clean-files`
lists them and, with --delete, removes those older than a grace period, so that the files of
a save still in progress (written, not yet committed) are never touched.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from gaodi.supervision.models import Evidence, PublishedReport

DEFAULT_MIN_AGE = dt.timedelta(hours=1)  # no save takes that long between file and commit


@dataclass(frozen=True)
class Orphan:
    path: Path
    size: int
    age: dt.timedelta


def referenced() -> dict[str, set[str]]:
    """The stored names each folder's rows name."""
    reports: set[str] = set()
    for files in PublishedReport.objects.values_list("files", flat=True):
        reports.update(str(entry["stored_name"]) for entry in (files or {}).values())
    return {
        "evidence": set(Evidence.objects.values_list("stored_name", flat=True)),
        "reports": reports,
    }


def orphans(data_dir: Path, *, min_age: dt.timedelta = DEFAULT_MIN_AGE) -> list[Orphan]:
    """Files under evidence/ and reports/ that no row names, last written at least min_age ago.

    The folders are listed before the rows are read: a file whose row commits in between is
    then seen as named, never as an orphan."""
    now = time.time()
    listed = {
        folder: sorted(p for p in (Path(data_dir) / folder).glob("*") if p.is_file())
        for folder in ("evidence", "reports")
    }
    named = referenced()
    found = []
    for folder, paths in listed.items():
        for path in paths:
            if path.name in named[folder]:
                continue
            try:
                status = path.stat()
            except FileNotFoundError:
                continue
            age = dt.timedelta(seconds=max(0.0, now - status.st_mtime))
            if age >= min_age:
                found.append(Orphan(path, status.st_size, age))
    return found
