"""The four kinds of party organization (DOMAIN.md), apart from the ORM models: the tree snapshot and the
counts are plain data and load without SQLAlchemy (a read command's start-up)."""

from __future__ import annotations

import enum


class OrgKind(enum.StrEnum):
    DANG_BO_CO_SO = "dang_bo_co_so"
    CHI_BO_CO_SO = "chi_bo_co_so"
    DANG_BO_BO_PHAN = "dang_bo_bo_phan"
    CHI_BO_TRUC_THUOC = "chi_bo_truc_thuoc"

    @property
    def label(self) -> str:
        return ORG_KIND_LABELS[self]

    @property
    def is_tccsd(self) -> bool:
        return self in (OrgKind.DANG_BO_CO_SO, OrgKind.CHI_BO_CO_SO)

    @property
    def is_chi_bo(self) -> bool:
        """A chi bộ holds members directly; a đảng bộ holds them through its chi bộ."""
        return self in (OrgKind.CHI_BO_CO_SO, OrgKind.CHI_BO_TRUC_THUOC)


ORG_KIND_LABELS = {
    OrgKind.DANG_BO_CO_SO: "Đảng bộ cơ sở",
    OrgKind.CHI_BO_CO_SO: "Chi bộ cơ sở",
    OrgKind.DANG_BO_BO_PHAN: "Đảng bộ bộ phận",
    OrgKind.CHI_BO_TRUC_THUOC: "Chi bộ trực thuộc",
}
