"""Print layout of an exported sheet: office header, title and date lines, a framed table with a
one- or two-row header that repeats on every page, bold totals, A4 landscape fitted to the width.

Written with xlsxwriter in constant-memory mode: rows stream to disk in order, so an export of 100.000
members takes the memory of one row (bench/export.py). Every value from the data is written as what it is
(text as text, never a formula: a job title `=HYPERLINK(…)` stays words on the sheet), dates as dates,
counts as numbers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khoi_desktop.core.errors import KhoiError

FONT_NAME = "Times New Roman"
HEADER_FILL = "#E8E8E8"
DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"
LINE_HEIGHT = 15.0  # points per line of 11-point text


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial day numbers as Excel counts them (after February 1900)
_EXCEL_EPOCH_TIME = dt.datetime(1899, 12, 30)
_XML_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
MAX_CELL_TEXT = 32767  # Excel's limit on a cell's text


def _xml_text(text: str) -> str:
    """A cell's text as xlsxwriter writes it: XML-escaped, control characters as _xHHHH_, spaces kept."""
    text = text[:MAX_CELL_TEXT]
    if _XML_SPECIAL.search(text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if text[:1].isspace() or text[-1:].isspace():
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


class ExportCancelled(KhoiError):
    code = "cancelled"


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


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs: Excel and LibreOffice do not grow rows written by a program."""
    per_line = max(1.0, width * 1.25 - 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def place_and_date(place: str, day: dt.date) -> str:
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


class ReportSheet:
    """Writes one report into a new workbook, top to bottom (rows can only be written in order).

    `target` is a file path, or None to get the bytes from `close()` (small reports shown in a window).
    """

    def __init__(self, target: str | Path | None, title: str, columns: Sequence[Column],
                 office: OfficeHeader) -> None:
        from xlsxwriter import Workbook  # only when exporting: not loaded at start-up

        self._buffer = io.BytesIO() if target is None else None
        # In memory for bytes (small), streamed through a temporary file for a path (any size).
        options = {"in_memory": True} if target is None else {"constant_memory": True}
        self.workbook = Workbook(self._buffer if target is None else str(target), options)
        self.ws = self.workbook.add_worksheet(title[:31])
        self.columns, self.office = list(columns), office
        self.width = len(self.columns)
        self.row = 1  # 1-based like a spreadsheet's row numbers; xlsxwriter counts from 0
        self.first_data_row = 0
        self.header_rows: tuple[int, int] = (0, 0)
        self._formats: dict[tuple[Any, ...], Any] = {}
        # Progress of the table's rows (`expect` gives their number) and the wish to stop (the GUI's cancel).
        self.expected = 0
        self.written = 0
        self.progress: Callable[[int, int], None] | None = None
        self.cancelled: Callable[[], bool] | None = None
        for index, column in enumerate(self.columns):
            self.ws.set_column(index, index, column.width)
        # A file is streamed (constant memory): its table rows are written as XML text (_raw_row).
        from xlsxwriter.utility import xl_col_to_name

        self._streamed = target is not None
        self._letters = [xl_col_to_name(index) for index in range(self.width)]

    def _format(self, **properties: Any) -> Any:
        key = tuple(sorted(properties.items()))
        style = self._formats.get(key)
        if style is None:
            style = self._formats[key] = self.workbook.add_format({"font_name": FONT_NAME, **properties})
        return style

    def _text_format(self, size: float, *, bold: bool = False, italic: bool = False,
                     horizontal: str = "center") -> Any:
        return self._format(font_size=size, bold=bold, italic=italic, align=horizontal, valign="vcenter",
                            text_wrap=True)

    def _put(self, row: int, column: int, value: object, style: Any) -> None:
        """One cell (1-based), typed by its Python value: a str is always text, never a formula."""
        r, c = row - 1, column - 1
        # xlsxwriter's unchecked writers (its public ones only add A1-notation parsing): a cell is written
        # some 1.5 million times in an export of 100.000 members.
        ws = self.ws
        if value is None or value == "":
            ws._write_blank(r, c, None, style)
        elif isinstance(value, str):
            ws._write_string(r, c, value, style)
        elif isinstance(value, bool):
            ws._write_boolean(r, c, value, style)
        elif isinstance(value, int | float):
            ws._write_number(r, c, value, style)
        elif isinstance(value, dt.date):
            ws._write_datetime(r, c, value, style)
        else:
            ws._write_string(r, c, str(value), style)

    def _merged(self, row: int, first: int, last: int, value: object, style: Any) -> None:
        if last > first:
            self.ws.merge_range(row - 1, first - 1, row - 1, last - 1, None, style)
        self._put(row, first, value, style)

    def _height(self, row: int, points: float) -> None:
        self.ws.set_row(row - 1, points)

    def office_lines(self) -> None:
        half = max(2, self.width // 2)
        self._merged(1, 1, half, self.office.superior_body, self._text_format(12))
        self._merged(1, half + 1, self.width, "ĐẢNG CỘNG SẢN VIỆT NAM", self._text_format(13, bold=True))
        self._merged(2, 1, half, self.office.issuing_body, self._text_format(12, bold=True))
        self._merged(2, half + 1, self.width, place_and_date(self.office.place_name, self.office.today),
                     self._text_format(12, italic=True))
        self._height(2, 32)
        self.row = 4

    def title(self, title: str, *lines: str) -> None:
        self._merged(self.row, 1, self.width, title, self._text_format(14, bold=True))
        self._height(self.row, 22)
        self.row += 1
        for line in lines:
            self._merged(self.row, 1, self.width, line, self._text_format(12, italic=True))
            self.row += 1
        self.row += 1

    def header(self) -> None:
        two_rows = any(c.group for c in self.columns)
        top = self.row
        bottom = top + 1 if two_rows else top
        style = self._format(font_size=11, bold=True, border=1, bg_color=HEADER_FILL, pattern=1, align="center",
                             valign="vcenter", text_wrap=True)
        lines = max(text_lines(c.label, c.width) for c in self.columns)
        if two_rows:
            # Rows stream in order: a label over both rows is merged while the top row is current, without a
            # format (xlsxwriter then writes nothing into the lower row yet); its cells are written below.
            for index, column in enumerate(self.columns):
                if column.group is None:
                    self.ws.merge_range(top - 1, index, bottom - 1, index, None, None)
        index = 1
        while index <= self.width:
            column = self.columns[index - 1]
            last = index
            while column.group and last < self.width and self.columns[last].group == column.group:
                last += 1
            self._merged(top, index, last, column.label if column.group is None else column.group, style)
            index = last + 1
        if two_rows:
            self._height(top, 20)
            for index, column in enumerate(self.columns, start=1):
                self._put(bottom, index, None if column.group is None else column.label, style)
        self._height(bottom, max(30.0, LINE_HEIGHT * lines + 4))
        self.header_rows = (top, bottom)
        self.row = bottom + 1
        self.first_data_row = self.row

    def _data_format(self, column: Column, *, bold: bool, italic: bool, indent: int) -> Any:
        base = {"font_size": 11, "bold": bold, "italic": italic, "border": 1, "valign": "top"}
        if column.kind == "date":
            return self._format(**base, num_format=DATE_FORMAT, align="center")
        if column.kind == "number":
            return self._format(**base, num_format=NUMBER_FORMAT, align="right")
        if column.kind == "center":
            return self._format(**base, align="center", text_wrap=True)
        return self._format(**base, text_wrap=True, indent=indent)

    def _row_formats(self, bold: bool, italic: bool, indent: int, indent_column: int) -> list[Any]:
        key = ("row", bold, italic, indent, indent_column)
        formats = self._formats.get(key)
        if formats is None:
            formats = self._formats[key] = [
                self._data_format(column, bold=bold, italic=italic, indent=indent if index == indent_column else 0)
                for index, column in enumerate(self.columns, start=1)]
        return formats

    def data(self, values: Sequence[object], *, bold: bool = False, italic: bool = False, indent: int = 0,
             indent_column: int = 2, span: int = 1, merge_from: int | None = None) -> None:
        """One table row; `span` > 1 is for a text that runs over the columns after its own (totals);
        `merge_from` merges that column and every one after it (a total's sentence)."""
        row_number = self.row
        lines = 1
        formats = self._row_formats(bold, italic, indent, indent_column)
        if self._streamed and merge_from is None:
            for index, (column, value) in enumerate(zip(self.columns, values, strict=True), start=1):
                if isinstance(value, str) and value and column.kind == "text":
                    cell_indent = indent if index == indent_column else 0
                    width = column.width if span == 1 else sum(c.width for c in self.columns[index - 1:])
                    lines = max(lines, text_lines(value, width - cell_indent))
            self._raw_row(row_number, values, formats, LINE_HEIGHT * lines if lines > 1 else None)
            self.row += 1
            self.written += 1
            if self.written % 500 == 0:
                self.checkpoint()
            return
        if merge_from is not None:
            self.ws.merge_range(row_number - 1, merge_from - 1, row_number - 1, self.width - 1, None,
                                self._data_format(self.columns[merge_from - 1], bold=bold, italic=italic, indent=0))
        for index, (column, value, style) in enumerate(zip(self.columns, values, formats, strict=True), start=1):
            self._put(row_number, index, value, style)
            if isinstance(value, str) and value and column.kind == "text":
                cell_indent = indent if index == indent_column else 0
                width = column.width if span == 1 else sum(c.width for c in self.columns[index - 1:])
                lines = max(lines, text_lines(value, width - cell_indent))
        if lines > 1:
            self._height(row_number, LINE_HEIGHT * lines)
        self.row += 1
        self.written += 1
        if self.written % 500 == 0:
            self.checkpoint()

    def _raw_row(self, row: int, values: Sequence[object], formats: list[Any], height: float | None) -> None:
        """A table row as the worksheet XML xlsxwriter itself writes in constant-memory mode, built as one
        string: its per-cell calls were three quarters of an export of 100.000 members (bench/export.py).
        Same cells, types and styles (tests/spreadsheets compare the files read back)."""
        ws = self.ws
        index = row - 1
        ws._write_single_row(index)  # xlsxwriter writes out the row it holds; this one is ours
        head = f'<row r="{row}" ht="{height:g}" customHeight="1">' if height else f'<row r="{row}">'
        parts = [head]
        for letter, value, style in zip(self._letters, values, formats, strict=True):
            ref = f'<c r="{letter}{row}" s="{style._get_xf_index()}"'
            if value is None or value == "":
                parts.append(ref + "/>")
            elif isinstance(value, str):
                parts.append(f'{ref} t="inlineStr"><is>{_xml_text(value)}</is></c>')
            elif isinstance(value, bool):
                parts.append(f'{ref} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                parts.append(f"{ref}><v>{value:.16G}</v></c>")
            elif isinstance(value, dt.datetime):
                parts.append(f"{ref}><v>{(value - _EXCEL_EPOCH_TIME).total_seconds() / 86400:.16G}</v></c>")
            elif isinstance(value, dt.date):
                parts.append(f"{ref}><v>{(value - _EXCEL_EPOCH).days}</v></c>")
            else:
                parts.append(f'{ref} t="inlineStr"><is>{_xml_text(str(value))}</is></c>')
        parts.append("</row>")
        ws.fh.write("".join(parts))
        ws._check_dimensions(index, 0)
        ws._check_dimensions(index, self.width - 1)

    def expect(self, rows: int) -> None:
        """The number of table rows about to be written (for the progress bar)."""
        self.expected = rows
        self.checkpoint()

    def checkpoint(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled("Đã dừng xuất Excel: không có tệp nào được ghi.")
        if self.progress is not None:
            self.progress(min(self.written, self.expected), self.expected)

    def note(self, text: str) -> None:
        self.row += 1
        self._merged(self.row, 1, self.width, text, self._text_format(11, italic=True, horizontal="left"))
        self.row += 1

    def signature(self, left: str = "NGƯỜI LẬP BIỂU", right: str = "T/M BAN THƯỜNG VỤ") -> None:
        self.row += 1
        half = max(2, self.width // 2)
        self._merged(self.row, 1, half, left, self._text_format(12, bold=True))
        self._merged(self.row, half + 1, self.width, right, self._text_format(12, bold=True))
        self.row += 1

    def finish(self, *, freeze_column: int = 1) -> None:
        """Freeze the header, repeat it on each printed page, A4 landscape fitted to one page wide."""
        ws = self.ws
        ws.freeze_panes(self.first_data_row - 1, freeze_column - 1)
        top, bottom = self.header_rows
        ws.repeat_rows(top - 1, bottom - 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.center_horizontally()
        ws.set_footer("&CTrang &P/&N")
        ws.print_area(0, 0, self.row - 1, self.width - 1)

    def close(self) -> bytes | None:
        """Write the file (or return the bytes when made without a target); OSError when it cannot."""
        from xlsxwriter.exceptions import FileCreateError

        try:
            self.workbook.close()
        except FileCreateError as exc:  # wraps the OSError (no folder, no right to write, disk full)
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
            raise cause from None
        return self._buffer.getvalue() if self._buffer is not None else None


def write_report(target: str | Path | None, title: str, columns: Sequence[Column], office: OfficeHeader,
                 fill: Callable[[ReportSheet], object], *, freeze_column: int = 1,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> bytes | None:
    """A whole report: header lines, `fill` (title, header, rows), print setup, closed.

    `progress(done, total)` is called every few hundred rows; `cancelled()` true stops with ExportCancelled.
    """
    sheet = ReportSheet(target, title, columns, office)
    sheet.progress, sheet.cancelled = progress, cancelled
    try:
        sheet.office_lines()
        fill(sheet)
    except BaseException:
        # Refused half-way (an unknown organization …): close what was begun, so that no temporary file or
        # destructor warning is left behind; the caller removes the partial file.
        with contextlib.suppress(Exception):
            sheet.workbook.close()
        raise
    sheet.finish(freeze_column=freeze_column)
    sheet.checkpoint()
    return sheet.close()
