"""Term summary of appointments and approvals (DOMAIN.md §6): decisions issued in a term of the issuing
committee and the seats they gave, per organization and in total."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.appointments.committees import show_term
from khoi_desktop.core.appointments.requests import APPOINTING_ACTIONS
from khoi_desktop.core.errors import NotFoundError
from khoi_desktop.core.models import CommitteeSeat, Decision, DecisionStatus, Organization, SeatRole, Term
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.text import word_sort_key


@dataclass
class Tally:
    decisions: int = 0
    cap_uy_vien: int = 0
    uy_vien_btv: int = 0
    bi_thu: int = 0
    pho_bi_thu: int = 0

    def add_seat(self, role: SeatRole) -> None:
        setattr(self, role.value, getattr(self, role.value) + 1)

    def as_dict(self) -> dict[str, int]:
        return {"decisions": self.decisions, "cap_uy_vien": self.cap_uy_vien, "uy_vien_btv": self.uy_vien_btv,
                "bi_thu": self.bi_thu, "pho_bi_thu": self.pho_bi_thu}


@dataclass
class OrgTally(Tally):
    org_code: str = ""
    org_name: str = ""


@dataclass
class TermSummary:
    term: str
    total: Tally = field(default_factory=Tally)
    orgs: list[OrgTally] = field(default_factory=list)

    def sentence(self) -> str:
        t = self.total
        return (f"Nhiệm kỳ {show_term(self.term)}: {thousands(t.decisions)} quyết định chỉ định, chuẩn y; "
                f"{thousands(t.cap_uy_vien)} cấp ủy viên, {thousands(t.uy_vien_btv)} ủy viên ban thường vụ, "
                f"{thousands(t.bi_thu)} bí thư và {thousands(t.pho_bi_thu)} phó bí thư.")


def term_names(session: Session) -> list[str]:
    return list(session.scalars(select(Term.name).order_by(Term.starts_on)))


def term_name_on(session: Session, day: dt.date) -> str | None:
    """The name of the term that holds `day`, None when none was declared."""
    return session.scalars(select(Term.name).where(Term.starts_on <= day, Term.ends_on >= day)).first()


def term_summary(session: Session, term_name: str) -> TermSummary:
    from khoi_desktop.core.decisions import same_term_name

    term_name = same_term_name(term_name, term_names(session)) or term_name
    term = session.scalars(select(Term).where(Term.name == term_name)).first()
    if term is None:
        known = ", ".join(term_names(session)) or "chưa có"
        raise NotFoundError(f"Không có nhiệm kỳ {term_name} (các nhiệm kỳ: {known}).", code="term_not_found")
    decisions = session.scalars(select(Decision).where(
        Decision.term_id == term.id, Decision.status == DecisionStatus.ISSUED, Decision.issuer_id.is_(None),
        Decision.action.in_(APPOINTING_ACTIONS))).all()  # this office's: a đảng ủy cơ sở's are recorded, not counted
    summary = TermSummary(term.name)
    per_org: dict[int, OrgTally] = {}
    orgs = {o.code: o for o in session.scalars(select(Organization))}
    by_id = {o.id: o for o in orgs.values()}

    def tally(org: Organization) -> OrgTally:
        if org.id not in per_org:
            per_org[org.id] = OrgTally(org_code=org.code, org_name=org.name)
        return per_org[org.id]

    seats_by_decision: dict[int, list[CommitteeSeat]] = defaultdict(list)
    if decisions:
        for seat in session.scalars(select(CommitteeSeat).where(
                CommitteeSeat.decision_id.in_([d.id for d in decisions]))):
            seats_by_decision[seat.decision_id or 0].append(seat)
    for decision in decisions:
        seats = seats_by_decision[decision.id]
        code = json.loads(decision.request or "{}").get("org")
        org = orgs.get(code) if code else (by_id.get(seats[0].org_id) if seats else None)
        summary.total.decisions += 1
        if org is not None:
            tally(org).decisions += 1
        for seat in seats:
            summary.total.add_seat(seat.role)
            tally(by_id[seat.org_id]).add_seat(seat.role)
    summary.orgs = sorted(per_org.values(), key=lambda t: word_sort_key(t.org_name))
    return summary
