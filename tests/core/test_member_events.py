"""Member actions end to end: admit, confirm_full, leave, exempt, transfer_member, receive_member."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from factories import add_members, add_org
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.member_events.models import MemberEvent
from khoi_desktop.core.models import AuditEntry, Decision, Member, Membership, MemberStatus, MoveReason, Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.core.stats import counts_on
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.documents.pdf import render_pdf

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    return build_office(db)


def build_office(db):  # type: ignore[no-untyped-def]
    """Chi bộ Văn phòng (CB0001, 10 members, 2 probationary) under Đảng bộ Sở Y tế; Chi bộ Thanh tra (CB0002,
    4 full members); term 2025-2030."""
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        dang_bo = add_org(s, "CS001", "Đảng bộ Sở Y tế", "dang_bo_co_so")
        big = add_org(s, "CB0001", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=dang_bo)
        small = add_org(s, "CB0002", "Chi bộ Thanh tra Sở", "chi_bo_truc_thuoc", parent=dang_bo)
        add_members(s, big, 10, probationary=2)
        add_members(s, small, 4)
        for code, admitted in (("CB0001-009", dt.date(2025, 3, 2)), ("CB0001-010", dt.date(2025, 6, 1))):
            s.scalars(select(Member).where(Member.code == code)).one().admitted_on = admitted
    return db


def run(db, data: dict, *, today: dt.date = DAY):  # type: ignore[no-untyped-def]
    with db.writing() as s:
        decision, warnings = apply_request(s, parse_request(data), actor="test", issue=True, today=today,
                                           render=render_pdf)
        return decision.id, warnings


def person(given: str, born: str = "1995-04-01", **more: object) -> dict:
    return {"family_name": "Lê", "middle_name": "Thị", "given_name": given, "birth_date": born, "sex": "nu",
            **more}


def row_counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in
                (Member, Membership, Decision, MemberEvent, AuditEntry)}


def member(db, code: str) -> Member:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        found = s.scalars(select(Member).where(Member.code == code)).one()
        s.expunge(found)
        return found


def in_org(db, code: str, day: dt.date) -> int:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        node = load_snapshot(s, day, include_ended=True).by_code(code)
        return node.members if node else -1


def refused(db, data: dict) -> list[str]:  # type: ignore[no-untyped-def]
    before = row_counts(db)
    with pytest.raises(RequestRefused) as caught:
        run(db, data)
    assert row_counts(db) == before, "a refusal changes nothing"
    return [code for code, _ in caught.value.problems]


ADMIT_THREE = {"action": "admit", "org": "CB0002", "admitted_on": "2026-02-03", "introducers": ["CB0002-001"],
               "people": [person("Hoa"), person("Lan", "1990-12-31"), person("Mai", national_id="001190000123")]}


def test_three_people_admitted_in_one_decision_with_their_list(office) -> None:  # type: ignore[no-untyped-def]
    decision_id, _ = run(office, ADMIT_THREE)
    with office.reading() as s:
        decision = s.get(Decision, decision_id)
        assert decision.code == "01-QĐ/ĐUK"
        content = DecisionContent.from_json(decision.content)
        assert content.subject == "về việc kết nạp đảng viên"
        assert "Kết nạp 03 đồng chí (có danh sách kèm theo) vào Đảng Cộng sản Việt Nam, sinh hoạt tại Chi bộ " \
               "Thanh tra Sở trực thuộc Đảng bộ Sở Y tế, kể từ ngày 03/02/2026." in content.articles[0].paragraphs
        assert [r[1] for r in content.attachments[0].rows] == ["Lê Thị Hoa", "Lê Thị Lan", "Lê Thị Mai"]
        admitted = s.scalars(select(Membership).where(Membership.decision_id == decision_id)).all()
        assert {(m.start_reason, m.valid_from) for m in admitted} == {(MoveReason.KET_NAP, dt.date(2026, 2, 3))}
        events = s.scalars(select(MemberEvent).where(MemberEvent.decision_id == decision_id)).all()
        assert [e.kind for e in events] == ["ket_nap"] * 3
        new = s.get(Member, admitted[0].member_id)
        assert (new.admitted_on, new.full_member_on, new.status_on(DAY)) == (dt.date(2026, 2, 3), None,
                                                                              MemberStatus.DU_BI)
    assert in_org(office, "CB0002", dt.date(2026, 2, 2)) == 4, "history: the day before, four members"
    assert in_org(office, "CB0002", dt.date(2026, 2, 3)) == 7


def test_one_person_is_named_and_the_numbers_follow_the_one_sequence(office) -> None:  # type: ignore[no-untyped-def]
    first, _ = run(office, {"action": "admit", "org": "CB0001", "admitted_on": "2026-01-05",
                            "person": person("Hoa")})
    second, _ = run(office, {"action": "exempt", "member": "CB0001-001", "on": "2026-03-01"})
    with office.reading() as s:
        content = DecisionContent.from_json(s.get(Decision, first).content)
        assert content.articles[0].paragraphs[0].startswith("Kết nạp đồng chí Lê Thị Hoa vào Đảng")
        assert content.attachments == []
        assert [s.get(Decision, d).number for d in (first, second)] == [1, 2]
    assert member(office, "CB0001-001").status_on(DAY) is MemberStatus.MIEN_SINH_HOAT
    run(office, {"action": "end_exemption", "member": "CB0001-001", "on": "2026-03-02"})
    assert member(office, "CB0001-001").status_on(DAY) is MemberStatus.CHINH_THUC


def test_admission_refusals_change_nothing(office) -> None:  # type: ignore[no-untyped-def]
    young = {"action": "admit", "org": "CB0001", "admitted_on": "2026-02-03", "person": person("Hoa", "2008-02-04")}
    assert refused(office, young) == ["under_18"]
    with office.reading() as s:
        existing = s.scalars(select(Member).where(Member.code == "CB0001-001")).one()
        again = {"family_name": existing.family_name, "middle_name": existing.middle_name,
                 "given_name": existing.given_name, "birth_date": existing.birth_date.isoformat(), "sex": "nam"}
    assert refused(office, {**young, "person": again}) == ["already_member"]
    assert refused(office, {**young, "person": person("Hoa"), "introducers": ["CB0001-010"]}) == [
        "introducer_not_full"]


def test_recognition_in_bulk_after_twelve_months_and_not_before(office) -> None:  # type: ignore[no-untyped-def]
    both = {"action": "confirm_full", "on": "2026-03-02", "members": ["CB0001-009", "CB0001-010"]}
    assert refused(office, both) == ["probation_not_over"]
    decision_id, _ = run(office, {**both, "members": ["CB0001-009"]})
    recognized = member(office, "CB0001-009")
    assert recognized.full_member_on == dt.date(2026, 3, 2)
    assert recognized.status_on(dt.date(2026, 3, 1)) is MemberStatus.DU_BI
    assert recognized.status_on(DAY) is MemberStatus.CHINH_THUC
    assert refused(office, {**both, "members": ["CB0001-009"]}) == ["already_full"]
    with office.reading() as s:
        assert DecisionContent.from_json(s.get(Decision, decision_id).content).subject == \
            "về việc công nhận đảng viên chính thức"


def test_leaving_twice_is_refused_and_a_small_chi_bo_is_warned(office) -> None:  # type: ignore[no-untyped-def]
    _, warnings = run(office, {"action": "leave", "member": "CB0002-001", "reason": "tu_tran", "on": "2026-02-10"})
    assert warnings == [], "three full members are still enough"
    _, warnings = run(office, {"action": "leave", "member": "CB0002-002", "reason": "xin_ra", "on": "2026-02-11"})
    assert any("Chi bộ Thanh tra Sở chỉ còn 2 đảng viên chính thức" in w for w in warnings)
    assert refused(office, {"action": "leave", "member": "CB0002-001", "reason": "xoa_ten", "on": "2026-02-20"}) == [
        "already_left"]
    with office.reading() as s:
        ended = s.scalars(select(Membership).join(Member).where(Member.code == "CB0002-001")).one()
        assert (ended.valid_to, ended.end_reason) == (dt.date(2026, 2, 10), MoveReason.TU_TRAN)
        assert counts_on(s, dt.date(2026, 2, 9)).members == 14
        assert counts_on(s, dt.date(2026, 2, 11)).members == 12


def test_a_member_action_dated_years_ahead_or_a_death_not_yet_happened_is_refused(office) -> None:  # type: ignore[no-untyped-def]
    # «9999-12-31» (a typing slip) made a decision of a leaving, an exemption, an admission eight thousand years ahead;
    # «effective» was bounded, the member action's own day was not.
    for data in ({"action": "leave", "member": "CB0002-001", "reason": "xoa_ten", "on": "9999-12-31"},
                 {"action": "exempt", "member": "CB0002-001", "on": "2099-01-01"},
                 {"action": "transfer_member", "member": "CB0002-001", "on": "2099-01-01", "to": "CB0001"},
                 {**ADMIT_THREE, "admitted_on": "2099-01-01"}):
        assert refused(office, data) == ["effective_too_far"], data
    with pytest.raises(RequestRefused) as caught:
        run(office, {"action": "admit", "org": "CB0002", "admitted_on": "2099-01-01", "person": person("Hoa")})
    assert caught.value.problems[0][1].startswith("Ngày vào Đảng 01/01/2099 quá xa: chỉ được muộn nhất 366 ngày")
    # A death is recorded once it happened: not dated after the decision.
    later = {"action": "leave", "member": "CB0002-001", "reason": "tu_tran", "on": "2026-03-20"}
    assert refused(office, later) == ["death_after_signing"]
    _, warnings = run(office, {**later, "on": "2026-03-02"})  # the same day: done
    # A decision effective later than the day it is signed may say «xóa tên» from that later day.
    run(office, {"action": "leave", "member": "CB0002-002", "reason": "xoa_ten", "on": "2026-03-20"})


def test_transfers_within_out_and_temporary_and_not_twice_a_day(office) -> None:  # type: ignore[no-untyped-def]
    within, _ = run(office, {"action": "transfer_member", "member": "CB0001-001", "to": "CB0002", "on": "2026-02-01"})
    assert (in_org(office, "CB0001", dt.date(2026, 2, 1)), in_org(office, "CB0002", dt.date(2026, 2, 1))) == (9, 5)
    with office.reading() as s:
        content = DecisionContent.from_json(s.get(Decision, within).content)
        assert "Chuyển sinh hoạt đảng chính thức cho đồng chí Trần Văn CB0001 001 từ Chi bộ Văn phòng Sở đến " \
               "Chi bộ Thanh tra Sở, cùng trực thuộc Đảng bộ Sở Y tế, kể từ ngày 01/02/2026." in \
            content.articles[0].paragraphs
    assert refused(office, {"action": "transfer_member", "member": "CB0001-001", "to_body": "Đảng bộ tỉnh Bắc Ninh",
                            "on": "2026-02-01"}) == ["transferred_today"]
    decision_id, _ = run(office, {"action": "transfer_member", "member": "CB0001-002",
                                  "to_body": "Đảng bộ tỉnh Bắc Ninh", "on": "2026-02-05"})
    run(office, {"action": "transfer_member", "member": "CB0001-003", "to_body": "Đảng bộ Trường Chính trị tỉnh",
                 "temporary": True, "until": "2026-08-05", "on": "2026-02-05"})
    assert in_org(office, "CB0001", dt.date(2026, 2, 5)) == 8, "the temporary transfer keeps the membership"
    with office.reading() as s:
        gone = s.scalars(select(Membership).join(Member).where(Member.code == "CB0001-002")).one()
        assert (gone.valid_to, gone.end_reason) == (dt.date(2026, 2, 5), MoveReason.CHUYEN_DI)
        content = DecisionContent.from_json(s.get(Decision, decision_id).content)
        assert "Chuyển sinh hoạt đảng chính thức cho đồng chí Trần Văn CB0001 002 từ Chi bộ Văn phòng Sở trực thuộc " \
               "Đảng bộ Sở Y tế đến Đảng bộ tỉnh Bắc Ninh, kể từ ngày 05/02/2026." in content.articles[0].paragraphs
        kinds = [e.kind for e in s.scalars(select(MemberEvent).order_by(MemberEvent.id))]
        assert kinds == ["chuyen_sinh_hoat", "chuyen_di", "tam_thoi"]


def test_receive_member_from_outside(office) -> None:  # type: ignore[no-untyped-def]
    record = person("Hạnh", status="chinh_thuc", admitted_on="2015-05-19")
    decision_id, _ = run(office, {"action": "receive_member", "from_body": "Đảng bộ tỉnh Bắc Ninh", "org": "CB0001",
                                  "on": "2026-02-20", "person": record})
    with office.reading() as s:
        joined = s.scalars(select(Membership).where(Membership.decision_id == decision_id)).one()
        assert joined.start_reason == MoveReason.CHUYEN_DEN
        assert s.get(Member, joined.member_id).full_member_on == dt.date(2016, 5, 19)
        event = s.scalars(select(MemberEvent)).one()
        assert (event.kind, event.body) == ("chuyen_den", "Đảng bộ tỉnh Bắc Ninh")


def test_a_stored_draft_is_issued_later_with_its_people(office) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.apply import draft, issue_draft

    with office.writing() as s:
        decision, _ = draft(s, parse_request(ADMIT_THREE), actor="test", today=DAY)
        decision_id = decision.id
    assert in_org(office, "CB0002", DAY) == 4, "a draft changes nothing"
    with office.writing() as s:
        issue_draft(s, s.get(Decision, decision_id), on=DAY + dt.timedelta(days=3), actor="test", render=render_pdf)
    assert in_org(office, "CB0002", dt.date(2026, 2, 3)) == 7


def test_an_admission_dated_before_its_decision_is_signed_is_flagged(office) -> None:  # type: ignore[no-untyped-def]
    # «Kết nạp … kể từ ngày 20/11» in a decision signed 03/12: the ceremony follows the decision.
    _, warnings = run(office, {**ADMIT_THREE, "admitted_on": "2026-02-20"})
    flagged = [w for w in warnings if w.startswith("Ngày kết nạp 20/02/2026 trước ngày quyết định 02/03/2026")]
    assert len(flagged) == 1, warnings
    _, warnings = run(office, {"action": "admit", "org": "CB0001", "admitted_on": DAY.isoformat(),
                               "person": person("Quyên", "1996-07-07")})
    assert not any(w.startswith("Ngày kết nạp") for w in warnings), warnings
