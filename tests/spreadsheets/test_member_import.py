"""Member import: dry-run report per row and column, duplicates, all or nothing, audit, codes, reasons."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from workbooks import ROWS, member_sheet

from factories import add_member, add_org
from khoi_desktop.core.audit import DATA_CHANGE
from khoi_desktop.core.db import Database
from khoi_desktop.core.encodings import Encoding
from khoi_desktop.core.errors import OrgNotFound, ValidationError
from khoi_desktop.core.member_entry import next_member_codes
from khoi_desktop.core.models import AuditEntry, Member, Membership, MoveReason, OrgKind, Sex
from khoi_desktop.spreadsheets.mapping import propose_mapping
from khoi_desktop.spreadsheets.member_import import (
    ImportCancelled,
    ImportOptions,
    ImportRefused,
    analyze,
    import_members,
)
from khoi_desktop.spreadsheets.reader import read_table

TODAY = dt.date(2025, 6, 1)
JOINED = dt.date(2025, 5, 1)


@pytest.fixture
def office(db: Database) -> Iterator[Database]:
    """DB01 with CB01 Văn phòng, CB02 Kế toán, CB03 Thanh tra; DB02 has another 'Chi bộ Văn phòng'."""
    with db.writing() as s:
        db01 = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        cb01 = add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        add_org(s, "CB02", "Chi bộ Kế toán", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        add_org(s, "CB03", "Chi bộ Thanh tra", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        db02 = add_org(s, "DB02", "Đảng bộ Sở Y tế", OrgKind.DANG_BO_CO_SO)
        add_org(s, "CB21", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=db02)
        add_member(s, "Hoàng Văn Cũ", cb01, code="DV000041", national_id="001070000099", card_number="09999999",
                   birth_date=dt.date(1970, 1, 1))
    yield db


def options(**kwargs: object) -> ImportOptions:
    base: dict[str, object] = {"target_org": "DB01", "joined_on": JOINED, "today": TODAY}
    base.update(kwargs)
    return ImportOptions(**base)  # type: ignore[arg-type]


def dry_run(db: Database, path: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    table = read_table(path)
    with db.reading() as session:
        return analyze(session, table, propose_mapping(table), options(**kwargs))


def do_import(db: Database, path: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    table = read_table(path)
    with db.writing() as session:
        return import_members(session, table, propose_mapping(table), options(**kwargs), actor="tester")


def counts(db: Database) -> tuple[int, int, int]:
    """Members, memberships, and audit entries of the import (the fixture's rows have one of their own)."""
    with db.reading() as s:
        return (s.scalar(select(func.count()).select_from(Member)) or 0,
                s.scalar(select(func.count()).select_from(Membership)) or 0,
                s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action != DATA_CHANGE)) or 0)


def test_clean_file_imports_every_member(office: Database, tmp_path: Path) -> None:
    path = member_sheet(tmp_path / "ds.xlsx", legacy_column=1, nfd_column=7)
    report = dry_run(office, path)
    assert report.ok, (report.errors, report.duplicates)
    assert report.rows_read == 4 and len(report.drafts) == 4
    assert counts(office) == (1, 1, 0)
    report = do_import(office, path)
    assert report.imported == ["DV000042", "DV000043", "DV000044", "DV000045"]
    assert counts(office) == (5, 5, 1)
    with office.reading() as s:
        members = {m.code: m for m in s.scalars(select(Member))}
        an = members["DV000042"]
        assert (an.family_name, an.middle_name, an.given_name) == ("Nguyễn", "Văn", "An")  # from TCVN3
        assert an.birth_date == dt.date(1980, 3, 5) and an.admitted_on == dt.date(2010, 5, 19)
        assert an.national_id == "001080000001" and an.card_number == "01234567"
        assert an.job_title == "Chuyên viên"  # NFD made NFC
        assert an.sex is Sex.NAM and members["DV000043"].sex is Sex.NU  # "Thị"
        long = members["DV000044"]
        assert long.national_id == "001078000003"  # the zero Excel dropped is back
        assert long.birth_date == dt.date(1978, 11, 12)
        assert members["DV000045"].full_member_on is None  # still probationary
        orgs = {m.member.code: (m.org.code, m.valid_from, m.start_reason) for m in s.scalars(select(Membership))}
        assert orgs["DV000042"] == ("CB01", JOINED, MoveReason.DANH_SACH.value)
        assert orgs["DV000043"][0] == "CB02" and orgs["DV000044"][0] == "CB03"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action != DATA_CHANGE)).one()
        assert entry.action == "import_members" and entry.actor == "tester"
        assert json.loads(entry.after or "{}")["count"] == 4


def test_admission_on_the_joining_day_is_ket_nap(office: Database, tmp_path: Path) -> None:
    rows = [["Đỗ Quang Vinh", "01/01/1995", "01/05/2025", None, None, None, "Chuyên viên", "CB01"]]
    do_import(office, member_sheet(tmp_path / "kn.xlsx", rows))
    with office.reading() as s:
        membership = s.scalars(select(Membership).order_by(Membership.id.desc())).first()
        assert membership is not None and membership.start_reason == MoveReason.KET_NAP.value


def test_one_bad_row_imports_nothing_and_reports_excel_rows(office: Database, tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][1] = "31/02/1985"  # row 7 in Excel, column C
    rows[2][5] = "12345"  # row 8, column G
    rows[3][7] = "Chi bộ Không Có"  # row 9, column I
    path = member_sheet(tmp_path / "loi.xlsx", rows)
    report = dry_run(office, path)
    assert not report.ok
    assert [(p.row, p.column) for p in report.errors] == [(7, "C"), (8, "G"), (9, "I")]
    assert "không có ngày 31 trong tháng 2/1985" in report.errors[0].message
    assert report.errors[0].message.startswith("Ngày sinh:")
    assert "12 chữ số" in report.errors[1].message
    assert "không tìm thấy chi bộ" in report.errors[2].message
    before = counts(office)
    with pytest.raises(ImportRefused) as refused:
        do_import(office, path)
    assert refused.value.report.errors == report.errors
    assert counts(office) == before


@pytest.mark.parametrize(("column", "value", "words"), [
    (2, "01/01/1920", "trước ngày thành lập Đảng"),
    (2, "01/01/1975", "không sau ngày sinh"),
    (3, "01/01/2009", "trước ngày vào Đảng"),
    (1, "01/01/2030", "tương lai"),
    (0, "Nguyễn 2", "chữ số"),
    (0, "An", "cần đủ họ và tên"),
    (0, None, "thiếu họ và tên"),
])
def test_row_checks(office: Database, tmp_path: Path, column: int, value: object, words: str) -> None:
    rows = [list(ROWS[0])]
    rows[0][column] = value
    report = dry_run(office, member_sheet(tmp_path / "c.xlsx", rows))
    assert any(words in p.message and p.row == 6 for p in report.errors), report.errors


def test_warnings_do_not_block(office: Database, tmp_path: Path) -> None:
    rows = [list(ROWS[0])]
    rows[0][3] = "01/12/2010"  # full member after 6 months
    rows[0][5] = "123456789"  # old 9-digit CMND
    report = dry_run(office, member_sheet(tmp_path / "w.xlsx", rows))
    assert report.ok
    assert {p.column for p in report.warnings} == {"E", "G"}


def test_duplicates_in_file_and_database(office: Database, tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][5] = rows[0][5]  # same CCCD as row 6
    rows[2][4] = "09999999"  # card of DV000041 already in the database
    rows.append(["Nguyễn Văn An", "05/03/1980", "01/01/2012", None, None, None, "", "CB01"])  # same name + birth
    report = dry_run(office, member_sheet(tmp_path / "d.xlsx", rows))
    found = {(d.row, d.kind, d.other_row, d.member) for d in report.duplicates}
    assert found == {(7, "national_id", 6, None), (8, "card_number", None, "DV000041"),
                     (10, "name_birth", 6, None)}
    assert not report.ok and not report.errors
    assert "trùng số CCCD với dòng 6" in report.duplicates[0].message
    # Same name and birth date may be two people: the clerk may accept that, never a shared CCCD.
    report = dry_run(office, member_sheet(tmp_path / "d2.xlsx", [ROWS[0], rows[-1]]), accept_name_duplicates=True)
    assert report.ok and report.duplicates and not report.duplicates[0].blocking


def test_name_and_birth_duplicate_of_database_member(office: Database, tmp_path: Path) -> None:
    rows = [["HOÀNG VĂN CŨ", "01/01/1970", "01/01/1995", None, None, None, "", "CB01"]]
    report = dry_run(office, member_sheet(tmp_path / "db.xlsx", rows))
    assert [(d.kind, d.member) for d in report.duplicates] == [("name_birth", "DV000041")]


def test_org_column_is_resolved_within_the_chosen_dang_bo(office: Database, tmp_path: Path) -> None:
    rows = [list(ROWS[0])]
    path = member_sheet(tmp_path / "o.xlsx", rows)
    assert dry_run(office, path, target_org="DB01").ok
    ambiguous = dry_run(office, path, target_org=None)
    assert "trùng tên nhiều tổ chức" in ambiguous.errors[0].message and "CB21" in ambiguous.errors[0].message
    rows[0][7] = "DB02"
    report = dry_run(office, member_sheet(tmp_path / "o2.xlsx", rows), target_org=None)
    assert "không phải chi bộ" in report.errors[0].message


def test_chosen_chi_bo_takes_every_row(office: Database, tmp_path: Path) -> None:
    report = dry_run(office, member_sheet(tmp_path / "cb.xlsx"), target_org="CB03")
    assert report.ok and {d.org.code for d in report.drafts} == {"CB03"}
    assert report.notes and "CB03" not in report.notes[0] and "Chi bộ Thanh tra" in report.notes[0]
    with pytest.raises(OrgNotFound, match="Không có tổ chức đảng mã XX"):
        dry_run(office, member_sheet(tmp_path / "x.xlsx"), target_org="XX")


def test_without_org_column_a_target_is_needed(office: Database, tmp_path: Path) -> None:
    header = ["STT", "Họ và tên", "Ngày sinh"]
    path = member_sheet(tmp_path / "n.xlsx", [["Nguyễn Văn An", "05/03/1980"]], header=header)
    with pytest.raises(ValidationError, match="Hãy chọn chi bộ"):
        dry_run(office, path, target_org=None)
    with pytest.raises(ValidationError, match="Đảng bộ Sở Tài chính không phải chi bộ: tệp cần có cột “Chi bộ”"):
        dry_run(office, path, target_org="DB01")  # a đảng bộ was given: saying "choose one" would mislead
    assert dry_run(office, path, target_org="CB01").ok


def test_vni_names_and_uppercase_names_are_normalized(office: Database, tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[0][0] = "NGUYỄN VĂN AN"
    path = member_sheet(tmp_path / "v.xlsx", rows[1:], legacy_column=1, legacy=Encoding.VNI)
    report = dry_run(office, path)
    assert [d.full_name for d in report.drafts] == ["Trần Thị Bích", "Lê Hoàng Long", "Phạm Thị Thu Hà"]
    report = dry_run(office, member_sheet(tmp_path / "u.xlsx", rows[:1]))
    assert report.drafts[0].full_name == "Nguyễn Văn An"


def test_cancel_before_commit_leaves_nothing(office: Database, tmp_path: Path) -> None:
    path = member_sheet(tmp_path / "huy.xlsx")
    table = read_table(path)
    before = counts(office)
    calls: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled), office.writing() as session:
        import_members(session, table, propose_mapping(table), options(), actor="t",
                       progress=lambda done, total: calls.append((done, total)), cancelled=lambda: len(calls) > 0)
    assert counts(office) == before


def test_member_codes_continue_the_sequence(db: Database) -> None:
    with db.writing() as s:
        assert next_member_codes(s, 2) == ["DV000001", "DV000002"]
        add_member(s, "Nguyễn Văn An", code="DV0123")
        add_member(s, "Nguyễn Văn Bình", code="X-1")
        assert next_member_codes(s, 1) == ["DV0124"]


def test_section_rows_name_the_chi_bo(office: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng"])
    ws.append(["I. Chi bộ Văn phòng"])
    ws.merge_cells("A2:D2")
    ws.append([1, "Nguyễn Văn An", "05/03/1980", "19/05/2010"])
    ws.append(["II. Chi bộ Kế toán"])
    ws.merge_cells("A4:D4")
    ws.append([1, "Trần Thị Bích", "07/08/1985", "03/02/2012"])
    ws.append(["Tổng cộng: 2 đảng viên"])
    path = tmp_path / "muc.xlsx"
    wb.save(path)
    report = dry_run(office, path)
    assert report.ok, report.errors
    assert [(d.row, d.org.code) for d in report.drafts] == [(3, "CB01"), (5, "CB02")]
