"""The keys of the encrypted files this process has unlocked, by file. Every raw connection to a file
(core/engines/sqlite.connect_file) asks here, so the SQLAlchemy engine, the plain readers, the backup
snapshot and the copy made before a migration all pass the key without carrying it through every call."""

from __future__ import annotations

import os
import threading
from pathlib import Path

_KEYS: dict[str, bytes] = {}
_LOCK = threading.Lock()


def _name(path: str | Path) -> str:
    return os.path.normcase(str(Path(path).resolve()))


def remember_key(path: str | Path, key: bytes) -> None:
    with _LOCK:
        _KEYS[_name(path)] = key


def forget_key(path: str | Path) -> None:
    with _LOCK:
        _KEYS.pop(_name(path), None)


def key_for(path: str | Path) -> bytes | None:
    """The key of an unlocked encrypted file; None for a plain file (or one not unlocked yet)."""
    if not _KEYS:  # the common case of a plain file: no path resolution
        return None
    with _LOCK:
        return _KEYS.get(_name(path))
