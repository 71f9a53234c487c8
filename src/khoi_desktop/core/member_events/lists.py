"""Lists read from members' lives: their party dates, probation due, Huy hiệu Đảng milestones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.dates import probation_ends
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.member_events.party_age import PartyAge, party_age
from khoi_desktop.core.members import members_of
from khoi_desktop.core.models import Member, Membership, MoveReason
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.text import show_date

# A membership ending for one of these reasons ends the member's party life in this office.
LEAVE_REASONS = (MoveReason.TU_TRAN, MoveReason.XIN_RA, MoveReason.XOA_TEN, MoveReason.KHAI_TRU)

# Huy hiệu Đảng: the party ages that qualify (then every 5 years from 75), and the days they are proposed on.
BADGE_MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75)
BADGE_OCCASIONS = ((2, 3), (5, 19), (9, 2), (11, 7))  # 3/2, 19/5, 2/9, 7/11 as (month, day)


@dataclass(frozen=True)
class PartyDates:
    admitted_on: dt.date | None
    full_on: dt.date | None
    left_on: dt.date | None
    leave_reason: str | None
    age: PartyAge | None = None  # party age: from the first admission, less the days outside the Party


def party_dates(session: Session, member_ids: Sequence[int]) -> dict[int, PartyDates]:
    """Admission, full membership and leaving (death, request, removal, expulsion) of each member."""
    found: dict[int, PartyDates] = {}
    ids = list(member_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        left = {row.member_id: (row.valid_to, row.end_reason) for row in session.execute(
            select(Membership.member_id, Membership.valid_to, Membership.end_reason).where(
                Membership.member_id.in_(chunk), Membership.end_reason.in_([r.value for r in LEAVE_REASONS])))}
        for row in session.execute(select(Member.id, Member.admitted_on, Member.full_member_on,
                                          Member.party_age_from, Member.party_age_gap_days)
                                   .where(Member.id.in_(chunk))):
            left_on, reason = left.get(row.id, (None, None))
            found[row.id] = PartyDates(row.admitted_on, row.full_member_on, left_on, reason,
                                       party_age(row.admitted_on, row.party_age_from, row.party_age_gap_days))
    return found


@dataclass(frozen=True)
class ListedMember:
    code: str
    full_name: str
    org: str | None
    org_name: str | None
    admitted_on: dt.date | None
    due_on: dt.date | None = None  # probation: the day the 12 months end
    party_years: int | None = None  # badges: the milestone reached
    reached_on: dt.date | None = None  # badges: the day it is reached
    age_from: dt.date | None = None  # badges: the first admission, when re-admitted
    gap_days: int = 0  # badges: days outside the Party, not counted


def probation_due(session: Session, due_by: dt.date, *, as_of: dt.date | None = None) -> list[ListedMember]:
    """Probationary members whose probation (12 months, the settings' threshold) ends on or before `due_by`
    (overdue ones included), earliest first."""
    day = as_of or due_by
    rows = [r for r in members_of(session, None, day) if r.status.value == "du_bi"]
    dates = party_dates(session, [r.id for r in rows])
    months = load_settings(session).thresholds.probation_months
    listed = []
    for r in rows:
        admitted, full_on = dates[r.id].admitted_on, dates[r.id].full_on
        if admitted is None or full_on is not None and full_on <= day:
            continue
        due = probation_ends(admitted, months)
        if due <= due_by:
            listed.append(ListedMember(r.code, r.full_name, r.org_code, r.org_name, admitted, due_on=due))
    return sorted(listed, key=lambda m: (m.due_on or dt.date.min, m.code))


def check_occasion(day: dt.date) -> None:
    if (day.month, day.day) not in BADGE_OCCASIONS:
        raise ValidationError(f"Ngày {show_date(day)} không phải dịp xét tặng Huy hiệu Đảng (03/02, 19/05, 02/09, "
                              "07/11).", code="not_a_badge_occasion")


def next_occasion(day: dt.date) -> dt.date:
    """The first badge occasion on or after `day`."""
    later = [dt.date(day.year, m, d) for m, d in BADGE_OCCASIONS if dt.date(day.year, m, d) >= day]
    return min(later) if later else dt.date(day.year + 1, 2, 3)


def _previous_occasion(day: dt.date) -> dt.date:
    earlier = [dt.date(day.year, m, d) for m, d in BADGE_OCCASIONS if dt.date(day.year, m, d) < day]
    return max(earlier) if earlier else dt.date(day.year - 1, 11, 7)


def _milestone(years: int) -> bool:
    return years in BADGE_MILESTONES or (years > 75 and years % 5 == 0)


def badges(session: Session, occasion: dt.date) -> list[ListedMember]:
    """Full members reaching a party-age milestone between the previous occasion (exclusive) and this one.
    Party age (core/member_events/party_age.py) runs from the admission date (the first one of a re-admitted
    member), less the days outside the Party recorded on the member."""
    check_occasion(occasion)
    since = _previous_occasion(occasion)
    rows = [r for r in members_of(session, None, occasion) if r.status.value != "du_bi"]
    dates = party_dates(session, [r.id for r in rows])
    listed = []
    for r in rows:
        age = dates[r.id].age
        if age is None:
            continue
        years = age.years_on(occasion)
        reached = age.reached(years)
        if years > 0 and _milestone(years) and since < reached <= occasion:
            first = age.start if age.start != dates[r.id].admitted_on else None
            listed.append(ListedMember(r.code, r.full_name, r.org_code, r.org_name, dates[r.id].admitted_on,
                                       party_years=years, reached_on=reached, age_from=first,
                                       gap_days=age.gap_days))
    return sorted(listed, key=lambda m: (-(m.party_years or 0), m.org or "", m.code))
