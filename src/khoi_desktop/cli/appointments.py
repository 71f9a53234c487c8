"""Command line of appointments: the term summary (CLI.md `appointments`), an organization's committee and
the register of submissions. Requests themselves (appoint, approve_election, end_seat) go through `apply`."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.cli.common import Output, codes_arg, database_arg, date_arg, open_existing, use_stored_codes
from khoi_desktop.core.errors import OrgNotFound
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.text import show_date

if TYPE_CHECKING:
    from khoi_desktop.core.appointments.submissions import SubmissionRow


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def cmd_appointments(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.appointments.summary import term_summary
    from khoi_desktop.core.decisions import term_on

    db = open_existing(args.file)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            name = args.term or term_on(session, dt.date.today()).name
            summary = term_summary(session, name)
    finally:
        db.close()
    orgs = [{"org": o.org_code, "name": o.org_name, **o.as_dict()} for o in summary.orgs]
    data = {"term": summary.term, **summary.total.as_dict(), "orgs": orgs}
    lines = [summary.sentence()]
    lines += [f"  {o.org_code}  {o.org_name}: {o.decisions} quyết định, {o.cap_uy_vien} cấp ủy viên, "
              f"{o.uy_vien_btv} ủy viên BTV, {o.bi_thu} bí thư, {o.pho_bi_thu} phó bí thư" for o in summary.orgs]
    return Output(data, "\n".join(lines))


def cmd_committee(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.appointments.committees import committee_view, show_term
    from khoi_desktop.core.tree import load_snapshot

    as_of = args.as_of or dt.date.today()
    db = open_existing(args.file)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            snapshot = load_snapshot(session, as_of, include_ended=True)
            node = snapshot.by_code(args.org)
            if node is None:
                from khoi_desktop.core.code_hints import org_code_hint

                raise OrgNotFound(args.org, on=as_of, hint=org_code_hint(session, args.org))
            view = committee_view(session, node.id, as_of, snapshot)
            ended = node.ended_on if not node.active else None
    finally:
        db.close()
    term = view.term
    data = {
        "org": view.org_code, "name": view.org_name, "as_of": as_of.isoformat(),
        "term": term.label if term else None, "size": term.size if term else None,
        "size_recorded": term.size_recorded if term else False,
        "starts_on": _iso(term.starts_on) if term else None, "ends_on": _iso(term.ends_on) if term else None,
        "ends_soon": view.ends_soon,
        "members": [{"code": h.member_code, "full_name": h.full_name, "roles": [r.value for r in h.roles],
                     "since": h.since.isoformat(), "decisions": h.decisions, "in_org": h.still_member}
                    for h in view.holders],
        "vacancies": view.vacancies,
    }
    if ended is not None:  # dissolved, merged …: its committee ended with it (not «no committee»)
        data["org_ended_on"] = ended.isoformat()
        before = (ended - dt.timedelta(days=1)).isoformat()
        return Output(data, f"{view.org_name} đã kết thúc hoạt động ngày {show_date(ended)}, cấp ủy kết thúc theo; "
                            f"cấp ủy trước đó xem bằng --as-of {before}.")
    head = f"{view.org_name}: " + (f"nhiệm kỳ {show_term(term.label)}" if term else "chưa có cấp ủy")
    if term and term.size:
        head += f", số lượng {term.size}" + ("" if term.size_recorded else " (theo số bầu đầu nhiệm kỳ)")
    if term and term.ends_on:
        head += f", hết nhiệm kỳ ngày {show_date(term.ends_on)}"
    lines = [head] + [f"  {h.full_name} ({h.member_code}): {view.names.roles_text(h.roles)}" for h in view.holders]
    lines += [f"  Khuyết: {v}" for v in view.vacancies] + ([f"  {view.term_end_note}"] if view.term_end_note else [])
    return Output(data, "\n".join(lines))


def submission_json(row: SubmissionRow) -> dict[str, Any]:
    return {"id": row.id, "number": row.register_number, "dated_on": _iso(row.dated_on),
            "received_on": row.received_on.isoformat(), "org": row.org_code, "subject": row.subject,
            "members": [code for code, _ in row.members], "status": row.status.value, "age_days": row.age_days,
            "decision": row.decision_code or (row.decision_id if row.decision_id else None),
            "returned_reason": row.returned_reason,
            "files": [{"id": fid, "name": name, "sha256": sha} for fid, name, sha in row.files]}


def cmd_submissions(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.appointments.submissions import list_submissions

    db = open_existing(args.file)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            rows = list_submissions(session, today=dt.date.today(), pending_only=args.pending)
    finally:
        db.close()
    lines = [f"{r.id}. Tờ trình số {r.register_number} ({show_date(r.received_on)}) của {r.org_name}: {r.subject}"
             f" – {r.status.label}, {r.age_days} ngày" for r in rows]
    lines.append(f"Tổng số: {thousands(len(rows))} tờ trình.")
    return Output({"submissions": [submission_json(r) for r in rows]}, "\n".join(lines))


def cmd_submit(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.appointments.submission_files import read_pdf
    from khoi_desktop.core.appointments.submissions import register_submission
    from khoi_desktop.core.audit import os_user

    members = args.members or []
    files = [read_pdf(path) for path in args.attach]
    db = open_existing(args.file)
    try:
        with db.writing() as session:
            use_stored_codes(session, args)
            row = register_submission(session, register_number=args.number, received_on=args.received or
                                      dt.date.today(), dated_on=args.dated, org_code=args.org, subject=args.subject,
                                      members=members, actor=os_user(), today=dt.date.today(), files=files)
    finally:
        db.close()
    return Output({"ok": True, "submission": submission_json(row)},
                  f"Đã vào sổ Tờ trình số {row.register_number} của {row.org_name} (số thứ tự {row.id}).")


def cmd_return_submission(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.appointments.submissions import return_submission
    from khoi_desktop.core.audit import os_user

    db = open_existing(args.file)
    try:
        with db.writing() as session:
            use_stored_codes(session, args)
            return_submission(session, args.id, reason=args.reason, on=dt.date.today(), actor=os_user())
    finally:
        db.close()
    return Output({"ok": True}, f"Đã trả lại tờ trình số thứ tự {args.id}.")


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Any]:
    summary = commands.add_parser("appointments", parents=[common],
                                  help="tổng hợp chỉ định, chuẩn y cấp ủy trong một nhiệm kỳ")
    summary.add_argument("file", type=database_arg)
    summary.add_argument("--term", help="nhiệm kỳ của Đảng ủy Khối, ví dụ 2020-2025 (mặc định: nhiệm kỳ hiện tại)")
    committee = commands.add_parser("committee", parents=[common], help="cấp ủy hiện tại của một tổ chức đảng")
    committee.add_argument("file", type=database_arg)
    committee.add_argument("org", help="mã tổ chức đảng")
    committee.add_argument("--as-of", type=date_arg)
    subs = commands.add_parser("submissions", parents=[common], help="sổ tờ trình đề nghị chỉ định, chuẩn y")
    subs.add_argument("file", type=database_arg)
    subs.add_argument("--pending", action="store_true", help="chỉ các tờ trình chưa giải quyết")
    submit = commands.add_parser("submit", parents=[common], help="vào sổ một tờ trình")
    submit.add_argument("file", type=database_arg)
    submit.add_argument("--number", required=True, help="số tờ trình, ví dụ 15-TTr/ĐU")
    submit.add_argument("--org", required=True, help="mã tổ chức đảng gửi tờ trình")
    submit.add_argument("--subject", required=True, help="nội dung đề nghị")
    submit.add_argument("--members", type=codes_arg, help="mã các đảng viên được đề nghị, cách nhau bởi dấu phẩy")
    submit.add_argument("--received", type=date_arg, help="ngày nhận (mặc định hôm nay)")
    submit.add_argument("--dated", type=date_arg, help="ngày ghi trên tờ trình")
    submit.add_argument("--attach", type=Path, action="append", default=[], metavar="TỆP.pdf",
                        help="bản quét tờ trình, hồ sơ kèm theo (PDF; dùng nhiều lần được)")
    back = commands.add_parser("return-submission", parents=[common], help="trả lại một tờ trình")
    back.add_argument("file", type=database_arg)
    back.add_argument("id", type=int, help="số thứ tự tờ trình trong sổ")
    back.add_argument("--reason", required=True, help="lý do trả lại (ghi vào sổ tờ trình)")
    return {"appointments": cmd_appointments, "committee": cmd_committee, "submissions": cmd_submissions,
            "submit": cmd_submit, "return-submission": cmd_return_submission}
