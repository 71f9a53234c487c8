"""Reading a rating return workbook back (spreadsheets/rating_template.py wrote it): every cell checked,
every problem named by sheet, row and column; all or nothing. The import replaces the round's ratings of the
TCCSĐ the workbook covers; the dry run lists what would change."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.ratings.entry import (
    MemberEntry,
    OrgEntry,
    find_round,
    open_round,
    plan_body,
    round_scope,
    write_body,
)
from khoi_desktop.core.ratings.models import LEVEL_SHORT, Level, level_from_short
from khoi_desktop.core.text import nfc
from khoi_desktop.spreadsheets.meeting_returns import ReturnProblem, other_return
from khoi_desktop.spreadsheets.rating_template import (
    BY_SUPERIOR,
    FORMAT,
    HEADER_ROW,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
    META_SHEET,
    NO,
    NOT_RATED,
    ORG_COLUMNS,
    ORG_SHEET,
    YES,
)
from khoi_desktop.spreadsheets.reader import _open

MAX_ROWS = 20000


@dataclass
class RatingReport:
    source: str
    year: int
    org: str = ""
    org_name: str = ""
    orgs: int = 0
    members: int = 0
    errors: list[ReturnProblem] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.ok:
            return f"Tệp {self.source}: {len(self.errors)} lỗi, chưa nhập được; hãy sửa tệp rồi kiểm tra lại."
        what = f"{self.orgs} tổ chức đảng và {self.members} đảng viên của {self.org_name} (năm {self.year})"
        if self.imported:
            return f"Đã nhập xếp loại {what} từ {self.source}; {len(self.changes)} thay đổi."
        return f"Tệp {self.source}: có thể nhập xếp loại {what}; {len(self.changes)} thay đổi so với số liệu đã có."

    def as_json(self, *, dry_run: bool) -> dict[str, Any]:
        return {"ok": self.ok, "dry_run": dry_run, "year": self.year, "org": self.org, "orgs": self.orgs,
                "members": self.members, "imported": self.imported, "changes": self.changes,
                "errors": [p.as_json() for p in self.errors]}


class RatingReturnRefused(ValidationError):
    code = "import_refused"

    def __init__(self, report: RatingReport) -> None:
        super().__init__(report.summary())
        self.report = report


def _text(value: object) -> str:
    return nfc(str(value)).strip() if value is not None else ""


class _Reader:
    def __init__(self, session: Session, path: Path, year: int) -> None:
        self.session, self.path = session, path
        self.report = RatingReport(path.name, year)
        self.where: dict[int, tuple[str, int, tuple[str, ...], dict[str, int]]] = {}
        self.readable = False  # the workbook's structure is the app's: its rows can be checked against the data

    def problem(self, sheet: str, row: int | None, columns: tuple[str, ...] | None, index: int | None,
                message: str) -> None:
        column = get_column_letter(index + 1) if index is not None and columns else ""
        header = columns[index] if index is not None and columns else ""
        self.report.errors.append(ReturnProblem(sheet, row, column, header, message))

    def _rows(self, workbook: Any, sheet: str, columns: tuple[str, ...]) -> list[tuple[int, tuple]]:
        ws = workbook[sheet]
        header = tuple(_text(v) for v in next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW,
                                                             values_only=True), ()))[:len(columns)]
        if header != columns:
            self.problem(sheet, HEADER_ROW, None, None, "Các cột đã bị thay đổi: hãy lập lại tệp từ phần mềm.")
            return []
        rows = []
        for number, values in enumerate(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True), start=HEADER_ROW + 1):
            if number > HEADER_ROW + MAX_ROWS:
                self.problem(sheet, number, None, None, f"Quá {MAX_ROWS} dòng.")
                break
            values = tuple(values) + (None,) * (len(columns) - len(values))
            if any(v is not None and _text(v) for v in values):
                rows.append((number, values))
        return rows

    def _level(self, sheet: str, row: int, columns: tuple[str, ...], index: int, value: object,
               allowed_text: tuple[str, ...] = ()) -> tuple[bool, Level | None]:
        text = _text(value)
        if not text or text in allowed_text:
            return True, None
        level = level_from_short(text)
        if level is None:
            self.problem(sheet, row, columns, index, f"“{text}” không phải mức xếp loại (chọn một trong: "
                                                     f"{', '.join(LEVEL_SHORT.values())}).")
            return False, None
        return True, level

    def run(self) -> tuple[RatingReport, list[OrgEntry], list[MemberEntry]]:
        workbook = _open(self.path)
        names = set(workbook.sheetnames)
        if META_SHEET not in names:
            self.problem(self.path.name, None, None, None, "Tệp không phải báo cáo xếp loại chất lượng do phần mềm "
                                                           "lập (thiếu trang thông tin ẩn): hãy lập tệp từ phần mềm.")
            return self.report, [], []
        meta = {_text(r[0]): _text(r[1]) for r in workbook[META_SHEET].iter_rows(values_only=True) if r and r[0]}
        other = other_return(workbook, FORMAT)
        if other:
            self.problem(self.path.name, None, None, None, other)
            return self.report, [], []
        if meta.get("format") != FORMAT:
            self.problem(META_SHEET, None, None, None, "Tệp lập bằng phiên bản khác của phần mềm: hãy lập lại.")
        elif meta.get("year") != str(self.report.year):
            self.problem(META_SHEET, None, None, None, f"Tệp là báo cáo xếp loại năm {meta.get('year')}, không phải "
                                                       f"năm {self.report.year}.")
        for missing in sorted({ORG_SHEET, MEMBER_SHEET} - names):
            self.problem(missing, None, None, None, "Thiếu trang này: không đổi tên hoặc xóa trang của tệp báo cáo.")
        if self.report.errors:
            return self.report, [], []
        self.report.org = meta.get("org", "")
        self.readable = True
        orgs: list[OrgEntry] = []
        for number, values in self._rows(workbook, ORG_SHEET, ORG_COLUMNS):
            code = _text(values[1])
            ok1, proposed = self._level(ORG_SHEET, number, ORG_COLUMNS, 4, values[4])
            is_body = code.upper() == self.report.org.upper()  # «cs001» typed in the row is the body CS001
            ok2, decided = self._level(ORG_SHEET, number, ORG_COLUMNS, 5, values[5],
                                       (BY_SUPERIOR,) if is_body else ())
            if ok1 and ok2:
                entry = OrgEntry(code, proposed, decided, _text(values[6]) or None, keep_decided=is_body)
                self.where[id(entry)] = (ORG_SHEET, number, ORG_COLUMNS,
                                         {"org": 1, "proposed": 4, "decided": 5, "note": 6})
                orgs.append(entry)
        members: list[MemberEntry] = []
        for number, values in self._rows(workbook, MEMBER_SHEET, MEMBER_COLUMNS):
            flag = _text(values[6]) or NO
            if flag not in (YES, NO):
                self.problem(MEMBER_SHEET, number, MEMBER_COLUMNS, 6, f"“{flag}”: chọn “{YES}” hoặc “{NO}”.")
                continue
            ok1, proposed = self._level(MEMBER_SHEET, number, MEMBER_COLUMNS, 7, values[7], (NOT_RATED,))
            ok2, decided = self._level(MEMBER_SHEET, number, MEMBER_COLUMNS, 8, values[8], (NOT_RATED,))
            if ok1 and ok2:
                m_entry = MemberEntry(_text(values[3]), proposed, decided, flag == YES, _text(values[9]) or None)
                self.where[id(m_entry)] = (MEMBER_SHEET, number, MEMBER_COLUMNS,
                                           {"member": 3, "proposed": 7, "decided": 8, "note": 9})
                members.append(m_entry)
        return self.report, orgs, members

    def plan(self, round_id: int | None):  # type: ignore[no-untyped-def]
        report, orgs, members = self.run()
        if not self.readable:
            return report, None
        scope = round_scope(self.session, report.year)
        body = scope.body(report.org)
        report.org_name = body.name
        plan = plan_body(self.session, scope, report.org, orgs, members, round_id)
        for p in plan.problems:
            sheet, row, columns, index_of = self.where[id(p.entry)]
            self.problem(sheet, row, columns, index_of.get(p.field), p.message)
        report.orgs, report.members, report.changes = len(plan.orgs), len(plan.members), plan.changes
        if not report.ok:
            report.changes = []
            return report, None
        return report, (plan, scope.ids_under(body.id))


def analyze_return(session: Session, path: str | Path, year: int) -> RatingReport:
    rnd = find_round(session, year)
    report, _ = _Reader(session, Path(path), year).plan(rnd.id if rnd else None)
    return report


def import_return(session: Session, path: str | Path, year: int, *, actor: str | None = None) -> RatingReport:
    """All or nothing: refused with every problem named, else the body's ratings replaced."""
    rnd = open_round(session, year, actor=actor)
    report, planned = _Reader(session, Path(path), year).plan(rnd.id)
    if not report.ok or planned is None:
        raise RatingReturnRefused(report)
    plan, under = planned
    write_body(session, rnd, plan, under, actor=actor)
    report.imported = True
    return report
