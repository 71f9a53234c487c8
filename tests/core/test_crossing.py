"""Members moved between two tổ chức cơ sở đảng are named, not passed over in silence (issue 21, point 3)."""

from __future__ import annotations

import datetime as dt

from factories import add_members, add_org
from khoi_desktop.core.apply import prepare
from khoi_desktop.core.models import Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings

DAY = dt.date(2026, 3, 2)


def two_dang_bo(db) -> None:  # type: ignore[no-untyped-def]
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        y_te = add_org(s, "CS001", "Đảng bộ Sở Y tế", "dang_bo_co_so")
        tai_chinh = add_org(s, "CS002", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
        add_members(s, add_org(s, "CB0001", "Chi bộ Văn phòng", "chi_bo_truc_thuoc", parent=y_te), 6)
        add_members(s, add_org(s, "CB0002", "Chi bộ Thanh tra", "chi_bo_truc_thuoc", parent=y_te), 6)
        add_members(s, add_org(s, "CB0003", "Chi bộ Văn phòng", "chi_bo_truc_thuoc", parent=tai_chinh), 6)


def warnings_of(db, data: dict) -> list[str]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        prepared = prepare(s, parse_request({"effective": DAY.isoformat(), **data}), today=DAY)
    return [message for _, message in prepared.warnings]


def test_absorbing_a_chi_bo_of_another_dang_bo_names_both_parents(db) -> None:  # type: ignore[no-untyped-def]
    two_dang_bo(db)
    warnings = warnings_of(db, {"action": "absorb", "orgs": ["CB0001"], "into": "CB0003",
                                "consent_reason": "Đảng bộ Sở Y tế còn 6 đảng viên"})
    assert any("6 đảng viên chuyển sinh hoạt từ Đảng bộ Sở Y tế sang Đảng bộ Sở Tài chính" in w for w in warnings)


def test_founding_from_two_dang_bo_warns_once_per_pair(db) -> None:  # type: ignore[no-untyped-def]
    two_dang_bo(db)
    warnings = warnings_of(db, {"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ Mới",
                                "parent": "CS002", "members": ["CB0001-001", "CB0001-002", "CB0003-001"],
                                "consent_reason": "Cấp trên đồng ý"})
    crossing = [w for w in warnings if "chuyển sinh hoạt từ" in w]
    assert crossing == [crossing[0]] and crossing[0].startswith("2 đảng viên chuyển sinh hoạt từ Đảng bộ Sở Y tế "
                                                                "sang Đảng bộ Sở Tài chính")


def test_a_move_inside_one_dang_bo_says_nothing(db) -> None:  # type: ignore[no-untyped-def]
    two_dang_bo(db)
    assert warnings_of(db, {"action": "absorb", "orgs": ["CB0001"], "into": "CB0002", "issuer": "CS001"}) == []


def chi_bo_co_so(db) -> None:  # type: ignore[no-untyped-def]
    two_dang_bo(db)
    with db.writing() as s:
        add_members(s, add_org(s, "CS003", "Chi bộ Hội Nông dân", "chi_bo_co_so"), 6)
        add_members(s, add_org(s, "CS004", "Chi bộ Hội Phụ nữ", "chi_bo_co_so"), 6)


def test_a_tccsd_that_ends_into_one_made_by_the_same_decision_says_nothing(db) -> None:  # type: ignore[no-untyped-def]
    """Upgrading a chi bộ cơ sở or consolidating two: the Ban Thường vụ alone decides, no second committee exists."""
    chi_bo_co_so(db)
    members = [f"CS003-{i:03d}" for i in range(1, 7)]
    upgrade = {"action": "upgrade", "org": "CS003", "consent_reason": "Cấp trên đồng ý",
               "branches": [{"name": "Chi bộ Văn phòng Hội", "members": members[:3]},
                            {"name": "Chi bộ Ban Kinh tế", "members": members[3:]}]}
    consolidate = {"action": "consolidate", "orgs": ["CS003", "CS004"], "name": "Chi bộ các Hội",
                   "kind": "chi_bo_co_so", "parent": None}
    for request in (upgrade, consolidate):
        assert not [w for w in warnings_of(db, request) if "chuyển sinh hoạt từ" in w], request["action"]
    absorb = {"action": "absorb", "orgs": ["CS003"], "into": "CS004"}  # the receiving committee exists
    assert any("6 đảng viên chuyển sinh hoạt từ Chi bộ Hội Nông dân sang Chi bộ Hội Phụ nữ" in w
               for w in warnings_of(db, absorb))


def test_members_moved_into_a_tccsd_the_decision_founds_name_one_committee_not_two(db) -> None:  # type: ignore[no-untyped-def]
    """Founding a chi bộ cơ sở (or a đảng bộ cơ sở with its chi bộ) from members of another TCCSĐ: the new one has no
    committee yet; it said «cần thống nhất với cấp ủy hai nơi»."""
    chi_bo_co_so(db)
    found = {"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ Báo Nông nghiệp", "parent": None,
             "members": [f"CS003-{i:03d}" for i in range(1, 4)]}
    crossing = [w for w in warnings_of(db, found) if "chuyển sinh hoạt từ" in w]
    assert crossing == ["3 đảng viên chuyển sinh hoạt từ Chi bộ Hội Nông dân sang Chi bộ Báo Nông nghiệp, khác tổ "
                        "chức cơ sở đảng: cần thống nhất với cấp ủy Chi bộ Hội Nông dân (tổ chức mới chưa có cấp ủy)."]


def received(db, status: str, admitted: str):  # type: ignore[no-untyped-def]
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.documents.pdf import render_pdf

    data = {"action": "receive", "from_body": "Đảng ủy Khối Doanh nghiệp", "effective": DAY.isoformat(),
            "orgs": [{"name": "Chi bộ Công ty Xổ số", "kind": "chi_bo_co_so", "members": [
                {"family_name": "Nguyễn", "middle_name": "Văn", "given_name": f"An{i}", "sex": "nam",
                 "birth_date": "1980-03-05", "status": "chinh_thuc", "admitted_on": "2001-05-04"}
                for i in range(3)] + [{"family_name": "Trần", "middle_name": "Thị", "given_name": "Bình",
                                       "sex": "nu", "birth_date": "1990-01-01", "status": status,
                                       "admitted_on": admitted}]}]}
    with db.writing() as s:
        _decision, warnings = apply_request(s, parse_request(data), actor="test", issue=True, today=DAY,
                                            render=render_pdf)
    return warnings


def test_a_member_received_gets_ngay_chinh_thuc_twelve_months_on(db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from khoi_desktop.core.models import Member

    two_dang_bo(db)
    received(db, "chinh_thuc", "2000-02-03")
    with db.reading() as s:
        binh = s.scalars(select(Member).where(Member.given_name == "Bình")).one()
        assert binh.full_member_on == dt.date(2001, 2, 3)


def test_a_du_bi_member_whose_twelve_months_are_over_is_pointed_out(db) -> None:  # type: ignore[no-untyped-def]
    two_dang_bo(db)
    warnings = received(db, "du_bi", "2024-05-10")
    assert any("Trần Thị Bình vào Đảng ngày 10/05/2024, đủ 12 tháng dự bị từ ngày 10/05/2025" in w for w in warnings)


def test_a_du_bi_member_within_the_twelve_months_is_not(db) -> None:  # type: ignore[no-untyped-def]
    two_dang_bo(db)
    assert received(db, "du_bi", "2025-09-10") == []
