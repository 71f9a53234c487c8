"""Several reads in one round trip to a server: psycopg's pipeline mode, inside the session's transaction.

A split on a server office is some 60 small statements, each a round trip where SQLite answers in-process
(docs/benchmarks.md, "On a server office"); reads that do not depend on each other's answers (an organization
family's four counts, the digests of the rows a decision wrote) are sent together and answered together.
On SQLite, or for one statement, they run one after another as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

Statement = tuple[str, Mapping[str, Any]]  # SQL with :name parameters, the parameters


def read_together(connection: Connection, statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    """The rows of each statement (plain tuples, as the driver returns them), in the statements' order."""
    from sqlalchemy import text

    if connection.dialect.name != "postgresql" or len(statements) < 2:
        return [[tuple(row) for row in connection.execute(text(sql), dict(params))] for sql, params in statements]
    from khoi_desktop.core.engines.postgres import plans_at_default

    compiled = [(str(text(sql).compile(dialect=connection.dialect)), dict(params)) for sql, params in statements]
    plans_at_default(connection)
    raw = connection.connection.driver_connection
    assert raw is not None
    cursors: list[Any] = []
    try:
        with raw.pipeline():  # one Sync for them all; the session's transaction stays open (not autocommit)
            for sql, params in compiled:
                cursor = raw.cursor()
                cursors.append(cursor)
                cursor.execute(sql, params)
        return [list(cursor.fetchall()) for cursor in cursors]
    except connection.dialect.loaded_dbapi.Error as exc:
        # As SQLAlchemy's own execute reports it (a lost server: the connection invalidated, core/db.py's
        # message), not the driver's bare error.
        from sqlalchemy.exc import DBAPIError

        lost = connection.dialect.is_disconnect(exc, raw, None)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance(compiled[0][0], compiled[0][1], exc, connection.dialect.loaded_dbapi.Error,
                                  connection_invalidated=lost, dialect=connection.dialect) from exc
    finally:
        for cursor in cursors:
            cursor.close()
