"""Counts the office reports, as of any date (DOMAIN.md §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from khoi_desktop.core.kinds import OrgKind
from khoi_desktop.core.text import thousands
from khoi_desktop.core.tree import _PROBATIONARY, _TOTALS, OrgSnapshot, _fetcher, load_snapshot

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Counts:
    as_of: dt.date
    tccsd: int
    dang_bo_co_so: int
    chi_bo_co_so: int
    dang_bo_bo_phan: int
    chi_bo_truc_thuoc: int
    members: int
    probationary: int

    def summary(self) -> str:
        """'73 TCCSĐ (42 đảng bộ cơ sở, 31 chi bộ cơ sở), 350 chi bộ trực thuộc, 5.356 đảng viên …'"""
        return (
            f"{self.tccsd} TCCSĐ ({self.dang_bo_co_so} đảng bộ cơ sở, {self.chi_bo_co_so} chi bộ cơ sở), "
            f"{self.dang_bo_bo_phan} đảng bộ bộ phận, {self.chi_bo_truc_thuoc} chi bộ trực thuộc, "
            f"{thousands(self.members)} đảng viên ({thousands(self.probationary)} dự bị)"
        )


def counts_from(snapshot: OrgSnapshot) -> Counts:
    active = snapshot.active_nodes()
    by_kind = {kind: sum(1 for n in active if n.kind is kind) for kind in OrgKind}
    roots = [snapshot.nodes[i] for i in snapshot.roots if snapshot.nodes[i].active]
    members = sum(n.members for n in roots)
    full = sum(n.full_members for n in roots)
    return Counts(
        as_of=snapshot.as_of,
        tccsd=by_kind[OrgKind.DANG_BO_CO_SO] + by_kind[OrgKind.CHI_BO_CO_SO],
        dang_bo_co_so=by_kind[OrgKind.DANG_BO_CO_SO],
        chi_bo_co_so=by_kind[OrgKind.CHI_BO_CO_SO],
        dang_bo_bo_phan=by_kind[OrgKind.DANG_BO_BO_PHAN],
        chi_bo_truc_thuoc=by_kind[OrgKind.CHI_BO_TRUC_THUOC],
        members=members,
        probationary=members - full,
    )


def counts_on(session: Session, as_of: dt.date) -> Counts:
    return counts_from(load_snapshot(session, as_of))


_EXISTING = "SELECT id, kind FROM organizations WHERE founded_on <= :day AND (ended_on IS NULL OR ended_on > :day)"
# The kind an organization had while placed where it is (a transfer across levels), as load_snapshot reads it.
_PLACED_KIND = ("SELECT org_id, kind FROM placements WHERE valid_from <= :day AND kind IS NOT NULL "
                "ORDER BY org_id, valid_from, id")


def count_office(source: Session | sqlite3.Connection, as_of: dt.date) -> Counts:
    """The counts of counts_from(load_snapshot(...)) without building the tree: every organization that
    exists on the date is under a root that exists, so the members are those of the existing organizations.
    For `stats`, where the 8.500 nodes of a province with their names were most of the command's time."""
    fetch = _fetcher(source)
    params = {"day": as_of.isoformat()}
    kinds = {org_id: kind for org_id, kind in fetch(_EXISTING, params)}
    for org_id, kind in fetch(_PLACED_KIND, params):
        if org_id in kinds:
            kinds[org_id] = kind
    by_kind = {kind: 0 for kind in OrgKind}
    for kind in kinds.values():
        by_kind[OrgKind(kind)] += 1
    members = sum(count for org_id, count in fetch(_TOTALS, params) if org_id in kinds)
    probationary = sum(count for org_id, count in fetch(_PROBATIONARY, params) if org_id in kinds)
    return Counts(
        as_of=as_of,
        tccsd=by_kind[OrgKind.DANG_BO_CO_SO] + by_kind[OrgKind.CHI_BO_CO_SO],
        dang_bo_co_so=by_kind[OrgKind.DANG_BO_CO_SO],
        chi_bo_co_so=by_kind[OrgKind.CHI_BO_CO_SO],
        dang_bo_bo_phan=by_kind[OrgKind.DANG_BO_BO_PHAN],
        chi_bo_truc_thuoc=by_kind[OrgKind.CHI_BO_TRUC_THUOC],
        members=members,
        probationary=probationary,
    )
