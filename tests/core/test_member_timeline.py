"""A member's timeline: every event of their party life, dated, with its decision, in the member view."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from test_member_events import build_office, person, run

from khoi_desktop.core.members import member_detail
from khoi_desktop.core.models import Member
from khoi_desktop.core.text import show_date


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    return build_office(db)


def timeline(db, code: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        detail = member_detail(s, code, dt.date(2027, 1, 1))
        return [(show_date(t.on), t.what, t.decision or "") for t in detail.timeline]


def test_an_admitted_member_s_life_in_order(office) -> None:  # type: ignore[no-untyped-def]
    run(office, {"action": "admit", "org": "CB0002", "admitted_on": "2025-10-06", "person": person("Hoa")},
        today=dt.date(2025, 10, 6))
    with office.reading() as s:
        code = s.scalars(select(Member.code).where(Member.admitted_on == dt.date(2025, 10, 6))).one()
    run(office, {"action": "confirm_full", "member": code, "on": "2026-10-20"}, today=dt.date(2026, 10, 20))
    run(office, {"action": "transfer_member", "member": code, "on": "2026-11-01", "to_body": "Đảng bộ tỉnh Bắc Ninh",
                 "temporary": True, "until": "2027-05-01"}, today=dt.date(2026, 11, 1))
    run(office, {"action": "exempt", "member": code, "on": "2026-11-10"}, today=dt.date(2026, 11, 10))
    run(office, {"action": "end_exemption", "member": code, "on": "2026-11-20"}, today=dt.date(2026, 11, 20))
    run(office, {"action": "leave", "member": code, "reason": "tu_tran", "on": "2026-12-01"},
        today=dt.date(2026, 12, 1))
    assert timeline(office, code) == [
        ("06/10/2025", "Kết nạp vào Đảng, sinh hoạt tại Chi bộ Thanh tra Sở", "01-QĐ/ĐUK"),
        ("20/10/2026", "Công nhận đảng viên chính thức", "02-QĐ/ĐUK"),
        ("01/11/2026", "Chuyển sinh hoạt đảng tạm thời đến Đảng bộ tỉnh Bắc Ninh đến ngày 01/05/2027", "03-QĐ/ĐUK"),
        ("10/11/2026", "Miễn sinh hoạt", "04-QĐ/ĐUK"),
        ("20/11/2026", "Thôi miễn sinh hoạt", "05-QĐ/ĐUK"),
        ("01/12/2026", "Từ trần", "06-QĐ/ĐUK"),
    ]


def test_a_member_from_a_list_shows_the_dates_it_brought(office) -> None:  # type: ignore[no-untyped-def]
    with office.reading() as s:
        member = s.scalars(select(Member).where(Member.code == "CB0001-001")).one()
        admitted, full = member.admitted_on, member.full_member_on
    lines = timeline(office, "CB0001-001")
    assert ("Vào Đảng" in [w for _, w, _ in lines]) == (admitted is not None)
    assert any(w.startswith("Sinh hoạt tại Chi bộ Văn phòng Sở") for _, w, _ in lines)
    if full is not None:
        assert (show_date(full), "Đảng viên chính thức", "") in lines
    days = [dt.datetime.strptime(d, "%d/%m/%Y").date() for d, _, _ in lines]
    assert days == sorted(days)


def test_a_temporary_transfer_has_its_end_and_shows_while_it_runs(office) -> None:  # type: ignore[no-untyped-def]
    from test_member_events import refused

    away = {"action": "transfer_member", "member": "CB0001-003", "to_body": "Đảng bộ Trường Chính trị tỉnh",
            "temporary": True, "on": "2026-02-05"}
    assert refused(office, away) == ["until_missing"]
    assert refused(office, {**away, "temporary": False, "until": "2026-08-05"}) == ["until_not_temporary"]
    run(office, {**away, "until": "2026-08-05"})

    def fields(day: dt.date) -> dict[str, str]:
        with office.reading() as s:
            return dict(member_detail(s, "CB0001-003", day).fields)

    assert "Sinh hoạt tạm thời" not in fields(dt.date(2026, 2, 4))
    assert fields(dt.date(2026, 5, 1))["Sinh hoạt tạm thời"] == ("tại Đảng bộ Trường Chính trị tỉnh từ ngày 05/02/2026 "
                                                                 "đến ngày 05/08/2026")
    assert "Sinh hoạt tạm thời" not in fields(dt.date(2026, 8, 5)), "back in the chi bộ from the end date"
