"""Questions the program asks an operating-system user once per office file and remembers (the offer to
encrypt a plain file): kept in the data folder, readable before any file is opened."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "da-hoi.json"


def _store() -> Path:
    from khoi_desktop.core.paths import data_dir

    return data_dir() / FILE_NAME


def _load() -> dict[str, list[str]]:
    try:
        data = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): [str(p) for p in v] for k, v in data.items() if isinstance(v, list)} \
        if isinstance(data, dict) else {}


def _key(database: Path) -> str:
    return os.path.normcase(os.path.abspath(database))


def answered(question: str, database: Path) -> bool:
    return _key(database) in _load().get(question, [])


def remember_answered(question: str, database: Path) -> None:
    from khoi_desktop.core.keyslots.keyfile import write_atomically

    data = _load()
    files = data.setdefault(question, [])
    if _key(database) not in files:
        files.append(_key(database))
    try:
        _store().parent.mkdir(parents=True, exist_ok=True)
        write_atomically(_store(), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError as exc:
        log.warning("could not remember the answer to %s: %s", question, exc)
