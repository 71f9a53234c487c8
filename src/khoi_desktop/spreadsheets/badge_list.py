"""The Huy hiệu Đảng proposal list (danh sách đề nghị tặng Huy hiệu Đảng) of one occasion, as an Excel sheet:
the members of core/member_events/lists.py `badges`, grouped by milestone, largest first."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.member_events.lists import ListedMember, badges, next_occasion
from khoi_desktop.core.models import Member
from khoi_desktop.core.text import show_date
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.spreadsheets.layout import Column, ReportSheet

BADGE_COLUMNS = [
    Column("STT", 6, kind="center"), Column("Mã", 11, kind="center"), Column("Họ và tên", 26),
    Column("Ngày sinh", 12, kind="date"), Column("Quê quán", 22), Column("Ngày vào Đảng", 12, kind="date"),
    Column("Ngày chính thức", 12, kind="date"), Column("Đủ tuổi đảng ngày", 12, kind="date"),
    Column("Chi bộ", 26), Column("Tổ chức cơ sở đảng", 26), Column("Ghi chú", 30),
]


def badge_note(m: ListedMember) -> str:
    """Why the party age differs from the admission date, as the proposal must say it."""
    parts = []
    if m.age_from is not None:
        parts.append(f"Kết nạp lại; tuổi đảng tính từ ngày kết nạp lần đầu {show_date(m.age_from)}")
    if m.gap_days:
        parts.append(f"trừ {m.gap_days} ngày không sinh hoạt đảng")
    return ", ".join(parts)


def write_badges(session: Session, sheet: ReportSheet, occasion: dt.date | None, today: dt.date) -> tuple[int, str]:
    day = occasion or next_occasion(today)
    listed = badges(session, day)
    details = {row.code: row for row in session.execute(
        select(Member.code, Member.birth_date, Member.hometown, Member.full_member_on)
        .where(Member.code.in_([m.code for m in listed])))} if listed else {}
    snapshot = load_snapshot(session, day)
    sheet.expect(len(listed))
    sheet.title("DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG", f"Đợt {show_date(day)}")
    sheet.header()
    number = 0
    for years, group in groupby(listed, key=lambda m: m.party_years):
        members = list(group)
        sheet.data([None, None, f"Huy hiệu {years} năm tuổi Đảng: {len(members)} đồng chí"]
                   + [None] * (len(BADGE_COLUMNS) - 3), bold=True, span=2, merge_from=3)
        for m in members:
            number += 1
            row = details.get(m.code)
            node = snapshot.by_code(m.org or "")
            sheet.data([number, m.code, m.full_name, row.birth_date if row else None, row.hometown if row else "",
                        m.admitted_on, row.full_member_on if row else None, m.reached_on, m.org_name or "",
                        snapshot.root_of(node.id).name if node else "", badge_note(m)])
    total = f"Tổng số: {len(listed)} đồng chí"
    sheet.data([None, None, total] + [None] * (len(BADGE_COLUMNS) - 3), bold=True, span=2, merge_from=3)
    sheet.note("Tuổi đảng tính từ ngày ghi trong quyết định kết nạp (đảng viên kết nạp lại: ngày kết nạp lần đầu), "
               "trừ thời gian không tham gia sinh hoạt đảng (Điều lệ Đảng, Điều 5 khoản 4).")
    return len(listed), f"{len(listed)} đảng viên, đợt {show_date(day)}"
