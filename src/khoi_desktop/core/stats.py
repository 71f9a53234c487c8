"""Counts the office reports, as of any date (DOMAIN.md §6)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from khoi_desktop.core.kinds import OrgKind
from khoi_desktop.core.text import thousands
from khoi_desktop.core.tree import _VALID, OrgSnapshot, Source, _fetcher, load_snapshot

_KIND_VALUES = tuple(kind.value for kind in OrgKind)

if TYPE_CHECKING:
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
    tally = Counter(n.kind for n in active)  # one pass over the 8.500 organizations, not one per kind
    by_kind = {kind: tally[kind] for kind in OrgKind}
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


_EXISTS = "founded_on <= :day AND (ended_on IS NULL OR ended_on > :day)"
_KIND_COUNTS = f"SELECT kind, count(*) FROM organizations WHERE {_EXISTS} GROUP BY kind"
# The kind an organization had while placed where it is (a transfer across levels), as load_snapshot reads it
# (the later rows win), beside its own kind, for the organizations existing on the date.
_PLACED_KIND = ("SELECT p.org_id, p.kind, o.kind FROM placements p JOIN organizations o ON o.id = p.org_id "
                "WHERE p.valid_from <= :day AND p.kind IS NOT NULL AND o.founded_on <= :day "
                "AND (o.ended_on IS NULL OR o.ended_on > :day) ORDER BY p.org_id, p.valid_from, p.id")
_IN_EXISTING = f"org_id IN (SELECT id FROM organizations WHERE {_EXISTS})"
_MEMBERS = f"SELECT count(*) FROM memberships WHERE {_VALID} AND {_IN_EXISTING}"
# Driven by the few members not yet full (their index), not by the organizations (`+`: not org_id's index).
_NOT_FULL = f"""
SELECT count(*) FROM memberships
WHERE {_VALID} AND +{_IN_EXISTING}
AND member_id IN (SELECT id FROM members WHERE full_member_on IS NULL OR full_member_on > :day)"""


def count_office(source: Source, as_of: dt.date) -> Counts:
    """The counts of counts_from(load_snapshot(...)) without building the tree: every organization that
    exists on the date is under a root that exists, so the members are those of the existing organizations.
    For `stats`, where the 8.500 nodes of a province with their names were most of the command's time; the
    database counts (four aggregates, no row per organization or per chi bộ to Python)."""
    fetch = _fetcher(source)
    params = {"day": as_of.isoformat()}
    counted = dict.fromkeys(_KIND_VALUES, 0)
    for kind, count in fetch(_KIND_COUNTS, params):
        counted[kind] += count
    placed: dict[int, tuple[str, str]] = {}
    for org_id, kind, own in fetch(_PLACED_KIND, params):
        placed[org_id] = (kind, own)
    for kind, own in placed.values():
        counted[own] -= 1
        counted[kind] += 1
    by_kind = {kind: counted[kind.value] for kind in OrgKind}
    members = int(fetch(_MEMBERS, params)[0][0])
    probationary = int(fetch(_NOT_FULL, params)[0][0])
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
