"""The year's rating summary, print-ready (A4 landscape, office header): per TCCSĐ its own level, its
organizations and members per level, then the office's totals and the article's two figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from khoi_desktop.core.errors import FileUnwritable
from khoi_desktop.core.ratings.models import Level
from khoi_desktop.core.ratings.summary import YearSummary
from khoi_desktop.core.ratings.tally import Counts
from khoi_desktop.spreadsheets.layout import Column, ReportSheet, write_report
from khoi_desktop.spreadsheets.meeting_reports import _office

COLUMNS = ([Column("STT", 6, kind="center"), Column("Tổ chức cơ sở đảng", 40), Column("Xếp loại", 10, kind="center")]
           + [Column(level.short, 8, "Tổ chức đảng trực thuộc", "number") for level in Level]
           + [Column(level.short, 8, "Đảng viên", "number") for level in Level]
           + [Column("Chưa/không xếp loại", 11, "Đảng viên", "number"), Column("Tổng số", 9, "Đảng viên", "number"),
              Column("HTTNV trở lên %", 11, "Đảng viên", "center")])


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _counts(counts: Counts) -> list[object]:
    return [counts.levels[level] for level in Level]


def write_summary(session: Session, summary: YearSummary, path: str | Path, *, today: dt.date | None = None) -> None:
    def fill(sheet: ReportSheet) -> None:
        orgs, members = summary.orgs, summary.members
        shares = "; ".join(f"{level.short} {orgs.levels[level]} ({percent(orgs.pct(level))}%)" for level in Level)
        sheet.title(f"KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN NĂM {summary.year}",
                    f"Tổ chức cơ sở đảng: {orgs.total}, đã xếp loại {orgs.rated}: {shares}. "
                    f"Tỷ lệ tổ chức cơ sở đảng HTTNV trở lên: {percent(orgs.good_or_better_pct)}%; "
                    f"đảng viên HTTNV trở lên: {percent(members.good_or_better_pct)}% (trên số đã xếp loại).")
        sheet.header()
        subs = Counts()
        for number, line in enumerate(summary.bodies, start=1):
            for level in Level:
                subs.levels[level] += line.sub_orgs.levels[level]
            sheet.data([number, line.name, line.level or "", *_counts(line.sub_orgs), *_counts(line.members),
                        line.members.unrated, line.members.total, percent(line.members.good_or_better_pct)])
        sheet.data([None, "Toàn Đảng bộ", "", *_counts(subs), *_counts(members), members.unrated, members.total,
                    percent(members.good_or_better_pct)], bold=True)
        sheet.note("Tỷ lệ tính trên số đã xếp loại. Đảng viên mới kết nạp, miễn sinh hoạt … không xếp loại theo quy "
                   "định được tính trong tổng số, cột “Chưa/không xếp loại”.")
        sheet.signature()

    try:
        write_report(path, f"Xếp loại {summary.year}", COLUMNS, _office(session, today or dt.date.today()), fill,
                     freeze_column=3)
    except OSError as exc:
        raise FileUnwritable(path, exc, excel=True) from exc
