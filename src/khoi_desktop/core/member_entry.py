"""Members entering the office's records: new Member rows (codes, name keys) and their first membership.

Both ways in write through here: members received with an organization (a decision's effect) and
members imported from a spreadsheet (spreadsheets/ only reads the cells into NewMember).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.bulk_load import reserve_ids
from khoi_desktop.core.codes import MEMBER_CODE_PREFIX, next_codes
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.models import Member, Membership, MoveReason, Sex
from khoi_desktop.core.text import fold, full_name, name_sort_key, nfc, nfc_or_none

Progress = Callable[[int, int], None]
# From this many members on, a server gives their ids ahead (core/bulk_load.py reserve_ids).
_MANY = 20


@dataclass(frozen=True)
class NewMember:
    """A person to add, read and checked by the caller; `texts` are further fields of form 2-HSĐV."""

    family_name: str
    middle_name: str
    given_name: str
    sex: Sex
    birth_date: dt.date | None
    admitted_on: dt.date | None
    full_member_on: dt.date | None = None
    national_id: str | None = None
    card_number: str | None = None
    job_title: str | None = None
    texts: dict[str, str | None] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.middle_name, self.given_name)


@dataclass(frozen=True)
class Joining:
    """Where and from when a new member sits, and why (for Biểu 1)."""

    org_id: int
    on: dt.date
    reason: MoveReason
    note: str | None = None
    decision_id: int | None = None


class EntryCancelled(KhoiError):
    code = "cancelled"


def next_member_codes(session: Session, count: int) -> list[str]:
    """Codes continuing the 'DV' sequence: DV000124, DV000125 … (keeping the width already in use)."""
    return next_codes(session, Member.code, MEMBER_CODE_PREFIX, count)


def member_row(code: str, new: NewMember) -> Member:
    """The Member entity, names in NFC with their search and sort keys."""
    family, middle, given = nfc(new.family_name), nfc(new.middle_name), nfc(new.given_name)
    texts = {key: nfc_or_none(value) for key, value in new.texts.items()}
    if new.job_title is not None:
        texts["job_title"] = nfc_or_none(new.job_title)
    return Member(
        code=code, family_name=family, middle_name=middle, given_name=given,
        search_key=fold(full_name(family, middle, given)), sort_key=name_sort_key(family, middle, given),
        sex=new.sex, birth_date=new.birth_date, national_id=nfc_or_none(new.national_id),
        card_number=nfc_or_none(new.card_number), admitted_on=new.admitted_on, full_member_on=new.full_member_on,
        **texts,
    )


def enter_members(session: Session, entries: Sequence[tuple[NewMember, Joining]], *, codes: Sequence[str] | None = None,
                  progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> list[Member]:
    """Add the members and their memberships in the caller's transaction; codes continue the sequence
    where not given. A cancel before the end raises EntryCancelled (the caller's rollback undoes all)."""
    codes = list(codes) if codes is not None else next_member_codes(session, len(entries))
    many = len(entries) >= _MANY
    member_ids = reserve_ids(session, "members", len(entries)) if many else None
    members: list[Member] = []
    for done, ((new, _), code) in enumerate(zip(entries, codes, strict=True), start=1):
        if cancelled is not None and cancelled():
            raise EntryCancelled("Đã hủy: chưa có đảng viên nào được thêm.")
        member = member_row(code, new)
        if member_ids is not None:
            member.id = member_ids[done - 1]
        members.append(member)
        if progress is not None and (done % 50 == 0 or done == len(entries)):
            progress(done, len(entries))
    session.add_all(members)
    session.flush()
    membership_ids = reserve_ids(session, "memberships", len(entries)) if many else None
    session.add_all([
        Membership(id=membership_ids[i] if membership_ids is not None else None, member_id=member.id,
                   org_id=joining.org_id, valid_from=joining.on, start_reason=joining.reason.value, note=joining.note,
                   decision_id=joining.decision_id)
        for i, (member, (_, joining)) in enumerate(zip(members, entries, strict=True))
    ])
    session.flush()
    if cancelled is not None and cancelled():
        raise EntryCancelled("Đã hủy: chưa có đảng viên nào được thêm.")
    return members


def import_members(session: Session, entries: Sequence[tuple[NewMember, Joining]], *, actor: str, source: str,
                   sheet: str, org: str | None, rows: Sequence[int], progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> list[str]:
    """Members read from a spreadsheet, all or none, audited; returns their codes."""
    require(session, Permission.IMPORT)
    members = enter_members(session, entries, progress=progress, cancelled=cancelled)
    org_codes = _org_codes(session, [joining.org_id for _, joining in entries])
    after: dict[str, Any] = {
        "file": source, "sheet": sheet, "org": org, "count": len(members),
        "members": [[m.code, new.full_name, org_codes[joining.org_id], row]
                    for m, (new, joining), row in zip(members, entries, rows, strict=True)]}
    record(session, actor=actor, action="import_members", target=f"{source} / {sheet}", after=after)
    return [m.code for m in members]


def _org_codes(session: Session, org_ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from khoi_desktop.core.models import Organization

    rows = session.execute(select(Organization.id, Organization.code).where(Organization.id.in_(set(org_ids))))
    return {org_id: code for org_id, code in rows}
