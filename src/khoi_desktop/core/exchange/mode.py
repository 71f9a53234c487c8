"""Whether a database is a grassroots organization's (grassroots mode). Light on purpose: decisions, codes and
the issuer check ask it on every request, so it loads neither cryptography nor the package format. The window
asks in plain SQL after every overview (grassroots_body), without the ORM."""

from __future__ import annotations

import sqlite3
from typing import Any

_QUERY = "SELECT code, name FROM exchange_peers WHERE is_self AND role = 'body' AND revoked_at IS NULL"


def grassroots_body(source: Any) -> tuple[str, str] | None:
    """(code, name) of the body; None at the office or in a database that never exchanged."""
    if isinstance(source, sqlite3.Connection):
        row = source.execute(_QUERY).fetchone()
    else:  # a session
        from sqlalchemy import text

        row = source.execute(text(_QUERY)).first()
    return (row[0], row[1]) if row else None


def grassroots_code(session: Any) -> str | None:
    """The body's code when this database is a grassroots organization's (grassroots mode); None: the office."""
    from sqlalchemy import select

    from khoi_desktop.core.exchange.models import BODY, ExchangePeer

    return session.scalar(select(ExchangePeer.code).where(  # type: ignore[no-any-return]
        ExchangePeer.is_self.is_(True), ExchangePeer.role == BODY, ExchangePeer.revoked_at.is_(None)))


def grassroots_org_id(session: Any) -> int | None:
    from sqlalchemy import select

    from khoi_desktop.core.models import Organization

    code = grassroots_code(session)
    if code is None:
        return None
    return session.scalar(select(Organization.id).where(Organization.code == code))  # type: ignore[no-any-return]
