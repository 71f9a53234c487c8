"""The statistical report forms and chart figures, shared by the statistics view and the Excel export.

Biểu 1 (tăng, giảm đảng viên) counts over a period from the start and end reasons of memberships; a
move between chi bộ of the committee (chuyển sinh hoạt) is neither an increase nor a decrease for the
committee, but shows per organization as "chuyển sinh hoạt đến / đi". Each row is a TCCSĐ as placed at
the end of the period, so every row balances: cuối kỳ = đầu kỳ + tăng − giảm.
Members entered from an existing list (MoveReason.DANH_SACH) are the opening balance of the period in which
they were entered, never "chuyển đến".
Biểu 5 counts organizations and members by organization kind as of a date (from the tree snapshot).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.models import Member, Membership, MoveReason, OrgKind, Sex
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.tree import load_snapshot, valid_on

INCREASES = (MoveReason.KET_NAP, MoveReason.CHUYEN_DEN, MoveReason.TIEP_NHAN)
DECREASES = (MoveReason.TU_TRAN, MoveReason.KHAI_TRU, MoveReason.XOA_TEN, MoveReason.XIN_RA,
             MoveReason.CHUYEN_DI, MoveReason.BAN_GIAO)
OTHER = "khac"  # no reason recorded
INTERNAL = MoveReason.CHUYEN_SINH_HOAT.value
OPENING = MoveReason.DANH_SACH.value
REASON_LABELS = {
    MoveReason.KET_NAP.value: "Kết nạp", MoveReason.CHUYEN_DEN.value: "Chuyển đến",
    MoveReason.TIEP_NHAN.value: "Tiếp nhận", MoveReason.TU_TRAN.value: "Từ trần",
    MoveReason.KHAI_TRU.value: "Khai trừ", MoveReason.XOA_TEN.value: "Xóa tên", MoveReason.XIN_RA.value: "Xin ra",
    MoveReason.CHUYEN_DI.value: "Chuyển đi", MoveReason.BAN_GIAO.value: "Bàn giao", OTHER: "Khác",
    INTERNAL: "Chuyển sinh hoạt nội bộ",
}
INCREASE_KEYS = [r.value for r in INCREASES] + [INTERNAL, OTHER]
DECREASE_KEYS = [r.value for r in DECREASES] + [INTERNAL, OTHER]
DAY = dt.timedelta(days=1)


@dataclass
class Bieu1Row:
    code: str | None  # None for the total row
    name: str
    opening: int = 0
    opening_probationary: int = 0
    increases: Counter[str] = field(default_factory=Counter)
    decreases: Counter[str] = field(default_factory=Counter)
    made_full: int = 0  # probationary members made full members in the period
    closing: int = 0
    closing_probationary: int = 0

    @property
    def increase_total(self) -> int:
        return sum(self.increases.values())

    @property
    def decrease_total(self) -> int:
        return sum(self.decreases.values())

    @property
    def balances(self) -> bool:
        return self.opening + self.increase_total - self.decrease_total == self.closing

    def add(self, other: Bieu1Row) -> None:
        self.opening += other.opening
        self.opening_probationary += other.opening_probationary
        self.increases.update(other.increases)
        self.decreases.update(other.decreases)
        self.made_full += other.made_full
        self.closing += other.closing
        self.closing_probationary += other.closing_probationary


@dataclass
class Bieu1:
    start: dt.date
    end: dt.date
    rows: list[Bieu1Row]
    total: Bieu1Row


@dataclass(frozen=True)
class _Span:
    id: int
    member_id: int
    org_id: int
    valid_from: dt.date
    valid_to: dt.date | None
    start_reason: str | None
    end_reason: str | None
    full_member_on: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)


def bieu1(session: Session, start: dt.date, end: dt.date) -> Bieu1:
    """Increase and decrease of members from `start` to `end`, both days included."""
    if end < start:
        raise ValueError("end before start")
    snapshot = load_snapshot(session, end, include_ended=True)
    root = {org_id: snapshot.root_of(org_id).id for org_id in snapshot.nodes}
    spans = [_Span(*row) for row in session.execute(
        select(Membership.id, Membership.member_id, Membership.org_id, Membership.valid_from, Membership.valid_to,
               Membership.start_reason, Membership.end_reason, Member.full_member_on)
        .join(Member, Member.id == Membership.member_id)
        .where(Membership.valid_from <= end, or_(Membership.valid_to.is_(None), Membership.valid_to >= start))
    )]
    by_member: dict[int, list[_Span]] = defaultdict(list)
    for span in spans:
        by_member[span.member_id].append(span)
    rows: dict[int, Bieu1Row] = {}

    def row(span: _Span) -> Bieu1Row:
        root_id = root[span.org_id]
        if root_id not in rows:
            node = snapshot.nodes[root_id]
            rows[root_id] = Bieu1Row(node.code, node.name)
        return rows[root_id]

    before = start - DAY
    for span in spans:
        target = row(span)
        entered = span.start_reason == OPENING and start <= span.valid_from <= end
        if span.covers(before) or entered:
            target.opening += 1
            target.opening_probationary += not (span.full_member_on and span.full_member_on <= before)
        if span.covers(end):
            target.closing += 1
            target.closing_probationary += not (span.full_member_on and span.full_member_on <= end)
        if span.full_member_on and start <= span.full_member_on <= end and span.covers(span.full_member_on):
            target.made_full += 1
        if start <= span.valid_from <= end and not entered:
            linked = [s for s in by_member[span.member_id] if s.valid_to == span.valid_from and s.id != span.id]
            reason = _reason(span.start_reason, bool(linked), INCREASES)
            # A move between chi bộ of one TCCSĐ changes none of its figures.
            if not (reason == INTERNAL and any(root[s.org_id] == root[span.org_id] for s in linked)):
                target.increases[reason] += 1
        if span.valid_to is not None and start <= span.valid_to <= end:
            linked = [s for s in by_member[span.member_id] if s.valid_from == span.valid_to and s.id != span.id]
            reason = _reason(span.end_reason, bool(linked), DECREASES)
            if not (reason == INTERNAL and any(root[s.org_id] == root[span.org_id] for s in linked)):
                target.decreases[reason] += 1
    ordered = [rows[i] for i in snapshot.roots if i in rows]
    total = Bieu1Row(None, "Tổng cộng")
    for item in ordered:
        total.add(item)
    # Moves between two TCCSĐ of the committee cancel out in the total.
    internal = min(total.increases[INTERNAL], total.decreases[INTERNAL])
    total.increases[INTERNAL] -= internal
    total.decreases[INTERNAL] -= internal
    return Bieu1(start, end, ordered, total)


def _reason(recorded: str | None, linked: bool, counted: tuple[MoveReason, ...]) -> str:
    if recorded in {r.value for r in counted}:
        return str(recorded)
    if recorded == INTERNAL or (recorded is None and linked):
        return INTERNAL  # a membership that ends the day another begins is a move, even without a reason
    return OTHER


@dataclass
class Bieu5Row:
    label: str
    organizations: int
    members: int
    probationary: int
    women: int
    detail: bool = False  # a "trong đó" line under the row above


@dataclass
class Bieu5:
    as_of: dt.date
    rows: list[Bieu5Row]
    total: Bieu5Row


def _women_by_org(session: Session, as_of: dt.date) -> Counter[int]:
    query = (select(Membership.org_id, func.count()).join(Member, Member.id == Membership.member_id)
             .where(valid_on(Membership, as_of), Member.sex == Sex.NU).group_by(Membership.org_id))
    return Counter({org_id: count for org_id, count in session.execute(query)})


def bieu5(session: Session, as_of: dt.date) -> Bieu5:
    """Organizations and members by organization kind as of a date."""
    snapshot = load_snapshot(session, as_of)
    direct_women = _women_by_org(session, as_of)
    women: dict[int, int] = {}
    for org_id in snapshot.nodes:
        women[org_id] = sum(direct_women[i] for i in snapshot.subtree_ids(org_id))
    active = snapshot.active_nodes()

    def line(kind: OrgKind, label: str, detail: bool = False) -> Bieu5Row:
        nodes = [n for n in active if n.kind is kind]
        return Bieu5Row(label, len(nodes), sum(n.members for n in nodes), sum(n.probationary for n in nodes),
                        sum(women[n.id] for n in nodes), detail)

    rows = [
        line(OrgKind.DANG_BO_CO_SO, "Đảng bộ cơ sở"),
        line(OrgKind.DANG_BO_BO_PHAN, "Trong đó: đảng bộ bộ phận", True),
        line(OrgKind.CHI_BO_TRUC_THUOC, "Trong đó: chi bộ trực thuộc", True),
        line(OrgKind.CHI_BO_CO_SO, "Chi bộ cơ sở"),
    ]
    main = [r for r in rows if not r.detail]
    total = Bieu5Row("Tổng cộng (tổ chức cơ sở đảng)", sum(r.organizations for r in main),
                     sum(r.members for r in main), sum(r.probationary for r in main), sum(r.women for r in main))
    return Bieu5(as_of, rows, total)


def admissions_per_year(session: Session, as_of: dt.date, years: int = 10) -> list[tuple[int, int]]:
    """(year, members admitted into the committee's chi bộ that year) for the last `years` years."""
    first = as_of.year - years + 1
    query = (select(Membership.valid_from).where(Membership.start_reason == MoveReason.KET_NAP.value,
                                                  Membership.valid_from >= dt.date(first, 1, 1),
                                                  Membership.valid_from <= as_of))
    counts = Counter(day.year for (day,) in session.execute(query))
    return [(year, counts[year]) for year in range(first, as_of.year + 1)]


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def probationary_due(session: Session, as_of: dt.date, months: int = 12) -> list[tuple[str, int]]:
    """Probationary members by the month they come due for full membership: overdue first, then the
    next `months` months ('07/2025' …). The probation length is the settings' threshold (12 months)."""
    probation = load_settings(session).thresholds.probation_months
    query = (select(Member.admitted_on).join(Membership, Membership.member_id == Member.id)
             .where(valid_on(Membership, as_of), Member.admitted_on.is_not(None),
                    or_(Member.full_member_on.is_(None), Member.full_member_on > as_of),
                    or_(Member.exempt_since.is_(None), Member.exempt_since > as_of,
                        Member.exempt_until <= as_of)))
    buckets: Counter[str] = Counter()
    first_month = dt.date(as_of.year, as_of.month, 1)
    for (admitted,) in session.execute(query):
        due = _add_months(admitted, probation)
        if due < as_of:
            buckets["Quá hạn"] += 1
        else:
            buckets[f"{due:%m/%Y}"] += 1
    labels = ["Quá hạn"] + [f"{_add_months(first_month, i):%m/%Y}" for i in range(months)]
    return [(label, buckets[label]) for label in labels]
