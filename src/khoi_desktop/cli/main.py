"""Command line (contract: shared CLI.md). Thin: parses, calls core, prints text or one JSON object.

Exit codes: 0 success, 2 bad input or refused request (nothing changed), 1 unexpected fault.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from khoi_desktop import __version__
from khoi_desktop.core.audit import os_user
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.errors import KhoiError, ValidationError
from khoi_desktop.core.meetings.findings import meeting_findings
from khoi_desktop.core.members import members_of
from khoi_desktop.core.rules import check
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.stats import counts_from, thousands
from khoi_desktop.core.text import parse_date, show_date
from khoi_desktop.core.tree import load_snapshot

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAULT, EXIT_REFUSED = 0, 1, 2


class UsageError(KhoiError):
    code = "usage"


# argparse speaks English; clerks and administrators read Vietnamese.
_ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.+)", r"Thiếu tham số bắt buộc: \1."),
    (r"unrecognized arguments: (.+)", r"Tham số không hợp lệ: \1."),
    (r"argument (\S+): invalid choice: (\S+) \(choose from (.+)\)",
     r"Tham số \1: không có lựa chọn \2 (chọn một trong: \3)."),
    (r"argument (\S+): invalid (\w+) value: (.+)", r"Tham số \1: giá trị \3 không hợp lệ."),
    (r"argument (\S+): expected one argument", r"Tham số \1 cần một giá trị."),
    (r"argument (\S+): (.+)", r"Tham số \1: \2"),
]


def translate_argparse(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return f"Lệnh không hợp lệ: {message}"


_HELP_WORDS = [
    ("usage:", "Cách dùng:"), ("positional arguments:", "Tham số:"), ("options:", "Tùy chọn:"),
    ("show this help message and exit", "hiện hướng dẫn này rồi thoát"),
    ("show program's version number and exit", "hiện phiên bản rồi thoát"),
]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(translate_argparse(message))

    def format_help(self) -> str:
        text = super().format_help()
        for english, vietnamese in _HELP_WORDS:
            text = text.replace(english, vietnamese)
        return text


def date_arg(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày {text!r} không đúng dạng YYYY-MM-DD") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} không phải số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} phải lớn hơn 0")
    return value


def build_parser(*, areas: bool = True) -> Parser:
    """The whole command line; without `areas` only the GUI's own options and the foundation commands
    (starting the window need not load every area's libraries)."""
    common = Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="in kết quả dạng một đối tượng JSON")
    parser = Parser(prog="khoi-desktop", description="Quản lý tổ chức đảng và đảng viên của Đảng ủy Khối.",
                    add_help=True)
    parser.add_argument("--version", action="version", version=f"khoi-desktop {__version__}")
    parser.add_argument("--db", type=Path, help="tệp cơ sở dữ liệu mở trong giao diện")
    parser.add_argument("--demo", action="store_true", help="mở giao diện trên cơ sở dữ liệu mẫu (tạo nếu chưa có)")
    parser.add_argument("--selftest", action="store_true",
                        help="tự kiểm tra bản cài đặt trong một thư mục tạm (cơ sở dữ liệu, quyết định, PDF, sao lưu) "
                             "rồi thoát: mã 0 là đạt")
    commands = parser.add_subparsers(dest="command", parser_class=Parser, metavar="LỆNH")

    demo = commands.add_parser("demo", parents=[common], help="tạo cơ sở dữ liệu mẫu của một Đảng ủy Khối")
    demo.add_argument("file", type=Path, metavar="TỆP", help="tệp cơ sở dữ liệu")
    demo.add_argument("--scale", type=_positive_int, default=1, help="hệ số quy mô (1 = 5.356 đảng viên)")
    demo.add_argument("--seed", type=int, default=1)

    for name, help_text in (("stats", "số lượng tổ chức và đảng viên"), ("orgs", "danh sách tổ chức đảng")):
        sub = commands.add_parser(name, parents=[common], help=help_text)
        sub.add_argument("file", type=Path, metavar="TỆP", help="tệp cơ sở dữ liệu")
        sub.add_argument("--as-of", type=date_arg, help="tính đến ngày (YYYY-MM-DD), mặc định hôm nay")

    chk = commands.add_parser("check", parents=[common], help="kiểm tra các quy định của Điều lệ")
    chk.add_argument("file", type=Path, metavar="TỆP", help="tệp cơ sở dữ liệu")
    chk.add_argument("--as-of", type=date_arg)

    mem = commands.add_parser("members", parents=[common], help="danh sách đảng viên")
    mem.add_argument("file", type=Path, metavar="TỆP", help="tệp cơ sở dữ liệu")
    mem.add_argument("--org", help="mã tổ chức đảng (gồm cả các chi bộ trực thuộc)")
    mem.add_argument("--as-of", type=date_arg)
    for module_name in AREA_MODULES if areas else ():
        COMMANDS.update(importlib.import_module(module_name).register(commands, common))
    return parser


@dataclasses.dataclass
class Output:
    """What a command produced: a JSON object and its human rendering."""

    data: dict[str, Any]
    text: str


def open_existing(path: Path) -> Database:
    if not path.is_file():  # also a folder, or '' (which would mean the current folder)
        raise ValidationError(f"Không tìm thấy tệp cơ sở dữ liệu: {path}", code="file_not_found")
    db = open_database(path)
    # No login here: the administrator's tool on a file they can already read; the audit trail names the
    # operating-system user.
    db.user = CurrentUser(os_user(), "", Role.QUAN_TRI)
    return db


def cmd_demo(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.demo import generate_demo

    path: Path = args.file
    if path.exists():
        raise ValidationError(f"Tệp {path} đã có; lệnh demo không ghi đè dữ liệu. Hãy chọn tên tệp khác.",
                              code="file_exists")
    if args.scale > 50:
        raise ValidationError("Hệ số quy mô tối đa là 50.", code="invalid_scale")
    db = open_database(path, create=True)
    try:
        generate_demo(db, scale=args.scale, seed=args.seed)
        with db.reading() as session:
            counts = counts_from(load_snapshot(session, dt.date.today()))
    except BaseException:
        db.close()
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    db.close()
    return Output({"ok": True, "path": str(path), **_counts_json(counts)},
                  f"Đã tạo cơ sở dữ liệu mẫu {path}: {counts.summary()}.")


def _counts_json(counts: Any) -> dict[str, Any]:
    data = dataclasses.asdict(counts)
    data["as_of"] = counts.as_of.isoformat()
    return data


def cmd_stats(args: argparse.Namespace) -> Output:
    as_of = args.as_of or dt.date.today()
    with open_existing(args.file).reading() as session:
        counts = counts_from(load_snapshot(session, as_of))
    return Output(_counts_json(counts), f"Tính đến ngày {show_date(as_of)}: {counts.summary()}.")


def cmd_check(args: argparse.Namespace) -> Output:
    as_of = args.as_of or dt.date.today()
    with open_existing(args.file).reading() as session:
        snapshot = load_snapshot(session, as_of)
        findings = check(snapshot, load_settings(session).thresholds) + meeting_findings(session, snapshot)
    rows = [{"org": f.org, "name": f.name, "rule": f.rule, "severity": f.severity, "members": f.members,
             "message": f.message} for f in findings]
    labels = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "LƯU Ý"}
    lines = [f"[{labels[f.severity]}] {f.org}: {f.message}" for f in findings]
    lines.append(f"{len(findings)} phát hiện (tính đến ngày {show_date(as_of)})." if findings
                 else "Không phát hiện vi phạm nào.")
    return Output({"as_of": as_of.isoformat(), "findings": rows}, "\n".join(lines))


def cmd_orgs(args: argparse.Namespace) -> Output:
    as_of = args.as_of or dt.date.today()
    with open_existing(args.file).reading() as session:
        snapshot = load_snapshot(session, as_of, include_ended=True)
    rows, lines = [], []

    def walk(ids: list[int], depth: int) -> None:
        for org_id in ids:
            node = snapshot.nodes[org_id]
            rows.append({"code": node.code, "name": node.name, "kind": node.kind.value,
                         "parent": snapshot.parent_code(node), "members": node.members,
                         "full_members": node.full_members, "status": "active" if node.active else "ended"})
            ended = "" if node.active else f" (đã kết thúc {show_date(node.ended_on)})"
            lines.append(f"{'  ' * depth}{node.code}  {node.name}{ended}  [{node.kind.label}, "
                         f"{thousands(node.members)} đảng viên]")
            walk(node.children, depth + 1)

    walk(snapshot.roots, 0)
    return Output({"as_of": as_of.isoformat(), "orgs": rows}, "\n".join(lines))


def cmd_members(args: argparse.Namespace) -> Output:
    as_of = args.as_of or dt.date.today()
    with open_existing(args.file).reading() as session:
        org_ids = None
        if args.org:
            snapshot = load_snapshot(session, as_of, include_ended=True)
            node = snapshot.by_code(args.org)
            if node is None:
                raise ValidationError(f"Không có tổ chức đảng mã {args.org} (tính đến ngày {show_date(as_of)}).",
                                      code="org_not_found")
            org_ids = snapshot.subtree_ids(node.id)
        rows = members_of(session, org_ids, as_of)
    data = [{"code": r.code, "full_name": r.full_name,
             "birth_date": r.birth_date.isoformat() if r.birth_date else None,
             "status": r.status.value, "org": r.org_code} for r in rows]
    lines = [f"{r.code}  {r.full_name}  {show_date(r.birth_date)}  {r.status.label}  {r.org_code}" for r in rows]
    lines.append(f"Tổng số: {thousands(len(rows))} đảng viên.")
    return Output({"as_of": as_of.isoformat(), "members": data}, "\n".join(lines))


COMMANDS: dict[str, Callable[[argparse.Namespace], Output]] = {
    "demo": cmd_demo, "stats": cmd_stats, "check": cmd_check, "orgs": cmd_orgs, "members": cmd_members,
}

# Each area adds its subcommands: a module with `register(commands, common) -> {name: handler}`,
# where handlers take the parsed arguments and return an Output (or raise KhoiError).
AREA_MODULES: tuple[str, ...] = (
    "khoi_desktop.cli.workflows",
    "khoi_desktop.cli.backup",
    "khoi_desktop.cli.documents",
    "khoi_desktop.cli.spreadsheets",
    "khoi_desktop.cli.appointments",
    "khoi_desktop.cli.audit",
    "khoi_desktop.cli.meetings",
)


def _emit(text: str, stream: Any) -> None:
    if stream is None:  # windowed builds have no console
        return
    try:
        print(text, file=stream)
        stream.flush()
    except BrokenPipeError:
        # The reader left early (`… | head`): say nothing more, and let the exit not complain either.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        except (OSError, ValueError):
            pass


def run(argv: list[str], args: argparse.Namespace | None = None) -> int:
    """Run one subcommand; returns the exit code."""
    as_json = "--json" in argv
    try:
        if args is None:
            args = build_parser().parse_args(argv)
        output = COMMANDS[args.command](args)
    except KhoiError as exc:
        if as_json:
            problems = getattr(exc, "problems", None) or [(exc.code, exc.message)]
            errors = [{"code": code, "message": message} for code, message in problems]
            # A refusal may carry its own JSON answer (e.g. an import report with rows and columns).
            payload = getattr(exc, "payload", None) or {"ok": False, "errors": errors}
            _emit(json.dumps(payload, ensure_ascii=False), sys.stdout)
        else:
            _emit(exc.message, sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        _emit("Đã dừng theo yêu cầu.", sys.stderr)
        return EXIT_FAULT
    except Exception as exc:
        log.exception("unexpected fault in %s", argv)
        message = f"Lỗi không mong đợi: {type(exc).__name__}: {exc}. Chi tiết trong tệp nhật ký."
        if as_json:
            _emit(json.dumps({"ok": False, "errors": [{"code": "fault", "message": message}]}, ensure_ascii=False),
                  sys.stdout)
        _emit(message, sys.stderr)
        return EXIT_FAULT
    if as_json:
        _emit(json.dumps(output.data, ensure_ascii=False, indent=None), sys.stdout)
    else:
        _emit(output.text, sys.stdout)
    return EXIT_OK
