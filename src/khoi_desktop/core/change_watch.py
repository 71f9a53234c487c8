"""Has another process written to the database? SQLite's `PRAGMA data_version` on a connection of our own
changes whenever any other connection commits: the window refreshes when the command line (or another
workstation's program) issued a decision, instead of showing stale data until F5."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class ChangeWatcher:
    """`changed()` is cheap (no page is read): poll it from a timer."""

    def __init__(self, path: Path) -> None:
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False, timeout=0)
        self._seen = self._version()

    def _version(self) -> int | None:
        if self._conn is None:
            return None
        try:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:  # locked for a moment, or the file went away: ask again next time
            return None

    def changed(self) -> bool:
        version = self._version()
        if version is None or version == self._seen:
            return False
        self._seen = version
        return True

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
