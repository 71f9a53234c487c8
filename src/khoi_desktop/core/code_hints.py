"""What to say when a request names an organization or member by something that is not its code.

Requests and commands name organizations and members by their codes (shared/CLI.md). A clerk often types
the name instead ("Chi bộ Văn phòng", "nguyen van an", from another keyboard in NFD) or the code in lower
case: the lookup still refuses, but the refusal says which codes that text fits, so the clerk can pick one.
Read only on a refusal; nothing here is on the path of a request that names things right.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from khoi_desktop.core.models import Member, Organization, Placement
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.text import fold, nfc, show_date

_SHOWN = 8  # candidates listed by name; the rest counted


def _listing(items: list[str], noun: str) -> str:
    shown = ", ".join(items[:_SHOWN])
    return shown + (f" và {len(items) - _SHOWN} {noun} khác" if len(items) > _SHOWN else "")


def org_code_hint(session: Session, text: str | None) -> str:
    """' «Chi bộ Văn phòng» là tên của 5 tổ chức: CB0012 (…), …' or '' when the text fits no organization."""
    typed = nfc(text).strip()
    key = fold(typed)
    if not key:
        return ""
    parent = aliased(Organization)
    rows = session.execute(
        select(Organization.code, Organization.name, Organization.ended_on, parent.name, Organization.founded_on)
        .outerjoin(Placement, Placement.org_id == Organization.id)
        .outerjoin(parent, parent.id == Placement.parent_id)
        .where((Organization.name_key == key) | (func.upper(Organization.code) == typed.upper()))
        .order_by(Organization.ended_on.is_not(None), Organization.code, Placement.valid_from.desc())
    ).all()
    codes = list(dict.fromkeys(row.code for row in rows))
    if not codes:
        return ""
    seen: dict[str, str] = {}  # each organization where it is (or was last), its latest placement first
    top = load_settings(session).issuing_body_short
    for code, name, ended_on, parent_name, _founded in rows:
        where = f"thuộc {parent_name}" if parent_name else f"trực thuộc {top}"
        ended = f", đã kết thúc ngày {show_date(ended_on)}" if ended_on else ""
        seen.setdefault(code, f"{code} ({name}, {where}{ended})")
    if len(codes) == 1 and codes[0].upper() == typed.upper():  # the code is right: the day asked for is not
        founded = rows[0].founded_on
        return (f" {seen[codes[0]]} thành lập ngày {show_date(founded)}: hãy xem từ ngày đó trở đi."
                if founded else "")
    if len(codes) == 1:
        return f" Tổ chức đảng được nêu bằng mã: «{typed}» là {seen[codes[0]]}, hãy ghi mã {codes[0]}."
    return (f" Tổ chức đảng được nêu bằng mã; «{typed}» khớp {len(codes)} tổ chức: "
            f"{_listing(list(seen.values()), 'tổ chức')}. Hãy ghi mã của tổ chức cần chọn.")


def member_code_hint(session: Session, text: str | None) -> str:
    """' «nguyen van an» là tên của 3 đảng viên: DV000123 (sinh …), …' or '' when the text fits no member."""
    typed = nfc(text).strip()
    key = fold(typed)
    if not key:
        return ""
    rows = session.execute(
        select(Member.code, Member.family_name, Member.middle_name, Member.given_name, Member.birth_date)
        .where((Member.search_key == key) | (func.upper(Member.code) == typed.upper()))
        .order_by(Member.code).limit(200)
    ).all()
    if not rows:
        return ""
    described = [f"{row.code} ({' '.join(p for p in (row.family_name, row.middle_name, row.given_name) if p)}"
                 f"{', sinh ' + show_date(row.birth_date) if row.birth_date else ''})" for row in rows]
    if len(rows) == 1:
        return f" Đảng viên được nêu bằng mã: «{typed}» là {described[0]}, hãy ghi mã {rows[0].code}."
    return (f" Đảng viên được nêu bằng mã; «{typed}» khớp {len(rows)} đảng viên: {_listing(described, 'đảng viên')}. "
            "Hãy ghi mã của người cần chọn.")
