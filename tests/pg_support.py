"""A PostgreSQL server for the tests: fresh databases made from one migrated template.

The server is the one .ci/run starts (scripts/pg-cluster.sh) and names in KHOI_TEST_PG_URL; its role is the
app's kind of role (no superuser) with CREATEDB, so a test database costs one CREATE DATABASE … TEMPLATE.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PG_URL_ENV = "KHOI_TEST_PG_URL"
SKIP_REASON = (f"{PG_URL_ENV} is not set: no PostgreSQL server for the tests (.ci/run starts one; locally: "
               "sh scripts/pg-cluster.sh start DIR PORT, then export the URL it prints)")

PG_DIR_ENV = "KHOI_TEST_PG_DIR"
CLUSTER_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pg-cluster.sh"

# The migrated template of each server this process uses ({server URL: database name}): the tests' shared
# server, and the private one of the tests that stop their server (own_cluster).
_templates: dict[str, str] = {}


def server_url() -> str | None:
    return os.environ.get(PG_URL_ENV) or None


def require_server() -> str:
    """The server's URL; without one the test is skipped (failed in CI, which must test the server)."""
    import pytest

    url = server_url()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    return url


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
    """The URL of a new database at the app's schema head (a copy of this process's template on that server).
    Names are random: the test processes of `pytest -n` share the server without colliding."""
    url = server_url()
    assert url is not None, SKIP_REASON
    if url not in _templates:
        from khoi_desktop.core.db import open_database

        template_url = empty_database()
        open_database(template_url, create=True).close()
        _templates[url] = urlsplit(template_url).path.lstrip("/")
    name = f"khoi_t_{uuid.uuid4().hex[:12]}"
    _admin(f"CREATE DATABASE {name} TEMPLATE {_templates[url]}")
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
    """Remove this process's template from the current server."""
    url = server_url()
    name = _templates.pop(url, None) if url is not None else None
    if name is not None:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def own_cluster() -> Iterator[tuple[str, str]]:
    """A private cluster for a test that stops and starts its server (scripts/pg-cluster.sh pause/resume):
    the shared server stays up for every other test, those of the other `pytest -n` process included.
    Yields (URL, folder); only where the tests' server is itself such a cluster (KHOI_TEST_PG_DIR: the
    server binaries are there). The folder is outside pytest's private temporary folder: as root, the
    cluster runs as the 'postgres' user, who must reach it."""
    import shutil
    import socket
    import subprocess
    import tempfile

    import pytest

    require_server()
    if os.environ.get(PG_DIR_ENV) is None:  # a server the tests did not start: no cluster of their own either
        pytest.skip(f"{PG_DIR_ENV} is not set: the server is not the tests' own (scripts/pg-cluster.sh)")
    folder = tempfile.mkdtemp(prefix="khoi-test-pg-")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = ""
    try:
        started = subprocess.run(["sh", str(CLUSTER_SCRIPT), "start", folder, str(port)], check=True,
                                 capture_output=True, text=True, timeout=180)
        url = dict(line.split("=", 1) for line in started.stdout.split() if "=" in line)[PG_URL_ENV]
        yield url, folder
    finally:
        _templates.pop(url, None)  # gone with the cluster
        subprocess.run(["sh", str(CLUSTER_SCRIPT), "stop", folder], capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


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


def with_administrator(url: str, folder: Path, username: str = "quan_tri") -> list[str]:
    """Give the office `url` (a migrated database, with no account) its first administrator: a server office
    without any account is refused (core.db.server_without_account). Returns the command line's sign-in
    options for that account (its password in a file in `folder`)."""
    from khoi_desktop.core.auth.accounts import create_first_admin
    from khoi_desktop.core.db import open_database

    password = "mat-khau-quan-tri-dai"
    db = open_database(url)
    try:
        with db.writing() as session:
            create_first_admin(session, username=username, full_name="Quản trị máy chủ", password=password)
    finally:
        db.close()
    secret = folder / f"{username}.txt"
    secret.write_text(password + "\n", encoding="utf-8")
    return ["--user", username, "--password-file", str(secret)]
