"""Carry out a checked plan inside the issuing transaction, keeping every change as history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.dates import probation_ends
from khoi_desktop.core.member_entry import Joining, NewMember, enter_members
from khoi_desktop.core.models import (
    Committee,
    CommitteeSeat,
    Decision,
    Membership,
    MemberStatus,
    MoveReason,
    Organization,
    OrgKind,
    Placement,
)
from khoi_desktop.core.requests import MemberRecord
from khoi_desktop.core.text import fold
from khoi_desktop.core.tree import org_exists_on, valid_on
from khoi_desktop.core.workflows.plan import OrgRef, Plan

SEAT_END_ORG = "Tổ chức đảng kết thúc hoạt động"
SEAT_END_MOVED = "Chuyển sinh hoạt ra khỏi tổ chức"
SEAT_END_TRANSFER = "Tổ chức đảng chuyển trực thuộc, cấp ủy kết thúc hoạt động"
# A member leaving the Party leaves every committee for that reason (a death read «Chuyển sinh hoạt ra khỏi tổ chức»).
SEAT_END_LEFT = {MoveReason.TU_TRAN: "Từ trần", MoveReason.XIN_RA: "Ra khỏi Đảng (xin ra khỏi Đảng)",
                 MoveReason.XOA_TEN: "Ra khỏi Đảng (xóa tên)", MoveReason.KHAI_TRU: "Ra khỏi Đảng (khai trừ)"}


def execute(session: Session, plan: Plan, decision: Decision, on: dt.date) -> None:
    ids: dict[str, int] = {}

    def resolve(ref: OrgRef) -> int | None:
        return ids[ref] if isinstance(ref, str) else ref

    founded = [(new, Organization(code=new.code, name=new.name, name_key=fold(new.name), kind=new.kind,
                                  agency=new.agency, founded_on=on, founded_by_id=decision.id))
               for new in plan.new_orgs]
    if founded:
        session.add_all([org for _, org in founded])
        session.flush()  # their ids, in one INSERT (one round trip to a server) for them all
    for new, org in founded:
        ids[new.key] = org.id
    for new, org in founded:
        session.add(Placement(org_id=org.id, parent_id=resolve(new.parent), valid_from=on, decision_id=decision.id))
    touched_members: set[int] = set()
    for reparent in plan.reparents:
        _close_placement(session, reparent.org_id, on)
        if reparent.kind is not None:
            _change_kind(session, reparent.org_id, reparent.kind)
        session.add(Placement(org_id=reparent.org_id, parent_id=resolve(reparent.to), valid_from=on,
                              decision_id=decision.id, kind=reparent.kind))
        if reparent.end_committee:
            _close_seats(session, select(CommitteeSeat).where(CommitteeSeat.org_id == reparent.org_id), on,
                         SEAT_END_TRANSFER)
            for committee in session.scalars(select(Committee).where(
                    Committee.org_id == reparent.org_id, (Committee.ends_on.is_(None)) | (Committee.ends_on > on))):
                committee.ends_on = on
        # Seats its members held on the committees above it that it leaves end with the move.
        touched_members |= _members_under(session, reparent.org_id, on)
    # The memberships to close, in one query, held here: the session keeps loaded rows only while someone
    # refers to them, and each session.get below would otherwise read (and flush) once per member.
    closing = [m.member.membership_id for m in plan.moves] + [leave.member.membership_id for leave in plan.leaves]
    held = session.scalars(select(Membership).where(Membership.id.in_(closing))).all() if closing else []
    for move in plan.moves:
        _close_membership(session, move.member.membership_id, on, move.reason)
        session.add(Membership(member_id=move.member.id, org_id=resolve(move.to), valid_from=on,
                               decision_id=decision.id, start_reason=move.reason))
        touched_members.add(move.member.id)
    left: dict[int, str] = {}
    for leave in plan.leaves:
        _close_membership(session, leave.member.membership_id, on, leave.reason)
        touched_members.add(leave.member.id)
        if leave.reason in SEAT_END_LEFT:
            left[leave.member.id] = SEAT_END_LEFT[leave.reason]
    for arrival in plan.arrivals:
        record, org_id = arrival.record, resolve(arrival.to)
        assert org_id is not None  # members join a chi bộ, never the issuing committee itself
        enter_members(session, [(_arriving(record), Joining(org_id, on, arrival.reason, decision_id=decision.id))],
                      codes=[record.code] if record.code else None)
    for org_id in plan.ends:
        ending = session.get(Organization, org_id)
        assert ending is not None
        ending.ended_on = on
        ending.ended_by_id = decision.id
        _close_placement(session, org_id, on)
        _close_seats(session, select(CommitteeSeat).where(CommitteeSeat.org_id == org_id), on, SEAT_END_ORG)
    for ref, note in plan.consents:
        consenting = session.get(Organization, resolve(ref))
        if consenting is not None:
            consenting.consent_note = note
            consenting.consent_decision_id = decision.id
    session.flush()
    del held
    _close_seats_of_departed(session, touched_members, on, left)


def _change_kind(session: Session, org_id: int, kind: OrgKind) -> None:
    """The organization's kind from now on; its earlier placements keep the kind it had then."""
    org = session.get(Organization, org_id)
    assert org is not None
    for placement in session.scalars(select(Placement).where(Placement.org_id == org_id, Placement.kind.is_(None))):
        placement.kind = org.kind
    org.kind = kind


def _members_under(session: Session, org_id: int, on: dt.date) -> set[int]:
    """Members of the organization and of every organization under it on the date."""
    ids, frontier = {org_id}, {org_id}
    while frontier:
        frontier = set(session.scalars(select(Placement.org_id).where(
            Placement.parent_id.in_(frontier), valid_on(Placement, on)))) - ids
        ids |= frontier
    return set(session.scalars(select(Membership.member_id).where(Membership.org_id.in_(ids),
                                                                  valid_on(Membership, on))))


def _close_placement(session: Session, org_id: int, on: dt.date) -> None:
    for placement in session.scalars(select(Placement).where(Placement.org_id == org_id,
                                                             Placement.valid_to.is_(None))):
        placement.valid_to = on


def _close_membership(session: Session, membership_id: int, on: dt.date, reason: MoveReason) -> None:
    membership = session.get(Membership, membership_id)
    assert membership is not None and membership.valid_to is None
    membership.valid_to = on
    membership.end_reason = reason


def _close_seats(session: Session, query, on: dt.date, reason: str) -> None:  # type: ignore[no-untyped-def]
    for seat in session.scalars(query.where(CommitteeSeat.valid_to.is_(None))):
        seat.valid_to = on
        seat.end_reason = reason


def _close_seats_of_departed(session: Session, member_ids: set[int], on: dt.date,
                             left: dict[int, str] | None = None) -> None:
    """A member who leaves an organization leaves its committee: the seat becomes a vacancy. `left`: the members
    leaving the Party, with the reason their seats end for."""
    if not member_ids:
        return
    seats = session.scalars(select(CommitteeSeat).where(CommitteeSeat.member_id.in_(member_ids),
                                                        CommitteeSeat.valid_to.is_(None))).all()
    if not seats:
        return
    where_now: dict[int, int] = dict(session.execute(  # type: ignore[arg-type]
        select(Membership.member_id, Membership.org_id)
        .where(Membership.member_id.in_(member_ids), Membership.valid_to.is_(None))).all())
    placed = _branches_up(session, {where_now[s.member_id] for s in seats if s.member_id in where_now}, on)

    def place(org_id: int) -> tuple[bool, int | None]:
        return placed.get(org_id, (False, None))

    for seat in seats:
        org_id = where_now.get(seat.member_id)
        ancestors: set[int] = set()
        while org_id is not None:
            exists, parent = place(org_id)
            if not exists:
                break
            ancestors.add(org_id)
            org_id = parent
        if seat.org_id not in ancestors:
            seat.valid_to = on
            seat.end_reason = (left or {}).get(seat.member_id, SEAT_END_MOVED)


def _branches_up(session: Session, starts: set[int], on: dt.date) -> dict[int, tuple[bool, int | None]]:
    """Each organization existing on the date up the branches from `starts`, with its parent then: org ->
    (True, parent). One recursive statement (a server's round trip a level before); absent: not existing."""
    if not starts:
        return {}

    def level(where):  # type: ignore[no-untyped-def]
        return select(Organization.id.label("id"), Placement.parent_id.label("parent_id")).outerjoin(
            Placement, (Placement.org_id == Organization.id) & valid_on(Placement, on)).where(where, org_exists_on(on))

    up = level(Organization.id.in_(starts)).cte("up", recursive=True)
    above = up.alias("above")
    up = up.union(level(Organization.id == above.c.parent_id).join(above, Organization.id == above.c.parent_id))
    placed: dict[int, tuple[bool, int | None]] = {}
    for org_id, parent in session.execute(select(up.c.id, up.c.parent_id)):
        placed.setdefault(org_id, (True, parent))
    return placed


def _arriving(record: MemberRecord) -> NewMember:
    full_member_on = None
    if record.status is MemberStatus.CHINH_THUC:  # without a date: after the usual 12 months of probation
        full_member_on = record.full_member_on or probation_ends(record.admitted_on)
    return NewMember(record.family_name, record.middle_name, record.given_name, record.sex, record.birth_date,
                     record.admitted_on, full_member_on, record.national_id, record.card_number,
                     job_title=record.job_title)

