"""Fuzzing the plan parser: whatever the file, `parse_bytes` / `parse_path` return a PlanDraft
or raise ParseError with one line of Chinese — never another exception — and `gaodi parse FILE
--json` exits 0 with JSON or 2 with that line, never with its "内部错误" catch-all.

gaodi/plans/tests/test_fuzz.py already holds the parser's contract properties (JSON schema of
the draft and the audit, byte damage to the reference plan and to a small .docx). This module
adds what it does not cover: other encodings, line-level surgery on the reference plan,
documents built at random with python-docx, PDFs (a hand-made one with random content
streams, a real one from WeasyPrint, damaged), files on disk and the command line.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import tempfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from hypothesis import example, given
from hypothesis import strategies as st

from gaodi.cli import main
from gaodi.plans.parsing import ParseError, PlanDraft, example_plan_path, parse_bytes, parse_path

from .support import count, fuzz, is_chinese

pytestmark = pytest.mark.fuzz

REFERENCE_TEXT = example_plan_path().read_text(encoding="utf-8")
REFERENCE_LINES = REFERENCE_TEXT.splitlines()

# --- what a plan is made of -----------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NUMERALS = st.sampled_from(list("0123456789０１２３４５６７８９一二三四五六七八九十百千万亿零〇两"))
PUNCTUATION = st.sampled_from(list("，。、；：？！“”‘’（）〔〕【】《》—…·％%.:;,()[]-+/\\*#"))
LAYOUT = st.sampled_from(["\n", "\r", "\t", " ", "\u3000", "\f", "\v", "\u200b", "\ufeff"])
PLAN_CHARACTERS = st.one_of(CJK, NUMERALS, PUNCTUATION, LAYOUT)
SNIPPET = st.one_of(
    st.text(alphabet=PLAN_CHARACTERS, min_size=1, max_size=40),
    st.sampled_from(
        [
            "（一）",
            "二、重点任务",
            "（牵头单位：区财政局；配合单位：区教育和体育局）",
            "（责任单位：",
            "2022年12月底前",
            "到2035年",
            "达到95%以上",
            "附件3",
            "序号\t政策内容\t责任部门",
            "1\t加大投入。\t区财政局",
            "聊茌政发〔2020〕19号",
            "9" * 40,
            "1e999",
            "\x00",
            "\x1b[31m",
        ]
    ),
)
# Encodings a file from a Chinese office may come in (and some it should not): unencodable
# characters become "?" — the file is what it is.
ENCODINGS = st.sampled_from(
    [
        "utf-8",
        "utf-8-sig",
        "gb18030",
        "gbk",
        "gb2312",
        "big5",
        "hz",
        "shift_jis",
        "euc-kr",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
        "latin-1",
        "cp1252",
    ]
)


def outcome(data: bytes) -> str:
    """The parser's promise for one input: a draft (whose JSON is strict) or a Chinese refusal."""
    try:
        draft = parse_bytes(data)
    except ParseError as exc:
        message = str(exc)
        assert is_chinese(message), f"refusal not in Chinese: {message!r}"
        assert "\n" not in message, f"refusal not one line: {message!r}"
        return "refused"
    assert isinstance(draft, PlanDraft)
    json.dumps(draft.to_dict(), ensure_ascii=False, allow_nan=False)
    return "parsed, with tasks" if draft.tasks else "parsed, no tasks"


# --- random text ------------------------------------------------------------------------


@fuzz(300)
@example("（一）加大投入。（牵头单位：区财政局）", "hz")
@example("\ufeff\ufeff一、总体要求", "utf-16-be")
@given(st.text(alphabet=st.one_of(PLAN_CHARACTERS, st.characters()), max_size=800), ENCODINGS)
def test_random_text_in_any_encoding(text: str, encoding: str) -> None:
    count("parser", outcome(text.encode(encoding, errors="replace")))


# --- the reference plan, operated on ----------------------------------------------------


@st.composite
def reference_surgery(draw: st.DrawFn) -> str:
    """The reference plan with lines deleted, duplicated, shuffled, characters inserted, cut."""
    lines = list(REFERENCE_LINES)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        operation = draw(
            st.sampled_from(["delete", "duplicate", "shuffle", "insert", "insert line", "truncate"])
        )
        if operation == "delete":
            del lines[at : at + draw(st.integers(1, 30))]
        elif operation == "duplicate":
            lines[at:at] = lines[at : at + draw(st.integers(1, 30))]
        elif operation == "shuffle":
            end = min(len(lines), at + draw(st.integers(2, 40)))
            lines[at:end] = draw(st.permutations(lines[at:end]))
        elif operation == "insert":
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            lines[at] = line[:cut] + draw(SNIPPET) + line[cut:]
        elif operation == "insert line":
            lines.insert(at, draw(SNIPPET))
        else:
            text = "\n".join(lines)
            return text[: draw(st.integers(0, len(text)))]
    return "\n".join(lines)


@fuzz(200)
@given(reference_surgery(), st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_reference_plan_with_lines_deleted_duplicated_shuffled_or_cut(
    text: str, encoding: str
) -> None:
    count("parser", outcome(text.encode(encoding, errors="replace")))


@fuzz(150)
@given(reference_surgery(), ENCODINGS, st.data())
def test_reference_plan_in_another_encoding_cut_at_any_byte(
    text: str, encoding: str, data: st.DataObject
) -> None:
    raw = text.encode(encoding, errors="replace")
    count("parser", outcome(raw[: data.draw(st.integers(0, len(raw)), label="cut")]))


# --- .docx built with python-docx -------------------------------------------------------

STYLES = st.sampled_from([None, "Heading 1", "Heading 2", "Title", "List Number", "List Bullet"])
PARAGRAPH = st.one_of(st.sampled_from(REFERENCE_LINES), SNIPPET)


@st.composite
def random_docx(draw: st.DrawFn) -> bytes:
    document = docx.Document()
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["paragraph", "paragraph", "paragraph", "table", "break"]))
        if kind == "table":
            rows, columns = draw(st.integers(1, 5)), draw(st.integers(1, 5))
            table = document.add_table(rows=rows, cols=columns)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = _xml_safe(draw(PARAGRAPH))
            if rows > 1 and columns > 1 and draw(st.booleans()):
                table.cell(0, 0).merge(table.cell(rows - 1, 0))  # a merged cell
        elif kind == "break":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            paragraph = document.add_paragraph(style=draw(STYLES))
            for _run in range(draw(st.integers(1, 3))):
                run = paragraph.add_run(_xml_safe(draw(PARAGRAPH)))
                run.bold = draw(st.booleans())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xml_safe(text: str) -> str:
    """python-docx refuses what XML cannot hold (control characters): a typist cannot either."""
    return "".join(c for c in text if c in "\t\n" or (c >= " " and c not in "\ufffe\uffff"))


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """A few flipped bytes, a cut, a deleted or inserted run."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        operation = draw(st.sampled_from(["flip", "truncate", "delete", "insert"]))
        if operation == "flip":
            out[at] ^= draw(st.integers(1, 255))
        elif operation == "truncate":
            del out[at:]
        elif operation == "delete":
            del out[at : at + draw(st.integers(1, 200))]
        else:
            out[at:at] = draw(st.binary(min_size=1, max_size=32))
    return bytes(out)


@fuzz(60)
@given(random_docx(), st.booleans(), st.data())
def test_random_docx_whole_or_damaged(package: bytes, damage: bool, data: st.DataObject) -> None:
    if damage:
        package = data.draw(damaged(package), label="damaged")
    count("parser", outcome(package))


# --- .pdf ---------------------------------------------------------------------------------


def handmade_pdf(pages: list[bytes], *, compress: bool = False) -> bytes:
    """A PDF with one page per content stream and a Helvetica font, xref and all."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for number, stream in enumerate(pages):
        body = zlib.compress(stream) if compress else stream
        filters = b"/Filter /FlateDecode " if compress else b""
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * number)
        )
        objects.append(
            b"<< " + filters + b"/Length %d >>\nstream\n" % len(body) + body + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PDF_TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60).map(
    lambda s: s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
)
PDF_OPERATION = st.one_of(
    st.builds(
        lambda x, y, text: f"BT /F1 12 Tf {x} {y} Td ({text}) Tj ET",
        st.integers(-100, 700),
        st.integers(-100, 900),
        PDF_TEXT,
    ),
    st.builds(lambda x, y, w, h: f"{x} {y} {w} {h} re S", *[st.integers(-50, 600)] * 4),
    st.sampled_from(
        ["q", "Q", "BT", "ET", "1 0 0 1 0 0 cm", "/F9 12 Tf", "(x) Tj", "[(a) 120 (b)] TJ", "T*"]
    ),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20),
)


PAGE = st.lists(PDF_OPERATION, max_size=12).map(lambda ops: "\n".join(ops).encode("latin-1"))
ONE_LINE = b"BT /F1 12 Tf 0 830 Td (00000) Tj ET"
HEADER_ONLY = b"BT /F1 10 Tf 250 800 Td (Header) Tj ET"


# Found by this test: a PDF whose lines share no left edge (one line; centred lines) and a
# PDF of nothing but a running header crashed the paragraph geometry (ValueError/IndexError).
@fuzz(60)
@example([ONE_LINE], False)
@example([b"BT /F1 12 Tf 100 500 Td (abc) Tj ET\nBT /F1 12 Tf 200 400 Td (def) Tj ET"], True)
@example([HEADER_ONLY, HEADER_ONLY], False)
@given(st.lists(PAGE, min_size=1, max_size=3), st.booleans())
def test_handmade_pdf_with_random_content(pages: list[bytes], compress: bool) -> None:
    count("parser", outcome(handmade_pdf(pages, compress=compress)))


@fuzz(40)
@given(st.data())
def test_handmade_pdf_damaged(data: st.DataObject) -> None:
    pdf = handmade_pdf([ONE_LINE, b"BT /F1 12 Tf 72 700 Td (1. Task one) Tj ET"])
    count("parser", outcome(data.draw(damaged(pdf), label="damaged")))


@functools.cache
def weasyprint_plan() -> bytes:
    """The first lines of the reference plan as a real PDF (embedded CJK font, compressed)."""
    import weasyprint

    paragraphs = "".join(f"<p>{line}</p>" for line in REFERENCE_LINES[:40])
    pdf: bytes = weasyprint.HTML(string=f"<html><body>{paragraphs}</body></html>").write_pdf()
    return pdf


@fuzz(100)
@example(b"%PDF-", False)
@example(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj trailer <</Root 1 0 R>>", 0)
@given(st.binary(max_size=2000).map(lambda rest: b"%PDF-1." + rest), st.booleans())
def test_random_bytes_as_pdf(data: bytes, on_disk_as_pdf: bool) -> None:
    if on_disk_as_pdf:
        count("parser", path_outcome(data, ".pdf"))
    else:
        count("parser", outcome(data))


@fuzz(40)
@given(st.data())
def test_a_real_pdf_damaged(data: st.DataObject) -> None:
    count("parser", outcome(data.draw(damaged(weasyprint_plan()), label="damaged")))


# --- files on disk and the command line ---------------------------------------------------


def path_outcome(data: bytes, suffix: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"方案{suffix}"
        path.write_bytes(data)
        try:
            draft = parse_path(path)
        except ParseError as exc:
            assert is_chinese(str(exc)), str(exc)
            return "refused"
        assert isinstance(draft, PlanDraft)
        return "parsed"


def test_parse_path_refuses_a_missing_file_and_a_folder_in_chinese(tmp_path: Path) -> None:
    for path in (tmp_path / "无此文件.txt", tmp_path):
        with pytest.raises(ParseError) as refused:
            parse_path(path)
        assert is_chinese(str(refused.value))
        count("parser", "refused")


FILE = st.one_of(
    st.tuples(reference_surgery().map(lambda t: t.encode("utf-8")), st.just(".txt")),
    st.tuples(st.binary(max_size=500), st.sampled_from([".txt", ".docx", ".pdf", ""])),
    st.tuples(random_docx(), st.just(".docx")),
    st.tuples(st.just(b"%PDF-1.4\n%broken"), st.just(".pdf")),
)


@fuzz(20)
@example((b"", ".txt"))
@example((b"\xd0\xcf\x11\xe0" + bytes(100), ".doc"))
@example((example_plan_path().read_bytes(), ".txt"))
@given(FILE)
def test_gaodi_parse_json_exits_0_with_json_or_2_with_one_chinese_line(
    file: tuple[bytes, str],
) -> None:
    data, suffix = file
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan{suffix}"
        path.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["parse", str(path), "--json"])
    if code == 0:
        assert isinstance(json.loads(out.getvalue()), dict)
        assert err.getvalue() == ""
        count("cli", "exit 0")
    else:
        assert code == 2, (code, err.getvalue())
        message = err.getvalue()
        assert message.count("\n") == 1 and is_chinese(message), message
        assert "内部错误" not in message, message  # the catch-all: a crash behind the promise
        assert out.getvalue() == ""
        count("cli", "exit 2")
