"""A private PostgreSQL cluster for the server benchmarks (scripts/pg-cluster.sh), and the demo office on it.

The cluster's folder is kept between runs (in the system's temporary folder, next to nothing of the user's):
moving the scale-20 demo office onto a server takes minutes, so each demo database (named by scale and
schema revision, like bench/.cache's files) is moved once, by `migrate-to-server` itself, and copied with
CREATE DATABASE … TEMPLATE for a benchmark that writes. The cluster is stopped when the run ends.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import ROOT, child_env, demo_database

FOLDER = Path(tempfile.gettempdir()) / "khoi-bench-pg"
SCRIPT = ROOT / "scripts" / "pg-cluster.sh"
ROLE_URL = "postgresql://khoi_app:khoi-test@127.0.0.1:{port}/khoi_test"
DEMO_PASSWORD = "khoi-demo"  # the demo office's administrator (core/demo.py, README)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _script(*args: str) -> str:
    return subprocess.run(["sh", str(SCRIPT), *args], check=True, capture_output=True, text=True,
                          timeout=300).stdout


@contextlib.contextmanager
def private_cluster() -> Iterator[str]:
    """The app role's URL on a private cluster, started for the run (made on first use) and stopped after."""
    port_file = FOLDER / "port"
    if (FOLDER / "data" / "PG_VERSION").exists() and port_file.exists():
        port = int(port_file.read_text())
        _script("stop", str(FOLDER))  # a run killed before its end left it running
        _script("resume", str(FOLDER))
    else:
        subprocess.run(["rm", "-rf", str(FOLDER)], check=True)
        port = _free_port()
        _script("start", str(FOLDER), str(port))
        port_file.write_text(str(port))
    try:
        yield ROLE_URL.format(port=port)
    finally:
        _script("stop", str(FOLDER))


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def admin(url: str, sql: str) -> list[tuple[object, ...]]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT",
                           poolclass=NullPool)
    try:
        with engine.connect() as connection:
            result = connection.execute(text(sql))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def password_file() -> Path:
    path = FOLDER.parent / f"khoi-bench-pw-{os.getpid()}"
    path.write_text(DEMO_PASSWORD + "\n", encoding="utf-8")
    return path


def demo_on_server(scale: int, url: str) -> str:
    """The demo office at this scale on the server (moved there once by `migrate-to-server`)."""
    from khoi_desktop.core.db import schema_head

    name = f"demo_s{scale}_{schema_head()}".lower()
    if not admin(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        source = demo_database(scale)
        partial = f"{name}_partial"
        admin(url, f"DROP DATABASE IF EXISTS {partial} WITH (FORCE)")
        admin(url, f"CREATE DATABASE {partial}")
        print(f"  chuyển dữ liệu mẫu quy mô {scale} lên máy chủ (một lần) …", file=sys.stderr, flush=True)
        secret = password_file()
        try:
            subprocess.run([sys.executable, "-m", "khoi_desktop", "--user", "admin", "--password-file", str(secret),
                            "migrate-to-server", str(source), with_database(url, partial)], check=True,
                           env=child_env(), cwd=ROOT, stdout=subprocess.DEVNULL)
        finally:
            secret.unlink()
        admin(url, f"ALTER DATABASE {partial} RENAME TO {name}")
    return with_database(url, name)


@contextlib.contextmanager
def server_copy(scale: int, url: str) -> Iterator[str]:
    """A private, writable copy of the demo office on the server (dropped afterwards).

    Copied file by file (STRATEGY FILE_COPY, checkpointed before and after), not through the WAL and the shared
    buffers (WAL_LOG, PostgreSQL 15's default): the office's 250 MB (scale 20) of WAL and dirty pages were left
    for the server to write out while the benchmark that follows was being timed."""
    template = urlsplit(demo_on_server(scale, url)).path.lstrip("/")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin(url, f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
    try:
        yield with_database(url, name)
    finally:
        admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
