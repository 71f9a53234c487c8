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
    warnings = warnings_of(db, {"action": "absorb", "orgs": ["CB0001"], "into": "CB0003"})
    assert any("6 đảng viên chuyển sinh hoạt từ Đảng bộ Sở Y tế sang Đảng bộ Sở Tài chính" in w for w in warnings)


def test_founding_from_two_dang_bo_warns_once_per_pair(db) -> None:  # type: ignore[no-untyped-def]
    two_dang_bo(db)
    warnings = warnings_of(db, {"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ Mới",
                                "parent": "CS002", "members": ["CB0001-001", "CB0001-002", "CB0003-001"]})
    crossing = [w for w in warnings if "chuyển sinh hoạt từ" in w]
    assert crossing == [crossing[0]] and crossing[0].startswith("2 đảng viên chuyển sinh hoạt từ Đảng bộ Sở Y tế "
                                                                "sang Đảng bộ Sở Tài chính")


def test_a_move_inside_one_dang_bo_says_nothing(db) -> None:  # type: ignore[no-untyped-def]
    two_dang_bo(db)
    assert warnings_of(db, {"action": "absorb", "orgs": ["CB0001"], "into": "CB0002"}) == []
