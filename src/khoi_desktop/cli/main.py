"""Command line (contract: shared CLI.md). Thin: parses, calls core, prints text or one JSON object.

Exit codes: 0 success, 2 bad input or refused request (nothing changed), 1 unexpected fault.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from khoi_desktop.cli.common import (  # noqa: F401  (Output, open_existing, date_arg: the area modules' API)
    EXIT_FAULT,
    EXIT_OK,
    EXIT_REFUSED,
    Output,
    Parser,
    SignInOptions,
    UsageError,
    add_warning,
    address_warnings,
    date_arg,
    open_existing,
    signing_in_with,
    translate_argparse,
    window_parser,
)
from khoi_desktop.core.errors import KhoiError

log = logging.getLogger(__name__)
Handler = Callable[[argparse.Namespace], Output]

# The command line, area by area: each module's `register(commands, common)` adds its subcommands' parsers.
# A module imports at its top only what building the parser needs; a handler imports the heavy libraries it
# uses (reportlab, openpyxl, python-docx, cryptography, xlsxwriter) itself, so `stats` does not pay for
# `pdf` (tests/cli/test_cli_imports.py holds each command to its list). A command loads only its own area's
# module (build_parser(argv)); --help, a mistyped command and the window's menu load them all.
AREA_NAMES = ("office", "workflows", "backup", "documents", "spreadsheets", "appointments", "audit", "meetings",
              "ratings", "members", "exchange", "server", "keys", "sign_in")
AREA_MODULES: tuple[str, ...] = tuple(f"khoi_desktop.cli.{name}" for name in AREA_NAMES)

# command: (area, the area module's handler)
HANDLERS: dict[str, tuple[str, str]] = {
    "init": ("office", "cmd_init"), "demo": ("office", "cmd_demo"), "stats": ("office", "cmd_stats"),
    "check": ("office", "cmd_check"),
    "orgs": ("office", "cmd_orgs"), "members": ("office", "cmd_members"),
    "apply": ("workflows", "cmd_apply"), "issue": ("workflows", "cmd_issue"), "discard": ("workflows", "cmd_discard"),
    "backup": ("backup", "BACKUP"), "verify": ("backup", "VERIFY"), "restore": ("backup", "RESTORE"),
    "pdf": ("documents", "cmd_pdf"), "decisions": ("documents", "cmd_decisions"),
    "import-members": ("spreadsheets", "cmd_import_members"), "export": ("spreadsheets", "cmd_export"),
    "appointments": ("appointments", "cmd_appointments"), "committee": ("appointments", "cmd_committee"),
    "submissions": ("appointments", "cmd_submissions"), "submit": ("appointments", "cmd_submit"),
    "return-submission": ("appointments", "cmd_return_submission"),
    "verify-audit": ("audit", "cmd_verify_audit"), "audit": ("audit", "cmd_audit"), "users": ("audit", "cmd_users"),
    "meetings": ("meetings", "cmd_meetings"),
    "exchange": ("exchange", "cmd_exchange"),
    "ratings": ("ratings", "cmd_ratings"),
    "probation": ("members", "cmd_probation"), "badges": ("members", "cmd_badges"), "letter": ("members", "cmd_letter"),
    "slip": ("members", "cmd_slip"), "admissions": ("members", "cmd_admissions"),
    "admitting-bodies": ("members", "cmd_admitting_bodies"),
    "server-init": ("server", "cmd_server_init"), "migrate-to-server": ("server", "cmd_migrate_to_server"),
    "server-password": ("server", "cmd_server_password"),
    "encrypt": ("keys", "cmd_encrypt"), "recovery-key": ("keys", "cmd_recovery_key"),
    "recover": ("keys", "cmd_recover"),
    "login": ("sign_in", "cmd_login"), "logout": ("sign_in", "cmd_logout"),
}


def _area(name: str) -> Any:
    return importlib.import_module(f"khoi_desktop.cli.{name}")


class _Handlers(dict[str, Handler]):
    """COMMANDS[name]: the handler, its area module imported on first use."""

    def __missing__(self, name: str) -> Handler:
        area, attribute = HANDLERS[name]
        handler: Handler = getattr(_area(area), attribute)
        self[name] = handler
        return handler


COMMANDS: dict[str, Handler] = _Handlers()
# Options before the command that take a value (build_parser looks past them for the command's name).
_VALUED_OPTIONS = ("--db", "--user", "--password-file")


def command_in(argv: list[str] | None) -> str | None:
    """The command named in `argv` (after the program's own options), when it is one of ours."""
    rest = list(argv or ())
    while rest:
        token = rest.pop(0)
        if token in _VALUED_OPTIONS:
            if rest:
                rest.pop(0)
        elif not token.startswith("-"):
            return token if token in HANDLERS else None
    return None


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line read; a usage refusal says what was meant and where the command's usage is."""
    parser = build_parser(argv)
    try:
        return parser.parse_args(argv)
    except UsageError as exc:
        said = exc.message.rstrip()
        said += "" if said.endswith((".", "?", "!")) else "."
        raise UsageError(said + usage_hint(parser, argv, exc.message)) from None


def usage_hint(parser: Parser, argv: list[str], message: str) -> str:
    """What to do after a usage refusal: the command, choice or option meant by a typo («bakup», «member»,
    «--asof»), and where the command's own usage is (a missing «--to» said only that it was missing)."""
    import difflib

    command = command_in(argv)
    meant: list[str] = []
    choice = re.search(r"không có lựa chọn «([^»]*)» \(chọn một trong: (.+)\)", message)
    if choice:
        meant = difflib.get_close_matches(choice[1], re.findall(r"«([^»]*)»", choice[2]), n=1, cutoff=0.6)
    elif message.startswith("Tham số không hợp lệ") and command is not None:
        options = [o for a in _parser_of(parser, argv, command)._actions for o in a.option_strings
                   if o.startswith("--")]
        typos = [t.split("=")[0] for t in message.split() if t.startswith("--")]
        meant = [m for t in typos if t not in options for m in difflib.get_close_matches(t, options, n=1, cutoff=0.6)]
    said = f" Có phải «{'», «'.join(dict.fromkeys(meant))}»?" if meant else ""
    if message.startswith("Tham số không hợp lệ: ") and command is not None:
        # `stats khoi.db khoi.db`: a file given twice said only «Tham số không hợp lệ: khoi.db».
        extra = message.removeprefix("Tham số không hợp lệ: ").rstrip(".").split()
        twice = [a for a in dict.fromkeys(extra) if not a.startswith("-") and argv.count(a) > 1]
        if twice:
            said += f" «{'», «'.join(twice)}» được ghi hai lần: lệnh {command} chỉ nhận mỗi tệp một lần."
    where = f" Xem cách dùng: khoi-desktop {_usage_of(parser, argv, command)} --help." if command else \
        " Xem các lệnh: khoi-desktop --help."
    return said + where


def _subcommand(parser: Parser, argv: list[str], command: str) -> tuple[argparse.ArgumentParser, str | None]:
    """The command's parser, or its subcommand's (`meetings TỆP status`) with the subcommand's name."""
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    outer = commands.choices[command]
    inner = [a for a in outer._actions if isinstance(a, argparse._SubParsersAction)]
    after = argv[argv.index(command) + 1:] if command in argv else []
    sub = next((word for word in after if inner and word in inner[0].choices), None)
    return (inner[0].choices[sub], sub) if sub else (outer, None)


def _parser_of(parser: Parser, argv: list[str], command: str) -> argparse.ArgumentParser:
    return _subcommand(parser, argv, command)[0]


def _usage_of(parser: Parser, argv: list[str], command: str) -> str:
    """The command whose --help shows what was missing: `exchange TỆP enroll`, not `exchange` (whose page lists only
    its subcommands, not --org)."""
    sub = _subcommand(parser, argv, command)[1]
    return f"{command} TỆP {sub}" if sub else command


def build_parser(argv: list[str] | None = None, *, areas: bool = True) -> Parser:
    """The whole command line; given `argv` naming a command, only that command's area (the others' modules
    are not imported); without `areas` only the GUI's own options (starting the window)."""
    common = Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="in kết quả dạng một đối tượng JSON")
    parser = window_parser()
    if areas:
        add_sign_in_options(parser)
    commands = parser.add_subparsers(dest="command", parser_class=Parser, metavar="LỆNH")
    command = command_in(argv)
    names = (HANDLERS[command][0],) if command is not None else AREA_NAMES
    for name in names if areas else ():
        _area(name).register(commands, common)
    return parser


def add_sign_in_options(parser: Parser) -> None:
    """Before the command (`khoi-desktop --user NAME --password-file F backup …`): after it, `audit --user`
    (a filter) and `users add/reset --password-file` (the new password) already mean something else."""
    group = parser.add_argument_group(
        "đăng nhập (đặt trước tên lệnh)",
        "Lệnh đọc hoặc thay đổi dữ liệu cần một tài khoản của tệp: --user và --password-file, hoặc đăng nhập đã "
        "lưu bằng lệnh login, hoặc được hỏi khi chạy trong cửa sổ dòng lệnh.")
    group.add_argument("--user", dest="signin_user", metavar="TÊN", help="tài khoản đăng nhập")
    group.add_argument("--password-file", dest="signin_password_file", type=Path, metavar="TỆP",
                       help="tệp chứa mật khẩu của tài khoản (dòng đầu tiên)")


# Never to a terminal: escape sequences, NUL, lone surrogates (from a crafted file echoed in a message).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _emit(text: str, stream: Any) -> None:
    if stream is None:  # windowed builds have no console
        return
    text = _UNPRINTABLE.sub("\ufffd", text)
    try:
        print(text, file=stream)
        stream.flush()
    except BrokenPipeError:
        # The reader left early (`… | head`): say nothing more, and let the exit not complain either.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        except (OSError, ValueError):
            pass


# A code that names nothing: the command that lists what there is («Không có quyết định «99».» left the clerk there).
_LISTED_BY = {"org_not_found": ("mã các tổ chức", "orgs {file}"),
              "member_not_found": ("mã đảng viên", "members {file}"),
              "decision_not_found": ("các quyết định và dự thảo", "decisions {file}"),
              "item_not_found": ("các mục trao đổi", "exchange {file} items --all")}


def _where_listed(exc: KhoiError, args: argparse.Namespace | None) -> str:
    listed = _LISTED_BY.get(exc.code or "")
    file = getattr(args, "file", None)
    if listed is None or file is None or getattr(exc, "problems", None) or "hãy" in exc.message.lower():
        return ""  # a refusal that already says which code was meant, or lists several problems
    shown = f'"{file}"' if " " in str(file) else str(file)
    return f" Xem {listed[0]}: khoi-desktop {listed[1].format(file=shown)}"


def run(argv: list[str], args: argparse.Namespace | None = None) -> int:
    """Run one subcommand; returns the exit code."""
    as_json = "--json" in argv
    warnings: list[str] = []  # the server addresses' risks: in every JSON answer, a refusal's too

    def answer(data: dict[str, Any]) -> str:
        for warning in warnings:
            add_warning(data, warning)
        return json.dumps(data, ensure_ascii=False)

    try:
        if args is None:
            args = parse_args(argv)
        options = SignInOptions(getattr(args, "signin_user", None), getattr(args, "signin_password_file", None))
        warnings = address_warnings(args)
        if not as_json:  # before the command: a connection that then fails was still made unchecked
            for warning in warnings:
                _emit(warning, sys.stderr)
        with signing_in_with(options):
            output = COMMANDS[args.command](args)
        for warning in warnings:
            add_warning(output.data, warning)
    except KhoiError as exc:
        exc.message = exc.message + _where_listed(exc, args)
        if as_json:
            problems = getattr(exc, "problems", None) or [(exc.code, exc.message)]
            errors = [{"code": code, "message": message} for code, message in problems]
            # A refusal may carry its own JSON answer (e.g. an import report with rows and columns).
            payload = getattr(exc, "payload", None) or {"ok": False, "errors": errors}
            _emit(answer(payload), sys.stdout)
        else:
            _emit(exc.message, sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        _emit("Đã dừng theo yêu cầu.", sys.stderr)
        return EXIT_FAULT
    except EOFError:  # Ctrl+D (Ctrl+Z on Windows) at a prompt: nothing was done yet
        _emit("Đã dừng: dòng nhập kết thúc trước khi nhập đủ (tên đăng nhập, mật khẩu).", sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:
        from khoi_desktop.core.faults import known_fault

        fault = known_fault(exc, Path(getattr(args, "file", "") or "").name)
        if fault is not None:
            log.warning("%s refused: %s", getattr(args, "command", "?"), fault.message)
            if as_json:
                _emit(answer({"ok": False, "errors": [{"code": fault.code, "message": fault.message}]}), sys.stdout)
            else:
                _emit(fault.message, sys.stderr)
            return EXIT_REFUSED
        from khoi_desktop.core.engines import is_server_url
        from khoi_desktop.core.engines.postgres import without_password

        # A server address typed with its password: never into the log file.
        log.exception("unexpected fault in %s", [without_password(a) if is_server_url(a) else a for a in argv])
        message = f"Lỗi không mong đợi: {type(exc).__name__}: {exc}. Chi tiết trong tệp nhật ký."
        if as_json:
            _emit(answer({"ok": False, "errors": [{"code": "fault", "message": message}]}), sys.stdout)
        _emit(message, sys.stderr)
        return EXIT_FAULT
    if as_json:
        _emit(json.dumps(output.data, ensure_ascii=False, indent=None), sys.stdout)
    else:
        _emit(output.text, sys.stdout)
    return EXIT_OK
