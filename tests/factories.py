"""Hand-built offices for precise scenarios: plain ORM rows, added inside `db.writing()`.

Dates default to a quiet past (2020-01-01), so "today" never matters unless a test says so.
"""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.models import (
    CommitteeSeat,
    Decision,
    DecisionStatus,
    Member,
    Membership,
    Organization,
    OrgKind,
    Placement,
    SeatRole,
    Sex,
)
from khoi_desktop.core.text import fold, full_name, name_sort_key, nfc, split_full_name

START = dt.date(2020, 1, 1)
_codes = itertools.count(1)


def add_org(
    session: Session,
    code: str,
    name: str,
    kind: OrgKind | str,
    *,
    parent: Organization | None = None,
    founded_on: dt.date = START,
    ended_on: dt.date | None = None,
    consent_note: str | None = None,
    agency: str | None = None,
    decision: Decision | None = None,
) -> Organization:
    """An organization placed under `parent` (None = under the issuing committee) from its founding."""
    org = Organization(
        code=code, name=nfc(name), name_key=fold(name), kind=OrgKind(kind), agency=agency,
        founded_on=founded_on, ended_on=ended_on, consent_note=consent_note,
        founded_by_id=decision.id if decision else None,
    )
    session.add(org)
    session.flush()
    session.add(Placement(org_id=org.id, parent_id=parent.id if parent else None, valid_from=founded_on,
                          valid_to=ended_on, decision_id=decision.id if decision else None))
    session.flush()
    return org


def move_org(session: Session, org: Organization, parent: Organization | None, on: dt.date,
             decision: Decision | None = None) -> Placement:
    """Close the organization's open placement on `on` and open a new one under `parent`."""
    current = session.scalars(
        select(Placement).where(Placement.org_id == org.id, Placement.valid_to.is_(None))
    ).one()
    current.valid_to = on
    placement = Placement(org_id=org.id, parent_id=parent.id if parent else None, valid_from=on,
                          decision_id=decision.id if decision else None)
    session.add(placement)
    session.flush()
    return placement


def end_org(session: Session, org: Organization, on: dt.date, decision: Decision | None = None) -> None:
    """The organization ends on `on`: its open placement closes too (members are moved by the caller)."""
    org.ended_on = on
    org.ended_by_id = decision.id if decision else None
    for placement in org.placements:
        if placement.valid_to is None:
            placement.valid_to = on
    session.flush()


def add_member(
    session: Session,
    name: str,
    org: Organization | None = None,
    *,
    code: str | None = None,
    joined_on: dt.date = START,
    admitted_on: dt.date | None = dt.date(2010, 5, 19),
    full_member_on: dt.date | None | str = "auto",
    probationary: bool = False,
    birth_date: dt.date | None = dt.date(1985, 1, 1),
    sex: Sex | str = Sex.NAM,
    decision: Decision | None = None,
    **fields: object,
) -> Member:
    """A member named like 'Nguyễn Văn An', in `org` from `joined_on`.

    Full member 12 months after admission unless `probationary` (then no full-member date) or an
    explicit `full_member_on` is given.
    """
    family, middle, given = split_full_name(name)
    if full_member_on == "auto":
        full_member_on = None if probationary or admitted_on is None else admitted_on.replace(
            year=admitted_on.year + 1)
    member = Member(
        code=code or f"DV{next(_codes):05d}",
        family_name=family, middle_name=middle, given_name=given,
        search_key=fold(full_name(family, middle, given)),
        sort_key=name_sort_key(family, middle, given),
        sex=Sex(sex), birth_date=birth_date, admitted_on=admitted_on, full_member_on=full_member_on,
        **fields,
    )
    session.add(member)
    session.flush()
    if org is not None:
        session.add(Membership(member_id=member.id, org_id=org.id, valid_from=joined_on,
                               decision_id=decision.id if decision else None))
        session.flush()
    return member


def add_members(session: Session, org: Organization, count: int, *, probationary: int = 0,
                prefix: str | None = None, joined_on: dt.date = START) -> list[Member]:
    """`count` members in `org`, the last `probationary` of them not yet full members."""
    prefix = prefix or org.code
    return [
        add_member(session, f"Trần Văn {prefix} {i:03d}", org, code=f"{prefix}-{i:03d}", joined_on=joined_on,
                   probationary=i > count - probationary)
        for i in range(1, count + 1)
    ]


def move_member(session: Session, member: Member, org: Organization | None, on: dt.date,
                decision: Decision | None = None) -> None:
    """The member leaves the current chi bộ on `on` and (unless `org` is None) joins `org` that day."""
    current = session.scalars(
        select(Membership).where(Membership.member_id == member.id, Membership.valid_to.is_(None))
    ).one()
    current.valid_to = on
    if org is not None:
        session.add(Membership(member_id=member.id, org_id=org.id, valid_from=on,
                               decision_id=decision.id if decision else None))
    session.flush()


def add_decision(session: Session, number: int, subject: str, *, action: str = "found",
                 issued_on: dt.date = START, code: str | None = None) -> Decision:
    decision = Decision(
        doc_type="QĐ", action=action, status=DecisionStatus.ISSUED, number=number,
        code=code or f"{number:02d}-QĐ/ĐUK", subject=subject, content="{}", issued_on=issued_on,
        effective_on=issued_on, created_at=dt.datetime.combine(issued_on, dt.time(9, 0)),
    )
    session.add(decision)
    session.flush()
    return decision


def add_seat(session: Session, org: Organization, member: Member, role: SeatRole | str, *,
             term: str = "2020-2025", valid_from: dt.date = START, valid_to: dt.date | None = None,
             decision: Decision | None = None) -> CommitteeSeat:
    seat = CommitteeSeat(org_id=org.id, member_id=member.id, role=SeatRole(role), term=term,
                         valid_from=valid_from, valid_to=valid_to,
                         decision_id=decision.id if decision else None)
    session.add(seat)
    session.flush()
    return seat
