"""Excel export of the whole member list beside bare sqlite3 + openpyxl (write-only mode) writing the same rows
and values, and the peak memory of a GUI process exporting it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from bench.common import (
    TODAY,
    Result,
    absolute_target,
    demo_database,
    median,
    paired,
    ratio_target,
    run_child,
    scratch,
)

HEADERS = ["STT", "Mã", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Trạng thái",
           "Số thẻ", "CCCD", "Chức vụ", "Chi bộ", "Tổ chức cơ sở đảng"]
SQL = """
SELECT m.code, m.family_name, m.middle_name, m.given_name, m.sex, m.birth_date, m.admitted_on, m.full_member_on,
       m.exempt_since, m.card_number, m.national_id, m.job_title, o.name
FROM memberships ms JOIN members m ON m.id = ms.member_id JOIN organizations o ON o.id = ms.org_id
WHERE ms.valid_from <= :day AND (ms.valid_to IS NULL OR ms.valid_to > :day)
ORDER BY o.id, m.sort_key, m.code
"""


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def bare_export(db_path: Path, out: Path) -> int:
    """The same sheet with no app code: one SQL query, the values converted, openpyxl's write-only
    Workbook.append (its fastest way to write), save."""
    from openpyxl import Workbook

    conn = sqlite3.connect(db_path)
    day = TODAY.isoformat()
    try:
        rows = conn.execute(SQL, {"day": day}).fetchall()
    finally:
        conn.close()
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet()
    ws.append(HEADERS)
    for number, r in enumerate(rows, start=1):
        status = ("Miễn sinh hoạt" if r[8] and r[8] <= day else "Chính thức" if r[7] and r[7] <= day else "Dự bị")
        ws.append([number, r[0], " ".join(p for p in r[1:4] if p), "Nam" if r[4] == "nam" else "Nữ", _date(r[5]),
                   _date(r[6]), _date(r[7]), status, r[9], r[10], r[11], r[12], r[12]])
    workbook.save(out)
    return len(rows)


def run(scale: int, repeat: int) -> list[Result]:
    from khoi_desktop.core.db import open_database
    from khoi_desktop.spreadsheets.exports import ExportOptions, export

    path = demo_database(scale)
    db = open_database(path)
    try:
        with scratch() as folder:
            app_out, bare_out = Path(folder) / "app.xlsx", Path(folder) / "bare.xlsx"
            options = ExportOptions(as_of=TODAY, today=TODAY)

            def app() -> None:
                with db.reading() as session:
                    export(session, "members", app_out, options)

            count = bare_export(path, bare_out)
            app_times, base_times = paired(app, lambda: bare_export(path, bare_out), max(1, repeat))
    finally:
        db.close()
    _, line = run_child(["-m", "bench.gui_child", "memory-export", str(path)], timeout=900)
    peak_mb, exported = float(line.split()[1]), int(line.split()[2])
    return [
        ratio_target(Result("export_members_xlsx", median(app_times) * 1000, median(base_times) * 1000, "ms", scale,
                            note=f"{count} members, 13 columns, print layout (xlsxwriter, constant memory); bare: "
                                 "one sqlite3 query + openpyxl write-only append, no styles"), 0.7),
        absolute_target(Result("peak_rss_gui_export", peak_mb, None, "MB", scale,
                               note=f"GUI process: window open, then the export dialog's job writes all {exported} "
                                    "members (VmHWM)"), 300),
    ]
