"""Member findings beside the Charter checks: transfers out whose slip has not come back after 30 days
(rule `transfer_unconfirmed`). Overdue probation is the `probation` list's job (imported lists often lack the
full-membership date, and would flood the findings)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.member_events.letters import SLIP_DAYS
from khoi_desktop.core.member_events.models import EventKind, MemberEvent
from khoi_desktop.core.models import Member, Membership
from khoi_desktop.core.rules import Finding
from khoi_desktop.core.text import show_date
from khoi_desktop.core.tree import OrgSnapshot


def member_findings(session: Session, snapshot: OrgSnapshot) -> list[Finding]:
    as_of = snapshot.as_of
    found: list[Finding] = []
    late = as_of - dt.timedelta(days=SLIP_DAYS)
    rows = session.execute(select(MemberEvent, Member).join(Member, Member.id == MemberEvent.member_id).where(
        MemberEvent.kind.in_([EventKind.CHUYEN_DI.value, EventKind.TAM_THOI.value]),
        MemberEvent.body.is_not(None), MemberEvent.on <= late,
        or_(MemberEvent.slip_returned_on.is_(None), MemberEvent.slip_returned_on > as_of)))
    for event, member in rows:
        org_id = session.scalar(select(Membership.org_id).where(
            Membership.member_id == member.id, Membership.valid_from <= event.on)
            .order_by(Membership.valid_from.desc()))
        node = snapshot.nodes.get(org_id) if org_id is not None else None
        letter = f"giấy giới thiệu số {event.letter_code}" if event.letter_code else "chưa cấp giấy giới thiệu"
        found.append(Finding(
            node.id if node else 0, node.code if node else "", node.name if node else "", "transfer_unconfirmed",
            "warning", node.members if node else 0,
            f"Đảng viên {member.full_name} ({member.code}) chuyển sinh hoạt đến {event.body} từ ngày "
            f"{show_date(event.on)} ({letter}): sau {SLIP_DAYS} ngày chưa nhận được phiếu báo tiếp nhận."))
    return found
