"""What the meeting screens show before a clerk types: the chi bộ, its members on the day, the sheet in force,
the meeting already recorded, and the organizations to pick a report's scope from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import NotFoundError
from khoi_desktop.core.meetings.criteria import CriteriaSheet, load_sheets
from khoi_desktop.core.meetings.models import Meeting, MeetingKind
from khoi_desktop.core.meetings.recording import roster, stored_view
from khoi_desktop.core.members import MemberRow
from khoi_desktop.core.models import Organization, OrgKind


@dataclass(frozen=True)
class MeetingForm:
    org_code: str
    org_name: str
    founded_on: dt.date
    ended_on: dt.date | None
    day: dt.date  # the day whose members are listed
    members: list[MemberRow]
    sheet: CriteriaSheet
    stored: dict[str, Any] | None  # recording.stored_view of the month's meeting of this kind


def meeting_form(session: Session, org_id: int, kind: MeetingKind, month: dt.date, day: dt.date) -> MeetingForm:
    org = session.get(Organization, org_id)
    if org is None:
        raise NotFoundError("Không tìm thấy tổ chức đảng này.", code="org_not_found")
    meeting_id = session.scalar(select(Meeting.id).where(Meeting.org_id == org_id, Meeting.month == month,
                                                         Meeting.kind == kind))
    stored = stored_view(session, meeting_id) if meeting_id is not None else None
    if stored and (stored["held_on"] or stored["planned_on"]):
        day = dt.date.fromisoformat(stored["held_on"] or stored["planned_on"])
    return MeetingForm(org.code, org.name, org.founded_on, org.ended_on, day, roster(session, org_id, day),
                       load_sheets(session)[kind], stored)


def tccsd_choices(session: Session, month: dt.date) -> list[tuple[str, str]]:
    """(code, name) of the đảng bộ cơ sở and chi bộ cơ sở that existed in the month."""
    rows = session.execute(
        select(Organization.code, Organization.name)
        .where(Organization.kind.in_((OrgKind.DANG_BO_CO_SO, OrgKind.CHI_BO_CO_SO)), Organization.founded_on <= month,
               or_(Organization.ended_on.is_(None), Organization.ended_on > month))
        .order_by(Organization.code)).all()
    return [(r.code, r.name) for r in rows]
