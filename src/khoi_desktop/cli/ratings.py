"""Command line for the yearly quality rating (contract: README, "Xếp loại chất lượng"): `ratings FILE
import|template|summary|set …`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from khoi_desktop.cli.common import (
    Output,
    check_xlsx_name,
    database_arg,
    made_folder_for,
    open_existing,
    use_stored_codes,
)
from khoi_desktop.core.errors import KhoiError, ValidationError

# Only the parser is built at start-up: the handlers import core (SQLAlchemy) and openpyxl themselves.

LEVEL_KEYS = ("htxs", "htt", "ht", "kht")
SHORT = {"htxs": "HTXSNV", "htt": "HTTNV", "ht": "HTNV", "kht": "KHTNV"}


class _Refused(KhoiError):
    """Exit 2 with a JSON answer of its own (`payload`)."""

    def __init__(self, message: str, payload: dict[str, Any], code: str) -> None:
        super().__init__(message, code=code)
        self.payload = payload


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"năm «{text}» không đúng dạng YYYY (ví dụ 2025)")
    return int(text)


LABELS = {"htxs": "hoàn thành xuất sắc nhiệm vụ", "htt": "hoàn thành tốt nhiệm vụ", "ht": "hoàn thành nhiệm vụ",
          "kht": "không hoàn thành nhiệm vụ"}


def _level(text: str) -> str:
    """A level's key, or as `ratings summary` and the workbooks write it («HTTNV»), or its words («Hoàn thành tốt
    nhiệm vụ», with or without accents): those were refused, only «htt» was read."""
    from khoi_desktop.core.text import fold

    key = " ".join(fold(text).split())
    if key in ("", "none", "trong"):
        return ""
    for level in LEVEL_KEYS:
        if key in (level, SHORT[level].lower(), fold(LABELS[level])):
            return level
    choices = ", ".join(f"{level} ({SHORT[level]}: {LABELS[level]})" for level in LEVEL_KEYS)
    raise argparse.ArgumentTypeError(f"mức «{text}» không có (chọn: {choices}; hoặc none để xóa)")


def _pct(value: float | None) -> str:
    return "chưa có" if value is None else f"{value:.2f}".replace(".", ",") + "%"


def _report_text(report: Any) -> str:
    lines = [report.summary()]
    lines += [f"  {p.text()}" for p in report.errors]
    lines += [f"  {change}" for change in report.changes]
    return "\n".join(lines)


def cmd_import(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.spreadsheets.rating_returns import RatingReturnRefused, analyze_return, import_return

    db = open_existing(args.file)
    try:
        if args.dry_run:
            with db.reading() as session:
                use_stored_codes(session, args)
                report = analyze_return(session, args.xlsx, args.year)
            if not report.ok:
                raise _Refused(_report_text(report), report.as_json(dry_run=True), "import_refused")
        else:
            try:
                with db.writing() as session:
                    use_stored_codes(session, args)
                    report = import_return(session, args.xlsx, args.year, actor=os_user())
            except RatingReturnRefused as refused:
                raise _Refused(_report_text(refused.report), refused.report.as_json(dry_run=False),
                               "import_refused") from None
    finally:
        db.close()
    text = _report_text(report)
    if args.dry_run:
        text += "\n  Chạy thử: chưa ghi gì vào cơ sở dữ liệu."
    return Output(report.as_json(dry_run=args.dry_run), text)


def cmd_template(args: argparse.Namespace) -> Output:
    from khoi_desktop.spreadsheets.rating_template import write_template

    if args.all:
        return _all_templates(args)
    check_xlsx_name(args.output)
    db = open_existing(args.file)
    try:
        with db.reading() as session, made_folder_for(args.output, "bảng tính", json_output=args.json) as folder:
            use_stored_codes(session, args)
            orgs, members = write_template(session, args.org, args.year, args.output)
    finally:
        db.close()
    return Output({"ok": True, "path": str(args.output), "org": args.org, "year": args.year, "orgs": orgs,
                   "members": members, "created_folder": folder.made},
                  f"Đã lập báo cáo xếp loại năm {args.year} của {args.org} ({orgs} tổ chức đảng, {members} đảng viên)"
                  f" → {args.output}")


def _all_templates(args: argparse.Namespace) -> Output:
    from khoi_desktop.spreadsheets.rating_template import template_name, write_all_templates

    folder: Path = args.output
    if not folder.is_dir():
        raise ValidationError(f"Không có thư mục {folder}: với --all, -o là thư mục nhận các tệp báo cáo.",
                              code="folder_not_found")
    db = open_existing(args.file)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            written = write_all_templates(session, args.year, folder)
    finally:
        db.close()
    files = [{"org": code, "path": str(folder / template_name(code, args.year)), "orgs": orgs, "members": members}
             for code, orgs, members in written]
    return Output({"ok": True, "year": args.year, "folder": str(folder), "files": files},
                  f"Đã lập {len(files)} tệp báo cáo xếp loại năm {args.year} trong {folder}.")


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{SHORT[key]} {counts[key]}" for key in LEVEL_KEYS) + \
        f", chưa/không xếp loại {counts['unrated']}, tổng số {counts['total']}"


def cmd_summary(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.ratings.summary import year_summary

    check_xlsx_name(args.output)
    db = open_existing(args.file)
    try:
        with db.reading() as session, made_folder_for(args.output, "bảng tính", json_output=args.json):
            use_stored_codes(session, args)
            summary = year_summary(session, args.year, args.org)
            if args.output:
                from khoi_desktop.spreadsheets.rating_reports import write_summary

                write_summary(session, summary, args.output)
    finally:
        db.close()
    data = summary.as_json()
    lines = [f"Xếp loại chất lượng năm {args.year}" + (f", {args.org}" if args.org else "") + ":",
             f"  Tổ chức cơ sở đảng: {_counts_text(data['orgs'])}.",
             f"  Đảng viên: {_counts_text(data['members'])}.",
             f"  Tổ chức cơ sở đảng HTTNV trở lên: {_pct(data['orgs_good_or_better_pct'])}; đảng viên HTTNV trở lên: "
             f"{_pct(data['members_good_or_better_pct'])} (trên số đã xếp loại)."]
    if args.output:
        lines.append(f"Đã xuất báo cáo → {args.output}")
    return Output(data, "\n".join(lines))


def cmd_set(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.ratings.entry import set_level
    from khoi_desktop.core.ratings.models import Level

    level = Level(args.level) if args.level else None
    db = open_existing(args.file)
    try:
        with db.writing() as session:
            use_stored_codes(session, args)
            change = set_level(session, args.year, org=args.org, member=args.member, decided=level,
                               disciplined=args.disciplined, actor=os_user())
    finally:
        db.close()
    return Output({"ok": True, "year": args.year, "org": args.org, "member": args.member,
                   "decided": level.value if level else None}, f"Đã xếp loại năm {args.year}: {change}.")


def _read_json(path: Path) -> Any:
    from khoi_desktop.cli.json_files import read_json_file

    return read_json_file(path)


def cmd_rules(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.ratings.rules import load_rules, rules_from_json, rules_json, save_rules

    db = open_existing(args.file)
    try:
        if args.set:
            with db.writing() as session:
                use_stored_codes(session, args)
                rules = save_rules(session, rules_from_json(_read_json(args.set)))
        else:
            with db.reading() as session:
                use_stored_codes(session, args)
                rules = load_rules(session)
    finally:
        db.close()
    data = rules_json(rules)
    lines = [f"Quy định xếp loại ({rules.version}): HTXSNV không quá {rules.cap_pct}% số HTTNV trong cùng đơn vị."]
    lines += [f"  [{'bật' if r.enabled else 'tắt'}] {r.code}: {r.text}" for r in rules.consistency]
    counted = {"rated": "có xếp loại", "not_rated": "không xếp loại"}  # the JSON keeps the values (rated, not_rated)
    lines.append(f"  Dự bị: {counted.get(rules.probationary, rules.probationary)}; mới kết nạp (dưới "
                 f"{rules.new_member_months} tháng): {counted.get(rules.new_member, rules.new_member)}; miễn sinh "
                 f"hoạt: {counted.get(rules.exempt, rules.exempt)}.")
    return Output(data, "\n".join(lines))


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Callable[[argparse.Namespace], Output]]:
    ratings = commands.add_parser("ratings", help="xếp loại chất lượng tổ chức đảng và đảng viên hằng năm")
    ratings.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    actions = ratings.add_subparsers(dest="ratings_command", metavar="VIỆC", required=True,
                                     parser_class=type(ratings))
    im = actions.add_parser("import", parents=[common], help="nhập tệp Excel báo cáo xếp loại (tất cả hoặc không)")
    im.add_argument("xlsx", type=Path, metavar="TỆP.xlsx")
    im.add_argument("--year", type=_year, required=True, metavar="YYYY")
    im.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và liệt kê thay đổi, không ghi gì")
    tp = actions.add_parser("template", parents=[common], help="lập tệp Excel báo cáo xếp loại của một TCCSĐ")
    which = tp.add_mutually_exclusive_group(required=True)
    which.add_argument("--org", help="mã đảng bộ cơ sở hoặc chi bộ cơ sở")
    which.add_argument("--all", action="store_true",
                       help="mọi TCCSĐ: mỗi tổ chức một tệp xep-loai-MÃ-NĂM.xlsx trong thư mục -o")
    tp.add_argument("--year", type=_year, required=True, metavar="YYYY")
    tp.add_argument("-o", "--output", type=Path, required=True, metavar="TỆP.xlsx|THƯ_MỤC")
    sm = actions.add_parser("summary", parents=[common], help="tổng hợp xếp loại của một năm")
    sm.add_argument("--year", type=_year, required=True, metavar="YYYY")
    sm.add_argument("--org", help="mã tổ chức (mặc định toàn Đảng bộ)")
    sm.add_argument("-o", "--output", type=Path, metavar="TỆP.xlsx", help="xuất báo cáo Excel để in")
    st = actions.add_parser("set", parents=[common], help="ghi mức xếp loại của một tổ chức hoặc đảng viên")
    st.add_argument("--year", type=_year, required=True, metavar="YYYY")
    who = st.add_mutually_exclusive_group(required=True)
    who.add_argument("--org", help="mã tổ chức đảng")
    who.add_argument("--member", help="mã đảng viên")
    st.add_argument("--level", type=_level, required=True, metavar="MỨC", help="htxs, htt, ht, kht hoặc none")
    st.add_argument("--disciplined", action=argparse.BooleanOptionalAction, default=None,
                    help="đảng viên bị kỷ luật trong năm")
    ru = actions.add_parser("rules", parents=[common], help="quy định xếp loại đang áp dụng; --set để sửa (quản trị)")
    ru.add_argument("--set", type=Path, metavar="RULES.json", help="thay quy định bằng tệp JSON (dạng như --json)")
    return {"ratings": cmd_ratings}


HANDLERS = {"import": cmd_import, "template": cmd_template, "summary": cmd_summary, "set": cmd_set,
            "rules": cmd_rules}


def cmd_ratings(args: argparse.Namespace) -> Output:
    return HANDLERS[args.ratings_command](args)
