"""Defences for uploaded data files (Excel templates and CSV), before any reader sees them.

The type comes from the bytes, never from the name: an .xlsx is a zip holding
``[Content_Types].xml`` and ``xl/workbook.xml``; anything else that decodes as UTF-8 (with or
without BOM) or GB18030 is CSV text. A zip is checked against zip bombs before a reader opens
it: the number of members, the total uncompressed size, the compression ratio of each member,
and every member is inflated once (and thrown away) to prove the sizes it declares are true,
so that a forged header cannot smuggle gigabytes past the checks into the reader.

Nothing touches the disk: `MemoryOnlyUploadHandler` keeps the upload in memory and stops
reading past the size limit (``GAODI_UPLOAD_MAX_BYTES``, 10 MB by default).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 1000  # an .xlsx from Excel, WPS or LibreOffice has a few dozen
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # Apache POI's default: XML rarely compresses beyond 1:30
RATIO_GRACE_BYTES = 100 * 1024  # small members may compress better than that, harmlessly
XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx with a password to open
ZIP_MAGIC = b"PK\x03\x04"
XLSX = "xlsx"
CSV = "csv"


class UploadRefused(ValueError):
    """The file cannot be read at all; the message (Chinese) says why. Nothing was stored."""


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


def sniff(content: bytes, name: str = "") -> Sniffed:
    """Decide the type from the bytes; the name only makes a refusal clearer."""
    if content.startswith(ZIP_MAGIC):
        check_xlsx(content)
        return Sniffed(XLSX, content)
    if content.startswith(OLE2_MAGIC):
        raise UploadRefused(
            _("这是旧版 .xls 文件或设置了打开密码的文件，请在 Excel 中另存为 .xlsx（不设密码）")
        )
    if name.lower().endswith((".xlsx", ".xls", ".xlsm")):
        raise UploadRefused(
            _("文件名是 Excel 文件，但内容不是 Excel 工作簿（可能是改了扩展名的其他文件）")
        )
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
    """A real .xlsx and no zip bomb, or UploadRefused."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise UploadRefused(
                    _("压缩包内文件过多（{n} 个），不是正常的 Excel 工作簿").format(n=len(members))
                )
            names = {m.filename for m in members}
            if not all(required in names for required in XLSX_MEMBERS):
                raise UploadRefused(
                    _("文件不是 Excel 工作簿（.xlsx），可能是 Word 文档或其他压缩包改了扩展名")
                )
            _check_sizes(members)
            for member in members:
                _inflate(archive, member)
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
        raise UploadRefused(_("Excel 文件已损坏或已加密，无法读取")) from exc


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UploadRefused(_bomb_message())
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_GRACE_BYTES and ratio > MAX_RATIO:
            raise UploadRefused(_bomb_message())


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Inflate one member and throw it away: zipfile stops at the declared size and checks the
    CRC, so a member larger than it says fails here (BadZipFile), not inside the reader."""
    with archive.open(member) as stream:
        while stream.read(1 << 20):
            pass


def _bomb_message() -> str:
    return _("文件解压后异常巨大（疑似“压缩炸弹”），已拒绝。请上传从本系统下载的模板")


def size_text(limit: int) -> str:
    """10485760 -> 10 MB, 2000 -> 2 KB."""
    size, unit = (limit / 2**20, "MB") if limit >= 2**20 else (limit / 2**10, "KB")
    return f"{size:.1f}".removesuffix(".0") + " " + unit


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps an uploaded file in memory, never in a temporary file, and stops reading it past
    the limit (`too_large` then says so). Install it before request.POST is read."""

    def __init__(self, request: Any = None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.too_large = False
        self.buffer = io.BytesIO()
        self.size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.size += len(raw_data)
        if self.size > self.limit:
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
