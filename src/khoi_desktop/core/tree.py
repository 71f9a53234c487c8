"""The organization tree and its member counts as of any date, as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.models import CommitteeSeat, Member, Membership, Organization, OrgKind, Placement
from khoi_desktop.core.text import word_sort_key


def valid_on(model: type[Membership] | type[Placement] | type[CommitteeSeat], day: dt.date):  # type: ignore[no-untyped-def]
    """SQL condition: the row's validity interval covers `day` (valid_to is exclusive)."""
    return (model.valid_from <= day) & or_(model.valid_to.is_(None), model.valid_to > day)


def org_exists_on(day: dt.date):  # type: ignore[no-untyped-def]
    return (Organization.founded_on <= day) & or_(Organization.ended_on.is_(None), Organization.ended_on > day)


@dataclass
class OrgNode:
    id: int
    code: str
    name: str
    kind: OrgKind
    agency: str | None
    founded_on: dt.date
    ended_on: dt.date | None
    parent_id: int | None
    active: bool
    has_consent: bool
    direct_members: int = 0
    direct_full: int = 0
    members: int = 0  # whole subtree
    full_members: int = 0
    children: list[int] = field(default_factory=list)

    @property
    def probationary(self) -> int:
        return self.members - self.full_members

    @property
    def has_children(self) -> bool:
        return bool(self.children)


@dataclass
class OrgSnapshot:
    """All organizations that existed on `as_of` (and, if asked, the ended ones), with counts."""

    as_of: dt.date
    nodes: dict[int, OrgNode]
    roots: list[int]

    def by_code(self, code: str) -> OrgNode | None:
        return next((n for n in self.nodes.values() if n.code == code), None)

    def parent_code(self, node: OrgNode) -> str | None:
        return self.nodes[node.parent_id].code if node.parent_id in self.nodes else None

    def subtree_ids(self, org_id: int) -> list[int]:
        result, stack = [], [org_id]
        while stack:
            current = stack.pop()
            result.append(current)
            stack.extend(self.nodes[current].children)
        return result

    def active_nodes(self) -> list[OrgNode]:
        return [n for n in self.nodes.values() if n.active]


def _name_order(node: OrgNode) -> tuple[int, str]:
    # Đảng bộ before chi bộ under the same parent, then by name in Vietnamese order.
    return (0 if not node.kind.is_chi_bo else 1, word_sort_key(node.name))


def load_snapshot(session: Session, as_of: dt.date, *, include_ended: bool = False) -> OrgSnapshot:
    org_filter = Organization.founded_on <= as_of if include_ended else org_exists_on(as_of)
    # Plain rows through the connection: the ORM's per-row bookkeeping was half the time of a snapshot of
    # 8.000 organizations (bench/split.py). Pending changes are flushed first, as the ORM would.
    session.flush()
    connection = session.connection()
    orgs = connection.execute(
        select(Organization.id, Organization.code, Organization.name, Organization.kind,
               Organization.agency, Organization.founded_on, Organization.ended_on,
               Organization.consent_note.is_not(None) | Organization.consent_decision_id.is_not(None))
        .where(org_filter)
    ).all()
    nodes = {
        row[0]: OrgNode(id=row[0], code=row[1], name=row[2], kind=row[3], agency=row[4], founded_on=row[5],
                        ended_on=row[6], parent_id=None, has_consent=bool(row[7]),
                        active=row[6] is None or row[6] > as_of)
        for row in orgs
    }
    # The placement valid on the date; for an ended organization, its last one.
    placements = connection.execute(
        select(Placement.org_id, Placement.parent_id, Placement.kind)
        .where(Placement.valid_from <= as_of).order_by(Placement.org_id, Placement.valid_from, Placement.id)
    ).all()
    for org_id, parent_id, kind in placements:
        if org_id in nodes:
            nodes[org_id].parent_id = parent_id
            if kind is not None:  # the kind it had while placed there (a transfer across levels)
                nodes[org_id].kind = kind
    # Members per chi bộ from the memberships' own index, then the few not yet full members (an index on
    # full_member_on): a join of every membership with its member took most of a snapshot at 100.000 members.
    totals = connection.execute(
        select(Membership.org_id, func.count()).where(valid_on(Membership, as_of)).group_by(Membership.org_id)
    ).all()
    not_full = select(Member.id).where(or_(Member.full_member_on.is_(None), Member.full_member_on > as_of))
    probationary: dict[int, int] = {org_id: count for org_id, count in connection.execute(
        select(Membership.org_id, func.count())
        .where(valid_on(Membership, as_of), Membership.member_id.in_(not_full))
        .group_by(Membership.org_id)
    )}
    for org_id, total in totals:
        if org_id in nodes:
            nodes[org_id].direct_members = total
            nodes[org_id].direct_full = total - probationary.get(org_id, 0)
    roots: list[int] = []
    for node in nodes.values():
        if node.parent_id is not None and node.parent_id in nodes:
            nodes[node.parent_id].children.append(node.id)
        else:
            node.parent_id = node.parent_id if node.parent_id in nodes else None
            roots.append(node.id)
    for node in nodes.values():
        node.children.sort(key=lambda i: _name_order(nodes[i]))
    roots.sort(key=lambda i: _name_order(nodes[i]))
    _sum_subtrees(nodes, roots)
    return OrgSnapshot(as_of=as_of, nodes=nodes, roots=roots)


def _sum_subtrees(nodes: dict[int, OrgNode], roots: list[int]) -> None:
    order: list[int] = []
    stack = list(roots)
    while stack:  # iterative pre-order, then children before parents when reversed
        current = stack.pop()
        order.append(current)
        stack.extend(nodes[current].children)
    for org_id in reversed(order):
        node = nodes[org_id]
        node.members = node.direct_members + sum(nodes[c].members for c in node.children)
        node.full_members = node.direct_full + sum(nodes[c].full_members for c in node.children)
