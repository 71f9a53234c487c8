"""Decisions as a party lawyer reads them: composed by the real workflows, rendered to PDF and Word,
read back (pdftotext words and positions, pypdf metadata, python-docx) and checked line by line."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from pdf_probe import page_texts, words
from pypdf import PdfReader
from sqlalchemy import select

from factories import add_member, add_members, add_org
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.db import Database
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.models import Decision, Member, Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.documents.copies import decision_docx, decision_pdf
from khoi_desktop.documents.pdf import render_pdf

DAY = dt.date(2026, 3, 2)
DEPUTY = "Trần Thị Lan"


@pytest.fixture
def office(db: Database) -> Database:
    """Đảng bộ Sở Y tế (CS001: Chi bộ Văn phòng Sở 10, Chi bộ Thanh tra Sở 5), Đảng bộ Bệnh viện Đa khoa
    Thái Nguyên (CS003: Chi bộ Khoa Nội 8), Chi bộ Hội Cựu chiến binh tỉnh (CS002, chi bộ cơ sở, 12)."""
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add_all([Term(name="2020-2025", starts_on=dt.date(2020, 10, 1), ends_on=dt.date(2025, 9, 30)),
                   Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30))])
        health = add_org(s, "CS001", "Đảng bộ Sở Y tế", "dang_bo_co_so", agency="Sở Y tế")
        add_members(s, add_org(s, "CB0001", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=health), 10,
                    probationary=1)
        add_members(s, add_org(s, "CB0002", "Chi bộ Thanh tra Sở", "chi_bo_truc_thuoc", parent=health), 5,
                    probationary=1)
        hospital = add_org(s, "CS003", "Đảng bộ Bệnh viện Đa khoa Thái Nguyên", "dang_bo_co_so")
        add_members(s, add_org(s, "CB0003", "Chi bộ Khoa Nội", "chi_bo_truc_thuoc", parent=hospital), 8)
        veterans = add_org(s, "CS002", "Chi bộ Hội Cựu chiến binh tỉnh", "chi_bo_co_so")
        add_members(s, veterans, 11, probationary=1)
        add_member(s, "Nguyễn Văn Chủ", veterans, code="CS002-CT", job_title="Chủ tịch",
                   agency="Hội Cựu chiến binh tỉnh")
    return db


def run(db: Database, data: dict, *, issue: bool = False) -> int:
    # The two đảng bộ are under 30 members: a request that takes members from them needs the consent.
    request = {"effective": DAY.isoformat(), "consent_reason": "Cấp ủy cấp trên đồng ý", **data}
    with db.writing() as s:
        decision, _ = apply_request(s, parse_request(request), actor="test", issue=issue, today=DAY,
                                    render=render_pdf)
        return decision.id


def content(db: Database, decision_id: int) -> DecisionContent:
    with db.reading() as s:
        return DecisionContent.from_json(s.get(Decision, decision_id).content)


def pdf_of(db: Database, decision_id: int) -> bytes:
    with db.reading() as s:
        return decision_pdf(s, s.get(Decision, decision_id))


def docx_of(db: Database, decision_id: int) -> bytes:
    with db.reading() as s:
        return decision_docx(s, s.get(Decision, decision_id))


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return flat(" ".join(page_texts(pdf)))


def article(text: str, number: int) -> str:
    """'Điều N. …' up to the next article (or Nơi nhận) in flattened PDF text."""
    start = text.index(f"Điều {number}.")
    end = min(i for i in (text.find(f"Điều {number + 1}.", start), text.find("Nơi nhận", start)) if i > 0)
    return text[start:end]


# Inside the Đảng bộ Sở Y tế: its Đảng ủy decides (issue 13); the office drafts it for the Đảng ủy.
DISSOLVE = {"action": "dissolve", "org": "CB0002", "members_to": "CB0001", "issuer": "CS001"}
ABSORB = {"action": "absorb", "orgs": ["CB0002"], "into": "CB0003"}
FOUND = {"action": "found", "kind": "chi_bo_co_so", "parent": None,
         "name": "Chi bộ Công ty Cổ phần Xí nghiệp Bệnh viện Đa khoa Thái Nguyên",
         "members": ["CB0001-001", "CB0001-002", "CB0001-010", "CB0003-001", "CB0003-002"]}
HAND_OVER = {"action": "hand_over", "org": "CS002", "to_body": "Đảng bộ thành phố Thái Nguyên"}
RECEIVE = {"action": "receive", "from_body": "Đảng bộ huyện Đại Từ", "parent": None, "orgs": [
    {"name": "Chi bộ Trường Tiểu học Hùng Sơn", "kind": "chi_bo_co_so", "members": [
        {"family_name": "Lê", "middle_name": "Thị", "given_name": name, "birth_date": "1980-01-01", "sex": "nu",
         "status": "chinh_thuc", "admitted_on": "2010-01-01"} for name in ("An", "Bình", "Cúc", "Dung")]}]}
CONSOLIDATE = {"action": "consolidate", "orgs": ["CB0001", "CB0002"], "name": "Chi bộ Văn phòng và Thanh tra Sở",
               "kind": "chi_bo_truc_thuoc", "parent": "CS001", "issuer": "CS001"}
APPOINT = {"action": "appoint", "mode": "chuan_y", "org": "CS002", "term": "2025-2030",
           "seats": [{"member": "CS002-001", "role": "cap_uy_vien"}, {"member": "CS002-001", "role": "pho_bi_thu"}]}


# 1. Signature --------------------------------------------------------------------------------------------
def _signature_lines(pdf: bytes) -> list[str]:
    """The bold lines of the signature block, top to bottom, as pdftotext places the words."""
    found = [w for w in words(pdf) if w.x0 > 300 and w.text.isupper() or w.text in ("T/M", "K/T")]
    start = next(w for w in found if w.text == "T/M")
    rows: dict[int, list[str]] = {}
    for w in found:
        if w.page == start.page and start.y0 - 1 <= w.y0 <= start.y0 + 60:
            rows.setdefault(round(w.y0), []).append(w.text)
    return [" ".join(rows[y]) for y in sorted(rows)]


def test_a_deputy_signs_for_the_head_with_kt_in_pdf_and_word(office: Database) -> None:
    deputy = run(office, {**APPOINT, "signer": DEPUTY})
    head = run(office, {**HAND_OVER})
    assert _signature_lines(pdf_of(office, deputy))[:3] == ["T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ", "PHÓ BÍ THƯ"]
    assert _signature_lines(pdf_of(office, head))[:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert "K/T" not in pdf_text(pdf_of(office, head))
    for decision_id, expected in ((deputy, ["T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ", "PHÓ BÍ THƯ", DEPUTY]),
                                  (head, ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn Hùng"])):
        document = Document(io.BytesIO(docx_of(office, decision_id)))
        closing = document.tables[1].rows[0].cells[1]
        assert [p.text for p in closing.paragraphs if p.text.strip()] == expected
        assert all(r.bold for p in closing.paragraphs for r in p.runs if r.text.strip())


def test_signer_titles_print_in_capitals_and_a_standing_deputy_signs_for_the_bi_thu(office: Database) -> None:
    from khoi_desktop.core.settings import Signer, load_settings

    with office.writing() as s:
        settings = load_settings(s)
        settings.signers = [Signer("Nguyễn Văn Hùng", "Bí thư"), Signer("Lê Văn Thường", "Phó Bí thư Thường trực")]
        save_settings(s, settings)
    standing = run(office, {**APPOINT, "signer": "Lê Văn Thường"})
    head = run(office, HAND_OVER)
    assert _signature_lines(pdf_of(office, standing))[:3] == ["T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ",
                                                              "PHÓ BÍ THƯ THƯỜNG TRỰC"]
    assert _signature_lines(pdf_of(office, head))[:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    closing = Document(io.BytesIO(docx_of(office, standing))).tables[1].rows[0].cells[1]
    assert [p.text for p in closing.paragraphs if p.text.strip()] == [
        "T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Lê Văn Thường"]


# 2. Attachments ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("request_data, titles", [
    (DISSOLVE, ["DANH SÁCH ĐẢNG VIÊN CHI BỘ THANH TRA SỞ CHUYỂN VỀ SINH HOẠT TẠI CHI BỘ VĂN PHÒNG SỞ"]),
    (ABSORB, ["DANH SÁCH ĐẢNG VIÊN CHI BỘ THANH TRA SỞ TRỰC THUỘC ĐẢNG BỘ SỞ Y TẾ CHUYỂN VỀ SINH HOẠT TẠI "
              "CHI BỘ KHOA NỘI TRỰC THUỘC ĐẢNG BỘ BỆNH VIỆN ĐA KHOA THÁI NGUYÊN"]),
    (FOUND, ["DANH SÁCH ĐẢNG VIÊN CHI BỘ VĂN PHÒNG SỞ TRỰC THUỘC ĐẢNG BỘ SỞ Y TẾ CHUYỂN VỀ SINH HOẠT TẠI CHI BỘ "
             "CÔNG TY CỔ PHẦN XÍ NGHIỆP BỆNH VIỆN ĐA KHOA THÁI NGUYÊN",
             "DANH SÁCH ĐẢNG VIÊN CHI BỘ KHOA NỘI TRỰC THUỘC ĐẢNG BỘ BỆNH VIỆN ĐA KHOA THÁI NGUYÊN CHUYỂN VỀ SINH "
             "HOẠT TẠI CHI BỘ CÔNG TY CỔ PHẦN XÍ NGHIỆP BỆNH VIỆN ĐA KHOA THÁI NGUYÊN"]),
    (HAND_OVER, ["DANH SÁCH ĐẢNG VIÊN CHI BỘ HỘI CỰU CHIẾN BINH TỈNH CHUYỂN GIAO VỀ ĐẢNG BỘ THÀNH PHỐ THÁI "
                 "NGUYÊN"]),
    (RECEIVE, ["DANH SÁCH ĐẢNG VIÊN TIẾP NHẬN TỪ ĐẢNG BỘ HUYỆN ĐẠI TỪ VỀ SINH HOẠT TẠI CHI BỘ TRƯỜNG TIỂU HỌC "
               "HÙNG SƠN"]),
    (CONSOLIDATE, ["DANH SÁCH ĐẢNG VIÊN CHI BỘ VĂN PHÒNG SỞ CHUYỂN VỀ SINH HOẠT TẠI CHI BỘ VĂN PHÒNG VÀ THANH "
                   "TRA SỞ", "DANH SÁCH ĐẢNG VIÊN CHI BỘ THANH TRA SỞ CHUYỂN VỀ SINH HOẠT TẠI CHI BỘ VĂN PHÒNG VÀ "
                   "THANH TRA SỞ"]),
], ids=["dissolve", "absorb", "found", "hand_over", "receive", "consolidate"])
def test_lists_are_titled_by_what_they_are(office: Database, request_data: dict, titles: list[str]) -> None:
    decision_id = run(office, request_data)
    pages = page_texts(pdf_of(office, decision_id))
    lists = [flat(p) for p in pages if "DANH SÁCH ĐẢNG VIÊN" in p]
    assert len(lists) >= len(titles)
    for title in titles:
        assert any(page.startswith(title) or title in page.split(" (Kèm theo")[0] for page in lists), title
    assert [" ".join(a.title.split()) for a in content(office, decision_id).attachments] == titles


def test_list_subtitle_has_blanks_on_a_draft_and_the_number_once_issued(office: Database) -> None:
    draft_id = run(office, ABSORB)
    note = ("(Kèm theo Quyết định số ……-QĐ/ĐUK, ngày ……/……/2026 của Ban Thường vụ Đảng ủy Khối các cơ quan "
            "tỉnh)")
    assert note in pdf_text(pdf_of(office, draft_id))
    docx_texts = [flat(p.text) for p in Document(io.BytesIO(docx_of(office, draft_id))).paragraphs]
    assert note in docx_texts
    issued_id = run(office, ABSORB, issue=True)
    issued = "(Kèm theo Quyết định số 01-QĐ/ĐUK, ngày 02/03/2026 của Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh)"
    assert issued in pdf_text(pdf_of(office, issued_id))


# 3. Điều 3 and Nơi nhận ----------------------------------------------------------------------------------
def test_every_body_touched_acts_and_committees_are_named(office: Database) -> None:
    dissolve = pdf_text(pdf_of(office, run(office, DISSOLVE)))
    assert "Đảng ủy Sở Y tế, Chi bộ Thanh tra Sở, Chi bộ Văn phòng Sở và các đồng chí có liên quan" \
        in article(dissolve, 3)
    hand_over = pdf_text(pdf_of(office, run(office, HAND_OVER)))
    # Who hands the records over is the keeper above the organization, as in a transfer and a reception.
    assert ("Ban Tổ chức Đảng ủy Khối các cơ quan tỉnh và Đảng ủy thành phố Thái Nguyên bàn giao"
            in article(hand_over, 2))
    # A body outside the office is sent the decision to cooperate; it does not carry it out.
    assert "Đảng ủy thành phố Thái Nguyên" not in article(hand_over, 3)
    assert "- Đảng ủy thành phố Thái Nguyên (để phối hợp)," in hand_over
    receive = pdf_text(pdf_of(office, run(office, RECEIVE)))
    assert "Đảng ủy huyện Đại Từ" in article(receive, 2) and "Đảng ủy huyện Đại Từ" not in article(receive, 3)
    assert "- Đảng ủy huyện Đại Từ (để phối hợp)," in receive
    consolidate = pdf_text(pdf_of(office, run(office, CONSOLIDATE)))
    assert "Chi bộ Văn phòng Sở, Chi bộ Thanh tra Sở và Chi bộ Văn phòng và Thanh tra Sở bàn giao" \
        in article(consolidate, 2)
    assert "Đảng ủy Sở Y tế" in article(consolidate, 3)
    assert "Đảng bộ Sở Y tế" not in article(consolidate, 3)


def test_moves_across_two_dang_bo_name_both_parents(office: Database) -> None:
    absorb = pdf_text(pdf_of(office, run(office, ABSORB)))
    assert ("Sáp nhập Chi bộ Thanh tra Sở trực thuộc Đảng bộ Sở Y tế vào Chi bộ Khoa Nội trực thuộc Đảng bộ "
            "Bệnh viện Đa khoa Thái Nguyên") in article(absorb, 1)
    assert "Đảng ủy Sở Y tế, Đảng ủy Bệnh viện Đa khoa Thái Nguyên" in article(absorb, 3)
    found = pdf_text(pdf_of(office, run(office, FOUND)))
    assert ("chuyển từ Chi bộ Văn phòng Sở trực thuộc Đảng bộ Sở Y tế và Chi bộ Khoa Nội trực thuộc Đảng bộ Bệnh "
            "viện Đa khoa Thái Nguyên") in article(found, 1)


def test_recipients_list_the_bodies_when_the_office_does_not_write_nhu_dieu_3(office: Database) -> None:
    with office.writing() as s:
        save_settings(s, OfficeSettings(configured=True, default_recipients=[
            "Ban Tổ chức Tỉnh ủy (để báo cáo),", "Lưu Văn phòng Đảng ủy Khối."]))
    recipients = content(office, run(office, ABSORB)).recipients
    assert recipients == ["Ban Tổ chức Tỉnh ủy (để báo cáo),", "Đảng ủy Sở Y tế,",
                          "Đảng ủy Bệnh viện Đa khoa Thái Nguyên,", "Chi bộ Thanh tra Sở,", "Chi bộ Khoa Nội,",
                          "Lưu Văn phòng Đảng ủy Khối."]


# 4. Wording details --------------------------------------------------------------------------------------
def test_xet_lines_end_with_a_comma_and_several_with_semicolons(office: Database) -> None:
    one = pdf_text(pdf_of(office, run(office, {**ABSORB, "basis": "Xét Tờ trình số 05-TTr/ĐU của Đảng ủy Sở Y tế"})))
    assert "- Xét Tờ trình số 05-TTr/ĐU của Đảng ủy Sở Y tế, BAN THƯỜNG VỤ" in one
    assert content(office, run(office, {**APPOINT, "basis": "Xét Tờ trình số 7-TTr/CB."})).basis == [
        "Xét Tờ trình số 7-TTr/CB,"]


def test_job_and_unit_read_as_one_title(office: Database) -> None:
    with office.writing() as s:
        member = s.scalars(select(Member).where(Member.code == "CS002-001")).one()
        member.job_title, member.agency = "Phó Chủ tịch", "Hội Cựu chiến binh tỉnh"
    text = pdf_text(pdf_of(office, run(office, APPOINT)))
    assert "đồng chí Trần Văn CS002 001, Phó Chủ tịch Hội Cựu chiến binh tỉnh, tham gia" in article(text, 1)
    assert "Chủ tịch, Hội" not in text


@pytest.mark.parametrize("request_data", [DISSOLVE, ABSORB, FOUND, HAND_OVER, RECEIVE, CONSOLIDATE],
                         ids=["dissolve", "absorb", "found", "hand_over", "receive", "consolidate"])
def test_no_parenthesis_follows_another(office: Database, request_data: dict) -> None:
    text = pdf_text(pdf_of(office, run(office, request_data)))
    assert not re.search(r"\)\s*\(", text), re.search(r".{60}\)\s*\(.{40}", text)
    assert "(gồm" not in text


def test_founding_appoints_no_provisional_committee_to_the_end_of_the_term(office: Database) -> None:
    text = article(pdf_text(pdf_of(office, run(office, FOUND))), 2)
    assert "lâm thời" not in text
    # 4 full members: no chi ủy (DOMAIN.md §3, under 9 full members), only a Bí thư and a Phó Bí thư if needed.
    assert ("Đảng ủy Khối các cơ quan tỉnh chỉ định bí thư, phó bí thư Chi bộ Công ty Cổ phần Xí nghiệp Bệnh viện Đa "
            "khoa Thái Nguyên đến hết nhiệm kỳ theo quy định.") in text


def test_founding_a_chi_bo_of_nine_full_members_appoints_its_chi_uy(office: Database) -> None:
    nine = [*(f"CB0001-{i:03d}" for i in range(1, 7)), *(f"CB0003-{i:03d}" for i in range(1, 4))]
    text = article(pdf_text(pdf_of(office, run(office, {**FOUND, "members": nine}))), 2)
    assert "Đảng ủy Khối các cơ quan tỉnh chỉ định chi ủy, bí thư, phó bí thư Chi bộ Công ty" in text


def test_committee_list_shows_the_party_role_not_the_job(office: Database) -> None:
    with office.writing() as s:
        for code in ("CS002-001", "CS002-002"):
            member = s.scalars(select(Member).where(Member.code == code)).one()
            member.job_title = "Chuyên viên"
    request = {"action": "approve_election", "org": "CS002", "term": "2025-2030", "committee_size": 3,
               "seats": [{"member": "CS002-CT", "role": "cap_uy_vien"}, {"member": "CS002-CT", "role": "bi_thu"},
                         {"member": "CS002-001", "role": "cap_uy_vien"},
                         {"member": "CS002-001", "role": "pho_bi_thu"},
                         {"member": "CS002-002", "role": "cap_uy_vien"}]}
    decision_id = run(office, request)
    (committee,) = content(office, decision_id).attachments
    assert committee.columns[-1] == "Chức vụ trong cấp ủy"
    assert [row[1:] for row in committee.rows] == [
        ["Nguyễn Văn Chủ", "01/01/1985", "Bí thư"], ["Trần Văn CS002 001", "01/01/1985", "Phó Bí thư"],
        ["Trần Văn CS002 002", "01/01/1985", "Chi ủy viên"]]
    page = flat(page_texts(pdf_of(office, decision_id))[-1])
    assert "Chuyên viên" not in page and "Chức vụ trong cấp ủy" in page


# 5. Line breaks ------------------------------------------------------------------------------------------
COMPOUNDS = [("Công", "ty"), ("Cổ", "phần"), ("Xí", "nghiệp"), ("Bệnh", "viện"), ("Thái", "Nguyên"), ("Đa", "khoa"),
             ("CÔNG", "TY"), ("CỔ", "PHẦN"), ("XÍ", "NGHIỆP"), ("BỆNH", "VIỆN"), ("THÁI", "NGUYÊN"), ("ĐA", "KHOA"),
             ("hữu", "hạn"), ("HỮU", "HẠN"), ("thành", "viên"), ("THÀNH", "VIÊN"), ("Thủy", "lợi"), ("THỦY", "LỢI")]


def title_words(pdf: bytes) -> list:  # type: ignore[type-arg]
    """Words of the subject line (page 1, between QUYẾT ĐỊNH and the first căn cứ) and of each list's
    title (above its '(Kèm theo' subtitle), in reading order."""
    found = words(pdf)
    picked = []
    for page in sorted({w.page for w in found}):
        on_page = [w for w in found if w.page == page]
        if page == 1:
            title = next(w for w in on_page if w.text == "ĐỊNH")
            first = next(w for w in on_page if w.text == "Căn")
            picked += [w for w in on_page if title.y1 < w.y0 < first.y0]
        elif any(w.text == "(Kèm" for w in on_page):
            note = next(w for w in on_page if w.text == "(Kèm")
            picked += [w for w in on_page if w.y1 <= note.y0 and w.y0 > 50]
    return picked


def _split_compounds(pdf: bytes, pairs: list[tuple[str, str]] = COMPOUNDS) -> list[str]:
    """Compounds whose two words the subject line or a list title puts on different lines."""
    found = title_words(pdf)
    broken = []
    for a, b in zip(found, found[1:], strict=False):
        if (a.text.strip(",.;()"), b.text.strip(",.;()")) in pairs and abs(a.y0 - b.y0) > 2:
            broken.append(f"{a.text} / {b.text} (page {a.page})")
    return broken


@pytest.mark.parametrize("name", [
    "Chi bộ Công ty Cổ phần Xí nghiệp Bệnh viện Đa khoa Thái Nguyên",
    "Chi bộ Công ty Trách nhiệm hữu hạn Một thành viên Xí nghiệp Khai thác Thủy lợi Thái Nguyên",
    "Chi bộ Bệnh viện Đa khoa Thái Nguyên Công ty Cổ phần",  # today: "… Đa / khoa …"
])
def test_subject_lines_and_list_titles_never_split_a_compound(office: Database, name: str) -> None:
    decision_id = run(office, {**FOUND, "name": name})
    pdf = pdf_of(office, decision_id)
    assert len(title_words(pdf)) > 20
    assert _split_compounds(pdf) == []
    document = Document(io.BytesIO(docx_of(office, decision_id)))
    lines = [line for p in document.paragraphs for line in p.text.split("\n")]
    for first, _ in COMPOUNDS:
        assert not any(line.endswith(f" {first}") for line in lines), first


def test_the_office_adds_its_own_compounds(office: Database) -> None:
    from khoi_desktop.core.wording.compounds import save_compounds

    name = "Chi bộ Trung tâm Kiểm soát bệnh tật Hùng Vương Phú Thọ Bắc Kạn Tuyên Quang Hà Giang Lào Cai"
    with office.writing() as s:
        save_compounds(s, ["Lào Cai", "Hà Giang", "Tuyên Quang", "Bắc Kạn", "Phú Thọ", "Hùng Vương",
                           "bệnh tật", "Kiểm soát"], actor="test")
    decision_id = run(office, {**FOUND, "name": name})
    assert set(content(office, decision_id).keep_together) >= {"Lào Cai", "Hà Giang", "Tuyên Quang"}
    pdf = pdf_of(office, decision_id)
    pairs = [("Lào", "Cai"), ("Hà", "Giang"), ("Tuyên", "Quang"), ("Bắc", "Kạn"), ("Phú", "Thọ"), ("Hùng", "Vương"),
             ("LÀO", "CAI"), ("HÀ", "GIANG"), ("TUYÊN", "QUANG"), ("BẮC", "KẠN"), ("PHÚ", "THỌ"), ("HÙNG", "VƯƠNG")]
    assert len(title_words(pdf)) > 30
    assert _split_compounds(pdf, pairs) == []


def test_header_name_breaks_only_where_the_administrator_did() -> None:
    from khoi_desktop.documents import fonts, layout
    from khoi_desktop.documents.header import fit_name

    lines, size = fit_name("ĐẢNG ỦY KHỐI DOANH NGHIỆP TỈNH", fonts.BOLD, 14, layout.HEADER_LEFT_WIDTH)
    assert lines == ["ĐẢNG ỦY KHỐI DOANH NGHIỆP TỈNH"] and layout.HEADER_SHRINK_FLOOR <= size < 12.5
    lines, _ = fit_name("ĐẢNG ỦY KHỐI DOANH NGHIỆP TỈNH THÁI NGUYÊN", fonts.BOLD, 14, layout.HEADER_LEFT_WIDTH)
    assert len(lines) == 2 and not lines[0].endswith("THÁI")  # too long even then: wrapped, compounds whole
    lines, _ = fit_name("ĐẢNG ỦY KHỐI CÁC CƠ QUAN\nTỈNH THÁI NGUYÊN", fonts.BOLD, 14, layout.HEADER_LEFT_WIDTH)
    assert lines == ["ĐẢNG ỦY KHỐI CÁC CƠ QUAN", "TỈNH THÁI NGUYÊN"]


# 6. Word copy and PDF metadata ---------------------------------------------------------------------------
def test_word_draft_is_marked_on_every_page_and_the_date_is_14_pt(office: Database) -> None:
    document = Document(io.BytesIO(docx_of(office, run(office, DISSOLVE))))
    section = document.sections[0]
    assert "DỰ THẢO" in section.first_page_header.paragraphs[0].text
    assert "DỰ THẢO" in section.header.paragraphs[0].text and "PAGE" in section.header._element.xml
    date = next(p for p in document.tables[0].rows[0].cells[1].paragraphs if "ngày" in p.text)
    assert {r.font.size.pt for r in date.runs} == {14}


def test_word_table_grid_follows_the_cell_widths(office: Database) -> None:
    document = Document(io.BytesIO(docx_of(office, run(office, DISSOLVE))))
    for table in document.tables:
        grid = [round(col.w.mm) for col in table._tbl.tblGrid.gridCol_lst]
        cells = [round(cell.width.mm) for cell in table.rows[0].cells]
        assert grid == cells
    members = document.tables[-1]
    assert [round(c.w.mm) for c in members._tbl.tblGrid.gridCol_lst][0] == 14


def test_word_and_pdf_copies_carry_the_office_and_the_issue_time_and_reprint_identically(
        office: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    decision_id = run(office, HAND_OVER, issue=True)
    first = docx_of(office, decision_id)
    import time

    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    assert docx_of(office, decision_id) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {item.date_time for item in package.infolist()} == {(2026, 3, 2, 0, 0, 0)}
        app = package.read("docProps/app.xml").decode()
        core = package.read("docProps/core.xml").decode()
    assert "khoi-desktop" in app and "Microsoft" not in app
    assert "python-docx" not in core and "2013" not in core
    props = Document(io.BytesIO(first)).core_properties
    assert props.author == "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH THÁI NGUYÊN"
    assert props.created == props.modified == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    pdf = pdf_of(office, decision_id)
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info["/CreationDate"].startswith("D:20260302") and info["/ModDate"].startswith("D:20260302")
    with office.reading() as s:
        decision = s.get(Decision, decision_id)
        assert render_pdf(DecisionContent.from_json(decision.content), _info(decision)) == pdf


def _info(decision: Decision):  # type: ignore[no-untyped-def]
    from khoi_desktop.documents.copies import print_info

    return print_info(decision)


def test_a_draft_copy_is_dated_when_it_was_made(office: Database) -> None:
    decision_id = run(office, DISSOLVE)
    with office.reading() as s:
        made = s.get(Decision, decision_id).created_at
    info = PdfReader(io.BytesIO(pdf_of(office, decision_id))).metadata
    assert info["/CreationDate"] == made.strftime("D:%Y%m%d%H%M%S")
    copy = docx_of(office, decision_id)
    with zipfile.ZipFile(io.BytesIO(copy)) as package:
        assert "thumbnail" not in " ".join(package.namelist())
    header = Document(io.BytesIO(copy)).sections[0].header._element
    assert header.findall(".//" + qn("w:bdr"))  # the draft mark is boxed in Word as in the PDF


def test_a_split_says_the_old_chi_bo_ends_and_lists_each_new_one(office: Database) -> None:
    first = [f"CS002-{i:03d}" for i in range(1, 7)]
    second = [f"CS002-{i:03d}" for i in range(7, 12)] + ["CS002-CT"]
    decision_id = run(office, {"action": "split", "org": "CS002", "keep_source": False, "into": [
        {"name": "Chi bộ Văn phòng Hội Cựu chiến binh tỉnh", "members": first},
        {"name": "Chi bộ Ban Phong trào Hội Cựu chiến binh tỉnh", "members": second}]})
    text = pdf_text(pdf_of(office, decision_id))
    assert "Chi bộ Hội Cựu chiến binh tỉnh kết thúc hoạt động kể từ ngày trên." in article(text, 1)
    assert [" ".join(a.title.split()) for a in content(office, decision_id).attachments] == [
        "DANH SÁCH ĐẢNG VIÊN CHI BỘ HỘI CỰU CHIẾN BINH TỈNH CHUYỂN VỀ SINH HOẠT TẠI CHI BỘ VĂN PHÒNG HỘI CỰU CHIẾN "
        "BINH TỈNH",
        "DANH SÁCH ĐẢNG VIÊN CHI BỘ HỘI CỰU CHIẾN BINH TỈNH CHUYỂN VỀ SINH HOẠT TẠI CHI BỘ BAN PHONG TRÀO HỘI CỰU "
        "CHIẾN BINH TỈNH"]
    assert "Chi bộ Hội Cựu chiến binh tỉnh, Chi bộ Văn phòng Hội Cựu chiến binh tỉnh và Chi bộ Ban Phong trào Hội " \
           "Cựu chiến binh tỉnh bàn giao" in article(text, 2)


def test_a_dash_between_two_names_never_starts_a_header_line() -> None:
    from khoi_desktop.documents import fonts, layout
    from khoi_desktop.documents.header import fit_name

    fonts.register_fonts()
    lines, _ = fit_name("ĐẢNG ỦY ĐÀI PHÁT THANH - TRUYỀN HÌNH TỈNH", fonts.BOLD, 14, layout.HEADER_LEFT_WIDTH)
    assert len(lines) == 2 and not any(line.startswith(("-", "–")) for line in lines), lines
    assert lines[0].endswith(" -")


# 6. A party lawyer's reading of the member decisions and the giấy giới thiệu ------------------------------
def test_a_two_article_decision_is_sent_as_its_execution_article_says(office: Database) -> None:
    decision_id = run(office, {"action": "transfer_member", "member": "CB0001-002", "on": DAY.isoformat(),
                               "to_body": "Đảng bộ xã Đại Từ, tỉnh Thái Nguyên"}, issue=True)
    words = content(office, decision_id)
    assert len(words.articles) == 2
    assert "Như Điều 2," in words.recipients and not any("Điều 3" in line for line in words.recipients)
    assert "- Như Điều 2," in pdf_text(pdf_of(office, decision_id))
    closing = Document(io.BytesIO(docx_of(office, decision_id))).tables[-1].rows[0].cells[0]
    docx_lines = [p.text for p in closing.paragraphs]
    assert "- Như Điều 2," in docx_lines


def test_the_standing_committee_of_a_dang_uy_is_named_under_its_lists(office: Database) -> None:
    from factories import add_seat
    from khoi_desktop.core.models import Organization, SeatRole

    with office.writing() as s:
        health = s.scalar(select(Organization).where(Organization.code == "CS001"))
        for code, role in (("CB0001-001", SeatRole.BI_THU), ("CB0001-001", SeatRole.UY_VIEN_BTV)):
            add_seat(s, health, s.scalar(select(Member).where(Member.code == code)), role)
    decision_id = run(office, DISSOLVE)
    words = content(office, decision_id)
    assert words.signature.on_behalf == "T/M BAN THƯỜNG VỤ"
    assert words.decided_by == "Ban Thường vụ Đảng ủy Sở Y tế"
    assert "của Ban Thường vụ Đảng ủy Sở Y tế)" in pdf_text(pdf_of(office, decision_id))


def test_the_letter_of_introduction_prints_its_lines_without_the_decision_dashes(office: Database) -> None:
    from khoi_desktop.core.member_events.letters import issue_letter

    run(office, {"action": "transfer_member", "member": "CB0001-002", "on": DAY.isoformat(),
                 "to_body": "Đảng bộ xã Đại Từ, tỉnh Thái Nguyên"}, issue=True)
    with office.writing() as s:
        letter_id = issue_letter(s, "CB0001-002", on=DAY, actor="test", render=render_pdf).id
    text = pdf_text(pdf_of(office, letter_id))
    assert "Kính gửi: Đảng ủy xã Đại Từ" in text and "- Kính gửi" not in text
    # The chi bộ trực thuộc with its đảng bộ: «Chi bộ Văn phòng Sở» alone could be any đảng bộ's.
    assert "Đảng viên của Chi bộ Văn phòng Sở, Đảng bộ Sở Y tế, Đảng bộ Khối các cơ quan tỉnh" in text
    assert "- Giới thiệu đồng chí" not in text
    paragraphs = [p.text for p in Document(io.BytesIO(docx_of(office, letter_id))).paragraphs]
    assert any(p.startswith("Kính gửi: Đảng ủy xã Đại Từ") for p in paragraphs)
    assert not any(p.startswith("- Kính gửi") for p in paragraphs)


def test_the_letter_is_signed_by_the_signer_of_its_transfer_or_the_one_chosen(office: Database) -> None:
    from khoi_desktop.core.errors import ValidationError
    from khoi_desktop.core.member_events.letters import issue_letter

    for code in ("CB0001-002", "CB0001-003"):
        run(office, {"action": "transfer_member", "member": code, "on": DAY.isoformat(), "signer": DEPUTY,
                     "to_body": "Đảng bộ xã Đại Từ, tỉnh Thái Nguyên"}, issue=True)
    with office.writing() as s:
        followed = issue_letter(s, "CB0001-002", on=DAY, actor="test", render=render_pdf).id
        chosen = issue_letter(s, "CB0001-003", on=DAY, actor="test", render=render_pdf,
                              signer="Nguyễn Văn Hùng").id
    assert _signature_lines(pdf_of(office, followed))[:3] == ["T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ", "PHÓ BÍ THƯ"]
    assert DEPUTY in pdf_text(pdf_of(office, followed))
    assert "Nguyễn Văn Hùng" not in pdf_text(pdf_of(office, followed))
    assert _signature_lines(pdf_of(office, chosen))[:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert DEPUTY not in pdf_text(pdf_of(office, chosen))
    paragraphs = [p.text for t in Document(io.BytesIO(docx_of(office, followed))).tables for row in t.rows
                  for c in row.cells for p in c.paragraphs]
    assert DEPUTY in paragraphs and "K/T BÍ THƯ" in paragraphs
    run(office, {"action": "transfer_member", "member": "CB0001-004", "on": DAY.isoformat(),
                 "to_body": "Đảng bộ xã Đại Từ, tỉnh Thái Nguyên"}, issue=True)
    with office.writing() as s, pytest.raises(ValidationError) as refused:
        issue_letter(s, "CB0001-004", on=DAY, actor="test", render=render_pdf, signer="Lê Văn Lạ")
    assert refused.value.code == "unknown_signer"


def test_an_election_approval_names_the_day_of_its_congress(office: Database) -> None:
    from khoi_desktop.core.errors import RequestRefused

    seats = [{"member": "CS002-001", "role": "cap_uy_vien"}, {"member": "CS002-001", "role": "bi_thu"},
             {"member": "CS002-002", "role": "cap_uy_vien"}, {"member": "CS002-002", "role": "pho_bi_thu"},
             {"member": "CS002-003", "role": "cap_uy_vien"}]
    election = {"action": "approve_election", "org": "CS002", "term": "2025-2030", "committee_size": 3,
                "seats": seats}
    with pytest.raises(RequestRefused) as refused:
        run(office, {**election, "congress_on": "2026-03-05"})
    assert "congress_after_decision" in str(refused.value.problems)
    decision_id = run(office, {**election, "congress_on": "2026-02-20"}, issue=True)
    said = ("Chuẩn y kết quả bầu cử tại Đại hội Chi bộ Hội Cựu chiến binh tỉnh nhiệm kỳ 2025 - 2030 "
            "(ngày 20/02/2026) như sau:")
    assert said in pdf_text(pdf_of(office, decision_id))
    paragraphs = Document(io.BytesIO(docx_of(office, decision_id))).paragraphs
    assert any(said in p.text.replace("\xa0", " ") for p in paragraphs)  # the Word copy ties «2025 - 2030»


def test_a_death_is_not_granted_its_decision_takes_the_name_off_the_list(office: Database) -> None:
    from khoi_desktop.core.wording.template_store import save_template

    leave = {"action": "leave", "on": DAY.isoformat()}
    death = run(office, {**leave, "member": "CB0001-003", "reason": "tu_tran"})
    asked = run(office, {**leave, "member": "CB0001-004", "reason": "xin_ra"})
    died = article(pdf_text(pdf_of(office, death)), 1)
    assert died.startswith("Điều 1. Đưa tên đồng chí ") and "ra khỏi danh sách đảng viên" in died
    assert "lý do: từ trần." in died and "Cho " not in died
    assert any(p.text.startswith("Điều 1. Đưa tên đồng chí ")
               for p in Document(io.BytesIO(docx_of(office, death))).paragraphs)
    assert article(pdf_text(pdf_of(office, asked)), 1).startswith("Điều 1. Cho đồng chí ")
    # A template saved with the old words still prints them.
    with office.writing() as s:
        save_template(s, "leave", "\n".join([
            "về việc đảng viên ra khỏi danh sách đảng viên ({ly_do})",
            "Điều 1. Cho {nguoi}, sinh hoạt tại {ten_to_chuc}, ra khỏi danh sách đảng viên; lý do: {ly_do}.",
            "Điều 2. {co_quan_thi_hanh} chịu trách nhiệm thi hành Quyết định này."]), actor="test")
    saved = run(office, {**leave, "member": "CB0001-005", "reason": "tu_tran"})
    assert article(pdf_text(pdf_of(office, saved)), 1).startswith("Điều 1. Cho đồng chí ")


def test_a_dang_uy_reports_its_decision_to_the_standing_committee_above_not_to_its_ban_to_chuc(
        office: Database) -> None:
    decision_id = run(office, DISSOLVE)
    text = pdf_text(pdf_of(office, decision_id))
    sent = text[text.index("Nơi nhận:"):]
    assert sent.startswith("Nơi nhận: - Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh (để báo cáo), - Ban Tổ chức "
                           "Đảng ủy Khối các cơ quan tỉnh (để theo dõi), - Như Điều 3,")
    table = Document(io.BytesIO(docx_of(office, decision_id))).tables[1]  # the closing: Nơi nhận | signature
    sent_word = [p.text for p in table.rows[0].cells[0].paragraphs]
    assert "- Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh (để báo cáo)," in [flat(p) for p in sent_word]


def test_a_body_outside_the_office_receives_the_decision_to_cooperate_and_is_not_told_to_carry_it_out(
        office: Database) -> None:
    handed = run(office, HAND_OVER)
    moved = run(office, {"action": "transfer_member", "member": "CB0001-002", "on": DAY.isoformat(),
                         "to_body": "Đảng bộ xã Đại Từ, tỉnh Thái Nguyên"})
    for decision_id, last, outside in ((handed, 3, "Đảng ủy thành phố Thái Nguyên"),
                                       (moved, 2, "Đảng ủy xã Đại Từ, tỉnh Thái Nguyên")):
        text = pdf_text(pdf_of(office, decision_id))
        assert outside not in article(text, last)
        assert f"- {outside} (để phối hợp), - Như Điều {last}," in text
        closing = Document(io.BytesIO(docx_of(office, decision_id))).tables[1].rows[0].cells[0]
        sent = [flat(p.text) for p in closing.paragraphs]
        assert sent.index(f"- {outside} (để phối hợp),") + 1 == sent.index(f"- Như Điều {last},")
    # The office's own bodies still carry it out.
    assert "Chi bộ Hội Cựu chiến binh tỉnh" in article(pdf_text(pdf_of(office, handed)), 3)


def test_the_records_are_handed_over_by_the_same_sides_in_a_transfer_a_hand_over_and_a_reception(
        office: Database) -> None:
    keeper = "Ban Tổ chức Đảng ủy Khối các cơ quan tỉnh"
    transfer = pdf_text(pdf_of(office, run(office, {"action": "transfer", "org": "CS002", "to": "CS001"})))
    assert f"{keeper} và Đảng ủy Sở Y tế bàn giao" in article(transfer, 2)
    received = pdf_text(pdf_of(office, run(office, RECEIVE)))
    assert f"Đảng ủy huyện Đại Từ và {keeper} bàn giao" in article(received, 2)
    handed = run(office, HAND_OVER)
    assert f"{keeper} và Đảng ủy thành phố Thái Nguyên bàn giao" in article(pdf_text(pdf_of(office, handed)), 2)
    paragraphs = [flat(p.text) for p in Document(io.BytesIO(docx_of(office, handed))).paragraphs]
    assert any(p.startswith(f"Điều 2. {keeper} và Đảng ủy thành phố Thái Nguyên bàn giao") for p in paragraphs)


def test_a_recipient_keeps_its_purpose_in_brackets_on_one_line(office: Database) -> None:
    # The Nơi nhận column broke «- Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh (để» / «báo cáo),».
    for decision_id in (run(office, DISSOLVE), run(office, HAND_OVER)):
        text = "\n".join(page_texts(pdf_of(office, decision_id))).replace("\xa0", " ")
        sent = text[text.index("Nơi nhận:"):]
        assert "(để báo cáo)," in sent
        assert not re.search(r"\(để\s*\n|\(để [^)\n]*\n", sent), sent
        closing = Document(io.BytesIO(docx_of(office, decision_id))).tables[1].rows[0].cells[0]
        assert any("(để\xa0báo\xa0cáo)," in p.text for p in closing.paragraphs)


def test_a_seat_ended_by_death_is_not_granted_and_the_deceased_hands_nothing_over(office: Database) -> None:
    from khoi_desktop.core.models import CommitteeSeat, Organization

    with office.writing() as s:
        org = s.scalars(select(Organization).where(Organization.code == "CS002")).one()
        member = s.scalars(select(Member).where(Member.code == "CS002-001")).one()
        s.add(CommitteeSeat(org_id=org.id, member_id=member.id, role="cap_uy_vien", term="2025-2030",
                            valid_from=dt.date(2025, 10, 1)))
    end = {"action": "end_seat", "org": "CS002", "member": "CS002-001", "role": "cap_uy_vien"}
    died = pdf_text(pdf_of(office, run(office, {**end, "reason": "tu_tran"})))
    assert "về việc thôi tham gia" in died and "về việc cho" not in died
    assert article(died, 1).startswith("Điều 1. Đồng chí ") and "lý do: từ trần." in article(died, 1)
    assert "bàn giao" not in article(died, 2)
    retired = run(office, {**end, "reason": "nghi_huu"})
    text = pdf_text(pdf_of(office, retired))
    assert "về việc cho thôi tham gia" in text
    assert article(text, 1).startswith("Điều 1. Cho đồng chí ")
    assert "bàn giao công việc, hồ sơ, tài liệu có liên quan;" in article(text, 2)
    paragraphs = [p.text for p in Document(io.BytesIO(docx_of(office, retired))).paragraphs]
    assert any(p.startswith("Điều 1. Cho đồng chí ") for p in paragraphs)


def test_member_decisions_never_split_their_words(office: Database) -> None:
    decision_id = run(office, {"action": "confirm_full", "on": DAY.isoformat(),
                               "members": ["CB0001-010", "CB0002-005"]}, issue=True)
    pairs = [("CÔNG", "NHẬN"), ("công", "nhận"), ("CHÍNH", "THỨC"), ("chính", "thức")]
    pdf = pdf_of(office, decision_id)
    assert any(w.text == "NHẬN" for w in title_words(pdf))
    assert _split_compounds(pdf, pairs) == []
    found = run(office, {**FOUND, "name": "Chi bộ Cơ sở cai nghiện ma túy và Trung tâm Bảo trợ xã hội tỉnh Thái "
                                         "Nguyên"})
    assert _split_compounds(pdf_of(office, found), [("Cơ", "sở"), ("CƠ", "SỞ"), ("cai", "nghiện"),
                                                     ("CAI", "NGHIỆN"), ("ma", "túy"), ("MA", "TÚY")]) == []


def test_the_ratings_subject_keeps_its_words_whole() -> None:
    from khoi_desktop.documents import fonts, layout
    from khoi_desktop.documents.header import balanced_lines

    subject = "về việc công nhận kết quả xếp loại chất lượng tổ chức cơ sở đảng năm 2025"
    lines = balanced_lines(subject, fonts.BOLD, layout.SUBJECT_SIZE, layout.SUBJECT_WIDTH)
    assert len(lines) == 2
    assert not any(line.endswith((" chất", " xếp", " công", " cơ")) for line in lines), lines


@pytest.mark.parametrize("request_data", [
    ABSORB, {**APPOINT, "mode": "chi_dinh"},
], ids=["absorb", "appoint"])
def test_a_draft_issued_days_later_takes_effect_from_its_issue_day(office: Database, request_data: dict) -> None:
    from khoi_desktop.core.apply import issue_draft

    later = DAY + dt.timedelta(days=9)
    with office.writing() as s:
        draft, _ = apply_request(s, parse_request({"consent_reason": "Cấp ủy cấp trên đồng ý", **request_data}),
                                 actor="test", today=DAY, render=render_pdf)
        decision = issue_draft(s, draft, on=later, actor="test", render=render_pdf)
        decision_id = decision.id
        assert decision.effective_on == later
    text = pdf_text(pdf_of(office, decision_id))
    assert "ngày 11 tháng 03 năm 2026" in text
    assert "02/03/2026" not in text, text


def test_a_consent_reads_as_one_sentence_per_organization(office: Database) -> None:
    upgrade = run(office, {"action": "upgrade", "org": "CS002", "consent_reason": "Đặc thù ngành.",
                           "branches": [{"name": "Chi bộ Văn phòng Hội", "members": [f"CS002-{i:03d}" for i in
                                                                                  range(1, 7)]},
                                        {"name": "Chi bộ Ban Phong trào", "members": [
                                            *(f"CS002-{i:03d}" for i in range(7, 12)), "CS002-CT"]}]})
    first = article(pdf_text(pdf_of(office, upgrade)), 1)
    assert ("Đồng ý để Đảng bộ Hội Cựu chiến binh tỉnh là đảng bộ cơ sở có 12 đảng viên. Lý do: Đặc thù ngành."
            in first), first
    assert ": đảng bộ cơ sở" not in first and "ngành.." not in first
    with office.writing() as s:
        for code, count in (("CS004", 20), ("CS005", 15)):
            add_members(s, add_org(s, code, f"Chi bộ Trung tâm {code}", "chi_bo_co_so"), count)
    merged = run(office, {"action": "consolidate", "orgs": ["CS004", "CS005"], "kind": "chi_bo_co_so",
                          "parent": None, "name": "Chi bộ Trung tâm hợp nhất"})
    paragraphs = content(office, merged).articles[0].paragraphs
    consents = [p for p in paragraphs if p.startswith("Đồng ý")]
    assert consents == ["Đồng ý để Chi bộ Trung tâm hợp nhất duy trì 35 đảng viên (trên 30), sinh hoạt theo tổ "
                        "đảng và duy trì chi bộ cơ sở có 35 đảng viên. Lý do: Cấp ủy cấp trên đồng ý."], consents


def test_a_consolidation_too_long_for_one_page_breaks_its_last_article_not_before_it(office: Database) -> None:
    """Điều 3 and the signature do not fit under Điều 2: Điều 3 starts on page 1 and only its last lines go over
    with the signature (page 1 was left a third empty, the whole Điều 3 pushed over with the signature)."""
    with office.writing() as s:
        for code, count in (("CS004", 20), ("CS005", 15)):
            add_members(s, add_org(s, code, f"Chi bộ Trung tâm {code}", "chi_bo_co_so"), count)
    merged = run(office, {"action": "consolidate", "orgs": ["CS004", "CS005"], "kind": "chi_bo_co_so",
                          "parent": None, "name": "Chi bộ Trung tâm hợp nhất"})
    pages = [flat(text) for text in page_texts(pdf_of(office, merged))]
    assert "Điều 3." in pages[0] and "T/M BAN THƯỜNG VỤ" not in pages[0]
    signed = pages[1]
    assert signed.index("hiệu lực kể từ ngày ký.") < signed.index("Nơi nhận") < signed.index("Nguyễn Văn Hùng")
    assert [w.page for w in words(pdf_of(office, merged)) if w.text == "Hùng"] == [2]


def test_counts_under_ten_are_written_with_a_leading_zero_in_every_decision(office: Database) -> None:
    """Party documents write «05 đồng chí», «02 chi bộ», «(trong đó có 02 đảng viên dự bị)»: the same in every
    decision, never «2 chi bộ» in one and «05 đồng chí» in the next."""
    from khoi_desktop.core.text import count_text

    assert [count_text(n) for n in (0, 1, 9, 10, 35, 5356)] == ["0", "01", "09", "10", "35", "5.356"]
    merged = pdf_text(pdf_of(office, run(office, CONSOLIDATE)))
    assert "gồm 15 đảng viên (trong đó có 02 đảng viên dự bị)" in merged, merged
    split = pdf_text(pdf_of(office, run(office, {
        "action": "split", "org": "CS002", "into": [
            {"name": "Chi bộ Văn phòng Hội", "members": [f"CS002-{i:03d}" for i in range(1, 7)]},
            {"name": "Chi bộ Ban Phong trào", "members": [*(f"CS002-{i:03d}" for i in range(7, 12)), "CS002-CT"]}]})))
    # The whole counted as its parts are: «(trong đó có …)» on the total too (it printed «gồm 12 đảng viên, thành»).
    assert "gồm 12 đảng viên (trong đó có 01 đảng viên dự bị), thành 02 chi bộ" in split, split
    assert "Chi bộ Văn phòng Hội, gồm 06 đảng viên;" in split, split
    assert not re.search(r"\b[1-9] (đảng viên|đồng chí|chi bộ|tổ chức)\b", merged + split)


def test_member_decisions_name_a_chi_bo_truc_thuoc_with_its_dang_bo_and_its_dang_uy_acts(office: Database) -> None:
    # Many đảng bộ have a «Chi bộ Văn phòng»: the chi bộ alone does not say where the member lives.
    moved = run(office, {"action": "transfer_member", "member": "CB0001-002", "on": DAY.isoformat(),
                         "to": "CB0003"}, issue=True)
    text = pdf_text(pdf_of(office, moved))
    assert ("Điều 1. Chuyển sinh hoạt đảng chính thức cho đồng chí Trần Văn CB0001 002 từ Chi bộ Văn phòng Sở "
            "trực thuộc Đảng bộ Sở Y tế đến Chi bộ Khoa Nội trực thuộc Đảng bộ Bệnh viện Đa khoa Thái Nguyên, kể từ "
            "ngày 02/03/2026.") in text
    assert ("Điều 2. Văn phòng, Ban Tổ chức Đảng ủy Khối các cơ quan tỉnh, Đảng ủy Bệnh viện Đa khoa Thái Nguyên, "
            "Đảng ủy Sở Y tế, Chi bộ Khoa Nội, Chi bộ Văn phòng Sở và các đồng chí có liên quan") in text
    exempt = run(office, {"action": "exempt", "member": "CB0002-001", "on": DAY.isoformat()}, issue=True)
    paragraphs = [p.text for p in Document(io.BytesIO(docx_of(office, exempt))).paragraphs]
    assert ("Điều 1. Miễn công tác và sinh hoạt đảng đối với đồng chí Trần Văn CB0002 001, sinh hoạt tại Chi bộ Thanh "
            "tra Sở trực thuộc Đảng bộ Sở Y tế, kể từ ngày 02/03/2026.") in paragraphs
    # A chi bộ cơ sở is named alone.
    veteran = run(office, {"action": "exempt", "member": "CS002-001", "on": DAY.isoformat()}, issue=True)
    assert "sinh hoạt tại Chi bộ Hội Cựu chiến binh tỉnh, kể từ ngày" in pdf_text(pdf_of(office, veteran))


def test_a_draft_for_a_dang_uy_is_signed_by_its_bi_thu_or_pho_bi_thu_never_by_another_name(office: Database) -> None:
    from factories import add_seat
    from khoi_desktop.core.errors import RequestRefused
    from khoi_desktop.core.models import Organization, SeatRole

    with office.writing() as s:
        health = s.scalar(select(Organization).where(Organization.code == "CS001"))
        for code, role in (("CB0001-001", SeatRole.BI_THU), ("CB0001-003", SeatRole.PHO_BI_THU)):
            add_seat(s, health, s.scalar(select(Member).where(Member.code == code)), role)
    # The office's own deputy printed under the đảng ủy's «BÍ THƯ»: refused, naming who may sign.
    with pytest.raises(RequestRefused) as refused:
        run(office, {**DISSOLVE, "signer": DEPUTY})
    assert refused.value.problems == [("unknown_signer", "Người ký «Trần Thị Lan» không phải Bí thư hay Phó Bí thư "
                                       "của Đảng ủy Sở Y tế (Bí thư Trần Văn CB0001 001; Phó Bí thư Trần Văn CB0001 "
                                       "003).")]
    decision_id = run(office, {**DISSOLVE, "signer": "Trần Văn CB0001 003"})
    text = pdf_text(pdf_of(office, decision_id))
    assert "T/M ĐẢNG ỦY K/T BÍ THƯ PHÓ BÍ THƯ Trần Văn CB0001 003" in text


def test_the_enacting_line_of_a_long_dang_uy_keeps_ban_quan_ly_whole(office: Database) -> None:
    # «BAN THƯỜNG VỤ ĐẢNG ỦY BAN / QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH» split the name «Ban Quản lý» (demo office).
    from factories import add_seat
    from khoi_desktop.core.models import Organization, SeatRole

    with office.writing() as s:
        health = s.scalar(select(Organization).where(Organization.code == "CS001"))
        health.name = "Đảng bộ Ban Quản lý các khu công nghiệp tỉnh"
        for code, role in (("CB0001-001", SeatRole.BI_THU), ("CB0001-001", SeatRole.UY_VIEN_BTV)):
            add_seat(s, health, s.scalar(select(Member).where(Member.code == code)), role)
    decision_id = run(office, DISSOLVE)
    text = "\n".join(page_texts(pdf_of(office, decision_id)))
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY\nBAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH\nQUYẾT ĐỊNH" in text
    paragraphs = [p.text for p in Document(io.BytesIO(docx_of(office, decision_id))).paragraphs]
    # One paragraph, broken where the PDF breaks it.
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY\nBAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH\nQUYẾT ĐỊNH" in paragraphs


def test_the_status_column_title_breaks_after_its_slash_never_inside_chinh_thuc(office: Database) -> None:
    # «Chính» / «thức/Dự bị» split the word «Chính thức» in every member list's header (PDF walk).
    decision_id = run(office, FOUND)
    text = "\n".join(page_texts(pdf_of(office, decision_id)))
    assert "Chính thức/\nDự bị" in text and "Chính\nthức" not in text
    table = Document(io.BytesIO(docx_of(office, decision_id))).tables[-1]
    assert table.rows[0].cells[-1].text == "Chính thức/\nDự bị"


def test_an_upgrade_counts_the_probationary_members_of_the_whole_as_of_each_chi_bo(office: Database) -> None:
    halves = [[f"CS002-{i:03d}" for i in range(1, 7)], [*(f"CS002-{i:03d}" for i in range(7, 12)), "CS002-CT"]]
    text = pdf_text(pdf_of(office, run(office, {"action": "upgrade", "org": "CS002", "branches": [
        {"name": "Chi bộ Văn phòng Hội", "members": halves[0]},
        {"name": "Chi bộ Ban Phong trào", "members": halves[1]}]})))
    assert ("Điều 1. Thành lập Đảng bộ Hội Cựu chiến binh tỉnh trên cơ sở Chi bộ Hội Cựu chiến binh tỉnh, gồm 12 đảng "
            "viên (trong đó có 01 đảng viên dự bị), trực thuộc") in text, text


def test_glue_reads_the_compound_list_once_and_keeps_its_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    """A print glues some twenty lines with the same list: the list is folded once, not once a line. (A compound
    opening with a parenthesis, «(Hồ Chí Minh)», is left as it was.)"""
    from khoi_desktop.core.wording import compounds as module

    folded = []
    monkeypatch.setattr(module, "nfc", lambda text: folded.append(text) or text)
    own = [*module.DEFAULT_COMPOUNDS, "Chi bộ Bệnh viện", "Ban Quản lý khu"]
    texts = ["chia tách Chi bộ Bệnh viện Đa khoa, thành lập Chi bộ Công ty Cổ phần.",
             "CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN (Hồ Chí Minh) Ban Quản lý khu công nghiệp:",
             "Chi, bộ Bệnh viện\nBan Thường vụ  Ban"]
    glued = [module.glue(text, own) for text in texts]
    assert len(folded) == len(own)
    nb = module.NBSP
    assert glued == [f"chia{nb}tách Chi{nb}bộ{nb}Bệnh{nb}viện Đa{nb}khoa, thành{nb}lập Chi{nb}bộ Công{nb}ty "
                     f"Cổ{nb}phần.",
                     f"CÔNG{nb}TY TRÁCH{nb}NHIỆM{nb}HỮU{nb}HẠN MỘT{nb}THÀNH{nb}VIÊN (Hồ Chí Minh) "
                     f"Ban{nb}Quản{nb}lý{nb}khu công{nb}nghiệp:",
                     f"Chi, bộ Bệnh{nb}viện\nBan{nb}Thường{nb}vụ  Ban"]


def test_a_death_recorded_by_the_leave_and_by_the_end_of_the_seat_agrees(office: Database) -> None:
    """The leave workflow ended a dead member's seat «Chuyển sinh hoạt ra khỏi tổ chức», an end of the seat asked
    after it was refused «không giữ chức … vào ngày …» without saying why, and a death on another day than the one
    a seat was ended for was taken (a dead member on the committee for days, two days of death)."""
    from khoi_desktop.core.errors import RequestRefused
    from khoi_desktop.core.models import CommitteeSeat, Organization

    with office.writing() as s:
        org = s.scalars(select(Organization).where(Organization.code == "CS002")).one()
        for code in ("CS002-001", "CS002-002"):
            member = s.scalars(select(Member).where(Member.code == code)).one()
            s.add(CommitteeSeat(org_id=org.id, member_id=member.id, role="cap_uy_vien", term="2025-2030",
                                valid_from=dt.date(2025, 10, 1)))
    died, earlier = DAY - dt.timedelta(days=1), DAY - dt.timedelta(days=3)
    leave = {"action": "leave", "reason": "tu_tran"}
    end = {"action": "end_seat", "org": "CS002", "role": "cap_uy_vien", "reason": "tu_tran"}
    # The leave first: the seat ends that day, for the death; a decision ending it again is refused, saying why.
    struck = run(office, {**leave, "member": "CS002-001", "on": died.isoformat()}, issue=True)
    assert "lý do: từ trần." in article(pdf_text(pdf_of(office, struck)), 1)
    with office.reading() as s:
        seat = s.scalars(select(CommitteeSeat).join(Member).where(Member.code == "CS002-001")).one()
        assert (seat.valid_to, seat.end_reason) == (died, "Từ trần")
    with pytest.raises(RequestRefused) as refused:
        run(office, {**end, "member": "CS002-001"})
    assert refused.value.problems[0][0] == "seat_already_ended"
    assert "đã thôi giữ chức Chi ủy viên Chi bộ Hội Cựu chiến binh tỉnh từ ngày 01/03/2026 (Từ trần)" in \
        refused.value.problems[0][1]
    # The seat first, ended for the death three days before: the death is recorded on that day, no other.
    seat_end = run(office, {**end, "member": "CS002-002", "effective": earlier.isoformat()}, issue=True)
    assert "bàn giao" not in pdf_text(pdf_of(office, seat_end))
    for day, code in ((died, "death_dates_differ"), (earlier - dt.timedelta(days=1), "seat_ended_after_leaving")):
        with pytest.raises(RequestRefused) as refused:
            run(office, {**leave, "member": "CS002-002", "on": day.isoformat()})
        assert refused.value.problems[0][0] == code, refused.value.problems
    agreed = run(office, {**leave, "member": "CS002-002", "on": earlier.isoformat()}, issue=True)
    assert f"kể từ ngày {earlier:%d/%m/%Y}; lý do: từ trần." in article(pdf_text(pdf_of(office, agreed)), 1)


def test_the_office_reports_its_decision_to_the_superior_committee_and_a_saved_list_keeps_printing(
        office: Database) -> None:
    # The default said «Ban Tổ chức Tỉnh ủy (để báo cáo)»: a report to an advisory body, not to the committee above.
    text = pdf_text(pdf_of(office, run(office, HAND_OVER)))
    assert text[text.index("Nơi nhận:"):].startswith(
        "Nơi nhận: - Ban Thường vụ Tỉnh ủy (để báo cáo), - Ban Tổ chức Tỉnh ủy (để theo dõi), - Đảng ủy thành phố "
        "Thái Nguyên (để phối hợp), - Như Điều 3, - Lưu Văn phòng Đảng ủy Khối.")
    old = ["Ban Tổ chức Tỉnh ủy (để báo cáo),", "Như Điều 3,", "Lưu Văn phòng Đảng ủy Khối."]
    with office.writing() as s:  # an office that saved the old list keeps it
        save_settings(s, OfficeSettings(configured=True, default_recipients=old))
    text = pdf_text(pdf_of(office, run(office, {**HAND_OVER, "org": "CS001"})))
    assert "Nơi nhận: - Ban Tổ chức Tỉnh ủy (để báo cáo), - Đảng ủy thành phố Thái Nguyên (để phối hợp), - Như " \
           "Điều 3," in text


def test_the_word_copy_of_an_issued_decision_says_what_its_pdf_says_whatever_changes_after(office: Database) -> None:
    """The Word copy of an issued decision comes from the content frozen at issue: renaming the organization,
    changing the office's names, recipients, signers and the wording template afterwards change neither copy.
    (A guard: this held before; the Word copy is rendered again on each request.)"""
    import dataclasses
    from collections import Counter

    from khoi_desktop.core.models import Organization
    from khoi_desktop.core.settings import load_settings
    from khoi_desktop.core.wording.template_store import save_template

    issued = run(office, HAND_OVER, issue=True)
    pdf, word = pdf_of(office, issued), docx_of(office, issued)
    with office.writing() as s:
        settings = load_settings(s)
        save_settings(s, dataclasses.replace(settings, issuing_body="ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG\nTỈNH THÁI NGUYÊN",
                                             issuing_body_short="Đảng ủy các cơ quan Đảng tỉnh",
                                             default_recipients=["Như Điều 3,", "Lưu Văn phòng."], signers=[]))
        save_template(s, "hand_over", "\n".join([
            "về việc bàn giao {ten_to_chuc}", "Điều 1. Bàn giao {ten_to_chuc} về {ten_co_quan_nhan}.",
            "Điều 2. {co_quan_thi_hanh} chịu trách nhiệm thi hành Quyết định này."]), actor="test")
        org = s.scalars(select(Organization).where(Organization.code == "CS002")).one()
        org.name = "Chi bộ Hội Cựu chiến binh tỉnh Thái Nguyên"
    assert pdf_of(office, issued) == pdf and docx_of(office, issued) == word
    document = Document(io.BytesIO(word))
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    word_words = Counter(" ".join(texts).replace("\xa0", " ").split())
    pdf_words = Counter(" ".join(page_texts(pdf)).replace("\xa0", " ").split())
    missing = pdf_words - word_words
    assert set(missing) <= {"2", "STT", "Họ", "tên", "Ngày", "sinh", "Chức", "vụ,", "đơn", "vị", "Chính", "thức/",
                            "Dự", "bị", "và"}, missing  # page numbers, a list's header repeated on its page 2
    assert not word_words - pdf_words


def test_a_committee_member_who_leaves_or_moves_out_is_told_which_seats_end_and_the_records_agree(
        office: Database) -> None:
    """A leave or a transfer decision of a cấp ủy viên ended the seats in the records (DOMAIN.md §3) but did not
    say so: the decision names each seat, the body and the term, from the day the records end it; a seat on the
    đảng ủy above the chi bộ the member moves to, inside the office, is kept and not named."""
    from khoi_desktop.core.models import CommitteeSeat, Organization

    def seat(s, org: str, member: str, role: str) -> None:  # type: ignore[no-untyped-def]
        s.add(CommitteeSeat(org_id=s.scalars(select(Organization.id).where(Organization.code == org)).one(),
                            member_id=s.scalars(select(Member.id).where(Member.code == member)).one(), role=role,
                            term="2025-2030", valid_from=dt.date(2025, 10, 1)))

    with office.writing() as s:
        seat(s, "CS002", "CS002-001", "cap_uy_vien")
        for role in ("cap_uy_vien", "uy_vien_btv", "pho_bi_thu"):
            seat(s, "CS001", "CB0001-001", role)
        seat(s, "CB0001", "CB0001-001", "cap_uy_vien")
        seat(s, "CB0001", "CB0001-001", "bi_thu")
        seat(s, "CB0001", "CB0001-002", "cap_uy_vien")
    day = f"{DAY:%d/%m/%Y}"
    left = run(office, {"action": "leave", "member": "CS002-001", "reason": "xin_ra", "on": DAY.isoformat()},
               issue=True)
    assert (f"Đồng chí Trần Văn CS002 001 thôi tham gia Chi ủy Chi bộ Hội Cựu chiến binh tỉnh nhiệm kỳ 2025 - 2030,"
            f" kể từ ngày {day}.") in article(pdf_text(pdf_of(office, left)), 1)
    out = run(office, {"action": "transfer_member", "member": "CB0001-001", "on": DAY.isoformat(),
                       "to_body": "Đảng bộ Sở Y tế tỉnh Bắc Kạn"}, issue=True)
    first = article(pdf_text(pdf_of(office, out)), 1)
    assert ("thôi tham gia Ban Chấp hành, Ban Thường vụ và thôi giữ chức Phó Bí thư Đảng ủy Sở Y tế nhiệm kỳ "
            f"2025 - 2030, kể từ ngày {day}.") in first
    assert f"thôi tham gia Chi ủy và thôi giữ chức Bí thư Chi bộ Văn phòng Sở nhiệm kỳ 2025 - 2030, kể từ ngày {day}." \
        in first
    assert "thôi" in flat(" ".join(p.text for p in Document(io.BytesIO(docx_of(office, out))).paragraphs))
    inside = run(office, {"action": "transfer_member", "member": "CB0001-002", "on": DAY.isoformat(),
                          "to": "CB0002"}, issue=True)
    assert "thôi tham gia Chi ủy Chi bộ Văn phòng Sở nhiệm kỳ" in article(pdf_text(pdf_of(office, inside)), 1)
    with office.reading() as s:
        ends = s.scalars(select(CommitteeSeat.valid_to)).all()
    assert ends == [DAY] * 7, ends  # every seat named ends that day in the records


def test_a_member_decision_goes_to_those_who_carry_it_out_and_the_members_file_and_a_saved_list_keeps_printing(
        office: Database) -> None:
    """A member's admission, transfer or leave was sent «Ban Thường vụ Tỉnh ủy (để báo cáo)» and «Ban Tổ chức Tỉnh
    ủy (để theo dõi)» like a restructuring: a provincial office sends it «Như Điều N» and files it with the member's
    file. Decisions of organizations keep the report; an office's saved list prints as saved."""
    def recipients(decision_id: int) -> str:
        text = pdf_text(pdf_of(office, decision_id))
        return text[text.index("Nơi nhận:"):text.index("T/M")].strip()

    admit = run(office, {"action": "admit", "org": "CS002", "admitted_on": DAY.isoformat(), "person": {
        "family_name": "Lê", "middle_name": "Thị", "given_name": "Mai", "birth_date": "1995-05-05", "sex": "nu"}})
    assert recipients(admit) == "Nơi nhận: - Như Điều 3, - Lưu Văn phòng Đảng ủy Khối, hồ sơ đảng viên."
    out = run(office, {"action": "transfer_member", "member": "CS002-003", "on": DAY.isoformat(),
                       "to_body": "Đảng bộ Sở Y tế tỉnh Bắc Kạn"})
    assert recipients(out) == ("Nơi nhận: - Đảng ủy Sở Y tế tỉnh Bắc Kạn (để phối hợp), - Như Điều 2, - Lưu Văn "
                               "phòng Đảng ủy Khối, hồ sơ đảng viên.")
    docx_lines = [p.text for t in Document(io.BytesIO(docx_of(office, out))).tables for c in t.columns[0].cells
                  for p in c.paragraphs]
    assert "- Lưu Văn phòng Đảng ủy Khối, hồ sơ đảng viên." in docx_lines
    assert recipients(run(office, HAND_OVER)).startswith("Nơi nhận: - Ban Thường vụ Tỉnh ủy (để báo cáo),")
    saved = ["Ban Tổ chức Đảng ủy Khối,", "Như Điều 3,", "Lưu Văn phòng."]
    with office.writing() as s:
        save_settings(s, OfficeSettings(configured=True, default_recipients=saved))
    leave = run(office, {"action": "leave", "member": "CS002-004", "reason": "xin_ra", "on": DAY.isoformat()})
    assert recipients(leave) == "Nơi nhận: - Ban Tổ chức Đảng ủy Khối, - Như Điều 3, - Lưu Văn phòng."


def test_the_letter_ends_each_line_as_an_article_does_and_its_slip_is_signed_in_the_signature_column(
        office: Database) -> None:
    """The giấy giới thiệu's lines had no end punctuation («… sinh ngày 24/08/1963», «… Đảng bộ Khối các cơ quan
    tỉnh»); and the Word copy set the slip's closing right-aligned across the page where the PDF centres it in the
    signature's column."""
    from khoi_desktop.core.member_events.letters import issue_letter
    from khoi_desktop.documents import layout

    with office.writing() as s:
        s.scalars(select(Member).where(Member.code == "CB0001-002")).one().card_number = "44799578"
    run(office, {"action": "transfer_member", "member": "CB0001-002", "on": DAY.isoformat(),
                 "to_body": "Đảng bộ xã Đại Từ, tỉnh Thái Nguyên"}, issue=True)
    with office.writing() as s:
        letter_id = issue_letter(s, "CB0001-002", on=DAY, actor="test", render=render_pdf).id
    with office.reading() as s:
        lines = DecisionContent.from_json(s.get(Decision, letter_id).content).basis
    assert lines[0] == "Kính gửi: Đảng ủy xã Đại Từ, tỉnh Thái Nguyên"  # an address, no full stop
    assert all(line.endswith(".") for line in lines[1:]), lines
    text = pdf_text(pdf_of(office, letter_id))
    assert "Giới thiệu đồng chí: Trần Văn CB0001 002, sinh ngày" in text
    assert re.search(r"chính thức ngày \d\d/\d\d/\d{4}; số thẻ đảng viên 44799578\. Đảng viên của Chi bộ Văn phòng "
                     r"Sở, Đảng bộ Sở Y tế, Đảng bộ Khối các cơ quan tỉnh\. Được chuyển", text), text
    # The slip's closing: centred in the right column of a borderless table, as in the PDF.
    pdf_centre = next((w.x0 + w.x1) / 2 for w in words(pdf_of(office, letter_id)) if w.text == "CẤP")
    column = (layout.MARGIN_LEFT + layout.RECIPIENTS_WIDTH, layout.MARGIN_LEFT + layout.FRAME_WIDTH)
    cut = next((w.x0 + w.x1) / 2 for w in words(pdf_of(office, letter_id)) if w.text == "ỦY" and w.y0 > 500)
    assert abs((pdf_centre + cut) / 2 - sum(column) / 2) < 25, (pdf_centre, cut, column)
    document = Document(io.BytesIO(docx_of(office, letter_id)))
    assert not any(p.text == "T/M CẤP ỦY" for p in document.paragraphs)  # not across the page
    closing = document.tables[-1]
    cell = closing.rows[0].cells[1]
    assert [p.text for p in cell.paragraphs][1:] == ["T/M CẤP ỦY", "(Ký tên, đóng dấu)"]
    assert {p.alignment for p in cell.paragraphs} == {1}  # WD_ALIGN_PARAGRAPH.CENTER
    assert [p.text for p in closing.rows[0].cells[0].paragraphs] == [""]  # a cell holds a paragraph
