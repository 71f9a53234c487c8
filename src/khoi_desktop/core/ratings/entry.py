"""Writing ratings: a round per year, a whole body's ratings replaced at once (a return workbook), or one
organization's or member's decided level (entry in the app). Every problem is collected and named; nothing
is written unless all is well. Members are rated where they are on the round's reference date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import os_user, record
from khoi_desktop.core.auth.current import current_user
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.codes import any_case, stored_code
from khoi_desktop.core.errors import KhoiError, MemberNotFound, RequestRefused, ValidationError
from khoi_desktop.core.models import Member
from khoi_desktop.core.ratings.models import Level, MemberRating, OrgRating, RatingRound
from khoi_desktop.core.ratings.rules import load_rules
from khoi_desktop.core.ratings.scope import KIND_LABELS, RoundScope, default_reference_date, load_round_scope
from khoi_desktop.core.text import nfc_or_none, show_date

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_NOTE = 500


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(f"Năm xếp loại {year} không hợp lệ (từ {FIRST_YEAR} đến {LAST_YEAR}).",
                              code="invalid_year")
    return year


def find_round(session: Session, year: int) -> RatingRound | None:
    return session.scalars(select(RatingRound).where(RatingRound.year == year)).first()


def open_round(session: Session, year: int, reference_date: dt.date | None = None, *,
               actor: str | None = None) -> RatingRound:
    """The year's round, opened (with its reference date, 31/12 by default) if there is none yet."""
    require(session, Permission.RATINGS)
    check_year(year)
    found = find_round(session, year)
    if found is not None:
        return found
    reference_date = reference_date or default_reference_date(year)
    if reference_date.year != year:
        raise ValidationError(f"Ngày chốt danh sách {show_date(reference_date)} phải thuộc năm {year}.",
                              code="invalid_reference_date")
    rnd = RatingRound(year=year, reference_date=reference_date, opened_by=_who(session, actor),
                      opened_at=dt.datetime.now().replace(microsecond=0))
    session.add(rnd)
    session.flush()
    record(session, actor=actor, action="ratings.open", target=f"Xếp loại chất lượng năm {year}",
           after={"year": year, "reference_date": reference_date.isoformat()})
    return rnd


def round_scope(session: Session, year: int) -> RoundScope:
    """The round's people and organizations (the default reference date when the round is not open yet)."""
    rnd = find_round(session, check_year(year))
    reference = rnd.reference_date if rnd is not None else default_reference_date(year)
    return load_round_scope(session, year, reference, load_rules(session))


def _who(session: Session, actor: str | None) -> str:
    user = current_user(session)
    return (user.username if user is not None else actor or os_user())[:120]


@dataclass
class OrgEntry:
    org: str  # code
    proposed: Level | None = None
    decided: Level | None = None
    note: str | None = None
    keep_decided: bool = False  # the TCCSĐ in its own return: the office decides its level


@dataclass
class MemberEntry:
    member: str  # code
    proposed: Level | None = None
    decided: Level | None = None
    disciplined: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Problem:
    entry: OrgEntry | MemberEntry
    field: str  # org, member, proposed, decided
    message: str


@dataclass
class BodyPlan:
    body: str  # the TCCSĐ's name
    problems: list[Problem] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # in Vietnamese, one line per organization or member changed
    orgs: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _short(level: Level | None) -> str:
    return level.short if level is not None else "(trống)"


def plan_body(session: Session, scope: RoundScope, body_code: str, orgs: list[OrgEntry],
              members: list[MemberEntry], round_id: int | None) -> BodyPlan:
    """Check a body's ratings against the round's scope and compute the rows to write and the changes."""
    body = scope.body(body_code)
    under = scope.ids_under(body.id)
    plan = BodyPlan(body.name)
    by_code = any_case({scope.snapshot.nodes[i].code: scope.snapshot.nodes[i] for i in under})
    stored_orgs: dict[int, OrgRating] = {}
    stored_members: dict[int, MemberRating] = {}
    if round_id is not None:
        stored_orgs = {r.org_id: r for r in session.scalars(
            select(OrgRating).where(OrgRating.round_id == round_id, OrgRating.org_id.in_(under)))}
        stored_members = {r.member_id: r for r in session.scalars(
            select(MemberRating).where(MemberRating.round_id == round_id, MemberRating.org_id.in_(under)))}
    year, day = scope.year, show_date(scope.reference_date)
    seen: set[str] = set()
    for entry in orgs:
        node = by_code(entry.org)
        if node is None:
            plan.problems.append(Problem(entry, "org", f"Tổ chức mã {entry.org} không thuộc {body.name} vào ngày "
                                                       f"{day} (ngày chốt xếp loại năm {year})."))
            continue
        if node.code in seen:
            plan.problems.append(Problem(entry, "org", f"Tổ chức mã {node.code} có hai dòng."))
            continue
        seen.add(node.code)
        if entry.note and len(entry.note) > MAX_NOTE:
            plan.problems.append(Problem(entry, "note", f"Ghi chú dài quá {MAX_NOTE} ký tự."))
            continue
        old = stored_orgs.get(node.id)
        decided = old.decided if entry.keep_decided and old is not None else (None if entry.keep_decided
                                                                              else entry.decided)
        plan.orgs.append({"org_id": node.id, "proposed": entry.proposed, "decided": decided,
                          "note": nfc_or_none(entry.note)})
        before = (old.proposed, old.decided) if old is not None else (None, None)
        if before != (entry.proposed, decided):
            plan.changes.append(f"{node.name}: đề xuất {_short(old.proposed if old else None)} → "
                                f"{_short(entry.proposed)}; xếp loại {_short(old.decided if old else None)} → "
                                f"{_short(decided)}")
    people = any_case({m.code: m for m in scope.members.values() if m.org_id in under})
    seen = set()
    for m_entry in members:
        person = people(m_entry.member)
        if person is None:
            plan.problems.append(Problem(m_entry, "member", _not_active(session, m_entry.member, body.name, year, day)))
            continue
        if person.code in seen:
            plan.problems.append(Problem(m_entry, "member", f"Đảng viên mã {person.code} có hai dòng."))
            continue
        seen.add(person.code)
        if not person.rated and (m_entry.proposed or m_entry.decided):
            plan.problems.append(Problem(m_entry, "decided" if m_entry.decided else "proposed",
                                         f"Đảng viên {person.name} ({person.code}) thuộc diện "
                                         f"“{KIND_LABELS[person.kind].lower()}”: theo quy định hiện hành không "
                                         "xếp loại, để trống ô xếp loại."))
            continue
        if m_entry.note and len(m_entry.note) > MAX_NOTE:
            plan.problems.append(Problem(m_entry, "note", f"Ghi chú dài quá {MAX_NOTE} ký tự."))
            continue
        old_m = stored_members.get(person.id)
        plan.members.append({"member_id": person.id, "org_id": person.org_id, "disciplined": m_entry.disciplined,
                             "proposed": m_entry.proposed, "decided": m_entry.decided,
                             "note": nfc_or_none(m_entry.note)})
        stored = (old_m.proposed, old_m.decided, old_m.disciplined) if old_m is not None else (None, None, False)
        if stored != (m_entry.proposed, m_entry.decided, m_entry.disciplined):
            plan.changes.append(f"{person.name} ({person.code}): xếp loại {_short(old_m.decided if old_m else None)}"
                                f" → {_short(m_entry.decided)}"
                                + ("; bị kỷ luật trong năm" if m_entry.disciplined else ""))
    gone = [r for r in stored_members.values() if r.member_id not in {m["member_id"] for m in plan.members}]
    if gone:
        plan.changes.append(f"Bỏ xếp loại của {len(gone)} đảng viên không có trong tệp.")
    return plan


def _not_active(session: Session, code: str, body: str, year: int, day: str) -> str:
    code = stored_code(session, Member.code, code)
    if session.scalar(select(Member.id).where(Member.code == code)) is None:
        return MemberNotFound(code).message
    return (f"Đảng viên mã {code} không sinh hoạt trong {body} vào ngày {day} (ngày chốt xếp loại năm {year}): "
            "không xếp loại ở đây.")


def write_body(session: Session, rnd: RatingRound, plan: BodyPlan, under: set[int], *,
               actor: str | None = None) -> None:
    """Replace the round's ratings of the body (its organizations and members) by the plan's rows."""
    require(session, Permission.RATINGS)
    if not plan.ok:
        raise RequestRefused([("rating_refused", p.message) for p in plan.problems])
    who, now = _who(session, actor), dt.datetime.now().replace(microsecond=0)
    session.execute(delete(OrgRating).where(OrgRating.round_id == rnd.id, OrgRating.org_id.in_(under)))
    session.execute(delete(MemberRating).where(MemberRating.round_id == rnd.id, MemberRating.org_id.in_(under)))
    if plan.orgs:
        session.execute(insert(OrgRating), [
            {"round_id": rnd.id, **row, "decided_by": who if row["decided"] else None,
             "decided_at": now if row["decided"] else None} for row in plan.orgs])
    if plan.members:
        session.execute(insert(MemberRating), [
            {"round_id": rnd.id, **row, "decided_by": who if row["decided"] else None,
             "decided_at": now if row["decided"] else None} for row in plan.members])
    record(session, actor=actor, action="ratings.import", target=f"Xếp loại năm {rnd.year}: {plan.body}",
           after={"orgs": len(plan.orgs), "members": len(plan.members), "changes": plan.changes[:200]})


def set_level(session: Session, year: int, *, org: str | None = None, member: str | None = None,
              decided: Level | None, disciplined: bool | None = None, note: str | None = None,
              actor: str | None = None) -> str:
    """One organization's or member's decided level (entry in the app); returns the change in words."""
    require(session, Permission.RATINGS)
    rnd = open_round(session, year, actor=actor)
    scope = load_round_scope(session, year, rnd.reference_date, load_rules(session))
    who, now = _who(session, actor), dt.datetime.now().replace(microsecond=0)
    day = show_date(rnd.reference_date)
    if org is not None:
        node = scope.body(org)
        row = session.get(OrgRating, (rnd.id, node.id)) or OrgRating(round_id=rnd.id, org_id=node.id)
        before = row.decided
        row.decided, row.decided_by, row.decided_at = decided, who if decided else None, now if decided else None
        if note is not None:
            row.note = nfc_or_none(note)
        session.add(row)
        change = f"{node.name}: {_short(before)} → {_short(decided)}"
    elif member is not None:
        person = next((m for m in scope.members.values() if m.code == member), None)
        if person is None:
            raise _refused(_not_active(session, member, "Đảng bộ", year, day))
        if not person.rated and decided is not None:
            raise _refused(f"Đảng viên {person.name} ({person.code}) thuộc diện "
                           f"“{KIND_LABELS[person.kind].lower()}”: theo quy định hiện hành không xếp loại.")
        m_row = session.get(MemberRating, (rnd.id, person.id)) or MemberRating(
            round_id=rnd.id, member_id=person.id, org_id=person.org_id, disciplined=False)
        before = m_row.decided
        m_row.org_id = person.org_id
        m_row.decided, m_row.decided_by = decided, who if decided else None
        m_row.decided_at = now if decided else None
        if disciplined is not None:
            m_row.disciplined = disciplined
        if note is not None:
            m_row.note = nfc_or_none(note)
        session.add(m_row)
        change = f"{person.name} ({person.code}): {_short(before)} → {_short(decided)}"
    else:
        raise ValidationError("Chưa chọn tổ chức đảng hoặc đảng viên cần xếp loại.", code="invalid_request")
    session.flush()
    record(session, actor=actor, action="ratings.set", target=f"Xếp loại năm {year}", after={"change": change})
    return change


def _refused(message: str) -> KhoiError:
    return ValidationError(message, code="rating_refused")
