"""Has another program written to the database? The window refreshes when the command line (or another
workstation) issued a decision, instead of showing stale data until F5.

Watched through the file itself: every commit in WAL mode writes the -wal file, a checkpoint the main file,
so their size and modification time change. No connection is held: a restore must find the file closed
(it proves nobody else uses it by leaving WAL mode), and Windows cannot replace a file held open.
PRAGMA data_version would need exactly such a connection.

A server office is watched by core/engines/postgres.py ChangeListener (LISTEN/NOTIFY, polling as fallback):
`watcher_for` picks the one for what the window opened.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

Stamp = tuple[tuple[int, int] | None, ...]


class ChangeWatcher:
    """`changed()` is a few stat calls: poll it from a timer."""

    def __init__(self, path: Path) -> None:
        self._files = [Path(path), Path(f"{path}-wal")]
        self._seen = self._stamp()

    def _stamp(self) -> Stamp:
        stamps: list[tuple[int, int] | None] = []
        for file in self._files:
            try:
                info = os.stat(file)
                stamps.append((info.st_mtime_ns, info.st_size))
            except OSError:
                stamps.append(None)
        return tuple(stamps)

    def changed(self) -> bool:
        stamp = self._stamp()
        if stamp == self._seen:
            return False
        self._seen = stamp
        return True

    def forget(self) -> None:
        """After our own write: the change is already shown."""
        self._seen = self._stamp()

    def close(self) -> None:
        pass


def watcher_for(location: Any) -> ChangeWatcher | Any:
    """The watcher of a file, or of a server office (its postgresql:// address or its ServerAddress)."""
    from khoi_desktop.core.engines import is_server_url

    if is_server_url(location) or hasattr(location, "connect_args"):
        from khoi_desktop.core.engines.postgres import ChangeListener, ServerAddress

        address = location if hasattr(location, "connect_args") else ServerAddress.parse(str(location))
        return ChangeListener(address)
    return ChangeWatcher(Path(location))
