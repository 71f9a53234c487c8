"""Exports read back with openpyxl: values, frozen header, A4 landscape, header repeated, bold totals."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from factories import add_decision, add_member, add_org
from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import OrgNotFound, ValidationError
from khoi_desktop.core.models import Decision, DecisionStatus, Membership, MoveReason, OrgKind, Sex
from khoi_desktop.spreadsheets.exports import ExportKind, ExportOptions, export

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def office(db: Database) -> Database:
    with db.writing() as s:
        db01 = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        cb11 = add_org(s, "CB11", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cs01 = add_org(s, "CS01", "Chi bộ Ban Dân tộc", OrgKind.CHI_BO_CO_SO)
        add_member(s, "Nguyễn Văn An", cb11, code="DV000001", birth_date=dt.date(1980, 3, 5),
                   admitted_on=dt.date(2010, 5, 19), national_id="001080000001", job_title="Chuyên viên")
        add_member(s, "Trần Thị Bích", cb11, code="DV000002", sex=Sex.NU, admitted_on=dt.date(2025, 1, 10),
                   probationary=True)
        add_member(s, "Lê Văn Cường", cs01, code="DV000003")
        newcomer = add_member(s, "Phạm Văn Dũng", None, code="DV000004")
        s.add(Membership(member_id=newcomer.id, org_id=cs01.id, valid_from=dt.date(2025, 3, 1),
                         start_reason=MoveReason.CHUYEN_DEN.value))
        decision = add_decision(s, 7, "về việc thành lập Chi bộ Văn phòng", issued_on=dt.date(2025, 2, 3))
        decision.signer = "Nguyễn Văn Hùng"
        decision.content = json.dumps({"recipients": ["Như Điều 3", "Lưu VP"]}, ensure_ascii=False)
        draft = add_decision(s, 8, "bản nháp", issued_on=dt.date(2025, 2, 4))
        draft.status = DecisionStatus.DRAFT
        s.flush()
        assert s.get(Decision, decision.id) is not None
    return db


def run(db: Database, kind: ExportKind, tmp_path: Path, **options: object) -> Worksheet:
    path = tmp_path / f"{kind.value}.xlsx"
    with db.reading() as session:
        result = export(session, kind, path, ExportOptions(today=TODAY, **options))  # type: ignore[arg-type]
    assert result.path == path
    ws = load_workbook(path).active
    assert ws is not None
    return ws


def find(ws: Worksheet, text: str) -> tuple[int, int]:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not in sheet")


def row_values(ws: Worksheet, row: int) -> list[object]:
    return [c.value for c in ws[row]]


def assert_print_layout(ws: Worksheet, header_row: int) -> None:
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.freeze_panes is not None and int(ws.freeze_panes.lstrip("ABCDEFGHIJ")) > header_row
    assert ws.print_title_rows and str(header_row) in ws.print_title_rows
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH THÁI NGUYÊN"
    assert any(c.value == "Thái Nguyên, ngày 01 tháng 06 năm 2025" for c in ws[2])


def test_members_export(office: Database, tmp_path: Path) -> None:
    ws = run(office, ExportKind.MEMBERS, tmp_path, as_of=TODAY)
    header_row, _ = find(ws, "Họ và tên")
    assert_print_layout(ws, header_row)
    assert ws.freeze_panes == f"D{header_row + 1}"
    assert ws[header_row][0].font.b
    first = row_values(ws, header_row + 1)
    assert first[:8] == [1, "DV000001", "Nguyễn Văn An", "Nam", dt.datetime(1980, 3, 5), dt.datetime(2010, 5, 19),
                         dt.datetime(2011, 5, 19), "Chính thức"]
    assert first[9:] == ["001080000001", "Chuyên viên", "Chi bộ Văn phòng", "Đảng bộ Sở Tài chính"]
    assert ws.cell(header_row + 1, 5).number_format == "DD/MM/YYYY"
    second = row_values(ws, header_row + 2)
    assert second[2] == "Trần Thị Bích" and second[7] == "Dự bị"
    total_row = header_row + 5
    assert ws.cell(total_row, 3).value == "Tổng số: 4 đảng viên (dự bị: 1; nữ: 1)"
    assert ws.cell(total_row, 3).font.b


def test_members_of_one_organization_and_as_of(office: Database, tmp_path: Path) -> None:
    ws = run(office, ExportKind.MEMBERS, tmp_path, as_of=dt.date(2025, 1, 1), org="CS01")
    header_row, _ = find(ws, "Họ và tên")
    assert ws.cell(header_row + 1, 3).value == "Lê Văn Cường"
    assert ws.cell(header_row + 2, 3).value == "Tổng số: 1 đảng viên (dự bị: 0; nữ: 0)"
    with pytest.raises(OrgNotFound, match="XX"), office.reading() as s:
        export(s, ExportKind.MEMBERS, tmp_path / "x.xlsx", ExportOptions(org="XX"))


def test_organizations_export(office: Database, tmp_path: Path) -> None:
    ws = run(office, ExportKind.ORGANIZATIONS, tmp_path, as_of=TODAY)
    header_row, _ = find(ws, "Tên tổ chức đảng")
    assert_print_layout(ws, header_row)
    rows = [row_values(ws, r) for r in range(header_row + 1, header_row + 5)]
    assert [r[1] for r in rows[:3]] == ["DB01", "CB11", "CS01"]
    assert rows[0][6:] == [2, 1, 1] and rows[1][4] == "Đảng bộ Sở Tài chính"
    assert ws.cell(header_row + 2, 3).alignment.indent == 2
    assert rows[3][2] == "Tổng cộng: 2 tổ chức cơ sở đảng" and rows[3][6:] == [4, 3, 1]
    assert ws.cell(header_row + 4, 7).font.b and ws.cell(header_row + 4, 7).alignment.horizontal == "right"


def test_register_lists_issued_decisions_with_recipients(office: Database, tmp_path: Path) -> None:
    ws = run(office, ExportKind.REGISTER, tmp_path, start=dt.date(2025, 1, 1), end=TODAY)
    header_row, _ = find(ws, "Trích yếu nội dung")
    assert_print_layout(ws, header_row)
    first = row_values(ws, header_row + 1)
    assert first[:7] == [1, "07-QĐ/ĐUK", dt.datetime(2025, 2, 3), "QĐ", "về việc thành lập Chi bộ Văn phòng",
                         "Nguyễn Văn Hùng", "- Như Điều 3\n- Lưu VP"]
    assert ws.cell(header_row + 2, 5).value == "Tổng số: 1 văn bản"  # the draft is not in the register
    assert find(ws, "Từ ngày 01/01/2025 đến ngày 01/06/2025")


def test_bieu1_export(office: Database, tmp_path: Path) -> None:
    ws = run(office, ExportKind.BIEU1, tmp_path, start=dt.date(2025, 1, 1), end=TODAY)
    top, _ = find(ws, "Tổ chức cơ sở đảng")
    assert find(ws, "Tăng")[0] == top and find(ws, "Kết nạp")[0] == top + 1  # a two-row header
    assert_print_layout(ws, top + 1)
    assert ws.freeze_panes == f"C{top + 2}"
    labels = row_values(ws, top + 1)
    values = {r: row_values(ws, r) for r in range(top + 2, top + 5)}
    cs01 = next(v for v in values.values() if v[1] == "Chi bộ Ban Dân tộc")
    assert cs01[2] == 1 and cs01[labels.index("Chuyển đến")] == 1 and cs01[-2] == 2
    total = next(r for r, v in values.items() if v[1] == "Tổng cộng")
    assert ws.cell(total, 2).font.b and ws.cell(total, 3).font.b
    assert values[total][2] == 3 and values[total][-2] == 4  # opening 3 (+1 chuyển đến) -> closing 4
    assert find(ws, "BIỂU 1: TĂNG, GIẢM ĐẢNG VIÊN")


def test_bieu5_export(office: Database, tmp_path: Path) -> None:
    ws = run(office, ExportKind.BIEU5, tmp_path, as_of=TODAY)
    header_row, _ = find(ws, "Loại tổ chức")
    assert_print_layout(ws, header_row + 1)
    rows = {row_values(ws, r)[1]: row_values(ws, r) for r in range(header_row + 2, header_row + 7)}
    assert rows["Đảng bộ cơ sở"][2:] == [1, 2, 1, 1]
    assert rows["Trong đó: chi bộ trực thuộc"][2:] == [1, 2, 1, 1]
    assert rows["Chi bộ cơ sở"][2:] == [1, 2, 0, 0]
    total_row = header_row + 6
    assert row_values(ws, total_row)[1:] == ["Tổng cộng (tổ chức cơ sở đảng)", 2, 4, 1, 1]
    assert all(ws.cell(total_row, c).font.b for c in range(2, 7))


def test_bad_period_and_unwritable_path(office: Database, tmp_path: Path) -> None:
    with office.reading() as s:
        with pytest.raises(ValidationError, match="sau ngày kết thúc"):
            export(s, ExportKind.BIEU1, tmp_path / "b.xlsx", ExportOptions(start=TODAY, end=dt.date(2025, 1, 1)))
        with pytest.raises(ValidationError, match="Không ghi được"):
            export(s, ExportKind.BIEU5, tmp_path / "no-such-dir" / "b.xlsx", ExportOptions())
