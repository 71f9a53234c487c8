"""Accounts stored in the database (table `users`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from khoi_desktop.core.auth.current import Role
from khoi_desktop.core.models import Base, _enum


class User(Base):
    """A clerk's account: Argon2id password hash, role, lockout state after failed logins."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)  # stored folded to lower case
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # An encrypted file: digest of the key slot wrapped with the current password (keyslots/slots.slot_digest).
    key_slot: Mapped[str | None] = mapped_column(String(64))
