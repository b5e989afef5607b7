"""Defences every uploaded file goes through before any reader sees it (pure: bytes in, a kind
or `UploadRefused` out; no Django, so the plan parser uses it too).

- **The type comes from the bytes**, never from the name or the browser's say-so: `magic_kind`
  names what the first bytes are; a name that claims another type only makes the refusal
  clearer (`name_lies`).
- **Zip containers** (.xlsx, .docx) are checked before a reader opens them (`check_zip`): the
  number of members, member names (no ``../``, no absolute or drive paths, no backslashes, no
  duplicates), no encryption, only stored or deflated members, the total uncompressed size and
  each member's compression ratio (zip bombs), and every member is inflated once (and thrown
  away) to prove the sizes it declares are true, so that a forged header cannot smuggle
  gigabytes past the checks into the reader. An archive inside the archive (the workbook of a
  chart inside a .docx) is checked the same way, one level deep, within the same budget.
- **XML bombs**: while inflating, every member is scanned for ``<!DOCTYPE`` and ``<!ENTITY``
  (in UTF-8 and UTF-16, any case): OOXML never declares a DTD, so a part that does is refused
  before lxml, expat or calamine could expand an entity (billion laughs) or fetch one (XXE).
  Parts in an encoding where those bytes could hide (UTF-32, EBCDIC, UTF-7...) are refused.
- **PDF** (plan files): every Flate stream is inflated within the same budget, and filters that
  could expand beyond it unseen (LZW, RunLength, chained decompressors) are refused.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Collection

from gaodi.i18n import _

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls/.doc, or an .xlsx with a password
PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"

XLSX = "xlsx"
DOCX = "docx"
XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
DOCX_MEMBERS = ("[Content_Types].xml", "word/document.xml")

MAX_MEMBERS = 1000  # an .xlsx or .docx from Office, WPS or LibreOffice has a few dozen
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # Apache POI's default: XML rarely compresses beyond 1:30
RATIO_GRACE_BYTES = 100 * 1024  # small members may compress better than that, harmlessly
MAX_NESTING = 1  # an archive may hold archives (a chart's workbook), those may not
CHUNK = 1 << 20

# What the first bytes of a file we do not accept say it is (for a clear refusal).
_OTHER_MAGIC = (
    (b"MZ", "可执行程序（.exe/.dll）"),
    (b"\x7fELF", "可执行程序"),
    (b"\xca\xfe\xba\xbe", "可执行程序"),
    (b"\xcf\xfa\xed\xfe", "可执行程序"),
    (b"#!", "脚本程序"),
    (b"GIF8", "GIF 图片"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"{\\rtf", "RTF 文档"),
    (PDF_MAGIC, "PDF 文件"),
    (PNG_MAGIC, "PNG 图片"),
    (JPEG_MAGIC, "JPEG 图片"),
    (OLE2_MAGIC, "旧版 Office 文件（.doc/.xls）或加密的 Office 文件"),
    (ZIP_MAGIC, "压缩包"),
)
_HTML = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|head|body|script|svg|\?xml)\b")
_EXTENSIONS = {
    ".xlsx": (ZIP_MAGIC,),
    ".xlsm": (ZIP_MAGIC,),
    ".docx": (ZIP_MAGIC,),
    ".pdf": (PDF_MAGIC,),
    ".png": (PNG_MAGIC,),
    ".jpg": (JPEG_MAGIC,),
    ".jpeg": (JPEG_MAGIC,),
    ".xls": (OLE2_MAGIC,),
    ".doc": (OLE2_MAGIC,),
}

# <!DOCTYPE and <!ENTITY, lower-cased (members are lower-cased before the search), as UTF-8
# bytes and as UTF-16 in both byte orders: whatever a parser decodes, one of these is there.
_DTD_WORDS = ("<!doctype", "<!entity")
_DTD_PATTERNS = tuple(
    word.encode(encoding) for word in _DTD_WORDS for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(p) for p in _DTD_PATTERNS) - 1
# Heads of XML in encodings where the patterns above could hide: UTF-32 / UCS-4 (with or
# without a byte-order mark) and EBCDIC ("<?xm").
_HIDING_HEADS = (
    b"\x00\x00\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\x00\x00\x00<",
    b"<\x00\x00\x00",
    b"\x00\x00<\x00",
    b"\x00<\x00\x00",
    b"\x4c\x6f\xa7\x94",
)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
# Declared encodings in which "<!DOCTYPE" is the same bytes as in ASCII (or UTF-16, scanned).
_SAFE_ENCODING = re.compile(
    r"^(utf-?8|utf-?16(le|be)?|ucs-?2|(us-)?ascii|iso[-_]?8859[-_]\d+|latin-?\d|"
    r"(windows|cp)-?125\d|gb2312|gbk|gb18030|big5(-hkscs)?|shift[-_]jis|euc-(jp|kr|cn))$",
    re.IGNORECASE,
)


class UploadRefused(ValueError):
    """The file is not accepted; the message (Chinese) says why. Nothing was stored."""


# ---- what the bytes are ----------------------------------------------------------------------


def magic_kind(content: bytes) -> str:
    """What the first bytes say the file is, in Chinese ("" when they say nothing known)."""
    for magic, kind in _OTHER_MAGIC:
        if content.startswith(magic):
            return _(kind)
    if _HTML.match(content[:1024].lower()):
        return _("网页（HTML/XML）文件")
    return ""


def name_lies(content: bytes, name: str) -> bool:
    """True when the name's extension promises a type the bytes are not (an .exe renamed
    .xlsx, a web page named .pdf)."""
    lower = name.lower()
    for extension, magics in _EXTENSIONS.items():
        if lower.endswith(extension):
            return not content.startswith(magics)
    return False


def lie_message(content: bytes, name: str) -> str:
    """The refusal of a file whose name lies about its type, naming what it really is."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = magic_kind(content) or _("其他类型的文件")
    return _(
        "文件“{name}”的扩展名是 .{extension}，内容却是{kind}"
        "（按文件内容识别，可能改了扩展名），已拒绝"
    ).format(name=name, extension=extension, kind=kind)


def clean_name(name: str, limit: int = 200) -> str:
    """A file name as the user gave it, fit to show and to put in a header: no path, no control
    characters, at most `limit` characters (keeping the extension)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or _("未命名文件")
    if len(name) > limit:
        stem, dot, extension = name.rpartition(".")
        keep = dot + extension if dot and len(extension) <= 10 else ""
        name = name[: limit - len(keep)] + keep
    return name


# ---- zip containers ------------------------------------------------------------------------


def office_kind(names: Collection[str]) -> str | None:
    """xlsx or docx by the members every such file has, or None."""
    if all(member in names for member in XLSX_MEMBERS):
        return XLSX
    if all(member in names for member in DOCX_MEMBERS):
        return DOCX
    return None


def check_office(content: bytes, expect: Collection[str] = (XLSX, DOCX)) -> str:
    """A sound .xlsx or .docx (of the kinds in `expect`), or UploadRefused; returns the kind."""
    kind = check_zip(content, expect=expect or (XLSX, DOCX))
    if kind is None:  # pragma: no cover - check_zip refused it already
        raise UploadRefused(_wrong_kind_message(expect))
    return kind


def check_zip(
    content: bytes,
    *,
    expect: Collection[str] = (),
    budget: int | None = None,
    depth: int = 0,
) -> str | None:
    """Check a zip container against bombs, traversal and hidden DTDs; with `expect`, also that
    it is an Office file of one of those kinds. Returns the Office kind (or None). `budget`
    (the uncompressed bytes allowed) is MAX_UNCOMPRESSED_BYTES unless an outer archive says."""
    budget = MAX_UNCOMPRESSED_BYTES if budget is None else budget
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            _check_listing(members)
            kind = office_kind({m.filename for m in members})
            if expect and kind not in expect:
                raise UploadRefused(_wrong_kind_message(expect))
            total = _check_sizes(members, budget)
            for member in members:
                _inflate(archive, member, budget - total, depth)
            return kind
    except UploadRefused:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
        OSError,
    ) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression;
        # BadZipFile: a bad CRC or a member longer than it declares.
        raise UploadRefused(damaged_message()) from exc


def _check_listing(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(
            _("压缩包内文件过多（{n} 个），不是正常的 Office 文件").format(n=len(members))
        )
    seen: set[str] = set()
    for member in members:
        if not _safe_member_name(member.orig_filename):
            raise UploadRefused(
                _("文件内含有不安全的路径“{path}”（如 ../ 或绝对路径），已拒绝").format(
                    path=member.orig_filename[:80].encode("unicode_escape").decode("ascii")
                    if not member.orig_filename.isprintable()
                    else member.orig_filename[:80]
                )
            )
        key = member.filename.lower()
        if key in seen:
            raise UploadRefused(
                _("文件内有重名的部件“{path}”，不是正常的 Office 文件").format(
                    path=member.filename[:80]
                )
            )
        seen.add(key)
        if member.flag_bits & 0x1:
            raise UploadRefused(_("文件已加密，无法读取：请取消密码后另存再上传"))
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadRefused(damaged_message())


def _safe_member_name(name: str) -> bool:
    if not name or not name.isprintable() or "\\" in name:
        return False
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return False
    return all(part not in ("..", ".") for part in name.split("/"))


def _check_sizes(members: list[zipfile.ZipInfo], budget: int) -> int:
    total = sum(m.file_size for m in members)
    if total > budget:
        raise UploadRefused(bomb_message())
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_GRACE_BYTES and ratio > MAX_RATIO:
            raise UploadRefused(bomb_message())
    return total


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, left: int, depth: int) -> None:
    """Inflate one member and throw it away, scanning it for DTDs: zipfile stops at the
    declared size and checks the CRC, so a member larger than it says fails here
    (BadZipFile), not inside the reader. A member that is an archive is checked in turn."""
    with archive.open(member) as stream:
        chunk = stream.read(CHUNK)
        _check_xml_head(chunk, member.filename)
        nested = bytearray() if chunk.startswith(ZIP_MAGIC) else None
        if nested is not None and depth >= MAX_NESTING:
            raise UploadRefused(_("文件内层层嵌套压缩包，已拒绝"))
        tail = b""
        while chunk:
            window = tail + chunk.lower()
            if any(pattern in window for pattern in _DTD_PATTERNS):
                raise UploadRefused(xml_bomb_message(member.filename))
            tail = window[-_OVERLAP:]
            if nested is not None:
                nested += chunk
            chunk = stream.read(CHUNK)
    if nested is not None:
        check_zip(bytes(nested), budget=max(left, 0), depth=depth + 1)


def _check_xml_head(head: bytes, path: str) -> None:
    """Refuse a part whose encoding could hide a DTD from the byte search."""
    if head.startswith(_HIDING_HEADS):
        raise UploadRefused(_("文件中的部件“{path}”编码异常，已拒绝").format(path=path[:80]))
    text = head[:512]
    if text.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        text = text.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    declared = _DECLARED.match(text.removeprefix(b"\xef\xbb\xbf"))
    if declared and not _SAFE_ENCODING.match(declared.group(1).decode("ascii")):
        raise UploadRefused(_("文件中的部件“{path}”编码异常，已拒绝").format(path=path[:80]))


# ---- PDF -------------------------------------------------------------------------------------

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_FILTERS = {
    b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85", b"LZWDecode", b"LZW", b"FlateDecode",
    b"Fl", b"RunLengthDecode", b"RL", b"CCITTFaxDecode", b"CCF", b"DCTDecode", b"DCT",
    b"JBIG2Decode", b"JPXDecode", b"Crypt",
}  # fmt: skip
_INFLATING = {b"FlateDecode", b"Fl"}
_UNBOUNDED = {b"LZWDecode", b"LZW", b"RunLengthDecode", b"RL"}
_FILTER_VALUE = re.compile(rb"/Filter\s*(/[A-Za-z0-9]+|\[[^\]]{0,400}\])")
_NAME_ARRAY = re.compile(rb"\[\s*((?:/[A-Za-z0-9]+\s*){2,})\]")  # an indirect filter array
_NAME = re.compile(rb"/([A-Za-z0-9]+)")


def check_pdf(content: bytes, budget: int | None = None) -> None:
    """Inflate every Flate stream of a PDF within the budget (a PDF bomb is refused before
    pdfminer inflates it without limit); refuse LZW and RunLength streams and chains of
    filters around Flate, whose output this check cannot bound. Streams of an encrypted PDF
    are not seen by this check (they are ciphertext until pdfminer decrypts them)."""
    budget = MAX_UNCOMPRESSED_BYTES if budget is None else budget
    total = 0
    _check_pdf_filters(content)
    view = memoryview(content)
    for match in _STREAM.finditer(content):
        inflater = zlib.decompressobj()
        position = match.end()
        pending: bytes | memoryview = view[position : position + CHUNK]
        position += CHUNK
        tail = b""
        try:
            while True:
                out = inflater.decompress(pending, CHUNK)
                total += len(out)
                if total > budget:
                    raise UploadRefused(bomb_message())
                window = tail + out
                _check_pdf_filters(window)  # an object stream holds dictionaries too
                tail = window[-512:]
                if inflater.eof:
                    break
                pending = inflater.unconsumed_tail
                if not pending:
                    if position >= len(content):
                        break
                    pending = view[position : position + CHUNK]
                    position += CHUNK
        except zlib.error:
            continue  # not a Flate stream (an image, or not a stream at all)


def _check_pdf_filters(data: bytes | memoryview) -> None:
    """Refuse a filter whose output cannot be bounded here: LZW or RunLength, or Flate chained
    with another filter (its input is then not the raw stream this check inflates)."""
    for match in _FILTER_VALUE.finditer(data):
        _check_filter_names(_NAME.findall(match.group(1)), single_ok=True)
    for match in _NAME_ARRAY.finditer(data):
        _check_filter_names(_NAME.findall(match.group(1)), single_ok=False)


def _check_filter_names(names: list[bytes], *, single_ok: bool) -> None:
    filters = [name for name in names if name in _FILTERS]
    unbounded = _UNBOUNDED.intersection(filters) and (single_ok or len(filters) >= 2)
    chained = len(filters) >= 2 and _INFLATING.intersection(filters)
    if unbounded or chained:
        raise UploadRefused(
            _("PDF 使用了不支持的压缩方式（LZW、RunLength 或多重压缩），请另存为新的 PDF 后上传")
        )


# ---- text ------------------------------------------------------------------------------------


def refuse_markup(content: bytes, name: str = "") -> None:
    """A text upload that is really a web page (HTML, SVG, XML) is refused."""
    if _HTML.match(content[:1024].lower()):
        raise UploadRefused(
            _("文件“{name}”是网页（HTML/XML）文件，不是纯文本，已拒绝").format(name=name)
        )


# ---- messages --------------------------------------------------------------------------------


def damaged_message() -> str:
    return _("文件已损坏或已加密，无法读取")


def bomb_message() -> str:
    return _("文件解压后异常巨大（疑似“压缩炸弹”），已拒绝。请上传正常保存的文件")


def xml_bomb_message(path: str) -> str:
    return _(
        "文件中的部件“{path}”含有 DTD 或实体声明（疑似“XML 炸弹”），Office 文件不会包含这些内容，"
        "已拒绝。请用 Excel、Word 或 WPS 重新另存后上传"
    ).format(path=path[:80])


def _wrong_kind_message(expect: Collection[str]) -> str:
    if tuple(expect) == (XLSX,):
        return _("文件不是 Excel 工作簿（.xlsx），可能是 Word 文档或其他压缩包改了扩展名")
    if tuple(expect) == (DOCX,):
        return _("文件不是 Word 文档（.docx），可能是 Excel 工作簿或其他压缩包改了扩展名")
    return _("文件是压缩包，但不是 Word（.docx）或 Excel（.xlsx）文件")


def size_text(limit: int) -> str:
    """10485760 -> 10 MB, 2000 -> 2 KB."""
    size, unit = (limit / 2**20, "MB") if limit >= 2**20 else (limit / 2**10, "KB")
    return f"{size:.1f}".removesuffix(".0") + " " + unit
