"""Command line for members' party lives (README, "Đảng viên: kết nạp, chính thức, chuyển, ra khỏi Đảng"):
`probation FILE --due-by DATE` and `badges FILE --occasion DATE`. The member actions themselves go through
`apply` like every decision."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.cli.common import Output, database_arg, date_arg, open_existing, use_stored_codes

if TYPE_CHECKING:
    from khoi_desktop.core.member_events.lists import ListedMember


def _row(m: ListedMember) -> dict[str, Any]:
    return {"code": m.code, "full_name": m.full_name, "org": m.org, "org_name": m.org_name,
            "admitted_on": m.admitted_on.isoformat() if m.admitted_on else None}


def cmd_probation(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.member_events.lists import probation_due
    from khoi_desktop.core.text import show_date

    with open_existing(args.file).reading() as session:
        listed = probation_due(session, args.due_by, as_of=args.as_of)
    today = args.as_of or dt.date.today()
    data = [{**_row(m), "due_on": m.due_on.isoformat() if m.due_on else None,
             "overdue": m.due_on is not None and m.due_on < today} for m in listed]
    lines = [f"{m.code}  {m.full_name}  {m.org or ''}  vào Đảng {show_date(m.admitted_on)}  đủ 12 tháng "
             f"{show_date(m.due_on)}{'  (quá hạn)' if row['overdue'] else ''}"
             for m, row in zip(listed, data, strict=True)]
    overdue = sum(row["overdue"] for row in data)
    lines.append(f"Tổng số: {len(listed)} đảng viên dự bị đến hạn xét công nhận chính thức đến ngày "
                 f"{show_date(args.due_by)}" + (f", trong đó {overdue} đã quá hạn." if overdue else "."))
    return Output({"due_by": args.due_by.isoformat(), "members": data}, "\n".join(lines))


def cmd_badges(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.member_events.lists import badges
    from khoi_desktop.core.text import show_date

    with open_existing(args.file).reading() as session:
        listed = badges(session, args.occasion)
        if args.xlsx is not None:
            from khoi_desktop.spreadsheets.exports import ExportKind, ExportOptions, export

            export(session, ExportKind.BADGES, args.xlsx, ExportOptions(as_of=args.occasion))
    data = [{**_row(m), "party_years": m.party_years, "reached_on": m.reached_on.isoformat() if m.reached_on else None,
             "party_age_from": day.isoformat() if (day := m.age_from or m.admitted_on) else None,
             "gap_days": m.gap_days} for m in listed]
    lines = [f"{m.code}  {m.full_name}  {m.org or ''}  {m.party_years} năm tuổi đảng "
             f"(đủ ngày {show_date(m.reached_on)})" for m in listed]
    lines.append(f"Tổng số: {len(listed)} đảng viên đề nghị tặng Huy hiệu Đảng dịp {show_date(args.occasion)}.")
    answer: dict[str, Any] = {"occasion": args.occasion.isoformat(), "members": data}
    if args.xlsx is not None:
        answer["path"] = str(args.xlsx)
        lines.append(f"Đã xuất danh sách đề nghị → {args.xlsx}")
    return Output(answer, "\n".join(lines))


def cmd_letter(args: argparse.Namespace) -> Output:
    from khoi_desktop.cli.documents import check_output, write_output
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.errors import FileUnwritable, ValidationError
    from khoi_desktop.core.member_events.letters import issue_letter
    from khoi_desktop.documents import render_pdf

    # Checked first: the letter takes the next number of the register when it is issued.
    check_output(args.output, ".pdf", "PDF")
    db = open_existing(args.file)
    with db.writing() as session:
        use_stored_codes(session, args)
        letter = issue_letter(session, args.member, on=args.on or dt.date.today(), actor=os_user(),
                              render=render_pdf, signer=args.signer)
        answer = {"ok": True, "id": letter.id, "code": letter.code, "number": letter.number,
                  "issued_on": letter.issued_on.isoformat() if letter.issued_on else None, "member": args.member}
        pdf = letter.pdf
    text = f"Đã cấp giấy giới thiệu sinh hoạt đảng số {answer['code']}."
    if args.output is not None and pdf is not None:
        try:
            made = write_output(args.output, pdf, json_output=args.json)
        except FileUnwritable as exc:  # issued all the same: say so, and how to print it again
            raise ValidationError(f"{text} {exc.message} In lại bằng lệnh: khoi-desktop pdf {args.file} "
                                  f"{answer['code']} -o TỆP.pdf", code=exc.code) from None
        answer["path"], answer["created_folder"] = str(args.output), str(made) if made else None
        text = f"{text[:-1]}, đã ghi ra {args.output}."
    return Output(answer, text)


def cmd_slip(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.member_events.letters import record_slip
    from khoi_desktop.core.text import show_date

    db = open_existing(args.file)
    with db.writing() as session:
        use_stored_codes(session, args)
        event = record_slip(session, args.member, returned_on=args.returned_on, actor=os_user())
        code = event.letter_code
    return Output({"ok": True, "member": args.member, "letter": code, "returned_on": args.returned_on.isoformat()},
                  f"Đã ghi nhận phiếu báo của giấy giới thiệu số {code} (ngày {show_date(args.returned_on)}).")


def cmd_admissions(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.member_events.target import admission_target

    with open_existing(args.file).reading() as session:
        found = admission_target(session, args.term, today=args.as_of)
    data = {
        "term": found.term, "from": found.start.isoformat(), "to": found.end.isoformat(), "percent": found.percent,
        "opening": found.opening, "admitted": found.total, "admitted_percent": round(found.total_percent, 2),
        "yearly_percent": round(found.yearly_percent, 2),
        "years": [{"year": y.year, "from": y.start.isoformat(), "to": y.end.isoformat(), "admitted": y.admitted,
                   "target": y.target, "met": y.met} for y in found.years],
        "bodies": [{"code": b.code, "name": b.name, "opening": b.opening, "target": b.target,
                    "admitted": {str(y): n for y, n in b.admitted.items()}, "total": b.total} for b in found.bodies],
    }
    lines = [found.sentence()]
    lines += [f"  Năm {y.year}: kết nạp {y.admitted}, chỉ tiêu {y.target}" + ("" if y.met else " (chưa đạt)")
              for y in found.years]
    lines += [f"  {b.code}  {b.name}: đầu nhiệm kỳ {b.opening}, kết nạp {b.total}" for b in found.bodies if b.total]
    return Output(data, "\n".join(lines))


def cmd_admitting_bodies(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.member_events.authority import set_admitting_bodies

    db = open_existing(args.file)
    with db.writing() if args.add or args.remove else db.reading() as session:
        bodies = set_admitting_bodies(session, add=args.add or [], remove=args.remove or [])
    data = {"ok": True, "bodies": [{"code": code, "name": name} for code, name in bodies]}
    lines = [f"{code}  {name}" for code, name in bodies]
    lines.append(f"{len(bodies)} đảng bộ cơ sở được ủy quyền kết nạp đảng viên." if bodies
                 else "Chưa có đảng bộ cơ sở nào được ủy quyền kết nạp đảng viên: Ban Thường vụ quyết định.")
    return Output(data, "\n".join(lines))


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Callable[[argparse.Namespace], Output]]:
    probation = commands.add_parser("probation", parents=[common],
                                    help="đảng viên dự bị đến hạn (và quá hạn) xét công nhận chính thức")
    probation.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    probation.add_argument("--due-by", type=date_arg, required=True, help="đến hạn trước hoặc vào ngày (YYYY-MM-DD)")
    probation.add_argument("--as-of", type=date_arg, help="danh sách đảng viên tính đến ngày, mặc định ngày --due-by")
    badge = commands.add_parser("badges", parents=[common], help="đảng viên đủ tuổi đảng xét tặng Huy hiệu Đảng")
    badge.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    badge.add_argument("--occasion", type=date_arg, required=True,
                       help="dịp xét tặng: 03/02, 19/05, 02/09 hoặc 07/11 của một năm (YYYY-MM-DD)")
    badge.add_argument("--xlsx", type=Path, help="xuất danh sách đề nghị tặng Huy hiệu Đảng ra tệp Excel")
    letter = commands.add_parser("letter", parents=[common],
                                 help="cấp giấy giới thiệu sinh hoạt đảng cho đảng viên chuyển ra ngoài Đảng bộ")
    letter.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    letter.add_argument("member", metavar="MÃ_ĐẢNG_VIÊN")
    letter.add_argument("--on", type=date_arg, help="ngày cấp (YYYY-MM-DD), mặc định hôm nay")
    letter.add_argument("--signer", metavar="HỌ_TÊN",
                        help="người ký (một người ký trong cài đặt); mặc định người đã ký quyết định chuyển")
    letter.add_argument("-o", "--output", type=Path, help="lưu bản PDF vào tệp")
    slip = commands.add_parser("slip", parents=[common], help="ghi nhận phiếu báo đã tiếp nhận sinh hoạt đảng")
    slip.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    slip.add_argument("member", metavar="MÃ_ĐẢNG_VIÊN")
    slip.add_argument("--returned-on", type=date_arg, required=True, help="ngày nhận phiếu báo (YYYY-MM-DD)")
    admissions = commands.add_parser("admissions", parents=[common],
                                     help="kết nạp đảng viên từng năm của nhiệm kỳ so với chỉ tiêu")
    admissions.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    admissions.add_argument("--term", help="tên nhiệm kỳ (mặc định nhiệm kỳ hiện tại)")
    admissions.add_argument("--as-of", type=date_arg, help="tính đến ngày (mặc định hôm nay)")
    bodies = commands.add_parser("admitting-bodies", parents=[common],
                                 help="đảng bộ cơ sở được ủy quyền kết nạp đảng viên (xem, thêm, bỏ)")
    bodies.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    bodies.add_argument("--add", action="append", metavar="MÃ", help="ủy quyền cho đảng bộ cơ sở này")
    bodies.add_argument("--remove", action="append", metavar="MÃ", help="thôi ủy quyền cho đảng bộ cơ sở này")
    return {"probation": cmd_probation, "badges": cmd_badges, "letter": cmd_letter, "slip": cmd_slip,
            "admissions": cmd_admissions, "admitting-bodies": cmd_admitting_bodies}
