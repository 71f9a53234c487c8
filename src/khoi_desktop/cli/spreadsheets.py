"""Command line for spreadsheets (contract: shared CLI.md): import-members and export."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.cli.common import (
    Output,
    check_xlsx_name,
    database_arg,
    date_arg,
    new_folder_for,
    open_existing,
    say_new_folder,
    use_stored_codes,
)
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.text import show_date
from khoi_desktop.spreadsheets.kinds import ExportKind

if TYPE_CHECKING:
    from khoi_desktop.spreadsheets.member_import import ImportReport


class ReportRefused(KhoiError):
    """Exit 2 with the whole import report: `payload` is printed as the JSON answer."""

    code = "import_refused"

    def __init__(self, report: ImportReport, *, dry_run: bool) -> None:
        super().__init__(report_text(report))
        self.payload = report.as_json(dry_run=dry_run)


def report_text(report: ImportReport) -> str:
    lines = [f"Tệp {report.source}, trang “{report.sheet}”: {report.summary()}"]
    lines += [f"  {note}" for note in report.notes]
    lines += [f"  Dòng {p.row}, cột {p.column or '-'}: {p.message}" for p in report.errors]
    lines += [f"  Trùng: {d.message}" + ("" if d.blocking else " (đã chấp nhận)") for d in report.duplicates]
    lines += [f"  Lưu ý dòng {p.row}, cột {p.column or '-'}: {p.message}" for p in report.warnings]
    lines += [f"  Bỏ qua dòng {r.number} ({r.reason}): {r.text}" for r in report.skipped]
    return "\n".join(lines)


def cmd_import_members(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.spreadsheets.mapping import field_label, propose_mapping
    from khoi_desktop.spreadsheets.member_import import ImportOptions, ImportRefused, analyze, import_members
    from khoi_desktop.spreadsheets.reader import read_table

    db = open_existing(args.file, Permission.IMPORT)
    try:
        table = read_table(args.xlsx, args.sheet)
        mapping = propose_mapping(table)
        options = ImportOptions(target_org=args.org, joined_on=args.joined_on,
                                accept_name_duplicates=args.accept_name_duplicates)
        if args.dry_run:
            with db.reading() as session:
                use_stored_codes(session, args)
                report = analyze(session, table, mapping, options)
            if not report.ok:
                raise ReportRefused(report, dry_run=True)
        else:
            try:
                with db.writing() as session:
                    use_stored_codes(session, args)
                    report = import_members(session, table, mapping, options, actor=os_user())
            except ImportRefused as refused:
                raise ReportRefused(refused.report, dry_run=False) from None
    finally:
        db.close()
    data = report.as_json(dry_run=args.dry_run)
    data["mapping"] = {c.letter: {"header": c.header, "field": c.field, "encoding": c.encoding.value}
                       for c in mapping.columns if c.field}
    text = report_text(report)
    if args.dry_run:
        fields = ", ".join(f"{c.letter}={field_label(c.field)} ({c.encoding.label})" for c in mapping.columns
                           if c.field)
        text += f"\n  Cột: {fields}\n  Chạy thử: chưa ghi gì vào cơ sở dữ liệu."
    return Output(data, text)


def cmd_export(args: argparse.Namespace) -> Output:
    from khoi_desktop.spreadsheets.exports import ExportOptions, export

    check_xlsx_name(args.output)
    options = ExportOptions(as_of=args.as_of, start=args.start, end=args.end, org=args.org)
    new_folder = new_folder_for(args.output, "bảng tính")
    db = open_existing(args.file)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            if new_folder is not None:
                new_folder.mkdir()
            try:
                result = export(session, args.kind, args.output, options)
            except BaseException:
                if new_folder is not None and not any(new_folder.iterdir()):
                    new_folder.rmdir()  # a refused export leaves no empty folder behind
                raise
    finally:
        db.close()
    data: dict[str, Any] = {"ok": True, "kind": result.kind.value, "path": str(result.path), "rows": result.rows,
                            "created_folder": str(new_folder) if new_folder else None}
    if new_folder is not None:
        say_new_folder(new_folder, "bảng tính", json_output=args.json)
    end = args.end or dt.date.today()
    start = args.start or dt.date(end.year, 1, 1)  # the export's own default period (spreadsheets/exports.py)
    when = (f"từ {show_date(start)} đến {show_date(end)}" if result.kind.uses_period
            else f"tính đến {show_date(args.as_of or dt.date.today())}")
    return Output(data, f"Đã xuất {result.kind.label.lower()} ({when}): {result.summary} → {result.path}")


def _kind_arg(text: str) -> str:
    """A kind as CLI.md writes it, or as typed: any case, «Biểu 1» / «bieu 1» for bieu1 (any other text is left to
    argparse, which refuses it listing the kinds)."""
    from khoi_desktop.core.request_json import _enum_member

    member = _enum_member(ExportKind, text) or _enum_member(ExportKind, "".join(text.split()))
    return member.value if member is not None else text


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Callable[[argparse.Namespace], Output]]:
    imp = commands.add_parser("import-members", parents=[common],
                              help="nhập danh sách đảng viên từ tệp Excel (.xlsx), tất cả hoặc không")
    imp.add_argument("file", type=database_arg)
    imp.add_argument("xlsx", type=Path, metavar="IN.xlsx")
    imp.add_argument("--org", help="mã chi bộ nhận mọi dòng, hoặc mã đảng bộ chứa các chi bộ ghi ở cột “Chi bộ”; "
                                   "bỏ trống thì dùng cột “Chi bộ”")
    imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    imp.add_argument("--sheet", help="tên trang tính (mặc định trang đầu)")
    imp.add_argument("--joined-on", type=date_arg,
                     help="ngày bắt đầu sinh hoạt tại chi bộ khi tệp không có cột này (mặc định hôm nay)")
    imp.add_argument("--accept-name-duplicates", action="store_true",
                     help="vẫn nhập người trùng họ tên và ngày sinh với người đã có (không áp dụng cho CCCD, số thẻ)")

    exp = commands.add_parser("export", parents=[common], help="xuất danh sách hoặc biểu thống kê ra tệp Excel")
    exp.add_argument("file", type=database_arg)
    exp.add_argument("kind", choices=[k.value for k in ExportKind], type=_kind_arg, metavar="LOẠI",
                     help="; ".join(f"{k.value}: {k.label}" for k in ExportKind))
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="TỆP.xlsx")
    exp.add_argument("--as-of", type=date_arg, help="tính đến ngày (danh sách, Biểu 5); Huy hiệu Đảng: "
                     "ngày của đợt xét tặng")
    exp.add_argument("--from", dest="start", type=date_arg, help="từ ngày (Biểu 1, sổ văn bản đi)")
    exp.add_argument("--to", dest="end", type=date_arg, help="đến ngày (Biểu 1, sổ văn bản đi)")
    exp.add_argument("--org", help="mã tổ chức đảng (danh sách đảng viên)")
    return {"import-members": cmd_import_members, "export": cmd_export}
