"""The write of a 专业目录 upload: the catalogue's own codes replace the placeholders, all or
nothing, with a change record for every specialty and mapping touched.

Rules (each refusal names the row; one refusal stores nothing):
- A specialty is the catalogue's entry of that 层次 and 专业名称; a new one is created, an existing
  one takes the file's code and becomes 已核实 with the file's 依据 as its source.
- A code already 已核实 is never changed silently: a file giving another code for it, or giving
  a verified code of one specialty to another, is refused (the catalogue is shared by every
  place; correcting a verified code is a deliberate act, not a side effect of an upload).
- 原专业名称 names the old catalogue's specialty it replaces: it is found or created in the old
  catalogue (with 原专业代码 as its verified code, if given) and the mapping old → new is kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change, record_changes
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan

from .catalogue_file import Entry, Problem
from .models import Specialty, SpecialtyCodeChange
from .services import Change, Refused, _created, snapshot

VERIFIED = Specialty.CodeStatus.VERIFIED


@dataclass(frozen=True)
class Imported:
    created: int
    verified: int
    unchanged: int
    mappings: int


class CatalogueRefused(Refused):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("；".join(str(p) for p in problems))
        self.problems = problems


IMPORT_ACTION = "import_catalogue"


@transaction.atomic
def import_catalogue(
    entries: list[Entry],
    *,
    catalogue: str,
    old_catalogue: str,
    source: str,
    actor: Actor,
    file: tuple[str, bytes] | None = None,
    plan: Plan | None = None,
) -> Imported:
    """Store the checked entries of a catalogue file (catalogue_file.check_catalogue): a
    change record per specialty and mapping touched, and — given the file and the plan it was
    uploaded from — one record of the import with the file's name, SHA-256 and counts."""
    run = _Run(source)
    for entry in entries:
        new = run.settle(catalogue, entry.name, entry.code, entry, counted=True)
        if not entry.old_name or new is None:
            continue
        old = run.settle(old_catalogue, entry.old_name, entry.old_code, entry, counted=False)
        if old is None:
            continue
        mapping, made = SpecialtyCodeChange.objects.get_or_create(
            old=old, new=new, defaults={"source": source}
        )
        if made:
            run.counts["mappings"] += 1
            run.changes.append(_created(mapping, "专业目录对照（导入）"))
    if run.problems:
        transaction.set_rollback(True)
        raise CatalogueRefused(run.problems)
    record_changes(run.changes, actor=actor)
    if file is not None and plan is not None and run.changes:  # a no-op file: no record
        record_file_import(
            plan, file, IMPORT_ACTION, {"catalogue": catalogue, **run.counts}, actor=actor
        )
    return Imported(**run.counts)


def record_file_import(
    plan: Plan, file: tuple[str, bytes], action: str, counts: dict[str, object], *, actor: Actor
) -> None:
    """One change record of a list upload, on the plan: the file's name and SHA-256 and what
    it did (DESIGN: a bulk import is recorded once, with its counts and the file's hash)."""
    name, content = file
    record_change(
        plan,
        actor=actor,
        action=action,
        after={"file": name[:200], "sha256": hashlib.sha256(content).hexdigest(), **counts},
        summary=_("导入文件“{name}”").format(name=name[:60]),
    )


@dataclass
class _Run:
    source: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "verified": 0, "unchanged": 0, "mappings": 0}
    )

    def settle(
        self, catalogue: str, name: str, code: str, entry: Entry, *, counted: bool
    ) -> Specialty | None:
        """The catalogue's specialty of that name and level, with the file's code (if any);
        None (and a problem) when a verified code stands in the way."""
        found = Specialty.objects.filter(catalogue=catalogue, level=entry.level, name=name).first()
        verified = Specialty.objects.filter(
            catalogue=catalogue, level=entry.level, code=code, code_status=VERIFIED
        )
        holder = verified.exclude(name=name).first() if code else None
        if holder is not None:
            self.problems.append(
                Problem(
                    entry.place,
                    code,
                    _("该代码已核实为“{name}”的代码（{catalogue}）").format(
                        name=holder.name, catalogue=catalogue
                    ),
                )
            )
            return None
        if found is None:
            return self._create(catalogue, name, code, entry, counted=counted)
        if not code or (found.code == code and found.code_status == VERIFIED):
            self.counts["unchanged"] += counted
            return found
        if found.code_status == VERIFIED:
            self.problems.append(
                Problem(
                    entry.place,
                    code,
                    _(
                        "“{name}”的代码已核实为 {code}，与文件不一致；如确需更正请联系系统管理员"
                    ).format(name=name, code=found.code),
                )
            )
            return None
        before = snapshot(found)
        found.code, found.code_status, found.source = code, VERIFIED, self.source
        found.specialty_class = entry.specialty_class or found.specialty_class
        found.save(update_fields=["code", "code_status", "source", "specialty_class"])
        self.changes.append((found, "update", before, snapshot(found), "专业代码核实（导入）"))
        self.counts["verified"] += counted
        return found

    def _create(
        self, catalogue: str, name: str, code: str, entry: Entry, *, counted: bool
    ) -> Specialty:
        made = Specialty.objects.create(
            catalogue=catalogue,
            level=entry.level,
            name=name,
            code=code,
            code_status=VERIFIED if code else Specialty.CodeStatus.UNVERIFIED,
            specialty_class=entry.specialty_class or "其他",
            source=self.source,
        )
        self.changes.append(_created(made, "专业目录（导入）"))
        self.counts["created"] += counted
        return made
