"""Month status, the month grid, a chi bộ's year and the year summary: plain data for GUI, CLI and reports.

`expected` counts the chi bộ that existed for the whole month (they owe their regular meeting); `held`
those of them whose regular meeting of the month is recorded as held; `missing` the others.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from khoi_desktop.core.collector import collector_paused
from khoi_desktop.core.engines import planned_once
from khoi_desktop.core.errors import OrgNotFound
from khoi_desktop.core.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, Rating
from khoi_desktop.core.meetings.scope import ChiBo, Group, add_months, load_scope, month_end
from khoi_desktop.core.models import Member, Organization
from khoi_desktop.core.plain_rows import plain_rows


def percent_text(value: float, *, sign: str = "%") -> str:
    """97.1 -> '97,1%': a decimal comma, as Vietnamese write it."""
    return f"{value:.1f}".replace(".", ",") + sign


class CellStatus(enum.StrEnum):
    MISSING = "missing"  # owed and not reported
    PLANNED = "planned"  # registered, not (yet) held
    HELD = "held"
    RATED = "rated"
    NOT_DUE = "not_due"  # a month still to come with nothing registered
    NONE = "none"  # the chi bộ did not exist for the whole month

    @property
    def label(self) -> str:
        return {"missing": "Chưa báo cáo", "planned": "Đã đăng ký", "held": "Đã họp", "rated": "Đã xếp loại",
                "not_due": "Chưa đến hạn", "none": "Không phải họp"}[self]


class _Row(NamedTuple):  # a tuple, not a frozen dataclass: a month of a province is 8.000 of them
    org_id: int
    month: dt.date
    kind: MeetingKind
    held: bool
    rating: Rating | None
    expected: int
    present: int


_KINDS = {kind.value: kind for kind in MeetingKind}
_RATINGS = {rating.value: rating for rating in Rating}


def _meetings(session: Session, first: dt.date, last: dt.date, org_ids: set[int] | None = None) -> list[_Row]:
    # Enum and date columns as text (portable casts), converted here once: the ORM's per-row processing was a
    # good part of a month's status at provincial scale.
    query = (select(Meeting.org_id, cast(Meeting.month, String), cast(Meeting.kind, String),
                    Meeting.held_on.is_not(None), cast(Meeting.rating, String), Meeting.expected, Meeting.present)
             .where(Meeting.month >= first, Meeting.month <= last))
    if org_ids is not None and len(org_ids) <= 50:  # a long IN list costs more to build than the rows it saves
        query = query.where(Meeting.org_id.in_(org_ids))
    months: dict[str, dt.date] = {}
    rows = []
    for org_id, month, kind, held, rating, expected, present in plain_rows(session, query):
        if org_ids is not None and org_id not in org_ids:
            continue
        day = months.get(month)
        if day is None:
            day = months[month] = dt.date.fromisoformat(month)
        rows.append(_Row(org_id, day, _KINDS[kind], bool(held), _RATINGS[rating] if rating else None, expected,
                         present))
    return rows


class _Regular(NamedTuple):
    held: bool
    rating: Rating | None


def _month_meetings(session: Session, month: dt.date, org_ids: set[int]) -> tuple[dict[int, _Regular], set[int]]:
    """One month's regular meetings and the chi bộ that held a thematic one, by chi bộ: only the columns the status
    shows, read from the month's covering index (ix_meetings_month_cover)."""
    query = (select(Meeting.org_id, cast(Meeting.kind, String), Meeting.held_on.is_not(None),
                    cast(Meeting.rating, String))
             .where(Meeting.month == month))
    if len(org_ids) <= 50:  # as _meetings: a long IN list costs more to build than the rows it saves
        query = query.where(Meeting.org_id.in_(org_ids))
    regular: dict[int, _Regular] = {}
    thematic: set[int] = set()
    regular_kind = MeetingKind.THUONG_KY.value
    for org_id, kind, held, rating in plain_rows(session, query):
        if kind == regular_kind:
            regular[org_id] = _Regular(bool(held), _RATINGS[rating] if rating else None)
        elif held:
            thematic.add(org_id)
    return regular, thematic


def _cell(row: _Row | _Regular | None, owed: bool, month: dt.date, today: dt.date) -> CellStatus:
    if row is not None:
        return CellStatus.RATED if row.rating else CellStatus.HELD if row.held else CellStatus.PLANNED
    if not owed:
        return CellStatus.NONE
    return CellStatus.NOT_DUE if month > today else CellStatus.MISSING


class ChiBoMonth(NamedTuple):  # a tuple, not a frozen dataclass: one a chi bộ of the office
    org_id: int
    code: str
    name: str
    group: str  # the đảng bộ cơ sở (or chi bộ cơ sở) code
    expected: bool
    status: CellStatus
    thematic: bool
    rating: Rating | None


@dataclass
class MonthStatus:
    month: dt.date
    org: Group | None
    rows: list[ChiBoMonth]
    ratings: dict[Rating, int] = field(default_factory=dict)

    @property
    def expected(self) -> int:
        return sum(r.expected for r in self.rows)

    @property
    def held(self) -> int:
        return sum(r.expected and r.status in (CellStatus.HELD, CellStatus.RATED) for r in self.rows)

    @property
    def thematic_held(self) -> int:
        return sum(r.expected and r.thematic for r in self.rows)

    @property
    def missing(self) -> list[str]:
        return [r.code for r in self.rows if r.expected and r.status not in (CellStatus.HELD, CellStatus.RATED)]

    def as_json(self) -> dict:
        return {"month": self.month.isoformat()[:7], "org": self.org.code if self.org else None,
                "expected": self.expected, "held": self.held, "thematic_held": self.thematic_held,
                "missing": self.missing, "ratings": {r.value: self.ratings.get(r, 0) for r in Rating}}


@collector_paused()  # many thousand short-lived rows: core/collector.py
def month_status(session: Session, month: dt.date, org_code: str | None = None, *,
                 today: dt.date | None = None) -> MonthStatus:
    today = today or dt.date.today()
    first, last = month, month_end(month)
    scope = load_scope(session, first, last, org_code)
    regular, thematic = _month_meetings(session, first, {c.id for c in scope.chi_bo})
    rows = []
    ratings: Counter[Rating] = Counter()
    for chi_bo in scope.chi_bo:
        owed = chi_bo.exists_throughout(first, last)
        meeting = regular.get(chi_bo.id)
        status = _cell(meeting, owed, first, today)
        if owed and meeting is not None and meeting.rating is not None:
            ratings[meeting.rating] += 1
        rows.append(ChiBoMonth(chi_bo.id, chi_bo.code, chi_bo.name, scope.groups[chi_bo.group_id].code, owed, status,
                               chi_bo.id in thematic, meeting.rating if meeting else None))
    return MonthStatus(first, scope.org, rows, dict(ratings))


# --- the month grid: chi bộ × months ------------------------------------------------------------------

@dataclass
class GridRow:
    chi_bo: ChiBo
    group: Group
    cells: list[CellStatus]  # one per month
    thematic: list[bool]


@dataclass
class MonthGrid:
    months: list[dt.date]
    rows: list[GridRow]
    org: Group | None


@collector_paused()  # many thousand short-lived rows: core/collector.py
def month_grid(session: Session, last_month: dt.date, count: int = 12, org_code: str | None = None, *,
               today: dt.date | None = None) -> MonthGrid:
    today = today or dt.date.today()
    months = [add_months(last_month, -i) for i in reversed(range(count))]
    scope = load_scope(session, months[0], month_end(months[-1]), org_code)
    ids = {c.id for c in scope.chi_bo}
    regular: dict[tuple[int, dt.date], _Row] = {}
    thematic: set[tuple[int, dt.date]] = set()
    for row in _meetings(session, months[0], months[-1], ids):
        if row.kind is MeetingKind.THUONG_KY:
            regular[(row.org_id, row.month)] = row
        elif row.held:
            thematic.add((row.org_id, row.month))
    rows = []
    for chi_bo in scope.chi_bo:
        cells = [_cell(regular.get((chi_bo.id, m)), chi_bo.exists_throughout(m, month_end(m)), m, today)
                 for m in months]
        rows.append(GridRow(chi_bo, scope.groups[chi_bo.group_id], cells, [(chi_bo.id, m) in thematic for m in months]))
    rows.sort(key=lambda r: (r.group.code != r.chi_bo.code, r.group.code, r.chi_bo.code))
    return MonthGrid(months, rows, scope.org)


# --- the year summary ---------------------------------------------------------------------------------

@dataclass
class YearLine:
    """One đảng bộ cơ sở (or chi bộ cơ sở), or the whole office (group None)."""

    group: Group | None
    chi_bo: int = 0
    expected: int = 0  # regular meetings owed (chi bộ × months)
    held: int = 0
    thematic_quarters: list[list[int]] = field(default_factory=lambda: [[0, 0] for _ in range(4)])  # [held, owed]
    attended: int = 0
    attendance_expected: int = 0
    ratings: Counter[Rating] = field(default_factory=Counter)

    @property
    def held_percent(self) -> float:
        return 100.0 * self.held / self.expected if self.expected else 0.0

    @property
    def attendance_percent(self) -> float:
        return 100.0 * self.attended / self.attendance_expected if self.attendance_expected else 0.0

    def as_json(self) -> dict:
        return {"org": self.group.code if self.group else None, "name": self.group.name if self.group else None,
                "chi_bo": self.chi_bo, "expected": self.expected, "held": self.held,
                "held_percent": round(self.held_percent, 1),
                "thematic_by_quarter": [{"quarter": q + 1, "held": h, "expected": e}
                                        for q, (h, e) in enumerate(self.thematic_quarters)],
                "attendance_percent": round(self.attendance_percent, 1),
                "ratings": {r.value: self.ratings.get(r, 0) for r in Rating}}


@dataclass
class YearSummary:
    year: int
    org: Group | None
    total: YearLine
    lines: list[YearLine]

    def as_json(self) -> dict:
        return {"year": self.year, "org": self.org.code if self.org else None, **self.total.as_json(),
                "by_org": [line.as_json() for line in self.lines]}


@collector_paused()  # many thousand short-lived rows: core/collector.py
def year_summary(session: Session, year: int, org_code: str | None = None, *,
                 today: dt.date | None = None) -> YearSummary:
    """Months of the year up to the last finished one (a month still running owes nothing yet)."""
    today = today or dt.date.today()
    first = dt.date(year, 1, 1)
    months = [m for m in (dt.date(year, n, 1) for n in range(1, 13)) if month_end(m) < today]
    last = month_end(dt.date(year, 12, 1))
    scope = load_scope(session, first, last, org_code)
    ids = {c.id for c in scope.chi_bo}
    rows = _meetings(session, first, dt.date(year, 12, 1), ids)
    by_org: dict[int, list[_Row]] = {}
    for row in rows:
        by_org.setdefault(row.org_id, []).append(row)
    total = YearLine(None)
    lines: dict[int, YearLine] = {}
    for chi_bo in scope.chi_bo:
        line = lines.setdefault(chi_bo.group_id, YearLine(scope.groups[chi_bo.group_id]))
        _add_chi_bo(line, total, chi_bo, months, by_org.get(chi_bo.id, []))
    ordered = sorted(lines.values(), key=lambda line: line.group.code if line.group else "")
    return YearSummary(year, scope.org, total, ordered)


def _add_chi_bo(line: YearLine, total: YearLine, chi_bo: ChiBo, months: list[dt.date], rows: list[_Row]) -> None:
    owed = {m for m in months if chi_bo.exists_throughout(m, month_end(m))}
    held_months = {r.month for r in rows if r.kind is MeetingKind.THUONG_KY and r.held}
    thematic_months = {r.month for r in rows if r.kind is MeetingKind.CHUYEN_DE and r.held}
    for target in (line, total):
        target.chi_bo += 1
        target.expected += len(owed)
        target.held += len(owed & held_months)
        for quarter in range(4):
            quarter_months = [m for m in months if (m.month - 1) // 3 == quarter]
            if len(quarter_months) == 3 and all(m in owed for m in quarter_months):
                target.thematic_quarters[quarter][1] += 1
                target.thematic_quarters[quarter][0] += any(m in thematic_months for m in quarter_months)
        for r in rows:
            if r.held:
                target.attended += r.present
                target.attendance_expected += r.expected
                if r.kind is MeetingKind.THUONG_KY and r.rating is not None:
                    target.ratings[r.rating] += 1


# --- one chi bộ's year --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingLine:
    id: int
    month: dt.date
    kind: MeetingKind
    planned_on: dt.date | None
    held_on: dt.date | None
    topic: str | None
    expected: int
    present: int
    absent_unexcused: int
    points: int | None
    rating: Rating | None


@dataclass(frozen=True)
class Absentee:
    code: str
    full_name: str
    unexcused: int
    with_reason: int


@dataclass
class ChiBoYear:
    org_id: int
    code: str
    name: str
    year: int
    meetings: list[MeetingLine]
    absentees: list[Absentee]


def chi_bo_year(session: Session, org_code: str, year: int) -> ChiBoYear:
    # The organization, its year's meetings and their absences in one query (one round trip on a server): a
    # row a meeting and absent member (a meeting without absences: one row, a year without meetings: one).
    found = session.execute(
        select(Organization.id, Organization.code, Organization.name, Meeting.id, Meeting.month, Meeting.kind,
               Meeting.planned_on, Meeting.held_on, Meeting.topic, Meeting.expected, Meeting.present,
               Meeting.absent_unexcused, Meeting.points, Meeting.rating, Member.code, Member.family_name,
               Member.middle_name, Member.given_name, Attendance.reason)
        .outerjoin(Meeting, (Meeting.org_id == Organization.id) & (Meeting.month >= dt.date(year, 1, 1))
                   & (Meeting.month <= dt.date(year, 12, 1)))
        .outerjoin(Attendance, (Attendance.meeting_id == Meeting.id)
                   & (Attendance.status == AttendanceStatus.ABSENT))
        .outerjoin(Member, Member.id == Attendance.member_id)
        .where(Organization.code == org_code)
        .order_by(Meeting.month, Meeting.kind.desc(), Meeting.id)
        .execution_options(**planned_once(session, "chi_bo_year"))).all()  # on a server: one plan a session
    if not found:
        raise OrgNotFound(org_code)
    org = found[0]
    meetings: dict[int, MeetingLine] = {}
    absences: dict[tuple[str, str], list[int]] = {}
    for row in found:
        if row[3] is None:
            continue
        if row[3] not in meetings:
            meetings[row[3]] = MeetingLine(*row[3:14])
        code, family, middle, given, reason = row[14:]
        if code is not None:
            name = " ".join(p for p in (family, middle, given) if p)
            counts = absences.setdefault((code, name), [0, 0])
            counts[0 if not reason else 1] += 1
    absentees = sorted((Absentee(code, name, u, r) for (code, name), (u, r) in absences.items()),
                       key=lambda a: (-a.unexcused, -a.with_reason, a.code))
    return ChiBoYear(org.id, org.code, org.name, year, list(meetings.values()), absentees)

