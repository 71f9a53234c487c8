"""A party lawyer's review of the member decisions (_notes/paper.md, "For `members`"): the words they print."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from test_member_events import DAY, build_office, row_counts, run

from factories import add_member
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.member_events.letters import issue_letter
from khoi_desktop.core.models import Decision, Organization
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.documents.pdf import render_pdf


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    """build_office, and a probationary member of Chi bộ Thanh tra Sở (CB0002-005, admitted 02/03/2025)."""
    build_office(db)
    with db.writing() as s:
        small = s.scalars(select(Organization).where(Organization.code == "CB0002")).one()
        add_member(s, "Phạm Thị Hạnh", small, code="CB0002-005", admitted_on=dt.date(2025, 3, 2), probationary=True)
    return db


def words(db, decision_id: int) -> DecisionContent:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return DecisionContent.from_json(s.get(Decision, decision_id).content)


def test_a_recognition_is_not_signed_before_the_probation_has_run(office) -> None:  # type: ignore[no-untyped-def]
    # CB0001-010 was admitted on 01/06/2025: the request's day is right, the signing day (02/03/2026) is not.
    before = row_counts(office)
    with pytest.raises(RequestRefused) as caught:
        run(office, {"action": "confirm_full", "on": "2026-06-01", "member": "CB0001-010"})
    assert row_counts(office) == before, "a refusal changes nothing"
    assert caught.value.problems == [(
        "signed_before_probation_end",
        "Đảng viên Trần Văn CB0001 010 (CB0001-010) đến ngày 01/06/2026 mới hết thời gian dự bị: chưa thể ban hành "
        "quyết định công nhận đảng viên chính thức ngày 02/03/2026.")]
    with office.writing() as s, pytest.raises(RequestRefused):  # nor drafted to be issued that day
        apply_request(s, parse_request({"action": "confirm_full", "on": "2026-06-01", "member": "CB0001-010"}),
                      actor="test", today=DAY)
    decision_id, _ = run(office, {"action": "confirm_full", "on": "2026-06-01", "member": "CB0001-010"},
                         today=dt.date(2026, 6, 1))
    assert "kể từ ngày 01/06/2026" in words(office, decision_id).articles[0].paragraphs[0]


def test_one_recognition_says_from_when_the_member_is_full(office) -> None:  # type: ignore[no-untyped-def]
    decision_id, _ = run(office, {"action": "confirm_full", "on": "2026-03-02", "member": "CB0001-009"})
    assert words(office, decision_id).articles[0].paragraphs[0] == (
        "Công nhận đồng chí Trần Văn CB0001 009 là đảng viên chính thức kể từ ngày 02/03/2026, sinh hoạt tại Chi bộ "
        "Văn phòng Sở trực thuộc Đảng bộ Sở Y tế.")


def test_several_recognized_in_several_chi_bo(office) -> None:  # type: ignore[no-untyped-def]
    decision_id, _ = run(office, {"action": "confirm_full", "on": "2026-03-02",
                                  "members": ["CB0001-009", "CB0002-005"]})
    content = words(office, decision_id)
    assert content.articles[0].paragraphs[0] == (
        "Công nhận 02 đồng chí (có danh sách kèm theo) là đảng viên chính thức kể từ ngày 02/03/2026, sinh hoạt "
        "tại các chi bộ có tên trong danh sách kèm theo.")
    listed = content.attachments[0]
    assert listed.title == "DANH SÁCH ĐẢNG VIÊN ĐƯỢC CÔNG NHẬN ĐẢNG VIÊN CHÍNH THỨC"
    assert listed.columns == ["STT", "Họ và tên", "Ngày sinh", "Chức vụ, đơn vị", "Chi bộ", "Ngày chính thức"]
    assert [(r[1], r[4], r[5]) for r in listed.rows] == [
        ("Trần Văn CB0001 009", "Chi bộ Văn phòng Sở", "02/03/2026"), ("Phạm Thị Hạnh", "Chi bộ Thanh tra Sở",
                                                                       "02/03/2026")]
    assert not any("Dự bị" in cell for row in listed.rows for cell in row)


def test_a_deceased_member_leaves_without_the_card_taken_back(office) -> None:  # type: ignore[no-untyped-def]
    decision_id, _ = run(office, {"action": "leave", "member": "CB0001-001", "reason": "tu_tran", "on": "2026-02-10"})
    second = words(office, decision_id).articles[1].paragraphs[0]
    assert second == ("Chi bộ Văn phòng Sở trực thuộc Đảng bộ Sở Y tế ghi vào sổ đảng viên và hoàn thiện hồ sơ theo "
                      "quy định.")
    decision_id, _ = run(office, {"action": "leave", "member": "CB0001-002", "reason": "xin_ra", "on": "2026-02-10"})
    assert words(office, decision_id).articles[1].paragraphs[0] == (
        "Chi bộ Văn phòng Sở trực thuộc Đảng bộ Sở Y tế ghi vào sổ đảng viên, thu hồi thẻ đảng viên và hoàn thiện hồ "
        "sơ theo quy định.")


def test_the_admitted_are_listed_as_people_joining(office) -> None:  # type: ignore[no-untyped-def]
    people = [{"family_name": "Lê", "middle_name": "Thị", "given_name": g, "birth_date": "1995-04-01", "sex": "nu"}
              for g in ("Hoa", "Lan")]
    decision_id, _ = run(office, {"action": "admit", "org": "CB0002", "admitted_on": "2026-02-03", "people": people})
    listed = words(office, decision_id).attachments[0]
    assert listed.title == "DANH SÁCH QUẦN CHÚNG ĐƯỢC KẾT NẠP VÀO ĐẢNG"
    assert listed.columns == ["STT", "Họ và tên", "Ngày sinh", "Chức vụ, đơn vị"], "no party status before joining"
    assert [row[1] for row in listed.rows] == ["Lê Thị Hoa", "Lê Thị Lan"]


def test_the_letter_names_the_dang_bo_and_its_register_line_the_member(office) -> None:  # type: ignore[no-untyped-def]
    run(office, {"action": "transfer_member", "member": "CB0001-002", "on": DAY.isoformat(),
                 "to_body": "Đảng bộ xã Đại Từ, tỉnh Thái Nguyên"})
    with office.writing() as s:
        letter = issue_letter(s, "CB0001-002", on=DAY, actor="test", render=render_pdf)
        content = DecisionContent.from_json(letter.content)
        assert "Đảng viên của Chi bộ Văn phòng Sở, Đảng bộ Sở Y tế, Đảng bộ Khối các cơ quan tỉnh." in content.basis
        assert letter.subject == "Giới thiệu sinh hoạt đảng chính thức đồng chí Trần Văn CB0001 002"
