"""A PostgreSQL server for the tests: fresh databases made from one migrated template.

The server is the one .ci/run starts (scripts/pg-cluster.sh) and names in KHOI_TEST_PG_URL; its role is the
app's kind of role (no superuser) with CREATEDB, so a test database costs one CREATE DATABASE … TEMPLATE.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

PG_URL_ENV = "KHOI_TEST_PG_URL"
SKIP_REASON = (f"{PG_URL_ENV} is not set: no PostgreSQL server for the tests (.ci/run starts one; locally: "
               "sh scripts/pg-cluster.sh start DIR PORT, then export the URL it prints)")

_template: str | None = None


def server_url() -> str | None:
    return os.environ.get(PG_URL_ENV) or None


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    from sqlalchemy import create_engine, text

    url = server_url()
    assert url is not None
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT",
                           poolclass=__import__("sqlalchemy.pool", fromlist=["NullPool"]).NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text(sql))
    finally:
        engine.dispose()


def empty_database() -> str:
    """The URL of a new empty database owned by the test role."""
    url = server_url()
    assert url is not None, SKIP_REASON
    name = f"khoi_t_{uuid.uuid4().hex[:12]}"
    _admin(f"CREATE DATABASE {name}")
    return with_database(url, name)


def migrated_database() -> str:
    """The URL of a new database at the app's schema head (a copy of the session's template)."""
    global _template
    url = server_url()
    assert url is not None, SKIP_REASON
    if _template is None:
        from khoi_desktop.core.db import open_database

        template_url = empty_database()
        open_database(template_url, create=True).close()
        _template = urlsplit(template_url).path.lstrip("/")
    name = f"khoi_t_{uuid.uuid4().hex[:12]}"
    _admin(f"CREATE DATABASE {name} TEMPLATE {_template}")
    return with_database(url, name)


def drop(url: str) -> None:
    """Remove a test database. An autovacuum worker (the server's own, a superuser) may still be in it, which
    the test role cannot end: wait for it a little; a database left behind is not the test's failure."""
    import time
    import warnings

    from sqlalchemy.exc import DBAPIError

    name = urlsplit(url).path.lstrip("/")
    for attempt in range(5):
        try:
            _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except DBAPIError as exc:
            if attempt == 4:
                warnings.warn(f"test database {name} left on the server: {exc.orig}", stacklevel=2)
            time.sleep(0.5)


def drop_template() -> None:
    global _template
    if _template is not None:
        _admin(f"DROP DATABASE IF EXISTS {_template} WITH (FORCE)")
        _template = None


def as_administrator(db_url: str, statement: str, params: dict | None = None) -> list:
    """Run `statement` on the database as the server's superuser (a technician's tool, outside the app):
    the way the audit trail can still be edited on a server, and must then be caught."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    parts = urlsplit(db_url)
    admin = os.environ.get("KHOI_TEST_PG_ADMIN_USER", "postgres")
    url = urlunsplit(parts._replace(netloc=f"{admin}@{parts.hostname}:{parts.port or 5432}",
                                    scheme="postgresql+psycopg"))
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement), params or {})
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


def url_of(db: object) -> str:
    """The full test URL (with the test password) of an open server office."""
    url = server_url()
    assert url is not None
    return with_database(url, db.server.database)  # type: ignore[attr-defined]
