"""Committees of the demo office: two terms of elections, seats among members who were full members of
the organization for the whole term, and leaders' job titles to match."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from khoi_desktop.core.models import OrgKind, SeatRole
from khoi_desktop.core.settings import Thresholds

if TYPE_CHECKING:
    from khoi_desktop.core.demo import _Member, _Org

TERMS = (
    ("2020-2025", dt.date(2020, 10, 1), dt.date(2025, 9, 30)),
    ("2025-2030", dt.date(2025, 10, 1), dt.date(2030, 9, 30)),
)
# Congress seasons (month, day): chi bộ trực thuộc first, then the TCCSĐ, before the superior's congress.
CHI_BO_CONGRESS = ((3, 1), (5, 14))
TCCSD_CONGRESS = ((5, 15), (7, 31))
RE_ELECTED_SHARE = 0.6
LIMITS = Thresholds()
DAY = dt.timedelta(days=1)


class Dice(random.Random):
    """random.Random whose randint and choice take one random() each: the library's go through randrange and
    getrandbits (half a microsecond a draw, about a million draws at scale 20). Uniform to within 2**-53 over
    the demo's small ranges; the same seed gives the same draws."""

    def randint(self, a: int, b: int) -> int:
        if b < a:
            raise ValueError(f"empty range for randint({a}, {b})")
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Any) -> Any:
        if not seq:
            raise IndexError("Cannot choose from an empty sequence")
        return seq[int(self.random() * len(seq))]


def random_day(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randint(0, (high - low).days))


class Elections:
    """Seats (rows for the committee_seats table) appended to `seats`."""

    def __init__(self, rng: random.Random, today: dt.date, seats: list[dict[str, Any]]) -> None:
        self.rng = rng
        self.today = today
        self.seats = seats

    def hold(self, orgs: list[_Org], members: list[_Member]) -> None:
        """Committees of the 2020–2025 and current terms; the current leaders get matching job titles
        (chi bộ first, so a TCCSĐ's title wins)."""
        ever_in: dict[_Org, list[_Member]] = {}
        for member in members:
            for span in member.spans:
                ever_in.setdefault(span.org, []).append(member)
        for org in orgs:
            scope = [org] if org.kind.is_chi_bo else org.children
            people = list(dict.fromkeys(m for c in scope for m in ever_in.get(c, ())))
            window = CHI_BO_CONGRESS if org.kind is OrgKind.CHI_BO_TRUC_THUOC else TCCSD_CONGRESS
            committee: list[_Member] = []
            for term, start, end in self._congresses(window):
                committee = self._elect(org, term, start, end, set(scope), people, committee)
            self._give_titles(org, committee)

    def _congresses(self, window: tuple[tuple[int, int], ...]) -> list[tuple[str, dt.date, dt.date | None]]:
        (first_month, first_day), (last_month, last_day) = window
        starts = [random_day(self.rng, dt.date(year, first_month, first_day), dt.date(year, last_month, last_day))
                  for year in (2020, 2025)]
        (old_term, *_), (new_term, *_) = TERMS
        if starts[0] > self.today:
            return []
        if starts[1] > self.today:
            return [(old_term, starts[0], None)]
        return [(old_term, starts[0], starts[1]), (new_term, starts[1], None)]

    def _elect(self, org: _Org, term: str, start: dt.date, end: dt.date | None, scope: set[_Org],
               people: list[_Member], previous: list[_Member]) -> list[_Member]:
        """Seats of one term among the full members of the organization on its first day who stay
        to its end; returns the committee, Bí thư first, then Phó Bí thư."""
        rng = self.rng
        last = end - DAY if end else self.today
        full = [m for m in people
                if m.full_member_on is not None and m.full_member_on <= start and m.org_on(start) in scope]
        eligible = [m for m in full
                    if m.org_on(last) in scope and (m.exempt_since is None or m.exempt_since > last)]
        if not eligible:
            return []
        has_committee = org.kind is OrgKind.DANG_BO_CO_SO or len(full) >= LIMITS.chi_uy_min_full_members
        if org.kind is OrgKind.DANG_BO_CO_SO:
            size = rng.randint(5, 7) if len(full) < 60 else rng.randint(7, 11)
        elif has_committee:
            size = rng.randint(3, 5)
        else:
            size = 2 if rng.random() < 0.35 else 1
        committee = self._pick(eligible, min(size, len(eligible)), previous)
        roles = [(m, SeatRole.CAP_UY_VIEN) for m in committee] if has_committee else []
        if org.kind is OrgKind.DANG_BO_CO_SO and len(committee) >= LIMITS.btv_min_committee:
            roles += [(m, SeatRole.UY_VIEN_BTV) for m in committee[:3]]
        roles.append((committee[0], SeatRole.BI_THU))
        if len(committee) >= 2:
            roles.append((committee[1], SeatRole.PHO_BI_THU))
        self.seats.extend(
            {"org_id": org.id, "member_id": m.id, "role": role, "term": term, "valid_from": start,
             "valid_to": end, "end_reason": "Hết nhiệm kỳ" if end else None}
            for m, role in roles
        )
        return committee

    def _pick(self, eligible: list[_Member], size: int, previous: list[_Member]) -> list[_Member]:
        """`size` of the eligible, re-electing part of the previous committee in its order."""
        allowed = set(eligible)
        kept = [m for m in previous if m in allowed and self.rng.random() < RE_ELECTED_SHARE][:size]
        taken = set(kept)
        return kept + self.rng.sample([m for m in eligible if m not in taken], size - len(kept))

    def _give_titles(self, org: _Org, committee: list[_Member]) -> None:
        if not committee:
            return
        if not org.kind.is_tccsd:
            if committee[0].theory_level == "Sơ cấp":
                committee[0].theory_level = "Trung cấp"
            return
        if len(committee) >= 2:
            committee[1].job_title = f"Phó {org.spec.head_title}"
        committee[0].job_title = org.spec.head_title
        committee[0].theory_level = "Cao cấp"
