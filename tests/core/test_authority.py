"""Who decides (Điều lệ Đảng, Điều 10.3): this office's decisions and the recorded decisions of a đảng ủy
cơ sở; transfers across levels; one date everywhere; request checks from the rule book; history kept whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess

import pytest
from sqlalchemy import func, select

from factories import add_member, add_members, add_org, add_seat
from khoi_desktop.core.apply import apply_request, issue_draft
from khoi_desktop.core.decision_content import DecisionContent, content_text
from khoi_desktop.core.errors import RequestRefused, ValidationError
from khoi_desktop.core.models import (
    AuditEntry,
    CommitteeSeat,
    Decision,
    Member,
    Membership,
    Organization,
    OrgKind,
    Placement,
    Term,
)
from khoi_desktop.core.recorded_register import recorded_rows
from khoi_desktop.core.register import register_rows
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.rules import check
from khoi_desktop.core.settings import OfficeSettings, load_settings, save_settings
from khoi_desktop.core.stats import counts_on
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.documents.pdf import render_pdf

DAY = dt.date(2026, 3, 2)
BEFORE = DAY - dt.timedelta(days=1)


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    """CS001 Đảng bộ Sở Y tế: CB0001 (20 members), CB0002 (11), 31 in all, Bí thư CB0001-001 and committee
    member CB0002-001 on its Đảng ủy; CS002 Chi bộ Hội Nông dân tỉnh (12, Bí thư CS002-001 on its chi ủy);
    CS003 Đảng bộ Sở Tài chính with CB0003 (35)."""
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        health = add_org(s, "CS001", "Đảng bộ Sở Y tế", "dang_bo_co_so", agency="Sở Y tế")
        first = add_org(s, "CB0001", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=health)
        second = add_org(s, "CB0002", "Chi bộ Thanh tra Sở", "chi_bo_truc_thuoc", parent=health)
        a = add_members(s, first, 20)
        b = add_members(s, second, 11)
        add_seat(s, health, a[0], "cap_uy_vien", term="2025-2030", valid_from=dt.date(2025, 6, 1))
        add_seat(s, health, a[0], "bi_thu", term="2025-2030", valid_from=dt.date(2025, 6, 1))
        add_seat(s, health, b[0], "cap_uy_vien", term="2025-2030", valid_from=dt.date(2025, 6, 1))
        farmers = add_org(s, "CS002", "Chi bộ Hội Nông dân tỉnh", "chi_bo_co_so")
        c = add_members(s, farmers, 12)
        add_seat(s, farmers, c[0], "bi_thu", term="2025-2030", valid_from=dt.date(2025, 6, 1))
        finance = add_org(s, "CS003", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
        add_members(s, add_org(s, "CB0003", "Chi bộ Phòng Ngân sách", "chi_bo_truc_thuoc", parent=finance), 35)
    return db


def run(db, data: dict, *, issue: bool = True, today: dt.date = DAY):  # type: ignore[no-untyped-def]
    with db.writing() as s:
        decision, warnings = apply_request(s, parse_request(data), actor="test", issue=issue, today=today,
                                           render=render_pdf)
        return decision.id, warnings


def refused(db, data: dict, **kwargs) -> RequestRefused:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        before = [s.scalar(select(func.count()).select_from(m)) for m in (Decision, Membership, Placement)]
    with pytest.raises(RequestRefused) as error:
        run(db, data, **kwargs)
    with db.reading() as s:
        assert [s.scalar(select(func.count()).select_from(m)) for m in (Decision, Membership, Placement)] == before
    return error.value


def codes(prefix: str, numbers: range) -> list[str]:
    return [f"{prefix}-{i:03d}" for i in numbers]


SPLIT = {"action": "split", "org": "CB0001", "effective": DAY.isoformat(),
         "into": [{"name": "Chi bộ Phòng Dược", "members": codes("CB0001", range(1, 11))},
                  {"name": "Chi bộ Phòng Nghiệp vụ", "members": codes("CB0001", range(11, 21))}]}
RECORDED = {"number": "05-QĐ/ĐU", "signed_on": DAY.isoformat(), "signer": "Trần Văn CB0001 001"}


# --- who decides ----------------------------------------------------------------------------
def test_the_office_cannot_issue_a_split_of_a_chi_bo_truc_thuoc(office) -> None:  # type: ignore[no-untyped-def]
    error = refused(office, SPLIT)
    assert error.problems[0][0] == "wrong_issuer"
    assert "do Đảng ủy Sở Y tế ban hành" in error.message and "Điều 10 khoản 3" in error.message
    assert "hãy chọn cơ quan ban hành là Đảng ủy Sở Y tế" in error.message


def test_a_dang_uy_cannot_decide_for_a_chi_bo_co_so(office) -> None:  # type: ignore[no-untyped-def]
    data = {"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ Báo Thái Nguyên", "parent": None,
            "members": codes("CS002", range(1, 4)), "issuer": "CS001", "recorded": RECORDED}
    error = refused(office, data)
    assert "do Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh ban hành" in error.message
    assert refused(office, {**SPLIT, "issuer": "CB0002"}).problems[0][0] == "invalid_issuer"


def test_moving_a_chi_bo_between_two_dang_bo_is_this_offices_decision(office) -> None:  # type: ignore[no-untyped-def]
    move = {"action": "transfer", "org": "CB0002", "to": "CS003", "effective": DAY.isoformat(),
            "consent_reason": "Sắp xếp theo ngành"}
    error = refused(office, {**move, "issuer": "CS001", "recorded": RECORDED})
    assert "do Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh ban hành" in error.message
    decision_id, _ = run(office, move)
    with office.reading() as s:
        decision = s.get(Decision, decision_id)
        assert (decision.code, decision.issuer_id, decision.recorded) == ("01-QĐ/ĐUK", None, False)


def test_recorded_split_changes_the_tree_and_uses_no_number_of_this_office(office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    scan = tmp_path / "05-QD-DU.pdf"
    scan.write_bytes(b"%PDF-1.4 signed copy")
    decision_id, _ = run(office, {**SPLIT, "issuer": "CS001", "recorded": {**RECORDED, "scan": str(scan)}})
    with office.reading() as s:
        decision = s.get(Decision, decision_id)
        assert (decision.code, decision.number, decision.recorded, decision.issuer.code) == (
            "05-QĐ/ĐU", None, True, "CS001")
        assert (decision.issued_on, decision.effective_on, decision.signer) == (DAY, DAY, "Trần Văn CB0001 001")
        assert decision.pdf == scan.read_bytes()
        assert decision.pdf_sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "decision.record")).one()
        assert audit.target == "05-QĐ/ĐU" and "Đảng ủy Sở Y tế" in audit.after
        snapshot = load_snapshot(s, DAY)
        assert snapshot.by_code("CB0001") is None
        assert sorted(snapshot.nodes[c].name for c in snapshot.by_code("CS001").children) == [
            "Chi bộ Phòng Dược", "Chi bộ Phòng Nghiệp vụ", "Chi bộ Thanh tra Sở"]
        assert [r.code for r in recorded_rows(s)] == ["05-QĐ/ĐU"]
        assert [r.issuer for r in recorded_rows(s, issuer="CS001")] == ["Đảng ủy Sở Y tế"]
        assert register_rows(s) == [], "the outgoing register holds only this office's documents"
    office_decision, _ = run(office, {"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ Báo Thái Nguyên",
                                      "parent": None, "members": codes("CS002", range(1, 4))})
    with office.reading() as s:
        assert s.get(Decision, office_decision).code == "01-QĐ/ĐUK"
        assert [r.code for r in register_rows(s)] == ["01-QĐ/ĐUK"]


def test_the_same_recorded_number_twice_is_refused(office) -> None:  # type: ignore[no-untyped-def]
    run(office, {**SPLIT, "issuer": "CS001", "recorded": RECORDED})
    again = {"action": "split", "org": "CB0002", "effective": DAY.isoformat(), "issuer": "CS001", "recorded": RECORDED,
             "into": [{"name": "A", "members": codes("CB0002", range(1, 6))},
                      {"name": "B", "members": codes("CB0002", range(6, 12))}]}
    with pytest.raises(ValidationError, match="05-QĐ/ĐU của Đảng ủy Sở Y tế đã được ghi nhận"):
        run(office, again)


def test_a_scan_must_be_a_pdf(office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"\xff\xd8\xff")
    with pytest.raises(ValidationError, match="không phải tệp PDF"):
        run(office, {**SPLIT, "issuer": "CS001", "recorded": {**RECORDED, "scan": str(scan)}})


def test_a_draft_for_the_dang_uy_carries_their_header_and_is_recorded_once_signed(office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.documents.copies import decision_pdf

    draft_id, _ = run(office, {**SPLIT, "issuer": "CS001"}, issue=False)
    with office.reading() as s:
        decision = s.get(Decision, draft_id)
        content = DecisionContent.from_json(decision.content)
        assert (decision.issuer.code, decision.number, decision.code) == ("CS001", None, None)
        pdf = decision_pdf(s, decision)
    assert (content.header.superior_body, content.header.issuing_body, content.header.issuer_code) == (
        "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH", "ĐẢNG ỦY SỞ Y TẾ", "ĐU")
    assert content.enacting == "ĐẢNG ỦY SỞ Y TẾ QUYẾT ĐỊNH"
    assert (content.signature.on_behalf, content.signature.title, content.signature.name) == (
        "T/M ĐẢNG ỦY", "BÍ THƯ", "Trần Văn CB0001 001")
    assert content.basis == ["Xét đề nghị của Văn phòng Đảng ủy Sở Y tế,"]
    assert content.recipients[-1] == "Lưu Văn phòng Đảng ủy Sở Y tế."
    path = tmp_path / "draft.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for printed in ("ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH", "ĐẢNG ỦY SỞ Y TẾ", "-QĐ/ĐU", "T/M ĐẢNG ỦY",
                    "Trần Văn CB0001 001"):
        assert printed in text
    assert "ĐUK" not in text
    with office.writing() as s, pytest.raises(ValidationError, match="chỉ ghi nhận khi quyết định đã được ký"):
        issue_draft(s, s.get(Decision, draft_id), on=DAY, actor="test", render=render_pdf)


def test_a_draft_for_paper_signing_is_effective_from_its_signing_not_its_drafting_day(office) -> None:  # type: ignore[no-untyped-def]
    """Signed on paper some day after it was drafted: the draft must not freeze the drafting day as «kể từ
    ngày»; once recorded, the decision takes effect on the day it was signed."""
    from pypdf import PdfReader

    from khoi_desktop.documents.copies import decision_pdf

    data = {key: value for key, value in SPLIT.items() if key != "effective"}
    draft_id, _ = run(office, {**data, "issuer": "CS001"}, issue=False, today=DAY)
    with office.reading() as s:
        pdf = decision_pdf(s, s.get(Decision, draft_id))
    text = " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "kể từ ngày ký" in text
    assert "02/03/2026" not in text
    signed = DAY + dt.timedelta(days=6)
    recorded_id, _ = run(office, {**data, "issuer": "CS001", "recorded": {**RECORDED, "signed_on": signed.isoformat()}},
                         today=signed)
    with office.reading() as s:
        decision = s.get(Decision, recorded_id)
        assert decision.effective_on == signed
        assert "kể từ ngày 08/03/2026" in content_text(DecisionContent.from_json(decision.content))


def test_a_recording_drafted_first_is_recorded_by_issue(office) -> None:  # type: ignore[no-untyped-def]
    draft_id, _ = run(office, {**SPLIT, "issuer": "CS001", "recorded": RECORDED}, issue=False)
    with office.writing() as s:
        decision = issue_draft(s, s.get(Decision, draft_id), on=DAY + dt.timedelta(days=9), actor="test",
                               render=render_pdf)
        assert (decision.code, decision.issued_on, decision.recorded) == ("05-QĐ/ĐU", DAY, True)


# --- transfers across levels ----------------------------------------------------------------
def test_a_chi_bo_co_so_moved_under_a_dang_bo_becomes_a_chi_bo_truc_thuoc(office) -> None:  # type: ignore[no-untyped-def]
    decision_id, _ = run(office, {"action": "transfer", "org": "CS002", "to": "CS001", "committee": "keep",
                                  "effective": DAY.isoformat()})
    with office.reading() as s:
        decision = s.get(Decision, decision_id)
        assert (decision.code, decision.issuer_id) == ("01-QĐ/ĐUK", None)
        before, after = load_snapshot(s, BEFORE), load_snapshot(s, DAY)
        assert before.by_code("CS002").kind is OrgKind.CHI_BO_CO_SO and before.by_code("CS002").parent_id is None
        assert after.by_code("CS002").kind is OrgKind.CHI_BO_TRUC_THUOC
        assert after.parent_code(after.by_code("CS002")) == "CS001"
        assert (counts_on(s, BEFORE).chi_bo_co_so, counts_on(s, DAY).chi_bo_co_so) == (1, 0)
        assert (counts_on(s, BEFORE).chi_bo_truc_thuoc, counts_on(s, DAY).chi_bo_truc_thuoc) == (3, 4)
        assert after.by_code("CS001").members == 43
        seat = s.scalars(select(CommitteeSeat).join(Organization, Organization.id == CommitteeSeat.org_id)
                         .where(Organization.code == "CS002")).one()
        assert seat.valid_to is None, "committee: keep"
        text = content_text(DecisionContent.from_json(decision.content))
    assert "Chi bộ Hội Nông dân tỉnh chuyển từ chi bộ cơ sở thành chi bộ trực thuộc Đảng bộ Sở Y tế." in text
    assert "Chi ủy Chi bộ Hội Nông dân tỉnh tiếp tục hoạt động đến hết nhiệm kỳ." in text


def test_a_chi_bo_truc_thuoc_raised_to_chi_bo_co_so_leaves_the_dang_uy(office) -> None:  # type: ignore[no-untyped-def]
    decision_id, _ = run(office, {"action": "transfer", "org": "CB0002", "to": None, "committee": "end",
                                  "effective": DAY.isoformat(), "consent_reason": "Đảng bộ đang kiện toàn"})
    with office.reading() as s:
        after = load_snapshot(s, DAY)
        assert after.by_code("CB0002").kind is OrgKind.CHI_BO_CO_SO and after.by_code("CB0002").parent_id is None
        assert load_snapshot(s, BEFORE).by_code("CB0002").kind is OrgKind.CHI_BO_TRUC_THUOC
        seat = s.scalars(select(CommitteeSeat).join(Member, Member.id == CommitteeSeat.member_id)
                         .where(Member.code == "CB0002-001")).one()
        assert (seat.valid_to, seat.end_reason) == (DAY, "Chuyển sinh hoạt ra khỏi tổ chức"), \
            "a seat on the old parent's đảng ủy always ends with the transfer"
        assert s.get(Decision, decision_id).code == "01-QĐ/ĐUK"


def test_transfer_ends_the_moved_chi_bos_committee_when_asked(office) -> None:  # type: ignore[no-untyped-def]
    run(office, {"action": "transfer", "org": "CS002", "to": "CS001", "committee": "end",
                 "effective": DAY.isoformat()})
    with office.reading() as s:
        seat = s.scalars(select(CommitteeSeat).join(Member, Member.id == CommitteeSeat.member_id)
                         .where(Member.code == "CS002-001")).one()
        assert seat.valid_to == DAY


def test_transfer_committee_value_is_checked(office) -> None:  # type: ignore[no-untyped-def]
    message = refused(office, {"action": "transfer", "org": "CS002", "to": "CS001", "committee": "x"}).message
    assert "keep (tiếp tục hoạt động), end (kết thúc hoạt động)" in message


# --- one date ---------------------------------------------------------------------------------
def test_a_week_old_draft_prints_and_takes_effect_on_its_issue_date(office) -> None:  # type: ignore[no-untyped-def]
    data = {"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ Báo Thái Nguyên", "parent": None,
            "members": codes("CS002", range(1, 4))}
    draft_id, _ = run(office, data, issue=False, today=dt.date(2026, 12, 2))
    with office.reading() as s:
        assert "02/12/2026" in content_text(DecisionContent.from_json(s.get(Decision, draft_id).content))
    issue_day = dt.date(2026, 12, 20)
    with office.writing() as s:
        decision = issue_draft(s, s.get(Decision, draft_id), on=issue_day, actor="test", render=render_pdf)
        text = content_text(DecisionContent.from_json(decision.content))
        new = s.scalars(select(Organization).where(Organization.founded_by_id == draft_id)).one()
        joined = {m.valid_from for m in s.scalars(select(Membership).where(Membership.org_id == new.id))}
        assert (decision.effective_on, decision.issued_on, new.founded_on, joined) == (
            issue_day, issue_day, issue_day, {issue_day})
        pdf = decision.pdf
    assert "20/12/2026" in text and "02/12/2026" not in text
    assert b"02/12/2026" not in pdf


# --- one rule book ----------------------------------------------------------------------------
def test_a_transfer_leaving_a_dang_bo_under_30_warns_like_check(office) -> None:  # type: ignore[no-untyped-def]
    move = {"action": "transfer", "org": "CB0002", "to": "CS003", "effective": DAY.isoformat()}
    error = refused(office, move)
    assert [code for code, _ in error.problems] == ["consent_required"]
    assert "Đảng bộ Sở Y tế là đảng bộ cơ sở chỉ có 20 đảng viên (dưới 30)" in error.message
    _, warnings = run(office, {**move, "consent_reason": "Đảng bộ Sở Y tế sẽ kết nạp thêm"})
    with office.reading() as s:
        findings = check(load_snapshot(s, DAY), load_settings(s).thresholds)
    under = [f for f in findings if f.rule == "dang_bo_under_30" and f.org == "CS001"]
    assert len(under) == 1 and under[0].severity == "info", "the consent is recorded on the đảng bộ"
    assert warnings == [under[0].message.removesuffix(" Đã có ý kiến đồng ý của cấp ủy cấp trên.")]


def test_request_checks_read_only_what_they_touch(office, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core import rules
    from khoi_desktop.core.workflows import request_check

    seen: list[str] = []
    original = rules.check_org

    def spy(node, limits):  # type: ignore[no-untyped-def]
        seen.append(node.code)
        return original(node, limits)

    monkeypatch.setattr(request_check, "check_org", spy)
    run(office, {"action": "transfer", "org": "CS002", "to": "CS001", "effective": DAY.isoformat()})
    assert set(seen) == {"CS002", "CS001"}, "the moved chi bộ and its new đảng bộ, not CS003 or its chi bộ"


# --- history kept whole -----------------------------------------------------------------------
def test_a_request_dated_before_a_later_change_is_refused_with_its_date(office) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        chi_bo = s.scalars(select(Organization).where(Organization.code == "CB0001")).one()
        add_member(s, "Lê Văn Mới", chi_bo, code="LATE-1", joined_on=dt.date(2026, 4, 10))
    error = refused(office, {**SPLIT, "issuer": "CS001", "recorded": RECORDED})
    assert error.problems[0][0] == "later_change"
    assert "đã có thay đổi ngày 10/04/2026, sau ngày hiệu lực 02/03/2026" in error.message


@pytest.mark.parametrize("leave, roles", [(False, {"cap_uy_vien"}), (True, set())])
def test_ending_a_bi_thu_says_whether_they_leave_the_committee(office, leave, roles) -> None:  # type: ignore[no-untyped-def]
    end = {"action": "end_seat", "org": "CS001", "member": "CB0001-001", "role": "bi_thu",
           "reason": "chuyen_cong_tac", "effective": DAY.isoformat(), "leave_committee": leave}
    run(office, end)
    assert open_roles(office, "CB0001-001") == roles


def open_roles(db, member: str) -> set[str]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return {seat.role.value for seat in s.scalars(select(CommitteeSeat).join(Member).where(
            Member.code == member, CommitteeSeat.valid_to.is_(None)))}


def test_the_term_summary_counts_only_this_offices_appointments(office) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.appointments.summary import term_summary

    seats = [{"member": "CB0001-002", "role": "cap_uy_vien"}, {"member": "CB0001-002", "role": "bi_thu"}]
    appoint = {"action": "appoint", "mode": "chuan_y", "org": "CB0001", "term": "2025-2030", "seats": seats,
               "effective": DAY.isoformat()}
    assert "do Đảng ủy Sở Y tế ban hành" in refused(office, appoint).message
    recorded_id, _ = run(office, {**appoint, "issuer": "CS001", "recorded": {**RECORDED, "number": "09-QĐ/ĐU"}})
    run(office, {"action": "appoint", "mode": "chuan_y", "org": "CS002", "term": "2025-2030", "effective":
                 DAY.isoformat(), "seats": [{"member": "CS002-002", "role": "cap_uy_vien"},
                                            {"member": "CS002-002", "role": "pho_bi_thu"}]})
    with office.reading() as s:
        assert s.get(Decision, recorded_id).code == "09-QĐ/ĐU"
        assert open_roles(office, "CB0001-002") == {"cap_uy_vien", "bi_thu"}
        summary = term_summary(s, "2025-2030")
    assert (summary.total.decisions, summary.total.bi_thu, summary.total.pho_bi_thu) == (1, 0, 1)
    assert summary.total.cap_uy_vien == 1


def test_a_recorded_decision_without_scan_prints_its_own_number(office) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from khoi_desktop.documents.copies import decision_pdf

    decision_id, _ = run(office, {**SPLIT, "issuer": "CS001", "recorded": RECORDED})
    with office.reading() as s:
        pdf = decision_pdf(s, s.get(Decision, decision_id))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Số 05-QĐ/ĐU" in text  # not the blank "Số      -QĐ/ĐU" of a draft
    assert "Kèm theo Quyết định số 05-QĐ/ĐU, ngày 02/03/2026" in " ".join(text.split())
