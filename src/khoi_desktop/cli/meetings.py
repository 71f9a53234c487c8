"""Command line for chi bộ meetings (contract: README, "Sinh hoạt chi bộ"): `meetings FILE record|status|year|
criteria|template|import …`."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.cli.common import (
    Output,
    check_xlsx_name,
    database_arg,
    made_folder_for,
    open_existing,
    use_stored_codes,
)
from khoi_desktop.core.errors import KhoiError

if TYPE_CHECKING:
    from khoi_desktop.core.meetings.status import YearLine

# Only the parser is built at start-up (every command builds it): the handlers import core, which loads SQLAlchemy.


class _Refused(KhoiError):
    """Exit 2 with a JSON answer of its own (`payload`)."""

    def __init__(self, message: str, payload: dict[str, Any], code: str) -> None:
        super().__init__(message, code=code)
        self.payload = payload


def _month(text: str) -> dt.date:
    year, _, month = text.strip().partition("-")
    if len(year) == 4 and len(month) == 2 and (year + month).isdigit() and not 1 <= int(month) <= 12:
        raise argparse.ArgumentTypeError(f"tháng «{text}» không có: tháng ghi từ 01 đến 12, ví dụ {year}-03")
    if len(year) != 4 or len(month) != 2 or not (year + month).isdigit():
        # «11/2026», «3-2026», as a clerk writes a month: say what to write for it.
        typed = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{4})\s*", text)
        meant = (f": tháng {int(typed[1]):02d}/{typed[2]} thì ghi {typed[2]}-{int(typed[1]):02d}"
                 if typed and 1 <= int(typed[1]) <= 12 else " (ví dụ 2026-03)")
        raise argparse.ArgumentTypeError(f"tháng «{text}» không đúng dạng YYYY-MM (năm-tháng){meant}")
    return dt.date(int(year), int(month), 1)


def _label(month: dt.date) -> str:
    return f"tháng {month.month:02d}/{month.year}"


def percent_text(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "%"


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"năm «{text}» không đúng dạng YYYY (ví dụ 2025)")
    return int(text)


def cmd_record(args: argparse.Namespace) -> Output:
    from khoi_desktop.cli.json_files import read_json_file
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.meetings.recording import MeetingExists, meeting_from_json, record_meeting

    data = read_json_file(args.meeting)
    meeting = meeting_from_json(data)
    db = open_existing(args.file)
    try:
        with db.writing() as session:
            use_stored_codes(session, args)
            meeting_id = record_meeting(session, meeting, replace=args.replace, actor=os_user())
    except MeetingExists as exists:
        message = (f"{exists.message} Để thay cuộc đã ghi bằng nội dung tệp {args.meeting.name}, chạy lại lệnh với "
                   "--replace" + (" (từng thay đổi: thêm --json, mục «changes»)." if exists.changes else "."))
        raise _Refused(message, {"ok": False, "errors": [{"code": exists.code, "message": message}],
                                 "changes": exists.changes}, exists.code) from None
    finally:
        db.close()
    month = meeting.the_month
    assert month is not None
    return Output({"ok": True, "id": meeting_id, "org": meeting.org, "kind": meeting.kind.value,
                   "month": month.isoformat()[:7]},
                  f"Đã ghi cuộc sinh hoạt {meeting.kind.label.lower()} {_label(month)} của {meeting.org}.")


RATING_LABELS = {"tot": "Tốt", "kha": "Khá", "trung_binh": "Trung bình", "kem": "Kém"}


def _ratings_text(ratings: dict[str, int]) -> str:
    return ", ".join(f"{RATING_LABELS[key]} {value}" for key, value in ratings.items())


def cmd_status(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.meetings.status import month_status

    check_xlsx_name(args.output)
    db = open_existing(args.file)
    try:
        with db.reading() as session, made_folder_for(args.output, "bảng tính", json_output=args.json):
            use_stored_codes(session, args)
            status = month_status(session, args.month, args.org)
            if args.output:
                from khoi_desktop.spreadsheets.meeting_reports import write_month_status

                write_month_status(session, status, args.output)
    finally:
        db.close()
    data = status.as_json()
    where = status.org.name if status.org else "toàn Đảng bộ"
    lines = [f"Sinh hoạt chi bộ {_label(status.month)}, {where}: {_thousands(data['expected'])} chi bộ phải họp, "
             f"{_thousands(data['held'])} đã họp thường kỳ, {_thousands(data['thematic_held'])} họp chuyên đề; "
             f"xếp loại: {_ratings_text(data['ratings'])}.",
             f"Chưa báo cáo ({len(data['missing'])}): {', '.join(data['missing']) or 'không có'}."]
    if args.output:
        lines.append(f"Đã xuất báo cáo → {args.output}")
    return Output(data, "\n".join(lines))


def cmd_year(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.meetings.status import year_summary

    check_xlsx_name(args.output)
    db = open_existing(args.file)
    try:
        with db.reading() as session, made_folder_for(args.output, "bảng tính", json_output=args.json):
            use_stored_codes(session, args)
            summary = year_summary(session, args.year, args.org)
            if args.output:
                from khoi_desktop.spreadsheets.meeting_reports import write_year_summary

                write_year_summary(session, summary, args.output)
    finally:
        db.close()
    total = summary.total
    where = summary.org.name if summary.org else "toàn Đảng bộ"
    quarters = "; ".join(f"quý {q + 1}: {h}/{e}" for q, (h, e) in enumerate(total.thematic_quarters) if e)
    text = (f"Năm {summary.year}, {where}: {_thousands(total.chi_bo)} chi bộ; họp thường kỳ {_thousands(total.held)}/"
            f"{_thousands(total.expected)} ({percent_text(total.held_percent)}); chuyên đề theo quý: "
            f"{quarters or 'chưa có'}; "
            f"tỷ lệ dự họp {percent_text(total.attendance_percent)}; xếp loại: "
            f"{_ratings_text(_year_ratings(total))}.")
    if args.output:
        text += f"\nĐã xuất báo cáo → {args.output}"
    return Output(summary.as_json(), text)


def _year_ratings(line: YearLine) -> dict[str, int]:
    return {key: line.ratings.get(key, 0) for key in RATING_LABELS}  # type: ignore[call-overload]


def cmd_criteria(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.meetings.criteria import load_sheets, sheets_json

    db = open_existing(args.file)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            sheets = load_sheets(session)
    finally:
        db.close()
    lines = []
    for kind, sheet in sheets.items():
        lines.append(f"Phiếu chấm điểm sinh hoạt {kind.label.lower()} ({sheet.version}, tối đa {sheet.total} điểm):")
        lines += [f"  {c.code}: {c.name} (tối đa {c.max_points})" for c in sheet.criteria]
        lines.append("  Xếp loại: " + "; ".join(f"{b.rating.label} từ {b.min_points}" for b in sheet.bands))
    return Output(sheets_json(sheets), "\n".join(lines))


def cmd_template(args: argparse.Namespace) -> Output:
    from khoi_desktop.spreadsheets.meeting_template import write_template

    check_xlsx_name(args.output)
    db = open_existing(args.file)
    try:
        with db.reading() as session, made_folder_for(args.output, "bảng tính", json_output=args.json) as folder:
            use_stored_codes(session, args)
            count = write_template(session, args.org, args.month, args.output)
    finally:
        db.close()
    return Output({"ok": True, "path": str(args.output), "org": args.org, "month": args.month.isoformat()[:7],
                   "chi_bo": count, "created_folder": folder.made},
                  f"Đã lập báo cáo sinh hoạt chi bộ {_label(args.month)} của {args.org} ({count} chi bộ) → "
                  f"{args.output}")


def _report_text(report: Any) -> str:
    lines = [report.summary()]
    lines += [f"  {p.text()}" for p in report.errors]
    for label, changes in report.changes.items():
        lines.append(f"  Ghi đè {label}:")
        lines += [f"    {change}" for change in changes]
    return "\n".join(lines)


def cmd_import(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.spreadsheets.meeting_returns import (
        ReplaceNotConfirmed,
        ReturnRefused,
        analyze_return,
        import_return,
    )

    db = open_existing(args.file)
    try:
        if args.dry_run:
            with db.reading() as session:
                use_stored_codes(session, args)
                report = analyze_return(session, args.xlsx)
            if not report.ok:
                raise _Refused(_report_text(report), report.as_json(dry_run=True), "import_refused")
        else:
            try:
                with db.writing() as session:
                    use_stored_codes(session, args)
                    report = import_return(session, args.xlsx, replace=args.replace, actor=os_user())
            except ReturnRefused as refused:
                raise _Refused(_report_text(refused.report), refused.report.as_json(dry_run=False),
                               "import_refused") from None
            except ReplaceNotConfirmed as ask:
                payload = ask.report.as_json(dry_run=False)
                payload["ok"] = False
                payload["errors"] = [{"code": ask.code, "message": ask.message}]
                raise _Refused(ask.message + " Dùng --replace để ghi đè.\n" + _report_text(ask.report), payload,
                               ask.code) from None
    finally:
        db.close()
    text = _report_text(report)
    if args.dry_run:
        text += "\n  Chạy thử: chưa ghi gì vào cơ sở dữ liệu."
    return Output(report.as_json(dry_run=args.dry_run), text)


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Callable[[argparse.Namespace], Output]]:
    meetings = commands.add_parser("meetings",
                                   help="sinh hoạt chi bộ: ghi, tình hình tháng, tổng hợp năm, báo cáo Excel")
    meetings.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    actions = meetings.add_subparsers(dest="meetings_command", metavar="VIỆC", required=True,
                                      parser_class=type(meetings))
    rec = actions.add_parser("record", parents=[common], help="ghi một cuộc sinh hoạt từ tệp JSON")
    rec.add_argument("meeting", type=Path, metavar="HỌP.json", help="tệp JSON một cuộc sinh hoạt (xem README)")
    rec.add_argument("--replace", action="store_true", help="ghi đè cuộc sinh hoạt đã có của tháng")
    st = actions.add_parser("status", parents=[common], help="tình hình sinh hoạt chi bộ của một tháng")
    st.add_argument("--month", type=_month, required=True, metavar="YYYY-MM")
    st.add_argument("--org", help="mã đảng bộ cơ sở (mặc định toàn Đảng bộ)")
    st.add_argument("-o", "--output", type=Path, metavar="TỆP.xlsx", help="xuất báo cáo Excel để in")
    yr = actions.add_parser("year", parents=[common], help="tổng hợp sinh hoạt chi bộ của một năm")
    yr.add_argument("--year", type=_year, required=True, metavar="YYYY")
    yr.add_argument("--org", help="mã đảng bộ cơ sở (mặc định toàn Đảng bộ)")
    yr.add_argument("-o", "--output", type=Path, metavar="TỆP.xlsx", help="xuất báo cáo Excel để in")
    actions.add_parser("criteria", parents=[common], help="phiếu chấm điểm đang áp dụng (mã tiêu chí)")
    tp = actions.add_parser("template", parents=[common], help="lập tệp Excel báo cáo tháng của một đảng bộ cơ sở")
    tp.add_argument("--org", required=True, help="mã đảng bộ cơ sở hoặc chi bộ cơ sở")
    tp.add_argument("--month", type=_month, required=True, metavar="YYYY-MM")
    tp.add_argument("-o", "--output", type=Path, required=True, metavar="TỆP.xlsx")
    im = actions.add_parser("import", parents=[common], help="nhập tệp Excel báo cáo tháng (tất cả hoặc không)")
    im.add_argument("xlsx", type=Path, metavar="TỆP.xlsx")
    im.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    im.add_argument("--replace", action="store_true", help="ghi đè số liệu đã có của tháng (sau khi xem thay đổi)")
    return {"meetings": cmd_meetings}


HANDLERS = {"record": cmd_record, "status": cmd_status, "year": cmd_year, "criteria": cmd_criteria,
            "template": cmd_template, "import": cmd_import}


def cmd_meetings(args: argparse.Namespace) -> Output:
    return HANDLERS[args.meetings_command](args)



