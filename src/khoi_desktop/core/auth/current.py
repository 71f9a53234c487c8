"""Roles and the user a session works for (no database access here: core.db imports this module)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Role(enum.StrEnum):
    QUAN_TRI = "quan_tri"
    CHUYEN_VIEN = "chuyen_vien"
    CHI_XEM = "chi_xem"
    SAO_LUU = "sao_luu"  # the scheduled backup's account: makes backups, sees nothing

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.QUAN_TRI: "Quản trị", Role.CHUYEN_VIEN: "Chuyên viên", Role.CHI_XEM: "Chỉ xem",
               Role.SAO_LUU: "Chỉ sao lưu"}


@dataclass(frozen=True)
class CurrentUser:
    """Who is working: an account of the database, signed in (GUI or command line), or the operating-system
    user on a file that has no account yet. `os_user` is who is logged in to the operating system behind the
    account (an extra field of its audit entries)."""

    username: str
    full_name: str
    role: Role
    os_user: str = field(default="", compare=False)

    @property
    def display(self) -> str:
        return f"{self.full_name} ({self.username}, {self.role.label})" if self.full_name else self.username


def current_user(session: Any) -> CurrentUser | None:
    """The user a session works for; None = the system (see the package's note)."""
    user = session.info.get("user")
    return user if isinstance(user, CurrentUser) else None
