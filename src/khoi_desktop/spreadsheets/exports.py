"""Excel exports: member lists, organizations with counts, the outgoing register, Biểu 1 and Biểu 5."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from khoi_desktop.core.errors import FileUnwritable, OrgNotFound, ValidationError
from khoi_desktop.core.models import MemberStatus, Sex, member_status
from khoi_desktop.core.recorded_register import recorded_rows
from khoi_desktop.core.register import RegisterRow, register_rows
from khoi_desktop.core.reports import DECREASE_KEYS, INCREASE_KEYS, REASON_LABELS, Bieu1Row, bieu1, bieu5
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.text import show_date
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.spreadsheets.kinds import ExportKind
from khoi_desktop.spreadsheets.layout import Column, ExportCancelled, OfficeHeader, ReportSheet, write_report

__all__ = ["ExportCancelled", "ExportKind", "ExportOptions", "ExportResult", "export"]


@dataclass(frozen=True)
class ExportOptions:
    as_of: dt.date | None = None  # members, organizations, Biểu 5 (default today)
    start: dt.date | None = None  # Biểu 1 and the register (default 1 January of the end's year)
    end: dt.date | None = None  # default today
    org: str | None = None  # members of one organization (with its chi bộ trực thuộc)
    today: dt.date | None = None


@dataclass(frozen=True)
class ExportResult:
    kind: ExportKind
    path: Path
    rows: int  # data rows written (totals excluded)
    summary: str


def _office(session: Session, today: dt.date) -> OfficeHeader:
    settings = load_settings(session)
    return OfficeHeader(settings.superior_body.replace("\n", " "), settings.issuing_body.replace("\n", " "),
                        settings.place_name, today)


def _period(options: ExportOptions, today: dt.date) -> tuple[dt.date, dt.date]:
    end = options.end or today
    start = options.start or dt.date(end.year, 1, 1)
    if start > end:
        today_said = " (không ghi ngày kết thúc thì là hôm nay)" if options.end is None else ""
        raise ValidationError(f"Ngày bắt đầu {show_date(start)} sau ngày kết thúc {show_date(end)}{today_said}: "
                              "hãy chọn ngày bắt đầu không sau ngày kết thúc. Chưa xuất gì.", code="bad_period")
    return start, end


MEMBER_COLUMNS = [
    Column("STT", 6, kind="center"), Column("Mã", 11, kind="center"), Column("Họ và tên", 26),
    Column("Giới tính", 8, kind="center"), Column("Ngày sinh", 12, kind="date"),
    Column("Ngày vào Đảng", 12, kind="date"), Column("Ngày chính thức", 12, kind="date"),
    Column("Trạng thái", 12, kind="center"), Column("Số thẻ", 12, kind="center"), Column("CCCD", 15, kind="center"),
    Column("Chức vụ", 24), Column("Chi bộ", 28), Column("Tổ chức cơ sở đảng", 28),
]


def _day(value: str | dt.date | None) -> dt.date | None:
    """A date column read as plain SQL: ISO text from SQLite, a date from a server."""
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value or None


def _members(session: Session, sheet: ReportSheet, options: ExportOptions, today: dt.date) -> tuple[int, str]:
    as_of = options.as_of or today
    snapshot = load_snapshot(session, as_of)
    org_ids: list[int] | None = None
    scope = "toàn Đảng bộ"
    if options.org:
        node = snapshot.by_code(options.org)
        if node is None:
            raise OrgNotFound(options.org, on=as_of)
        org_ids, scope = snapshot.subtree_ids(node.id), node.name
    rows = _member_rows(session, snapshot.in_tree_order(), org_ids, as_of)
    count = next(rows)
    sheet.expect(count)
    sheet.title("DANH SÁCH ĐẢNG VIÊN", scope.upper() if options.org else scope.capitalize(),
                f"Tính đến ngày {show_date(as_of)}")
    sheet.header()
    probationary = women = 0
    for number, r in enumerate(rows, start=1):
        birth_date, admitted_on, full_member_on, exempt_since = (_day(d) for d in r[5:9])
        status = member_status(full_member_on, exempt_since, as_of, _day(r[13]))
        sex = Sex(r[4])
        probationary += status is MemberStatus.DU_BI
        women += sex is Sex.NU
        node = snapshot.nodes.get(r[12])
        full_name = " ".join(p for p in r[1:4] if p)
        sheet.data([number, r[0], full_name, sex.label, birth_date, admitted_on, full_member_on,
                    status.label, r[9], r[10], r[11], node.name if node else "",
                    snapshot.root_of(node.id).name if node else ""])
    total = (f"Tổng số: {thousands(count)} đảng viên (dự bị: {thousands(probationary)}; "
             f"nữ: {thousands(women)})")
    sheet.data([None, None, total] + [None] * (len(MEMBER_COLUMNS) - 3), bold=True, span=2, merge_from=3)
    return count, total


_MEMBER_ROWS = """
SELECT m.code, m.family_name, m.middle_name, m.given_name, m.sex, m.birth_date, m.admitted_on, m.full_member_on,
       m.exempt_since, m.card_number, m.national_id, m.job_title, ms.org_id,
       m.exempt_until
FROM memberships ms JOIN members m ON m.id = ms.member_id LEFT JOIN export_order o ON o.org_id = ms.org_id
WHERE ms.valid_from <= :day AND (ms.valid_to IS NULL OR ms.valid_to > :day) {scope}
ORDER BY coalesce(o.position, 0), m.sort_key, m.code"""


def _member_rows(session: Session, tree_order: list[int], org_ids: list[int] | None,
                 day: dt.date) -> Iterator[Any]:
    """The count, then the member rows in tree order, name order within a chi bộ, streamed from the database:
    the order comes from a temporary table of positions (the connection's own, on SQLite and on a server), so
    no list of 100.000 rows is held (flat memory; a server cursor on PostgreSQL)."""
    from sqlalchemy import text

    connection = session.connection()
    connection.execute(text(
        "CREATE TEMP TABLE IF NOT EXISTS export_order (org_id INTEGER PRIMARY KEY, position INTEGER NOT NULL)"))
    connection.execute(text("DELETE FROM export_order"))
    wanted = set(org_ids) if org_ids is not None else None
    positions = [{"org_id": org_id, "position": position} for position, org_id in enumerate(tree_order)
                 if wanted is None or org_id in wanted]
    if positions:
        connection.execute(text("INSERT INTO export_order (org_id, position) VALUES (:org_id, :position)"),
                           positions)
    sql = _MEMBER_ROWS.format(scope="AND o.org_id IS NOT NULL" if org_ids is not None else "")
    params = {"day": day.isoformat()}
    yield connection.execute(text(f"SELECT count(*) FROM ({sql}) AS listed"), params).scalar_one()
    yield from connection.execution_options(stream_results=True, yield_per=2000).execute(text(sql), params)


ORG_COLUMNS = [
    Column("STT", 6, kind="center"), Column("Mã", 10, kind="center"), Column("Tên tổ chức đảng", 46),
    Column("Loại tổ chức", 18), Column("Trực thuộc", 30), Column("Ngày thành lập", 13, kind="date"),
    Column("Số đảng viên", 11, kind="number"), Column("Chính thức", 11, kind="number"),
    Column("Dự bị", 9, kind="number"),
]


def _organizations(session: Session, sheet: ReportSheet, options: ExportOptions, today: dt.date) -> tuple[int, str]:
    as_of = options.as_of or today
    snapshot = load_snapshot(session, as_of)
    sheet.expect(len(snapshot.nodes))
    sheet.title("DANH SÁCH TỔ CHỨC ĐẢNG VÀ SỐ ĐẢNG VIÊN", f"Tính đến ngày {show_date(as_of)}")
    sheet.header()
    depth: dict[int, int] = {}
    count = 0
    for org_id in snapshot.in_tree_order():
        node = snapshot.nodes[org_id]
        parent = snapshot.nodes.get(node.parent_id) if node.parent_id is not None else None
        depth[org_id] = depth[parent.id] + 1 if parent else 0
        count += 1
        sheet.data([count, node.code, node.name, node.kind.label, parent.name if parent else "Đảng ủy Khối",
                    node.founded_on, node.members, node.full_members, node.probationary],
                   bold=depth[org_id] == 0, indent=2 * depth[org_id], indent_column=3)
    roots = [snapshot.nodes[i] for i in snapshot.roots]
    members = sum(n.members for n in roots)
    full = sum(n.full_members for n in roots)
    sheet.data([None, None, f"Tổng cộng: {len(roots)} tổ chức cơ sở đảng", None, None, None, members, full,
                members - full], bold=True)
    return count, f"{count} tổ chức, {thousands(members)} đảng viên"


REGISTER_COLUMNS = [
    Column("STT", 6, kind="center"), Column("Số, ký hiệu", 16, kind="center"),
    Column("Ngày ban hành", 13, kind="date"), Column("Loại văn bản", 11, kind="center"),
    Column("Trích yếu nội dung", 50), Column("Người ký", 20), Column("Nơi nhận", 40), Column("Ghi chú", 12),
]


def _register_rows_into(sheet: ReportSheet, rows: list[RegisterRow], subtitle: str) -> None:
    sheet.title("SỔ ĐĂNG KÝ VĂN BẢN ĐI", subtitle)
    sheet.header()
    for number, row in enumerate(rows, start=1):
        recipients = "\n".join(f"- {r.lstrip('- ').strip()}" for r in row.recipients if r.strip())
        sheet.data([number, row.code or (str(row.number) if row.number else ""), row.issued_on, row.doc_type,
                    row.subject, row.signer, recipients, None])
    sheet.data([None, None, None, None, f"Tổng số: {len(rows)} văn bản", None, None, None], bold=True)


def _register(session: Session, sheet: ReportSheet, options: ExportOptions, today: dt.date) -> tuple[int, str]:
    start, end = _period(options, today)
    rows = register_rows(session, date_from=start, date_to=end)
    _register_rows_into(sheet, rows, f"Từ ngày {show_date(start)} đến ngày {show_date(end)}")
    return len(rows), f"{len(rows)} văn bản"


RECORDED_COLUMNS = [
    Column("STT", 6, kind="center"), Column("Số, ký hiệu", 16, kind="center"), Column("Ngày ký", 13, kind="date"),
    Column("Cơ quan ban hành", 28), Column("Trích yếu nội dung", 50), Column("Người ký", 20),
    Column("Bản chụp đã ký", 12, kind="center"),
]


def _recorded(session: Session, sheet: ReportSheet, options: ExportOptions, today: dt.date) -> tuple[int, str]:
    """The second register: decisions of the đảng ủy cơ sở recorded here with their own numbers."""
    start, end = _period(options, today)
    rows = recorded_rows(session, date_from=start, date_to=end)
    sheet.title("SỔ GHI NHẬN QUYẾT ĐỊNH CỦA ĐẢNG ỦY CƠ SỞ", f"Từ ngày {show_date(start)} đến ngày {show_date(end)}")
    sheet.header()
    for number, row in enumerate(rows, start=1):
        sheet.data([number, row.code, row.signed_on, row.issuer, row.subject, row.signer,
                    "Có" if row.scan_sha256 else "Chưa có"])
    sheet.data([None, None, None, None, f"Tổng số: {len(rows)} quyết định", None, None], bold=True)
    return len(rows), f"{len(rows)} quyết định"


def register_workbook(session: Session, rows: list[RegisterRow], subtitle: str,
                      today: dt.date | None = None) -> bytes:
    """The outgoing register for rows chosen elsewhere (the register window's filters), laid out for print."""
    data = write_report(None, ExportKind.REGISTER.label, REGISTER_COLUMNS, _office(session, today or dt.date.today()),
                        lambda sheet: _register_rows_into(sheet, rows, subtitle))
    assert data is not None
    return data


def _bieu1_columns() -> list[Column]:
    columns = [Column("STT", 5, kind="center"), Column("Tổ chức cơ sở đảng", 34),
               Column("Tổng số", 8, "Đầu kỳ", "number"), Column("Dự bị", 7, "Đầu kỳ", "number"),
               Column("Cộng", 7, "Tăng", "number")]
    columns += [Column(REASON_LABELS[k], 9, "Tăng", "number") for k in INCREASE_KEYS]
    columns += [Column("Cộng", 7, "Giảm", "number")]
    columns += [Column(REASON_LABELS[k], 9, "Giảm", "number") for k in DECREASE_KEYS]
    columns += [Column("Công nhận chính thức", 10, kind="number"), Column("Tổng số", 8, "Cuối kỳ", "number"),
                Column("Dự bị", 7, "Cuối kỳ", "number")]
    return columns


def _bieu1_values(number: int | None, row: Bieu1Row) -> list[object]:
    values: list[object] = [number, row.name]
    return (values + [row.opening, row.opening_probationary, row.increase_total]
            + [row.increases[k] for k in INCREASE_KEYS] + [row.decrease_total]
            + [row.decreases[k] for k in DECREASE_KEYS] + [row.made_full, row.closing, row.closing_probationary])


def _bieu1(session: Session, sheet: ReportSheet, options: ExportOptions, today: dt.date) -> tuple[int, str]:
    start, end = _period(options, today)
    form = bieu1(session, start, end)
    sheet.title("BIỂU 1: TĂNG, GIẢM ĐẢNG VIÊN", f"Từ ngày {show_date(start)} đến ngày {show_date(end)}")
    sheet.header()
    for number, row in enumerate(form.rows, start=1):
        sheet.data(_bieu1_values(number, row))
    sheet.data(_bieu1_values(None, form.total), bold=True)
    sheet.note("Số đầu kỳ tính đến hết ngày trước ngày bắt đầu; mỗi tổ chức cơ sở đảng theo vị trí cuối kỳ. "
               "Chuyển sinh hoạt giữa các tổ chức trong Đảng bộ không tính vào tăng, giảm của toàn Đảng bộ.")
    total = form.total
    return len(form.rows), (f"đầu kỳ {thousands(total.opening)}, tăng {total.increase_total}, "
                            f"giảm {total.decrease_total}, cuối kỳ {thousands(total.closing)}")


BIEU5_COLUMNS = [Column("STT", 6, kind="center"), Column("Loại tổ chức", 40),
                 Column("Số tổ chức", 12, kind="number"), Column("Tổng số", 12, "Đảng viên", "number"),
                 Column("Dự bị", 12, "Đảng viên", "number"), Column("Nữ", 12, "Đảng viên", "number")]


def _bieu5(session: Session, sheet: ReportSheet, options: ExportOptions, today: dt.date) -> tuple[int, str]:
    as_of = options.as_of or today
    form = bieu5(session, as_of)
    sheet.title("BIỂU 5: TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN THEO LOẠI HÌNH TỔ CHỨC", f"Tính đến ngày {show_date(as_of)}")
    sheet.header()
    number = 0
    for row in form.rows:
        number += not row.detail
        sheet.data([None if row.detail else number, row.label, row.organizations, row.members, row.probationary,
                    row.women], italic=row.detail, indent=2 if row.detail else 0)
    total = form.total
    sheet.data([None, total.label, total.organizations, total.members, total.probationary, total.women], bold=True)
    return len(form.rows), f"{total.organizations} tổ chức cơ sở đảng, {thousands(total.members)} đảng viên"


def _badges(session: Session, sheet: ReportSheet, options: ExportOptions, today: dt.date) -> tuple[int, str]:
    from khoi_desktop.spreadsheets.badge_list import write_badges

    return write_badges(session, sheet, options.as_of, today)


def _badge_columns() -> list[Column]:
    from khoi_desktop.spreadsheets.badge_list import BADGE_COLUMNS

    return BADGE_COLUMNS


_WRITERS = {
    ExportKind.MEMBERS: (MEMBER_COLUMNS, _members, 4),
    ExportKind.ORGANIZATIONS: (ORG_COLUMNS, _organizations, 4),
    ExportKind.REGISTER: (REGISTER_COLUMNS, _register, 1),
    ExportKind.RECORDED: (RECORDED_COLUMNS, _recorded, 1),
    ExportKind.BIEU1: (None, _bieu1, 3),
    ExportKind.BIEU5: (BIEU5_COLUMNS, _bieu5, 1),
    ExportKind.BADGES: (None, _badges, 3),
}


def export(session: Session, kind: ExportKind | str, path: str | Path,
           options: ExportOptions = ExportOptions(), *,  # noqa: B008 - frozen dataclass
           progress: Callable[[int, int], None] | None = None,
           cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write one report to an .xlsx file laid out for printing.

    The file appears complete or not at all: `cancelled()` true stops with ExportCancelled, nothing written.
    """
    kind = ExportKind(kind)
    path = Path(path)
    today = options.today or dt.date.today()
    columns, writer, freeze_column = _WRITERS[kind]
    title = {ExportKind.BIEU1: "Biểu 1", ExportKind.BIEU5: "Biểu 5", ExportKind.BADGES: "Huy hiệu Đảng"}.get(
        kind, kind.label)
    outcome: list[tuple[int, str]] = []

    def fill(sheet: ReportSheet) -> None:
        outcome.append(writer(session, sheet, options, today))
        if kind in (ExportKind.BIEU1, ExportKind.BIEU5, ExportKind.BADGES):
            sheet.signature()

    # Written next to the target and moved in place at the end: a refusal half-way (an unknown
    # organization) or a failure leaves no half-written file, and an open copy in Excel is not clobbered.
    partial = path.with_name(f".{path.name}.dang-ghi")
    try:
        if columns is None:
            columns = _badge_columns() if kind is ExportKind.BADGES else _bieu1_columns()
        write_report(partial, title, columns, _office(session, today), fill,
                     freeze_column=freeze_column, progress=progress, cancelled=cancelled)
        partial.replace(path)
    except OSError as exc:
        raise FileUnwritable(path, exc, excel=True) from exc
    finally:
        partial.unlink(missing_ok=True)
    rows, summary = outcome[0]
    return ExportResult(kind, path, rows, summary)
