"""Biểu 1 (increase and decrease over a period), Biểu 5 (by organization kind) and chart figures."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from factories import add_member, add_org
from khoi_desktop.core.db import Database
from khoi_desktop.core.models import Member, Membership, MoveReason, Organization, OrgKind, Sex
from khoi_desktop.core.reports import INTERNAL, OTHER, admissions_per_year, bieu1, bieu5, probationary_due

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
BEFORE = dt.date(2020, 1, 1)


def join(session: Session, member: Member, org: Organization, on: dt.date, reason: MoveReason | None) -> None:
    session.add(Membership(member_id=member.id, org_id=org.id, valid_from=on,
                           start_reason=reason.value if reason else None))
    session.flush()


def leave(session: Session, member: Member, on: dt.date, reason: MoveReason | None) -> None:
    current = next(m for m in member.memberships if m.valid_to is None)
    current.valid_to, current.end_reason = on, reason.value if reason else None
    session.flush()


def move(session: Session, member: Member, org: Organization, on: dt.date, *, reasons: bool = True) -> None:
    leave(session, member, on, MoveReason.CHUYEN_SINH_HOAT if reasons else None)
    join(session, member, org, on, MoveReason.CHUYEN_SINH_HOAT if reasons else None)
    session.refresh(member)


@pytest.fixture
def office(db: Database) -> Database:
    """DB01 (CB11 with 6, CB12 with 2) and CS01 (3) before 2024; a year of events in 2024."""
    with db.writing() as s:
        db01 = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        cb11 = add_org(s, "CB11", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cb12 = add_org(s, "CB12", "Chi bộ Thanh tra", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cs01 = add_org(s, "CS01", "Chi bộ Ban Dân tộc", OrgKind.CHI_BO_CO_SO)
        people = [add_member(s, f"Nguyễn Văn A{i}", cb11, joined_on=BEFORE, admitted_on=dt.date(2015, 1, 1))
                  for i in range(4)]
        fresh = add_member(s, "Trần Thị Dự Bị", cb11, joined_on=BEFORE, admitted_on=dt.date(2023, 6, 1),
                           sex=Sex.NU, full_member_on=dt.date(2024, 6, 1))  # made full in the period
        quiet = add_member(s, "Lê Thị Yên", cb11, joined_on=BEFORE, sex=Sex.NU)
        for i in range(2):
            add_member(s, f"Phạm Văn B{i}", cb12, joined_on=BEFORE)
        for i in range(3):
            add_member(s, f"Hoàng Văn C{i}", cs01, joined_on=BEFORE)
        admitted = add_member(s, "Vũ Văn Mới", None, admitted_on=dt.date(2024, 3, 2), probationary=True)
        join(s, admitted, cb11, dt.date(2024, 3, 2), MoveReason.KET_NAP)
        arrived = add_member(s, "Đỗ Văn Đến", None)
        join(s, arrived, cs01, dt.date(2024, 4, 1), MoveReason.CHUYEN_DEN)
        received = add_member(s, "Bùi Văn Nhận", None)
        join(s, received, cs01, dt.date(2024, 5, 1), MoveReason.TIEP_NHAN)
        leave(s, people[0], dt.date(2024, 6, 1), MoveReason.TU_TRAN)
        leave(s, people[1], dt.date(2024, 7, 1), MoveReason.CHUYEN_DI)
        move(s, people[2], cb12, dt.date(2024, 8, 1))  # inside DB01: not counted
        move(s, people[3], cs01, dt.date(2024, 9, 1), reasons=False)  # DB01 -> CS01, no reason recorded
        leave(s, quiet, dt.date(2024, 10, 1), None)  # left, reason unknown
        late = add_member(s, "Ngô Văn Sau", None)
        join(s, late, cb11, dt.date(2025, 2, 1), MoveReason.KET_NAP)  # after the period
        assert fresh.id
    return db


def test_bieu1_counts_each_reason_and_balances(office: Database) -> None:
    with office.reading() as s:
        form = bieu1(s, START, END)
    assert [r.code for r in form.rows] == ["DB01", "CS01"]  # the tree's order: đảng bộ first
    db01, cs01 = form.rows
    assert (db01.opening, db01.opening_probationary) == (8, 1)
    assert db01.increases == {MoveReason.KET_NAP.value: 1}
    assert db01.decreases == {MoveReason.TU_TRAN.value: 1, MoveReason.CHUYEN_DI.value: 1, INTERNAL: 1, OTHER: 1}
    assert (db01.closing, db01.closing_probationary, db01.made_full) == (5, 1, 1)
    assert cs01.opening == 3 and cs01.closing == 6
    assert cs01.increases == {MoveReason.CHUYEN_DEN.value: 1, MoveReason.TIEP_NHAN.value: 1, INTERNAL: 1}
    assert all(r.balances for r in form.rows)
    total = form.total
    assert (total.opening, total.closing) == (11, 11)
    assert total.increases[INTERNAL] == total.decreases[INTERNAL] == 0  # moves inside the committee
    assert total.increase_total == 3 and total.decrease_total == 3 and total.balances


def test_bieu1_on_a_quiet_period_and_bad_dates(office: Database) -> None:
    with office.reading() as s:
        form = bieu1(s, dt.date(2021, 1, 1), dt.date(2021, 12, 31))
        assert form.total.opening == form.total.closing == 11
        assert form.total.increase_total == form.total.decrease_total == 0
        with pytest.raises(ValueError):
            bieu1(s, END, START)


def test_bieu5_by_kind(office: Database) -> None:
    with office.reading() as s:
        form = bieu5(s, dt.date(2025, 1, 1))
    rows = {r.label: r for r in form.rows}
    dang_bo = rows["Đảng bộ cơ sở"]
    assert (dang_bo.organizations, dang_bo.members, dang_bo.probationary, dang_bo.women) == (1, 5, 1, 1)
    assert rows["Trong đó: chi bộ trực thuộc"].organizations == 2 and rows["Trong đó: chi bộ trực thuộc"].detail
    assert rows["Trong đó: đảng bộ bộ phận"].organizations == 0
    chi_bo = rows["Chi bộ cơ sở"]
    assert (chi_bo.organizations, chi_bo.members) == (1, 6)
    assert (form.total.organizations, form.total.members, form.total.probationary) == (2, 11, 1)
    with office.reading() as s:
        early = bieu5(s, dt.date(2022, 1, 1))
    assert early.total.members == 11 and early.total.women == 2


def test_chart_figures(office: Database) -> None:
    with office.reading() as s:
        years = admissions_per_year(s, dt.date(2025, 6, 1), years=3)
        assert years == [(2023, 0), (2024, 1), (2025, 1)]
        due = probationary_due(s, dt.date(2025, 1, 15), months=3)
        assert due == [("Quá hạn", 0), ("01/2025", 0), ("02/2025", 0), ("03/2025", 1)]
        assert probationary_due(s, dt.date(2025, 4, 1), months=1) == [("Quá hạn", 1), ("04/2025", 0)]
        due = probationary_due(s, dt.date(2024, 12, 1), months=4)
        assert due[0] == ("Quá hạn", 0) and ("03/2025", 1) in due
