"""Meeting findings beside the Charter checks: months not reported, quarters without a thematic meeting,
members absent without a reason three times or more in the calendar year (Điều lệ Đảng, Điều 8: the chi bộ
considers it; the app only shows it).

Rule ids: meeting_missing, no_thematic_meeting, member_absent_3_times. Looked at: the finished months before
the date's month (twelve by default, a threshold in the settings; none before the first month any meeting was
recorded), and the quarters wholly within them. The absence limit (3) is a threshold in the settings too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import String, and_, cast, func, select
from sqlalchemy.orm import Session

from khoi_desktop.core.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind
from khoi_desktop.core.meetings.scope import add_months, load_scope, month_end
from khoi_desktop.core.models import Member, Membership
from khoi_desktop.core.plain_rows import plain_rows
from khoi_desktop.core.rules import Finding
from khoi_desktop.core.settings import Thresholds, load_settings
from khoi_desktop.core.text import show_date
from khoi_desktop.core.tree import OrgSnapshot, valid_on


def _months_text(months: list[dt.date]) -> str:
    return ", ".join(f"{m.month:02d}/{m.year}" for m in months)


def meeting_findings(session: Session, snapshot: OrgSnapshot, as_of: dt.date | None = None) -> list[Finding]:
    """The three meeting rules as of `as_of` (default the snapshot's date), for chi bộ active on that date."""
    as_of = as_of or snapshot.as_of
    this_month = as_of.replace(day=1)
    # Meetings are followed from the first month the office recorded one: a database that never used this part
    # of the app (or an office that started in March) is not flooded with months nobody was asked to report.
    following_since = session.scalar(select(func.min(Meeting.month)))
    if following_since is None:
        return []
    limits = load_settings(session).thresholds  # figures an administrator edits, not constants
    first = max(add_months(this_month, -limits.meeting_lookback_months), following_since.replace(day=1))
    months = [add_months(first, i) for i in range((this_month.year - first.year) * 12 + this_month.month - first.month)]
    if not months:
        return _absentees(session, snapshot, as_of, limits)
    ends = [month_end(m) for m in months]
    scope = load_scope(session, first, ends[-1])
    chi_bo = [c for c in scope.chi_bo if c.id in snapshot.nodes and snapshot.nodes[c.id].active]
    # (chi bộ, month as ISO text, kind) of every meeting held: plain text, no per-row ORM processing (scale 20:
    # some 110.000 rows on each refresh of the main window).
    held = set(plain_rows(session, select(Meeting.org_id, cast(Meeting.month, String), cast(Meeting.kind, String))
                          .where(Meeting.month >= first, Meeting.month <= months[-1], Meeting.held_on.is_not(None))))
    keys = [m.isoformat() for m in months]
    regular, thematic = MeetingKind.THUONG_KY.value, MeetingKind.CHUYEN_DE.value
    quarters = [range(i, i + 3) for i in range(len(months)) if months[i].month % 3 == 1 and i + 3 <= len(months)]
    found: list[Finding] = []
    for c in chi_bo:
        node = snapshot.nodes[c.id]
        owed = [c.exists_throughout(m, end) for m, end in zip(months, ends, strict=True)]
        missing = [months[i] for i in range(len(months)) if owed[i] and (c.id, keys[i], regular) not in held]
        if missing:
            found.append(Finding(c.id, c.code, c.name, "meeting_missing", "warning", node.members,
                                 f"{c.name} chưa báo cáo sinh hoạt thường kỳ {len(missing)} tháng: "
                                 f"{_months_text(missing)}."))
        without = [q for q in quarters if all(owed[i] for i in q) and not any((c.id, keys[i], thematic) in held
                                                                              for i in q)]
        if without:
            names = ", ".join(f"quý {(months[q[0]].month - 1) // 3 + 1}/{months[q[0]].year}" for q in without)
            found.append(Finding(c.id, c.code, c.name, "no_thematic_meeting", "warning", node.members,
                                 f"{c.name} không có sinh hoạt chuyên đề trong {names}."))
    found += _absentees(session, snapshot, as_of, limits)
    return found


def _absentees(session: Session, snapshot: OrgSnapshot, as_of: dt.date, limits: Thresholds) -> list[Finding]:
    """Members with `meeting_absence_limit` or more absences without a reason in as_of's calendar year."""
    start, end = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    days_by_member: dict[int, list[dt.date]] = defaultdict(list)
    for member_id, day in plain_rows(session,
            select(Attendance.member_id, cast(Meeting.held_on, String))
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.status == AttendanceStatus.ABSENT, Attendance.reason.is_(None),
                   Meeting.held_on >= start, Meeting.held_on <= min(end, as_of))):
        days_by_member[member_id].append(dt.date.fromisoformat(day))
    rows = sorted((m, sorted(days)) for m, days in days_by_member.items() if len(days) >= limits.meeting_absence_limit)
    if not rows:
        return []
    ids = [r[0] for r in rows]
    people = {r.id: r for r in session.execute(
        select(Member.id, Member.code, Member.family_name, Member.middle_name, Member.given_name, Membership.org_id)
        .outerjoin(Membership, and_(Membership.member_id == Member.id, valid_on(Membership, as_of)))
        .where(Member.id.in_(ids)))}
    found = []
    for member_id, days in rows:
        person = people.get(member_id)
        if person is None or person.org_id not in snapshot.nodes:
            continue  # left the Party or this committee: no chi bộ to consider it
        node = snapshot.nodes[person.org_id]
        name = " ".join(p for p in (person.family_name, person.middle_name, person.given_name) if p)
        dates = ", ".join(show_date(day) for day in days)
        found.append(Finding(node.id, node.code, node.name, "member_absent_3_times", "warning", node.members,
                             f"Đảng viên {name} ({person.code}), {node.name}, vắng sinh hoạt không có lý do "
                             f"{len(days)} lần trong năm {as_of.year} ({dates}): chi bộ xem xét theo Điều 8 Điều lệ "
                             "Đảng."))
    return found
