"""Biểu 1 from members' events: every admission, reception, recognition, transfer out and leaving counted
once, members entered from an existing list as the opening balance."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select

from factories import add_org
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.member_entry import Joining, NewMember, enter_members
from khoi_desktop.core.member_events.models import MemberEvent
from khoi_desktop.core.models import Member, MoveReason, Sex, Term
from khoi_desktop.core.reports import INTERNAL, bieu1
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.documents.pdf import render_pdf

ENTERED = dt.date(2026, 1, 10)
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
# Which event is which column of Biểu 1.
COLUMN = {"ket_nap": "ket_nap", "chuyen_den": "chuyen_den", "chuyen_di": "chuyen_di", "tu_tran": "tu_tran",
          "xin_ra": "xin_ra", "xoa_ten": "xoa_ten", "khai_tru": "khai_tru"}
INCREASE_EVENTS = {"ket_nap", "chuyen_den"}


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    """Two TCCSĐ entered on 10/01/2026 from the list kept until then: Đảng bộ Sở Y tế (CB0001 with 8, CB0002
    with 5) and Chi bộ Hội Nông dân (CS002 with 6, one of them probationary since 01/02/2025)."""
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        dang_bo = add_org(s, "CS001", "Đảng bộ Sở Y tế", "dang_bo_co_so")
        orgs = [(add_org(s, "CB0001", "Chi bộ Văn phòng", "chi_bo_truc_thuoc", parent=dang_bo), 8),
                (add_org(s, "CB0002", "Chi bộ Thanh tra", "chi_bo_truc_thuoc", parent=dang_bo), 5),
                (add_org(s, "CS002", "Chi bộ Hội Nông dân", "chi_bo_co_so"), 6)]
        entries, codes = [], []
        for org, count in orgs:
            for i in range(1, count + 1):
                probationary = org.code == "CS002" and i == count
                admitted = dt.date(2025, 2, 1) if probationary else dt.date(2000 + i, 3, 1)
                entries.append((NewMember("Trần", "Văn", f"{org.code} {i:03d}", Sex.NAM, dt.date(1980, 1, i),
                                          admitted, None if probationary else dt.date(2001 + i, 3, 1)),
                                Joining(org.id, ENTERED, MoveReason.DANH_SACH)))
                codes.append(f"{org.code}-{i:03d}")
        enter_members(s, entries, codes=codes)
    return db


def run(db, data: dict) -> list[str]:  # type: ignore[no-untyped-def]
    with db.writing() as s:
        _, warnings = apply_request(s, parse_request(data), actor="test", issue=True, today=dt.date(2026, 6, 1),
                                    render=render_pdf)
    return warnings


def person(given: str) -> dict:
    return {"family_name": "Lê", "middle_name": "Thị", "given_name": given, "birth_date": "1995-04-01", "sex": "nu"}


def a_year_of_events(db) -> None:  # type: ignore[no-untyped-def]
    run(db, {"action": "admit", "org": "CB0002", "admitted_on": "2026-02-03",
             "people": [person("Hoa"), person("Lan"), person("Mai")]})
    run(db, {"action": "receive_member", "from_body": "Đảng bộ tỉnh Bắc Ninh", "org": "CS002", "on": "2026-03-01",
             "person": {**person("Hạnh"), "status": "chinh_thuc", "admitted_on": "2015-05-19"}})
    run(db, {"action": "confirm_full", "members": ["CS002-006"], "on": "2026-02-05"})
    run(db, {"action": "transfer_member", "member": "CB0001-001", "to_body": "Đảng bộ tỉnh Bắc Ninh",
             "on": "2026-04-01"})
    for code, reason, day in (("CB0001-002", "tu_tran", "2026-04-02"), ("CB0001-003", "xin_ra", "2026-04-03"),
                              ("CB0001-004", "xoa_ten", "2026-04-04"), ("CB0001-005", "khai_tru", "2026-04-05")):
        run(db, {"action": "leave", "member": code, "reason": reason, "on": day})
    run(db, {"action": "transfer_member", "member": "CB0001-006", "to": "CB0002", "on": "2026-05-01"})
    run(db, {"action": "transfer_member", "member": "CS002-001", "to": "CB0001", "on": "2026-05-02"})
    run(db, {"action": "transfer_member", "member": "CS002-002", "to_body": "Trường Chính trị tỉnh",
             "temporary": True, "until": "2026-11-30", "on": "2026-05-03"})


def test_bieu1_of_the_year_is_exactly_the_events(office) -> None:  # type: ignore[no-untyped-def]
    a_year_of_events(office)
    with office.reading() as s:
        events = Counter(e.kind for e in s.scalars(select(MemberEvent)))
        report = bieu1(s, *YEAR)
    counted = {k: v for k, v in events.items() if k in COLUMN}
    assert {k: v for k, v in report.total.increases.items() if v} == {
        COLUMN[k]: v for k, v in counted.items() if k in INCREASE_EVENTS}
    assert {k: v for k, v in report.total.decreases.items() if v} == {
        COLUMN[k]: v for k, v in counted.items() if k not in INCREASE_EVENTS}
    assert report.total.made_full == events["chinh_thuc"] == 1
    assert (report.total.opening, report.total.opening_probationary) == (19, 1), "the list entered is the opening"
    assert report.total.closing == 19 + 4 - 5 and report.total.balances
    assert all(row.balances for row in report.rows)
    dang_bo = next(r for r in report.rows if r.code == "CS001")
    assert (dang_bo.increases[INTERNAL], dang_bo.decreases[INTERNAL]) == (1, 0), "a move inside it is not counted"


def test_bieu1_of_a_month_holds_that_month_only(office) -> None:  # type: ignore[no-untyped-def]
    a_year_of_events(office)
    with office.reading() as s:
        january = bieu1(s, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
        april = bieu1(s, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
        before = bieu1(s, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert (january.total.opening, january.total.increase_total, january.total.decrease_total) == (19, 0, 0)
    assert april.total.opening == 23 and april.total.increase_total == 0
    assert {k: v for k, v in april.total.decreases.items() if v} == {
        "chuyen_di": 1, "tu_tran": 1, "xin_ra": 1, "xoa_ten": 1, "khai_tru": 1}
    assert before.total.closing == 0, "nothing was kept in the app before the list was entered"
    with office.reading() as s:
        assert s.scalars(select(Member).where(Member.code == "CS002-006")).one().full_member_on == dt.date(2026, 2, 1)
