"""`gaodi parse` and `gaodi audit` as a user runs them: real output; bad files refused in one line.

Most tests call `gaodi.cli.main` in-process (fast); two run the installed command in a real
process, to prove the entry point works and that no traceback ever reaches the terminal.
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from gaodi.cli import main
from gaodi.plans.parsing import example_plan_path

from .docx_files import docx_bytes, with_document_xml

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
PLAN_VALIDATOR = Draft202012Validator(
    json.loads((CONTRACTS / "plan-draft.schema.json").read_text(encoding="utf-8")),
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)
AUDIT_VALIDATOR = Draft202012Validator(
    json.loads((CONTRACTS / "audit.schema.json").read_text(encoding="utf-8")),
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)
REFERENCE_DOCX = Path(__file__).parent / "fixtures" / "forms" / "chiping-2020-19.docx"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
PYTHON_EXCEPTION_NAME = re.compile(r"[A-Z][A-Za-z]*(?:Error|Exception)")
AUDIT_CODES = {
    "target-conflict",
    "deadline-before-issue",
    "table-arithmetic",
    "cross-table-mismatch",
    "unit-mismatch",
    "unknown-unit",
    "duplicate-unit",
    "duplicate-row",
    "list-lead-missing",
}


def run_gaodi(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `gaodi ARGV…` in-process; argparse's own exits count as return codes."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_chinese_error_line(code: int, out: str, err: str) -> None:
    assert code == 2, (code, err)
    assert out == "", "nothing may be printed on stdout when the input is refused"
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, f"expected one line, got {err!r}"
    assert err.strip(), "the one line must say something"
    assert CHINESE.search(err), f"the line must be Chinese: {err!r}"


# --- building bad files ---------------------------------------------------------------


def small_docx_bytes(*paragraphs: str) -> bytes:
    return docx_bytes(list(paragraphs))


def document_xml_with_doctype(package: bytes, doctype: str, body_text: str) -> bytes:
    """word/document.xml of the package, with a DOCTYPE and one more paragraph holding body_text."""
    xml = zipfile.ZipFile(io.BytesIO(package)).read("word/document.xml").decode("utf-8")
    declaration, rest = xml.split("?>", 1)
    paragraph = f"<w:p><w:r><w:t>{body_text}</w:t></w:r></w:p>"
    rest = rest.replace("<w:body>", "<w:body>" + paragraph, 1)
    assert paragraph in rest
    return f"{declaration}?>\n{doctype}{rest}".encode()


def billion_laughs_docx() -> bytes:
    """A valid docx whose body refers to an entity that would expand to 10**9 × "lol"."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    doctype = "<!DOCTYPE w:document [\n" + "\n".join(entities) + "\n]>\n"
    package = small_docx_bytes("（一）测试任务。（牵头单位：区财政局）")
    return with_document_xml(package, document_xml_with_doctype(package, doctype, "&lol9;"))


def minimal_pdf(page_content: bytes | None) -> bytes:
    """A well-formed one-page A4 PDF with a correct xref table; no fonts, so no text layer."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        + (b" /Contents 4 0 R" if page_content is not None else b"")
        + b" >>",
    ]
    if page_content is not None:
        objects.append(
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(page_content), page_content)
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def plain_zip(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .docx-looking zip whose word/document.xml is 200 MB of zeros (about 200 KB packed)."""
    path = tmp_path_factory.mktemp("bomb") / "炸弹.docx"
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<?xml version='1.0'?><Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(200):
                member.write(chunk)
    assert path.stat().st_size < 1_000_000
    return path


def written(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(directory: Path) -> Path:
        path = directory / name
        path.write_bytes(data)
        return path

    return make


BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "missing file": lambda directory: directory / "不存在的方案.txt",
    "directory": lambda directory: directory,
    "empty file": written("空.txt", b""),
    "only blank lines": written("空白.txt", b" \r\n\t\n\n"),
    "empty file saved with a UTF-8 BOM": written("记事本.txt", b"\xef\xbb\xbf"),
    "blank UTF-16 file": written("空白16.txt", "\r\n  \r\n".encode("utf-16")),
    "random binary bytes": written("乱码.txt", random.Random(2020).randbytes(4096)),
    "old .doc header": written("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048)),
    "truncated zip": written("截断.docx", REFERENCE_DOCX.read_bytes()[:20_000]),
    "zip that is not a docx": written("压缩包.docx", plain_zip(**{"readme.txt": "你好".encode()})),
    "docx with broken XML": written(
        "坏XML.docx", with_document_xml(small_docx_bytes("正文"), b"<w:document><w:body><w:p>")
    ),
    "PDF that is not a PDF": written(
        "假的.pdf", b"%PDF-1.4\n\xe8\xbf\x99\xe4\xb8\x8d\xe6\x98\xaf PDF\n%%EOF\n"
    ),
    "PDF without a text layer": written("扫描件.pdf", minimal_pdf(b"0 0 m 595 842 l S")),
    "PDF of one empty page": written("空白页.pdf", minimal_pdf(None)),
    "docx zip bomb": lambda directory: directory / "zip bomb (module fixture)",
}


@pytest.fixture(params=list(BAD_FILES))
def bad_file(request: pytest.FixtureRequest, tmp_path: Path, zip_bomb: Path) -> Path:
    if request.param == "docx zip bomb":
        return zip_bomb
    return BAD_FILES[request.param](tmp_path)


# --- good input -----------------------------------------------------------------------


def test_it_prints_the_bundled_plan_as_json_that_meets_the_contract_with_23_tasks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_gaodi(capsys, "parse", str(example_plan_path()), "--json")

    assert (code, err) == (0, "")
    draft = json.loads(out)
    PLAN_VALIDATOR.validate(draft)
    assert [task["number"] for task in draft["tasks"]] == list(range(1, 24))
    assert draft["document"]["doc_number"] == "聊茌政发〔2020〕19号"
    assert "聊城市茌平区" in out, "JSON keeps Chinese readable, not \\u-escaped"


@pytest.mark.parametrize("file_args", [[], [str(example_plan_path())]], ids=["bundled", "named"])
def test_it_audits_as_json_that_meets_the_contract_and_reports_every_kind_of_problem(
    capsys: pytest.CaptureFixture[str], file_args: list[str]
) -> None:
    code, out, err = run_gaodi(capsys, "audit", *file_args, "--json")

    assert (code, err) == (0, "")
    report = json.loads(out)
    AUDIT_VALIDATOR.validate(report)
    assert {finding["code"] for finding in report["findings"]} >= AUDIT_CODES
    assert all(CHINESE.search(finding["message"]) for finding in report["findings"])


def test_it_audits_the_bundled_plan_in_readable_chinese_when_given_no_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_gaodi(capsys, "audit")

    assert (code, err) == (0, "")
    assert "聊茌政发〔2020〕19号" in out
    match = re.search(r"共发现 (\d+) 处问题", out)
    assert match, out[:500]
    numbered = re.findall(r"^(\d+)\. 【(错误|警告|提示)】", out, flags=re.MULTILINE)
    assert len(numbered) == int(match.group(1)) > 0
    assert "时限早于印发日期" in out and "2020年6月底前" in out
    assert not out.lstrip().startswith("{")


def test_it_summarises_a_parsed_plan_in_readable_chinese(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_gaodi(capsys, "parse", str(example_plan_path()))

    assert (code, err) == (0, "")
    first_line = out.splitlines()[0]
    assert "聊茌政发〔2020〕19号" in first_line
    assert "聊城市茌平区建设职业教育创新发展高地实施方案" in first_line
    assert "重点任务与保障措施 23 项" in out
    assert "完善经费长效稳定保障机制" in out and "牵头：区财政局" in out
    assert "完善督导评估检查制度" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["parse", "audit"])
def test_it_refuses_a_bad_file_in_one_chinese_line_with_exit_code_2(
    capsys: pytest.CaptureFixture[str], bad_file: Path, command: str
) -> None:
    code, out, err = run_gaodi(capsys, command, str(bad_file), "--json")

    assert_one_chinese_error_line(code, out, err)


def test_it_says_what_is_wrong_with_a_bad_file_instead_of_a_python_exception_name(
    capsys: pytest.CaptureFixture[str], bad_file: Path
) -> None:
    # The CLI's last-resort handler prints the exception's class name; a user should only
    # ever see the parser's own explanation (ParseError), never e.g. "ModuleNotFoundError".
    code, out, err = run_gaodi(capsys, "parse", str(bad_file))

    assert_one_chinese_error_line(code, out, err)
    assert not PYTHON_EXCEPTION_NAME.search(err), err


def test_it_does_not_expand_nested_xml_entities_in_a_docx(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "笑.docx"
    path.write_bytes(billion_laughs_docx())

    code, out, err = run_gaodi(capsys, "parse", str(path), "--json")

    # Either refused cleanly or read without expanding: never a hang or a memory blow-up.
    if code == 0:
        assert err == ""
        assert len(out.encode()) < 1_000_000
        assert "lollol" not in out
        PLAN_VALIDATOR.validate(json.loads(out))
    else:
        assert_one_chinese_error_line(code, out, err)


def test_it_never_reads_a_file_an_external_xml_entity_points_at(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("绝密口令XYZZY", encoding="utf-8")
    package = small_docx_bytes("（一）测试任务。（牵头单位：区财政局）")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    path = tmp_path / "外部实体.docx"
    path.write_bytes(
        with_document_xml(package, document_xml_with_doctype(package, doctype, "&xxe;"))
    )

    code, out, err = run_gaodi(capsys, "parse", str(path), "--json")

    assert "XYZZY" not in out + err
    if code == 0:
        PLAN_VALIDATOR.validate(json.loads(out))
    else:
        assert_one_chinese_error_line(code, out, err)


@pytest.mark.parametrize(
    "argv",
    [
        ["--frobnicate"],
        ["parse", "--frobnicate", str(example_plan_path())],
        ["audit", "--json", "--verbose"],
        ["parse"],
        ["audit", str(example_plan_path()), "另一个文件.txt"],
    ],
    ids=["top-level", "parse", "audit", "parse-without-file", "audit-two-files"],
)
def test_it_rejects_unknown_options_in_one_chinese_line_with_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run_gaodi(capsys, *argv)

    assert_one_chinese_error_line(code, out, err)


# --- the installed command, in a real process -----------------------------------------


def test_it_is_installed_as_the_gaodi_command() -> None:
    (entry,) = entry_points(group="console_scripts", name="gaodi")
    assert entry.value == "gaodi.cli:main"
    assert entry.load() is main


def test_it_runs_as_a_real_process_and_prints_the_audit_as_json(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gaodi.cli", "audit", "--json"],
        cwd=tmp_path,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )

    assert (result.returncode, result.stderr) == (0, "")
    report = json.loads(result.stdout)
    AUDIT_VALIDATOR.validate(report)
    assert {finding["code"] for finding in report["findings"]} >= AUDIT_CODES


def test_it_never_shows_a_traceback_from_the_installed_command(tmp_path: Path) -> None:
    script = Path(sysconfig.get_path("scripts")) / "gaodi"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "gaodi.cli"]
    bad = {"假的.pdf": b"%PDF-1.7\nnot really\n", "乱码.docx": b"PK\x03\x04" + bytes(100)}
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
        result = subprocess.run(
            [*command, "audit", name],
            cwd=tmp_path,
            capture_output=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )

        assert_one_chinese_error_line(result.returncode, result.stdout, result.stderr)
