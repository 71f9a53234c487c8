"""Duplicates of an imported row: same CCCD, same party card number, or same name and date of birth,
earlier in the file or already in the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.models import Member
from khoi_desktop.core.text import fold, full_name, show_date

if TYPE_CHECKING:
    from khoi_desktop.spreadsheets.member_import import MemberDraft


@dataclass(frozen=True)
class Duplicate:
    row: int
    kind: str  # national_id, card_number, name_birth
    value: str
    other_row: int | None  # the earlier row of the file with the same value
    member: str | None  # code of the member already in the database
    message: str
    blocking: bool

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "kind": self.kind, "value": self.value, "other_row": self.other_row,
                "member": self.member, "message": self.message, "blocking": self.blocking}


_KIND_LABELS = {"national_id": "số CCCD", "card_number": "số thẻ đảng viên", "name_birth": "họ tên và ngày sinh"}


def _shown(kind: str, draft: MemberDraft) -> str:
    if kind == "national_id":
        return draft.national_id or ""
    if kind == "card_number":
        return draft.card_number or ""
    return f"{draft.full_name}, sinh {show_date(draft.birth_date)}"



def find_duplicates(session: Session, drafts: list[MemberDraft], *, accept_name_duplicates: bool) -> list[Duplicate]:
    """Every duplicate, by row; same name and birth date blocks unless the clerk accepts it."""
    keys = {
        "national_id": lambda d: d.national_id,
        "card_number": lambda d: d.card_number,
        "name_birth": lambda d: f"{fold(d.full_name)}|{d.birth_date}" if d.birth_date else None,
    }
    found: list[Duplicate] = []
    in_db = _existing(session, drafts)
    for kind, key in keys.items():
        first: dict[str, MemberDraft] = {}
        blocking = kind != "name_birth" or not accept_name_duplicates
        for draft in drafts:
            value = key(draft)
            if not value:
                continue
            shown = _shown(kind, draft)
            if value in first:
                other = first[value]
                found.append(Duplicate(
                    draft.row, kind, shown, other.row, None,
                    f"Dòng {draft.row} trùng {_KIND_LABELS[kind]} với dòng {other.row} của tệp ({shown}).", blocking))
            else:
                first[value] = draft
            for code, name in in_db.get((kind, value), []):
                found.append(Duplicate(
                    draft.row, kind, shown, None, code,
                    f"Dòng {draft.row} trùng {_KIND_LABELS[kind]} với đảng viên đã có {name} (mã {code}).", blocking))
    return sorted(found, key=lambda d: (d.row, d.kind))


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i:i + size] for i in range(0, len(values), size)]


def _existing(session: Session, drafts: list[MemberDraft]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(kind, value) -> [(code, full name)] of members already in the database."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    columns = (Member.code, Member.family_name, Member.middle_name, Member.given_name)

    def add(kind: str, value: str, row: Any) -> None:
        found.setdefault((kind, value), []).append((row.code, full_name(row[1], row[2], row[3])))

    ids = sorted({d.national_id for d in drafts if d.national_id})
    for chunk in _chunks(ids):
        for row in session.execute(select(*columns, Member.national_id).where(Member.national_id.in_(chunk))):
            add("national_id", row.national_id, row)
    cards = sorted({d.card_number for d in drafts if d.card_number})
    for chunk in _chunks(cards):
        for row in session.execute(select(*columns, Member.card_number).where(Member.card_number.in_(chunk))):
            add("card_number", row.card_number, row)
    names = sorted({fold(d.full_name) for d in drafts if d.birth_date})
    for chunk in _chunks(names):
        query = select(*columns, Member.search_key, Member.birth_date).where(Member.search_key.in_(chunk))
        for person in session.execute(query):
            if person.birth_date:
                add("name_birth", f"{person.search_key}|{person.birth_date}", person)
    return found
