"""A round's stored ratings, read once (plain rows), and the counts per level that the summary, the findings
and the decision share."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.ratings.models import Level, MemberRating, OrgRating, RatingRound
from khoi_desktop.core.ratings.rules import load_rules
from khoi_desktop.core.ratings.scope import RoundScope, load_round_scope


@dataclass
class Counts:
    """Counts per level; `total` includes the unrated (and those the rules do not rate)."""

    levels: dict[Level, int] = field(default_factory=lambda: dict.fromkeys(Level, 0))
    total: int = 0

    def add(self, level: Level | None) -> None:
        self.total += 1
        if level is not None:
            self.levels[level] += 1

    @property
    def rated(self) -> int:
        return sum(self.levels.values())

    @property
    def unrated(self) -> int:
        return self.total - self.rated

    @property
    def good_or_better(self) -> int:
        return self.levels[Level.HTXS] + self.levels[Level.HTT]

    @property
    def good_or_better_pct(self) -> float | None:
        """Of those rated, as the article states its figures; None when nobody is rated."""
        return round(100 * self.good_or_better / self.rated, 2) if self.rated else None

    def pct(self, level: Level) -> float | None:
        return round(100 * self.levels[level] / self.rated, 2) if self.rated else None

    def as_json(self) -> dict:
        return {**{level.value: self.levels[level] for level in Level}, "unrated": self.unrated, "total": self.total}


@dataclass
class RoundData:
    round: RatingRound
    scope: RoundScope
    orgs: dict[int, OrgRating]
    members: dict[int, MemberRating]

    def org_level(self, org_id: int) -> Level | None:
        row = self.orgs.get(org_id)
        return row.decided if row is not None else None

    def member_level(self, member_id: int) -> Level | None:
        row = self.members.get(member_id)
        return row.decided if row is not None else None

    def member_counts(self, body_id: int | None = None, *, under: set[int] | None = None) -> Counts:
        counts = Counts()
        for m in self.scope.members.values():
            if (body_id is not None and self.scope.body_of.get(m.org_id) != body_id) or (
                    under is not None and m.org_id not in under):
                continue
            counts.add(self.member_level(m.id) if m.rated else None)
        return counts


def load_round(session: Session, rnd: RatingRound) -> RoundData:
    scope = load_round_scope(session, rnd.year, rnd.reference_date, load_rules(session))
    orgs = {r.org_id: r for r in session.scalars(select(OrgRating).where(OrgRating.round_id == rnd.id))}
    members = {r.member_id: r for r in session.scalars(select(MemberRating).where(MemberRating.round_id == rnd.id))}
    return RoundData(rnd, scope, orgs, members)
