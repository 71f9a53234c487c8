"""Admissions against the target (issue 17 item 5): members admitted each year of a term, for the office and
per tổ chức cơ sở đảng, against the target the congress set: at least `admission_target_percent` (3 by default,
the settings' threshold) of the members at the start of the term, every year.

Years are calendar years cut to the term; a partial first or last year asks for its share of the
target. Admissions are the memberships
started by an admission (kết nạp), as Biểu 1 counts them; each is counted for the tổ chức cơ sở đảng its
chi bộ belongs to at the end of the period.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import Membership, MoveReason, Term
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.text import show_date
from khoi_desktop.core.tree import load_snapshot


@dataclass(frozen=True)
class TargetYear:
    year: int
    start: dt.date
    end: dt.date
    admitted: int
    target: int

    @property
    def met(self) -> bool:
        return self.admitted >= self.target


@dataclass(frozen=True)
class BodyAdmissions:
    code: str
    name: str
    opening: int  # members at the start of the term
    admitted: dict[int, int]  # year -> admitted
    target: int  # per (whole) year
    targets: dict[int, int]  # year -> its target (a partial year its share)

    @property
    def total(self) -> int:
        return sum(self.admitted.values())


@dataclass(frozen=True)
class AdmissionTarget:
    term: str
    start: dt.date
    end: dt.date  # the term's end, or the day asked when earlier
    percent: float
    opening: int
    years: list[TargetYear]
    bodies: list[BodyAdmissions]

    @property
    def total(self) -> int:
        return sum(y.admitted for y in self.years)

    @property
    def total_percent(self) -> float:
        """The term's admissions as a share of the members at its start (the article's "5%")."""
        return 100 * self.total / self.opening if self.opening else 0.0

    @property
    def yearly_percent(self) -> float:
        """The average year's admissions as a share of the members at the start of the term."""
        span = max(1, (self.end - self.start).days + 1) / 365.25
        return self.total_percent / span

    def sentence(self) -> str:
        """The term figure in one sentence, as a report quotes it."""
        return (f"Nhiệm kỳ {self.term} (từ {show_date(self.start)} đến {show_date(self.end)}): kết nạp "
                f"{thousands(self.total)} đảng viên, bằng {_pct(self.total_percent)} số đảng viên đầu nhiệm kỳ "
                f"({thousands(self.opening)}), bình quân {_pct(self.yearly_percent)} mỗi năm; chỉ tiêu ít nhất "
                f"{_pct(self.percent)} mỗi năm ({thousands(target_of(self.opening, self.percent))} đảng viên).")


def _pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "%"


def target_of(opening: int, percent: float, share: float = 1.0) -> int:
    """The admissions a year asks for (`share` < 1: the part of a year a partial first or last year covers)."""
    return math.ceil(opening * percent / 100 * share - 1e-9)


def _share(start: dt.date, end: dt.date) -> float:
    days = 366 if start.year % 4 == 0 and (start.year % 100 or start.year % 400 == 0) else 365
    return min(1.0, ((end - start).days + 1) / days)


def term_names(session: Session) -> list[str]:
    return list(session.scalars(select(Term.name).order_by(Term.starts_on)))


def find_term(session: Session, name: str | None, today: dt.date) -> Term:
    terms = list(session.scalars(select(Term).order_by(Term.starts_on)))
    if name is not None:
        from khoi_desktop.core.decisions import same_term_name

        wanted = same_term_name(name, [t.name for t in terms])
        term = next((t for t in terms if t.name == wanted), None)
        if term is None:
            known = ", ".join(t.name for t in terms) or "chưa có"
            raise ValidationError(f"Không có nhiệm kỳ «{name}» (các nhiệm kỳ: {known}).", code="unknown_term")
        return term
    current = [t for t in terms if t.starts_on <= today <= t.ends_on] or [t for t in terms if t.starts_on <= today]
    if not current:
        raise ValidationError("Chưa khai báo nhiệm kỳ nào bắt đầu trước hôm nay.", code="no_term")
    return current[-1]


def admission_target(session: Session, term_name: str | None = None, *,
                     today: dt.date | None = None) -> AdmissionTarget:
    today = today or dt.date.today()
    term = find_term(session, term_name, today)
    start, end = term.starts_on, min(term.ends_on, max(today, term.starts_on))
    percent = load_settings(session).thresholds.admission_target_percent
    opening_tree = load_snapshot(session, start, ordered=False)
    closing_tree = load_snapshot(session, end, include_ended=True, ordered=False)
    admitted: Counter[tuple[str, int]] = Counter()
    for org_id, day in session.execute(select(Membership.org_id, Membership.valid_from).where(
            Membership.start_reason == MoveReason.KET_NAP.value, Membership.valid_from >= start,
            Membership.valid_from <= end)):
        root = closing_tree.root_of(org_id) if org_id in closing_tree.nodes else None
        admitted[(root.code if root else "", day.year)] += 1
    years = list(range(start.year, end.year + 1))
    periods = {y: (max(start, dt.date(y, 1, 1)), min(end, dt.date(y, 12, 31))) for y in years}
    shares = {y: _share(*periods[y]) for y in years}
    names = {n.code: n.name for n in closing_tree.nodes.values()}
    openings = {opening_tree.nodes[r].code: opening_tree.nodes[r].members for r in opening_tree.roots}
    codes = list(dict.fromkeys([*openings, *(code for code, _ in admitted)]))
    bodies = [BodyAdmissions(code, names.get(code, code or "Không rõ tổ chức"), openings.get(code, 0),
                             {y: admitted[(code, y)] for y in years}, target_of(openings.get(code, 0), percent),
                             {y: target_of(openings.get(code, 0), percent, shares[y]) for y in years})
              for code in codes]
    bodies.sort(key=lambda b: (-b.opening, b.code))
    opening = sum(openings.values())
    rows = [TargetYear(y, *periods[y], sum(admitted[(c, y)] for c in codes), target_of(opening, percent, shares[y]))
            for y in years]
    return AdmissionTarget(term.name, start, end, percent, opening, rows, bodies)
