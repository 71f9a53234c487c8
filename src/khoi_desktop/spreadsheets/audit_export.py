"""The audit trail as an Excel sheet (the viewer's filtered rows), laid out for print like the other exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from khoi_desktop.core.audit_log import AuditRow
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.settings import load_settings
from khoi_desktop.spreadsheets.layout import Column, OfficeHeader, ReportSheet, write_report

AUDIT_COLUMNS = [
    Column("STT", 6, kind="center"), Column("Mục số", 8, kind="center"), Column("Thời gian", 18, kind="center"),
    Column("Người thực hiện", 16), Column("Thao tác", 24), Column("Đối tượng", 26), Column("Trước", 36),
    Column("Sau", 36),
]


def audit_workbook(session: Session, rows: Sequence[AuditRow], subtitle: str, *,
                   today: dt.date | None = None) -> bytes:
    require(session, Permission.AUDIT)
    settings = load_settings(session)
    office = OfficeHeader(settings.superior_body.replace("\n", " "), settings.issuing_body.replace("\n", " "),
                          settings.place_name, today or dt.date.today())

    def fill(sheet: ReportSheet) -> None:
        sheet.title("NHẬT KÝ THAY ĐỔI DỮ LIỆU", subtitle)
        sheet.header()
        for number, row in enumerate(rows, start=1):
            sheet.data([number, row.id, row.at_text, row.actor_label, row.action_label,
                        row.target, row.before, row.after])
        sheet.data([None, None, None, None, f"Tổng số: {len(rows)} mục", None, None, None], bold=True, span=4)

    data = write_report(None, "Nhật ký thay đổi", AUDIT_COLUMNS, office, fill)
    assert data is not None
    return data
