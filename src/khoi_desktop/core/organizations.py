"""The details of one organization: its place in the tree over time and its committee."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.codes import stored_in_other_case
from khoi_desktop.core.errors import OrgNotFound
from khoi_desktop.core.members import SeatLine, decision_code
from khoi_desktop.core.models import CommitteeSeat, Organization, SeatRole
from khoi_desktop.core.text import show_date
from khoi_desktop.core.tree import valid_on


@dataclass(frozen=True)
class PlacementLine:
    parent_name: str  # "Trực thuộc Đảng ủy Khối" when directly under the issuing committee
    valid_from: dt.date
    valid_to: dt.date | None
    decision: str | None


@dataclass(frozen=True)
class OrgDetail:
    id: int
    code: str
    name: str
    fields: list[tuple[str, str]]
    placements: list[PlacementLine]
    committee: list[SeatLine]  # seats held on the date asked for
    past_seats: list[SeatLine]


_ROLE_ORDER = {SeatRole.BI_THU: 0, SeatRole.PHO_BI_THU: 1, SeatRole.UY_VIEN_BTV: 2, SeatRole.CAP_UY_VIEN: 3}


def org_by_code(session: Session, code: str) -> Organization:
    org = session.scalars(select(Organization).where(Organization.code == code)).first()
    if org is None and (stored := stored_in_other_case(session, Organization.code, code)) is not None:
        return org_by_code(session, stored)
    if org is None:
        raise OrgNotFound(code)
    return org


def org_detail(session: Session, org_id: int, as_of: dt.date, committee_name: str) -> OrgDetail:
    org = session.get(Organization, org_id)
    if org is None:
        raise OrgNotFound(org_id)
    fields = [
        ("Mã", org.code),
        ("Tên", org.name),
        ("Loại", org.kind.label),
        ("Cơ quan, đơn vị", org.agency or ""),
        ("Ngày thành lập", show_date(org.founded_on)),
        ("Quyết định thành lập", decision_code(session, org.founded_by_id) or ""),
        ("Ngày kết thúc", show_date(org.ended_on)),
        ("Ý kiến của cấp trên", org.consent_note or ""),
    ]
    placements = [
        PlacementLine(p.parent.name if p.parent else f"Trực thuộc {committee_name}", p.valid_from, p.valid_to,
                      decision_code(session, p.decision_id))
        for p in org.placements
    ]
    seats = session.scalars(
        select(CommitteeSeat).where(CommitteeSeat.org_id == org.id).order_by(CommitteeSeat.valid_from)
    ).all()
    current_ids = set(session.scalars(
        select(CommitteeSeat.id).where(CommitteeSeat.org_id == org.id, valid_on(CommitteeSeat, as_of))
    ))

    def line(seat: CommitteeSeat) -> SeatLine:
        return SeatLine(seat.member.full_name, org.name, seat.role.label, seat.term, seat.valid_from, seat.valid_to,
                        decision_code(session, seat.decision_id))

    current = sorted((s for s in seats if s.id in current_ids), key=lambda s: (_ROLE_ORDER[s.role], s.member.sort_key))
    return OrgDetail(
        org.id, org.code, org.name, fields, placements,
        committee=[line(s) for s in current],
        past_seats=[line(s) for s in seats if s.id not in current_ids],
    )


def founded_by(session: Session, decision_id: int) -> list[int]:
    """The organizations a decision founded (the tree shows the first after it is issued)."""
    return list(session.scalars(select(Organization.id).where(Organization.founded_by_id == decision_id)
                                .order_by(Organization.id)))
