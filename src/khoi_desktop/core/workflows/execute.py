"""Carry out a checked plan inside the issuing transaction, keeping every change as history."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, inspect, literal, select, union_all, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from khoi_desktop.core.audit import rows_written
from khoi_desktop.core.dates import probation_ends
from khoi_desktop.core.member_entry import Joining, NewMember, enter_members
from khoi_desktop.core.models import (
    Base,
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
        _set_where(session, _placements_closing(reparent.org_id, on))
        if reparent.kind is not None:
            _change_kind(session, reparent.org_id, reparent.kind)
        session.add(Placement(org_id=reparent.org_id, parent_id=resolve(reparent.to), valid_from=on,
                              decision_id=decision.id, kind=reparent.kind))
        if reparent.end_committee:
            _set_where(session, _seats_closing(reparent.org_id, on, SEAT_END_TRANSFER))
            for committee in session.scalars(select(Committee).where(
                    Committee.org_id == reparent.org_id, (Committee.ends_on.is_(None)) | (Committee.ends_on > on))):
                committee.ends_on = on
        # Seats its members held on the committees above it that it leaves end with the move.
        touched_members |= _members_under(session, reparent.org_id, on)
    # What ends: the memberships (one UPDATE a reason: the moves of a split, one), the organizations with their
    # placements and seats; none read first, all in one statement on a server (_set_where).
    closing: dict[MoveReason, list[int]] = {}
    for member, reason in [(m.member, m.reason) for m in plan.moves] + [(x.member, x.reason) for x in plan.leaves]:
        closing.setdefault(reason, []).append(member.membership_id)
        touched_members.add(member.id)
    left = {leave.member.id: SEAT_END_LEFT[leave.reason] for leave in plan.leaves if leave.reason in SEAT_END_LEFT}
    closes: list[_Change] = [
        (Membership, Membership.id.in_(membership_ids) & Membership.valid_to.is_(None),
         {"valid_to": on, "end_reason": reason}) for reason, membership_ids in closing.items()]
    for ending in plan.ends:
        closes += [(Organization, Organization.id == ending, {"ended_on": on, "ended_by_id": decision.id}),
                   _placements_closing(ending, on), _seats_closing(ending, on, SEAT_END_ORG)]
    closed = _set_where(session, *closes)
    # Each membership still open and each organization not ended yet, as the plan was checked.
    assert [len(changed) for changed in closed[:len(closing)]] == [len(set(m)) for m in closing.values()]
    assert closed[len(closing)::3] == [[ended] for ended in plan.ends]
    for move in plan.moves:
        session.add(Membership(member_id=move.member.id, org_id=resolve(move.to), valid_from=on,
                               decision_id=decision.id, start_reason=move.reason))
    for arrival in plan.arrivals:
        record, org_id = arrival.record, resolve(arrival.to)
        assert org_id is not None  # members join a chi bộ, never the issuing committee itself
        enter_members(session, [(_arriving(record), Joining(org_id, on, arrival.reason, decision_id=decision.id))],
                      codes=[record.code] if record.code else None)
    for ref, note in plan.consents:
        consenting = session.get(Organization, resolve(ref))
        if consenting is not None:
            consenting.consent_note = note
            consenting.consent_decision_id = decision.id
    session.flush()
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


_Change = tuple[type[Base], ColumnElement[bool], dict[str, Any]]  # UPDATE model SET values WHERE …


def _set_where(session: Session, *changes: _Change) -> list[list[int]]:
    """Each change as UPDATE … SET values WHERE … RETURNING id, no row loaded first (through the ORM a SELECT, then
    an UPDATE: two round trips on a server); on a server all in one statement (each a data-modifying CTE: the
    changes must touch different rows). The audit trail digests the rows changed as it does the ORM's; a row the
    session holds takes the new values. The ids each change changed."""
    statements = [update(table).where(where).values(values).returning(table.c.id)
                  for model, where, values in changes for table in [cast(Table, model.__table__)]]
    connection = session.connection()
    if len(statements) > 1 and connection.dialect.name == "postgresql":
        done = [statement.cte(f"changed_{n}") for n, statement in enumerate(statements)]
        found: list[list[int]] = [[] for _ in changes]
        for n, row_id in connection.execute(union_all(*(select(literal(n).label("n"), cte.c.id)
                                                         for n, cte in enumerate(done)))):
            found[n].append(row_id)
    else:
        found = [list(connection.execute(statement).scalars()) for statement in statements]
    for (model, _, values), ids in zip(changes, found, strict=True):
        rows_written(session, cast(Table, model.__table__).name, ids)
        mapper = inspect(model)
        for row_id in ids:
            held = session.identity_map.get(mapper.identity_key_from_primary_key((row_id,)))
            for name, value in values.items() if held is not None else ():
                set_committed_value(held, name, value)
    return found


def _placements_closing(org_id: int, on: dt.date) -> _Change:
    return Placement, (Placement.org_id == org_id) & Placement.valid_to.is_(None), {"valid_to": on}


def _seats_closing(org_id: int, on: dt.date, reason: str) -> _Change:
    return (CommitteeSeat, (CommitteeSeat.org_id == org_id) & CommitteeSeat.valid_to.is_(None),
            {"valid_to": on, "end_reason": reason})


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

