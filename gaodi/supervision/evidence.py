"""佐证材料: files attached to a progress report.

Stored under ``GAODI_DATA_DIR / "evidence"`` (never under static files, so nothing serves them
but the gated view) with a random name; the type comes from the bytes, never from the name or
the browser's say-so: PDF, PNG, JPEG, Word (.docx) and Excel (.xlsx), the last two checked
against zip bombs, XML bombs and traversal like every upload (`gaodi.files.checks`); a name
that promises another type is refused. The size limit is the ``GAODI_EVIDENCE_MAX_BYTES``
setting (20 MB by default); the SHA-256 of every file is kept. Served back only as a download
(Content-Disposition attachment, X-Content-Type-Options nosniff, a sandboxing CSP, no caching by
shared proxies).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import FileResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from gaodi.files import checks
from gaodi.orgs.services import Actor
from gaodi.today import now

from .models import Evidence, ProgressReport

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 10  # per save: a report's evidence is a few documents and photos, not an archive
MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSION = {"pdf": "pdf", "png": "png", "jpeg": "jpg", "docx": "docx", "xlsx": "xlsx"}


class EvidenceRefused(ValueError):
    """The file is not accepted; the message (Chinese) names it and says why."""


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, still in memory: nothing is on disk yet."""

    name: str
    kind: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def max_bytes() -> int:
    return int(getattr(settings, "GAODI_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def evidence_dir() -> Path:
    return Path(settings.GAODI_DATA_DIR) / "evidence"


def too_large_message(name: str = "") -> str:
    return _("文件“{name}”超过 {size} 的上限，请压缩或拆分后上传").format(
        name=name, size=checks.size_text(max_bytes())
    )


def check_file(upload: IO[bytes], name: str) -> CheckedFile:
    """Read an upload (at most the limit + 1 byte) and decide its type from its bytes."""
    name = checks.clean_name(name)
    content = upload.read(max_bytes() + 1)
    if len(content) > max_bytes():
        raise EvidenceRefused(too_large_message(name))
    if not content:
        raise EvidenceRefused(_("文件“{name}”是空的").format(name=name))
    return CheckedFile(name=name, kind=sniff(content, name), content=content)


def sniff(content: bytes, name: str) -> str:
    """pdf, png, jpeg, docx or xlsx — from the first bytes (and a zip's members)."""
    if _name_lies(content, name):
        raise EvidenceRefused(
            _(
                "文件“{name}”不是可接受的类型：扩展名是 .{extension}，内容却是{kind}"
                "（按文件内容识别，可能改了扩展名）。"
                "请上传 PDF、PNG、JPEG 图片、Word（.docx）或 Excel（.xlsx）文件"
            ).format(
                name=name,
                extension=name.rsplit(".", 1)[-1],
                kind=checks.magic_kind(content) or _("其他类型的文件"),
            )
        )
    if content.startswith(checks.PDF_MAGIC):
        return "pdf"
    if content.startswith(checks.PNG_MAGIC):
        return "png"
    if content.startswith(checks.JPEG_MAGIC):
        return "jpeg"
    if content.startswith(checks.ZIP_MAGIC):
        try:
            return checks.check_office(content)
        except checks.UploadRefused as exc:
            raise EvidenceRefused(_("文件“{name}”：{why}").format(name=name, why=exc)) from exc
    raise EvidenceRefused(
        _(
            "文件“{name}”不是可接受的类型（按文件内容识别，与扩展名无关）："
            "请上传 PDF、PNG、JPEG 图片、Word（.docx）或 Excel（.xlsx）文件"
        ).format(name=name)
    )


def _name_lies(content: bytes, name: str) -> bool:
    """The name promises a type the bytes are not; a photo saved as .png that is a JPEG (or the
    other way round) is only a careless name, and is stored as what it is."""
    image = name.lower().endswith((".png", ".jpg", ".jpeg"))
    return checks.name_lies(content, name) and not (
        image and content.startswith((checks.PNG_MAGIC, checks.JPEG_MAGIC))
    )


def attach(report: ProgressReport, files: list[CheckedFile], *, actor: Actor) -> list[Path]:
    """Write checked files under random names and link them to the report (inside the caller's
    transaction); returns the paths written, so that the caller can remove them on failure."""
    folder = evidence_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    written: list[Path] = []
    user = actor if isinstance(actor, AbstractBaseUser) else None
    for checked in files:
        stored_name = f"{secrets.token_hex(16)}.{EXTENSION[checked.kind]}"
        path = folder / stored_name
        with open(path, "xb", opener=_private) as out:  # never overwrites
            written.append(path)
            out.write(checked.content)
        Evidence.objects.create(
            report=report,
            stored_name=stored_name,
            original_name=checked.name,
            content_type=MIME[checked.kind],
            size=len(checked.content),
            sha256=checked.sha256,
            uploaded_at=now(),
            uploaded_by=user,
        )
    return written


def _private(path: str, flags: int) -> int:
    """Open for writing readable by Gaodi's own user only (0600), whatever the umask."""
    return os.open(path, flags, 0o600)


def discard(paths: list[Path]) -> None:
    """Remove files written by a save that did not commit."""
    for path in paths:
        path.unlink(missing_ok=True)


def path_of(evidence: Evidence) -> Path:
    return evidence_dir() / Path(evidence.stored_name).name  # the name is ours; never a path


def response_for(evidence: Evidence) -> FileResponse:
    """The file as a download only: its sniffed type, never rendered inline."""
    response = FileResponse(path_of(evidence).open("rb"), content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(True, evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
