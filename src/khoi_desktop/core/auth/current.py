"""Roles and the user a session works for (no database access here: core.db imports this module)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Role(enum.StrEnum):
    QUAN_TRI = "quan_tri"
    CHUYEN_VIEN = "chuyen_vien"
    CHI_XEM = "chi_xem"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.QUAN_TRI: "Quản trị", Role.CHUYEN_VIEN: "Chuyên viên", Role.CHI_XEM: "Chỉ xem"}


@dataclass(frozen=True)
class CurrentUser:
    """Who is working: an account of the database (GUI) or the operating-system user (command line)."""

    username: str
    full_name: str
    role: Role

    @property
    def display(self) -> str:
        return f"{self.full_name} ({self.username}, {self.role.label})" if self.full_name else self.username


def current_user(session: Any) -> CurrentUser | None:
    """The user a session works for; None = the system (see the package's note)."""
    user = session.info.get("user")
    return user if isinstance(user, CurrentUser) else None
