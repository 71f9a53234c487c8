"""Appointments: chỉ định / chuẩn y / end of seats checked against the Charter, issued atomically, numbered
with every other Quyết định, kept as history and summed per term."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from factories import add_member, add_members, add_org, add_seat
from khoi_desktop.core.apply import apply_request, issue_draft
from khoi_desktop.core.appointments import submissions
from khoi_desktop.core.appointments.committees import (
    candidates,
    committee_alerts,
    committee_view,
    record_committee_size,
)
from khoi_desktop.core.appointments.summary import term_summary
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.errors import RequestRefused, ValidationError
from khoi_desktop.core.models import (
    AuditEntry,
    Committee,
    CommitteeSeat,
    Decision,
    Member,
    Membership,
    Organization,
    SeatRole,
    Submission,
    SubmissionStatus,
    Term,
)
from khoi_desktop.core.request_json import load_request, parse_request, request_to_json
from khoi_desktop.core.settings import OfficeSettings, load_settings, save_settings
from khoi_desktop.core.workflows.execute import SEAT_END_MOVED
from khoi_desktop.documents.pdf import render_pdf

DAY = dt.date(2026, 3, 2)
ELECTED = dt.date(2025, 6, 10)
TERM = "2025-2030"


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    """CS001 Đảng bộ Sở Tài chính (chi bộ CB0001: 20 members, 2 probationary; CB0002: 12), Ban Chấp hành of
    9 set by the congress with 8 seated (BT CB0001-001, PBT CB0001-002, BTV 001-003);
    CS002 Chi bộ Hội Nông dân tỉnh (12 full): chi ủy of 3 (BT 001, PBT 002), no recorded size;
    CS003 Chi bộ Sở Ngoại vụ (6 full, 1 probationary): Bí thư 001 only;
    CS004 Đảng bộ Sở Xây dựng (chi bộ CB0003: 12 members): Ban Chấp hành of 5 of the 2020-2025 term."""
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add_all([Term(name="2020-2025", starts_on=dt.date(2020, 10, 1), ends_on=dt.date(2025, 9, 30)),
                   Term(name=TERM, starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30))])
        finance = add_org(s, "CS001", "Đảng bộ Sở Tài chính", "dang_bo_co_so", agency="Sở Tài chính")
        office_cb = add_org(s, "CB0001", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=finance)
        budget = add_org(s, "CB0002", "Chi bộ Phòng Ngân sách", "chi_bo_truc_thuoc", parent=finance)
        a = add_members(s, office_cb, 20, probationary=2)
        b = add_members(s, budget, 12)
        for m in a[:5] + b[:3]:
            add_seat(s, finance, m, "cap_uy_vien", term=TERM, valid_from=ELECTED)
        for m in a[:3]:
            add_seat(s, finance, m, "uy_vien_btv", term=TERM, valid_from=ELECTED)
        add_seat(s, finance, a[0], "bi_thu", term=TERM, valid_from=ELECTED)
        add_seat(s, finance, a[1], "pho_bi_thu", term=TERM, valid_from=ELECTED)
        s.add(Committee(org_id=finance.id, term=TERM, size=9, starts_on=ELECTED, ends_on=dt.date(2030, 6, 9)))

        farmers = add_org(s, "CS002", "Chi bộ Hội Nông dân tỉnh", "chi_bo_co_so")
        c = add_members(s, farmers, 12)
        for m in c[:3]:
            add_seat(s, farmers, m, "cap_uy_vien", term=TERM, valid_from=ELECTED)
        add_seat(s, farmers, c[0], "bi_thu", term=TERM, valid_from=ELECTED)
        add_seat(s, farmers, c[1], "pho_bi_thu", term=TERM, valid_from=ELECTED)

        foreign = add_org(s, "CS003", "Chi bộ Sở Ngoại vụ", "chi_bo_co_so")
        d = add_members(s, foreign, 7, probationary=1)
        add_seat(s, foreign, d[0], "bi_thu", term=TERM, valid_from=ELECTED)
        add_member(s, "Lê Thị Hoa", foreign, code="CS003-EX", exempt_since=dt.date(2024, 1, 1))

        building = add_org(s, "CS004", "Đảng bộ Sở Xây dựng", "dang_bo_co_so")
        works = add_org(s, "CB0003", "Chi bộ Phòng Quản lý xây dựng", "chi_bo_truc_thuoc", parent=building)
        e = add_members(s, works, 12)
        for m in e[:5]:
            add_seat(s, building, m, "cap_uy_vien", term="2020-2025", valid_from=dt.date(2020, 6, 1))
        add_seat(s, building, e[0], "bi_thu", term="2020-2025", valid_from=dt.date(2020, 6, 1))
    return db


def run(db, data: dict, *, issue: bool = True, today: dt.date = DAY):  # type: ignore[no-untyped-def]
    with db.writing() as s:
        decision, warnings = apply_request(s, parse_request(data), actor="test", issue=issue, today=today,
                                             render=render_pdf)
        return decision.id, warnings


def refused(db, data: dict) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The problems of a refused request (code -> message); nothing may have changed."""
    before = row_counts(db)
    with pytest.raises(RequestRefused) as error:
        run(db, data)
    assert row_counts(db) == before
    return dict(error.value.problems)


def row_counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in
                (Organization, Membership, CommitteeSeat, Committee, Decision, Submission, AuditEntry)}


def content(db, decision_id: int) -> DecisionContent:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return DecisionContent.from_json(s.get(Decision, decision_id).content)


def text(c: DecisionContent) -> str:
    return "\n".join(p for a in c.articles for p in a.paragraphs)


def seats(db, org: str, day: dt.date = DAY) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        org_id = s.scalars(select(Organization.id).where(Organization.code == org)).one()
        return {(h.member_code, r.value) for h in committee_view(s, org_id, day).holders for r in h.roles}


def appoint(org: str, *pairs: tuple[str, str], mode: str = "chuan_y", **extra: object) -> dict:
    return {"action": "appoint", "mode": mode, "org": org, "term": TERM,
            "seats": [{"member": m, "role": r} for m, r in pairs], **extra}


# --- requests -------------------------------------------------------------------------------
def test_requests_round_trip_and_report_shape_problems() -> None:
    request = load_request('{"action": "approve_election", "org": "CS001", "term": "2025-2030", '
                           '"committee_size": 9, "seats": [{"member": "A", "role": "bi_thu"}]}')
    assert request.committee_size == 9 and request.seats[0].role == "bi_thu"
    assert parse_request(__import__("json").loads(request_to_json(request))) == request
    with pytest.raises(RequestRefused) as error:
        parse_request({"action": "approve_election", "org": "CS001", "term": TERM, "committee_size": "chín",
                       "seats": [{"member": "A"}, {"member": "B", "role": "bi_thu", "x": 1}]})
    messages = [m for _, m in error.value.problems]
    assert messages == ["Số lượng cấp ủy viên do đại hội quyết định «chín» không hợp lệ: phải là một số nguyên.",
                        "Chưa có chức danh của người được nêu thứ 1.",
                        "Trường «x» của người được nêu thứ 2 không có trong mẫu yêu cầu."]


# --- appoint and numbering ------------------------------------------------------------------
def test_additional_committee_member_is_worded_and_numbered_with_restructuring(office) -> None:  # type: ignore[no-untyped-def]
    found, _ = run(office, {"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ Phòng Giá",
                            "parent": "CS001", "members": ["CB0001-006", "CB0001-007", "CB0001-008"],
                            "issuer": "CS001", "recorded": {"number": "12-QĐ/ĐU", "signed_on": DAY.isoformat(),
                                                            "signer": "Trần Văn CB0001 001"}})
    decision_id, warnings = run(office, appoint("CS001", ("CB0002-004", "cap_uy_vien"), mode="chi_dinh"))
    assert warnings == []
    with office.reading() as s:
        assert s.get(Decision, found).code == "12-QĐ/ĐU", "the Đảng ủy Sở Tài chính founds its chi bộ"
        decision = s.get(Decision, decision_id)
        assert (decision.code, decision.number, decision.action) == ("01-QĐ/ĐUK", 1, "appoint")
        seat = s.scalars(select(CommitteeSeat).where(CommitteeSeat.decision_id == decision_id)).one()
        assert (seat.member.code, seat.role, seat.term, seat.valid_from) == ("CB0002-004", SeatRole.CAP_UY_VIEN,
                                                                             TERM, DAY)
    c = content(office, decision_id)
    assert c.subject == ("về việc chỉ định bổ sung Ủy viên Ban Chấp hành Đảng bộ Sở Tài chính nhiệm kỳ "
                         "2025 - 2030")
    assert text(c).startswith("Chỉ định bổ sung đồng chí Trần Văn CB0002 004 tham gia Ban Chấp hành Đảng bộ Sở "
                              "Tài chính nhiệm kỳ 2025 - 2030.")
    assert "Văn phòng, Ban Tổ chức Đảng ủy Khối các cơ quan tỉnh, Đảng ủy Sở Tài chính" in c.articles[2].paragraphs[0]
    assert c.basis == ["Xét đề nghị của Ban Tổ chức Đảng ủy Khối các cơ quan tỉnh,"]
    assert ("CB0002-004", "cap_uy_vien") in seats(office, "CS001")


def test_new_bi_thu_after_the_old_one_retires(office) -> None:  # type: ignore[no-untyped-def]
    end_id, _ = run(office, {"action": "end_seat", "org": "CS003", "member": "CS003-001", "role": "bi_thu",
                             "reason": "nghi_huu"})
    c = content(office, end_id)
    assert c.subject == "về việc cho thôi giữ chức Bí thư Chi bộ Sở Ngoại vụ nhiệm kỳ 2025 - 2030"
    assert "kể từ ngày 02/03/2026; lý do: nghỉ hưu theo chế độ." in text(c)
    with office.reading() as s:
        view = committee_view(s, s.scalars(select(Organization.id).where(Organization.code == "CS003")).one(), DAY)
    assert view.vacancies == ["Khuyết Bí thư Chi bộ Sở Ngoại vụ."]
    assert view.history[0].end_reason == "nghỉ hưu theo chế độ"
    new_id, _ = run(office, appoint("CS003", ("CS003-004", "bi_thu")))
    c = content(office, new_id)
    assert c.subject == "về việc chuẩn y Bí thư Chi bộ Sở Ngoại vụ nhiệm kỳ 2025 - 2030"
    assert text(c).startswith("Chuẩn y đồng chí Trần Văn CS003 004 giữ chức Bí thư Chi bộ Sở Ngoại vụ nhiệm kỳ")
    with office.reading() as s:
        assert [s.get(Decision, i).code for i in (end_id, new_id)] == ["01-QĐ/ĐUK", "02-QĐ/ĐUK"]
    assert seats(office, "CS003") == {("CS003-004", "bi_thu")}


def test_first_committee_of_a_new_organization_is_appointed_with_its_size(office) -> None:  # type: ignore[no-untyped-def]
    found, _ = run(office, {"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ Sở Du lịch",
                            "parent": None, "members": [f"CB0001-{i:03d}" for i in range(6, 18)],
                            "consent_reason": "Đảng bộ Sở Tài chính còn 20 đảng viên, giữ đảng bộ"})
    with office.reading() as s:
        code = s.scalars(select(Organization.code).where(Organization.founded_by_id == found)).one()
    decision_id, _ = run(office, appoint(code, ("CB0001-006", "cap_uy_vien"), ("CB0001-006", "bi_thu"),
                                         ("CB0001-007", "cap_uy_vien"), ("CB0001-007", "pho_bi_thu"),
                                         ("CB0001-008", "cap_uy_vien"), mode="chi_dinh"))
    c = content(office, decision_id)
    assert c.subject == "về việc chỉ định Chi ủy, Bí thư, Phó Bí thư Chi bộ Sở Du lịch nhiệm kỳ 2025 - 2030"
    assert "1. Đồng chí Trần Văn CB0001 006 tham gia Chi ủy và giữ chức Bí thư Chi bộ Sở Du lịch." in text(c)
    assert [len(a.rows) for a in c.attachments] == [3]
    with office.reading() as s:
        committee = s.scalars(select(Committee).where(Committee.decision_id == decision_id)).one()
        assert (committee.size, committee.starts_on, committee.ends_on) == (3, DAY, dt.date(2030, 9, 30))


# --- eligibility refusals -------------------------------------------------------------------
def test_only_full_members_of_the_organization(office) -> None:  # type: ignore[no-untyped-def]
    problems = refused(office, appoint("CS001", ("CB0001-020", "cap_uy_vien"), ("CS002-005", "cap_uy_vien"),
                                       mode="chi_dinh"))
    assert problems["not_full_member"].startswith("Đồng chí Trần Văn CB0001 020 (CB0001-020) là đảng viên dự bị")
    assert problems["member_not_in_org"] == (
        "Đồng chí Trần Văn CS002 005 (CS002-005) sinh hoạt ở Chi bộ Hội Nông dân tỉnh, không thuộc Đảng bộ Sở Tài "
        "chính: chỉ đảng viên của tổ chức mới được chỉ định, chuẩn y vào cấp ủy.")
    assert "miễn sinh hoạt" in refused(office, appoint("CS003", ("CS003-EX", "pho_bi_thu")))["member_exempt"]


def test_leaders_come_from_within_the_committee(office) -> None:  # type: ignore[no-untyped-def]
    problems = refused(office, appoint("CS001", ("CB0002-010", "pho_bi_thu")))
    assert problems == {"not_in_committee": "Đồng chí Trần Văn CB0002 010 chưa là ủy viên ban chấp hành Đảng bộ Sở "
                                            "Tài chính: Bí thư, Phó Bí thư và ủy viên Ban Thường vụ phải được chọn "
                                            "trong cấp ủy (thêm chức danh cap_uy_vien)."}
    assert "not_in_committee" in refused(office, appoint("CS002", ("CS002-009", "pho_bi_thu")))


def test_congress_size_is_a_ceiling_unless_truly_necessary(office) -> None:  # type: ignore[no-untyped-def]
    two = appoint("CS001", ("CB0002-004", "cap_uy_vien"), ("CB0002-005", "cap_uy_vien"), mode="chi_dinh")
    problems = refused(office, two)
    assert problems["over_size"].startswith("Ban Chấp hành Đảng bộ Sở Tài chính sẽ có 10 ủy viên, vượt số lượng Đại "
                                            "hội quyết định (9) nhiệm kỳ 2025 - 2030.")
    assert "Lý do vượt số lượng" in problems["over_size"] and "override_reason" not in problems["over_size"]
    decision_id, warnings = run(office, {**two, "override_reason": "Bổ sung lãnh đạo Sở mới được điều động"})
    assert len(warnings) == 1 and "vượt số lượng" in warnings[0]
    assert ("Việc chỉ định bổ sung vượt số lượng cấp ủy viên do Đại hội quyết định (09 đồng chí) là thật cần "
            "thiết, với lý do: Bổ sung lãnh đạo Sở mới được điều động.") in text(content(office, decision_id))


def test_a_committee_already_over_its_size_may_still_get_a_btv_or_leader_from_within(office) -> None:  # type: ignore[no-untyped-def]
    """The ceiling is on adding committee members: once over it (with a reason), naming one of them to the Ban
    Thường vụ (or Phó Bí thư) adds nobody and asks no new reason."""
    two = appoint("CS001", ("CB0002-004", "cap_uy_vien"), ("CB0002-005", "cap_uy_vien"), mode="chi_dinh",
                  override_reason="Bổ sung lãnh đạo Sở mới được điều động")
    run(office, two)
    decision_id, warnings = run(office, appoint("CS001", ("CB0001-004", "uy_vien_btv")))
    assert warnings == []
    assert ("CB0001-004", "uy_vien_btv") in seats(office, "CS001")
    assert "vượt số lượng" not in text(content(office, decision_id))
    assert "over_size" in refused(office, appoint("CS001", ("CB0002-006", "cap_uy_vien"), mode="chi_dinh"))


def test_a_reason_that_says_truly_necessary_is_not_said_twice(office) -> None:  # type: ignore[no-untyped-def]
    two = appoint("CS001", ("CB0002-004", "cap_uy_vien"), ("CB0002-005", "cap_uy_vien"), mode="chi_dinh")
    decision_id, _ = run(office, {**two, "override_reason": "Thật cần thiết: bổ sung do cấp ủy viên nghỉ hưu."})
    words = text(content(office, decision_id))
    assert "là thật cần thiết, với lý do: bổ sung do cấp ủy viên nghỉ hưu." in words
    assert words.casefold().count("thật cần thiết") == 1


def test_inferred_congress_size_counts_the_seats_elected_on_the_first_day(office) -> None:  # type: ignore[no-untyped-def]
    problems = refused(office, appoint("CS002", ("CS002-004", "cap_uy_vien"), mode="chi_dinh"))
    assert "vượt số lượng bầu tại Đại hội (3)" in problems["over_size"]


def test_chi_bo_shape(office) -> None:  # type: ignore[no-untyped-def]
    small = refused(office, appoint("CS003", ("CS003-002", "cap_uy_vien"), mode="chi_dinh"))
    assert small["no_chi_uy"] == ("Chi bộ Sở Ngoại vụ có 7 đảng viên chính thức (dưới 9): không lập chi ủy, chỉ có "
                                  "Bí thư và nếu cần một Phó Bí thư.")
    big = refused(office, {**appoint("CS002", *[(f"CS002-{i:03d}", "cap_uy_vien") for i in range(4, 9)],
                                     mode="chi_dinh"), "override_reason": "Cần thiết"})
    assert big["chi_uy_too_big"] == "Chi ủy Chi bộ Hội Nông dân tỉnh có tối đa 7 đồng chí; sau thay đổi này sẽ có 8."
    second = refused(office, appoint("CS002", ("CS002-003", "pho_bi_thu")))
    # The sitting Phó Bí thư is not named as if the request had named them («đang nêu: CS002 002, CS002 003»).
    assert second["one_pho_bi_thu"] == ("Chi bộ Hội Nông dân tỉnh chỉ có một Phó Bí thư: yêu cầu nêu đồng chí Trần "
                                        "Văn CS002 003, trong khi đồng chí Trần Văn CS002 002 đang giữ chức này. Cần "
                                        "cho đồng chí Trần Văn CS002 002 thôi giữ chức (yêu cầu end_seat) trước khi "
                                        "nêu người mới.")
    assert refused(office, appoint("CS002", ("CS002-003", "uy_vien_btv")))["no_btv_in_chi_bo"] == (
        "Chi bộ Hội Nông dân tỉnh là chi bộ: không có Ban Thường vụ.")


def test_ban_thuong_vu_only_in_a_dang_uy_of_nine(office) -> None:  # type: ignore[no-untyped-def]
    data = {"action": "approve_election", "org": "CS004", "term": TERM, "committee_size": 7,
            "seats": [{"member": f"CB0003-{i:03d}", "role": "cap_uy_vien"} for i in range(1, 8)]
            + [{"member": "CB0003-001", "role": "uy_vien_btv"}, {"member": "CB0003-001", "role": "bi_thu"}]}
    assert refused(office, data)["no_btv"] == ("Ban Chấp hành Đảng bộ Sở Xây dựng có 7 ủy viên (dưới 9): không bầu "
                                               "Ban Thường vụ, chỉ có Bí thư và Phó Bí thư.")
    assert "uy_vien_btv" in seats(office, "CS001").__repr__()
    run(office, appoint("CS001", ("CB0002-004", "cap_uy_vien"), ("CB0002-004", "uy_vien_btv"), mode="chuan_y"))


def test_one_person_one_role_once(office) -> None:  # type: ignore[no-untyped-def]
    problems = refused(office, appoint("CS001", ("CB0001-003", "cap_uy_vien"), ("CB0002-004", "cap_uy_vien"),
                                       ("CB0002-004", "cap_uy_vien"), ("CB0002-004", "bi_thu"),
                                       ("CB0002-004", "pho_bi_thu"), mode="chi_dinh"))
    assert problems["already_holds"] == ("Đồng chí Trần Văn CB0001 003 đã là Ủy viên Ban Chấp hành Đảng bộ Sở Tài "
                                         "chính nhiệm kỳ 2025 - 2030.")
    assert problems["role_twice"].startswith("Đồng chí Trần Văn CB0002 004 được nêu hai lần")
    assert problems["role_taken"] == ("Yêu cầu chỉ định đồng chí Trần Văn CB0002 004 làm Bí thư Đảng bộ Sở Tài chính, "
                                      "nhưng đồng chí Trần Văn CB0001 001 đang giữ chức này (nhiệm kỳ 2025 - 2030). "
                                      "Cần cho đồng chí Trần Văn CB0001 001 thôi giữ chức (yêu cầu end_seat) trước "
                                      "khi chỉ định Bí thư mới.")
    assert "one_bi_thu" not in problems  # said once: it named the sitting Bí thư as if asked («đang nêu: …»)
    assert problems["bi_thu_and_pho"] == "Đồng chí Trần Văn CB0002 004 không thể vừa là Bí thư vừa là Phó Bí thư."


def test_wrong_term_mode_and_role_are_named(office) -> None:  # type: ignore[no-untyped-def]
    problems = refused(office, {**appoint("CS002", ("CS002-003", "cap_uy_vien")), "term": "2020-2025"})
    assert problems["wrong_term"] == ("Cấp ủy Chi bộ Hội Nông dân tỉnh đang ở nhiệm kỳ 2025 - 2030, không phải nhiệm "
                                      "kỳ 2020 - 2025.")
    with pytest.raises(RequestRefused) as error:
        parse_request({**appoint("CS002", ("CS002-003", "truong_ban")), "mode": "bo_nhiem"})
    assert [m for _, m in error.value.problems] == [
        "Hình thức (chỉ định hoặc chuẩn y) «bo_nhiem» không hợp lệ: dùng một trong: chi_dinh (chỉ định), "
        "chuan_y (chuẩn y).",
        "Chức danh của người được nêu thứ 1 «truong_ban» không hợp lệ: dùng một trong: cap_uy_vien (Cấp ủy viên), "
        "uy_vien_btv (Ủy viên Ban Thường vụ), bi_thu (Bí thư), pho_bi_thu (Phó Bí thư)."]


# --- approve_election -----------------------------------------------------------------------
def election(size: int = 9, members: int = 9) -> dict:
    seats = [{"member": f"CB0003-{i:03d}", "role": "cap_uy_vien"} for i in range(1, members + 1)]
    seats += [{"member": f"CB0003-{i:03d}", "role": "uy_vien_btv"} for i in (2, 3, 4)]
    seats += [{"member": "CB0003-002", "role": "bi_thu"}, {"member": "CB0003-003", "role": "pho_bi_thu"}]
    return {"action": "approve_election", "org": "CS004", "term": TERM, "committee_size": size,
            "effective": "2026-02-20", "seats": seats}


def test_election_result_starts_the_term_and_closes_the_old_one(office) -> None:  # type: ignore[no-untyped-def]
    decision_id, _ = run(office, election())
    c = content(office, decision_id)
    assert c.subject == ("về việc chuẩn y kết quả bầu cử Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư Đảng bộ Sở "
                         "Xây dựng nhiệm kỳ 2025 - 2030")
    body = text(c)
    assert body.startswith("Chuẩn y kết quả bầu cử tại Đại hội Đảng bộ Sở Xây dựng nhiệm kỳ 2025 - 2030 (ngày "
                           "20/02/2026) như sau:")
    assert ("1. Ban Chấp hành Đảng bộ Sở Xây dựng nhiệm kỳ 2025 - 2030 gồm 09 đồng chí (Đại hội quyết định số lượng 09 "
            "đồng chí), có danh sách kèm theo.") in body
    assert "2. Ban Thường vụ Đảng ủy Sở Xây dựng gồm 03 đồng chí: " in body
    assert "3. Bí thư Đảng ủy Sở Xây dựng: đồng chí Trần Văn CB0003 002." in body
    assert len(c.attachments[0].rows) == 9
    when = dt.date(2026, 2, 20)
    with office.reading() as s:
        org_id = s.scalars(select(Organization.id).where(Organization.code == "CS004")).one()
        old = s.scalars(select(CommitteeSeat).where(CommitteeSeat.org_id == org_id,
                                                    CommitteeSeat.term == "2020-2025")).all()
        assert {(x.valid_to, x.end_reason) for x in old} == {(when, "Hết nhiệm kỳ")}
        committee = s.scalars(select(Committee).where(Committee.org_id == org_id)).one()
        assert (committee.term, committee.size, committee.starts_on, committee.decision_id) == (
            TERM, 9, when, decision_id)
        view = committee_view(s, org_id, DAY)
    assert view.term.label == TERM and view.committee_count == 9 and view.vacancies == []
    assert view.term.decision == "01-QĐ/ĐUK" and view.term.ends_on == dt.date(2030, 9, 30)
    assert [h.full_name for h in view.holders][:2] == ["Trần Văn CB0003 002", "Trần Văn CB0003 003"]
    assert {t.label for t in view.past_terms} == {"2020-2025"}
    assert "already_elected" in refused(office, election())


def test_election_refusals(office) -> None:  # type: ignore[no-untyped-def]
    assert refused(office, election(size=8))["elected_over_size"] == (
        "Số cấp ủy viên trúng cử (9) vượt số lượng Đại hội quyết định (8).")
    assert "missing_size" in refused(office, {**election(), "committee_size": None})
    farmers = {"action": "approve_election", "org": "CS002", "term": "2030-2035", "committee_size": 8,
               "seats": [{"member": "CS002-001", "role": "bi_thu"}]}
    assert refused(office, farmers)["chi_uy_too_big"] == ("Chi ủy Chi bộ Hội Nông dân tỉnh có tối đa 7 đồng chí; "
                                                          "Đại hội quyết định 8.")


# --- end_seat and leaving -------------------------------------------------------------------
def test_leaving_the_committee_ends_every_role(office) -> None:  # type: ignore[no-untyped-def]
    decision_id, _ = run(office, {"action": "end_seat", "org": "CS001", "member": "CB0001-001",
                                  "role": "cap_uy_vien", "reason": "chuyen_cong_tac"})
    assert content(office, decision_id).subject == ("về việc cho thôi tham gia Ban Chấp hành, Ban Thường vụ và "
                                                    "thôi giữ chức Bí thư Đảng ủy Sở Tài chính nhiệm kỳ 2025 - 2030")
    assert not any(code == "CB0001-001" for code, _ in seats(office, "CS001"))
    with office.reading() as s:
        view = committee_view(s, s.scalars(select(Organization.id).where(Organization.code == "CS001")).one(), DAY)
    assert view.vacancies == ["Khuyết 2 ủy viên ban chấp hành (số lượng Đại hội quyết định: 9).",
                              "Khuyết Bí thư Đảng ủy Sở Tài chính."]
    problems = refused(office, {"action": "end_seat", "org": "CS001", "member": "CB0001-001", "role": "bi_thu",
                                "reason": ""})
    # Ended already: said when and why (it said «không giữ chức … vào ngày 02/03/2026»).
    assert problems["seat_already_ended"] == "Đồng chí Trần Văn CB0001 001 đã thôi giữ chức Bí thư Đảng ủy Sở Tài " \
                                             "chính từ ngày 02/03/2026 (chuyển công tác): chức vụ đã khuyết, không " \
                                             "cần quyết định thôi giữ chức nữa."
    assert problems["missing_reason"].startswith("Chưa nêu lý do")


def test_an_end_seat_reason_code_is_read_in_any_case_and_a_typo_of_one_is_refused(office) -> None:  # type: ignore[no-untyped-def]
    """«nghi_hu» was printed as written in the decision («Lý do: nghi_hu»); codes are listed, free text stays."""
    end = {"action": "end_seat", "org": "CS001", "member": "CB0001-001", "role": "cap_uy_vien"}
    for typo in ("nghi_hu", "khac", "NGHI-HUU-SOM"):
        message = refused(office, {**end, "reason": typo})["unknown_end_reason"]
        assert message.startswith(f"Không có lý do thôi giữ chức mã «{typo}»: hãy ghi một trong các mã nghi_huu "
                                  "(nghỉ hưu theo chế độ), chuyen_cong_tac (chuyển công tác),"), message
        assert "hoặc ghi lý do thành câu chữ" in message
    run(office, {**end, "reason": " Nghi-Huu "})
    with office.reading() as s:
        seat = s.scalars(select(CommitteeSeat).join(Member).where(Member.code == "CB0001-001",
                                                                  CommitteeSeat.role == SeatRole.CAP_UY_VIEN)).one()
    assert seat.end_reason == "nghỉ hưu theo chế độ"
    end["member"] = next(code for code, _ in seats(office, "CS001"))
    run(office, {**end, "reason": "do thay đổi vị trí công tác"})  # free text, printed as written


def test_member_moved_away_by_a_restructuring_decision_vacates_the_seat(office) -> None:  # type: ignore[no-untyped-def]
    run(office, {"action": "split", "org": "CS002", "keep_source": True,
                 "into": [{"name": "Chi bộ Trung tâm Khuyến nông",
                           "members": ["CS002-001", "CS002-010", "CS002-011"]}]})
    with office.reading() as s:
        seat = s.scalars(select(CommitteeSeat).join(Member).where(Member.code == "CS002-001",
                                                                  CommitteeSeat.role == SeatRole.BI_THU)).one()
        assert (seat.valid_to, seat.end_reason) == (DAY, SEAT_END_MOVED)
        view = committee_view(s, s.scalars(select(Organization.id).where(Organization.code == "CS002")).one(), DAY)
    assert "Khuyết Bí thư Chi bộ Hội Nông dân tỉnh." in view.vacancies
    assert "Khuyết 1 chi ủy viên (số lượng đã bầu đầu nhiệm kỳ: 3)." in view.vacancies
    assert seats(office, "CS001") == seats(office, "CS001", DAY - dt.timedelta(days=1)), "moves inside keep seats"


# --- atomicity ------------------------------------------------------------------------------
def test_a_failure_while_issuing_leaves_nothing_changed(office, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        sub = submissions.register_submission(s, register_number="7-TTr/CB", received_on=DAY, org_code="CS003",
                                              subject="đề nghị chuẩn y Phó Bí thư", members=["CS003-002"],
                                              actor="test")
    before = row_counts(office)

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("khoi_desktop.core.appointments.workflow.mark_issued", broken)
    with pytest.raises(RuntimeError):
        run(office, appoint("CS003", ("CS003-002", "pho_bi_thu"), submission=sub.register_number))
    assert row_counts(office) == before
    with office.reading() as s:
        assert s.get(Submission, sub.id).status is SubmissionStatus.RECEIVED


def test_a_stale_draft_is_refused_at_issue(office) -> None:  # type: ignore[no-untyped-def]
    draft_id, _ = run(office, appoint("CS003", ("CS003-002", "pho_bi_thu")), issue=False)
    run(office, appoint("CS003", ("CS003-003", "pho_bi_thu")))
    before = row_counts(office)
    with pytest.raises(RequestRefused, match="chỉ có một Phó Bí thư"):
        with office.writing() as s:
            issue_draft(s, s.get(Decision, draft_id), on=DAY, actor="test", render=render_pdf)
    assert row_counts(office) == before


# --- submissions ----------------------------------------------------------------------------
def test_submission_received_drafted_issued_and_cited(office) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        sub = submissions.register_submission(
            s, register_number="15-TTr/CB", dated_on=dt.date(2026, 2, 25), received_on=dt.date(2026, 2, 27),
            org_code="CS003", subject="đề nghị chuẩn y Phó Bí thư Chi bộ", members=["CS003-002"], actor="test")
        with pytest.raises(ValidationError, match="đã vào sổ ngày 27/02/2026"):
            submissions.register_submission(s, register_number="15-TTr/CB", received_on=DAY, org_code="CS003",
                                            subject="x", members=[], actor="test")
    with office.reading() as s:
        (row,) = submissions.list_submissions(s, today=DAY, pending_only=True)
    assert (row.status, row.age_days, row.for_whom) == (SubmissionStatus.RECEIVED, 3, "Trần Văn CS003 002")
    draft_id, _ = run(office, appoint("CS003", ("CS003-002", "pho_bi_thu"), submission="15-TTr/CB"), issue=False)
    with office.reading() as s:
        row = submissions.submission_row(s, sub.id, DAY)
    assert (row.status, row.decision_id) == (SubmissionStatus.DRAFTED, draft_id)
    with office.writing() as s:
        issue_draft(s, s.get(Decision, draft_id), on=DAY, actor="test", render=render_pdf)
    with office.reading() as s:
        row = submissions.submission_row(s, sub.id, dt.date(2026, 4, 1))
        assert submissions.list_submissions(s, today=DAY, pending_only=True) == []
    assert (row.status, row.decision_code, row.age_days) == (SubmissionStatus.ISSUED, "01-QĐ/ĐUK", 3)
    assert content(office, draft_id).basis == [
        "Xét Tờ trình số 15-TTr/CB, ngày 25/02/2026 của Chi bộ Sở Ngoại vụ về việc đề nghị chuẩn y Phó Bí thư Chi bộ;",
        "Xét đề nghị của Ban Tổ chức Đảng ủy Khối các cơ quan tỉnh,"]
    assert "submission_answered" in refused(office, appoint("CS003", ("CS003-003", "cap_uy_vien"),
                                                            submission="15-TTr/CB"))


def test_returned_submission_cannot_be_cited(office) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        sub = submissions.register_submission(s, register_number="3-TTr/ĐU", received_on=DAY, org_code="CS001",
                                              subject="đề nghị chỉ định bổ sung", members=["CB0001-020"],
                                              actor="test")
        submissions.return_submission(s, sub.id, reason="Đồng chí được đề nghị là đảng viên dự bị", on=DAY,
                                      actor="test")
        row = submissions.submission_row(s, sub.id, DAY)
    assert (row.status, row.returned_reason) == (SubmissionStatus.RETURNED, "Đồng chí được đề nghị là đảng viên dự bị")
    problems = refused(office, appoint("CS001", ("CB0002-004", "cap_uy_vien"), submission="3-TTr/ĐU"))
    assert problems["submission_returned"] == "Tờ trình số 3-TTr/ĐU đã được trả lại ngày 02/03/2026."
    assert "submission_not_found" in refused(office, appoint("CS001", ("CB0002-004", "cap_uy_vien"),
                                                             submission="99-TTr/ĐU"))


# --- views and summary ----------------------------------------------------------------------
def test_term_end_indicator_and_alerts(office) -> None:  # type: ignore[no-untyped-def]
    near = dt.date(2030, 1, 15)
    with office.reading() as s:
        finance = s.scalars(select(Organization.id).where(Organization.code == "CS001")).one()
        assert not committee_view(s, finance, DAY).ends_soon
        view = committee_view(s, finance, near)
        alerts = {a.org_code: a for a in committee_alerts(s, DAY)}
    assert view.ends_soon and view.term_end_note == "Nhiệm kỳ sắp hết (ngày 09/06/2030): chuẩn bị đại hội."
    assert alerts["CS001"].vacancies == ["Khuyết 1 ủy viên ban chấp hành (số lượng Đại hội quyết định: 9)."]
    assert "CS003" not in alerts, "a chi bộ under 9 with a Bí thư lacks nothing"
    assert "CB0001" in alerts and alerts["CB0001"].vacancies[0].startswith("Chưa có cấp ủy")


def test_record_size_of_an_older_committee(office) -> None:  # type: ignore[no-untyped-def]
    with office.reading() as s:
        farmers = s.scalars(select(Organization.id).where(Organization.code == "CS002")).one()
        before = committee_view(s, farmers, DAY).term
    assert before is not None and (before.size, before.size_recorded) == (3, False)  # inferred from the seats
    with office.writing() as s:
        record_committee_size(s, farmers, TERM, 5, actor="test")
    with office.reading() as s:
        after = committee_view(s, farmers, DAY)
    assert after.term is not None and (after.term.size, after.term.size_recorded) == (5, True)
    # a 4th chi ủy viên: refused over an inferred size of 3, within the recorded 5
    run(office, appoint("CS002", ("CS002-004", "cap_uy_vien"), mode="chi_dinh"))
    with office.reading() as s:
        seated = {h.member_code: h.roles for h in committee_view(s, farmers, DAY).holders}
    assert SeatRole.CAP_UY_VIEN in seated["CS002-004"] and len(seated) == 4


def test_term_summary_over_a_scripted_term(office) -> None:  # type: ignore[no-untyped-def]
    run(office, election())
    run(office, appoint("CS001", ("CB0002-004", "cap_uy_vien"), mode="chi_dinh"))
    run(office, {"action": "end_seat", "org": "CS003", "member": "CS003-001", "role": "bi_thu", "reason": "nghi_huu"})
    run(office, appoint("CS003", ("CS003-002", "bi_thu"), ("CS003-003", "pho_bi_thu")))
    run(office, appoint("CS002", ("CS002-004", "cap_uy_vien"), override_reason="Cần thiết"),
        issue=False)  # a draft does not count
    run(office, {"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ Phòng Giá", "parent": "CS001",
                 "members": ["CB0001-006", "CB0001-007", "CB0001-008"], "issuer": "CS001",
                 "recorded": {"number": "12-QĐ/ĐU", "signed_on": DAY.isoformat(), "signer": "Trần Văn CB0001 001"}})
    with office.reading() as s:
        summary = term_summary(s, TERM)
        with pytest.raises(Exception, match="Không có nhiệm kỳ 2035-2040"):
            term_summary(s, "2035-2040")
    assert summary.total.as_dict() == {"decisions": 3, "cap_uy_vien": 10, "uy_vien_btv": 3, "bi_thu": 2,
                                       "pho_bi_thu": 2}
    per_org = {o.org_code: o.as_dict() for o in summary.orgs}
    assert per_org["CS004"] == {"decisions": 1, "cap_uy_vien": 9, "uy_vien_btv": 3, "bi_thu": 1, "pho_bi_thu": 1}
    assert per_org["CS003"] == {"decisions": 1, "cap_uy_vien": 0, "uy_vien_btv": 0, "bi_thu": 1, "pho_bi_thu": 1}
    assert summary.sentence() == ("Nhiệm kỳ 2025 - 2030: 3 quyết định chỉ định, chuẩn y; 10 cấp ủy viên, 3 ủy viên ban "
                                  "thường vụ, 2 bí thư và 2 phó bí thư.")


def test_term_must_fit_the_effective_date(office) -> None:  # type: ignore[no-untyped-def]
    problems = refused(office, {**election(), "term": "2030-2035"})
    assert problems["term_mismatch"].startswith("Đại hội nhiệm kỳ 2030 - 2035 không thể diễn ra vào ngày 20/02/2026")
    problems = refused(office, {**appoint("CS003", ("CS003-002", "pho_bi_thu")), "effective": "2032-01-01"})
    assert problems["term_mismatch"] == "Ngày hiệu lực 01/01/2032 không thuộc nhiệm kỳ 2025 - 2030."


def test_candidates_are_found_without_accents_and_marked(office) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        foreign = s.scalars(select(Organization).where(Organization.code == "CS003")).one()
        add_member(s, "Nguyễn Thị Đào", foreign, code="CS003-ND")
        add_member(s, "Đỗ Văn Tường", foreign, code="CS003-DV", probationary=True)
    with office.reading() as s:
        org_id = s.scalars(select(Organization.id).where(Organization.code == "CS003")).one()
        assert [c.code for c in candidates(s, org_id, "NGUYEN thi dao", DAY)] == ["CS003-ND"]
        assert [c.code for c in candidates(s, org_id, "dao", DAY)] == ["CS003-ND"]
        assert candidates(s, org_id, "ao", DAY) == [], "words are matched from their beginning"
        (do,) = candidates(s, org_id, "đỗ tuong", DAY)
        assert do.problem == "đảng viên dự bị"
        everyone = candidates(s, org_id, "", DAY)
        assert everyone[0].code == "CS003-001" and everyone[0].roles == [SeatRole.BI_THU], "committee first"
        exempt = next(c for c in everyone if c.code == "CS003-EX")
        assert exempt.problem == "miễn sinh hoạt"
        finance = s.scalars(select(Organization.id).where(Organization.code == "CS001")).one()
        assert {c.chi_bo for c in candidates(s, finance, "cb0002", DAY)} == {"Chi bộ Phòng Ngân sách"}


def test_thresholds_come_from_the_settings(office) -> None:  # type: ignore[no-untyped-def]
    assert "no_chi_uy" in refused(office, appoint("CS003", ("CS003-002", "cap_uy_vien"), mode="chi_dinh"))
    with office.writing() as s:
        settings = load_settings(s)
        settings.thresholds.chi_uy_min_full_members = 7
        settings.thresholds.btv_min_committee = 5
        save_settings(s, settings)
    run(office, appoint("CS003", ("CS003-002", "cap_uy_vien"), mode="chi_dinh"))
    run(office, {**election(size=5, members=5)})


def test_an_older_irregularity_does_not_block_an_unrelated_appointment(office) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        farmers = s.scalars(select(Organization).where(Organization.code == "CS002")).one()
        third = s.scalars(select(Member).where(Member.code == "CS002-003")).one()
        add_seat(s, farmers, third, "pho_bi_thu", term=TERM, valid_from=ELECTED)  # two deputies, entered long ago
        record_committee_size(s, farmers.id, TERM, 4, actor="test")
    run(office, appoint("CS002", ("CS002-004", "cap_uy_vien"), mode="chi_dinh"))
    assert "one_pho_bi_thu" in refused(office, appoint("CS002", ("CS002-004", "pho_bi_thu")))


def test_a_viewer_may_not_register_or_return_submissions_nor_record_sizes(office) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.appointments.committees import record_committee_size
    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.core.auth.permissions import PermissionDenied

    with office.writing() as s:
        sub = submissions.register_submission(s, register_number="9-TTr/CB", received_on=DAY, org_code="CS003",
                                              subject="đề nghị chuẩn y Bí thư", members=["CS003-001"], actor="test")
        org_id = s.scalars(select(Organization.id).where(Organization.code == "CS002")).one()
    before = row_counts(office)
    office.user = CurrentUser("xem", "Người xem", Role.CHI_XEM)
    try:
        for attempt in (
            lambda s: submissions.register_submission(s, register_number="10-TTr/CB", received_on=DAY,
                                                      org_code="CS003", subject="x", members=[], actor="xem"),
            lambda s: submissions.return_submission(s, sub.id, reason="thiếu hồ sơ", on=DAY, actor="xem"),
            lambda s: record_committee_size(s, org_id, "2025-2027", 5, actor="xem"),
        ):
            with pytest.raises(PermissionDenied), office.writing() as s:
                attempt(s)
    finally:
        office.user = None
    assert row_counts(office) == before


def test_a_chi_bo_without_chi_uy_is_not_called_a_cap_uy(office) -> None:  # type: ignore[no-untyped-def]
    """A chi bộ under 9 full members has no chi ủy, only a Bí thư (and maybe a Phó Bí thư): the appointed
    work under the chi bộ's own working rules, not those of a «cấp ủy Chi bộ …» that does not exist."""
    decision_id, _ = run(office, appoint("CS003", ("CS003-002", "pho_bi_thu"), mode="chi_dinh"))
    words = text(content(office, decision_id))
    assert "cấp ủy" not in words.casefold() and "chi ủy" not in words.casefold(), words
    assert "quy chế làm việc của Chi bộ Sở Ngoại vụ nhiệm kỳ" in words, words
    with_chi_uy, _ = run(office, appoint("CS002", ("CS002-004", "cap_uy_vien"), mode="chi_dinh",
                                         override_reason="Cần thiết"))
    assert "quy chế làm việc của Chi ủy Chi bộ Hội Nông dân tỉnh nhiệm kỳ" in text(content(office, with_chi_uy))
    dang_uy, _ = run(office, appoint("CS001", ("CB0001-006", "cap_uy_vien"), mode="chi_dinh"))
    assert "quy chế làm việc của Đảng ủy Sở Tài chính nhiệm kỳ" in text(content(office, dang_uy))


def test_a_bi_thu_or_pho_bi_thu_of_a_dang_uy_with_a_standing_committee_comes_from_it(office) -> None:  # type: ignore[no-untyped-def]
    """DOMAIN.md §3: where the Ban Chấp hành elects a Ban Thường vụ, Bí thư and Phó Bí thư are among it. A Phó Bí thư
    approved from the Ban Chấp hành outside the Ban Thường vụ was issued (the demo's «chuẩn y Phó Bí thư Đảng ủy Ban
    Quản lý các khu công nghiệp tỉnh» of an ordinary cấp ủy viên)."""
    problems = refused(office, appoint("CS001", ("CB0001-004", "pho_bi_thu")))
    assert "CB0001 004 chưa là ủy viên Ban Thường vụ Đảng ủy Sở Tài chính: Phó Bí thư được chọn trong Ban Thường " \
           "vụ (thêm chức danh uy_vien_btv)." in problems["not_in_btv"]
    run(office, appoint("CS001", ("CB0001-004", "uy_vien_btv"), ("CB0001-004", "pho_bi_thu")))
    assert ("CB0001-004", "pho_bi_thu") in seats(office, "CS001")
