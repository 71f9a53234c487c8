"""An organization's committee as of a date: its term, the seats held, vacancies, history, term end."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.dates import add_months
from khoi_desktop.core.errors import NotFoundError, ValidationError
from khoi_desktop.core.members import decision_code, members_of
from khoi_desktop.core.models import (
    Committee,
    CommitteeSeat,
    Member,
    Membership,
    MemberStatus,
    Organization,
    OrgKind,
    SeatRole,
    Term,
)
from khoi_desktop.core.settings import Thresholds, load_settings
from khoi_desktop.core.text import fold, show_date
from khoi_desktop.core.tree import OrgNode, OrgSnapshot, load_snapshot, valid_on

TERM_END_NOTICE_MONTHS = 6
TERM_ENDED = "Hết nhiệm kỳ"  # end reason of the seats a new term replaces
ROLE_ORDER = {SeatRole.CAP_UY_VIEN: 0, SeatRole.UY_VIEN_BTV: 1, SeatRole.BI_THU: 2, SeatRole.PHO_BI_THU: 3}
_LEADER_ORDER = {SeatRole.BI_THU: 0, SeatRole.PHO_BI_THU: 1, SeatRole.UY_VIEN_BTV: 2, SeatRole.CAP_UY_VIEN: 3}
_TERM = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


# --- names ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BodyNames:
    """How decisions name an organization's bodies."""

    org: str  # "Đảng bộ Sở Tài chính", "Chi bộ Phòng Kế toán"
    leader_body: str  # whose Bí thư: "Đảng ủy Sở Tài chính", "Chi bộ Phòng Kế toán"
    committee_word: str  # "Ban Chấp hành", "Chi ủy"
    member_word: str  # "Ủy viên Ban Chấp hành", "Chi ủy viên"
    is_chi_bo: bool

    @property
    def committee(self) -> str:
        return f"{self.committee_word} {self.org}"

    @property
    def standing(self) -> str:
        return f"Ban Thường vụ {self.leader_body}"

    def short(self, role: SeatRole) -> str:
        """The role as a committee list shows it: 'Chi ủy viên', 'Ủy viên Ban Chấp hành', 'Bí thư' …"""
        return self.member_word if role is SeatRole.CAP_UY_VIEN else role.label

    def roles_text(self, roles: list[SeatRole]) -> str:
        return ", ".join(self.short(r) for r in sorted(roles, key=_LEADER_ORDER.__getitem__))

    def role(self, role: SeatRole) -> str:
        """'Bí thư Chi bộ Phòng Kế toán', 'Ủy viên Ban Chấp hành Đảng bộ Sở Tài chính' …"""
        return {
            SeatRole.CAP_UY_VIEN: f"{self.member_word} {self.org}",
            SeatRole.UY_VIEN_BTV: f"Ủy viên {self.standing}",
            SeatRole.BI_THU: f"Bí thư {self.leader_body}",
            SeatRole.PHO_BI_THU: f"Phó Bí thư {self.leader_body}",
        }[role]


def body_names(name: str, kind: OrgKind) -> BodyNames:
    if kind.is_chi_bo:
        return BodyNames(name, name, "Chi ủy", "Chi ủy viên", True)
    leader = re.sub(r"^Đảng bộ\b", "Đảng ủy", name) if name.startswith("Đảng bộ") else f"Đảng ủy {name}"
    return BodyNames(name, leader, "Ban Chấp hành", "Ủy viên Ban Chấp hành", False)


def show_term(label: str) -> str:
    """'2025-2030' -> '2025 - 2030' as decisions print it."""
    match = _TERM.fullmatch(label.strip())
    return f"{match[1]} - {match[2]}" if match else label


def derived_term_end(session: Session, label: str, starts_on: dt.date) -> dt.date | None:
    """The day before the term's anniversary in its last year; a term named like the issuing
    committee's ends with it (a new organization's first term ends with the superior's)."""
    term = session.scalars(select(Term).where(Term.name == label)).first()
    if term is not None and term.starts_on <= starts_on <= term.ends_on:
        return term.ends_on
    match = _TERM.fullmatch(label.strip())
    if not match:
        return None
    years = int(match[2]) - starts_on.year
    return add_months(starts_on, 12 * years) - dt.timedelta(days=1) if years > 0 else None


# --- structure rules ------------------------------------------------------------------------
@dataclass(frozen=True)
class Structure:
    """What a committee of this organization may hold, under the settings' thresholds."""

    has_committee: bool  # a Ban Chấp hành / chi ủy exists (a chi bộ under 9 full members has none)
    max_size: int | None  # chi ủy: at most 7
    max_deputies: int | None  # chi bộ: one Phó Bí thư
    btv_possible: bool  # only a đảng bộ cơ sở may have a Ban Thường vụ (with enough committee members)
    full_members: int


def structure(node: OrgNode, limits: Thresholds) -> Structure:
    if node.kind.is_chi_bo:
        full = node.direct_full
        has = full >= limits.chi_uy_min_full_members
        return Structure(has, limits.chi_uy_max_size if has else None, 1, False, full)
    return Structure(True, None, None, node.kind is OrgKind.DANG_BO_CO_SO, node.full_members)


# --- terms and seats ------------------------------------------------------------------------
@dataclass(frozen=True)
class TermInfo:
    label: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    size: int | None  # set by the congress, or inferred from the seats elected on the term's first day
    size_recorded: bool  # False: inferred
    committee_id: int | None
    decision: str | None  # the decision that approved or appointed the committee


def current_term(session: Session, org_id: int, day: dt.date) -> TermInfo | None:
    """The term of the organization's committee on the date: the recorded committee, or the term of the
    latest seat unless that term was closed by a new one (seats ended "Hết nhiệm kỳ")."""
    committee = session.scalars(
        select(Committee).where(Committee.org_id == org_id, Committee.starts_on <= day)
        .order_by(Committee.starts_on.desc(), Committee.id.desc())).first()
    latest = session.scalars(
        select(CommitteeSeat).where(CommitteeSeat.org_id == org_id, CommitteeSeat.valid_from <= day)
        .order_by(CommitteeSeat.valid_from.desc(), CommitteeSeat.id.desc())).first()
    label = committee.term if committee else None
    if latest is not None and latest.term != label:
        newer = committee is None or latest.valid_from > committee.starts_on
        running = latest.valid_to is None or latest.valid_to > day or latest.end_reason != TERM_ENDED
        if newer and running:
            label, committee = latest.term, None
    if label is None:
        return None
    return term_info(session, org_id, label, committee)


def term_info(session: Session, org_id: int, label: str, committee: Committee | None = None) -> TermInfo:
    if committee is None:
        committee = session.scalars(select(Committee).where(Committee.org_id == org_id,
                                                            Committee.term == label)).first()
    term_seats = session.scalars(select(CommitteeSeat).where(CommitteeSeat.org_id == org_id,
                                                             CommitteeSeat.term == label)).all()
    first_day = min((s.valid_from for s in term_seats), default=None)
    starts_on = committee.starts_on if committee else first_day
    ends_on = committee.ends_on if committee and committee.ends_on else (
        derived_term_end(session, label, starts_on) if starts_on else None)
    size: int | None
    if committee is not None and committee.size is not None:
        size, recorded = committee.size, True
    else:
        elected = {s.member_id for s in term_seats if s.role is SeatRole.CAP_UY_VIEN and s.valid_from == first_day}
        size, recorded = (len(elected) or None), False
    return TermInfo(label, starts_on, ends_on, size, recorded, committee.id if committee else None,
                    decision_code(session, committee.decision_id) if committee else None)


def open_seats(session: Session, org_id: int, day: dt.date) -> list[CommitteeSeat]:
    return list(session.scalars(select(CommitteeSeat).where(CommitteeSeat.org_id == org_id,
                                                            valid_on(CommitteeSeat, day))))


# --- the view -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Holder:
    """One person on the committee with all the roles they hold."""

    member_code: str
    full_name: str
    job: str
    roles: list[SeatRole]
    since: dt.date
    decisions: list[str]
    still_member: bool  # False: left the organization, the seat is in fact vacant

    @property
    def roles_label(self) -> str:
        return ", ".join(r.label for r in sorted(self.roles, key=_LEADER_ORDER.__getitem__))


@dataclass(frozen=True)
class PastSeat:
    member_code: str
    full_name: str
    role: SeatRole
    term: str
    valid_from: dt.date
    valid_to: dt.date | None
    end_reason: str | None
    decision: str | None


@dataclass(frozen=True)
class CommitteeView:
    org_id: int
    org_code: str
    org_name: str
    kind: OrgKind
    as_of: dt.date
    names: BodyNames
    structure: Structure
    term: TermInfo | None
    holders: list[Holder]
    vacancies: list[str]
    ends_soon: bool
    history: list[PastSeat]
    past_terms: list[TermInfo] = field(default_factory=list)

    @property
    def committee_count(self) -> int:
        return sum(SeatRole.CAP_UY_VIEN in h.roles and h.still_member for h in self.holders)

    @property
    def term_end_note(self) -> str:
        if self.term is None or self.term.ends_on is None:
            return ""
        if self.term.ends_on < self.as_of:
            return f"Nhiệm kỳ đã hết ngày {show_date(self.term.ends_on)}: cần tổ chức đại hội."
        if self.ends_soon:
            return f"Nhiệm kỳ sắp hết (ngày {show_date(self.term.ends_on)}): chuẩn bị đại hội."
        return ""


def ends_soon(term: TermInfo | None, as_of: dt.date) -> bool:
    return bool(term and term.ends_on and term.ends_on <= add_months(as_of, TERM_END_NOTICE_MONTHS))


def committee_view(session: Session, org_id: int, as_of: dt.date,
                   snapshot: OrgSnapshot | None = None) -> CommitteeView:
    snapshot = snapshot or load_snapshot(session, as_of, include_ended=True)
    node = snapshot.nodes.get(org_id)
    if node is None:
        raise NotFoundError(f"Tổ chức số {org_id} không tồn tại vào ngày {show_date(as_of)}.")
    limits = load_settings(session).thresholds
    shape = structure(node, limits)
    names = body_names(node.name, node.kind)
    term = current_term(session, org_id, as_of)
    members_now = _member_ids_in(session, snapshot.subtree_ids(org_id), as_of)
    seats = open_seats(session, org_id, as_of)
    holders = _holders(session, seats, members_now)
    vacancies = _vacancies(names, shape, term, holders) if node.active else []
    # Only what had begun by the viewed day: a later term is not "past" when looking back.
    all_seats = session.scalars(select(CommitteeSeat).where(CommitteeSeat.org_id == org_id,
                                                            CommitteeSeat.valid_from <= as_of)
                                .order_by(CommitteeSeat.valid_from, CommitteeSeat.id)).all()
    current_ids = {s.id for s in seats}
    history = [PastSeat(s.member.code, s.member.full_name, s.role, s.term, s.valid_from, s.valid_to, s.end_reason,
                        decision_code(session, s.decision_id))
               for s in reversed(all_seats) if s.id not in current_ids]
    labels = list(dict.fromkeys(s.term for s in reversed(all_seats)))
    past_terms = [term_info(session, org_id, label) for label in labels if term is None or label != term.label]
    return CommitteeView(org_id, node.code, node.name, node.kind, as_of, names, shape, term, holders, vacancies,
                         node.active and ends_soon(term, as_of), history, past_terms)


def _member_ids_in(session: Session, org_ids: list[int], day: dt.date) -> set[int]:
    return set(session.scalars(select(Membership.member_id).where(Membership.org_id.in_(org_ids),
                                                                  valid_on(Membership, day))))


def _holders(session: Session, seats: list[CommitteeSeat], members_now: set[int]) -> list[Holder]:
    by_member: dict[int, list[CommitteeSeat]] = defaultdict(list)
    for seat in seats:
        by_member[seat.member_id].append(seat)
    holders = []
    for member_id, held in by_member.items():
        member = session.get(Member, member_id)
        assert member is not None
        decisions = [c for c in dict.fromkeys(decision_code(session, s.decision_id) for s in held) if c]
        holders.append(Holder(member.code, member.full_name, ", ".join(x for x in (member.job_title, member.agency)
                                                                         if x),
                              [s.role for s in held], min(s.valid_from for s in held), decisions,
                              member_id in members_now))
    holders.sort(key=lambda h: (min(_LEADER_ORDER[r] for r in h.roles), h.full_name))
    return holders


def _vacancies(names: BodyNames, shape: Structure, term: TermInfo | None, holders: list[Holder]) -> list[str]:
    if term is None:
        return ["Chưa có cấp ủy: cần chỉ định hoặc chuẩn y kết quả bầu cử."]
    lines = [f"Đồng chí {h.full_name} không còn sinh hoạt trong {names.org} nhưng vẫn ghi là "
             f"{h.roles_label.lower()}: cần cho thôi giữ chức." for h in holders if not h.still_member]
    present = [h for h in holders if h.still_member]

    def count(role: SeatRole) -> int:
        return sum(role in h.roles for h in present)

    if shape.has_committee and term.size:
        missing = term.size - count(SeatRole.CAP_UY_VIEN)
        if missing > 0:
            basis = "Đại hội quyết định" if term.size_recorded else "đã bầu đầu nhiệm kỳ"
            lines.append(f"Khuyết {missing} {names.member_word.lower()} (số lượng {basis}: {term.size}).")
    if count(SeatRole.BI_THU) == 0:
        lines.append(f"Khuyết Bí thư {names.leader_body}.")
    if count(SeatRole.PHO_BI_THU) == 0 and (shape.has_committee or not names.is_chi_bo):
        lines.append(f"Khuyết Phó Bí thư {names.leader_body}.")
    return lines


# --- alerts across the office ---------------------------------------------------------------
@dataclass(frozen=True)
class CommitteeAlert:
    org_id: int
    org_code: str
    org_name: str
    term: str | None
    ends_on: dt.date | None
    ends_soon: bool
    vacancies: list[str]


def committee_alerts(session: Session, as_of: dt.date) -> list[CommitteeAlert]:
    """Active organizations with a vacancy or a term ending within six months, in tree order.

    What `committee_view` finds for each organization, read for all of them at once: committees, seats, terms and
    the seat holders' memberships in a few queries (one view per organization took some 8.000 on a province)."""
    snapshot = load_snapshot(session, as_of, include_ended=True)
    active = [i for i in snapshot.in_tree_order() if snapshot.nodes[i].active]
    if not active:
        return []
    limits = load_settings(session).thresholds
    committees: dict[int, list[Committee]] = defaultdict(list)
    for committee in session.scalars(select(Committee).order_by(Committee.id)):
        committees[committee.org_id].append(committee)
    seats: dict[int, list[_Seat]] = defaultdict(list)
    for row in session.execute(select(CommitteeSeat.id, CommitteeSeat.org_id, CommitteeSeat.member_id,
                                      CommitteeSeat.role, CommitteeSeat.term, CommitteeSeat.valid_from,
                                      CommitteeSeat.valid_to, CommitteeSeat.end_reason).order_by(CommitteeSeat.id)):
        seats[row.org_id].append(_Seat(*row))
    terms: dict[str, tuple[dt.date, dt.date]] = {}
    for name, starts_on, ends_on in session.execute(select(Term.name, Term.starts_on, Term.ends_on).order_by(Term.id)):
        terms.setdefault(name, (starts_on, ends_on))
    holding = select(CommitteeSeat.member_id).where(valid_on(CommitteeSeat, as_of))
    where_now: dict[int, set[int]] = defaultdict(set)
    for member_id, org_id in session.execute(select(Membership.member_id, Membership.org_id).where(
            valid_on(Membership, as_of), Membership.member_id.in_(holding))):
        where_now[member_id].add(org_id)
    names_of = {member_id: " ".join(p for p in parts if p) for member_id, *parts in session.execute(
        select(Member.id, Member.family_name, Member.middle_name, Member.given_name).where(Member.id.in_(holding)))}
    alerts = []
    for org_id in active:
        node = snapshot.nodes[org_id]
        own = seats.get(org_id, [])
        term = _current_term(committees.get(org_id, []), own, terms, as_of)
        open_now = [seat for seat in own if seat.open_on(as_of)]
        inside = set(snapshot.subtree_ids(org_id)) if open_now else set()
        still = {s.member_id for s in open_now if not where_now.get(s.member_id, set()).isdisjoint(inside)}
        holders = _holders_of(open_now, names_of, still)
        vacancies = _vacancies(body_names(node.name, node.kind), structure(node, limits), term, holders)
        soon = ends_soon(term, as_of)
        if vacancies or soon:
            alerts.append(CommitteeAlert(org_id, node.code, node.name, term.label if term else None,
                                         term.ends_on if term else None, soon, vacancies))
    return alerts


@dataclass(frozen=True)
class _Seat:
    id: int
    org_id: int
    member_id: int
    role: SeatRole
    term: str
    valid_from: dt.date
    valid_to: dt.date | None
    end_reason: str | None

    def open_on(self, day: dt.date) -> bool:  # as valid_on
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)


def _current_term(committees: list[Committee], seats: list[_Seat], terms: dict[str, tuple[dt.date, dt.date]],
                  day: dt.date) -> TermInfo | None:
    """current_term and term_info over rows read beforehand (the same rules, no query)."""
    begun = [c for c in committees if c.starts_on <= day]
    committee = max(begun, key=lambda c: (c.starts_on, c.id), default=None)
    started = [s for s in seats if s.valid_from <= day]
    latest = max(started, key=lambda s: (s.valid_from, s.id), default=None)
    label = committee.term if committee else None
    if latest is not None and latest.term != label:
        newer = committee is None or latest.valid_from > committee.starts_on
        running = latest.valid_to is None or latest.valid_to > day or latest.end_reason != TERM_ENDED
        if newer and running:
            label, committee = latest.term, None
    if label is None:
        return None
    if committee is None:
        committee = next((c for c in committees if c.term == label), None)
    term_seats = [s for s in seats if s.term == label]
    first_day = min((s.valid_from for s in term_seats), default=None)
    starts_on = committee.starts_on if committee else first_day
    ends_on = committee.ends_on if committee and committee.ends_on else (
        _term_end(terms, label, starts_on) if starts_on else None)
    size: int | None
    if committee is not None and committee.size is not None:
        size, recorded = committee.size, True
    else:
        elected = {s.member_id for s in term_seats if s.role is SeatRole.CAP_UY_VIEN and s.valid_from == first_day}
        size, recorded = (len(elected) or None), False
    return TermInfo(label, starts_on, ends_on, size, recorded, committee.id if committee else None, None)


def _term_end(terms: dict[str, tuple[dt.date, dt.date]], label: str, starts_on: dt.date) -> dt.date | None:
    """derived_term_end over the terms read beforehand."""
    term = terms.get(label)
    if term is not None and term[0] <= starts_on <= term[1]:
        return term[1]
    match = _TERM.fullmatch(label.strip())
    if not match:
        return None
    years = int(match[2]) - starts_on.year
    return add_months(starts_on, 12 * years) - dt.timedelta(days=1) if years > 0 else None


def _holders_of(seats: list[_Seat], names_of: dict[int, str], members_now: set[int]) -> list[Holder]:
    """_holders for the vacancies only (name, roles, still a member): no job, date or decision."""
    by_member: dict[int, list[_Seat]] = defaultdict(list)
    for seat in seats:
        by_member[seat.member_id].append(seat)
    holders = [Holder("", names_of.get(member_id, ""), "", [s.role for s in held], min(s.valid_from for s in held),
                      [], member_id in members_now) for member_id, held in by_member.items()]
    holders.sort(key=lambda h: (min(_LEADER_ORDER[r] for r in h.roles), h.full_name))
    return holders


# --- recording the congress-set size of an existing committee -------------------------------
def record_committee_size(session: Session, org_id: int, term: str, size: int, *, actor: str) -> None:
    """Record the size a congress set for a committee entered without one (older data)."""
    require(session, Permission.DRAFT_ISSUE)
    org = session.get(Organization, org_id)
    if org is None:
        raise NotFoundError(f"Không có tổ chức số {org_id}.")
    if size < 1:
        raise ValidationError("Số lượng cấp ủy viên phải lớn hơn 0.", code="invalid_size")
    committee = session.scalars(select(Committee).where(Committee.org_id == org_id, Committee.term == term)).first()
    before = committee.size if committee else None
    if committee is None:
        info = term_info(session, org_id, term)
        if info.starts_on is None:
            raise ValidationError(f"{org.name} chưa có cấp ủy nhiệm kỳ {show_term(term)}.", code="no_committee")
        committee = Committee(org_id=org_id, term=term, starts_on=info.starts_on, ends_on=info.ends_on)
        session.add(committee)
    committee.size = size
    session.flush()
    record(session, actor=actor, action="committee.size", target=f"{org.code} {term}", before={"size": before},
           after={"size": size})


# --- candidates for a seat ------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """A member of the organization as the appointment dialog lists them, with why they may not qualify."""

    code: str
    full_name: str
    birth_date: dt.date | None
    job: str
    chi_bo: str
    roles: list[SeatRole]  # held now in this organization's committee
    problem: str  # "" when eligible: "đảng viên dự bị", "miễn sinh hoạt"


def candidates(session: Session, org_id: int, text: str, as_of: dt.date, limit: int = 200) -> list[Candidate]:
    """Members of the organization (its chi bộ included) whose name has words starting with each word typed,
    accents and case ignored; committee members first when nothing is typed."""
    snapshot = load_snapshot(session, as_of)
    if org_id not in snapshot.nodes:
        raise NotFoundError(f"Tổ chức số {org_id} không hoạt động vào ngày {show_date(as_of)}.")
    words = fold(text).split()
    held: dict[int, list[SeatRole]] = defaultdict(list)
    for seat in open_seats(session, org_id, as_of):
        held[seat.member_id].append(seat.role)
    rows = [r for r in members_of(session, snapshot.subtree_ids(org_id), as_of)
            if all(f" {w}" in f" {fold(r.full_name)}" for w in words)]
    if not words:
        rows.sort(key=lambda r: r.id not in held)
    problems = {MemberStatus.DU_BI: "đảng viên dự bị", MemberStatus.MIEN_SINH_HOAT: "miễn sinh hoạt"}
    agencies = {member_id: agency for member_id, agency in session.execute(
        select(Member.id, Member.agency).where(Member.id.in_([r.id for r in rows[:limit]])))}
    return [Candidate(r.code, r.full_name, r.birth_date, ", ".join(x for x in (r.job_title, agencies.get(r.id)) if x),
                      r.org_name or "", sorted(held.get(r.id, []), key=_LEADER_ORDER.__getitem__),
                      problems.get(r.status, ""))
            for r in rows[:limit]]
