"""Member lists, accent-insensitive search and the details of one member, as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.codes import stored_in_other_case
from khoi_desktop.core.errors import MemberNotFound
from khoi_desktop.core.models import (
    CommitteeSeat,
    Decision,
    Member,
    Membership,
    MemberStatus,
    Organization,
    Sex,
    member_status,
)
from khoi_desktop.core.plain_rows import plain_rows
from khoi_desktop.core.text import fold, show_date
from khoi_desktop.core.tree import valid_on

SEARCH_LIMIT = 500


@dataclass(frozen=True)
class MemberRow:
    id: int
    code: str
    full_name: str
    sort_key: str
    sex: Sex
    birth_date: dt.date | None
    status: MemberStatus
    job_title: str | None
    org_code: str | None
    org_name: str | None


def _day(text: str | dt.date | None) -> dt.date | None:
    if isinstance(text, dt.date):  # a server's driver gives dates
        return text
    return dt.date.fromisoformat(text) if text else None


_SEXES = {sex.value: sex for sex in Sex}


def _rows(session: Session, query, as_of: dt.date) -> list[MemberRow]:  # type: ignore[no-untyped-def]
    # The driver's tuples, dates and the sex as text (_COLUMNS): SQLAlchemy's Row and its per-column processing
    # were two thirds of a search's 500 rows.
    return _built(session, plain_rows(session, query), as_of)


def _built(session: Session, tuples: list[tuple[Any, ...]], as_of: dt.date,
           exemptions: bool = True) -> list[MemberRow]:
    # A search builds up to 500 of these: positional fields (a frozen dataclass sets each keyword one by one
    # all the same, but the call is cheaper), no call for the dates most members lack (an exemption).
    rows = []
    for (member_id, code, family, middle, given, sort_key, sex, birth, full_on, exempt_since, exempt_until, job,
         org_code, org_name) in tuples:
        status = member_status(_day(full_on) if full_on else None, _day(exempt_since) if exempt_since else None,
                               as_of, _day(exempt_until) if exempt_until else None)
        rows.append(MemberRow(member_id, code, " ".join(filter(None, (family, middle, given))), sort_key,
                              _SEXES[sex], _day(birth) if birth else None, status, job, org_code, org_name))
    return _with_earlier_exemptions(session, rows, as_of) if exemptions else rows


def _with_earlier_exemptions(session: Session, rows: list[MemberRow], as_of: dt.date) -> list[MemberRow]:
    """The member row keeps the latest exemption period: a member exempt on `as_of` in an earlier one is
    found in the member's events (core/member_events/exemptions.py)."""
    from dataclasses import replace

    from khoi_desktop.core.member_events.exemptions import exempt_on, exemption_periods

    periods = exemption_periods(session)  # few members ever have one: all of them, in one small query
    if not periods:
        return rows
    return [replace(row, status=MemberStatus.MIEN_SINH_HOAT)
            if row.status is not MemberStatus.MIEN_SINH_HOAT and exempt_on(periods.get(row.id, ()), as_of)
            else row for row in rows]


_COLUMNS = (Member.id, Member.code, Member.family_name, Member.middle_name, Member.given_name, Member.sort_key,
            cast(Member.sex, String), cast(Member.birth_date, String), cast(Member.full_member_on, String),
            cast(Member.exempt_since, String), cast(Member.exempt_until, String), Member.job_title,
            Organization.code.label("org_code"), Organization.name.label("org_name"))


def members_of(session: Session, org_ids: list[int] | None, as_of: dt.date) -> list[MemberRow]:
    """Members belonging on `as_of` to the given chi bộ (None = all), in Vietnamese name order."""
    query = (
        select(*_COLUMNS)
        .join(Membership, Membership.member_id == Member.id)
        .join(Organization, Organization.id == Membership.org_id)
        .where(valid_on(Membership, as_of))
        .order_by(Member.sort_key, Member.code)
    )
    if org_ids is not None:
        query = query.where(Membership.org_id.in_(org_ids))
    return _rows(session, query, as_of)


def search_members(session: Session, text: str, as_of: dt.date, limit: int = SEARCH_LIMIT) -> list[MemberRow]:
    """Every member whose name has words starting with each word typed, ignoring accents and case; or the
    member whose code, party card number or CCCD number is typed ("DV000684").

    The words typed in that order come first ("nguyen van an" before "Nguyễn Thị Vân An"), then name order.
    Members who have left still match (their organization is shown empty).
    """
    words = fold(text).split()
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _server_search(session, words, text, as_of, limit)
    from khoi_desktop.core.engines import sqlite_search

    session.flush()  # the index is read through the driver: pending members first, as the ORM would
    typed = text.strip()
    identified = sqlite_search.identifier_ids(session.connection(), typed) if " " not in typed else []
    found, phrase_count = _indexed_ids(session, words, limit)
    ids = list(dict.fromkeys(identified + found))
    if not ids:
        return []
    from khoi_desktop.core.member_events.models import EventKind

    connection = session.connection()
    exemptions = sqlite_search.has_events(  # seldom any: then no ORM query for them
        connection, (EventKind.MIEN_SINH_HOAT.value, EventKind.HET_MIEN.value))
    rows = _built(session, sqlite_search.member_rows(connection, ids, as_of.isoformat()), as_of, exemptions)
    # The index's order is name order only roughly (core/engines/sqlite_search.py): the exact one from the rows.
    first, in_phrase = set(identified), set(found[:phrase_count])
    return sorted(rows, key=lambda row: (row.id not in first, row.id not in in_phrase, row.sort_key, row.code))


def _server_search(session: Session, words: list[str], text: str, as_of: dt.date, limit: int) -> list[MemberRow]:
    """PostgreSQL: one statement over the prefix index member_terms (core/engines/postgres_search.py), the
    same members in the same order as the SQLite search."""
    from khoi_desktop.core.engines.postgres_search import search
    from khoi_desktop.core.member_events.models import EventKind

    session.flush()  # the index is read through the driver: pending members first, as the ORM would
    typed = text.strip()
    found = search(session.connection(), words, typed if " " not in typed else None, as_of, limit,
                   (EventKind.MIEN_SINH_HOAT.value, EventKind.HET_MIEN.value))
    if not found:
        return []
    rows = _built(session, [row[:14] for row in found], as_of, exemptions=found[0][16])
    first = {row[0] for row in found if row[14]}
    in_phrase = {row[0] for row in found if row[15]}
    return sorted(rows, key=lambda row: (row.id not in first, row.id not in in_phrase, row.sort_key, row.code))


def _indexed_ids(session: Session, words: list[str], limit: int) -> tuple[list[int], int]:
    """SQLite: the members of the FTS5 index (member_fts) having the words typed in that order, then those
    having them otherwise; each part the first in name order, roughly ordered; and how many are the first."""
    from khoi_desktop.core.engines.sqlite_search import all_match, first_in_name_order, phrase_match

    connection = session.connection()
    phrase = phrase_match(words)
    found = first_in_name_order(connection, phrase, limit)
    in_phrase = len(found)
    if len(words) > 1 and in_phrase < limit:  # one word: its phrase is the word
        found += first_in_name_order(connection, f"({all_match(words)}) NOT {phrase}", limit - in_phrase)
    return found, in_phrase


@dataclass(frozen=True)
class HistoryLine:
    org_code: str
    org_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    decision: str | None  # decision code, or None when entered without one


@dataclass(frozen=True)
class SeatLine:
    member_name: str
    org_name: str
    role_label: str
    term: str
    valid_from: dt.date
    valid_to: dt.date | None
    decision: str | None


@dataclass(frozen=True)
class MemberDetail:
    code: str
    full_name: str
    fields: list[tuple[str, str]]  # (label, value) in form 2-HSĐV order
    history: list[HistoryLine]
    seats: list[SeatLine]
    timeline: list[Any] = field(default_factory=list)  # member_events.timeline.TimelineLine, oldest first


def member_detail(session: Session, code: str, as_of: dt.date) -> MemberDetail:
    member = session.scalars(select(Member).where(Member.code == code)).first()
    if member is None and (stored := stored_in_other_case(session, Member.code, code)) is not None:
        return member_detail(session, stored, as_of)
    if member is None:
        raise MemberNotFound(code)
    fields = [
        ("Mã", member.code),
        ("Họ và tên", member.full_name),
        ("Giới tính", member.sex.label),
        ("Ngày sinh", show_date(member.birth_date)),
        ("Quê quán", member.hometown or ""),
        ("Dân tộc", member.ethnicity or ""),
        ("Tôn giáo", member.religion or ""),
        ("Số CCCD", member.national_id or ""),
        ("Số thẻ đảng viên", member.card_number or ""),
        ("Số lý lịch", member.so_ly_lich or ""),
        ("Ngày vào Đảng", show_date(member.admitted_on)),
        ("Ngày chính thức", show_date(member.full_member_on)),
        ("Trạng thái", member.status_on(as_of).label),
        ("Trình độ chuyên môn", member.education or ""),
        ("Lý luận chính trị", member.theory_level or ""),
        ("Chức vụ", member.job_title or ""),
        ("Cơ quan, đơn vị", member.agency or ""),
    ]
    fields += temporary_fields(session, member.id, as_of)
    history = [
        HistoryLine(m.org.code, m.org.name, m.valid_from, m.valid_to, decision_code(session, m.decision_id))
        for m in member.memberships
    ]
    seats = [
        SeatLine(member.full_name, s.org.name, s.role.label, s.term, s.valid_from, s.valid_to,
                 decision_code(session, s.decision_id))
        for s in session.scalars(
            select(CommitteeSeat).where(CommitteeSeat.member_id == member.id).order_by(CommitteeSeat.valid_from)
        )
    ]
    from khoi_desktop.core.member_events.timeline import member_timeline  # member_events reads this module

    return MemberDetail(member.code, member.full_name, fields, history, seats, member_timeline(session, member))


def temporary_fields(session: Session, member_id: int, as_of: dt.date) -> list[tuple[str, str]]:
    """'Sinh hoạt tạm thời' while a temporary transfer runs on `as_of`: where, and until when."""
    from khoi_desktop.core.member_events.models import EventKind, MemberEvent

    running = session.execute(
        select(MemberEvent.body, Organization.name, MemberEvent.on, MemberEvent.until)
        .outerjoin(Organization, Organization.id == MemberEvent.to_org_id)
        .where(MemberEvent.member_id == member_id, MemberEvent.kind == EventKind.TAM_THOI.value,
               MemberEvent.on <= as_of, or_(MemberEvent.until.is_(None), MemberEvent.until > as_of))
        .order_by(MemberEvent.on.desc())).first()
    if running is None:
        return []
    body, org_name, start, until = running
    end = f" đến ngày {show_date(until)}" if until else ""
    return [("Sinh hoạt tạm thời", f"tại {org_name or body or ''} từ ngày {show_date(start)}{end}")]


def decision_code(session: Session, decision_id: int | None) -> str | None:
    if decision_id is None:
        return None
    decision = session.get(Decision, decision_id)
    return decision.code if decision else None
