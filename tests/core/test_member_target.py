"""Admissions against the target: each year of the term, for the office and per tổ chức cơ sở đảng."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from test_member_events import ADMIT_THREE, build_office, person, run

from factories import add_members, add_org
from khoi_desktop.core.errors import RequestRefused, ValidationError
from khoi_desktop.core.member_events.authority import set_admitting_bodies
from khoi_desktop.core.member_events.target import admission_target
from khoi_desktop.core.settings import load_settings, save_settings


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    db = build_office(db)
    with db.writing() as s:  # a second tổ chức cơ sở đảng: 86 members, 100 in all at the start of the term
        add_members(s, add_org(s, "CB0100", "Chi bộ Sở Tư pháp", "chi_bo_co_so"), 86)
    return db


def test_admissions_each_year_against_three_percent_of_the_opening(office) -> None:  # type: ignore[no-untyped-def]
    run(office, {"action": "admit", "org": "CB0100", "admitted_on": "2025-12-01", "person": person("Hạnh")},
        today=dt.date(2025, 12, 1))
    run(office, ADMIT_THREE)
    with office.reading() as s:
        found = admission_target(s, today=dt.date(2026, 12, 31))
    assert (found.term, found.opening, found.percent, found.total) == ("2025-2030", 100, 3.0, 4)
    assert [(y.year, y.admitted, y.target, y.met) for y in found.years] == [(2025, 1, 1, True), (2026, 3, 3, True)]
    assert [(b.code, b.opening, b.admitted, b.target) for b in found.bodies] == [
        ("CB0100", 86, {2025: 1, 2026: 0}, 3), ("CS001", 14, {2025: 0, 2026: 3}, 1)]
    assert found.sentence() == ("Nhiệm kỳ 2025-2030 (từ 01/10/2025 đến 31/12/2026): kết nạp 4 đảng viên, bằng 4,0% số "
                                "đảng viên đầu nhiệm kỳ (100), bình quân 3,2% mỗi năm; chỉ tiêu ít nhất 3,0% mỗi năm "
                                "(3 đảng viên).")
    with office.writing() as s:  # the target is the settings' figure
        settings = load_settings(s)
        save_settings(s, dataclasses.replace(settings, thresholds=dataclasses.replace(
            settings.thresholds, admission_target_percent=5.0)))
    with office.reading() as s:
        assert [y.target for y in admission_target(s, "2025-2030", today=dt.date(2026, 12, 31)).years] == [2, 5]
        with pytest.raises(ValidationError) as unknown:
            admission_target(s, "2020-2025")
        assert unknown.value.code == "unknown_term"


def test_only_a_dang_bo_co_so_can_be_authorized_to_admit(office) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        with pytest.raises(RequestRefused):
            set_admitting_bodies(s, add=["CB0100"])
        assert set_admitting_bodies(s, add=["CS001"]) == [("CS001", "Đảng bộ Sở Y tế")]
        assert load_settings(s).admitting_bodies == ["CS001"]
        assert set_admitting_bodies(s, remove=["CS001"]) == []
