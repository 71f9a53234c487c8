"""Exemption periods kept after they end; party age of re-admitted members (Điều lệ Điều 5 khoản 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from test_member_events import build_office, member, person, refused, run

from khoi_desktop.core.member_events.lists import badges
from khoi_desktop.core.member_events.models import Readmission
from khoi_desktop.core.member_events.party_age import PartyAge
from khoi_desktop.core.member_events.timeline import member_timeline
from khoi_desktop.core.members import members_of, search_members
from khoi_desktop.core.models import Member, MemberStatus


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    return build_office(db)


def test_ending_an_exemption_keeps_the_member_exempt_on_the_days_it_ran(office) -> None:  # type: ignore[no-untyped-def]
    run(office, {"action": "exempt", "member": "CB0001-001", "on": "2026-01-10"})
    run(office, {"action": "end_exemption", "member": "CB0001-001", "on": "2026-02-20"})
    found = member(office, "CB0001-001")
    assert found.status_on(dt.date(2026, 1, 9)) is MemberStatus.CHINH_THUC
    assert found.status_on(dt.date(2026, 2, 1)) is MemberStatus.MIEN_SINH_HOAT, "the past period stays"
    assert found.status_on(dt.date(2026, 2, 20)) is MemberStatus.CHINH_THUC
    with office.reading() as s:
        rows = {r.code: r.status for r in members_of(s, None, dt.date(2026, 2, 1))}
    assert rows["CB0001-001"] is MemberStatus.MIEN_SINH_HOAT, "lists as of a past date agree"
    assert refused(office, {"action": "end_exemption", "member": "CB0001-001", "on": "2026-03-01"}) == ["not_exempt"]
    assert refused(office, {"action": "exempt", "member": "CB0001-001", "on": "2026-02-01"}) == ["already_exempt"]
    run(office, {"action": "exempt", "member": "CB0001-001", "on": "2026-03-01"})
    assert member(office, "CB0001-001").status_on(dt.date(2026, 3, 1)) is MemberStatus.MIEN_SINH_HOAT


def test_every_exemption_period_is_kept_for_questions_as_of_a_date(office) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:  # a period entered from a list, before the app: no event records it
        listed = s.scalars(select(Member).where(Member.code == "CB0001-002")).one()
        listed.exempt_since, listed.exempt_until = dt.date(2024, 1, 1), dt.date(2024, 6, 1)
    for code in ("CB0001-001", "CB0001-002"):
        for action, on in (("exempt", "2025-01-10"), ("end_exemption", "2025-02-20"), ("exempt", "2025-03-01"),
                           ("end_exemption", "2025-04-01"), ("exempt", "2026-01-05")):
            run(office, {"action": action, "member": code, "on": on})
    exempt_days = [dt.date(2025, 1, 10), dt.date(2025, 2, 19), dt.date(2025, 3, 1), dt.date(2025, 3, 31),
                   dt.date(2026, 1, 5)]
    active_days = [dt.date(2025, 1, 9), dt.date(2025, 2, 20), dt.date(2025, 2, 28), dt.date(2025, 4, 1)]
    with office.reading() as s:
        for code in ("CB0001-001", "CB0001-002"):
            found = s.scalars(select(Member).where(Member.code == code)).one()
            assert [found.status_on(d) for d in exempt_days] == [MemberStatus.MIEN_SINH_HOAT] * 5, code
            assert [found.status_on(d) for d in active_days] == [MemberStatus.CHINH_THUC] * 4, code
            for day in exempt_days + active_days:
                row = next(r for r in members_of(s, None, day) if r.code == code)
                assert row.status is found.status_on(day), (code, day)
                searched = next(r for r in search_members(s, code, day) if r.code == code)  # search's rows too
                assert searched.status is found.status_on(day), (code, day)
        listed = s.scalars(select(Member).where(Member.code == "CB0001-002")).one()
        assert listed.status_on(dt.date(2024, 3, 1)) is MemberStatus.MIEN_SINH_HOAT, "the listed period is kept"
        assert listed.status_on(dt.date(2024, 6, 1)) is MemberStatus.CHINH_THUC
    assert refused(office, {"action": "end_exemption", "member": "CB0001-001", "on": "2025-02-01"}) == ["not_exempt"], \
        "an earlier period ended already"


def test_party_age_counts_from_the_first_admission_less_the_gap() -> None:
    age = PartyAge(dt.date(1976, 5, 19), gap_days=400)
    assert age.reached(50) == dt.date(2027, 6, 23)
    assert age.years_on(dt.date(2027, 6, 22)) == 49
    assert age.years_on(dt.date(2027, 6, 23)) == 50
    assert PartyAge(dt.date(1996, 2, 29)).years_on(dt.date(2026, 2, 28)) == 30


def test_a_member_removed_and_readmitted_counts_from_the_first_admission(office) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        first = s.scalars(select(Member).where(Member.code == "CB0001-001")).one()
        first.admitted_on, first.full_member_on = dt.date(1990, 1, 5), dt.date(1991, 1, 5)
        again = {"family_name": first.family_name, "middle_name": first.middle_name,
                 "given_name": first.given_name, "birth_date": first.birth_date.isoformat(), "sex": "nam"}
    run(office, {"action": "leave", "member": "CB0001-001", "reason": "xoa_ten", "on": "2025-01-05"})
    admit = {"action": "admit", "org": "CB0001", "admitted_on": "2025-11-05", "person": again}
    _, notes = run(office, admit)
    assert any("được kết nạp lại: tuổi đảng tính từ ngày kết nạp lần đầu 05/01/1990" in n for n in notes), notes
    with office.writing() as s:
        new = s.scalars(select(Member).where(Member.admitted_on == dt.date(2025, 11, 5))).one()
        assert (new.party_age_from, new.party_age_gap_days) == (dt.date(1990, 1, 5), 304)
        new.full_member_on = dt.date(2026, 11, 5)  # recognized: the age counts
        code = new.code
    with office.reading() as s:
        assert [(m.code, m.party_years, m.reached_on) for m in badges(s, dt.date(2026, 2, 3))] == []
    with office.reading() as s:  # 35 years from 05/01/1990 plus 304 days: 05/11/2025; then 40 years in 2030
        listed = [(m.code, m.party_years, m.reached_on) for m in badges(s, dt.date(2030, 11, 7))]
    assert listed == [(code, 40, dt.date(2030, 11, 5))]
    assert refused(office, {**admit, "admitted_on": "2026-02-01"}) == ["already_member"], "still a member"
    with office.reading() as s:  # one history across both records, the interruption shown
        new = s.scalars(select(Member).where(Member.code == code)).one()
        old = s.scalars(select(Member).where(Member.code == "CB0001-001")).one()
        assert s.get(Readmission, new.id).previous_member_id == old.id
        lines = [(line.on, line.what) for line in member_timeline(s, new)]
        assert (dt.date(2025, 1, 5), "Xóa tên trong danh sách đảng viên (hồ sơ trước, mã CB0001-001)") in lines
        assert (dt.date(2025, 1, 5), "Gián đoạn sinh hoạt đảng từ ngày 05/01/2025 đến ngày 05/11/2025 (304 ngày, "
                                     "không tính tuổi đảng)") in lines
        assert lines.index((dt.date(2025, 1, 5), "Xóa tên trong danh sách đảng viên (hồ sơ trước, mã CB0001-001)")) \
            < next(i for i, (on, what) in enumerate(lines) if what.startswith("Kết nạp lại vào Đảng, sinh hoạt tại"))
        assert (dt.date(2025, 11, 5), f"Được kết nạp lại vào Đảng (hồ sơ mới, mã {code})") in [
            (line.on, line.what) for line in member_timeline(s, old)]


def test_readmission_declared_for_a_first_membership_outside_the_file(office) -> None:  # type: ignore[no-untyped-def]
    wrong = {"action": "admit", "org": "CB0001", "admitted_on": "2026-01-05",
             "person": person("Hoa", "1960-01-01", first_admitted_on="2000-01-01", gap_days=99999)}
    assert refused(office, wrong) == ["gap_too_long"]
    run(office, {**wrong, "person": person("Hoa", "1960-01-01", first_admitted_on="2000-01-01", gap_days=365)})
    with office.reading() as s:
        new = s.scalars(select(Member).where(Member.admitted_on == dt.date(2026, 1, 5))).one()
        assert (new.party_age_from, new.party_age_gap_days) == (dt.date(2000, 1, 1), 365)


def test_a_received_member_brings_the_interruption_of_their_membership(office) -> None:  # type: ignore[no-untyped-def]
    record = person("Hạnh", "1960-04-01", status="chinh_thuc", admitted_on="1996-05-19", full_member_on="1997-05-19")
    receive = {"action": "receive_member", "from_body": "Đảng bộ tỉnh Bắc Ninh", "org": "CB0001", "on": "2026-02-20",
               "person": record, "first_admitted_on": "1980-09-02", "gap_days": 99999}
    assert refused(office, receive) == ["gap_too_long"]
    assert refused(office, {**receive, "first_admitted_on": "1997-01-01", "gap_days": 10}) == ["first_after_admission"]
    run(office, {**receive, "gap_days": 730})
    with office.reading() as s:
        received = s.scalars(select(Member).where(Member.given_name == "Hạnh")).one()
        assert (received.party_age_from, received.party_age_gap_days) == (dt.date(1980, 9, 2), 730)
        # 45 years from 02/09/1980 plus 730 days: 02/09/2027, on the occasion of that day
        assert [(m.party_years, m.reached_on) for m in badges(s, dt.date(2027, 9, 2))] == [
            (45, dt.date(2027, 9, 2))]
    only_gap = person("Lan", "1970-04-01", status="chinh_thuc", admitted_on="1996-05-19", full_member_on="1997-05-19")
    run(office, {**receive, "person": only_gap, "first_admitted_on": None, "gap_days": 366})
    with office.reading() as s:
        received = s.scalars(select(Member).where(Member.given_name == "Lan")).one()
        assert (received.party_age_from, received.party_age_gap_days) == (None, 366)
