"""Member lists as offices print them end with a footer: totals, "Danh sách này có …", "Người lập biểu",
a place-and-date line, a signature block with names. None of it is a member; the report says why."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from workbooks import member_sheet, with_footer

from factories import add_org
from khoi_desktop.core.db import Database
from khoi_desktop.core.models import OrgKind
from khoi_desktop.spreadsheets.mapping import propose_mapping
from khoi_desktop.spreadsheets.member_import import ImportOptions, analyze, import_members
from khoi_desktop.spreadsheets.reader import read_table


@pytest.fixture
def office(db: Database) -> Iterator[Database]:
    with db.writing() as s:
        db01 = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        for code, name in (("CB01", "Chi bộ Văn phòng"), ("CB02", "Chi bộ Kế toán"), ("CB03", "Chi bộ Thanh tra")):
            add_org(s, code, name, OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
    yield db


def options() -> ImportOptions:
    return ImportOptions(target_org="DB01", joined_on=dt.date(2025, 5, 1), today=dt.date(2025, 6, 1))


def test_footer_rows_are_recognised_and_never_imported(office: Database, tmp_path: Path) -> None:
    path = with_footer(tmp_path / "ds.xlsx")
    table = read_table(path)
    assert [r.values[1] for r in table.rows] == ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Long",
                                                  "Phạm Thị Thu Hà"]
    with office.reading() as session:
        report = analyze(session, table, propose_mapping(table), options())
    assert report.ok, [p.message for p in report.errors]
    assert len(report.drafts) == 4
    skipped = {r.number: r.reason for r in report.skipped}
    assert skipped == {10: "dòng tổng số", 11: "câu chốt số lượng của danh sách",
                       13: "chữ ký người lập biểu", 14: "khối chữ ký", 15: "khối chữ ký",
                       17: "nằm dưới phần cuối danh sách (từ dòng 11)"}
    assert "bỏ qua 6 dòng không phải đảng viên" in report.summary()
    data = report.as_json(dry_run=True)
    assert {"row": 17, "reason": "nằm dưới phần cuối danh sách (từ dòng 11)",
            "text": "Nguyễn Thị Lập Trần Văn Ký"} in data["skipped"]
    with office.writing() as session:
        done = import_members(session, table, propose_mapping(table), options(), actor="tester")
    assert len(done.imported) == 4


def test_a_signature_block_alone_ends_the_list(office: Database, tmp_path: Path) -> None:
    path = member_sheet(tmp_path / "ds.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws.append(["", "", "", "", "", "", "T/M ĐẢNG ỦY"])
    ws.append(["", "", "", "", "", "", "BÍ THƯ"])
    ws.append(["", "Hoàng Văn Thụ"])
    ws.append(["DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ SỞ TÀI CHÍNH"])
    wb.save(path)
    table = read_table(path)
    assert len(table.rows) == 4
    assert [r.number for r in table.skipped] == [10, 11, 12, 13]


def test_repeated_title_and_header_mid_sheet_are_skipped(office: Database, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from workbooks import HEADER, ROWS

    path = member_sheet(tmp_path / "ds.xlsx", rows=ROWS[:2])
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws.append(["DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ SỞ TÀI CHÍNH (tiếp theo)".upper()])
    ws.merge_cells(f"A{ws.max_row}:I{ws.max_row}")
    ws.append(list(HEADER))
    for number, row in enumerate(ROWS[2:], start=3):
        ws.append([number, *row])
    wb.save(path)
    table = read_table(path)
    assert [r.values[1] for r in table.rows] == [r[0] for r in ROWS]
    assert [(r.number, r.reason) for r in table.skipped] == [(8, "dòng tiêu đề"), (9, "dòng tiêu đề cột lặp lại")]


def test_cli_reports_the_skipped_rows(office: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from khoi_desktop.__main__ import main

    path = with_footer(tmp_path / "ds.xlsx")
    office.close()
    code = main(["import-members", str(office.path), str(path), "--org", "DB01", "--dry-run", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert [r["row"] for r in out["skipped"]] == [10, 11, 13, 14, 15, 17]
    assert out["rows"] == 4
