"""SQLite, the single-workstation file: how a file is connected to, locked, copied and its revision read.

Every raw connection to a database file in the app is made by `connect_file`: the one place a file's key is
given to the SQLCipher driver. A file whose key this process holds (core/keyslots/registry: unlocked by a
sign-in) is opened with `sqlcipher3` and `PRAGMA key` (the raw 256-bit key, SQLCipher 4 settings); any other
file with Python's own sqlite3, as before. Errors of both drivers are caught through the tuples below.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlcipher3 import dbapi2 as sqlcipher

from khoi_desktop.core.errors import DatabaseError
from khoi_desktop.core.keyslots.registry import key_for

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.exc import DBAPIError

BUSY_TIMEOUT_MS = 10_000
# sqlcipher3's exception classes are its own: catch a driver's errors with these.
ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError, sqlcipher.OperationalError)
_SAME_KEY = object()


def _uri(path: Path, mode: str) -> str:
    # as_uri escapes '#', '%' and '?' (legal in folder names) so the URI names this very file.
    return f"{Path(path).resolve().as_uri()}?mode={mode}"


def connect_file(path: str | Path, *, read_only: bool = False, must_exist: bool = False,
                 timeout: float = 5.0, check_same_thread: bool = True, key: Any = _SAME_KEY) -> sqlite3.Connection:
    """A raw DB-API connection to the database file `path`.

    read_only: the file is opened for reading only (never created). must_exist: read-write, but a missing file
    is an error instead of a new empty database. timeout: seconds a statement waits for another writer
    (sqlite3's own default). key: the file's SQLCipher key; by default the one this process unlocked for
    `path` (none for a plain file).
    """
    mode = "ro" if read_only else "rw" if must_exist else "rwc"
    key = key_for(path) if key is _SAME_KEY else key
    if key is None:
        return sqlite3.connect(_uri(Path(path), mode), timeout=timeout, check_same_thread=check_same_thread,
                               uri=True)
    conn = sqlcipher.connect(_uri(Path(path), mode), timeout=timeout, check_same_thread=check_same_thread, uri=True)
    apply_key(conn, key)
    return conn  # type: ignore[no-any-return]


def apply_key(conn: Any, key: bytes) -> None:
    """The first statement on a SQLCipher connection: the raw key (no passphrase derivation: the key is already
    256 random bits) and SQLCipher 4's settings, whatever a later SQLCipher's defaults become."""
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_compatibility = 4")


def is_cipher_connection(conn: object) -> bool:
    return isinstance(conn, sqlcipher.Connection)


def connect_memory(*, check_same_thread: bool = True) -> sqlite3.Connection:
    """A private in-memory database (a snapshot being checked or written into a backup)."""
    return sqlite3.connect(":memory:", check_same_thread=check_same_thread)


def read_only_connection(path: str | Path) -> sqlite3.Connection:
    """A connection that only reads (query_only), waiting for a writer like the app's own connections."""
    conn = connect_file(path)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA query_only = ON")
    return conn


def file_revision(path: Path) -> str | None:
    """The schema revision stored in a file; None for an empty new file."""
    conn = connect_file(path, read_only=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise DatabaseError(f"Tệp {path.name} không phải cơ sở dữ liệu của phần mềm này.")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None and tables - {"alembic_version"}:  # tables, but no record of their schema
            raise DatabaseError(f"Tệp {path.name} có dữ liệu nhưng không rõ phiên bản lược đồ: không mở được.")
        return row[0] if row else None
    except DATABASE_ERRORS as exc:
        from khoi_desktop.core.faults import known_fault

        fault = known_fault(exc, path.name)  # a full disk or a damaged page is not "not SQLite"
        if fault is not None and fault.code != "database_damaged":
            raise fault from exc
        raise DatabaseError(f"Tệp {path.name} không đọc được như một cơ sở dữ liệu SQLite ({exc}).") from exc
    finally:
        conn.close()


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's own BEGIN frame every transaction (pysqlite's implicit one skips DDL).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = FULL")  # a committed change survives a power cut
    cursor.close()


def _begin(conn: object) -> None:
    # Writers take the lock up front, so two processes queue instead of failing mid-way.
    immediate = conn.get_execution_options().get("sqlite_immediate", False)  # type: ignore[attr-defined]
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")  # type: ignore[attr-defined]


def make_engine(path: Path) -> Engine:
    from sqlalchemy import URL, create_engine, event

    # The URL names the file (SQLAlchemy pools a file's connections, not a memory database's); the
    # connections themselves come from connect_file.
    url = URL.create("sqlite", database=str(path))
    # hide_parameters: a fault's log line must not carry the names and birth dates it was writing.
    # An encrypted file's engine speaks sqlcipher3 (module=): SQLAlchemy wraps that driver's errors, not
    # sqlite3's. Its key is the one unlocked when the engine is made.
    key = key_for(path)
    module = {"module": sqlcipher} if key is not None else {}
    engine = create_engine(url, creator=lambda: connect_file(path, check_same_thread=False, key=key),
                           hide_parameters=True, **module)
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def writer_options() -> dict[str, object]:
    """Execution options of a writing transaction: take the write lock at BEGIN."""
    return {"sqlite_immediate": True}


def is_busy(exc: DBAPIError) -> bool:
    """SQLite's 'database is locked' / 'busy': another connection holds the write lock."""
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


def backup_copy(source: Path, target: Path) -> None:
    """Consistent copy with SQLite's online backup, from a dedicated connection."""
    src = connect_file(source, must_exist=True)
    dst = connect_file(target, key=key_for(source))  # an encrypted file's copy aside is encrypted the same
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def copy_rows(src: Any, dst: Any) -> None:
    """Copy a whole database from one connection to another of the other driver (an encrypted file into a plain
    in-memory database for a backup, a backup's image into an encrypted file): SQLite's online backup only
    copies pages between databases of the same encryption. `src` is read in one transaction (a consistent
    state); `dst` must be empty. Tables first, their rows, then indexes, triggers and views (no trigger fires)."""
    src.isolation_level = None
    dst.isolation_level = None
    src.execute("BEGIN")
    try:
        for pragma in ("page_size", "auto_vacuum"):
            dst.execute(f"PRAGMA {pragma} = {int(src.execute(f'PRAGMA {pragma}').fetchone()[0])}")
        objects = src.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                              "ORDER BY rowid").fetchall()
        dst.execute("BEGIN")
        for kind, name, sql in objects:
            if kind != "table" or name.startswith("sqlite_"):
                continue
            dst.execute(sql)
            quoted = '"' + name.replace('"', '""') + '"'
            rows = src.execute(f"SELECT * FROM {quoted}")
            marks = ", ".join("?" * len(rows.description))
            dst.executemany(f"INSERT INTO {quoted} VALUES ({marks})", rows)
        if any(name == "sqlite_sequence" for _kind, name, _sql in objects):
            dst.execute("DELETE FROM sqlite_sequence")
            dst.executemany("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
                            src.execute("SELECT name, seq FROM sqlite_sequence"))
        for kind, name, sql in objects:
            if kind != "table" and not name.startswith("sqlite_"):
                dst.execute(sql)
        for pragma in ("user_version", "application_id"):
            dst.execute(f"PRAGMA {pragma} = {int(src.execute(f'PRAGMA {pragma}').fetchone()[0])}")
        dst.execute("COMMIT")
    except BaseException:
        if dst.in_transaction:
            dst.execute("ROLLBACK")
        raise
    finally:
        src.execute("ROLLBACK")
