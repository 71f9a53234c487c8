"""Domain rules live in core, once: member codes, member status, the tree walk, writing members."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import select

import khoi_desktop
from factories import add_member, add_members, add_org
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.db import Database
from khoi_desktop.core.member_entry import next_member_codes
from khoi_desktop.core.models import Member, MemberStatus, Term, member_status
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.documents.pdf import render_pdf

PACKAGE = Path(khoi_desktop.__file__).parent
DAY = dt.date(2026, 3, 2)


def test_received_and_imported_members_continue_one_code_sequence(db: Database) -> None:
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        add_member(s, "Nguyễn Văn An", code="DV0123")
    receive = {"action": "receive", "from_body": "Đảng ủy Khối Doanh nghiệp tỉnh", "effective": DAY.isoformat(),
               "orgs": [{"name": "Chi bộ Kiểm định", "kind": "chi_bo_co_so", "members": [
                   {"family_name": "Lê", "middle_name": "Thị", "given_name": given, "birth_date": "1990-01-02",
                    "sex": "nu", "status": "chinh_thuc", "admitted_on": "2015-05-19"} for given in ("Hoa", "Mai", "Lan")
               ]}]}
    with db.writing() as s:
        apply_request(s, parse_request(receive), actor="test", issue=True, today=DAY, render=render_pdf)
        received = s.scalars(select(Member).where(Member.given_name == "Hoa")).one()
        assert received.code == "DV0124"  # the width in use, as the spreadsheet import continues it
        assert received.full_member_on == dt.date(2016, 5, 19)
        assert next_member_codes(s, 2) == ["DV0127", "DV0128"]


def test_status_has_one_rule() -> None:
    day = dt.date(2026, 1, 1)
    assert member_status(None, None, day) is MemberStatus.DU_BI
    assert member_status(day, None, day) is MemberStatus.CHINH_THUC
    assert member_status(day, day, day) is MemberStatus.MIEN_SINH_HOAT
    twins = [p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py")
             if re.search(r"return MemberStatus\.MIEN_SINH_HOAT", p.read_text(encoding="utf-8"))]
    assert [str(p) for p in twins] == ["core/models.py"]


def test_the_tree_is_walked_in_one_place(db: Database) -> None:
    with db.writing() as s:
        top = add_org(s, "CS001", "Đảng bộ Sở Y tế", "dang_bo_co_so")
        add_members(s, add_org(s, "CB0002", "Chi bộ Văn phòng", "chi_bo_truc_thuoc", parent=top), 1)
        add_members(s, add_org(s, "CB0001", "Chi bộ Dược", "chi_bo_truc_thuoc", parent=top), 1)
        add_members(s, add_org(s, "CS002", "Chi bộ Hội Nông dân", "chi_bo_co_so"), 1)
    with db.reading() as s:
        snapshot = load_snapshot(s, DAY)
    names = [snapshot.nodes[i].name for i in snapshot.in_tree_order()]
    assert names == ["Đảng bộ Sở Y tế", "Chi bộ Dược", "Chi bộ Văn phòng", "Chi bộ Hội Nông dân"]
    dang_bo = snapshot.by_code("CS001")
    assert dang_bo is not None and snapshot.subtree_ids(dang_bo.id) == snapshot.in_tree_order()[:3]
    assert {snapshot.root_of(i).code for i in snapshot.subtree_ids(dang_bo.id)} == {"CS001"}
    walks = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
             if "stack.extend(" in p.read_text(encoding="utf-8") and "children" in p.read_text(encoding="utf-8")]
    assert walks == ["core/tree.py"]


def test_spreadsheets_and_documents_only_read_and_write_cells() -> None:
    writes = re.compile(r"session\.add|\bMember\(|\bMembership\(|\brecord\(session")
    offenders = [str(p.relative_to(PACKAGE)) for folder in ("spreadsheets", "documents")
                 for p in (PACKAGE / folder).rglob("*.py") if writes.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
