"""The organization tree and its member counts as of any date, as plain data."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

from khoi_desktop.core.engines.sqlite import is_raw_connection
from khoi_desktop.core.kinds import OrgKind
from khoi_desktop.core.text import word_sort_key

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from khoi_desktop.core.models import CommitteeSeat, Membership, Placement

# Plain data, no ORM at import: `stats` and `orgs` read the snapshot through a bare sqlite3 connection
# (core.db.read_connection) and start without SQLAlchemy; on a sound server office through psycopg alone
# (core.engines.postgres.PlainSnapshot).


@runtime_checkable
class PlainFetcher(Protocol):
    """A reader that answers the plain statements below (`:name` parameters) with the driver's tuples."""

    def fetch_plain(self, sql: str, params: dict[str, Any]) -> Sequence[Sequence[Any]]: ...


Source: TypeAlias = "Session | sqlite3.Connection | PlainFetcher"


def valid_on(model: type[Membership] | type[Placement] | type[CommitteeSeat], day: dt.date):  # type: ignore[no-untyped-def]
    """SQL condition: the row's validity interval covers `day` (valid_to is exclusive)."""
    from sqlalchemy import or_

    return (model.valid_from <= day) & or_(model.valid_to.is_(None), model.valid_to > day)


def org_exists_on(day: dt.date):  # type: ignore[no-untyped-def]
    from sqlalchemy import or_

    from khoi_desktop.core.models import Organization

    return (Organization.founded_on <= day) & or_(Organization.ended_on.is_(None), Organization.ended_on > day)


@dataclass(slots=True)
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
        found = next((n for n in self.nodes.values() if n.code == code), None)
        if found is None:  # a code an older version stored in lower case («cb-moi»), typed as read: CB-MOI
            others = [n for n in self.nodes.values() if n.code.upper() == code.upper()]
            found = others[0] if len(others) == 1 else None
        return found

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


_ORGS = """
SELECT id, code, name, kind, agency, founded_on, ended_on,
       consent_note IS NOT NULL OR consent_decision_id IS NOT NULL AS consent
FROM organizations WHERE founded_on <= :day {exists}"""
_STILL_EXISTS = "AND (ended_on IS NULL OR ended_on > :day)"
# The placement valid on the date; for an ended organization, its last one (the later rows win).
# With the kind the organization had while placed there, when a transfer across levels changed it.
_PLACEMENTS = ("SELECT org_id, parent_id, kind FROM placements WHERE valid_from <= :day "
               "ORDER BY org_id, valid_from, id")
_VALID = "valid_from <= :day AND (valid_to IS NULL OR valid_to > :day)"
_TOTALS = f"SELECT org_id, count(*) AS n FROM memberships WHERE {_VALID} GROUP BY org_id"
_PROBATIONARY = f"""
SELECT org_id, count(*) AS n FROM memberships
WHERE {_VALID} AND member_id IN (SELECT id FROM members WHERE full_member_on IS NULL OR full_member_on > :day)
GROUP BY org_id"""

# A bare SQLite connection (the window's first overview, `stats`) reads each statement as one row, a JSON array of
# its rows made by SQLite: the driver hands the GIL over around each row it steps, so a statement of thousands of
# rows on the worker thread waited up to a switch interval (5 ms) per row while the GUI thread built the window's
# widgets, and the tree came only after them. One row: SQLite works with the GIL released, beside the widgets.
_ORG_COLUMNS = "id, code, name, kind, agency, founded_on, ended_on, consent"
# _PLACEMENTS with what orders them (an aggregate's input order is SQLite's to choose), sorted here alike.
_PLACEMENTS_UNORDERED = "SELECT org_id, parent_id, kind, valid_from, id FROM placements WHERE valid_from <= :day"
_PLACEMENT_ORDER = itemgetter(0, 3, 4)


def _packed(columns: str, sql: str) -> str:
    return f"SELECT json_group_array(json_array({columns})) FROM ({sql})"


Fetch = Callable[[str, dict[str, Any]], Sequence[Sequence[Any]]]
_KINDS = {kind.value: kind for kind in OrgKind}  # OrgKind(value) per row was a tenth of a snapshot


def _fetcher(source: Source) -> Fetch:
    if is_raw_connection(source):  # sqlite3's or SQLCipher's
        def rows(sql: str, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
            return source.execute(sql, params).fetchall()

        if _has_json(source):
            rows.packed = lambda sql, params: json.loads(source.execute(sql, params).fetchone()[0])  # type: ignore[attr-defined]
        return rows
    if isinstance(source, PlainFetcher):  # a server office's snapshot read through psycopg alone
        return source.fetch_plain
    # Pending changes are flushed first, as the ORM would; then plain rows through the session's connection
    # (the ORM's per-row bookkeeping was half the time of a snapshot of 8.000 organizations).
    source.flush()
    connection = source.connection()
    if connection.dialect.name == "sqlite":  # the driver's own named style (:day): no statement compiling
        return lambda sql, params: connection.exec_driver_sql(sql, params).all()
    from sqlalchemy import text

    from khoi_desktop.core.engines.together import read_together

    def fetch(sql: str, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        return connection.execute(text(sql), params).all()

    # Reads that do not wait for each other's answers, in one round trip (_read_nodes).
    fetch.together = lambda statements: read_together(connection, statements)  # type: ignore[attr-defined]
    return fetch


_JSON: dict[type, bool] = {}


def _has_json(conn: sqlite3.Connection) -> bool:
    """SQLite's JSON functions (built in since 3.38; a library built without them: row by row)."""
    known = _JSON.get(type(conn))
    if known is None:
        try:
            conn.execute("SELECT json_array(1)").fetchone()
        except Exception:  # noqa: BLE001  # either driver's OperationalError: no such function
            known = False
        else:
            known = True
        _JSON[type(conn)] = known
    return known


def _date(value: str | dt.date | None) -> dt.date | None:
    """A date column read in plain SQL: ISO text from SQLite, a date from PostgreSQL."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if value else None


def load_snapshot(source: Source, as_of: dt.date, *,
                  include_ended: bool = False, ordered: bool = True) -> OrgSnapshot:
    """The tree on `as_of`, from a session (inside its transaction) or a bare sqlite3 connection.

    `ordered=False` leaves children in no particular order: for counts only (`stats`), where sorting 8.500
    names in Vietnamese order was most of the work."""
    fetch = _fetcher(source)
    nodes = _read_nodes(fetch, {"day": as_of.isoformat()}, as_of, include_ended=include_ended)
    roots = _link(nodes, ordered=ordered)
    _sum_subtrees(nodes, roots)
    return OrgSnapshot(as_of=as_of, nodes=nodes, roots=roots)


def linked_snapshot(nodes: dict[int, OrgNode], as_of: dt.date, *, ordered: bool = True) -> OrgSnapshot:
    """load_snapshot's tree of nodes made elsewhere (each with its parent and its own members, children empty):
    the demo's plan (ratings/demo.py)."""
    roots = _link(nodes, ordered=ordered)
    _sum_subtrees(nodes, roots)
    return OrgSnapshot(as_of=as_of, nodes=nodes, roots=roots)


def ended_orgs(source: Source, as_of: dt.date) -> list[tuple[str, str, dt.date]]:
    """(code, name, ended on) of the organizations that ended on or before `as_of`: pickers name them when a
    clerk types one (a dissolved chi bộ is not in the list, and "not in the list" alone reads as a typo)."""
    rows = _fetcher(source)("SELECT code, name, ended_on FROM organizations WHERE ended_on <= :day",
                            {"day": as_of.isoformat()})
    return [(code, name, ended) for code, name, value in rows if (ended := _date(value)) is not None]


def _only(column: str, ids: Sequence[int] | None) -> str:
    # Ids are the database's own integers (never user text): inlined, as no driver binds a list.
    if ids is None:
        return ""
    if not ids:  # "IN ()" is SQLite's, not standard SQL (a server refuses it)
        return " AND 1 = 0"
    return f" AND {column} IN ({','.join(str(int(i)) for i in ids)})"


def _read_nodes(fetch: Fetch, params: dict[str, Any], as_of: dt.date, *, include_ended: bool = False,
                ids: Sequence[int] | None = None) -> dict[int, OrgNode]:
    """The organizations (all of them, or those `ids`) with their parent and their own members on `as_of`."""
    nodes: dict[int, OrgNode] = {}
    orgs = _ORGS.format(exists="" if include_ended else _STILL_EXISTS) + _only("id", ids)
    placements = _PLACEMENTS.replace(" ORDER BY", _only("org_id", ids) + " ORDER BY")
    # Members per chi bộ from the memberships' own index, then the few not yet full members (an index on
    # full_member_on): a join of every membership with its member took most of a snapshot at 100.000 members.
    few = _PROBATIONARY.replace("\nGROUP BY", _only("org_id", ids) + "\nGROUP BY")
    totals = _TOTALS.replace(" GROUP BY", _only("org_id", ids) + " GROUP BY")
    statements = [(sql, params) for sql in (orgs, placements, totals, few)]
    together = getattr(fetch, "together", None)  # a server session: the four in one round trip
    packed = getattr(fetch, "packed", None)  # a bare SQLite connection: each statement's rows as one JSON row
    org_rows: Sequence[Sequence[Any]]
    placement_rows: Sequence[Sequence[Any]]
    totals_rows: Sequence[Sequence[Any]]
    few_rows: Sequence[Sequence[Any]]
    if packed is not None:
        org_rows, placement_rows, totals_rows, few_rows = (
            packed(_packed(_ORG_COLUMNS, orgs), params),
            sorted(packed(_packed("org_id, parent_id, kind, valid_from, id",
                                  _PLACEMENTS_UNORDERED + _only("org_id", ids)), params), key=_PLACEMENT_ORDER),
            packed(_packed("org_id, n", totals), params), packed(_packed("org_id, n", few), params))
    else:
        org_rows, placement_rows, totals_rows, few_rows = (together(statements) if together is not None
                                                           else [fetch(sql, values) for sql, values in statements])
    kinds, date = _KINDS, _date
    for org_id, code, name, kind, agency, founded, ended, consent in org_rows:
        ended_on = date(ended) if ended is not None else None
        founded_on = date(founded)
        assert founded_on is not None
        nodes[org_id] = OrgNode(org_id, code, name, kinds[kind], agency, founded_on, ended_on, None,
                                ended_on is None or ended_on > as_of, bool(consent))
    for org_id, parent_id, kind, *_ in placement_rows:  # the later rows win
        if org_id in nodes:
            nodes[org_id].parent_id = parent_id
            if kind is not None:  # a chi bộ cơ sở moved under a đảng bộ (or back): its kind then
                nodes[org_id].kind = _KINDS[kind]
    probationary: dict[int, int] = {org_id: count for org_id, count in few_rows}
    for org_id, total in totals_rows:
        if org_id in nodes:
            nodes[org_id].direct_members = total
            nodes[org_id].direct_full = total - probationary.get(org_id, 0)
    return nodes


def _link(nodes: dict[int, OrgNode], *, ordered: bool = True) -> list[int]:
    """Children under their parents; the roots (no parent among the nodes) returned, in the tree's order."""
    roots: list[int] = []
    for node in nodes.values():
        if node.parent_id is not None and node.parent_id in nodes:
            nodes[node.parent_id].children.append(node.id)
        else:
            node.parent_id = node.parent_id if node.parent_id in nodes else None
            roots.append(node.id)
    if ordered:
        # Đảng bộ before chi bộ under the same parent, then by name in Vietnamese order: each organization's key
        # made once, the kind's test once per kind (the order of 8.500 names was a sixth of a snapshot).
        chi_bo = {kind: kind.is_chi_bo for kind in OrgKind}
        key = {org_id: (1 if chi_bo[node.kind] else 0, word_sort_key(node.name)) for org_id, node in nodes.items()}
        for node in nodes.values():
            if len(node.children) > 1:
                node.children.sort(key=key.__getitem__)
        roots.sort(key=key.__getitem__)
    return roots


# Whether an organization exists on the date; its latest placement on the date (later rows win, as in _PLACEMENTS).
_EXISTS_O = "o.founded_on <= :day AND (o.ended_on IS NULL OR o.ended_on > :day)"
_PARENT_OF_O = ("(SELECT p.parent_id FROM placements p WHERE p.org_id = o.id AND p.valid_from <= :day "
                "ORDER BY p.valid_from DESC, p.id DESC LIMIT 1)")
# Up from an organization existing on the date, through its parents existing on the date: the last is the top of
# its tổ chức cơ sở đảng. One statement (one round trip to a server), not one a level; a tree is a few levels deep,
# and damaged data with a cycle stops at 16.
_UP = (f"WITH RECURSIVE up(id, parent_id, depth) AS ("
       f"SELECT o.id, {_PARENT_OF_O}, 0 FROM organizations o WHERE o.id = :org AND {_EXISTS_O} "
       f"UNION ALL SELECT o.id, {_PARENT_OF_O}, up.depth + 1 FROM up JOIN organizations o ON o.id = up.parent_id "
       f"WHERE {_EXISTS_O} AND up.depth < 15) SELECT id FROM up ORDER BY depth")
# Down from a top: the organizations existing on the date whose parent on the date is one of the family (a
# placement under it with no later one on the date: said so, not as _PARENT_OF_O = family.id, which a server
# plans as a hash of every organization's latest parent).
_FAMILY = (f"WITH RECURSIVE family(id) AS (SELECT id FROM organizations WHERE id = :root "
           f"UNION SELECT o.id FROM family JOIN placements pl ON pl.parent_id = family.id AND pl.valid_from <= :day "
           f"JOIN organizations o ON o.id = pl.org_id WHERE {_EXISTS_O} AND NOT EXISTS (SELECT 1 FROM placements p "
           f"WHERE p.org_id = pl.org_id AND p.valid_from <= :day AND (p.valid_from > pl.valid_from "
           f"OR (p.valid_from = pl.valid_from AND p.id > pl.id)))) SELECT id FROM family")


class _Nodes(Mapping[int, OrgNode]):
    """The organizations read so far; asking for another one reads its whole tổ chức cơ sở đảng."""

    def __init__(self, load: Callable[[int], None]) -> None:
        self.loaded: dict[int, OrgNode] = {}
        self._absent: set[object] = set()
        self._load = load

    def __getitem__(self, org_id: int) -> OrgNode:
        node = self.loaded.get(org_id)
        if node is None and isinstance(org_id, int) and org_id not in self._absent:
            self._load(org_id)
            node = self.loaded.get(org_id)
        if node is None:
            self._absent.add(org_id)
            raise KeyError(org_id)
        return node

    def __iter__(self) -> Iterator[int]:  # only what was read
        return iter(self.loaded)

    def __len__(self) -> int:
        return len(self.loaded)


class OrgFamilies:
    """The tree on `as_of` as a request sees it: read one tổ chức cơ sở đảng with everything under it at a
    time, when one of its organizations is asked for. A node and its counts are those of `load_snapshot`
    (the rule book reads an organization's own facts: its subtree's members and its children), without
    reading the 8.500 organizations of a province for a request that touches three of them."""

    def __init__(self, source: Session | sqlite3.Connection, as_of: dt.date) -> None:
        self.as_of = as_of
        self._fetch = _fetcher(source)
        self._params = {"day": as_of.isoformat()}
        self.nodes: Mapping[int, OrgNode] = _Nodes(self._load_family)
        self.roots: list[int] = []  # of the families read
        self._codes: dict[str, int] = {}  # the codes of the organizations read

    def by_code(self, code: str) -> OrgNode | None:
        if code in self._codes:  # a family already read (a request names its organizations more than once)
            return self.nodes.get(self._codes[code])
        row = self._fetch("SELECT id FROM organizations WHERE code = :code", {"code": code})
        if not row:  # a code an older version stored in lower case («cb-moi»), typed as read: CB-MOI
            row = self._fetch("SELECT id FROM organizations WHERE upper(code) = :code LIMIT 2", {"code": code.upper()})
            row = row if len(row) == 1 else []
        return self.nodes.get(row[0][0]) if row else None

    def parent_code(self, node: OrgNode) -> str | None:
        parent = self.nodes.get(node.parent_id) if node.parent_id is not None else None
        return parent.code if parent else None

    def subtree_ids(self, org_id: int) -> list[int]:
        return _pre_order(self.nodes, [org_id])

    def root_of(self, org_id: int) -> OrgNode:
        node = self.nodes[org_id]
        while node.parent_id is not None and node.parent_id in self.nodes:
            node = self.nodes[node.parent_id]
        return node

    def _load_family(self, org_id: int) -> None:
        root = self._root(org_id)
        if root is None:
            return
        family = {row[0] for row in self._fetch(_FAMILY, {**self._params, "root": root})}
        nodes = _read_nodes(self._fetch, self._params, self.as_of, ids=sorted(family))
        roots = _link(nodes)
        _sum_subtrees(nodes, roots)
        assert isinstance(self.nodes, _Nodes)
        self.nodes.loaded.update(nodes)
        self._codes.update((node.code, org_id) for org_id, node in nodes.items())
        self.roots.extend(roots)

    def _root(self, org_id: int) -> int | None:
        """The top of the organization's tổ chức cơ sở đảng (the first with no parent existing on the date), or
        None when the organization itself does not exist on the date."""
        chain = self._fetch(_UP, {**self._params, "org": org_id})
        return chain[-1][0] if chain else None


def _pre_order(nodes: Mapping[int, OrgNode], tops: list[int]) -> list[int]:
    """The one walk of the tree: iterative (no recursion limit), children in their shown order."""
    order: list[int] = []
    stack = list(reversed(tops))
    while stack:
        current = stack.pop()
        order.append(current)
        stack.extend(reversed(nodes[current].children))
    return order


def _sum_subtrees(nodes: dict[int, OrgNode], roots: list[int]) -> None:
    order = [nodes[org_id] for org_id in _pre_order(nodes, roots)]
    for node in order:
        node.members, node.full_members = node.direct_members, node.direct_full
    for node in reversed(order):  # children before their parents: each adds its whole subtree to its parent
        if node.parent_id is not None:  # _link: a node's parent is among the nodes, or it is a root
            parent = nodes[node.parent_id]
            parent.members += node.members
            parent.full_members += node.full_members
