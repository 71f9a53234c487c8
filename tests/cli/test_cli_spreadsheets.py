"""import-members and export on the command line: exit codes, JSON answers, nothing changed on refusal."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from factories import add_member, add_org
from khoi_desktop.__main__ import main
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import OrgKind

sys.path.insert(0, str(Path(__file__).parents[1] / "spreadsheets"))
from workbooks import ROWS, member_sheet  # noqa: E402


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        db01 = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        for code, name in (("CB01", "Chi bộ Văn phòng"), ("CB02", "Chi bộ Kế toán"), ("CB03", "Chi bộ Thanh tra")):
            add_org(s, code, name, OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        add_member(s, "Hoàng Văn Cũ", None, code="DV000007", national_id="001099000077")
    db.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, *argv, "--json")
    return code, json.loads(out)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_then_import(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[0][5] = "001080000011"
    xlsx = member_sheet(tmp_path / "ds.xlsx", rows, legacy_column=1)
    code, data = run_json(capsys, "import-members", office, xlsx, "--org", "DB01", "--dry-run")
    assert code == 0
    assert {"ok", "imported", "errors", "duplicates"} <= set(data)
    assert (data["ok"], data["imported"], data["rows"], data["errors"], data["duplicates"]) == (True, 0, 4, [], [])
    assert data["mapping"]["B"] == {"header": "Họ và tên", "field": "full_name", "encoding": "tcvn3"}
    code, data = run_json(capsys, "import-members", office, xlsx, "--org", "DB01", "--joined-on", "2025-01-01")
    assert (code, data["ok"], data["imported"]) == (0, True, 4)
    assert data["members"] == ["DV000008", "DV000009", "DV000010", "DV000011"]
    code, data = run_json(capsys, "members", office, "--org", "CB02")
    assert [m["full_name"] for m in data["members"]] == ["Trần Thị Bích"]
    # The same file again: every row is now a duplicate, nothing imported, exit 2.
    before = digest(office)
    code, data = run_json(capsys, "import-members", office, xlsx, "--org", "DB01")
    assert (code, data["ok"], data["imported"]) == (2, False, 0)
    assert {d["kind"] for d in data["duplicates"]} == {"national_id", "card_number", "name_birth"}
    assert digest(office) == before


def test_errors_report_excel_rows_and_columns(capsys: pytest.CaptureFixture[str], office: Path,
                                              tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][2] = "30/02/2001"
    rows[3][5] = "001099000077"  # CCCD of DV000007
    xlsx = member_sheet(tmp_path / "loi.xlsx", rows)
    before = digest(office)
    for extra in ([], ["--dry-run"]):
        code, data = run_json(capsys, "import-members", office, xlsx, "--org", "DB01", *extra)
        assert code == 2 and data["ok"] is False and data["imported"] == 0
        assert [(e["row"], e["column"]) for e in data["errors"]] == [(8, "D")]
        assert "không có ngày 30 trong tháng 2/2001" in data["errors"][0]["message"]
        assert set(data["errors"][0]) >= {"row", "column", "message"}
        assert [(d["row"], d["kind"], d["member"]) for d in data["duplicates"]] == [(9, "national_id", "DV000007")]
    assert digest(office) == before
    code, out, err = run(capsys, "import-members", office, xlsx, "--org", "DB01")
    assert code == 2 and out == ""
    assert "Dòng 8, cột D: Ngày vào Đảng:" in err and "mã DV000007" in err


def test_chi_bo_column_without_org(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    xlsx = member_sheet(tmp_path / "ds.xlsx")
    code, out, err = run(capsys, "import-members", office, xlsx, "--dry-run")
    assert code == 0 and err == ""
    assert "có thể nhập 4 đảng viên" in out and "Chạy thử" in out


def test_import_refusals(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    xlsx = member_sheet(tmp_path / "ds.xlsx")
    code, data = run_json(capsys, "import-members", office, xlsx, "--org", "XX")
    assert code == 2 and data["errors"][0]["code"] == "org_not_found"
    code, out, err = run(capsys, "import-members", office, tmp_path / "khong-co.xlsx")
    assert code == 2 and "Không tìm thấy tệp" in err
    code, out, err = run(capsys, "import-members", tmp_path / "none.db", xlsx)
    assert code == 2 and "cơ sở dữ liệu" in err


@pytest.mark.parametrize("name", ["ds.csv", "ds.db", "ds"])
@pytest.mark.parametrize("argv", [("import-members", "{office}", "{file}", "--org", "CB01"),
                                  ("meetings", "{office}", "import", "{file}")])
def test_a_file_named_other_than_xlsx_is_a_bad_file_not_a_fault(capsys: pytest.CaptureFixture[str], office: Path,
                                                                 tmp_path: Path, name: str,
                                                                 argv: tuple[str, ...]) -> None:
    """openpyxl refuses such a name in English (InvalidFileException): exit 2 in Vietnamese, not a fault (1)."""
    path = tmp_path / name
    path.write_text("Họ và tên;Ngày sinh\n", encoding="utf-8")
    before = digest(office)
    code, out, err = run(capsys, *(a.format(office=office, file=path) for a in argv))
    assert (code, out) == (2, "")
    assert err.strip() == (f"Không đọc được {name} như một tệp Excel (.xlsx): tệp bị hỏng hoặc không phải bảng tính "
                           "Excel.")
    assert digest(office) == before


@pytest.mark.parametrize("kind", ["members", "organizations", "register", "bieu1", "bieu5"])
def test_export_each_kind(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path, kind: str) -> None:
    out_path = tmp_path / f"{kind}.xlsx"
    code, data = run_json(capsys, "export", office, kind, "-o", out_path, "--as-of", "2025-01-01",
                          "--from", "2024-01-01", "--to", "2024-12-31")
    assert code == 0 and data["ok"] and data["kind"] == kind and Path(data["path"]) == out_path
    ws = load_workbook(out_path).active
    assert ws is not None and ws.page_setup.orientation == "landscape"


def test_export_text_and_refusals(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "ds.xlsx"
    code, out, err = run(capsys, "export", office, "members", "-o", out_path, "--org", "DB01")
    assert code == 0 and out.startswith("Đã xuất danh sách đảng viên (tính đến")
    code, out, err = run(capsys, "export", office, "bieu9", "-o", out_path)
    assert code == 2 and "bieu9" in err
    code, out, err = run(capsys, "export", office, "bieu1", "-o", out_path, "--from", "2025-01-01",
                         "--to", "2024-01-01")
    assert code == 2 and "sau ngày kết thúc" in err and "hãy chọn ngày bắt đầu không sau ngày kết thúc" in err
    # Only --from, in the future: the end it is compared with is today's, which the clerk never wrote.
    later = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    code, out, err = run(capsys, "export", office, "bieu1", "-o", out_path, "--from", later)
    assert code == 2 and "(không ghi ngày kết thúc thì là hôm nay)" in err, err
    code, out, err = run(capsys, "export", office, "members")
    assert code == 2 and "-o" in err
    for name in ("ds.csv", "ds", "ds.xls"):  # «-o ds.csv» wrote a workbook's bytes under a CSV name
        code, out, err = run(capsys, "export", office, "members", "-o", tmp_path / name)
        assert code == 2 and f"«{name}» phải có đuôi .xlsx" in err and "ví dụ ds.xlsx" in err, err
        assert not (tmp_path / name).exists()
    code, out, err = run(capsys, "export", office, "members", "-o", tmp_path / "DS.XLSX")
    assert code == 0 and (tmp_path / "DS.XLSX").exists()
    assert dt.date.today()  # keep the import used for clarity of dates above


def test_export_makes_a_new_folder_only_inside_one_that_exists_and_says_so(
        capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    """As `backup --to`: a missing folder's folder (USB stick out, a typo) is refused no_directory, nothing made;
    a new folder inside an existing one is made and said on stderr (it said «Không ghi được … Tệp có đang mở trong
    Excel?» for both)."""
    for typo in (tmp_path / "Xuatt" / "2026" / "ds.xlsx", tmp_path / "khong-co" / "a" / "ds.xlsx"):
        code, out, err = run(capsys, "export", office, "members", "-o", typo)
        assert (code, out) == (2, "") and f"Không có thư mục {typo.parent.parent} để tạo thư mục" in err, err
        assert "Excel" not in err and not typo.parent.parent.exists()
        code, data = run_json(capsys, "export", office, "members", "-o", typo)
        assert code == 2 and data["errors"][0]["code"] == "no_directory"
    code, out, err = run(capsys, "export", office, "members", "-o", tmp_path / "Thang12" / "ds.xlsx")
    assert code == 0 and (tmp_path / "Thang12" / "ds.xlsx").is_file() and out.startswith("Đã xuất")
    assert err == f"Đã tạo thư mục mới {tmp_path / 'Thang12'} (trước đó chưa có) để chứa bảng tính.\n"
    code, data = run_json(capsys, "export", office, "members", "-o", tmp_path / "Thang12" / "ds2.xlsx")
    assert code == 0 and data["created_folder"] is None
    code, data = run_json(capsys, "export", office, "members", "-o", tmp_path / "Moi" / "ds.xlsx", "--org", "KHONGCO")
    assert code == 2 and not (tmp_path / "Moi").exists()  # a refused export leaves no empty folder


def test_export_kind_in_any_case_or_as_its_label(capsys: pytest.CaptureFixture[str], office: Path,
                                                 tmp_path: Path) -> None:
    for typed, kind in (("Members", "members"), ("BIEU5", "bieu5"), ("Biểu 1", "bieu1"),
                        ("Danh sách đảng viên", "members")):
        code, data = run_json(capsys, "export", office, typed, "-o", tmp_path / "x.xlsx")
        assert code == 0 and data["kind"] == kind, data
    code, out, err = run(capsys, "export", office, "thành viên", "-o", tmp_path / "x.xlsx")
    assert code == 2 and "Tham số LOẠI: không có lựa chọn «thành viên»" in err and "«bieu1»" in err
