"""Which chi bộ a month concerns, and under which đảng bộ they sat then (history-correct, plain rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import NotFoundError
from khoi_desktop.core.models import Organization, OrgKind, Placement

CHI_BO_KINDS = (OrgKind.CHI_BO_CO_SO, OrgKind.CHI_BO_TRUC_THUOC)


def month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class ChiBo:
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
    connection = session.connection()
    orgs = {row.id: row for row in connection.execute(
        select(Organization.id, Organization.code, Organization.name, Organization.kind, Organization.founded_on,
               Organization.ended_on)
        .where(Organization.founded_on <= last, or_(Organization.ended_on.is_(None), Organization.ended_on > first)))}
    parents: dict[int, int | None] = {}
    for org_id, parent_id, valid_from in connection.execute(
            select(Placement.org_id, Placement.parent_id, Placement.valid_from)
            .where(Placement.valid_from <= last, or_(Placement.valid_to.is_(None), Placement.valid_to > first))
            .order_by(Placement.org_id, Placement.valid_from, Placement.id)):
        if org_id in orgs:
            ended = orgs[org_id].ended_on
            if ended is None or valid_from < ended or org_id not in parents:
                parents[org_id] = parent_id
    scope_id = None
    target = None
    if org_code is not None:
        match = next((row for row in orgs.values() if row.code == org_code), None)
        if match is None:
            raise NotFoundError(f"Không có tổ chức đảng mã {org_code} trong thời gian này.", code="org_not_found")
        scope_id = match.id
        target = Group(match.id, match.code, match.name, match.kind)

    def chain(org_id: int) -> list[int]:
        ids = [org_id]
        while (parent := parents.get(ids[-1])) is not None and parent in orgs and len(ids) < 10:
            ids.append(parent)
        return ids

    chi_bo: list[ChiBo] = []
    groups: dict[int, Group] = {}
    for row in orgs.values():
        if row.kind not in CHI_BO_KINDS:
            continue
        ancestors = chain(row.id)
        if scope_id is not None and scope_id not in ancestors:
            continue
        top = orgs[ancestors[-1]]
        groups.setdefault(top.id, Group(top.id, top.code, top.name, top.kind))
        chi_bo.append(ChiBo(row.id, row.code, row.name, row.founded_on, row.ended_on, top.id))
    chi_bo.sort(key=lambda c: c.code)
    return Scope(chi_bo, groups, target)
