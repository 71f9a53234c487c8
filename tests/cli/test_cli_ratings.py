"""`ratings` on the command line: the return workbook produced, filled in with openpyxl and imported back (dry
run listing the changes, all or nothing with sheet/row/column), the summary's JSON contract and exit codes."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli_support import json_answer
from rating_office import YEAR, build


def digest(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        rows = [conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("rating_rounds", "org_ratings", "member_ratings", "audit_entries")]
    finally:
        conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office.db"
    build(path).close()
    return path


def _fill(path: Path, levels: dict[str, str], orgs: dict[str, str], *, disciplined: set[str] = frozenset()) -> None:
    wb = load_workbook(path)
    ws = wb["Đảng viên"]
    for row in ws.iter_rows(min_row=4):
        code = row[3].value
        if code in levels:
            row[8].value = levels[code]
        if code in disciplined:
            row[6].value = "Có"
    ws = wb["Tổ chức"]
    for row in ws.iter_rows(min_row=4):
        if row[1].value in orgs:
            row[5].value = orgs[row[1].value]
            row[4].value = orgs[row[1].value]
    wb.save(path)


def test_template_import_round_trip_with_dry_run_and_summary(office: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "db01.xlsx"
    code, data = json_answer(capsys, "ratings", office, "template", "--org", "DB01", "--year", YEAR, "-o", xlsx)
    assert code == 0 and data["orgs"] == 3 and data["members"] == 16  # the mover is rated in CS02, not here
    wb = load_workbook(xlsx)
    members = wb["Đảng viên"]
    assert members.protection.sheet and wb.security.lockStructure
    assert [c.value for c in members[3]][:6] == ["STT", "Mã chi bộ", "Tên chi bộ", "Mã đảng viên", "Họ và tên", "Diện"]
    assert any("HTXSNV" in (dv.formula1 or "") for dv in members.data_validations.dataValidation)
    assert "DV-MOVER" not in {row[3].value for row in members.iter_rows(min_row=4)}
    levels = {f"A-{i:03d}": "HTXSNV" if i <= 3 else "HTTNV" for i in range(1, 14)}
    levels |= {f"B-{i:03d}": "HTNV" for i in range(1, 4)}
    _fill(xlsx, levels, {"CB01": "HTTNV", "CB02": "HTXSNV"})
    before = digest(office)
    code, data = json_answer(capsys, "ratings", office, "import", xlsx, "--year", YEAR, "--dry-run")
    assert code == 0 and data["dry_run"] and data["members"] == 16 and len(data["changes"]) == 18
    assert any(c.startswith("Trần Văn A 001 (A-001): xếp loại (trống) → HTXSNV") for c in data["changes"])
    assert digest(office) == before
    code, data = json_answer(capsys, "ratings", office, "import", xlsx, "--year", YEAR)
    assert code == 0 and data["imported"]
    code, data = json_answer(capsys, "ratings", office, "summary", "--year", YEAR)
    assert code == 0
    assert data == {"year": YEAR, "orgs": {"htxs": 0, "htt": 0, "ht": 0, "kht": 0, "unrated": 3, "total": 3},
                    "members": {"htxs": 3, "htt": 10, "ht": 3, "kht": 0, "unrated": 8, "total": 24},
                    "orgs_good_or_better_pct": None, "members_good_or_better_pct": 81.25}
    code, data = json_answer(capsys, "check", office, "--as-of", f"{YEAR}-12-31")
    caps = [f["message"] for f in data["findings"] if f["rule"] == "rating_cap_exceeded"]
    assert "Đảng bộ Sở Y tế: 3 HTXSNV trên 10 HTTNV, vượt 20% (đảng viên, xếp loại năm 2024)." in caps
    # the office decides the TCCSĐ's own level; the summary follows
    for org, level in (("DB01", "htt"), ("CS02", "htxs"), ("CS03", "ht")):
        code, _ = json_answer(capsys, "ratings", office, "set", "--year", YEAR, "--org", org, "--level", level)
        assert code == 0
    code, data = json_answer(capsys, "ratings", office, "summary", "--year", YEAR, "-o", tmp_path / "s.xlsx")
    assert data["orgs"] == {"htxs": 1, "htt": 1, "ht": 1, "kht": 0, "unrated": 0, "total": 3}
    assert data["orgs_good_or_better_pct"] == 66.67
    report = load_workbook(tmp_path / "s.xlsx").active
    texts = [str(c.value) for row in report.iter_rows() for c in row if c.value is not None]
    assert "Đảng bộ Sở Y tế" in texts and any("66,67%" in t for t in texts)


def test_a_bad_return_is_refused_whole_naming_sheet_row_and_column(office: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "db01.xlsx"
    assert json_answer(capsys, "ratings", office, "template", "--org", "DB01", "--year", YEAR, "-o", xlsx)[0] == 0
    _fill(xlsx, {"A-001": "HTTNV", "A-002": "Tốt"}, {"CB01": "HTTNV"})
    wb = load_workbook(xlsx)
    rows = {row[3].value: row[3].row for row in wb["Đảng viên"].iter_rows(min_row=4)}
    wb["Đảng viên"].cell(rows["B-003"], 4).value = "DV-LEFT"  # left the Party in June: not active on 31/12
    wb.save(xlsx)
    before = digest(office)
    code, data = json_answer(capsys, "ratings", office, "import", xlsx, "--year", YEAR)
    assert code == 2 and not data["ok"]
    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in data["errors"]}
    assert errors.keys() == {("Đảng viên", rows["A-002"], "I"), ("Đảng viên", rows["B-003"], "D")}
    assert "“Tốt” không phải mức xếp loại" in errors[("Đảng viên", rows["A-002"], "I")]
    assert "DV-LEFT không sinh hoạt trong Đảng bộ Sở Y tế vào ngày 31/12/2024" in errors[("Đảng viên",
                                                                                          rows["B-003"], "D")]
    assert digest(office) == before
    code, _ = json_answer(capsys, "ratings", office, "import", xlsx, "--year", YEAR + 1, "--dry-run")
    assert code == 2
    assert json_answer(capsys, "ratings", office, "summary", "--year", YEAR)[0] == 2  # no round yet
    assert json_answer(capsys, "ratings", office, "template", "--org", "NOPE", "--year", YEAR, "-o", xlsx)[0] == 2
    assert digest(office) == before


def test_the_rules_are_data_an_administrator_edits(office: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, rules = json_answer(capsys, "ratings", office, "rules")
    assert code == 0 and rules["cap_pct"] == 20 and rules["exempt"] == "not_rated"
    rules["cap_pct"] = 30
    rules["exempt"] = "rated"
    edited = tmp_path / "rules.json"
    edited.write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")
    assert json_answer(capsys, "ratings", office, "rules", "--set", edited)[0] == 0
    assert json_answer(capsys, "ratings", office, "rules")[1]["cap_pct"] == 30
    # the exempt member is now rated, the cap is 30%: 3 HTXSNV on 10 HTTNV no longer a finding
    rated, _ = json_answer(capsys, "ratings", office, "set", "--year", YEAR, "--member", "DV-EXEMPT", "--level", "ht")
    assert rated == 0
    for i in range(1, 14):
        level = "htxs" if i <= 3 else "htt"
        assert json_answer(capsys, "ratings", office, "set", "--year", YEAR, "--member", f"A-{i:03d}",
                           "--level", level)[0] == 0
    _, data = json_answer(capsys, "check", office, "--as-of", f"{YEAR}-12-31")
    assert not [f for f in data["findings"] if f["rule"] == "rating_cap_exceeded"]
    edited.write_text('{"cap_pct": "nhiều", "consistency": 3}', encoding="utf-8")
    code, data = json_answer(capsys, "ratings", office, "rules", "--set", edited)
    assert code == 2 and data["errors"][0]["code"] == "invalid_rating_rules"


def test_a_name_like_a_formula_is_written_as_words(office: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(office)
    conn.execute("UPDATE organizations SET name = '=1+1 Chi bộ' WHERE code = 'CB01'")
    conn.commit()
    conn.close()
    xlsx = tmp_path / "db01.xlsx"
    assert json_answer(capsys, "ratings", office, "template", "--org", "DB01", "--year", YEAR, "-o", xlsx)[0] == 0
    wb = load_workbook(xlsx)
    cells = [c for ws in (wb["Tổ chức"], wb["Đảng viên"]) for row in ws.iter_rows() for c in row
             if c.value == "=1+1 Chi bộ"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_template_all_writes_one_return_per_grassroots_organization(office: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "tra-ve"
    code, data = json_answer(capsys, "ratings", office, "template", "--all", "--year", YEAR, "-o", folder)
    assert code == 2 and not folder.exists()  # no folder: refused, nothing written
    folder.mkdir()
    code, data = json_answer(capsys, "ratings", office, "template", "--all", "--year", YEAR, "-o", folder)
    assert code == 0
    # CS02: its 4 members and the mover
    assert {f["org"]: f["members"] for f in data["files"]} == {"DB01": 16, "CS02": 5, "CS03": 3}
    assert sorted(p.name for p in folder.iterdir()) == [f"xep-loai-{c}-{YEAR}.xlsx" for c in ("CS02", "CS03", "DB01")]
    wb = load_workbook(folder / f"xep-loai-DB01-{YEAR}.xlsx")
    assert len([r for r in wb["Đảng viên"].iter_rows(min_row=4) if r[3].value]) == 16


def test_a_level_is_read_as_the_summary_writes_it_or_in_words(office: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """`ratings summary` writes «HTTNV», clerks write «Hoàn thành tốt nhiệm vụ»: both were refused, only «htt» read."""
    for typed, key in (("HTTNV", "htt"), ("Hoàn thành xuất sắc nhiệm vụ", "htxs"), ("khong hoan thanh nhiem vu", "kht"),
                       (" HT ", "ht")):
        code, data = json_answer(capsys, "ratings", office, "set", "--year", YEAR, "--member", "A-001",
                                 "--level", typed)
        assert code == 0 and data["decided"] == key, data
    code, data = json_answer(capsys, "ratings", office, "set", "--year", YEAR, "--member", "A-001", "--level", "tốt")
    assert code == 2 and "htt (HTTNV: hoàn thành tốt nhiệm vụ)" in data["errors"][0]["message"], data


def test_codes_typed_in_lower_case_in_the_rows_are_found(office: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A clerk retypes a row's code as «a-001», «cb01», «db01»: the rows were refused (not in the body, the body's
    own row read as a chi bộ whose «Cấp trên xếp loại» is no level) while the command line finds «cs001» anywhere."""
    xlsx = tmp_path / "db01.xlsx"
    assert json_answer(capsys, "ratings", office, "template", "--org", "DB01", "--year", YEAR, "-o", xlsx)[0] == 0
    _fill(xlsx, {"A-001": "HTTNV", "A-002": "HTNV"}, {"CB01": "HTTNV"})
    wb = load_workbook(xlsx)
    for sheet, column in (("Đảng viên", 3), ("Tổ chức", 1)):
        for row in wb[sheet].iter_rows(min_row=4):
            if row[column].value:
                row[column].value = str(row[column].value).lower()
    wb.save(xlsx)
    code, data = json_answer(capsys, "ratings", office, "import", xlsx, "--year", YEAR)
    assert code == 0 and data["imported"] and data["errors"] == [], data
    assert data["members"] == 16 and data["orgs"] == 3
    assert any(c.startswith("Trần Văn A 001 (A-001): xếp loại (trống) → HTTNV") for c in data["changes"])
    conn = sqlite3.connect(office)
    levels = dict(conn.execute("SELECT m.code, r.decided FROM member_ratings r JOIN members m ON m.id = r.member_id "
                               "WHERE m.code IN ('A-001', 'A-002')").fetchall())
    conn.close()
    assert levels == {"A-001": "htt", "A-002": "ht"}


def test_the_other_return_is_told_where_it_goes(office: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A ratings return given to `meetings import` (or a meeting return to `ratings import`) was said to be «lập
    bằng phiên bản khác của phần mềm: hãy lập lại», with missing sheets: it is the other return, imported elsewhere."""
    xlsx = tmp_path / "db01.xlsx"
    assert json_answer(capsys, "ratings", office, "template", "--org", "DB01", "--year", YEAR, "-o", xlsx)[0] == 0
    code, data = json_answer(capsys, "meetings", office, "import", xlsx)
    assert code == 2 and [e["message"] for e in data["errors"]] == [
        "Tệp là báo cáo xếp loại chất lượng, không phải báo cáo sinh hoạt chi bộ: hãy nhập tệp này ở phần xếp loại "
        "chất lượng (lệnh ratings … import --year NĂM). Chưa nhập gì."], data
    wb = load_workbook(xlsx)
    for row in wb["_khoi"].iter_rows():
        if row[0].value == "format":
            row[1].value = "khoi-desktop/meeting-return/1"
    wb.save(xlsx)
    code, data = json_answer(capsys, "ratings", office, "import", xlsx, "--year", YEAR)
    assert code == 2 and [e["message"] for e in data["errors"]] == [
        "Tệp là báo cáo sinh hoạt chi bộ, không phải báo cáo xếp loại chất lượng: hãy nhập tệp này ở phần sinh hoạt "
        "chi bộ (lệnh meetings … import). Chưa nhập gì."], data


def test_the_rules_text_reads_in_vietnamese(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ratings … rules` ended «Dự bị: rated; mới kết nạp (dưới 6 tháng): not_rated; …»: the JSON's values."""
    from khoi_desktop.__main__ import main
    from signin_support import signed_in_if_needed

    assert main([*signed_in_if_needed(office), "ratings", str(office), "rules"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("Dự bị: có xếp loại; mới kết nạp (dưới 6 tháng): không xếp loại; miễn sinh hoạt: "
                                 "không xếp loại.") and "rated" not in out
