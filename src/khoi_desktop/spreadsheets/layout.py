"""Print layout of an exported sheet: office header, title and date lines, a framed table with a
one- or two-row header that repeats on every page, bold totals, A4 landscape fitted to the width."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"


@dataclass(frozen=True)
class Column:
    label: str
    width: float
    group: str | None = None  # columns sharing a group get one merged cell above their labels
    kind: str = "text"  # text, number, date, center


@dataclass(frozen=True)
class OfficeHeader:
    superior_body: str  # "ĐẢNG BỘ TỈNH THÁI NGUYÊN"
    issuing_body: str  # "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH THÁI NGUYÊN"
    place_name: str  # "Thái Nguyên"
    today: dt.date


def _font(size: float = 12, *, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


LINE_HEIGHT = 15.0  # points per line of 11-point text


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs: Excel and LibreOffice do not grow rows written by a program."""
    per_line = max(1.0, width * 1.25 - 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def place_and_date(place: str, day: dt.date) -> str:
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


class ReportSheet:
    """Writes one report into a worksheet, top to bottom."""

    def __init__(self, ws: Worksheet, columns: Sequence[Column], office: OfficeHeader) -> None:
        self.ws, self.columns, self.office = ws, list(columns), office
        self.width = len(self.columns)
        self.row = 1
        self.first_data_row = 0
        self.header_rows: tuple[int, int] = (0, 0)
        # Style of a data cell by (column, bold, italic, indent), built once: building Font/Alignment objects
        # and assigning them cell by cell dominated exports of 100.000 rows (bench/export.py).
        self._data_styles: dict[tuple[int, bool, bool, int], object] = {}

    def _merged(self, row: int, first: int, last: int, value: object, font: Font,
                horizontal: str = "center") -> None:
        cell = self.ws.cell(row=row, column=first, value=value)
        cell.font = font
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if last > first:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    def office_lines(self) -> None:
        half = max(2, self.width // 2)
        self._merged(1, 1, half, self.office.superior_body, _font(12))
        self._merged(1, half + 1, self.width, "ĐẢNG CỘNG SẢN VIỆT NAM", _font(13, bold=True))
        self._merged(2, 1, half, self.office.issuing_body, _font(12, bold=True))
        self._merged(2, half + 1, self.width, place_and_date(self.office.place_name, self.office.today),
                     _font(12, italic=True))
        self.ws.row_dimensions[2].height = 32
        self.row = 4

    def title(self, title: str, *lines: str) -> None:
        self._merged(self.row, 1, self.width, title, _font(14, bold=True))
        self.ws.row_dimensions[self.row].height = 22
        self.row += 1
        for line in lines:
            self._merged(self.row, 1, self.width, line, _font(12, italic=True))
            self.row += 1
        self.row += 1

    def header(self) -> None:
        two_rows = any(c.group for c in self.columns)
        top = self.row
        bottom = top + 1 if two_rows else top
        style = _font(11, bold=True)
        for index, column in enumerate(self.columns, start=1):
            for r in range(top, bottom + 1):
                cell = self.ws.cell(row=r, column=index)
                cell.border, cell.fill, cell.font = BOX, HEADER_FILL, style
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
            if column.group is None:
                self.ws.cell(row=top, column=index, value=column.label)
                if two_rows:
                    self.ws.merge_cells(start_row=top, start_column=index, end_row=bottom, end_column=index)
            else:
                self.ws.cell(row=bottom, column=index, value=column.label)
        index = 1
        while index <= self.width:
            group = self.columns[index - 1].group
            last = index
            while group and last < self.width and self.columns[last].group == group:
                last += 1
            if group:
                self.ws.cell(row=top, column=index, value=group)
                if last > index:
                    self.ws.merge_cells(start_row=top, start_column=index, end_row=top, end_column=last)
            index = last + 1
        lines = max(text_lines(c.label, c.width) for c in self.columns)
        self.ws.row_dimensions[bottom].height = max(30.0, LINE_HEIGHT * lines + 4)
        if two_rows:
            self.ws.row_dimensions[top].height = 20
        self.header_rows = (top, bottom)
        self.row = bottom + 1
        self.first_data_row = self.row

    def data(self, values: Sequence[object], *, bold: bool = False, italic: bool = False, indent: int = 0,
             indent_column: int = 2, span: int = 1) -> None:
        """One table row; `span` > 1 is for a text that runs over the columns after its own (totals)."""
        row_number = self.row
        lines = 1
        for index, (column, value) in enumerate(zip(self.columns, values, strict=True), start=1):
            cell = self.ws.cell(row=row_number, column=index, value=value)
            key = (index, bold, italic, indent if index == indent_column else 0)
            style = self._data_styles.get(key)
            if style is not None:
                cell._style = copy(style)  # type: ignore[attr-defined]  # openpyxl's own way to copy a style
            else:
                self._style_data_cell(cell, column, bold=bold, italic=italic, indent=key[3])
                self._data_styles[key] = copy(cell._style)  # type: ignore[attr-defined]
            if column.kind not in ("date", "number", "center") and isinstance(value, str) and value:
                width = column.width if span == 1 else sum(c.width for c in self.columns[index - 1:])
                lines = max(lines, text_lines(value, width - key[3]))
        if lines > 1:
            self.ws.row_dimensions[self.row].height = LINE_HEIGHT * lines
        self.row += 1

    @staticmethod
    def _style_data_cell(cell, column: Column, *, bold: bool, italic: bool, indent: int) -> None:  # type: ignore[no-untyped-def]
        cell.border = BOX
        cell.font = _font(11, bold=bold, italic=italic)
        if column.kind == "date":
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="center", vertical="top")
        elif column.kind == "number":
            cell.number_format = NUMBER_FORMAT
            cell.alignment = Alignment(horizontal="right", vertical="top")
        elif column.kind == "center":
            cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
        else:
            cell.alignment = Alignment(vertical="top", wrap_text=True, indent=indent)

    def note(self, text: str) -> None:
        self.row += 1
        self._merged(self.row, 1, self.width, text, _font(11, italic=True), horizontal="left")
        self.row += 1

    def signature(self, left: str = "NGƯỜI LẬP BIỂU", right: str = "T/M BAN THƯỜNG VỤ") -> None:
        self.row += 1
        half = max(2, self.width // 2)
        self._merged(self.row, 1, half, left, _font(12, bold=True))
        self._merged(self.row, half + 1, self.width, right, _font(12, bold=True))
        self.row += 1

    def finish(self, *, freeze_column: int = 1) -> None:
        """Freeze the header, repeat it on each printed page, A4 landscape fitted to one page wide."""
        ws = self.ws
        ws.freeze_panes = f"{get_column_letter(freeze_column)}{self.first_data_row}"
        top, bottom = self.header_rows
        ws.print_title_rows = f"{top}:{bottom}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "Trang &P/&N"
        ws.print_area = f"A1:{get_column_letter(self.width)}{self.row}"
