"""What the rating findings read of a round, and no more: the levels per tổ chức cơ sở đảng (TCCSĐ) counted
in SQL, the organizations' levels, and the few members disciplined or failing (KHTNV) in the year.

The findings need no member one by one except those few: at scale 20 reading the whole round (100.000
members with their names and kinds, core/ratings/tally.py) was two thirds of `check`. The same figures come
from a RoundData the decision and the ratings page have already read (`tally_of`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import String, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.member_events.exemptions import exempt_on, exemption_periods
from khoi_desktop.core.models import Member, Membership
from khoi_desktop.core.ratings.models import Level, MemberRating, OrgRating, RatingRound
from khoi_desktop.core.ratings.rules import RatingRules
from khoi_desktop.core.ratings.scope import EXEMPT, FULL, NEW, PROBATIONARY, is_rated, months_before
from khoi_desktop.core.ratings.tally import Counts, RoundData
from khoi_desktop.core.tree import OrgNode, OrgSnapshot, load_snapshot, valid_on


class Flagged(NamedTuple):
    """A member in the round's scope disciplined in the year or rated KHTNV."""

    id: int
    code: str
    name: str
    org_id: int
    decided: Level | None
    disciplined: bool


@dataclass
class RoundTally:
    year: int
    snapshot: OrgSnapshot  # on the round's reference date
    org_levels: dict[int, Level | None]  # organizations with a stored rating, by id (in id order)
    body_levels: dict[int, Counts] = field(default_factory=dict)  # levels of each TCCSĐ's rated members
    unrated: dict[int, int] = field(default_factory=dict)  # each TCCSĐ's rated members without a decided level
    members: int = 0  # members in the round's scope
    flagged: list[Flagged] = field(default_factory=list)  # in member id order

    @property
    def grassroots(self) -> list[OrgNode]:
        nodes = self.snapshot.nodes
        return [nodes[i] for i in self.snapshot.in_tree_order()
                if nodes[i].parent_id is None and nodes[i].active and nodes[i].kind.is_tccsd]

    def orgs_of(self, body_id: int) -> list[OrgNode]:
        return [self.snapshot.nodes[i] for i in self.snapshot.subtree_ids(body_id) if self.snapshot.nodes[i].active]

    def org_level(self, org_id: int) -> Level | None:
        return self.org_levels.get(org_id)

    def member_levels(self, body_id: int | None = None) -> Counts:
        if body_id is not None:
            return self.body_levels.get(body_id, Counts())
        total = Counts()
        for counts in self.body_levels.values():
            for level, n in counts.levels.items():
                total.levels[level] += n
            total.total += counts.total
        return total


def _bodies(snapshot: OrgSnapshot) -> dict[int, int]:
    return {node.id: snapshot.root_of(node.id).id for node in snapshot.active_nodes()}


def _count(tally: RoundTally, body: int, rated: bool, decided: Level | None, n: int = 1) -> None:
    counts = tally.body_levels.setdefault(body, Counts())
    counts.total += n
    tally.members += n
    if not rated:
        return
    if decided is None:
        tally.unrated[body] = tally.unrated.get(body, 0) + n
    else:
        counts.levels[decided] += n


def tally_of(data: RoundData) -> RoundTally:
    """The tally of a round already read member by member."""
    scope = data.scope
    tally = RoundTally(data.round.year, scope.snapshot, {org_id: row.decided for org_id, row in data.orgs.items()})
    for member in scope.members.values():
        _count(tally, scope.body_of[member.org_id], member.rated, data.member_level(member.id))
    for member_id, row in data.members.items():
        person = scope.members.get(member_id)
        if person is not None and (row.disciplined or row.decided is Level.KHT):
            tally.flagged.append(Flagged(member_id, person.code, person.name, person.org_id, row.decided,
                                         row.disciplined))
    return tally


def _level(value: str | None) -> Level | None:
    return Level(value) if value else None


def load_tally(session: Session, rnd: RatingRound, rules: RatingRules) -> RoundTally:
    """The tally in three queries: members counted per organization, kind and level; the organizations'
    levels; the disciplined and failing members."""
    day = rnd.reference_date
    snapshot = load_snapshot(session, day)
    body_of = _bodies(snapshot)
    connection = session.connection()
    org_levels = {org_id: _level(decided) for org_id, decided in connection.execute(
        select(OrgRating.org_id, cast(OrgRating.decided, String)).where(OrgRating.round_id == rnd.id)
        .order_by(OrgRating.org_id)).all()}
    tally = RoundTally(rnd.year, snapshot, org_levels)
    kind = case(  # core/ratings/scope.member_kind, in SQL
        (and_(Member.exempt_since <= day, or_(Member.exempt_until.is_(None), Member.exempt_until > day)), EXEMPT),
        (Member.admitted_on > months_before(day, rules.new_member_months), NEW),
        (or_(Member.full_member_on.is_(None), Member.full_member_on > day), PROBATIONARY),
        else_=FULL)
    rating = and_(MemberRating.member_id == Member.id, MemberRating.round_id == rnd.id)
    rated = {k: is_rated(rules, k) for k in (FULL, PROBATIONARY, NEW, EXEMPT)}
    counted = (select(Membership.org_id, kind, cast(MemberRating.decided, String), func.count())
               .join(Member, Member.id == Membership.member_id).outerjoin(MemberRating, rating)
               .where(valid_on(Membership, day)).group_by(Membership.org_id, kind, MemberRating.decided))
    for org_id, member_kind, decided, n in connection.execute(counted).all():
        if org_id in body_of:
            _count(tally, body_of[org_id], rated[member_kind], _level(decided), n)
    # An earlier exemption recorded as events (the member row keeps only the latest) makes a member exempt on
    # the day too (scope.load_round_scope): the few such members move to that kind.
    earlier = sorted(m for m, periods in exemption_periods(session).items() if exempt_on(periods, day))
    for start in range(0, len(earlier), 500):
        for org_id, member_kind, decided, n in connection.execute(
                counted.where(Member.id.in_(earlier[start:start + 500]))).all():
            if org_id in body_of and member_kind != EXEMPT:
                _count(tally, body_of[org_id], rated[member_kind], _level(decided), -n)
                _count(tally, body_of[org_id], rated[EXEMPT], _level(decided), n)
    for member_id, code, family, middle, given, org_id, decided, disciplined in connection.execute(
            select(Member.id, Member.code, Member.family_name, Member.middle_name, Member.given_name,
                   Membership.org_id, cast(MemberRating.decided, String), MemberRating.disciplined)
            .join(MemberRating, rating).join(Membership, Membership.member_id == Member.id)
            .where(valid_on(Membership, day),
                   or_(MemberRating.disciplined.is_(True), MemberRating.decided == Level.KHT))
            .order_by(Member.id)).all():
        if org_id in body_of:
            name = " ".join(p for p in (family, middle, given) if p)
            tally.flagged.append(Flagged(member_id, code, name, org_id, _level(decided), bool(disciplined)))
    return tally
