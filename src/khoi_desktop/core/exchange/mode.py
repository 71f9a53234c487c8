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


OFFICE_DECISION = "exchange.office_decision"  # session.info key


class recording_office_decision:  # noqa: N801  (a context manager, used like a function)
    """While a grassroots database takes in a decision of the office's Ban Thường vụ from a signed downward
    package (core/exchange/downward.py): it is recorded as the office signed it, number and scan, and changes
    the body's subtree the way it changed the office's. Nowhere else does a grassroots database record the
    office's decisions: a clerk there cannot type one in."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def __enter__(self) -> None:
        self.session.info[OFFICE_DECISION] = True

    def __exit__(self, *exc: object) -> None:
        self.session.info.pop(OFFICE_DECISION, None)


def office_decision_from_package(session: Any) -> bool:
    return bool(session.info.get(OFFICE_DECISION))
