"""The organization tree and its member counts as of any date, as plain data."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from khoi_desktop.core.kinds import OrgKind
from khoi_desktop.core.text import word_sort_key

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from khoi_desktop.core.models import CommitteeSeat, Membership, Placement

# Plain data, no ORM at import: `stats` and `orgs` read the snapshot through a bare sqlite3 connection
# (core.db.read_connection) and start without SQLAlchemy.


def valid_on(model: type[Membership] | type[Placement] | type[CommitteeSeat], day: dt.date):  # type: ignore[no-untyped-def]
    """SQL condition: the row's validity interval covers `day` (valid_to is exclusive)."""
    from sqlalchemy import or_

    return (model.valid_from <= day) & or_(model.valid_to.is_(None), model.valid_to > day)


def org_exists_on(day: dt.date):  # type: ignore[no-untyped-def]
    from sqlalchemy import or_

    from khoi_desktop.core.models import Organization

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
        """The organization and everything under it, each followed by its own subtree, in the tree's order."""
        return _pre_order(self.nodes, [org_id])

    def in_tree_order(self) -> list[int]:
        """Every organization, each followed by its subtree, in the order the tree shows them."""
        return _pre_order(self.nodes, self.roots)

    def root_of(self, org_id: int) -> OrgNode:
        """The top-level organization (a tổ chức cơ sở đảng) that `org_id` belongs to; itself at the top."""
        node = self.nodes[org_id]
        while node.parent_id is not None and node.parent_id in self.nodes:
            node = self.nodes[node.parent_id]
        return node

    def active_nodes(self) -> list[OrgNode]:
        return [n for n in self.nodes.values() if n.active]


def _name_order(node: OrgNode) -> tuple[int, str]:
    # Đảng bộ before chi bộ under the same parent, then by name in Vietnamese order.
    return (0 if not node.kind.is_chi_bo else 1, word_sort_key(node.name))


_ORGS = """
SELECT id, code, name, kind, agency, founded_on, ended_on,
       consent_note IS NOT NULL OR consent_decision_id IS NOT NULL
FROM organizations WHERE founded_on <= :day {exists}"""
_STILL_EXISTS = "AND (ended_on IS NULL OR ended_on > :day)"
# The placement valid on the date; for an ended organization, its last one (the later rows win).
# With the kind the organization had while placed there, when a transfer across levels changed it.
_PLACEMENTS = ("SELECT org_id, parent_id, kind FROM placements WHERE valid_from <= :day "
               "ORDER BY org_id, valid_from, id")
_VALID = "valid_from <= :day AND (valid_to IS NULL OR valid_to > :day)"
_TOTALS = f"SELECT org_id, count(*) FROM memberships WHERE {_VALID} GROUP BY org_id"
_PROBATIONARY = f"""
SELECT org_id, count(*) FROM memberships
WHERE {_VALID} AND member_id IN (SELECT id FROM members WHERE full_member_on IS NULL OR full_member_on > :day)
GROUP BY org_id"""

Fetch = Callable[[str, dict[str, Any]], Sequence[Sequence[Any]]]


def _fetcher(source: Session | sqlite3.Connection) -> Fetch:
    if isinstance(source, sqlite3.Connection):
        return lambda sql, params: source.execute(sql, params).fetchall()
    # Pending changes are flushed first, as the ORM would; then plain rows through the session's connection
    # (the ORM's per-row bookkeeping was half the time of a snapshot of 8.000 organizations).
    source.flush()
    connection = source.connection()
    if connection.dialect.name == "sqlite":  # the driver's own named style (:day): no statement compiling
        return lambda sql, params: connection.exec_driver_sql(sql, params).all()
    from sqlalchemy import text

    return lambda sql, params: connection.execute(text(sql), params).all()


def _date(value: str | dt.date | None) -> dt.date | None:
    """A date column read in plain SQL: ISO text from SQLite, a date from PostgreSQL."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if value else None


def load_snapshot(source: Session | sqlite3.Connection, as_of: dt.date, *,
                  include_ended: bool = False, ordered: bool = True) -> OrgSnapshot:
    """The tree on `as_of`, from a session (inside its transaction) or a bare sqlite3 connection.

    `ordered=False` leaves children in no particular order: for counts only (`stats`), where sorting 8.500
    names in Vietnamese order was most of the work."""
    fetch = _fetcher(source)
    params = {"day": as_of.isoformat()}
    nodes: dict[int, OrgNode] = {}
    for row in fetch(_ORGS.format(exists="" if include_ended else _STILL_EXISTS), params):
        ended_on = _date(row[6])
        founded_on = _date(row[5])
        assert founded_on is not None
        nodes[row[0]] = OrgNode(id=row[0], code=row[1], name=row[2], kind=OrgKind(row[3]), agency=row[4],
                                founded_on=founded_on, ended_on=ended_on, parent_id=None,
                                has_consent=bool(row[7]), active=ended_on is None or ended_on > as_of)
    for org_id, parent_id, kind in fetch(_PLACEMENTS, params):
        if org_id in nodes:
            nodes[org_id].parent_id = parent_id
            if kind is not None:  # a chi bộ cơ sở moved under a đảng bộ (or back): its kind then
                nodes[org_id].kind = OrgKind(kind)
    # Members per chi bộ from the memberships' own index, then the few not yet full members (an index on
    # full_member_on): a join of every membership with its member took most of a snapshot at 100.000 members.
    totals = fetch(_TOTALS, params)
    probationary: dict[int, int] = {org_id: count for org_id, count in fetch(_PROBATIONARY, params)}
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
    if ordered:
        for node in nodes.values():
            node.children.sort(key=lambda i: _name_order(nodes[i]))
        roots.sort(key=lambda i: _name_order(nodes[i]))
    _sum_subtrees(nodes, roots)
    return OrgSnapshot(as_of=as_of, nodes=nodes, roots=roots)


def _pre_order(nodes: dict[int, OrgNode], tops: list[int]) -> list[int]:
    """The one walk of the tree: iterative (no recursion limit), children in their shown order."""
    order: list[int] = []
    stack = list(reversed(tops))
    while stack:
        current = stack.pop()
        order.append(current)
        stack.extend(reversed(nodes[current].children))
    return order


def _sum_subtrees(nodes: dict[int, OrgNode], roots: list[int]) -> None:
    for org_id in reversed(_pre_order(nodes, roots)):  # children before their parents
        node = nodes[org_id]
        node.members = node.direct_members + sum(nodes[c].members for c in node.children)
        node.full_members = node.direct_full + sum(nodes[c].full_members for c in node.children)
