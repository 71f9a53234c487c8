"""Command line for members' party lives (README, "Đảng viên: kết nạp, chính thức, chuyển, ra khỏi Đảng"):
`probation FILE --due-by DATE` and `badges FILE --occasion DATE`. The member actions themselves go through
`apply` like every decision."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.cli.common import Output, date_arg, open_existing

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
             f"{show_date(m.due_on)}" for m in listed]
    lines.append(f"Tổng số: {len(listed)} đảng viên dự bị đến hạn xét công nhận chính thức đến ngày "
                 f"{show_date(args.due_by)}.")
    return Output({"due_by": args.due_by.isoformat(), "members": data}, "\n".join(lines))


def cmd_badges(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.member_events.lists import badges
    from khoi_desktop.core.text import show_date

    with open_existing(args.file).reading() as session:
        listed = badges(session, args.occasion)
    data = [{**_row(m), "party_years": m.party_years} for m in listed]
    lines = [f"{m.code}  {m.full_name}  {m.org or ''}  {m.party_years} năm tuổi đảng" for m in listed]
    lines.append(f"Tổng số: {len(listed)} đảng viên đề nghị tặng Huy hiệu Đảng dịp {show_date(args.occasion)}.")
    return Output({"occasion": args.occasion.isoformat(), "members": data}, "\n".join(lines))


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Callable[[argparse.Namespace], Output]]:
    probation = commands.add_parser("probation", parents=[common],
                                    help="đảng viên dự bị đến hạn (và quá hạn) xét công nhận chính thức")
    probation.add_argument("file", type=Path, metavar="TỆP", help="tệp cơ sở dữ liệu")
    probation.add_argument("--due-by", type=date_arg, required=True, help="đến hạn trước hoặc vào ngày (YYYY-MM-DD)")
    probation.add_argument("--as-of", type=date_arg, help="danh sách đảng viên tính đến ngày, mặc định ngày --due-by")
    badge = commands.add_parser("badges", parents=[common], help="đảng viên đủ tuổi đảng xét tặng Huy hiệu Đảng")
    badge.add_argument("file", type=Path, metavar="TỆP", help="tệp cơ sở dữ liệu")
    badge.add_argument("--occasion", type=date_arg, required=True,
                       help="dịp xét tặng: 03/02, 19/05, 02/09 hoặc 07/11 của một năm (YYYY-MM-DD)")
    return {"probation": cmd_probation, "badges": cmd_badges}
