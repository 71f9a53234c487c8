"""Excel export of the whole member list beside bare openpyxl writing the same rows and values."""

from __future__ import annotations

from pathlib import Path

from bench.common import TODAY, Result, demo_database, median, paired, ratio_target, scratch


def member_rows(db) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """The values the export writes, read once outside the timing."""
    from sqlalchemy import select

    from khoi_desktop.core.models import Member, Membership, Organization
    from khoi_desktop.core.tree import valid_on

    with db.reading() as session:
        query = (select(Member, Organization.name).join(Membership, Membership.member_id == Member.id)
                 .join(Organization, Organization.id == Membership.org_id).where(valid_on(Membership, TODAY))
                 .order_by(Member.sort_key))
        return [[n, m.code, m.full_name, m.sex.label, m.birth_date, m.admitted_on, m.full_member_on,
                 m.status_on(TODAY).label, m.card_number, m.national_id, m.job_title, org, org]
                for n, (m, org) in enumerate(session.execute(query), start=1)]


def bare_export(rows: list[list[object]], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.append(["STT", "Mã", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Trạng thái",
               "Số thẻ", "CCCD", "Chức vụ", "Chi bộ", "Tổ chức cơ sở đảng"])
    for row in rows:
        ws.append(row)
    workbook.save(path)


def run(scale: int, repeat: int) -> list[Result]:
    from khoi_desktop.core.db import open_database
    from khoi_desktop.spreadsheets.exports import ExportOptions, export

    db = open_database(demo_database(scale))
    try:
        rows = member_rows(db)
        with scratch() as folder:
            app_out, bare_out = Path(folder) / "app.xlsx", Path(folder) / "bare.xlsx"
            options = ExportOptions(as_of=TODAY, today=TODAY)

            def app() -> None:
                with db.reading() as session:
                    export(session, "members", app_out, options)

            app_times, base_times = paired(app, lambda: bare_export(rows, bare_out), max(1, repeat))
    finally:
        db.close()
    return [ratio_target(Result("export_members_xlsx", median(app_times) * 1000, median(base_times) * 1000, "ms",
                                scale, note=f"{len(rows)} members, 13 columns; bare: Workbook.append, no styles"),
                         1.3)]
