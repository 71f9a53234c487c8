"""The yearly rating return workbook (báo cáo xếp loại chất lượng) of one TCCSĐ.

Sheets: instructions; "Tổ chức" (the TCCSĐ and its chi bộ / đảng bộ bộ phận: proposed and decided level);
"Đảng viên" (every member on the round's reference date, where they are then: kind, disciplined in the year,
proposed and decided level). Pre-filled with what is stored; structure and codes protected; the cells to fill
are yellow with drop-downs. Members the rules do not rate show "Không xếp loại", locked. The TCCSĐ's own
decided level is the office's to set, so its cell is locked. Reading it back: spreadsheets/rating_returns.py.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import FileUnwritable
from khoi_desktop.core.kinds import ORG_KIND_LABELS
from khoi_desktop.core.ratings.entry import find_round, round_scope
from khoi_desktop.core.ratings.models import LEVEL_LABELS, LEVEL_SHORT, Level, MemberRating, OrgRating
from khoi_desktop.core.ratings.scope import KIND_LABELS, RoundScope
from khoi_desktop.core.text import show_date
from khoi_desktop.spreadsheets.layout import FONT_NAME

FORMAT = "khoi-desktop/rating-return/1"
META_SHEET = "_khoi"
GUIDE_SHEET = "Hướng dẫn"
ORG_SHEET = "Tổ chức"
MEMBER_SHEET = "Đảng viên"
HEADER_ROW = 3
ORG_COLUMNS = ("STT", "Mã tổ chức", "Tên tổ chức", "Loại", "Tự đánh giá", "Xếp loại", "Ghi chú")
MEMBER_COLUMNS = ("STT", "Mã chi bộ", "Tên chi bộ", "Mã đảng viên", "Họ và tên", "Diện", "Kỷ luật trong năm",
                  "Tự đánh giá", "Xếp loại", "Ghi chú")
NOT_RATED = "Không xếp loại"
BY_SUPERIOR = "Cấp trên quyết định"
YES, NO = "Có", "Không"
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GUIDE = (
    "BÁO CÁO KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NĂM {year} – {org}",
    "",
    "Danh sách đảng viên tính đến ngày {day} (ngày chốt): đảng viên chuyển sinh hoạt trong năm được xếp loại ở "
    "nơi sinh hoạt vào ngày này.",
    "1. Trang “Tổ chức”: chọn mức tự đánh giá và mức xếp loại của từng chi bộ, đảng bộ bộ phận. Mức xếp loại của "
    "{org} do cấp trên quyết định (ô đã khóa); chỉ ghi mức tự đánh giá.",
    "2. Trang “Đảng viên”: chọn “Có” ở cột “Kỷ luật trong năm” nếu đảng viên bị kỷ luật trong năm; chọn mức tự "
    "đánh giá và mức xếp loại. Đảng viên ghi “Không xếp loại” (mới kết nạp, miễn sinh hoạt … theo quy định) thì "
    "không xếp loại.",
    "3. Các mức: " + "; ".join(f"{LEVEL_SHORT[level]} – {LEVEL_LABELS[level]}" for level in Level) + ".",
    "4. Chỉ sửa các ô nền vàng. Không thêm, xóa, đổi tên trang hoặc cột; không sửa mã tổ chức, mã đảng viên.",
    "5. Nhập lại tệp vào phần mềm (menu “Xếp loại chất lượng” hoặc lệnh `ratings … import`). Phần mềm kiểm tra "
    "toàn bộ tệp trước; có lỗi thì không ghi gì và chỉ rõ trang, dòng, cột cần sửa. Kết quả đã có của đơn vị được "
    "thay bằng kết quả trong tệp, sau khi xem danh sách thay đổi.",
)


def _font(*, bold: bool = False, size: float = 11) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold)


def _header(ws: Worksheet, title: str, columns: tuple[str, ...], widths: tuple[int, ...]) -> None:
    ws.cell(1, 1, title).font = _font(bold=True, size=13)
    for index, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cell = ws.cell(HEADER_ROW, index, name)
        cell.font, cell.fill, cell.border = _font(bold=True), HEADER_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)


def _put(ws: Worksheet, row: int, column: int, value: object, *, open_cell: bool = False) -> None:
    cell = ws.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"  # a name like "=1+1 Chi bộ" stays words, never a formula Excel would run
    cell.font, cell.border = _font(), BOX
    if open_cell:
        cell.fill, cell.protection = INPUT_FILL, Protection(locked=False)


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False


def _levels_validation(ws: Worksheet, *, with_yes_no: bool = False) -> tuple[DataValidation, DataValidation | None]:
    levels = DataValidation(type="list", formula1='"' + ",".join(LEVEL_SHORT.values()) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Mức xếp loại",
                            error="Chọn một mức: " + ", ".join(LEVEL_SHORT.values()) + ".")
    ws.add_data_validation(levels)
    yes_no = None
    if with_yes_no:
        yes_no = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True, showErrorMessage=True,
                                errorTitle="Kỷ luật trong năm", error="Chọn “Có” hoặc “Không”.")
        ws.add_data_validation(yes_no)
    return levels, yes_no


def _short(level: Level | None) -> str | None:
    return level.short if level is not None else None


def template_name(code: str, year: int) -> str:
    return f"xep-loai-{code}-{year}.xlsx"


def write_all_templates(session: Session, year: int, folder: str | Path) -> list[tuple[str, int, int]]:
    """One return workbook per TCCSĐ active on the round's reference date, named by `template_name`, in
    `folder`; returns (code, organizations, members) of each. The round's scope is read once for all."""
    scope = round_scope(session, year)
    bodies = [scope.snapshot.nodes[i] for i in scope.snapshot.roots]
    written = []
    for body in bodies:
        if body.active and body.kind.is_tccsd:
            orgs, members = write_template(session, body.code, year, Path(folder) / template_name(body.code, year),
                                           scope=scope)
            written.append((body.code, orgs, members))
    return written


def write_template(session: Session, org_code: str, year: int, path: str | Path,
                   scope: RoundScope | None = None) -> tuple[int, int]:
    """Write the return workbook of the TCCSĐ `org_code`; returns (organizations, members) listed."""
    scope = scope or round_scope(session, year)
    body = scope.snapshot.root_of(scope.body(org_code).id)
    rnd = find_round(session, year)
    under = scope.ids_under(body.id)
    stored_orgs: dict[int, OrgRating] = {}
    stored_members: dict[int, MemberRating] = {}
    if rnd is not None:
        stored_orgs = {r.org_id: r for r in session.scalars(select(OrgRating).where(OrgRating.round_id == rnd.id))}
        stored_members = {r.member_id: r for r in session.scalars(
            select(MemberRating).where(MemberRating.round_id == rnd.id, MemberRating.org_id.in_(under)))}
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    day = show_date(scope.reference_date)
    for row, line in enumerate(GUIDE, start=1):
        cell = guide.cell(row, 1, line.format(year=year, org=body.name, day=day))
        cell.font = _font(bold=row == 1, size=13 if row == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 120
    _protect(guide)

    orgs_ws = wb.create_sheet(ORG_SHEET)
    _header(orgs_ws, f"Xếp loại tổ chức đảng năm {year} – {body.name}", ORG_COLUMNS, (6, 14, 45, 20, 14, 20, 40))
    levels, _ = _levels_validation(orgs_ws)
    orgs = scope.orgs_of(body.id)
    for n, node in enumerate(orgs, start=1):
        row = HEADER_ROW + n
        stored = stored_orgs.get(node.id)
        for column, value in enumerate((n, node.code, node.name, ORG_KIND_LABELS[node.kind]), start=1):
            _put(orgs_ws, row, column, value)
        _put(orgs_ws, row, 5, _short(stored.proposed) if stored else None, open_cell=True)
        levels.add(orgs_ws.cell(row, 5))
        if node.id == body.id:
            _put(orgs_ws, row, 6, _short(stored.decided) if stored and stored.decided else BY_SUPERIOR)
        else:
            _put(orgs_ws, row, 6, _short(stored.decided) if stored else None, open_cell=True)
            levels.add(orgs_ws.cell(row, 6))
        _put(orgs_ws, row, 7, stored.note if stored else None, open_cell=True)
    _protect(orgs_ws)

    members_ws = wb.create_sheet(MEMBER_SHEET)
    _header(members_ws, f"Xếp loại đảng viên năm {year} – {body.name} (danh sách đến ngày {day})", MEMBER_COLUMNS,
            (6, 14, 36, 14, 30, 16, 12, 14, 14, 36))
    levels, yes_no = _levels_validation(members_ws, with_yes_no=True)
    assert yes_no is not None
    nodes = scope.snapshot.nodes
    order = {org_id: i for i, org_id in enumerate(scope.snapshot.subtree_ids(body.id))}
    people = sorted(scope.members_of(body.id), key=lambda m: (order.get(m.org_id, 0), m.code))
    for n, person in enumerate(people, start=1):
        row = HEADER_ROW + n
        m_row = stored_members.get(person.id)
        chi_bo = nodes[person.org_id]
        for column, value in enumerate((n, chi_bo.code, chi_bo.name, person.code, person.name,
                                        KIND_LABELS[person.kind]), start=1):
            _put(members_ws, row, column, value)
        _put(members_ws, row, 7, YES if m_row and m_row.disciplined else NO, open_cell=True)
        yes_no.add(members_ws.cell(row, 7))
        if person.rated:
            _put(members_ws, row, 8, _short(m_row.proposed) if m_row else None, open_cell=True)
            _put(members_ws, row, 9, _short(m_row.decided) if m_row else None, open_cell=True)
            levels.add(members_ws.cell(row, 8))
            levels.add(members_ws.cell(row, 9))
        else:
            _put(members_ws, row, 8, NOT_RATED)
            _put(members_ws, row, 9, NOT_RATED)
        _put(members_ws, row, 10, m_row.note if m_row else None, open_cell=True)
    _protect(members_ws)

    meta = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate((("format", FORMAT), ("org", body.code), ("year", str(year)),
                                        ("reference_date", scope.reference_date.isoformat())), start=1):
        meta.cell(row, 1, key)
        meta.cell(row, 2, value)
    meta.sheet_state = "hidden"
    _protect(meta)
    wb.security = WorkbookProtection(lockStructure=True)
    try:
        wb.save(path)
    except OSError as exc:
        raise FileUnwritable(path, exc, excel=True) from None
    return len(orgs), len(people)
