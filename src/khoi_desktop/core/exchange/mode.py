"""Whether a database is a grassroots organization's (grassroots mode), read in plain SQL: the window asks
after every overview, from a bare sqlite3 connection or a server's read-only session, without the ORM."""

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
