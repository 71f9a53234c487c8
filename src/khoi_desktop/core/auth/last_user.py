"""The user name last signed in on each office file, for this operating-system user: the sign-in dialog fills
it in and puts the cursor on the password. Never the password. Kept in the data folder (a small JSON file),
readable before an encrypted file is unlocked."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "dang-nhap-gan-nhat.json"
KEEP = 20  # offices remembered


def _store() -> Path:
    from khoi_desktop.core.paths import data_dir

    return data_dir() / FILE_NAME


def _key(database: Path | str) -> str:
    return os.path.normcase(os.path.abspath(database)) if isinstance(database, Path) else str(database)


def _load() -> dict[str, str]:
    try:
        data = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def last_user(database: Path | str) -> str:
    """The user name last signed in on `database` (a file or a server address), or ""."""
    return _load().get(_key(database), "")


def remember_user(database: Path | str, username: str) -> None:
    """Remember `username` for `database`; a data folder that cannot be written is only logged."""
    from khoi_desktop.core.keyslots.keyfile import write_atomically

    names = _load()
    names.pop(_key(database), None)
    names[_key(database)] = username
    kept = dict(list(names.items())[-KEEP:])
    try:
        _store().parent.mkdir(parents=True, exist_ok=True)
        write_atomically(_store(), json.dumps(kept, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError as exc:
        log.warning("could not remember the last user name: %s", exc)
