"""What differs between the database engines the app runs on: one module per engine.

`sqlite` (a local file, the default) and `postgres` (an office's server). Everything else in `core` speaks
SQLAlchemy (or the plain connections these modules hand out) and asks only the questions below.
This package imports nothing heavy at load time: `stats` on a file starts without SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
# An execution option for a read repeated often with new values (`select(...).execution_options(**GENERIC_PLAN)`):
# on a server it runs as a prepared statement with a generic plan, planned once a connection and transaction
# (postgres._generic_plan); SQLite ignores it (it plans in microseconds). Given by `planned_once` from a read's
# second run in a session on.
GENERIC_PLAN = {"khoi_generic_plan": True}


def is_server_url(target: object) -> bool:
    """True for a PostgreSQL URL (postgresql://user@host:port/dbname), False for a file path."""
    return isinstance(target, str) and target.strip().lower().startswith(SERVER_SCHEMES)


def planned_once(session: Session, read: str) -> dict[str, bool]:
    """The execution options for a run of `read` (a name) in this session: GENERIC_PLAN from its second run on,
    none at its first. A read run once a session (a window's one view) is planned as any statement, without
    the prepared statement's costs (psycopg's DEALLOCATE ALL after the session's ROLLBACK: one more round
    trip); a read repeated in a session (a report over many chi bộ, the bench) is planned once."""
    seen: set[str] = session.info.setdefault("khoi_reads_seen", set())
    if read in seen:
        return GENERIC_PLAN
    seen.add(read)
    return {}


def dialect_of(session: Session) -> str:
    bind = session.get_bind()
    return bind.dialect.name


def lock_audit_chain(session: Session) -> None:
    """Hold the audit chain's tail until the transaction ends, so two writers never both extend the same last
    entry. SQLite's writers already hold the whole file (BEGIN IMMEDIATE)."""
    if dialect_of(session) == "postgresql":
        from khoi_desktop.core.engines.postgres import AUDIT_LOCK, advisory_lock

        # Taken once a transaction (an issue records two entries): the lock is held to its end anyway. Taken
        # inside a savepoint, it counts for that savepoint only (rolled back to, the lock goes with it); taken by
        # the transaction itself (postgres.begin_writing), it holds inside every savepoint.
        held = session.info.get(_AUDIT_LOCKED)
        if held is not None and held in (session.get_nested_transaction(), session.get_transaction()):
            return
        advisory_lock(session, AUDIT_LOCK)
        audit_chain_locked(session)


def audit_chain_locked(session: Session) -> None:
    """Note that the session's current transaction (or savepoint) has just taken the audit chain's lock."""
    session.info[_AUDIT_LOCKED] = session.get_nested_transaction() or session.get_transaction()


_AUDIT_LOCKED = "khoi_desktop.engines.audit_locked"  # session.info: the transaction holding the audit lock
