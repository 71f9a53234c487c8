"""Reading a monthly meeting return back (the workbook of spreadsheets/meeting_template.py).

As strict as the member import: every problem names its sheet, row and column; nothing is written unless
the whole workbook is right; a month already recorded is replaced only when asked, after its differences
are shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import FileMissing, KhoiError, RequestRefused, ValidationError, refuse_folder
from khoi_desktop.core.meetings.criteria import CriteriaSheet, load_sheets
from khoi_desktop.core.meetings.models import AttendanceStatus, MeetingKind
from khoi_desktop.core.meetings.recording import (
    AttendanceInput,
    MeetingInput,
    MeetingPlan,
    differences,
    month_label,
    roster,
    save_return,
    stored_view,
    validate,
)
from khoi_desktop.core.models import MemberStatus, Organization
from khoi_desktop.core.text import nfc, show_date
from khoi_desktop.spreadsheets.dates import DateProblem, parse_cell_date
from khoi_desktop.spreadsheets.meeting_template import (
    ATTENDANCE_COLUMNS,
    ATTENDANCE_SHEET,
    CHOICES,
    EXEMPT,
    FORMAT,
    HEADER_ROW,
    MEETING_COLUMNS,
    META_SHEET,
    PRESENT,
    SHEET_OF,
    WITH_REASON,
    WITHOUT_REASON,
    dang_bo_chi_bo,
    score_header,
)

log = logging.getLogger(__name__)

# --- reading it back ----------------------------------------------------------------------------------

# The app's return workbooks by their format's stem: what each is and where it is imported.
_RETURNS = {"khoi-desktop/meeting-return/": ("báo cáo sinh hoạt chi bộ",
                                             "phần sinh hoạt chi bộ (lệnh meetings … import)"),
            "khoi-desktop/rating-return/": ("báo cáo xếp loại chất lượng",
                                            "phần xếp loại chất lượng (lệnh ratings … import --year NĂM)")}


def other_return(workbook: Any, expected: str) -> str:
    """'' unless the workbook is another of the app's returns (a meeting return given to the ratings import was
    said to be «lập bằng phiên bản khác của phần mềm»): then what it is and where it goes."""
    try:
        meta = {str(r[0]): str(r[1]) for r in workbook["_khoi"].iter_rows(values_only=True) if r and r[0]}
    except KeyError:
        return ""
    found = meta.get("format", "")
    stem = next((s for s in _RETURNS if found.startswith(s)), None)
    if stem is None or expected.startswith(stem):
        return ""
    wanted = next(label for s, (label, _where) in _RETURNS.items() if expected.startswith(s))
    label, where = _RETURNS[stem]
    return f"Tệp là {label}, không phải {wanted}: hãy nhập tệp này ở {where}. Chưa nhập gì."


@dataclass(frozen=True)
class ReturnProblem:
    sheet: str
    row: int | None
    column: str  # letter, '' for the whole row or sheet
    header: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "header": self.header,
                "message": self.message}

    def text(self) -> str:
        where = f"Trang “{self.sheet}”" + (f", dòng {self.row}" if self.row else "") + \
            (f", cột {self.column} ({self.header})" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ReturnReport:
    source: str
    org: str = ""
    org_name: str = ""
    month: dt.date | None = None
    plans: list[MeetingPlan] = field(default_factory=list)
    errors: list[ReturnProblem] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)  # "CB0001 thường kỳ" -> lines, for replacements
    unchanged: list[str] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        month = month_label(self.month) if self.month else ""
        if self.imported:
            return f"Đã nhập {self.imported} cuộc sinh hoạt {month} của {self.org_name} từ {self.source}."
        if not self.ok:
            return f"Tệp {self.source}: {len(self.errors)} lỗi, chưa nhập được; hãy sửa tệp rồi kiểm tra lại."
        text = f"Tệp {self.source} ({self.org_name}, {month}): có thể nhập {len(self.plans)} cuộc sinh hoạt"
        if self.changes:
            text += f", trong đó {len(self.changes)} cuộc đã có số liệu sẽ bị ghi đè"
        if self.unchanged:
            text += f"; {len(self.unchanged)} cuộc giống hệt số liệu đã có"
        return text + "."

    def as_json(self, *, dry_run: bool) -> dict[str, Any]:
        return {"ok": self.ok, "dry_run": dry_run, "org": self.org, "month": self.month.isoformat()[:7]
                if self.month else None, "meetings": len(self.plans), "imported": self.imported,
                "errors": [p.as_json() for p in self.errors], "replaces": self.changes,
                "unchanged": list(self.unchanged)}


class ReturnRefused(ValidationError):
    code = "import_refused"

    def __init__(self, report: ReturnReport) -> None:
        super().__init__(report.summary())
        self.report = report


class ReplaceNotConfirmed(KhoiError):
    """The month already has meetings that this workbook would change: ask first (report.changes)."""

    code = "confirm_replace"

    def __init__(self, report: ReturnReport) -> None:
        super().__init__(f"{report.org_name} đã có số liệu sinh hoạt {month_label(report.month)} "  # type: ignore[arg-type]
                         f"cho {len(report.changes)} cuộc họp; tệp này sẽ thay đổi chúng. Xem các thay đổi rồi xác "
                         "nhận ghi đè.")
        self.report = report


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


class _Reader:
    def __init__(self, session: Session, path: Path, today: dt.date) -> None:
        self.session, self.path, self.today = session, path, today
        self.report = ReturnReport(path.name)

    def problem(self, sheet: str, row: int | None, index: int | None, headers: tuple[str, ...] | list[str],
                message: str) -> None:
        column, header = ("", "") if index is None else (_letter(index), headers[index])
        self.report.errors.append(ReturnProblem(sheet, row, column, header, message))

    def run(self) -> ReturnReport:
        refuse_folder(self.path, "bảng tính Excel", "bao-cao.xlsx")
        try:
            workbook = load_workbook(self.path, data_only=True)
        except FileNotFoundError:
            raise FileMissing(self.path) from None
        except Exception as exc:  # zip, XML, a name not ending .xlsx … : not a workbook (openpyxl says it in English)
            log.warning("cannot read %s: %r", self.path.name, exc)
            raise ValidationError(f"Không đọc được {self.path.name} như một tệp Excel (.xlsx): tệp bị hỏng hoặc không "
                                  "phải bảng tính Excel.", code="bad_workbook") from None
        meta = self._meta(workbook)
        if meta is None:
            return self.report
        org_code, month, versions = meta
        _org_id, org_name, chi_bo = dang_bo_chi_bo(self.session, org_code, month)
        self.report.org, self.report.org_name, self.report.month = org_code, org_name, month
        sheets = load_sheets(self.session)
        for kind in MeetingKind:
            if versions.get(kind) != sheets[kind].version:
                self.problem(META_SHEET, None, None, [], f"Phiếu chấm điểm sinh hoạt {kind.label.lower()} đã thay đổi "
                                                        "từ khi lập tệp này: hãy lập lại tệp báo cáo tháng.")
        if self.report.errors:
            return self.report
        known = {code: (org_id, name) for org_id, code, name in chi_bo}
        meetings = {kind: self._meetings(workbook, kind, sheets[kind], known) for kind in MeetingKind}
        attendance = self._attendance(workbook, known)
        for code in known:
            for kind in MeetingKind:
                entry = meetings[kind].get(code)
                if entry is not None:
                    self._plan(kind, code, entry, attendance.get((code, kind), []), known[code][1])
        return self.report

    def _meta(self, workbook: Any) -> tuple[str, dt.date, dict[MeetingKind, str]] | None:
        names = set(workbook.sheetnames)
        needed = {META_SHEET, ATTENDANCE_SHEET, *SHEET_OF.values()}
        if META_SHEET not in names:
            self.problem(self.path.name, None, None, [], "Tệp không phải báo cáo sinh hoạt chi bộ do phần mềm lập "
                                                          "(thiếu trang thông tin ẩn): hãy lập tệp từ phần mềm.")
            return None
        other = other_return(workbook, FORMAT)
        if other:
            self.problem(self.path.name, None, None, [], other)
            return None
        for missing in sorted(needed - names):
            self.problem(missing, None, None, [], "Thiếu trang này: không đổi tên hoặc xóa trang của tệp báo cáo.")
        values = {str(r[0]): str(r[1]) for r in workbook[META_SHEET].iter_rows(values_only=True) if r and r[0]}
        if values.get("format") != FORMAT:
            self.problem(META_SHEET, None, None, [], "Tệp báo cáo lập bằng phiên bản khác của phần mềm: hãy lập lại.")
        if self.report.errors:
            return None
        try:
            month = dt.date.fromisoformat(values["month"] + "-01")
        except (KeyError, ValueError):
            self.problem(META_SHEET, None, None, [], "Không đọc được tháng báo cáo trong tệp.")
            return None
        return values.get("org", ""), month, {MeetingKind.THUONG_KY: values.get("sheet_thuong_ky", ""),
                                              MeetingKind.CHUYEN_DE: values.get("sheet_chuyen_de", "")}

    def _rows(self, ws: Worksheet, expected: list[str]) -> list[tuple[int, list[object]]] | None:
        header = [nfc(str(v)) if v is not None else "" for v in next(ws.iter_rows(
            min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())]
        for index, label in enumerate(expected):
            if index >= len(header) or header[index] != label:
                self.problem(ws.title, HEADER_ROW, index, expected, f"tiêu đề cột phải là “{label}”: không thêm, xóa "
                                                                    "hay đổi chỗ các cột.")
                return None
        rows = []
        for number, values in enumerate(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True), start=HEADER_ROW + 1):
            cells = list(values) + [None] * (len(expected) - len(values))
            if any(v is not None and str(v).strip() for v in cells):
                rows.append((number, cells[:len(expected)]))
        return rows

    def _date(self, sheet: str, row: int, index: int, headers: list[str], value: object) -> dt.date | None:
        try:
            return parse_cell_date(value, today=self.today)
        except DateProblem as exc:
            self.problem(sheet, row, index, headers, str(exc))
            return None

    def _meetings(self, workbook: Any, kind: MeetingKind, sheet: CriteriaSheet,
                  known: dict[str, tuple[int, str]]) -> dict[str, dict[str, Any]]:
        ws = workbook[SHEET_OF[kind]]
        headers = list(MEETING_COLUMNS) + [score_header(c) for c in sheet.criteria]
        rows = self._rows(ws, headers)
        result: dict[str, dict[str, Any]] = {}
        for number, cells in rows or []:
            code = str(cells[1] or "").strip()
            if code not in known:
                self.problem(ws.title, number, 1, headers, f"mã chi bộ “{code}” không thuộc đảng bộ của báo cáo.")
                continue
            if code in result:
                self.problem(ws.title, number, 1, headers, f"chi bộ {code} có hai dòng.")
                continue
            planned = self._date(ws.title, number, 3, headers, cells[3])
            held = self._date(ws.title, number, 4, headers, cells[4])
            texts = {}
            for index, key in ((5, "topic"), (6, "chair"), (7, "summary"), (8, "resolutions")):
                value = cells[index]
                texts[key] = " ".join(nfc(str(value)).split()) if value is not None and str(value).strip() else None
            scores: dict[str, int] = {}
            for n, criterion in enumerate(sheet.criteria):
                index = len(MEETING_COLUMNS) + n
                value = cells[index]
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                if isinstance(value, str) and value.strip().isdigit():
                    value = int(value.strip())
                if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= criterion.max_points:
                    self.problem(ws.title, number, index, headers,
                                 f"điểm phải là số nguyên từ 0 đến {criterion.max_points} (đang ghi “{value}”).")
                    continue
                scores[criterion.code] = value
            if held is None and planned is None and not scores and not any(texts.values()):
                continue  # not reported
            if held is None and scores:
                self.problem(ws.title, number, 4, headers, "có điểm nhưng chưa ghi ngày họp.")
                continue
            if held is not None and scores and len(scores) < len(sheet.criteria):
                missing = [c for n, c in enumerate(sheet.criteria) if c.code not in scores]
                self.problem(ws.title, number, len(MEETING_COLUMNS) + sheet.criteria.index(missing[0]), headers,
                             "chưa chấm đủ điểm: chấm tất cả tiêu chí, hoặc để trống toàn bộ điểm.")
                continue
            if planned is None and held is None:
                self.problem(ws.title, number, 4, headers, "có nội dung nhưng chưa ghi ngày họp hoặc ngày dự kiến.")
                continue
            result[code] = {"row": number, "planned_on": planned, "held_on": held, "scores": scores or None, **texts}
        return result

    def _attendance(self, workbook: Any, known: dict[str, tuple[int, str]]
                    ) -> dict[tuple[str, MeetingKind], list[tuple[int, int, AttendanceInput]]]:
        ws = workbook[ATTENDANCE_SHEET]
        headers = list(ATTENDANCE_COLUMNS)
        result: dict[tuple[str, MeetingKind], list[tuple[int, int, AttendanceInput]]] = {}
        words = {PRESENT: AttendanceStatus.PRESENT, WITH_REASON: AttendanceStatus.ABSENT,
                 WITHOUT_REASON: AttendanceStatus.ABSENT, EXEMPT: AttendanceStatus.EXCUSED}
        for number, cells in self._rows(ws, headers) or []:
            code, member = str(cells[1] or "").strip(), str(cells[3] or "").strip()
            if code not in known:
                self.problem(ws.title, number, 1, headers, f"mã chi bộ “{code}” không thuộc đảng bộ của báo cáo.")
                continue
            for index, kind in ((6, MeetingKind.THUONG_KY), (8, MeetingKind.CHUYEN_DE)):
                value = nfc(str(cells[index])).strip() if cells[index] is not None else ""
                reason = cells[index + 1]
                reason_text = " ".join(nfc(str(reason)).split()) if reason is not None and str(reason).strip() else None
                if not value:
                    continue
                if value not in words:
                    self.problem(ws.title, number, index, headers, f"“{value}” không hợp lệ: chọn " +
                                 ", ".join(CHOICES) + ".")
                    continue
                if value == WITH_REASON and not reason_text:
                    self.problem(ws.title, number, index + 1, headers, "vắng có lý do: cần ghi lý do.")
                    continue
                if value == WITHOUT_REASON and reason_text:
                    self.problem(ws.title, number, index + 1, headers,
                                 "đã ghi lý do: chọn “Vắng có lý do”, hoặc xóa lý do.")
                    continue
                entry = AttendanceInput(member, words[value], reason_text if value == WITH_REASON else None)
                result.setdefault((code, kind), []).append((number, index, entry))
        return result

    def _plan(self, kind: MeetingKind, code: str, entry: dict[str, Any],
              attendance: list[tuple[int, int, AttendanceInput]], name: str) -> None:
        sheet_name, row = SHEET_OF[kind], entry["row"]
        headers = list(MEETING_COLUMNS)
        held = entry["held_on"]
        errors_before = len(self.report.errors)
        rows: list[AttendanceInput] = []
        if held is not None:
            members = {m.code: m for m in roster(self.session, self._org_id(code), held)}
            for number, index, item in attendance:
                if item.member not in members:
                    self.problem(ATTENDANCE_SHEET, number, 3, list(ATTENDANCE_COLUMNS),
                                 f"đảng viên {item.member} không sinh hoạt tại {name} ngày họp {show_date(held)}.")
                    continue
                exempt = members[item.member].status is MemberStatus.MIEN_SINH_HOAT
                if item.status is AttendanceStatus.EXCUSED and not exempt:
                    self.problem(ATTENDANCE_SHEET, number, index, list(ATTENDANCE_COLUMNS),
                                 f"{members[item.member].full_name} không được miễn sinh hoạt: chọn có mặt hoặc vắng.")
                    continue
                rows.append(item)
            listed = {item.member for item in rows} | {a[2].member for a in attendance}
            for member in members.values():
                if member.code not in listed and member.status is not MemberStatus.MIEN_SINH_HOAT:
                    self.problem(ATTENDANCE_SHEET, None, 6 if kind is MeetingKind.THUONG_KY else 8,
                                 list(ATTENDANCE_COLUMNS), f"chưa điểm danh {member.full_name} ({member.code}) của "
                                 f"{name} cho cuộc họp {kind.label.lower()} ngày {show_date(held)}.")
        meeting = MeetingInput(org=code, kind=kind, planned_on=entry["planned_on"], held_on=held,
                               month=self.report.month, topic=entry["topic"], chair=entry["chair"],
                               summary=entry["summary"], resolutions=entry["resolutions"], attendance=tuple(rows),
                               scores=entry["scores"])
        if len(self.report.errors) > errors_before:
            return
        try:
            plan = validate(self.session, meeting, today=self.today)
        except RequestRefused as refused:
            for _code, message in refused.problems:
                self.problem(sheet_name, row, None, headers, f"{code} – {name}: {message}")
            return
        if plan.existing_id is not None:
            changes = differences(stored_view(self.session, plan.existing_id), plan.view())
            label = f"{code} {kind.label.lower()}"
            if not changes:
                self.report.unchanged.append(label)
                return
            self.report.changes[label] = changes
        self.report.plans.append(plan)

    def _org_id(self, code: str) -> int:
        org_id = self.session.scalar(select(Organization.id).where(Organization.code == code))
        assert org_id is not None
        return org_id


def analyze_return(session: Session, path: str | Path, *, today: dt.date | None = None) -> ReturnReport:
    """The dry run: every problem of the workbook, and what it would replace; nothing written."""
    return _Reader(session, Path(path), today or dt.date.today()).run()


def import_return(session: Session, path: str | Path, *, replace: bool = False, actor: str | None = None,
                  today: dt.date | None = None) -> ReturnReport:
    """Check again inside the caller's transaction, then write every meeting of the workbook or none."""
    report = analyze_return(session, path, today=today)
    if not report.ok:
        raise ReturnRefused(report)
    if report.changes and not replace:
        raise ReplaceNotConfirmed(report)
    report.imported = save_return(
        session, report.plans, actor=actor,
        target=f"{report.source}: {report.org} – {report.org_name}, {month_label(report.month)}",  # type: ignore[arg-type]
        after={"file": report.source, "org": report.org, "month": report.month.isoformat()[:7],  # type: ignore[union-attr]
               "meetings": [plan.view() for plan in report.plans], "replaced": report.changes})
    return report

