"""Reading a database file's bytes without dropping the locks SQLite holds on it in this process.

On Linux and macOS SQLite locks a file with POSIX record locks, which belong to the process and the file, not
to a descriptor: closing ANY descriptor of the file drops every lock the process's connections hold on it
(SQLite's "How To Corrupt An SQLite Database File", §2.2). A header read with `open()` … `close()` while the
window has the office open was enough: another program (the command line) then found itself alone, emptied
the -wal and deleted it under the window's connections, whose next reads failed as "disk image is malformed".
(Windows locks belong to a handle: there closing another handle is harmless, and a handle kept open would stop
the file from being replaced, so nothing is kept there.)

So every connection `connect_file` makes is counted here by file (device and inode), with one descriptor
opened beside it and kept until the last of those connections is gone; the app reads such a file's bytes
through that descriptor (`read_at`), never opening and closing another one, and knows whether the file is
encrypted from how its connections were made, without reading it at all.
"""

from __future__ import annotations

import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Re-entrant: a garbage collection inside a locked block may finalize a connection, whose release locks again.
_LOCK = threading.RLock()


@dataclass
class _Held:
    connections: int
    encrypted: bool
    descriptor: int


_HELD: dict[tuple[int, int], _Held] = {}


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _release(identity: tuple[int, int]) -> None:
    with _LOCK:
        held = _HELD.get(identity)
        if held is None:
            return
        held.connections -= 1
        if held.connections > 0:
            return
        del _HELD[identity]
    os.close(held.descriptor)


def connection_class(module: Any) -> type:
    """The driver's Connection class, counted here while it is open (a subclass per driver: sqlite3's own
    class takes no weak reference)."""
    cached = _CLASSES.get(module.Connection)
    if cached is not None:
        return cached

    class Counted(module.Connection):  # type: ignore[misc,name-defined]
        _release: Any = None

        def close(self) -> None:
            try:
                super().close()
            finally:
                if self._release is not None:
                    self._release()

    _CLASSES[module.Connection] = Counted
    return Counted


_CLASSES: dict[type, type] = {}


def hold(conn: Any, path: str | Path, *, encrypted: bool) -> None:
    """Count `conn` (made with `connection_class`) as open on the file `path` until it is closed or collected."""
    identity = None if os.name == "nt" else _identity(path)
    if identity is None:
        return
    with _LOCK:
        held = _HELD.get(identity)
        if held is None:
            try:
                descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            except OSError:
                return
            held = _HELD[identity] = _Held(0, encrypted, descriptor)
        held.connections += 1
    conn._release = weakref.finalize(conn, _release, identity)


def known_encryption(path: str | Path) -> bool | None:
    """Whether `path` is encrypted, as this process's open connections to it were made; None when it has none."""
    identity = _identity(path)
    with _LOCK:
        held = _HELD.get(identity) if identity else None
        return None if held is None else held.encrypted


def read_at(path: str | Path, size: int, offset: int = 0, into: memoryview | None = None) -> bytes | int:
    """`size` bytes of the file from `offset` (fewer at its end): through the descriptor kept beside this
    process's connections to it when it has any, else through one opened and closed here. With `into`, the
    bytes are read into that buffer and their count returned."""
    identity = _identity(path)
    with _LOCK:
        held = _HELD.get(identity) if identity else None
        descriptor = held.descriptor if held else None
    if descriptor is not None:
        return _read(descriptor, size, offset, into)
    with open(path, "rb") as handle:
        return _read(handle.fileno(), size, offset, into)


def _read(descriptor: int, size: int, offset: int, into: memoryview | None) -> bytes | int:
    if into is None:
        chunks, done = [], 0
        while done < size:
            chunk = _pread(descriptor, size - done, offset + done)
            if not chunk:
                break
            chunks.append(chunk)
            done += len(chunk)
        return b"".join(chunks)
    done = 0
    while done < size:
        got = _preadinto(descriptor, into[done:size], offset + done)
        if not got:
            break
        done += got
    return done


def _pread(descriptor: int, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(descriptor, min(size, 1 << 26), offset)
    os.lseek(descriptor, offset, os.SEEK_SET)  # Windows: no pread (this module's descriptors are its own)
    return os.read(descriptor, min(size, 1 << 26))


def _preadinto(descriptor: int, view: memoryview, offset: int) -> int:
    if hasattr(os, "preadv"):
        return os.preadv(descriptor, [view[:1 << 26]], offset)
    data = _pread(descriptor, len(view), offset)
    view[:len(data)] = data
    return len(data)

