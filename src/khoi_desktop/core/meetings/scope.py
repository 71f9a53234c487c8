"""Which chi bộ a month concerns, and under which đảng bộ they sat then (history-correct, plain rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import OrgNotFound
from khoi_desktop.core.models import Organization, OrgKind, Placement
from khoi_desktop.core.plain_rows import plain_rows

CHI_BO_KINDS = (OrgKind.CHI_BO_CO_SO, OrgKind.CHI_BO_TRUC_THUOC)


def month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


class ChiBo(NamedTuple):  # a tuple, not a frozen dataclass: a province has 8.000 of them, made at each month status
    id: int
    code: str
    name: str
    founded_on: dt.date
    ended_on: dt.date | None
    group_id: int  # the TCCSĐ it belonged to (itself for a chi bộ cơ sở)

    def exists_throughout(self, first: dt.date, last: dt.date) -> bool:
        """Held to meet in a period: it existed from its first to its last day."""
        return self.founded_on <= first and (self.ended_on is None or self.ended_on > last)

    def exists_during(self, first: dt.date, last: dt.date) -> bool:
        return self.founded_on <= last and (self.ended_on is None or self.ended_on > first)


@dataclass(frozen=True)
class Group:
    id: int
    code: str
    name: str
    kind: OrgKind


@dataclass
class Scope:
    chi_bo: list[ChiBo]
    groups: dict[int, Group]  # the TCCSĐ the chi bộ belonged to
    org: Group | None  # the organization asked for (None = the whole office)


def load_scope(session: Session, first: dt.date, last: dt.date, org_code: str | None = None) -> Scope:
    """Chi bộ that existed at some time in [first, last], placed in the tree as on `last` (or on their end)."""
    # Plain tuples fetched at once (row by row cost twice as much), dates as ISO text (portable casts): at
    # provincial scale the ORM's per-row processing of 8.000 organizations and their placements was most of a
    # month's status (bench/meetings.py).
    orgs: dict[int, tuple[int, str, str, str, str, str | None]] = {row[0]: row for row in plain_rows(session,
        select(Organization.id, Organization.code, Organization.name, cast(Organization.kind, String),
               cast(Organization.founded_on, String), cast(Organization.ended_on, String))
        .where(Organization.founded_on <= last, or_(Organization.ended_on.is_(None), Organization.ended_on > first)))}
    latest: dict[int, tuple[str, int | None]] = {}
    for org_id, parent_id, valid_from in plain_rows(session,
            select(Placement.org_id, Placement.parent_id, cast(Placement.valid_from, String))
            .where(Placement.valid_from <= last, or_(Placement.valid_to.is_(None), Placement.valid_to > first))):
        org = orgs.get(org_id)
        if org is None:
            continue
        ended = org[5]
        current = latest.get(org_id)
        # The last placement begun before the organization ended (its place on `last`, or at its end).
        if current is None or (valid_from >= current[0] and (ended is None or valid_from < ended)):
            latest[org_id] = (valid_from, parent_id)
    parents = {org_id: parent for org_id, (_, parent) in latest.items()}
    scope_id = None
    target = None
    if org_code is not None:
        match = next((row for row in orgs.values() if row[1] == org_code), None)
        if match is None:
            raise OrgNotFound(org_code)
        scope_id = match[0]
        target = Group(match[0], match[1], match[2], OrgKind(match[3]))
    chi_bo: list[ChiBo] = []
    groups: dict[int, Group] = {}
    kinds = {kind.value for kind in CHI_BO_KINDS}
    tops: dict[int, tuple[int, bool]] = {}  # an organization's top and whether the scope is on its way

    def top_of(org_id: int, depth: int = 0) -> tuple[int, bool]:
        """Walked once for each đảng bộ above the chi bộ, not once for each chi bộ."""
        found = tops.get(org_id)
        if found is None:
            parent = parents.get(org_id)
            if parent is None or parent not in orgs or depth >= 10:
                found = (org_id, scope_id is None or scope_id == org_id)
            else:
                top, inside = top_of(parent, depth + 1)
                found = (top, inside or scope_id == org_id)
            tops[org_id] = found
        return found

    for org_id, code, name, kind, founded, ended in orgs.values():
        if kind not in kinds:
            continue
        parent = parents.get(org_id)
        if parent is None or parent not in orgs:
            top, inside = org_id, scope_id is None or scope_id == org_id
        else:
            top, inside = tops.get(parent) or top_of(parent, 1)
            inside = inside or scope_id == org_id
        if not inside:
            continue
        if top not in groups:
            row = orgs[top]
            groups[top] = Group(row[0], row[1], row[2], OrgKind(row[3]))
        chi_bo.append(ChiBo(org_id, code, name, dt.date.fromisoformat(founded),
                            dt.date.fromisoformat(ended) if ended else None, top))
    chi_bo.sort(key=lambda c: c.code)
    return Scope(chi_bo, groups, target)
