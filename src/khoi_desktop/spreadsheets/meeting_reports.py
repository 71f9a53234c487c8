"""Print-ready reports of chi bộ meetings: a month's status and the year summary (A4 landscape, office header)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from khoi_desktop.core.errors import FileUnwritable
from khoi_desktop.core.meetings.models import Rating
from khoi_desktop.core.meetings.recording import month_label
from khoi_desktop.core.meetings.status import MonthStatus, YearLine, YearSummary, percent_text
from khoi_desktop.core.settings import load_settings
from khoi_desktop.spreadsheets.layout import Column, OfficeHeader, ReportSheet, write_report

YEAR_COLUMNS = [Column("STT", 6, kind="center"), Column("Tổ chức cơ sở đảng", 40),
                Column("Số chi bộ", 10, kind="number"), Column("Phải họp", 10, "Sinh hoạt thường kỳ", "number"),
                Column("Đã họp", 10, "Sinh hoạt thường kỳ", "number"), Column("Tỷ lệ %", 9, "Sinh hoạt thường kỳ",
                                                                              "center")] + [
    Column(f"Quý {q}", 9, "Chuyên đề (chi bộ có/phải)", "center") for q in range(1, 5)] + [
    Column("Dự họp %", 9, kind="center")] + [Column(r.label, 9, "Xếp loại (cuộc)", "number") for r in Rating]
MONTH_COLUMNS = [Column("STT", 6, kind="center"), Column("Mã", 10, kind="center"), Column("Chi bộ", 40),
                 Column("Tổ chức cơ sở đảng", 12, kind="center"), Column("Tình hình", 16, kind="center"),
                 Column("Chuyên đề", 10, kind="center"), Column("Xếp loại", 12, kind="center")]


def _office(session: Session, today: dt.date) -> OfficeHeader:
    settings = load_settings(session)
    return OfficeHeader(settings.superior_body.replace("\n", " "), settings.issuing_body.replace("\n", " "),
                        settings.place_name, today)


def _write(path: str | Path, title: str, columns: list[Column], office: OfficeHeader, fill: object) -> None:
    try:
        write_report(path, title, columns, office, fill, freeze_column=3)  # type: ignore[arg-type]
    except OSError as exc:
        raise FileUnwritable(path, exc, excel=True) from exc


def _year_values(number: int | None, line: YearLine) -> list[object]:
    quarters = [f"{h}/{e}" if e else "" for h, e in line.thematic_quarters]
    return [number, line.group.name if line.group else "Toàn Đảng bộ", line.chi_bo, line.expected, line.held,
            percent_text(line.held_percent, sign=""), *quarters, percent_text(line.attendance_percent, sign=""),
            *[line.ratings.get(r, 0) for r in Rating]]


def write_year_summary(session: Session, summary: YearSummary, path: str | Path, *,
                       today: dt.date | None = None) -> None:
    where = summary.org.name if summary.org else "toàn Đảng bộ"

    def fill(sheet: ReportSheet) -> None:
        sheet.title(f"TỔNG HỢP SINH HOẠT CHI BỘ NĂM {summary.year}", f"Phạm vi: {where}; tính các tháng đã qua")
        sheet.header()
        for number, line in enumerate(summary.lines, start=1):
            sheet.data(_year_values(number, line))
        sheet.data(_year_values(None, summary.total), bold=True)
        sheet.note("Phải họp: số chi bộ × số tháng chi bộ hoạt động trọn tháng. Chuyên đề: số chi bộ có sinh hoạt "
                   "chuyên đề trong quý / số chi bộ hoạt động trọn quý. Dự họp: đảng viên có mặt / đảng viên phải dự "
                   "(trừ miễn sinh hoạt).")
        sheet.signature()

    _write(path, f"Năm {summary.year}", YEAR_COLUMNS, _office(session, today or dt.date.today()), fill)


def write_month_status(session: Session, status: MonthStatus, path: str | Path, *,
                       today: dt.date | None = None) -> None:
    where = status.org.name if status.org else "toàn Đảng bộ"
    ratings = ", ".join(f"{r.label} {status.ratings.get(r, 0)}" for r in Rating)

    def fill(sheet: ReportSheet) -> None:
        sheet.title(f"TÌNH HÌNH SINH HOẠT CHI BỘ {month_label(status.month).upper()}",
                    f"Phạm vi: {where}. Phải họp {status.expected} chi bộ, đã họp {status.held}, chuyên đề "
                    f"{status.thematic_held}, chưa báo cáo {len(status.missing)}. Xếp loại: {ratings}.")
        sheet.header()
        number = 0
        for row in status.rows:
            if row.expected:
                number += 1
                sheet.data([number, row.code, row.name, row.group, row.status.label, "Có" if row.thematic else "",
                            row.rating.label if row.rating else ""])
        sheet.signature()

    _write(path, f"Tháng {status.month.month:02d}-{status.month.year}", MONTH_COLUMNS,
           _office(session, today or dt.date.today()), fill)
