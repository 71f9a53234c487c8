"""Reading office spreadsheets: header below titles, two-row headers, numbering rows, sections, mapping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font
from workbooks import HEADER, member_sheet

from khoi_desktop.core.encodings import Encoding
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.spreadsheets.dates import DateProblem, parse_cell_date, two_digit_year
from khoi_desktop.spreadsheets.mapping import propose_mapping, read_header
from khoi_desktop.spreadsheets.reader import read_table


@pytest.mark.parametrize(("value", "expected"), [
    ("05/03/1980", dt.date(1980, 3, 5)), ("5/3/80", dt.date(1980, 3, 5)), ("05.03.1980", dt.date(1980, 3, 5)),
    ("05-03-1980", dt.date(1980, 3, 5)), ("1980-03-05", dt.date(1980, 3, 5)), (" 5 / 3 / 1980 ", dt.date(1980, 3, 5)),
    ("ngày 05 tháng 03 năm 1980", dt.date(1980, 3, 5)), ("05/03/1980 00:00:00", dt.date(1980, 3, 5)),
    (29285, dt.date(1980, 3, 5)), (29285.0, dt.date(1980, 3, 5)), (dt.datetime(1980, 3, 5, 0, 0), dt.date(1980, 3, 5)),
    (dt.date(1980, 3, 5), dt.date(1980, 3, 5)), ("3/1/20", dt.date(2020, 1, 3)), (None, None), ("  ", None),
])
def test_dates_in_the_shapes_offices_type(value: object, expected: dt.date | None) -> None:
    assert parse_cell_date(value, today=dt.date(2025, 6, 1)) == expected


@pytest.mark.parametrize(("value", "words"), [
    ("31/02/1980", "không có ngày 31"), ("13/13/1980", "tháng 13"), ("1980", "chỉ có năm"), ("3/1980", "thiếu ngày"),
    ("không rõ", "không phải ngày tháng"),
])
def test_bad_dates_say_why(value: str, words: str) -> None:
    with pytest.raises(DateProblem, match=words):
        parse_cell_date(value)


def test_two_digit_years_pivot_on_this_year() -> None:
    today = dt.date(2025, 6, 1)
    assert (two_digit_year(25, today), two_digit_year(26, today), two_digit_year(75, today)) == (2025, 1926, 1975)


@pytest.mark.parametrize(("header", "field"), [
    ("Họ và tên", "full_name"), ("HỌ VÀ TÊN", "full_name"), ("Họ tên", "full_name"),
    ("Họ và tên khai sinh", "full_name"),
    ("Ngày sinh", "birth_date"), ("Ngày, tháng, năm sinh", "birth_date"), ("Ngày vào Đảng", "admitted_on"),
    ("Ngày kết nạp", "admitted_on"), ("Ngày chính thức", "full_member_on"),
    ("Ngày vào Đảng chính thức", "full_member_on"), ("Số thẻ", "card_number"), ("Số thẻ đảng viên", "card_number"),
    ("CCCD", "national_id"), ("Số CMND/CCCD", "national_id"), ("Chức vụ", "job_title"), ("Chi bộ", "org"),
    ("Đơn vị công tác", "agency"), ("Trình độ LLCT", "theory_level"), ("Quê quán", "hometown"),
    ("Hä vµ tªn", "full_name"), ("Ngaøy sinh", "birth_date"), ("STT", None), ("Ghi chú", None),
    ("Ngày tháng năm sinh Nữ", "birth_date_female"), ("Năm sinh Nam", "birth_date_male"),
])
def test_header_synonyms(header: str, field: str | None) -> None:
    assert read_header(header)[1] == field


def test_reads_header_below_merged_titles_and_skips_numbering(tmp_path: Path) -> None:
    table = read_table(member_sheet(tmp_path / "ds.xlsx"))
    assert table.header_rows == (4, 4)
    assert table.titles[1] == "DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ SỞ TÀI CHÍNH"
    assert [c.header for c in table.columns] == HEADER
    assert [r.number for r in table.rows] == [6, 7, 8, 9]  # the row numbers Excel shows
    assert table.rows[0].values[1] == "Nguyễn Văn An"


def test_mapping_detects_tcvn3_and_nfd_columns(tmp_path: Path) -> None:
    path = member_sheet(tmp_path / "ds.xlsx", legacy_column=1, nfd_column=7)
    table = read_table(path)
    assert table.rows[0].values[1] == "NguyÔn V¨n An"
    mapping = propose_mapping(table)
    fields = {c.letter: c.field for c in mapping.columns}
    assert fields == {"A": None, "B": "full_name", "C": "birth_date", "D": "admitted_on", "E": "full_member_on",
                      "F": "card_number", "G": "national_id", "H": "job_title", "I": "org"}
    name = mapping.for_field("full_name")
    assert name is not None and name.encoding is Encoding.TCVN3
    assert name.preview[0] == ("NguyÔn V¨n An", "Nguyễn Văn An")
    job = mapping.for_field("job_title")
    assert job is not None and job.encoding is Encoding.UNICODE
    assert job.detection.decode(table.rows[0].values[7]) == "Chuyên viên" != table.rows[0].values[7]
    assert mapping.problems() == []


def test_mapping_can_be_changed_and_checked() -> None:
    from khoi_desktop.core.encodings.detect import detect
    from khoi_desktop.spreadsheets.mapping import ColumnMapping, Mapping

    mapping = Mapping([ColumnMapping(0, "A", "Tên", "given_name", detect([])),
                       ColumnMapping(1, "B", "Họ và tên", "full_name", detect([]))])
    assert any("Họ và tên" in p for p in mapping.problems())
    with pytest.raises(ValidationError):
        mapping.confirm()
    mapping.set_field(0, None)
    mapping.set_encoding(1, Encoding.VNI)
    mapping.confirm()
    assert mapping.confirmed and mapping.column(1).encoding is Encoding.VNI
    mapping.set_field(1, None)
    assert mapping.problems() == ["Chưa có cột “Họ và tên” (hoặc cột “Tên”)."]


def test_two_row_header_with_sex_columns_and_sections(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "DANH SÁCH ĐẢNG VIÊN"
    ws.merge_cells("A1:F1")
    ws.append(["TT", "Họ và tên", "Ngày tháng năm sinh", None, "Ngày vào Đảng", "Chức vụ"])
    ws.append([None, None, "Nam", "Nữ", None, None])
    for col in "ABEF":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("C2:D2")
    ws.append(["I. Chi bộ Văn phòng"])
    ws.merge_cells("A4:F4")
    ws.append([1, "Nguyễn Văn An", "05/03/1980", None, "19/05/2010", "Chuyên viên"])
    ws.append(["II. Chi bộ Kế toán"])
    ws.merge_cells("A6:F6")
    ws.append([2, "Trần Thị Bích", None, "07/08/1985", "03/02/2012", "Kế toán"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    table = read_table(path)
    assert table.header_rows == (2, 3)
    assert [c.field for c in table.columns] == [None, "full_name", "birth_date_male", "birth_date_female",
                                                "admitted_on", "job_title"]
    assert [(r.number, r.section) for r in table.rows] == [(5, "Chi bộ Văn phòng"), (7, "Chi bộ Kế toán")]


def test_font_hint_and_vni_column(tmp_path: Path) -> None:
    path = member_sheet(tmp_path / "vni.xlsx", legacy_column=1, legacy=Encoding.VNI, font="VNI-Times")
    table = read_table(path)
    assert table.columns[1].font == "VNI-Times"
    column = propose_mapping(table).for_field("full_name")
    assert column is not None and column.encoding is Encoding.VNI
    assert column.detection.decode(table.rows[3].values[1]) == "Phạm Thị Thu Hà"


def test_uppercase_tcvn3_font(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Họ và tên", "Ngày sinh"])
    ws.append(["nguyÔn v¨n an", "05/03/1980"])
    ws["A2"].font = Font(name=".VnTimeH")
    path = tmp_path / "h.xlsx"
    wb.save(path)
    column = propose_mapping(read_table(path)).for_field("full_name")
    assert column is not None and column.detection.decode("nguyÔn v¨n an") == "NGUYỄN VĂN AN"


def test_unreadable_files_are_refused_in_vietnamese(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="Không tìm thấy"):
        read_table(tmp_path / "none.xlsx")
    old = tmp_path / "cu.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        read_table(old)
    broken = tmp_path / "hong.xlsx"
    broken.write_text("không phải excel")
    with pytest.raises(ValidationError, match="Không đọc được"):
        read_table(broken)
    wb = Workbook()
    assert wb.active is not None
    wb.active.append(["abc", "def"])
    empty = tmp_path / "khong-tieu-de.xlsx"
    wb.save(empty)
    with pytest.raises(ValidationError, match="dòng tiêu đề"):
        read_table(empty)
