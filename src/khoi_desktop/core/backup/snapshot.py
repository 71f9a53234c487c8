"""Consistent snapshots with SQLite's online backup API, and health checks of a database file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from khoi_desktop.core.engines import held_files
from khoi_desktop.core.engines.sqlite import (
    DATABASE_ERRORS,
    ERRORS,
    connect_file,
    connect_memory,
    decrypted_image,
)
from khoi_desktop.core.errors import DatabaseMissing
from khoi_desktop.core.keyslots.registry import key_for

PAGES_PER_STEP = 1024
BUSY_TIMEOUT_S = 10.0

Progress = Callable[[float], None]


def _connect_existing(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise DatabaseMissing(path)
    # mode=rw: never create an empty file by mistake.
    return connect_file(path, must_exist=True, timeout=BUSY_TIMEOUT_S)


def take_snapshot(source: Path, target: Path, progress: Progress | None = None) -> None:
    """Copy `source` into the new file `target`, consistent as of one committed state.

    From a dedicated connection: the backup API hangs while its source connection has an open
    transaction, and in WAL mode another connection's open write transaction does not block it.
    """
    src = _connect_existing(source)
    dst = connect_file(target, key=key_for(source))  # an encrypted file's snapshot is encrypted the same
    try:
        def report(_status: int, remaining: int, total: int) -> None:
            if progress is not None and total:
                progress((total - remaining) / total)

        src.backup(dst, pages=PAGES_PER_STEP, progress=report)
        # A self-contained single file: no -wal needed to read the snapshot.
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()


def snapshot_in_memory(source: Path, progress: Progress | None = None) -> sqlite3.Connection:
    """A consistent copy of `source` in an in-memory database: the plaintext never touches a disk (a
    temporary file would outlive a kill or a power cut, with every name and birth date in it)."""
    if key_for(source) is not None:  # an encrypted file: its pages are decrypted in memory (engines/sqlite)
        return decrypted_snapshot(source, progress)[0]
    src = _connect_existing(source)
    dst = connect_memory(check_same_thread=False)  # checked on a worker thread
    try:
        def report(_status: int, remaining: int, total: int) -> None:
            if progress is not None and total:
                progress((total - remaining) / total)

        src.backup(dst, pages=PAGES_PER_STEP, progress=report)
    except BaseException:
        dst.close()
        raise
    finally:
        src.close()
    return dst


def decrypted_content(source: Path, progress: Progress | None = None) -> bytearray:
    """An encrypted file's consistent plain image, decrypted in memory (engines/sqlite.decrypted_image)."""
    key = key_for(source)
    if key is None:
        raise ValueError(f"{source} is not an unlocked encrypted file")
    if not source.exists():
        raise DatabaseMissing(source)
    image = decrypted_image(source, key)
    if progress is not None:
        progress(1.0)
    return image


def decrypted_snapshot(source: Path, progress: Progress | None = None) -> tuple[sqlite3.Connection, bytearray]:
    """An encrypted file's consistent plain copy in an in-memory database, and its image (the bytes the
    database was loaded from: what a backup holds, with no second copy taken back out of SQLite)."""
    image = decrypted_content(source, progress)
    return open_in_memory(image, check_same_thread=False), image  # checked on a worker thread


def open_in_memory(content: bytes | bytearray, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """An in-memory database holding `content` (a SQLite file image). A copy of a WAL file says so in its
    header (bytes 18-19), and SQLite will not read such an image from memory: it is read as a rollback one."""
    conn = connect_memory(check_same_thread=check_same_thread)
    if content[18:20] == b"\x02\x02":
        image = bytearray(content)
        image[18:20] = b"\x01\x01"
        conn.deserialize(image)
    else:
        conn.deserialize(content)
    return conn


def page_problems(conn: sqlite3.Connection, *, full: bool = True) -> list[str]:
    """Problems found by integrity_check (or the faster quick_check): pages, records, NOT NULL."""
    try:
        rows = conn.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}").fetchall()
    except DATABASE_ERRORS as exc:
        return [str(exc)]
    return [] if [row[0] for row in rows] == ["ok"] else [str(row[0]) for row in rows]


def key_problems(conn: sqlite3.Connection) -> list[str]:
    """Rows pointing at rows that do not exist (foreign_key_check)."""
    try:
        return [f"bảng {table} dòng {rowid} trỏ tới dòng không có trong bảng {parent}"
                for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall()]
    except DATABASE_ERRORS as exc:
        return [str(exc)]


def connection_problems(conn: sqlite3.Connection, *, full: bool = True) -> list[str]:
    """Problems found by integrity_check (or the faster quick_check) and foreign_key_check."""
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        problems = [] if [row[0] for row in rows] == ["ok"] else [str(row[0]) for row in rows]
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"bảng {table} dòng {rowid} trỏ tới dòng không có trong bảng {parent}")
    except DATABASE_ERRORS as exc:
        return [str(exc)]
    return problems


def same_snapshot(source: Path, count: int) -> list[sqlite3.Connection] | None:
    """`count` connections to the database file `source`, each in a read transaction of the same committed
    state, for checks that run side by side (each connection reads on its own thread); None when writers
    kept committing in between (the caller then works from one snapshot).

    A WAL reader sees the state of its first read. A fourth connection's `data_version` read before the first
    and after the last reader began tells whether anything was committed in between: if not, they all see
    the same state. Nothing is written and no lock is taken: a writer holding its transaction open is not
    waited for."""
    watcher = _connect_existing(source)
    try:
        for _attempt in range(3):
            before = watcher.execute("PRAGMA data_version").fetchone()[0]
            conns: list[sqlite3.Connection] = []
            try:
                for _ in range(count):
                    conn = connect_file(source, must_exist=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
                    conns.append(conn)
                    conn.isolation_level = None
                    conn.execute("BEGIN")
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read that fixes its state
                after = watcher.execute("PRAGMA data_version").fetchone()[0]
            except BaseException:
                for conn in conns:
                    conn.close()
                raise
            if before == after:
                return conns
            for conn in conns:
                conn.close()
        return None
    finally:
        watcher.close()


def fold_wal(source: Path) -> None:
    """Fold the -wal into the file and empty it (TRUNCATE checkpoint), when nothing stands in the way: a
    connection that cannot get its locks at once gives up (no waiting on another writer or reader)."""
    try:
        conn = connect_file(source, must_exist=True, timeout=0)
    except ERRORS:
        return
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except ERRORS:
        pass
    finally:
        conn.close()


def image_of(reader: sqlite3.Connection, source: Path) -> bytes:
    """The file image of the state `reader` holds in its read transaction.

    When the -wal is empty while the transaction is open, that state is the file itself, and stays so until
    the transaction ends: a reader that began on a fully checkpointed -wal reads the file alone (its read
    lock 0), and no checkpoint copies a page into the file while such a reader holds it (SQLite's wal.c). The
    file is then read as it is, a third of the cost of copying it page by page through the pager
    (`serialize`), which stays the way in every other case."""
    wal = source.with_name(source.name + "-wal")
    try:
        empty = not wal.exists() or wal.stat().st_size == 0
    except OSError:
        empty = False
    if empty:
        size = reader.execute("PRAGMA page_count").fetchone()[0] * reader.execute("PRAGMA page_size").fetchone()[0]
        try:
            # Through the descriptor kept beside the reader's connection: closing one of our own would drop the
            # read lock the reader holds (core/engines/held_files).
            content = held_files.read_at(source, size + 1)
        except OSError:
            content = b""
        assert isinstance(content, bytes)
        if len(content) == size and size:
            return content
    return reader.serialize()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = _connect_existing(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def quick_check(path: Path) -> list[str]:
    """Problems found by PRAGMA quick_check; empty when the file is sound."""
    try:
        rows = _rows(path, "PRAGMA quick_check")
    except DATABASE_ERRORS as exc:
        return [str(exc)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def health_problems(path: Path) -> list[str]:
    """What a backup would refuse: quick_check and foreign_key_check of the live file; empty when sound."""
    try:
        conn = _connect_existing(path)
    except ERRORS + (DatabaseMissing,) as exc:
        return [str(exc)]
    try:
        return connection_problems(conn, full=False)
    finally:
        conn.close()


def integrity_problems(path: Path) -> list[str]:
    """Problems found by PRAGMA integrity_check and foreign_key_check; empty when sound."""
    try:
        rows = _rows(path, "PRAGMA integrity_check")
        problems = [] if [row[0] for row in rows] == ["ok"] else [str(row[0]) for row in rows]
        for table, rowid, parent, _fk in _rows(path, "PRAGMA foreign_key_check"):
            problems.append(f"bảng {table} dòng {rowid} trỏ tới dòng không có trong bảng {parent}")
    except DATABASE_ERRORS as exc:
        return [str(exc)]
    return problems


def schema_revision(conn: sqlite3.Connection) -> str | None:
    """The Alembic revision stored in a database; None when it has no such table (a foreign file)."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None
