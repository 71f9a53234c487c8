"""`meetings` on the command line: exit codes, Vietnamese refusals with nothing changed, status numbers equal
to a brute-force count, and the monthly return workbook produced by the app, edited with openpyxl, imported."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from khoi_desktop.__main__ import main
from khoi_desktop.core.db import backup_copy, open_database
from meeting_office import build
from signin_support import signed_in_if_needed

TODAY = dt.date.today()
LAST_MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([*signed_in_if_needed(argv[1]), *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, dict[str, Any]]:
    code, out, _err = run(capsys, *argv, "--json")
    return code, json.loads(out)


def digest(path: Path) -> str:
    """The database's content (the WAL is checkpointed by closing every connection first)."""
    conn = sqlite3.connect(path)
    try:
        rows = [conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("meetings", "meeting_attendance", "audit_entries")]
    finally:
        conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office.db"
    build(path).close()
    return path


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from khoi_desktop.core.demo import generate_demo

    path = tmp_path_factory.mktemp("meetings-demo") / "demo.db"
    db = open_database(path, create=True)
    generate_demo(db, scale=1, seed=3)
    db.close()
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    backup_copy(demo_template, path)
    return path


def write_json(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "hop.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


MEETING = {"org": "CS02", "kind": "thuong_ky", "planned_on": "2024-03-04", "held_on": "2024-03-05",
           "topic": "Nhiệm vụ tháng 3", "chair": "DV-T1",
           "attendance": [{"member": "DV-T1", "status": "present"}, {"member": "DV-T2", "status": "present"},
                          {"member": "DV-T3", "status": "absent", "reason": "Ốm"},
                          {"member": "DV-T4", "status": "absent"}],
           "scores": {"chuan_bi": 15, "thoi_gian": 8, "ty_le_du": 15, "noi_dung": 15, "phe_binh": 10,
                      "nghi_quyet": 12}}


def test_record_then_status(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    code, data = run_json(capsys, "meetings", office, "record", write_json(tmp_path, MEETING))
    assert code == 0 and data["ok"] is True and data["month"] == "2024-03"
    code, status = run_json(capsys, "meetings", office, "status", "--month", "2024-03")
    assert code == 0
    assert status == {"month": "2024-03", "org": None, "expected": 3, "held": 1, "thematic_held": 0,
                      "missing": ["CB01", "CB02"], "ratings": {"tot": 0, "kha": 1, "trung_binh": 0, "kem": 0}}
    code, out, _ = run(capsys, "meetings", office, "status", "--month", "2024-03", "--org", "DB01")
    assert code == 0 and "Chưa báo cáo (2): CB01, CB02." in out
    code, out, _ = run(capsys, "meetings", office, "criteria")
    assert "nghi_quyet: Nghị quyết, kết luận rõ ràng" in out


@pytest.mark.parametrize(("change", "message"), [
    ({"kind": "hop"}, "Loại sinh hoạt “hop” không hợp lệ: ghi thuong_ky (thường kỳ) hoặc chuyen_de (chuyên đề)."),
    ({"org": "CB99"}, "Không có tổ chức đảng mã CB99."),
    ({"org": "DB01"}, "Đảng bộ Sở Tài chính là đảng bộ cơ sở: chỉ chi bộ mới ghi sinh hoạt chi bộ."),
    ({"held_on": "2999-01-01"}, "Ngày họp 01/01/2999 chưa đến"),
    ({"attendance": MEETING["attendance"][:3]}, "Chưa điểm danh Trịnh Thị Oanh (DV-T4)."),
    ({"scores": {"chuan_bi": 30}},
     "Điểm tiêu chí “Chuẩn bị nội dung, tài liệu; thông báo trước cho đảng viên” phải là"),
])
def test_bad_input_exits_2_in_vietnamese_and_changes_nothing(capsys: pytest.CaptureFixture[str], office: Path,
                                                              tmp_path: Path, change: dict[str, Any],
                                                              message: str) -> None:
    before = digest(office)
    code, out, err = run(capsys, "meetings", office, "record", write_json(tmp_path, {**MEETING, **change}))
    assert code == 2 and out == ""
    assert message in err
    code, data = run_json(capsys, "meetings", office, "record", write_json(tmp_path, {**MEETING, **change}))
    assert code == 2 and data["ok"] is False and any(message in e["message"] for e in data["errors"])
    assert digest(office) == before


def test_recording_a_month_twice_asks_for_replace(capsys: pytest.CaptureFixture[str], office: Path,
                                                  tmp_path: Path) -> None:
    assert run(capsys, "meetings", office, "record", write_json(tmp_path, MEETING))[0] == 0
    before = digest(office)
    again = {**MEETING, "attendance": [*MEETING["attendance"][:3], {"member": "DV-T4", "status": "present"}]}
    code, data = run_json(capsys, "meetings", office, "record", write_json(tmp_path, again))
    assert code == 2 and data["errors"][0]["code"] == "meeting_exists"
    assert data["changes"] == ["Điểm danh DV-T4: vắng không lý do → có mặt"]
    assert digest(office) == before
    code, _out, _err = run(capsys, "meetings", office, "record", write_json(tmp_path, again), "--replace")
    assert code == 0 and digest(office) != before


def test_a_month_recorded_twice_is_refused_in_one_short_paragraph(capsys: pytest.CaptureFixture[str], office: Path,
                                                                   tmp_path: Path) -> None:
    """The refusal named the chi bộ by name only and listed up to 20 changes (each member of a new roll call):
    it names which chi bộ, which month, when that meeting was held, what parts differ and how to replace it;
    every change is still in the JSON `changes`."""
    assert run(capsys, "meetings", office, "record", write_json(tmp_path, MEETING))[0] == 0
    before = digest(office)
    again = {**MEETING, "held_on": "2024-03-06", "topic": "Chủ đề khác",
             "attendance": [*MEETING["attendance"][:2], {"member": "DV-T3", "status": "present"},
                            {"member": "DV-T4", "status": "present"}]}
    path = write_json(tmp_path, again)
    code, out, err = run(capsys, "meetings", office, "record", path)
    assert code == 2 and out == ""
    assert err.strip() == (
        "Chi bộ Sở Tư pháp (CS02) đã có cuộc sinh hoạt thường kỳ tháng 03/2024, họp ngày 05/03/2024. Nội dung mới "
        "khác ở: ngày họp, chủ đề, điểm danh 2 đảng viên. Để thay cuộc đã ghi bằng nội dung tệp "
        f"{path.name}, chạy lại lệnh với --replace (từng thay đổi: thêm --json, mục «changes»).")
    code, data = run_json(capsys, "meetings", office, "record", path)
    assert code == 2 and data["errors"] == [{"code": "meeting_exists", "message": err.strip()}]
    assert len(data["changes"]) == 4 and "Điểm danh DV-T3: vắng (Ốm) → có mặt" in data["changes"]
    assert digest(office) == before


def test_bad_month_and_missing_file(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    code, _out, err = run(capsys, "meetings", office, "status", "--month", "2024-3")
    assert code == 2 and "không đúng dạng YYYY-MM" in err
    code, _out, err = run(capsys, "meetings", office, "status", "--month", "3/2024")
    assert code == 2 and "tháng 03/2024 thì ghi 2024-03" in err, err
    code, _out, err = run(capsys, "meetings", office, "record", tmp_path / "khong-co.json")
    assert code == 2 and "Không tìm thấy tệp" in err
    broken = tmp_path / "hong.json"
    broken.write_text('{"org": "CB01",', encoding="utf-8")
    code, _out, err = run(capsys, "meetings", office, "record", broken)
    assert code == 2 and "không phải JSON hợp lệ (dòng 1, cột 16)" in err and "Expecting" not in err
    broken.write_bytes('{"org": "Phòng Tài chính"}'.encode("cp1252"))  # Notepad's "ANSI"
    code, _out, err = run(capsys, "meetings", office, "record", broken)
    assert code == 2 and "không phải văn bản UTF-8" in err and "codec" not in err
    broken.write_text('{"org": "Chi bộ"}', encoding="utf-16")  # Notepad's "Unicode": read, then checked
    code, _out, err = run(capsys, "meetings", office, "record", broken)
    assert code == 2 and "văn bản UTF-8" not in err and "JSON hợp lệ" not in err, err


def brute_force_status(path: Path, month: dt.date) -> dict[str, Any]:
    """The month's status counted from the raw tables, another way: chi bộ alive on every day of the month."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    conn = sqlite3.connect(path)
    try:
        chi_bo = {code: (org_id, dt.date.fromisoformat(founded), ended and dt.date.fromisoformat(ended))
                  for org_id, code, founded, ended in conn.execute(
                      "SELECT id, code, founded_on, ended_on FROM organizations "
                      "WHERE kind IN ('chi_bo_co_so', 'chi_bo_truc_thuoc')")}
        meetings = conn.execute("SELECT org_id, kind, held_on, rating FROM meetings WHERE month = ?",
                                (month.isoformat(),)).fetchall()
    finally:
        conn.close()
    days = [month + dt.timedelta(days=n) for n in range((last - month).days + 1)]
    expected = {code: org_id for code, (org_id, founded, ended) in chi_bo.items()
                if all(founded <= d and (ended is None or d < ended) for d in days)}
    held = {org for org, kind, held_on, _ in meetings if kind == "thuong_ky" and held_on}
    thematic = {org for org, kind, held_on, _ in meetings if kind == "chuyen_de" and held_on}
    ratings = {"tot": 0, "kha": 0, "trung_binh": 0, "kem": 0}
    for org, kind, _, rating in meetings:
        if kind == "thuong_ky" and rating and org in expected.values():
            ratings[rating] += 1
    return {"expected": len(expected), "held": sum(i in held for i in expected.values()),
            "thematic_held": sum(i in thematic for i in expected.values()),
            "missing": sorted(c for c, i in expected.items() if i not in held), "ratings": ratings}


def test_status_equals_a_brute_force_count_on_the_demo(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    for month in (LAST_MONTH, (LAST_MONTH - dt.timedelta(days=40)).replace(day=1)):
        code, data = run_json(capsys, "meetings", demo, "status", "--month", month.isoformat()[:7])
        assert code == 0
        brute = brute_force_status(demo, month)
        assert {k: data[k] for k in brute} == brute
        assert brute["expected"] > 370 and 0 < len(brute["missing"]) < 30  # the demo's realistic gaps


def test_check_lists_the_meeting_rules(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    code, data = run_json(capsys, "check", demo)
    assert code == 0
    rules = {f["rule"] for f in data["findings"]}
    assert {"meeting_missing", "no_thematic_meeting", "member_absent_3_times"} <= rules


def _fill_return(path: Path, chi_bo: str, held: dt.date, absent: str) -> None:
    """What a clerk does in Excel: the regular meeting's date, topic and scores, one absence with a reason."""
    wb = load_workbook(path)
    ws = wb["Thường kỳ"]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value == chi_bo)
    ws.cell(row, 5).value = held
    ws.cell(row, 6).value = "Kiểm điểm nhiệm vụ tháng"
    for column, points in zip(range(10, 16), (20, 10, 18, 18, 14, 14), strict=True):
        ws.cell(row, column).value = points
    att = wb["Điểm danh"]
    row = next(r for r in range(4, att.max_row + 1) if att.cell(r, 4).value == absent)
    att.cell(row, 7).value = "Vắng có lý do"
    att.cell(row, 8).value = "Đi công tác Hà Nội"
    wb.save(path)


def test_return_round_trip(capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "bao-cao.xlsx"
    month = LAST_MONTH.isoformat()[:7]
    code, data = run_json(capsys, "meetings", demo, "template", "--org", "CS001", "--month", month, "-o", xlsx)
    assert code == 0 and data["chi_bo"] >= 4
    wb = load_workbook(xlsx)
    assert wb.sheetnames[:4] == ["Hướng dẫn", "Thường kỳ", "Chuyên đề", "Điểm danh"]
    assert wb["_khoi"].sheet_state == "veryHidden" and wb.security.lockStructure
    attendance = wb["Điểm danh"]
    assert attendance.protection.sheet and not attendance.cell(4, 7).protection.locked
    assert attendance.cell(4, 4).protection.locked
    assert any("Vắng không lý do" in (v.formula1 or "") for v in attendance.data_validations.dataValidation)
    chi_bo = wb["Thường kỳ"].cell(4, 2).value
    member = next(attendance.cell(r, 4).value for r in range(4, attendance.max_row + 1)
                  if attendance.cell(r, 2).value == chi_bo and attendance.cell(r, 7).value == "Có mặt")
    held = LAST_MONTH + dt.timedelta(days=9)
    _fill_return(xlsx, chi_bo, held, member)

    before = digest(demo)
    code, data = run_json(capsys, "meetings", demo, "import", xlsx, "--dry-run")
    assert code == 0 and data["ok"] and data["errors"] == [] and digest(demo) == before
    # The demo already has this month: the clerk is shown the difference and asked.
    code, data = run_json(capsys, "meetings", demo, "import", xlsx)
    assert code == 2 and data["errors"][0]["code"] == "confirm_replace"
    changes = data["replaces"][f"{chi_bo} thường kỳ"]
    assert f"Điểm danh {member}: có mặt → vắng (Đi công tác Hà Nội)" in changes
    assert "Chủ đề: " in " ".join(changes) and digest(demo) == before
    code, data = run_json(capsys, "meetings", demo, "import", xlsx, "--replace")
    assert code == 0 and data["imported"] == 1
    conn = sqlite3.connect(demo)
    row = conn.execute("SELECT m.held_on, m.topic, m.points, m.rating, a.status, a.reason FROM meetings m "
                       "JOIN organizations o ON o.id = m.org_id JOIN meeting_attendance a ON a.meeting_id = m.id "
                       "JOIN members p ON p.id = a.member_id WHERE o.code = ? AND m.month = ? AND m.kind = "
                       "'thuong_ky' AND p.code = ?", (chi_bo, LAST_MONTH.isoformat(), member)).fetchone()
    audit = conn.execute("SELECT action FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    assert row == (held.isoformat(), "Kiểm điểm nhiệm vụ tháng", 94, "tot", "absent", "Đi công tác Hà Nội")
    assert audit == ("meetings.import",)
    # The same file again changes nothing and asks nothing.
    code, data = run_json(capsys, "meetings", demo, "import", xlsx)
    assert code == 0 and data["imported"] == 0 and f"{chi_bo} thường kỳ" in data["unchanged"]


def test_a_bad_return_names_sheet_row_and_column(capsys: pytest.CaptureFixture[str], demo: Path,
                                                 tmp_path: Path) -> None:
    xlsx = tmp_path / "bao-cao.xlsx"
    assert run(capsys, "meetings", demo, "template", "--org", "CS001", "--month", LAST_MONTH.isoformat()[:7],
               "-o", xlsx)[0] == 0
    wb = load_workbook(xlsx)
    wb["Điểm danh"].cell(5, 7).value = "Đi muộn"
    wb["Điểm danh"].cell(6, 7).value = "Vắng có lý do"
    wb["Thường kỳ"].cell(4, 10).value = 99
    wb["Thường kỳ"].cell(5, 5).value = "31/02/2025"
    wb.save(xlsx)
    before = digest(demo)
    code, data = run_json(capsys, "meetings", demo, "import", xlsx, "--replace")
    assert code == 2 and data["ok"] is False
    where = {(e["sheet"], e["row"], e["column"]) for e in data["errors"]}
    assert {("Điểm danh", 5, "G"), ("Điểm danh", 6, "H"), ("Thường kỳ", 4, "J"), ("Thường kỳ", 5, "E")} <= where
    messages = " ".join(e["message"] for e in data["errors"])
    assert "“Đi muộn” không hợp lệ" in messages and "vắng có lý do: cần ghi lý do" in messages
    assert "không có ngày 31 trong tháng 2/2025" in messages
    assert digest(demo) == before
    code, _out, err = run(capsys, "meetings", demo, "import", xlsx)
    assert code == 2 and "Trang “Điểm danh”, dòng 5, cột G (Thường kỳ)" in err


def test_a_workbook_not_made_by_the_app_is_refused(capsys: pytest.CaptureFixture[str], demo: Path,
                                                   tmp_path: Path) -> None:
    from openpyxl import Workbook

    xlsx = tmp_path / "khac.xlsx"
    Workbook().save(xlsx)
    code, _out, err = run(capsys, "meetings", demo, "import", xlsx)
    assert code == 2 and "không phải báo cáo sinh hoạt chi bộ do phần mềm lập" in err


def test_print_ready_reports(capsys: pytest.CaptureFixture[str], demo: Path, tmp_path: Path) -> None:
    year, month = tmp_path / "nam.xlsx", tmp_path / "thang.xlsx"
    code, data = run_json(capsys, "meetings", demo, "year", "--year", str(LAST_MONTH.year), "-o", year)
    assert code == 0 and data["held"] <= data["expected"] and len(data["by_org"]) == 73
    code, status = run_json(capsys, "meetings", demo, "status", "--month", LAST_MONTH.isoformat()[:7], "-o", month)
    assert code == 0
    ws = load_workbook(year).active
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert f"TỔNG HỢP SINH HOẠT CHI BỘ NĂM {LAST_MONTH.year}" in texts and "Toàn Đảng bộ" in texts
    assert ws.page_setup.orientation == "landscape"
    ws = load_workbook(month).active
    rows = [r for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(rows) == status["expected"]
    assert sorted(r[1] for r in rows if r[4] != "Đã họp" and r[4] != "Đã xếp loại") == status["missing"]


def test_codes_an_older_version_stored_in_lower_case_are_found_by_every_command(
        capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    """Typed codes are read in upper case: «cs02» kept by an older version was «Không có tổ chức đảng mã CS02» for
    meetings (record, status), decisions --issuer and audit --org, though members and requests found it."""
    conn = sqlite3.connect(office)
    conn.execute("UPDATE organizations SET code = lower(code) WHERE code IN ('CS02', 'DB01')")
    conn.commit()
    conn.close()
    code, data = run_json(capsys, "meetings", office, "record", write_json(tmp_path, MEETING))  # «org»: «CS02»
    assert code == 0 and data["ok"] is True, data
    for typed in ("db01", "DB01"):
        code, out, err = run(capsys, "meetings", office, "status", "--month", "2024-03", "--org", typed)
        assert code == 0 and "Chưa báo cáo (2): CB01, CB02." in out, err
    code, data = run_json(capsys, "meetings", office, "year", "--year", "2024", "--org", "CS02")
    assert code == 0, data
    code, data = run_json(capsys, "decisions", office, "--issuer", "db01")
    assert code == 0 and data["decisions"] == [], data
    code, data = run_json(capsys, "audit", office, "--org", "cs02")
    assert code == 0 and any(e["action"].startswith("meeting") for e in data["entries"]), data


def test_a_meeting_written_as_a_clerk_writes_it_is_read(capsys: pytest.CaptureFixture[str], office: Path,
                                                        tmp_path: Path) -> None:
    """«kind»: «Thường kỳ» and «status»: «Có mặt» were refused (only thuong_ky / present as written, unlike request
    values); a chair's code in lower case was «không phải đảng viên của chi bộ»; a date dd/mm/yyyy was told only
    «không đúng dạng YYYY-MM-DD»."""
    labels = {"present": "Có mặt", "absent": "vắng"}
    meeting = {**MEETING, "kind": "Thường kỳ", "chair": "dv-t1",
               "attendance": [{**row, "status": labels[row["status"]]} for row in MEETING["attendance"]]}
    code, data = run_json(capsys, "meetings", office, "record", write_json(tmp_path, meeting))
    assert code == 0 and data["ok"] is True, data
    code, data = run_json(capsys, "meetings", office, "record", write_json(tmp_path, {
        **MEETING, "kind": "họp", "held_on": "05/03/2024", "attendance": [{"member": "DV-T1", "status": "đến"}]}))
    messages = [e["message"] for e in data["errors"]]
    assert code == 2 and "Loại sinh hoạt “họp” không hợp lệ: ghi thuong_ky (thường kỳ) hoặc chuyen_de (chuyên đề)." \
        in messages, messages
    assert any("“05/03/2024” không hợp lệ: ngày ghi dạng YYYY-MM-DD (năm-tháng-ngày), ngày 05/03/2024 thì ghi "
               "2024-03-05" in m for m in messages), messages
    assert any("tình trạng “đến” không hợp lệ: ghi present (có mặt), absent (vắng) hoặc excused" in m
               for m in messages), messages


def test_a_chair_typed_in_lower_case_in_the_return_is_found(capsys: pytest.CaptureFixture[str], demo: Path,
                                                            tmp_path: Path) -> None:
    """«Mã người chủ trì» is a cell the clerk types: «dv000123» was refused (not a member of the chi bộ) while the
    same code in a meeting's JSON or on the command line is found in any case."""
    xlsx = tmp_path / "bao-cao.xlsx"
    month = LAST_MONTH.isoformat()[:7]
    assert run(capsys, "meetings", demo, "template", "--org", "CS001", "--month", month, "-o", xlsx)[0] == 0
    wb = load_workbook(xlsx)
    chi_bo = wb["Thường kỳ"].cell(4, 2).value
    att = wb["Điểm danh"]
    present = [att.cell(r, 4).value for r in range(4, att.max_row + 1)
               if att.cell(r, 2).value == chi_bo and att.cell(r, 7).value == "Có mặt"]
    _fill_return(xlsx, chi_bo, LAST_MONTH + dt.timedelta(days=9), present[0])
    wb = load_workbook(xlsx)
    ws = wb["Thường kỳ"]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value == chi_bo)
    ws.cell(row, 7).value = f" {present[1].lower()} "
    wb.save(xlsx)
    code, data = run_json(capsys, "meetings", demo, "import", xlsx, "--replace")
    assert code == 0 and data["imported"] == 1, data
    conn = sqlite3.connect(demo)
    chair = conn.execute("SELECT p.code FROM meetings m JOIN organizations o ON o.id = m.org_id "
                         "JOIN members p ON p.id = m.chair_id WHERE o.code = ? AND m.month = ? "
                         "AND m.kind = 'thuong_ky'", (chi_bo, LAST_MONTH.isoformat())).fetchone()
    conn.close()
    assert chair == (present[1],)


def test_a_workbook_goes_into_a_new_folder_only_inside_one_that_exists(capsys: pytest.CaptureFixture[str],
                                                                      office: Path, tmp_path: Path) -> None:
    """`meetings template -o D:\\BaoCao\\Thang11\\x.xlsx` failed «Không ghi được tệp …» with «Tệp có đang mở trong
    Excel?» for a month's new folder, and «-o x.xls» wrote a workbook no double-click opens; as `export -o` now."""
    new = tmp_path / "thang-3"
    code, data = run_json(capsys, "meetings", office, "template", "--org", "cs02", "--month", "2024-03",
                          "-o", new / "bao-cao.xls")
    assert code == 2 and data["errors"][0]["code"] == "not_xlsx" and not new.exists()
    code, data = run_json(capsys, "meetings", office, "template", "--org", "cs02", "--month", "2024-03",
                          "-o", new / "bao-cao.xlsx")
    assert code == 0 and data["created_folder"] == str(new) and (new / "bao-cao.xlsx").exists(), data
    code, out, err = run(capsys, "meetings", office, "status", "--month", "2024-03", "-o", tmp_path / "tk" / "s.xlsx")
    assert code == 0 and f"Đã tạo thư mục mới {tmp_path / 'tk'} (trước đó chưa có)" in err
    code, data = run_json(capsys, "meetings", office, "year", "--year", "2024", "-o", tmp_path / "x" / "y" / "n.xlsx")
    assert code == 2 and data["errors"][0]["code"] == "no_directory" and not (tmp_path / "x").exists()


def test_a_return_asked_for_a_chi_bo_names_its_grassroots_organization(capsys: pytest.CaptureFixture[str],
                                                                       demo: Path, tmp_path: Path) -> None:
    """«chi bộ trực thuộc: báo cáo tháng lập cho từng đảng bộ cơ sở» left the clerk to find which; and a month 13
    was said to be «không đúng dạng YYYY-MM» though written in that form."""
    conn = sqlite3.connect(demo)
    chi_bo, parent = conn.execute(
        "SELECT o.code, p.code FROM organizations o JOIN placements pl ON pl.org_id = o.id "
        "JOIN organizations p ON p.id = pl.parent_id WHERE o.kind = 'chi_bo_truc_thuoc' AND p.kind = "
        "'dang_bo_co_so' AND pl.valid_to IS NULL ORDER BY o.code LIMIT 1").fetchone()
    conn.close()
    code, data = run_json(capsys, "meetings", demo, "template", "--org", chi_bo.lower(), "--month",
                          LAST_MONTH.isoformat()[:7], "-o", tmp_path / "x.xlsx")
    message = data["errors"][0]["message"]
    assert code == 2 and data["errors"][0]["code"] == "not_tccsd" and f"(mã {parent}), có cả" in message, message
    code, out, err = run(capsys, "meetings", demo, "status", "--month", "2026-13")
    assert code == 2 and "tháng «2026-13» không có: tháng ghi từ 01 đến 12, ví dụ 2026-03." in err, err
