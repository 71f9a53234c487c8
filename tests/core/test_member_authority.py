"""Who decides member actions: an authorized đảng ủy cơ sở for its chi bộ (a recorded decision of that body,
not a number of this office), this office otherwise and for anything crossing the office's boundary."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from test_member_events import build_office, person, refused, run

from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.member_events.models import MemberEvent
from khoi_desktop.core.models import Decision
from khoi_desktop.core.settings import load_settings, save_settings

RECORDED = {"number": "07-QĐ/ĐU", "signed_on": "2026-02-03", "signer": "Trần Văn CB0001 001"}
ADMIT = {"action": "admit", "org": "CB0002", "admitted_on": "2026-02-03", "person": person("Hoa")}


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    return build_office(db)


def authorize(db, *codes: str) -> None:  # type: ignore[no-untyped-def]
    with db.writing() as s:
        save_settings(s, dataclasses.replace(load_settings(s), admitting_bodies=list(codes)))


def test_an_authorized_dang_uy_admits_into_its_chi_bo_as_a_recorded_decision(office) -> None:  # type: ignore[no-untyped-def]
    authorize(office, "CS001")
    assert refused(office, ADMIT) == ["wrong_issuer"], "the office may not decide for an authorized đảng ủy"
    decision_id, _ = run(office, {**ADMIT, "issuer": "CS001", "recorded": RECORDED})
    with office.reading() as s:
        decision = s.get(Decision, decision_id)
        assert (decision.code, decision.number, decision.issuer.code) == ("07-QĐ/ĐU", None, "CS001")
        content = DecisionContent.from_json(decision.content)
        assert content.header.issuing_body == "ĐẢNG ỦY SỞ Y TẾ"
        assert "ĐẢNG ỦY SỞ Y TẾ QUYẾT ĐỊNH" in content.enacting
        authorized = ("Căn cứ sự ủy quyền của Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh cho Đảng ủy Sở Y tế quyết "
                      "định kết nạp đảng viên, công nhận đảng viên chính thức;")
        assert content.can_cu[-2:] == [authorized, "Căn cứ Quy chế làm việc của Đảng ủy Sở Y tế;"]
        assert s.scalars(select(MemberEvent.kind).where(MemberEvent.decision_id == decision_id)).all() == ["ket_nap"]
    # The move of a member within the đảng bộ is its đảng ủy's too; out of the office it is the office's.
    move = {"action": "transfer_member", "member": "CB0001-001", "on": "2026-02-10", "to": "CB0002"}
    assert refused(office, move) == ["wrong_issuer"]
    run(office, {**move, "issuer": "CS001", "recorded": {**RECORDED, "number": "08-QĐ/ĐU"}})
    away = {"action": "transfer_member", "member": "CB0001-002", "on": "2026-02-10", "to_body": "Đảng bộ tỉnh Bắc Ninh"}
    assert refused(office, {**away, "issuer": "CS001", "recorded": RECORDED}) == ["wrong_issuer"]
    away_id, _ = run(office, away)
    with office.reading() as s:
        assert s.get(Decision, away_id).code == "01-QĐ/ĐUK"


def test_without_authorization_the_office_decides_and_names_itself(office) -> None:  # type: ignore[no-untyped-def]
    assert refused(office, {**ADMIT, "issuer": "CS001", "recorded": RECORDED}) == ["wrong_issuer"]
    decision_id, _ = run(office, ADMIT)
    with office.reading() as s:
        decision = s.get(Decision, decision_id)
        assert (decision.code, decision.issuer_id) == ("01-QĐ/ĐUK", None)
