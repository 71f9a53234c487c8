"""A round's stored ratings, read once (plain rows), and the counts per level that the summary, the findings
and the decision share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import String, cast, select
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


class Stored(NamedTuple):
    decided: Level | None
    disciplined: bool


@dataclass
class RoundData:
    round: RatingRound
    scope: RoundScope
    orgs: dict[int, Stored]
    members: dict[int, Stored]

    def org_level(self, org_id: int) -> Level | None:
        row = self.orgs.get(org_id)
        return row.decided if row is not None else None

    def member_level(self, member_id: int) -> Level | None:
        row = self.members.get(member_id)
        return row.decided if row is not None else None

    def member_counts(self, body_id: int | None = None, *, under: set[int] | None = None) -> Counts:
        counts = Counts()
        people = self.scope.members_of(body_id) if body_id is not None else self.scope.members.values()
        for m in people:
            if under is None or m.org_id in under:
                counts.add(self.member_level(m.id) if m.rated else None)
        return counts


def _level(value: str | None) -> Level | None:
    return Level(value) if value else None


def load_round(session: Session, rnd: RatingRound) -> RoundData:
    """The round's scope and decided levels, as plain rows (no ORM entity per member: 100.000 at scale 20)."""
    scope = load_round_scope(session, rnd.year, rnd.reference_date, load_rules(session))
    connection = session.connection()
    orgs = {org_id: Stored(_level(decided), False) for org_id, decided in connection.execute(
        select(OrgRating.org_id, cast(OrgRating.decided, String)).where(OrgRating.round_id == rnd.id)).all()}
    members = {member_id: Stored(_level(decided), bool(disciplined)) for member_id, decided, disciplined in
               connection.execute(select(MemberRating.member_id, cast(MemberRating.decided, String),
                                         MemberRating.disciplined).where(MemberRating.round_id == rnd.id)).all()}
    return RoundData(rnd, scope, orgs, members)
