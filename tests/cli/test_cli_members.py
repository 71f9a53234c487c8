"""Members' lives on the command line: `apply` with the member actions, `members` with party dates,
`probation` and `badges`."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import select

from cli_support import json_of_args, write_request
from factories import add_member, add_members, add_org
from khoi_desktop.__main__ import main
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import Decision, Member, OrgKind, Term
from khoi_desktop.core.settings import OfficeSettings, save_settings

TODAY = dt.date.today()
YEAR_AGO = TODAY - dt.timedelta(days=400)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="hien-tai", starts_on=TODAY - dt.timedelta(days=800), ends_on=TODAY + dt.timedelta(days=400)))
        chi_bo = add_org(s, "CS002", "Chi bộ Hội Nông dân tỉnh", OrgKind.CHI_BO_CO_SO)
        add_members(s, chi_bo, 5)
        add_member(s, "Phạm Văn Dự", chi_bo, code="DB001", admitted_on=YEAR_AGO, probationary=True)
        add_member(s, "Vũ Thị Ba Mươi", chi_bo, code="OLD30", admitted_on=dt.date(1996, 5, 10))
        add_member(s, "Đỗ Văn Bốn Lăm", chi_bo, code="OLD45", admitted_on=dt.date(1981, 4, 1))
        s.scalars(select(Member).where(Member.code == "CS002-001")).one().admitted_on = dt.date(1990, 1, 1)
    db.close()
    return path



def test_apply_admits_and_members_shows_party_dates(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    request = {"action": "admit", "org": "CS002", "admitted_on": TODAY.isoformat(), "people": [
        {"family_name": "Lê", "middle_name": "Thị", "given_name": "Hoa", "birth_date": "1995-04-01", "sex": "nu"},
        {"family_name": "Lê", "middle_name": "Văn", "given_name": "Nam", "birth_date": "1996-04-01", "sex": "nam"}]}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, request)), "--issue"])
    assert code == 0 and out["decision"]["code"] == "01-QĐ/ĐUK"
    leave = {"action": "leave", "member": "CS002-005", "reason": "tu_tran", "on": TODAY.isoformat()}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, leave)), "--issue"])
    assert code == 0 and out["decision"]["code"] == "02-QĐ/ĐUK"
    code, out = json_of_args(capsys, ["members", str(office), "--as-of", TODAY.isoformat()])
    rows = {m["full_name"]: m for m in out["members"]}
    assert rows["Lê Thị Hoa"]["admitted_on"] == TODAY.isoformat() and rows["Lê Thị Hoa"]["full_on"] is None
    assert "Trần Văn CS002 005" not in rows
    code, out = json_of_args(capsys, ["members", str(office), "--as-of", (TODAY - dt.timedelta(days=1)).isoformat()])
    gone = next(m for m in out["members"] if m["code"] == "CS002-005")
    assert (gone["left_on"], gone["leave_reason"]) == (TODAY.isoformat(), "tu_tran")
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, leave)), "--issue"])
    assert code == 2 and out["errors"][0]["code"] == "already_left"


def test_probation_lists_those_due_and_recognition_clears_them(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = json_of_args(capsys, ["probation", str(office), "--due-by", TODAY.isoformat()])
    assert code == 0
    assert [(m["code"], m["org"], m["overdue"]) for m in out["members"]] == [("DB001", "CS002", True)]
    assert main(["probation", str(office), "--due-by", TODAY.isoformat()]) == 0
    text = capsys.readouterr().out
    assert "DB001  Phạm Văn Dự" in text and "(quá hạn)" in text and "trong đó 1 đã quá hạn." in text
    confirm = {"action": "confirm_full", "members": ["DB001"], "on": TODAY.isoformat()}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, confirm)), "--issue"])
    assert code == 0
    code, out = json_of_args(capsys, ["probation", str(office), "--due-by", TODAY.isoformat()])
    assert out["members"] == []


def test_badges_on_an_occasion(office, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = json_of_args(capsys, ["badges", str(office), "--occasion", "2026-05-19"])
    assert code == 0
    assert [(m["code"], m["party_years"]) for m in out["members"]] == [("OLD45", 45), ("OLD30", 30)]
    code, out = json_of_args(capsys, ["badges", str(office), "--occasion", "2026-05-20"])
    assert code == 2 and out["errors"][0]["code"] == "not_a_badge_occasion"


def test_badges_exported_as_the_proposal_list(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "huy-hieu.xlsx"
    code, out = json_of_args(capsys, ["badges", str(office), "--occasion", "2026-05-19", "--xlsx", str(path)])
    assert code == 0 and out["path"] == str(path)
    assert out["members"][0]["reached_on"] == "2026-04-01"
    from openpyxl import load_workbook

    cells = [[c for c in row if c is not None] for row in load_workbook(path).active.iter_rows(values_only=True)]
    text = [" ".join(str(c) for c in row) for row in cells]
    assert any("DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG" in t for t in text)
    assert any(t.startswith("Huy hiệu 45 năm tuổi Đảng: 1 đồng chí") for t in text)
    assert [row[1:3] for row in cells if row and row[0] in (1, 2)] == [["OLD45", "Đỗ Văn Bốn Lăm"],
                                                                       ["OLD30", "Vũ Thị Ba Mươi"]]
    assert any("Tổng số: 2 đồng chí" in t for t in text)


def test_letter_numbered_in_the_register_and_its_slip_confirms_the_transfer(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    moved = (TODAY - dt.timedelta(days=40)).isoformat()
    transfer = {"action": "transfer_member", "member": "CS002-002", "to_body": "Đảng bộ tỉnh Bắc Ninh", "on": moved}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, transfer)), "--issue"])
    assert code == 0 and out["decision"]["code"] == "01-QĐ/ĐUK"
    (tmp_path / "thu-muc.pdf").mkdir()
    for wrong, error in (("ggt.txt", "not_pdf"), ("ggt", "not_pdf"), ("khong-co/con/ggt.pdf", "no_directory"),
                         ("thu-muc.pdf", "is_directory")):
        # Refused before the letter takes its number: it wrote the PDF into «ggt.txt», or failed (exit 1,
        # «IsADirectoryError») once the letter was issued, which then could not be issued again.
        code, out = json_of_args(capsys, ["letter", str(office), "CS002-002", "-o", str(tmp_path / wrong)])
        assert code == 2 and out["errors"][0]["code"] == error, out
    assert not (tmp_path / "ggt.txt").exists() and not (tmp_path / "ggt").exists()
    pdf = tmp_path / "ggt.pdf"
    code = main(["letter", str(office), "CS002-002", "-o", str(pdf)])
    said = capsys.readouterr().out
    assert code == 0 and said == f"Đã cấp giấy giới thiệu sinh hoạt đảng số 01-GTSH/ĐUK, đã ghi ra {pdf}.\n"
    assert pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    pages = PdfReader(pdf).pages
    assert len(pages) == 1, "the return slip is torn off the letter's own page"
    text = unicodedata.normalize("NFC", " ".join(pages[0].extract_text().split()))
    slip = text[text.index("PHIẾU BÁO ĐÃ TIẾP NHẬN SINH HOẠT ĐẢNG"):]
    assert "(Theo Giấy giới thiệu sinh hoạt đảng số 01-GTSH/ĐUK, ngày" in slip
    assert "đã tiếp nhận đồng chí" in slip and "T/M CẤP ỦY" in slip
    code, out = json_of_args(capsys, ["letter", str(office), "CS002-002"])
    assert code == 2 and out["errors"][0]["code"] == "no_transfer_out", "one letter per transfer"
    # It said «không có quyết định chuyển sinh hoạt … chưa cấp giấy giới thiệu», as if there were no transfer.
    assert out["errors"][0]["message"].endswith(
        "đã có Giấy giới thiệu sinh hoạt đảng số 01-GTSH/ĐUK: mỗi lần chuyển chỉ cấp một giấy; cần bản in thì in lại "
        "giấy số 01-GTSH/ĐUK từ sổ văn bản."), out
    again = tmp_path / "ggt-in-lai.pdf"
    assert main(["pdf", str(office), "01-GTSH/ĐUK", "-o", str(again)]) == 0 and again.is_file()
    said = capsys.readouterr().out  # it was «Đã ghi Quyết định số 01-GTSH/ĐUK»
    assert said.startswith("Đã ghi Giấy giới thiệu sinh hoạt đảng số 01-GTSH/ĐUK ("), said
    code, out = json_of_args(capsys, ["check", str(office), "--as-of", (TODAY - dt.timedelta(days=20)).isoformat()])
    assert "transfer_unconfirmed" not in {f["rule"] for f in out["findings"]}, "not yet 30 days"
    code, out = json_of_args(capsys, ["check", str(office)])
    rules = {f["rule"]: f for f in out["findings"]}
    assert "01-GTSH/ĐUK" in rules["transfer_unconfirmed"]["message"]
    before_letter = (TODAY - dt.timedelta(days=1)).isoformat()  # after the transfer, before the letter existed
    code, out = json_of_args(capsys, ["slip", str(office), "CS002-002", "--returned-on", before_letter])
    assert code == 2 and out["errors"][0]["code"] == "slip_before_letter", "a slip answers a letter already sent"
    assert "trước ngày cấp giấy giới thiệu số 01-GTSH/ĐUK" in out["errors"][0]["message"]
    code, out = json_of_args(capsys, ["check", str(office)])
    assert "transfer_unconfirmed" in {f["rule"] for f in out["findings"]}, "the refused slip recorded nothing"
    code, out = json_of_args(capsys, ["slip", str(office), "CS002-002", "--returned-on", TODAY.isoformat()])
    assert code == 0 and out["letter"] == "01-GTSH/ĐUK"
    code, out = json_of_args(capsys, ["check", str(office)])
    assert "transfer_unconfirmed" not in {f["rule"] for f in out["findings"]}
    code, out = json_of_args(capsys, ["check", str(office), "--as-of", (TODAY - dt.timedelta(days=1)).isoformat()])
    assert "transfer_unconfirmed" in {f["rule"] for f in out["findings"]}, "the slip came back later"
    code, out = json_of_args(capsys, ["slip", str(office), "CS002-002", "--returned-on", TODAY.isoformat()])
    assert code == 2 and out["errors"][0]["code"] == "slip_already_returned"


def test_admissions_against_the_target_and_the_bodies_authorized(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = json_of_args(capsys, ["admissions", str(office)])
    assert code == 0 and out["opening"] >= 8 and out["percent"] == 3.0
    admitted_before = out["admitted"]
    request = write_request(tmp_path, {"action": "admit", "org": "CS002", "admitted_on": TODAY.isoformat(),
                               "person": {"family_name": "Lê", "middle_name": "Thị", "given_name": "Hoa",
                                          "birth_date": "1995-04-01", "sex": "nu"}})
    assert main(["apply", str(office), str(request), "--issue", "--json"]) == 0
    capsys.readouterr()
    code, out = json_of_args(capsys, ["admissions", str(office)])
    assert out["admitted"] == admitted_before + 1
    assert out["years"][-1]["year"] == TODAY.year and out["years"][-1]["admitted"] >= 1
    assert out["bodies"][0]["code"] == "CS002" and out["bodies"][0]["total"] >= 1
    code, out = json_of_args(capsys, ["admitting-bodies", str(office), "--add", "CS002"])
    assert code == 2 and out["errors"][0]["code"] == "not_a_dang_bo_co_so"
    code, out = json_of_args(capsys, ["admitting-bodies", str(office)])
    assert code == 0 and out["bodies"] == []


def test_a_leaving_recorded_late_is_effective_on_its_own_day_in_the_json(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A member who left on 20/11, by a decision signed today: `apply --json` and `decisions --json` said
    "effective" today while Điều 1 («kể từ ngày 20/11») and the member's `left_on` said the 20th. The JSON's
    "effective" is the day the change counts from, as printed and recorded; issued_on stays the signing day."""
    left = TODAY - dt.timedelta(days=13)
    leave = {"action": "leave", "member": "CS002-005", "reason": "xin_ra", "on": left.isoformat()}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, leave))])
    assert code == 0 and out["decision"]["effective"] == left.isoformat()  # the draft already knows it
    code, out = json_of_args(capsys, ["issue", str(office), str(out["decision"]["id"])])
    assert code == 0
    assert (out["decision"]["issued_on"], out["decision"]["effective"]) == (TODAY.isoformat(), left.isoformat())
    code, listed = json_of_args(capsys, ["decisions", str(office)])
    assert [d["effective"] for d in listed["decisions"]] == [left.isoformat()]
    code, members = json_of_args(capsys, ["members", str(office), "--as-of", (left - dt.timedelta(days=1)).isoformat()])
    assert next(m for m in members["members"] if m["code"] == "CS002-005")["left_on"] == left.isoformat()
    db = open_database(office)
    with db.reading() as s:
        content = json.loads(s.scalars(select(Decision.content)).one())
    db.close()
    text = "\n".join(paragraph for article in content["articles"] for paragraph in article["paragraphs"])
    assert f"kể từ ngày {left:%d/%m/%Y}" in text


def test_members_are_found_by_name_with_or_without_accents(office, capsys) -> None:  # type: ignore[no-untyped-def]
    """README's first step, «Tìm một đảng viên … có dấu hay không dấu», had no command: `members --search`."""
    for typed in ("pham van du", "Phạm Văn Dự", "PHAM VAN", "DB001"):
        code, out = json_of_args(capsys, ["members", str(office), "--search", typed])
        assert code == 0 and [m["code"] for m in out["members"]] == ["DB001"], (typed, out)
        assert out["members"][0]["org"] == "CS002" and out["truncated"] is False
    assert main(["members", str(office), "--search", "vu thi ba"]) == 0
    text = capsys.readouterr().out
    assert "OLD30  Vũ Thị Ba Mươi" in text and text.rstrip().endswith("Tìm thấy 1 đảng viên khớp «vu thi ba».")
    assert main(["members", str(office), "--search", "khong ai"]) == 0
    assert capsys.readouterr().out.startswith("Không có đảng viên nào khớp «khong ai» (tìm theo họ tên, có dấu hay "
                                              "không dấu đều được")
    code, out = json_of_args(capsys, ["members", str(office), "--search", " "])
    assert code == 2 and out["errors"][0]["code"] == "usage"
