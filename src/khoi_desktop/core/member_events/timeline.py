"""A member's timeline: every dated event of their party life in one list, oldest first.

Read from what the app keeps: the member's events (admission, recognition, transfers, temporary transfers,
exemptions, leaving, with the giấy giới thiệu and its slip), memberships the events do not explain (imported
lists, restructuring decisions), the party dates of members entered from a list, committee seats, and the
meetings missed. Each line names the decision behind it when there is one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.meetings.models import Attendance, AttendanceStatus, Meeting
from khoi_desktop.core.member_events.lists import party_dates
from khoi_desktop.core.member_events.models import LEAVING, EventKind, MemberEvent, Readmission
from khoi_desktop.core.models import CommitteeSeat, Decision, Member, Membership, MoveReason, Organization
from khoi_desktop.core.text import show_date


@dataclass(frozen=True)
class TimelineLine:
    on: dt.date
    what: str
    decision: str | None = None  # the decision's number ("12-QĐ/ĐUK"), None without one


START_WORDS = {
    MoveReason.KET_NAP: "Kết nạp vào Đảng, sinh hoạt tại {org}",
    MoveReason.CHUYEN_DEN: "Chuyển đến sinh hoạt tại {org}",
    MoveReason.TIEP_NHAN: "Tiếp nhận cùng tổ chức, sinh hoạt tại {org}",
    MoveReason.CHUYEN_SINH_HOAT: "Chuyển sinh hoạt đến {org}",
    MoveReason.DANH_SACH: "Sinh hoạt tại {org} (theo danh sách đảng viên đã có)",
}
END_WORDS = {
    MoveReason.CHUYEN_DI: "Chuyển sinh hoạt ra ngoài Đảng bộ (từ {org})",
    MoveReason.BAN_GIAO: "Bàn giao cùng tổ chức ra ngoài Đảng bộ (từ {org})",
    MoveReason.TU_TRAN: "Từ trần",
    MoveReason.KHAI_TRU: "Khai trừ ra khỏi Đảng",
    MoveReason.XOA_TEN: "Xóa tên trong danh sách đảng viên",
    MoveReason.XIN_RA: "Xin ra khỏi Đảng",
}
# Events whose line the membership already gives (the membership names the chi bộ).
SHOWN_BY_MEMBERSHIP = frozenset({EventKind.KET_NAP, EventKind.CHUYEN_SINH_HOAT, EventKind.TU_TRAN,
                                 EventKind.XIN_RA, EventKind.XOA_TEN, EventKind.KHAI_TRU})


def _event_line(event: MemberEvent, orgs: dict[int, str]) -> str:
    kind = EventKind(event.kind)
    where = orgs.get(event.to_org_id) if event.to_org_id else event.body
    if kind is EventKind.TAM_THOI:
        until = f" đến ngày {show_date(event.until)}" if event.until else ""
        return f"Chuyển sinh hoạt đảng tạm thời đến {where or ''}{until}"
    if kind is EventKind.CHUYEN_DI:
        return f"Chuyển sinh hoạt đảng chính thức đến {event.body or ''}"
    if kind is EventKind.CHUYEN_DEN:
        return f"Tiếp nhận sinh hoạt đảng từ {event.body or ''}" + (f", sinh hoạt tại {where}" if where else "")
    return kind.label


def member_timeline(session: Session, member: Member, *, linked: bool = True) -> list[TimelineLine]:
    """Every dated line of the member's party life; with `linked`, a re-admitted member's earlier record too."""
    codes = dict(session.execute(select(Decision.id, Decision.code).where(Decision.id.in_(
        select(MemberEvent.decision_id).where(MemberEvent.member_id == member.id).union(
            select(Membership.decision_id).where(Membership.member_id == member.id),
            select(CommitteeSeat.decision_id).where(CommitteeSeat.member_id == member.id))))).tuples().all())
    orgs = dict(session.execute(select(Organization.id, Organization.name)).tuples().all())
    lines: list[TimelineLine] = []
    events = list(session.scalars(select(MemberEvent).where(MemberEvent.member_id == member.id)))
    kinds = {EventKind(e.kind) for e in events}
    explained = {(e.on, e.decision_id) for e in events if EventKind(e.kind) not in SHOWN_BY_MEMBERSHIP}
    for e in events:
        if EventKind(e.kind) not in SHOWN_BY_MEMBERSHIP:
            lines.append(TimelineLine(e.on, _event_line(e, orgs), codes.get(e.decision_id)))  # type: ignore[arg-type]
        if e.letter_code:
            lines.append(TimelineLine(e.on, f"Giấy giới thiệu sinh hoạt đảng số {e.letter_code}"))
        if e.slip_returned_on:
            lines.append(TimelineLine(e.slip_returned_on, "Nhận phiếu báo đã tiếp nhận sinh hoạt đảng"))
    for m in session.scalars(select(Membership).where(Membership.member_id == member.id)):
        org = orgs.get(m.org_id, "")
        start = MoveReason(m.start_reason) if m.start_reason else None
        if (m.valid_from, m.decision_id) not in explained:
            words = START_WORDS.get(start, "Sinh hoạt tại {org}") if start else "Sinh hoạt tại {org}"
            lines.append(TimelineLine(m.valid_from, words.format(org=org), codes.get(m.decision_id)))  # type: ignore[arg-type]
        end = MoveReason(m.end_reason) if m.end_reason else None
        if m.valid_to is None or end not in END_WORDS or (end is MoveReason.CHUYEN_DI and EventKind.CHUYEN_DI in kinds):
            continue
        # A leaving's decision is on its event (a membership's end keeps none).
        ended_by = next((e.decision_id for e in events if e.on == m.valid_to and EventKind(e.kind) in LEAVING), None)
        lines.append(TimelineLine(m.valid_to, END_WORDS[end].format(org=org),  # type: ignore[index]
                                  codes.get(ended_by) if ended_by else None))
    if member.admitted_on and EventKind.KET_NAP not in kinds and not any(
            line.what.startswith("Kết nạp") for line in lines):
        lines.append(TimelineLine(member.admitted_on, "Vào Đảng"))
    if member.full_member_on and EventKind.CHINH_THUC not in kinds:
        lines.append(TimelineLine(member.full_member_on, "Đảng viên chính thức"))
    if member.exempt_since and EventKind.MIEN_SINH_HOAT not in kinds:
        lines.append(TimelineLine(member.exempt_since, "Miễn sinh hoạt đảng"))
    if member.party_age_from:
        gap = f", trừ {member.party_age_gap_days} ngày không sinh hoạt đảng" if member.party_age_gap_days else ""
        lines.append(TimelineLine(member.party_age_from, f"Kết nạp lần đầu (tuổi đảng tính từ ngày này{gap})"))
    elif member.party_age_gap_days and member.admitted_on:
        lines.append(TimelineLine(member.admitted_on, f"Tuổi đảng tính từ ngày vào Đảng, trừ "
                                                      f"{member.party_age_gap_days} ngày gián đoạn sinh hoạt đảng"))
    for seat in session.scalars(select(CommitteeSeat).where(CommitteeSeat.member_id == member.id)):
        org = orgs.get(seat.org_id, "")
        lines.append(TimelineLine(seat.valid_from, f"{seat.role.label} {org}, nhiệm kỳ {seat.term}",
                                  codes.get(seat.decision_id)))  # type: ignore[arg-type]
        if seat.valid_to is not None:
            lines.append(TimelineLine(seat.valid_to, f"Thôi {seat.role.label.lower()} {org}"
                                      + (f" ({seat.end_reason})" if seat.end_reason else "")))
    for held, org_id, reason in session.execute(
            select(Meeting.held_on, Meeting.org_id, Attendance.reason)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.member_id == member.id, Attendance.status == AttendanceStatus.ABSENT)):
        if held is not None:
            why = f" (lý do: {reason})" if reason else " (không có lý do)"
            lines.append(TimelineLine(held, f"Vắng sinh hoạt {orgs.get(org_id, '')}{why}"))
    again = _readmission_lines(session, member, linked)
    if any(line.what.startswith("Gián đoạn sinh hoạt đảng") for line in again):
        lines = [TimelineLine(line.on, line.what.replace("Kết nạp vào Đảng", "Kết nạp lại vào Đảng", 1), line.decision)
                 if line.on == member.admitted_on else line for line in lines]
    lines += again
    order = {line: i for i, line in enumerate(lines)}
    return sorted(lines, key=lambda line: (line.on, order[line]))


def _readmission_lines(session: Session, member: Member, linked: bool) -> list[TimelineLine]:
    """A re-admitted member's history goes on from the record they left (its lines come first), with the
    interruption between; the old record points to the new one."""
    lines: list[TimelineLine] = []
    if not linked:  # the earlier record's lines, shown in the later one's
        return lines
    earlier = session.get(Readmission, member.id)
    if earlier is not None:
        old = session.get(Member, earlier.previous_member_id)
        if old is not None:
            lines += [TimelineLine(line.on, f"{line.what} (hồ sơ trước, mã {old.code})", line.decision)
                      for line in member_timeline(session, old, linked=False)]
            left = party_dates(session, [old.id])[old.id].left_on
            if left is not None and member.admitted_on is not None:
                days = (member.admitted_on - left).days
                lines.append(TimelineLine(left, f"Gián đoạn sinh hoạt đảng từ ngày {show_date(left)} đến ngày "
                                                f"{show_date(member.admitted_on)} ({days} ngày, không tính tuổi đảng)"))
    later = session.scalars(select(Readmission).where(Readmission.previous_member_id == member.id)).first()
    if later is not None:
        new = session.get(Member, later.member_id)
        if new is not None and new.admitted_on is not None:
            lines.append(TimelineLine(new.admitted_on, f"Được kết nạp lại vào Đảng (hồ sơ mới, mã {new.code})"))
    return lines
