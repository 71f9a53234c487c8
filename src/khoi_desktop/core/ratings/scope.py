"""Who is rated in a round: the organizations and members on the round's reference date, each placed under
its tổ chức cơ sở đảng (TCCSĐ), with the kind of member that decides whether they are rated."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import OrgNotFound
from khoi_desktop.core.member_events.exemptions import exempt_on, exemption_periods
from khoi_desktop.core.models import Member, Membership
from khoi_desktop.core.plain_rows import plain_rows
from khoi_desktop.core.ratings.rules import RATED, RatingRules
from khoi_desktop.core.tree import OrgNode, OrgSnapshot, load_snapshot, valid_on

FULL, PROBATIONARY, NEW, EXEMPT = "full", "probationary", "new", "exempt"
KIND_LABELS = {FULL: "Chính thức", PROBATIONARY: "Dự bị", NEW: "Mới kết nạp", EXEMPT: "Miễn sinh hoạt"}


def default_reference_date(year: int) -> dt.date:
    return dt.date(year, 12, 31)


@functools.lru_cache(maxsize=256)  # the same reference date for 100.000 members of a round
def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def member_kind(rules: RatingRules, admitted_on: dt.date | None, full_member_on: dt.date | None,
                exempt_since: dt.date | None, day: dt.date, exempt_until: dt.date | None = None) -> str:
    if exempt_since is not None and exempt_since <= day and (exempt_until is None or day < exempt_until):
        return EXEMPT
    if admitted_on is not None and admitted_on > months_before(day, rules.new_member_months):
        return NEW
    if full_member_on is None or full_member_on > day:
        return PROBATIONARY
    return FULL


def is_rated(rules: RatingRules, kind: str) -> bool:
    counted = {PROBATIONARY: rules.probationary, NEW: rules.new_member, EXEMPT: rules.exempt}
    return kind == FULL or counted[kind] == RATED


class RatedMember(NamedTuple):  # not a frozen dataclass: 200.000 built in a demo office's ratings (scale 20)
    id: int
    code: str
    name: str
    org_id: int  # the chi bộ on the reference date
    kind: str
    rated: bool  # False: reviewed but not rated, outside the percentages (the counting rules)


@dataclass
class RoundScope:
    year: int
    reference_date: dt.date
    snapshot: OrgSnapshot
    members: dict[int, RatedMember]
    body_of: dict[int, int]  # organization id -> its TCCSĐ's id
    by_body: dict[int, list[RatedMember]] = field(default_factory=dict)  # filled by load_round_scope

    @property
    def grassroots(self) -> list[OrgNode]:
        """The TCCSĐ (the organizations the office itself rates), in the tree's order."""
        return [self.snapshot.nodes[i] for i in self.snapshot.in_tree_order()
                if self.snapshot.nodes[i].parent_id is None and self.snapshot.nodes[i].active
                and self.snapshot.nodes[i].kind.is_tccsd]

    def orgs_of(self, body_id: int) -> list[OrgNode]:
        return [self.snapshot.nodes[i] for i in self.snapshot.subtree_ids(body_id) if self.snapshot.nodes[i].active]

    def members_of(self, body_id: int) -> list[RatedMember]:
        return self.by_body.get(body_id, [])

    def body(self, code: str) -> OrgNode:
        """A TCCSĐ, or any organization under one (its subtree), active on the reference date."""
        node = self.snapshot.by_code(code)
        if node is None or not node.active:
            raise OrgNotFound(code, on=self.reference_date)
        return node

    def ids_under(self, org_id: int) -> set[int]:
        return {i for i in self.snapshot.subtree_ids(org_id) if self.snapshot.nodes[i].active}


def load_round_scope(session: Session, year: int, reference_date: dt.date, rules: RatingRules) -> RoundScope:
    snapshot = load_snapshot(session, reference_date)
    body_of = {node.id: snapshot.root_of(node.id).id for node in snapshot.active_nodes()}
    members: dict[int, RatedMember] = {}
    # Plain tuples, dates as ISO text: the ORM's per-row processing of 100.000 members (scale 20) is most of it.
    rows = plain_rows(session,
        select(Member.id, Member.code, Member.family_name, Member.middle_name, Member.given_name,
               cast(Member.admitted_on, String), cast(Member.full_member_on, String),
               cast(Member.exempt_since, String), Membership.org_id, cast(Member.exempt_until, String))
        .join(Membership, Membership.member_id == Member.id).where(valid_on(Membership, reference_date)))
    earlier = exemption_periods(session)  # the row keeps the latest exemption; the events the earlier ones
    day, rated = dt.date.fromisoformat, {k: is_rated(rules, k) for k in (FULL, PROBATIONARY, NEW, EXEMPT)}
    for member_id, code, family, middle, given, admitted, full, exempt, org_id, exempt_until in rows:
        if org_id not in body_of:
            continue
        # Inline, not through _day and a generator: twice 110.000 members in a demo office's ratings (scale 20).
        kind = member_kind(rules, day(admitted) if admitted else None, day(full) if full else None,
                           day(exempt) if exempt else None, reference_date,
                           day(exempt_until) if exempt_until else None)
        if kind != EXEMPT and member_id in earlier and exempt_on(earlier[member_id], reference_date):
            kind = EXEMPT
        name = " ".join(filter(None, (family, middle, given)))
        members[member_id] = RatedMember(member_id, code, name, org_id, kind, rated[kind])
    by_body: dict[int, list[RatedMember]] = {}
    for member in members.values():  # grouped once: a province has some 1.500 bodies and 100.000 members
        by_body.setdefault(body_of[member.org_id], []).append(member)
    return RoundScope(year, reference_date, snapshot, members, body_of, by_body)
