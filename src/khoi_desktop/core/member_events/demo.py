"""Members' events in the demo office, so that Biểu 1 and the lists show real numbers.

Today's figures stay exactly those of DOMAIN.md §6: the events of today's members are read from their
history (admissions, recognitions 12 months later, moves between chi bộ), and those who left in the last
two years (deaths, removals, requests, expulsions, transfers out of the office) are added to the plan as
members whose membership ended. Drawn from its own random stream; bulk inserts only (cheap at scale 20).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from khoi_desktop.core.bulk_load import insert_values
from khoi_desktop.core.dates import add_months
from khoi_desktop.core.member_events.models import EventKind, MemberEvent
from khoi_desktop.core.models import MoveReason

if TYPE_CHECKING:
    from khoi_desktop.core.demo import _Member, _Office, _Org

YEARS = 5  # the events of today's members looked back on
LEFT_YEARS = 2  # members who left, over this many years before today
# Shares of the members leaving per year, by reason.
LEAVING_PER_YEAR = ((MoveReason.TU_TRAN, 0.004), (MoveReason.CHUYEN_DI, 0.008), (MoveReason.XOA_TEN, 0.0015),
                    (MoveReason.XIN_RA, 0.0005), (MoveReason.KHAI_TRU, 0.0003))
Leaver = tuple["_Member", MoveReason, dt.date, "str | None"]  # member, reason, date, body transferred to
TEMPORARY_PER_YEAR = 0.004  # today's members sent to another body for a while (study, secondment)
UNCONFIRMED_SHARE = 0.05  # transfers out whose slip never came back: the `transfer_unconfirmed` finding
TRANSFER_BODIES = ("Đảng bộ tỉnh Bắc Giang", "Đảng bộ thành phố Hà Nội", "Đảng ủy Khối Doanh nghiệp tỉnh",
                   "Đảng bộ huyện Phú Lương", "Đảng bộ Quân sự tỉnh")


def add_leavers(office: _Office, *, seed: int, today: dt.date) -> list[Leaver]:
    """Members who left in the last two years, added to the plan before it is inserted (so the meetings and
    ratings of the demo see them while they were members)."""
    rng = random.Random(f"member-events-{seed}")
    # Not from the largest TCCSĐ: the ratings demo puts its one body over the HTXSNV cap there, by a hair.
    roots = Counter(_root(m.spans[-1].org) for m in office.members)
    largest = max(roots, key=lambda org: (roots[org], org.code))
    current = [m for m in office.members if m.full_member_on is not None and _root(m.spans[-1].org) is not largest]
    low = add_months(today, -12 * LEFT_YEARS)
    # Nobody leaves in the last month or this one: the meetings demo's returns of last month stay as they are.
    cutoff = add_months(today.replace(day=1), -1)
    leavers: list[Leaver] = []
    for reason, share in LEAVING_PER_YEAR:
        for _ in range(round(len(current) * share * LEFT_YEARS)):
            org = rng.choice(current).spans[-1].org
            member = office._member(org, probationary=False, exempt=False)
            org.people.remove(member)  # not one of today's members
            span = member.spans[0]
            start = max(low, span.start + dt.timedelta(days=30))
            if start >= cutoff:
                continue
            span.end = start + dt.timedelta(days=rng.randint(0, (cutoff - start).days - 1))
            span.end_reason = reason
            body = rng.choice(TRANSFER_BODIES) if reason is MoveReason.CHUYEN_DI else None
            leavers.append((member, reason, span.end, body))
    office.members.extend(m for m, _, _, _ in leavers)
    return leavers


def insert_member_events(session: Session, office: _Office, leavers: list[Leaver], *, today: dt.date) -> None:
    """The events of every member of the plan, after the plan is inserted."""
    since = add_months(today, -12 * YEARS)
    events: list[tuple[Any, ...]] = []
    for member in office.members:
        _history(member, since, today, events)
    rng = random.Random(f"member-slips-{len(leavers)}")
    for member, reason, left_on, body in leavers:
        slip = None
        if body is not None and rng.random() >= UNCONFIRMED_SHARE:  # the receiving body's slip came back
            slip = left_on + dt.timedelta(days=rng.randint(7, 25))
        events.append(_event(member.id, EventKind(reason.value), left_on, body=body, slip_returned_on=slip))
    events += _temporary(office, rng, today)
    # Plain tuples of stored values straight to the driver, not ORM objects nor dicts (67.000 at scale 20).
    insert_values(session, cast(Table, MemberEvent.__table__), _COLUMNS, events)


def _temporary(office: _Office, rng: random.Random, today: dt.date) -> list[tuple[Any, ...]]:
    """Temporary transfers (sinh hoạt tạm thời) of today's full members over the last two years, for 6 to 12
    months, their slip back: the membership stays, the member view shows where while it runs."""
    staying = [m for m in office.members if m.full_member_on is not None and m.spans[-1].end is None]
    events = []
    for member in rng.sample(staying, min(len(staying), round(len(staying) * TEMPORARY_PER_YEAR * LEFT_YEARS))):
        on = add_months(today, -rng.randint(1, 12 * LEFT_YEARS))
        if on < member.spans[-1].start:
            continue
        body = rng.choice(TRANSFER_BODIES)
        until = add_months(on, rng.randint(6, 12))
        events.append(_event(member.id, EventKind.TAM_THOI, on, body=body, until=until,
                             slip_returned_on=on + dt.timedelta(days=rng.randint(7, 25))))
    return events


def _root(org: _Org) -> _Org:
    while org.parent is not None:
        org = org.parent
    return org


def _history(member: _Member, since: dt.date, today: dt.date, events: list[tuple[Any, ...]]) -> None:
    first = member.spans[0]
    if first.start_reason is MoveReason.KET_NAP and since <= first.start <= today:
        events.append(_event(member.id, EventKind.KET_NAP, first.start, to_org_id=first.org.id))
    if member.full_member_on is not None and since <= member.full_member_on <= today:
        events.append(_event(member.id, EventKind.CHINH_THUC, member.full_member_on))
    for span in member.spans[1:]:
        if span.start_reason is MoveReason.CHUYEN_SINH_HOAT and since <= span.start <= today:
            events.append(_event(member.id, EventKind.CHUYEN_SINH_HOAT, span.start, to_org_id=span.org.id))


_COLUMNS = ("member_id", "kind", "on", "decision_id", "to_org_id", "body", "until", "basis", "letter_number",
            "letter_code", "slip_returned_on")


def _event(member_id: int, kind: EventKind, on: dt.date, *, to_org_id: int | None = None, body: str | None = None,
           until: dt.date | None = None, slip_returned_on: dt.date | None = None) -> tuple[Any, ...]:
    """One member_events row as stored (_COLUMNS; ISO dates, the kind's value)."""
    return (member_id, kind._value_, on.isoformat(), None, to_org_id, body, until.isoformat() if until else None,
            None, None, None, slip_returned_on.isoformat() if slip_returned_on else None)
