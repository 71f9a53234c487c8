"""Who is rated in a round: the organizations and members on the round's reference date, each placed under
its tổ chức cơ sở đảng (TCCSĐ), with the kind of member that decides whether they are rated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import OrgNotFound
from khoi_desktop.core.models import Member, Membership
from khoi_desktop.core.ratings.rules import RATED, RatingRules
from khoi_desktop.core.tree import OrgNode, OrgSnapshot, load_snapshot, valid_on

FULL, PROBATIONARY, NEW, EXEMPT = "full", "probationary", "new", "exempt"
KIND_LABELS = {FULL: "Chính thức", PROBATIONARY: "Dự bị", NEW: "Mới kết nạp", EXEMPT: "Miễn sinh hoạt"}


def default_reference_date(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def member_kind(rules: RatingRules, admitted_on: dt.date | None, full_member_on: dt.date | None,
                exempt_since: dt.date | None, day: dt.date) -> str:
    if exempt_since is not None and exempt_since <= day:
        return EXEMPT
    if admitted_on is not None and admitted_on > months_before(day, rules.new_member_months):
        return NEW
    if full_member_on is None or full_member_on > day:
        return PROBATIONARY
    return FULL


def is_rated(rules: RatingRules, kind: str) -> bool:
    counted = {PROBATIONARY: rules.probationary, NEW: rules.new_member, EXEMPT: rules.exempt}
    return kind == FULL or counted[kind] == RATED


@dataclass(frozen=True)
class RatedMember:
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

    @property
    def grassroots(self) -> list[OrgNode]:
        """The TCCSĐ (the organizations the office itself rates), in the tree's order."""
        return [self.snapshot.nodes[i] for i in self.snapshot.in_tree_order()
                if self.snapshot.nodes[i].parent_id is None and self.snapshot.nodes[i].active
                and self.snapshot.nodes[i].kind.is_tccsd]

    def orgs_of(self, body_id: int) -> list[OrgNode]:
        return [self.snapshot.nodes[i] for i in self.snapshot.subtree_ids(body_id) if self.snapshot.nodes[i].active]

    def members_of(self, body_id: int) -> list[RatedMember]:
        return [m for m in self.members.values() if self.body_of.get(m.org_id) == body_id]

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
    for row in session.execute(
            select(Member.id, Member.code, Member.family_name, Member.middle_name, Member.given_name,
                   Member.admitted_on, Member.full_member_on, Member.exempt_since, Membership.org_id)
            .join(Membership, Membership.member_id == Member.id).where(valid_on(Membership, reference_date))):
        if row.org_id not in body_of:
            continue
        kind = member_kind(rules, row.admitted_on, row.full_member_on, row.exempt_since, reference_date)
        name = " ".join(p for p in (row.family_name, row.middle_name, row.given_name) if p)
        members[row.id] = RatedMember(row.id, row.code, name, row.org_id, kind, is_rated(rules, kind))
    return RoundScope(year, reference_date, snapshot, members, body_of)
