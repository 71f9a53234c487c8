"""Counts the office reports, as of any date (DOMAIN.md §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from khoi_desktop.core.kinds import OrgKind
from khoi_desktop.core.tree import OrgSnapshot, load_snapshot

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


def thousands(value: int) -> str:
    """5356 -> '5.356', the Vietnamese grouping used in documents and reports."""
    return f"{value:,}".replace(",", ".")


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
