"""Reading an open office's bytes keeps SQLite's locks (core/engines/held_files): on Linux closing any descriptor
of the file dropped them, and another program then deleted the -wal under the window's connections."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from khoi_desktop.core.backup.snapshot import image_of
from khoi_desktop.core.engines.sqlite import connect_file
from khoi_desktop.core.keyslots.opening import is_encrypted

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX record locks (Windows locks belong to a handle)")

ANOTHER_PROGRAM = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("INSERT INTO t VALUES (2)")
conn.commit()
conn.close()  # the last connection of the machine, as far as SQLite can tell, empties and deletes the -wal
"""


def _office(path: Path):  # type: ignore[no-untyped-def]
    conn = connect_file(path)
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)
    return conn


def _another_program_writes(path: Path) -> None:
    subprocess.run([sys.executable, "-c", ANOTHER_PROGRAM, str(path)], check=True, timeout=60)


def test_asking_whether_an_open_office_is_encrypted_keeps_its_locks(tmp_path: Path) -> None:
    path = tmp_path / "office.db"
    conn = _office(path)
    try:
        assert is_encrypted(path) is False
        _another_program_writes(path)
        assert path.with_name("office.db-wal").exists(), "the -wal was deleted under an open connection"
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (2,)
    finally:
        conn.close()
    assert is_encrypted(path) is False  # closed: read from the file's header again


def test_a_backup_snapshot_of_an_open_office_keeps_its_locks(tmp_path: Path) -> None:
    path = tmp_path / "office.db"
    conn = _office(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        reader = connect_file(path)
        reader.isolation_level = None
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM t").fetchone()
        assert image_of(reader, path).startswith(b"SQLite format 3\x00")
        reader.execute("COMMIT")
        _another_program_writes(path)
        assert path.with_name("office.db-wal").exists(), "the -wal was deleted under an open connection"
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (2,)
    finally:
        conn.close()


def test_a_file_no_connection_holds_is_read_and_let_go(tmp_path: Path) -> None:
    path = tmp_path / "office.db"
    _office(path).close()
    before = len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").is_dir() else None
    assert is_encrypted(path) is False
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before
