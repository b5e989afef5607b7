"""The Django side of the upload defences (`checks` holds the pure part): the limits from the
settings, the memory-only upload handler, and the sniffing of a data upload (Excel template
or CSV).

Nothing touches the disk while a request is read: `MemoryOnlyUploadHandler` keeps each upload
in memory and stops reading past the per-file limit or the per-request total, so that neither
a huge file nor many large ones can fill memory or the temporary folder.

Data uploads (``GAODI_UPLOAD_MAX_BYTES``, 10 MB by default): an .xlsx is a zip holding
``[Content_Types].xml`` and ``xl/workbook.xml``, checked by `checks.check_office`; anything else
that decodes as UTF-8 (with or without BOM) or GB18030 is CSV text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from .checks import (
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    OLE2_MAGIC,
    RATIO_GRACE_BYTES,
    XLSX,
    XLSX_MEMBERS,
    ZIP_MAGIC,
    UploadRefused,
    check_office,
    magic_kind,
    name_lies,
    refuse_markup,
    size_text,
)

__all__ = [
    "CSV",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "OLE2_MAGIC",
    "RATIO_GRACE_BYTES",
    "XLSX",
    "XLSX_MEMBERS",
    "ZIP_MAGIC",
    "MemoryOnlyUploadHandler",
    "Sniffed",
    "UploadRefused",
    "check_xlsx",
    "decode_text",
    "max_bytes",
    "read_limited",
    "size_text",
    "sniff",
    "received",
    "too_large_message",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_REQUEST = 10  # the evidence form's limit; the data upload takes one file
CSV = "csv"


@dataclass(frozen=True)
class Sniffed:
    """What the bytes are: ``xlsx`` (checked zip) or ``csv`` (with its decoded text)."""

    kind: str
    content: bytes
    text: str = ""


def max_bytes() -> int:
    return int(getattr(settings, "GAODI_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def too_large_message(limit: int) -> str:
    return _("文件超过 {size} 的上限，请删去无关的工作表或分批上传").format(size=size_text(limit))


def read_limited(upload: IO[bytes], limit: int | None = None) -> bytes:
    """The whole upload, refused when empty or larger than the limit (reads limit + 1 bytes)."""
    limit = max_bytes() if limit is None else limit
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(too_large_message(limit))
    if not content or content.isspace():
        raise UploadRefused(_("文件是空的，请选择填好的模板"))
    return content


def received(request: Any, field: str = "file") -> tuple[bytes, str]:
    """The bytes and name of a request's upload, or UploadRefused (too large for the
    memory-only handler, missing, empty, over the limit)."""
    upload = request.FILES.get(field)  # reads the body: the handler knows its size after
    handlers = getattr(request, "upload_handlers", [])
    if any(getattr(handler, "too_large", False) for handler in handlers):
        raise UploadRefused(too_large_message(max_bytes()))
    if upload is None:
        raise UploadRefused(_("请选择要上传的文件"))
    return read_limited(upload), upload.name or ""


def sniff(content: bytes, name: str = "") -> Sniffed:
    """A data upload's type from its bytes; the name only makes a refusal clearer."""
    if content.startswith(ZIP_MAGIC):
        check_xlsx(content)
        return Sniffed(XLSX, content)
    if content.startswith(OLE2_MAGIC):
        raise UploadRefused(
            _("这是旧版 .xls 文件或设置了打开密码的文件，请在 Excel 中另存为 .xlsx（不设密码）")
        )
    kind = magic_kind(content)
    if name.lower().endswith((".xlsx", ".xls", ".xlsm")):
        raise UploadRefused(
            _(
                "文件名是 Excel 文件，但内容不是 Excel 工作簿，而是{kind}（可能是改了扩展名的文件）"
            ).format(kind=kind or _("其他类型的文件"))
        )
    if kind or name_lies(content, name):
        raise UploadRefused(
            _("文件内容是{kind}，不是文本（CSV）或 Excel 工作簿（.xlsx），已拒绝").format(
                kind=kind or _("其他类型的文件")
            )
        )
    refuse_markup(content, name)
    return Sniffed(CSV, content, decode_text(content))


def decode_text(content: bytes) -> str:
    """CSV text: UTF-8 (with or without BOM), else GB18030 (what Chinese Excel saves)."""
    if b"\x00" in content:
        raise UploadRefused(
            _("文件不是文本（可能是 UTF-16 编码或其他二进制文件），请另存为 UTF-8 编码的 CSV")
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadRefused(_("无法识别文件编码，请另存为 UTF-8 或 GB18030 编码的 CSV"))


def check_xlsx(content: bytes) -> None:
    """A real .xlsx, no zip bomb, no XML bomb, no traversal, or UploadRefused."""
    check_office(content, expect=(XLSX,))


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps uploaded files in memory, never in a temporary file, and stops reading past the
    per-file limit or past the request's total (`too_large` then says so). Install it before
    request.POST is read."""

    def __init__(
        self,
        request: Any = None,
        limit: int | None = None,
        max_files: int = MAX_FILES_PER_REQUEST,
    ) -> None:
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.total_limit = self.limit * max(max_files, 1)
        self.too_large = False
        self.buffer = io.BytesIO()
        self.size = 0
        self.total = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.size += len(raw_data)
        self.total += len(raw_data)
        if self.size > self.limit or self.total > self.total_limit:
            self.too_large = True
            self.buffer = io.BytesIO()
            raise StopUpload(connection_reset=False)  # drain the rest, answer in Chinese
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
