"""Realistic office spreadsheets built with openpyxl: titles, merged cells, legacy fonts, mixed date shapes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from khoi_desktop.core.encodings import Encoding, encode

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ", "CCCD", "Chức vụ",
          "Chi bộ"]

# name, birth (as typed), admitted, full member, card, CCCD, job, chi bộ
ROWS: list[list[object]] = [
    ["Nguyễn Văn An", "05/03/1980", "19/05/2010", "19/05/2011", "01234567", "001080000001", "Chuyên viên",
     "Chi bộ Văn phòng"],
    ["Trần Thị Bích", "7/8/85", dt.date(2012, 2, 3), dt.date(2013, 2, 3), 1234568, "001185000002",
     "Kế toán trưởng", "CB02"],
    ["Lê Hoàng Long", "12.11.1978", "03.02.2005", "03.02.2006", "01234569", 1078000003, "Phó Giám đốc",
     "Thanh tra"],
    ["Phạm Thị Thu Hà", dt.datetime(1990, 1, 15), "2015-06-01", None, "01234570", "001190000004",
     "Chuyên viên", "Chi bộ Văn phòng"],
]


def member_sheet(path: Path, rows: Sequence[Sequence[object]] = ROWS, *, header: Sequence[str] = HEADER,
                 legacy_column: int | None = None, legacy: Encoding = Encoding.TCVN3, font: str | None = None,
                 nfd_column: int | None = None, numbering: bool = True) -> Path:
    """Two merged title rows, a blank row, the header, a row of column numbers, then members from row 6/7."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Danh sách"
    ws["A1"] = "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH"
    ws.merge_cells("A1:D1")
    ws["F1"] = "ĐẢNG CỘNG SẢN VIỆT NAM"
    ws.merge_cells("F1:I1")
    ws["A2"] = "DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ SỞ TÀI CHÍNH"
    ws.merge_cells("A2:I2")
    ws.append([])
    ws.append(list(header))
    if numbering:
        ws.append([f"({i})" for i in range(1, len(header) + 1)])
    for number, row in enumerate(rows, start=1):
        cells = [number, *row]
        if legacy_column is not None and isinstance(cells[legacy_column], str):
            cells[legacy_column] = encode(str(cells[legacy_column]), legacy)
        if nfd_column is not None and isinstance(cells[nfd_column], str):
            cells[nfd_column] = unicodedata.normalize("NFD", str(cells[nfd_column]))
        ws.append(cells)
        if font and legacy_column is not None:
            ws.cell(row=ws.max_row, column=legacy_column + 1).font = Font(name=font)
    wb.save(path)
    return path


def first_data_row(numbering: bool = True) -> int:
    return 6 if numbering else 5


def with_footer(path: Path) -> Path:
    """The standard four members, then the footer a clerk's list ends with (signers' names in the name
    column), and a repeated title and header as on a second printed page."""
    member_sheet(path)
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws.append(["Tổng số: 4 đồng chí"])
    ws.merge_cells(f"A{ws.max_row}:I{ws.max_row}")
    ws.append(["", "Danh sách này có 04 đồng chí./."])
    ws.append([])
    ws.append(["", "Người lập biểu", "", "", "", "", "Thái Nguyên, ngày 10 tháng 5 năm 2025"])
    ws.append(["", "(Ký, ghi rõ họ tên)", "", "", "", "", "T/M CHI ỦY"])
    ws.append(["", "", "", "", "", "", "BÍ THƯ"])
    ws.append([])
    ws.append(["", "Nguyễn Thị Lập", "", "", "", "", "Trần Văn Ký"])
    wb.save(path)
    return path
