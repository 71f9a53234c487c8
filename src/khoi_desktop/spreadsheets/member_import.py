"""Import members from a spreadsheet: validate every row first (the dry run), then all or nothing.

Problems are reported per row and column, with the row numbers Excel shows. Duplicates (same CCCD,
same party card number, or same name and date of birth) are looked for inside the file and in the
database. The import itself runs in the caller's one transaction and is audited; any error, or a
cancel before the end, leaves the database untouched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from khoi_desktop.core import member_entry
from khoi_desktop.core.errors import OrgNotFound, ValidationError
from khoi_desktop.core.member_entry import EntryCancelled, Joining, NewMember
from khoi_desktop.core.models import MoveReason, Sex
from khoi_desktop.core.text import FIELD_LIMITS, fold, full_name, show_date, split_full_name
from khoi_desktop.core.tree import OrgNode, load_snapshot
from khoi_desktop.spreadsheets import cells
from khoi_desktop.spreadsheets.cells import PARTY_FOUNDED, CellProblem
from khoi_desktop.spreadsheets.duplicates import Duplicate, find_duplicates
from khoi_desktop.spreadsheets.mapping import Mapping, field_label
from khoi_desktop.spreadsheets.org_lookup import OrgLookup
from khoi_desktop.spreadsheets.reader import SheetRow, SheetTable, SkippedRow

_TOTAL_ROW = re.compile(r"^(tong cong|tong so|cong|tong)\b")
_TEXT_FIELDS = ("hometown", "ethnicity", "religion", "education", "theory_level", "job_title", "agency",
                "so_ly_lich")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    target_org: str | None = None  # code; a chi bộ takes every row, a đảng bộ narrows the "Chi bộ" column
    joined_on: dt.date | None = None  # start of the membership when the file has no such column (default today)
    accept_name_duplicates: bool = False  # same name and birth date may be two people: the clerk decides
    today: dt.date | None = None


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # Excel column letter, '' when the whole row is meant
    header: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "header": self.header, "message": self.message}


@dataclass
class MemberDraft:
    row: int
    family: str
    middle: str
    given: str
    sex: Sex
    birth_date: dt.date | None
    admitted_on: dt.date | None
    full_member_on: dt.date | None
    national_id: str | None
    card_number: str | None
    texts: dict[str, str | None]
    org: OrgNode
    joined_on: dt.date

    @property
    def full_name(self) -> str:
        return full_name(self.family, self.middle, self.given)

    def new_member(self) -> NewMember:
        return NewMember(self.family, self.middle, self.given, self.sex, self.birth_date, self.admitted_on,
                         self.full_member_on, self.national_id, self.card_number, texts=self.texts)

    @property
    def start_reason(self) -> MoveReason:
        # A list already kept elsewhere is the opening balance (Biểu 1), not members transferred in.
        return MoveReason.KET_NAP if self.admitted_on == self.joined_on else MoveReason.DANH_SACH


@dataclass
class ImportReport:
    source: str
    sheet: str
    rows_read: int = 0
    drafts: list[MemberDraft] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)  # codes given, once committed
    skipped: list[SkippedRow] = field(default_factory=list)  # totals, titles, the footer: never imported

    @property
    def ok(self) -> bool:
        return not self.errors and not any(d.blocking for d in self.duplicates)

    def summary(self) -> str:
        blocking = sum(d.blocking for d in self.duplicates)
        if self.imported:
            return f"Đã nhập {len(self.imported)} đảng viên từ {self.source}."
        head = f"{self.rows_read} dòng đảng viên, {len(self.errors)} lỗi, {len(self.duplicates)} trùng lặp"
        if self.skipped:
            head += f", bỏ qua {len(self.skipped)} dòng không phải đảng viên"
        if self.ok:
            return f"{head}: có thể nhập {len(self.drafts)} đảng viên."
        return f"{head} ({blocking} trùng phải xử lý): chưa nhập được, hãy sửa tệp rồi kiểm tra lại."

    def as_json(self, *, dry_run: bool) -> dict[str, Any]:
        return {
            "ok": self.ok, "dry_run": dry_run, "imported": len(self.imported), "rows": self.rows_read,
            "errors": [p.as_json() for p in self.errors], "warnings": [p.as_json() for p in self.warnings],
            "duplicates": [d.as_json() for d in self.duplicates], "notes": list(self.notes),
            "members": list(self.imported),
            "skipped": [{"row": r.number, "reason": r.reason, "text": r.text} for r in self.skipped],
        }


class ImportRefused(ValidationError):
    """The dry run found problems: nothing was imported. `report` lists them."""

    code = "import_refused"

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


ImportCancelled = EntryCancelled  # a cancel before the end: nothing was added


class _Row:
    """One sheet row read through the mapping: decoded cells, with problems collected."""

    def __init__(self, row: SheetRow, mapping: Mapping, report: ImportReport) -> None:
        self.row, self.mapping, self.report = row, mapping, report
        self.failed = False

    def raw(self, key: str) -> object:
        column = self.mapping.for_field(key)
        if column is None:
            return None
        value = self.row.values[column.index]
        if isinstance(value, str):
            value = column.detection.decode(value)
            return value or None
        return value

    def problem(self, key: str, message: str, *, warning: bool = False) -> None:
        column = self.mapping.for_field(key)
        letter, header = (column.letter, column.header) if column else ("", field_label(key))
        target = self.report.warnings if warning else self.report.errors
        target.append(Problem(self.row.number, letter, header, f"{header}: {message}"))
        self.failed = self.failed or not warning

    def get(self, key: str, parse: Callable[[object], Any]) -> Any:
        try:
            return parse(self.raw(key))
        except CellProblem as exc:
            self.problem(key, str(exc))
            return None


PART_WORDS = {"family_name": "Họ", "middle_name": "Tên đệm", "given_name": "Tên"}


def _is_blank_or_total(row: _Row) -> bool:
    texts = [str(v) for v in row.row.values if v is not None and str(v).strip()]
    if not texts:
        return True
    return any(_TOTAL_ROW.match(fold(t)) for t in texts[:3]) and not row.raw("birth_date")


def _name(row: _Row) -> tuple[str, str, str] | None:
    if row.mapping.has("full_name"):
        text = row.get("full_name", cells.name_text)
        if not text:
            return None if text is None else ("", "", "")
        return split_full_name(text)
    family = row.get("family_name", cells.name_text) or ""
    middle = row.get("middle_name", cells.name_text) or ""
    given = row.get("given_name", cells.name_text) or ""
    if row.mapping.has("family_middle_name"):
        both = (row.get("family_middle_name", cells.name_text) or "").split()
        family, middle = (both[0], " ".join(both[1:])) if both else ("", "")
    return family, middle, given


class _Analyzer:
    def __init__(self, session: Session, table: SheetTable, mapping: Mapping, options: ImportOptions) -> None:
        self.session, self.table, self.mapping, self.options = session, table, mapping, options
        self.today = options.today or dt.date.today()
        self.joined_on = options.joined_on or self.today
        self.report = ImportReport(table.path.name, table.sheet)
        self._setup_orgs()

    def _setup_orgs(self) -> None:
        snapshot = load_snapshot(self.session, self.joined_on)
        self.fixed_org: OrgNode | None = None
        scope = None
        if self.options.target_org:
            target = snapshot.by_code(self.options.target_org)
            if target is None or not target.active:
                raise OrgNotFound(self.options.target_org, on=self.joined_on)
            if target.kind.is_chi_bo:
                self.fixed_org = target
                if self.mapping.has("org"):
                    self.report.notes.append(f"Mọi dòng được nhập vào {target.name}; cột “Chi bộ” không được dùng.")
            else:
                scope = target
        self.lookup = OrgLookup(snapshot, scope)
        if self.fixed_org is None and not self.mapping.has("org") and not any(r.section for r in self.table.rows):
            if scope is not None:  # a đảng bộ was named: it only narrows the "Chi bộ" column the file lacks
                raise ValidationError(f"{scope.name} không phải chi bộ: tệp cần có cột “Chi bộ” để biết mỗi người "
                                      "sinh hoạt ở chi bộ nào của tổ chức này, hoặc hãy chọn một chi bộ.",
                                      code="no_org")
            raise ValidationError("Hãy chọn chi bộ nhận đảng viên, hoặc dùng tệp có cột “Chi bộ”.", code="no_org")

    def run(self) -> ImportReport:
        problems = self.mapping.problems()
        if problems:
            raise ValidationError(" ".join(problems), code="bad_mapping")
        sexless = not (self.mapping.has("sex") or self.mapping.has("birth_date_male")
                       or self.mapping.has("birth_date_female"))
        if sexless:
            self.report.notes.append("Tệp không có cột Giới tính: giới tính được suy ra từ tên đệm "
                                     "(có chữ “Thị” là Nữ, còn lại là Nam); hãy kiểm tra lại sau khi nhập.")
        self.report.skipped = list(self.table.skipped)
        for sheet_row in self.table.rows:
            row = _Row(sheet_row, self.mapping, self.report)
            if _is_blank_or_total(row):
                words = " ".join(str(v).strip() for v in sheet_row.values if v is not None and str(v).strip())
                if words:
                    self.report.skipped.append(SkippedRow(sheet_row.number, "dòng tổng số", words))
                continue
            draft = self._draft(row, sexless)
            if draft is not None:
                self.report.drafts.append(draft)
        self.report.skipped.sort(key=lambda r: r.number)
        self.report.duplicates = find_duplicates(self.session, self.report.drafts,
                                                 accept_name_duplicates=self.options.accept_name_duplicates)
        return self.report

    def _draft(self, row: _Row, sexless: bool) -> MemberDraft | None:
        name = _name(row)
        if name is None:
            return None
        if not any(name):
            others = [k for k in ("birth_date", "admitted_on", "national_id", "card_number") if row.raw(k)]
            if not others:
                return None  # a blank line between sections
            row.problem("full_name" if self.mapping.has("full_name") else "given_name", "thiếu họ và tên")
            self.report.rows_read += 1
            return None
        self.report.rows_read += 1
        family, middle, given = name
        if not family or not given:
            row.problem("full_name" if self.mapping.has("full_name") else "given_name",
                        f"“{' '.join(p for p in name if p)}”: cần đủ họ và tên")
        for part, text in zip(("family_name", "middle_name", "given_name"), name, strict=True):
            if len(text) > FIELD_LIMITS[part]:
                row.problem("full_name" if self.mapping.has("full_name") else part,
                            f"{PART_WORDS[part]} dài {len(text)} ký tự, quá giới hạn {FIELD_LIMITS[part]} ký tự")
        today = self.today

        def date(key: str) -> dt.date | None:
            return row.get(key, lambda v: cells.date_value(v, today=today))

        birth, sex = date("birth_date"), row.get("sex", cells.sex_value)
        male, female = date("birth_date_male"), date("birth_date_female")
        if male and female:
            row.problem("birth_date_female", "có ngày sinh ở cả cột Nam và cột Nữ")
        elif male or female:
            birth, sex = male or female, Sex.NAM if male else Sex.NU
        if sex is None and not row.failed:
            sex = Sex.NU if "thị" in middle.lower().split() else Sex.NAM
            if not sexless:
                row.problem("sex", f"để trống: ghi là {sex.label} theo tên đệm", warning=True)
        admitted, full = date("admitted_on"), date("full_member_on")
        national_id, id_warning = row.get("national_id", cells.national_id) or (None, None)
        if id_warning:
            row.problem("national_id", id_warning, warning=True)
        card = row.get("card_number", cells.card_number)
        texts: dict[str, str | None] = {key: row.get(key, _text_parser(key)) for key in _TEXT_FIELDS}
        joined = date("joined_on") or self.joined_on
        self._check_dates(row, birth, admitted, full, joined)
        org = self._org(row, joined)
        if row.failed or org is None or sex is None:
            return None
        return MemberDraft(row.row.number, family, middle, given, sex, birth, admitted, full, national_id, card,
                           texts, org, joined)

    def _check_dates(self, row: _Row, birth: dt.date | None, admitted: dt.date | None, full: dt.date | None,
                     joined: dt.date) -> None:
        if self.mapping.has("admitted_on") and admitted is None and not row.failed:
            row.problem("admitted_on", "để trống")
        if admitted and admitted < PARTY_FOUNDED:
            row.problem("admitted_on", f"{show_date(admitted)} trước ngày thành lập Đảng (03/02/1930)")
        if birth and admitted and birth >= admitted:
            row.problem("admitted_on", f"{show_date(admitted)} không sau ngày sinh {show_date(birth)}")
        elif birth and admitted and admitted < _add_years(birth, 18):
            row.problem("admitted_on", f"vào Đảng khi chưa đủ 18 tuổi (sinh {show_date(birth)})", warning=True)
        if full and admitted is None and self.mapping.has("admitted_on"):
            pass  # already reported as empty
        elif full and admitted and full < admitted:
            row.problem("full_member_on", f"{show_date(full)} trước ngày vào Đảng {show_date(admitted)}")
        elif full and admitted and full < _add_years(admitted, 1):
            row.problem("full_member_on", f"chưa đủ 12 tháng dự bị kể từ {show_date(admitted)}", warning=True)
        if admitted and joined < admitted:
            key = "joined_on" if self.mapping.has("joined_on") else "admitted_on"
            row.problem(key, f"ngày sinh hoạt tại chi bộ {show_date(joined)} trước ngày vào Đảng "
                             f"{show_date(admitted)}")

    def _org(self, row: _Row, joined: dt.date) -> OrgNode | None:
        node = self.fixed_org
        if node is None:
            value = row.raw("org") if self.mapping.has("org") else row.row.section
            if value is None or not str(value).strip():
                row.problem("org", "để trống: chưa biết đảng viên sinh hoạt ở chi bộ nào")
                return None
            try:
                node = self.lookup.find(str(value))
            except LookupError as exc:
                row.problem("org", str(exc))
                return None
        if node.founded_on > joined:
            row.problem("org", f"{node.name} thành lập ngày {show_date(node.founded_on)}, sau ngày đến "
                               f"{show_date(joined)}")
            return None
        return node


def _text_parser(key: str) -> Callable[[object], str | None]:
    return lambda value: cells.plain_text(value, key)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def analyze(session: Session, table: SheetTable, mapping: Mapping, options: ImportOptions) -> ImportReport:
    """The dry run: every problem and duplicate, nothing written."""
    return _Analyzer(session, table, mapping, options).run()


def import_members(session: Session, table: SheetTable, mapping: Mapping, options: ImportOptions, *,
                   actor: str, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Validate again inside the caller's transaction, then add every member or none (core/member_entry.py)."""
    report = analyze(session, table, mapping, options)
    if not report.ok:
        raise ImportRefused(report)
    entries = [(draft.new_member(), Joining(draft.org.id, draft.joined_on, draft.start_reason,
                                            note=f"Nhập từ {report.source}, dòng {draft.row}"))
               for draft in report.drafts]
    report.imported = member_entry.import_members(
        session, entries, actor=actor, source=report.source, sheet=report.sheet, org=options.target_org,
        rows=[draft.row for draft in report.drafts], progress=progress, cancelled=cancelled)
    return report
