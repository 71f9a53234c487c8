"""The monthly meeting return workbook (báo cáo sinh hoạt chi bộ hằng tháng) of one đảng bộ cơ sở.

The app writes the month's workbook: instructions, one sheet per kind of meeting (a row per chi bộ, the
criteria of the sheet in force as score columns) and an attendance sheet (a row per member, pre-filled
"Có mặt", or "Miễn sinh hoạt" for exempt members). Structure and the pre-filled columns are protected; the
cells to fill are open, with drop-downs and ranges. Reading it back: spreadsheets/meeting_returns.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import FileUnwritable, OrgNotFound, ValidationError
from khoi_desktop.core.meetings.criteria import CriteriaSheet, Criterion, load_sheets
from khoi_desktop.core.meetings.models import Meeting, MeetingKind
from khoi_desktop.core.meetings.recording import (
    month_label,
    roster,
    stored_view,
)
from khoi_desktop.core.meetings.scope import load_scope, month_end
from khoi_desktop.core.members import MemberRow
from khoi_desktop.core.models import MemberStatus, Organization, OrgKind
from khoi_desktop.spreadsheets.layout import DATE_FORMAT, FONT_NAME

FORMAT = "khoi-desktop/meeting-return/1"
META_SHEET = "_khoi"
GUIDE_SHEET = "Hướng dẫn"
ATTENDANCE_SHEET = "Điểm danh"
SHEET_OF = {MeetingKind.THUONG_KY: "Thường kỳ", MeetingKind.CHUYEN_DE: "Chuyên đề"}
HEADER_ROW = 3
MEETING_COLUMNS = ("STT", "Mã chi bộ", "Tên chi bộ", "Ngày dự kiến", "Ngày họp", "Chủ đề", "Mã người chủ trì",
                   "Tóm tắt nội dung", "Nghị quyết, kết luận")
ATTENDANCE_COLUMNS = ("STT", "Mã chi bộ", "Tên chi bộ", "Mã đảng viên", "Họ và tên", "Tình trạng",
                      "Thường kỳ", "Lý do vắng (thường kỳ)", "Chuyên đề", "Lý do vắng (chuyên đề)")
PRESENT, WITH_REASON, WITHOUT_REASON, EXEMPT = "Có mặt", "Vắng có lý do", "Vắng không lý do", "Miễn sinh hoạt"
CHOICES = (PRESENT, WITH_REASON, WITHOUT_REASON, EXEMPT)
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GUIDE = (
    "BÁO CÁO SINH HOẠT CHI BỘ {month_upper} – {org}",
    "",
    "1. Trang “Thường kỳ”: mỗi chi bộ một dòng. Ghi ngày dự kiến (nếu có), ngày họp (ngày/tháng/năm), chủ đề, "
    "mã người chủ trì (mã đảng viên ở trang “Điểm danh”), tóm tắt nội dung, nghị quyết và điểm từng tiêu chí "
    "(số nguyên, từ 0 đến điểm tối đa ghi ở tiêu đề cột). Chi bộ chưa họp thì để trống ngày họp và điểm.",
    "2. Trang “Chuyên đề”: như trên, cho cuộc sinh hoạt chuyên đề (nếu chi bộ có họp chuyên đề trong tháng); "
    "phải ghi chủ đề (tên chuyên đề).",
    "3. Trang “Điểm danh”: mỗi đảng viên một dòng, đã ghi sẵn “Có mặt” (“Miễn sinh hoạt” cho người được miễn). "
    "Chọn “Vắng có lý do” và ghi lý do, hoặc “Vắng không lý do”. Cột của cuộc họp không diễn ra được bỏ qua.",
    "4. Chỉ sửa các ô nền vàng. Không thêm, xóa, đổi tên trang hoặc cột; không sửa mã chi bộ, mã đảng viên.",
    "5. Nhập lại tệp vào phần mềm: menu “Sinh hoạt chi bộ” → “Nhập báo cáo tháng từ Excel”. Phần mềm kiểm tra "
    "toàn bộ tệp trước; có lỗi thì không ghi gì và chỉ rõ trang, dòng, cột cần sửa. Tháng đã có số liệu thì "
    "phần mềm hiện các thay đổi và hỏi trước khi ghi đè.",
    "Điểm xếp loại: {bands}.",
)


def score_header(criterion: Criterion) -> str:
    return f"{criterion.name} (tối đa {criterion.max_points}) [{criterion.code}]"


def _font(size: float = 11, *, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


# --- writing the template -----------------------------------------------------------------------------

@dataclass
class _ChiBoPlan:
    org_id: int
    code: str
    name: str
    members: list[MemberRow]
    meetings: dict[MeetingKind, dict[str, Any]]  # stored views of the month's meetings


def dang_bo_chi_bo(session: Session, code: str, month: dt.date) -> tuple[int, str, list[tuple[int, str, str]]]:
    """The đảng bộ cơ sở (or chi bộ cơ sở) and its chi bộ that existed for the whole month."""
    first, last = month, month_end(month)
    org = session.execute(select(Organization.id, Organization.name, Organization.kind)
                          .where(Organization.code == code)).first()
    if org is None:
        raise OrgNotFound(code)
    if org.kind not in (OrgKind.DANG_BO_CO_SO, OrgKind.CHI_BO_CO_SO):
        from khoi_desktop.core.tree import load_snapshot

        snapshot = load_snapshot(session, month_end(month))
        top = snapshot.root_of(org.id) if org.id in snapshot.nodes else None
        hint = (f": hãy lập báo cáo của {top.name} (mã {top.code}), có cả {org.name}" if top is not None
                and top.id != org.id else "")
        raise ValidationError(f"{org.name} là {org.kind.label.lower()}: báo cáo tháng lập cho từng đảng bộ cơ sở "
                              f"hoặc chi bộ cơ sở{hint}.", code="not_tccsd")
    scope = load_scope(session, first, last, code)
    chi_bo = [(c.id, c.code, c.name) for c in scope.chi_bo if c.exists_throughout(first, last)]
    if not chi_bo:
        raise ValidationError(f"{org.name} không có chi bộ nào hoạt động suốt {month_label(month)}.", code="no_chi_bo")
    return org.id, org.name, chi_bo


def _roster_day(session: Session, org_id: int, month: dt.date, today: dt.date) -> dt.date:
    planned = session.scalar(select(Meeting.held_on).where(Meeting.org_id == org_id, Meeting.month == month,
                                                          Meeting.kind == MeetingKind.THUONG_KY)) or \
        session.scalar(select(Meeting.planned_on).where(Meeting.org_id == org_id, Meeting.month == month,
                                                       Meeting.kind == MeetingKind.THUONG_KY))
    return planned or min(month_end(month), today)


def write_template(session: Session, org_code: str, month: dt.date, path: str | Path, *,
                   today: dt.date | None = None) -> int:
    """Write the month's return workbook of a đảng bộ cơ sở; returns the number of chi bộ in it."""
    today = today or dt.date.today()
    _org_id, org_name, chi_bo = dang_bo_chi_bo(session, org_code, month)
    sheets = load_sheets(session)
    plans = []
    for org_id, code, name in chi_bo:
        stored = {}
        for kind in MeetingKind:
            meeting_id = session.scalar(select(Meeting.id).where(Meeting.org_id == org_id, Meeting.month == month,
                                                                 Meeting.kind == kind))
            if meeting_id is not None:
                stored[kind] = stored_view(session, meeting_id)
        plans.append(_ChiBoPlan(org_id, code, name, roster(session, org_id, _roster_day(session, org_id, month, today)),
                                stored))
    workbook = Workbook()
    guide = workbook.active
    assert guide is not None
    guide.title = GUIDE_SHEET
    _write_guide(guide, org_name, month, sheets)
    for kind in MeetingKind:
        _write_meetings(workbook.create_sheet(SHEET_OF[kind]), kind, sheets[kind], plans, org_name, month)
    _write_attendance(workbook.create_sheet(ATTENDANCE_SHEET), plans, org_name, month)
    meta = workbook.create_sheet(META_SHEET)
    for row in (("format", FORMAT), ("org", org_code), ("month", month.isoformat()[:7]),
                ("sheet_thuong_ky", sheets[MeetingKind.THUONG_KY].version),
                ("sheet_chuyen_de", sheets[MeetingKind.CHUYEN_DE].version), ("made_on", today.isoformat())):
        meta.append(row)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    workbook.security = WorkbookProtection(lockStructure=True)
    try:
        workbook.save(Path(path))
    except OSError as exc:
        raise FileUnwritable(path, exc, excel=True) from exc
    return len(plans)


def _write_guide(ws: Worksheet, org_name: str, month: dt.date, sheets: dict[MeetingKind, CriteriaSheet]) -> None:
    bands = "; ".join(f"{b.rating.label} từ {b.min_points} điểm" for b in sheets[MeetingKind.THUONG_KY].bands)
    ws.column_dimensions["A"].width = 120
    for n, line in enumerate(GUIDE, start=1):
        text = line.format(month_upper=month_label(month).upper(), org=org_name.upper(), bands=bands)
        cell = ws.cell(row=n, column=1, value=text)
        cell.font = _font(14 if n == 1 else 12, bold=n == 1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(text) > 110:
            ws.row_dimensions[n].height = 16 * (len(text) // 110 + 1)
    ws.protection.sheet = True


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws.cell(row=1, column=1, value=text).font = _font(13, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def _header(ws: Worksheet, labels: list[str], widths: list[float]) -> None:
    for index, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=label)
        cell.font, cell.fill, cell.border = _font(11, bold=True), HEADER_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[HEADER_ROW].height = 48
    ws.freeze_panes = f"D{HEADER_ROW + 1}"


def _cell(ws: Worksheet, row: int, column: int, value: object, *, editable: bool = False,
          date: bool = False) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    cell.border, cell.font = BOX, _font(11)
    cell.alignment = Alignment(vertical="top", wrap_text=True)
    if date:
        cell.number_format = DATE_FORMAT
    if editable:
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may be changed; nothing else of the structure
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _write_meetings(ws: Worksheet, kind: MeetingKind, sheet: CriteriaSheet, plans: list[_ChiBoPlan], org_name: str,
                    month: dt.date) -> None:
    labels = list(MEETING_COLUMNS) + [score_header(c) for c in sheet.criteria]
    widths = [6.0, 11, 30, 13, 13, 36, 14, 40, 40] + [14.0] * len(sheet.criteria)
    _title(ws, f"SINH HOẠT {kind.label.upper()} {month_label(month).upper()} – {org_name.upper()}", len(labels))
    _header(ws, labels, widths)
    last = HEADER_ROW + len(plans)
    dates = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                           allow_blank=True, showErrorMessage=True, errorTitle="Ngày không hợp lệ",
                           error="Ghi ngày theo dạng ngày/tháng/năm.")
    ws.add_data_validation(dates)
    dates.add(f"D{HEADER_ROW + 1}:E{last}")
    for n, criterion in enumerate(sheet.criteria):
        letter = get_column_letter(len(MEETING_COLUMNS) + 1 + n)
        points = DataValidation(type="whole", operator="between", formula1="0", formula2=str(criterion.max_points),
                                allow_blank=True, showErrorMessage=True, errorTitle="Điểm không hợp lệ",
                                error=f"Điểm là số nguyên từ 0 đến {criterion.max_points}.")
        ws.add_data_validation(points)
        points.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
    for number, plan in enumerate(plans, start=1):
        row = HEADER_ROW + number
        stored = plan.meetings.get(kind, {})
        values = [number, plan.code, plan.name]
        for column, value in enumerate(values, start=1):
            _cell(ws, row, column, value)
        planned, held = stored.get("planned_on"), stored.get("held_on")
        _cell(ws, row, 4, dt.date.fromisoformat(planned) if planned else None, editable=True, date=True)
        _cell(ws, row, 5, dt.date.fromisoformat(held) if held else None, editable=True, date=True)
        for column, key in ((6, "topic"), (7, "chair"), (8, "summary"), (9, "resolutions")):
            _cell(ws, row, column, stored.get(key), editable=True)
        scores = stored.get("scores") or {}
        for n, criterion in enumerate(sheet.criteria):
            _cell(ws, row, len(MEETING_COLUMNS) + 1 + n, scores.get(criterion.code), editable=True)
    _protect(ws)


def _write_attendance(ws: Worksheet, plans: list[_ChiBoPlan], org_name: str, month: dt.date) -> None:
    labels = list(ATTENDANCE_COLUMNS)
    _title(ws, f"ĐIỂM DANH SINH HOẠT CHI BỘ {month_label(month).upper()} – {org_name.upper()}", len(labels))
    _header(ws, labels, [6, 11, 30, 12, 28, 15, 18, 30, 18, 30])
    rows = [(plan, member) for plan in plans for member in plan.members]
    last = HEADER_ROW + max(1, len(rows))
    choices = DataValidation(type="list", formula1='"' + ",".join(CHOICES) + '"', allow_blank=True,
                             showErrorMessage=True, errorTitle="Chọn trong danh sách",
                             error="Chọn: " + ", ".join(CHOICES) + ".")
    ws.add_data_validation(choices)
    choices.add(f"G{HEADER_ROW + 1}:G{last}")
    choices.add(f"I{HEADER_ROW + 1}:I{last}")
    words = {"present": PRESENT, "excused": EXEMPT}
    for number, (plan, member) in enumerate(rows, start=1):
        row = HEADER_ROW + number
        exempt = member.status is MemberStatus.MIEN_SINH_HOAT
        for column, value in enumerate((number, plan.code, plan.name, member.code, member.full_name,
                                        member.status.label), start=1):
            _cell(ws, row, column, value)
        for column, kind in ((7, MeetingKind.THUONG_KY), (9, MeetingKind.CHUYEN_DE)):
            stored = plan.meetings.get(kind, {}).get("attendance", {}).get(member.code)
            if stored is None:
                value, reason = (EXEMPT if exempt else PRESENT), None
            elif stored[0] == "absent":
                value, reason = (WITH_REASON if stored[1] else WITHOUT_REASON), stored[1]
            else:
                value, reason = words[stored[0]], None
            _cell(ws, row, column, value, editable=True)
            _cell(ws, row, column + 1, reason, editable=True)
    _protect(ws)


