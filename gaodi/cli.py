"""The `gaodi` command.

`gaodi parse FILE [--json]` and `gaodi audit [FILE] [--json]` need no database and start
fast; every other sub-command is a Django management command (`gaodi migrate`, …).
Bad input never shows a traceback: one line of Chinese on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from gaodi.i18n import _

EXIT_BAD_INPUT = 2
_OWN_COMMANDS = {"parse", "audit"}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one Chinese line with exit code 2."""

    def error(self, message: str) -> NoReturn:
        for english, chinese in _argparse_messages():
            message = message.replace(english, chinese)
        sys.stderr.write(
            _("gaodi：参数有误（{message}），用 gaodi --help 查看用法").format(message=message)
            + "\n"
        )
        raise SystemExit(EXIT_BAD_INPUT)


def _argparse_messages() -> list[tuple[str, str]]:  # noqa: N802 — a table, read at call time
    """argparse speaks English; its usage errors, said in Chinese."""
    return [
        ("the following arguments are required", _("缺少必需的参数")),
        ("unrecognized arguments", _("无法识别的参数")),
        ("invalid choice", _("无效的选项")),
        ("choose from", _("可选")),
        ("expected one argument", _("需要一个参数值")),
        ("ambiguous option", _("选项有歧义")),
        ("could match", _("可能是")),
    ]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gaodi", description=_("高地：职业教育实施方案的解析、核查与推进"))
    commands = parser.add_subparsers(dest="command", metavar=_("命令"))
    parse = commands.add_parser("parse", help=_("解析方案文件（.txt/.docx/.pdf），输出结构化数据"))
    parse.add_argument("file", metavar=_("文件"), help=_("方案文件路径"))
    parse.add_argument("--json", action="store_true", help=_("输出 JSON（PlanDraft）"))
    audit = commands.add_parser(
        "audit", help=_("核查方案自身的前后矛盾；不给文件则核查内置的茌平区方案")
    )
    audit.add_argument(
        "file", nargs="?", help=_("方案文件路径（默认：内置示例 聊茌政发〔2020〕19号）")
    )
    audit.add_argument("--json", action="store_true", help=_("输出 JSON（findings）"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in _OWN_COMMANDS and not args[0].startswith("-"):
        return _django(args)
    options = build_parser().parse_args(args)
    if options.command is None:
        build_parser().print_help()
        return 0
    try:
        return _run(options, sys.stdout)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception:  # noqa: BLE001 — the promise: one Chinese line, never a traceback
        if os.environ.get("GAODI_DEBUG", "").lower() in {"1", "true", "yes", "on"}:
            raise  # developers see the traceback
        return _fail(
            _("内部错误：无法处理该文件，请把文件发给工作专班或开发者（GAODI_DEBUG=1 可显示详情）")
        )


def _run(options: argparse.Namespace, out: TextIO) -> int:
    from gaodi.plans.parsing import ParseError, example_plan_path, parse_path

    path = options.file or str(example_plan_path())
    try:
        draft = parse_path(path)
    except ParseError as exc:
        return _fail(str(exc))
    if options.command == "parse":
        if options.json:
            _write_json(out, draft.to_dict())
        else:
            from gaodi.plans.report import draft_summary

            out.write(draft_summary(draft))
        return 0
    from gaodi.plans.consistency import audit_plan

    findings = audit_plan(draft)
    if options.json:
        _write_json(out, {"findings": [f.to_dict() for f in findings]})
    else:
        from gaodi.plans.report import findings_report

        out.write(findings_report(draft, findings, bundled=options.file is None))
    return 0


def _write_json(out: TextIO, data: object) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _fail(message: str) -> int:
    line = message.splitlines()[0] if message else _("无法解析该文件")
    sys.stderr.write(_("gaodi：{message}").format(message=line) + "\n")
    return EXIT_BAD_INPUT


def _django(args: list[str]) -> int:
    if args[0] in {"demo", "serve"}:
        _prepare_site(args)
    else:
        _kept_secret()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaodi.settings")
    from django.core.management import execute_from_command_line

    command = args[0].replace("-", "_")  # gaodi import-plan -> the import_plan command
    execute_from_command_line(["gaodi", command, *args[1:]])
    return 0


def _kept_secret() -> None:
    """Other commands (gaodi report, gaodi cycles) on a site made by demo or serve: the secret
    kept in its data directory, unless GAODI_SECRET_KEY is set."""
    from pathlib import Path

    data = Path(os.environ.get("GAODI_DATA_DIR", "gaodi-data")).expanduser()
    secret = data / "secret_key"
    if "GAODI_SECRET_KEY" not in os.environ and secret.is_file():
        os.environ["GAODI_SECRET_KEY"] = secret.read_text(encoding="utf-8").strip()


def _prepare_site(args: list[str]) -> None:
    """Before settings load: the data directory, a secret kept in it, the demo's "today"."""
    import secrets
    from pathlib import Path

    if "--data-dir" in args:
        where = args.index("--data-dir")
        if where + 1 < len(args):
            os.environ["GAODI_DATA_DIR"] = args[where + 1]
    data = Path(os.environ.get("GAODI_DATA_DIR", "gaodi-data")).expanduser().resolve()
    data.mkdir(parents=True, exist_ok=True)
    secret = data / "secret_key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        secret.chmod(0o600)
    os.environ.setdefault("GAODI_SECRET_KEY", secret.read_text(encoding="utf-8").strip())
    if args[0] == "demo":
        from gaodi.today import DEMO_TODAY

        os.environ.setdefault("GAODI_TODAY", DEMO_TODAY)
        port = _port_of(args)
        if port is not None:
            # the credentials the demo signs name the address it is served at
            os.environ.setdefault("GAODI_PUBLIC_URL", f"http://127.0.0.1:{port}")


def _port_of(args: list[str]) -> int | None:
    """The N of `--port N` / `--port=N`, None when absent or not a port number."""
    for where, arg in enumerate(args):
        text = arg.removeprefix("--port=") if arg.startswith("--port=") else None
        if arg == "--port" and where + 1 < len(args):
            text = args[where + 1]
        if text is not None:
            return int(text) if text.isdigit() and 0 < int(text) < 65536 else None
    return None


if __name__ == "__main__":
    raise SystemExit(main())
