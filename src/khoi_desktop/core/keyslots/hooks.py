"""Keeping the key file in step with the accounts: core/auth/accounts stages a password set (create, reset,
change) or an account gone (disabled), and the key file is rewritten once the transaction has committed —
never for a change that was rolled back. Nothing happens for a plain file (no key in the registry)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from khoi_desktop.core.keyslots import keyfile as keyfiles
from khoi_desktop.core.keyslots.registry import key_for

_PENDING = "keyslots_pending"


def _database_path(session: Any) -> Path | None:
    bind = session.get_bind()
    name = getattr(getattr(bind, "url", None), "database", None)
    return Path(name) if name and name != ":memory:" else None


def _stage(session: Any, change: tuple[str, str, Any]) -> None:
    path = _database_path(session)
    if path is None or key_for(path) is None:
        return
    pending = session.info.get(_PENDING)
    if pending is None:
        from sqlalchemy import event

        pending = session.info[_PENDING] = []

        def apply(committed: Any) -> None:
            changes = committed.info.pop(_PENDING, [])
            key = key_for(path)
            if changes and key is not None:
                apply_changes(path, key, changes)

        def drop(rolled_back: Any, _previous: Any) -> None:
            rolled_back.info.pop(_PENDING, None)

        event.listen(session, "after_commit", apply, once=True)
        event.listen(session, "after_soft_rollback", drop, once=True)
    pending.append(change)


def password_set(session: Any, username: str, password: str) -> str | None:
    """An account's password was set (created, reset by an administrator, changed by its owner): its new slot
    is made now and written once the transaction commits. Returns the slot's digest for the account row
    (None for a plain file)."""
    path = _database_path(session)
    key = key_for(path) if path is not None else None
    if key is None:
        return None
    from khoi_desktop.core.keyslots import slots  # cryptography loads only for an encrypted file

    slot = slots.password_slot(username, password, key)
    _stage(session, ("slot", username, slot))
    return slots.slot_digest(slot)


def account_removed(session: Any, username: str) -> None:
    """An account can no longer sign in (disabled): its slot goes, it can no longer open the file."""
    _stage(session, ("remove", username, None))


def apply_changes(path: Path, key: bytes, changes: list[tuple[str, str, Any]]) -> None:
    from khoi_desktop.core.keyslots import slots  # cryptography loads only for an encrypted file

    keyfile = keyfiles.load(path)
    for kind, username, value in changes:
        if kind == "slot" and value is not None:
            keyfile.slots[username] = value
            keyfile.failures.pop(username, None)
        elif kind == "set" and value is not None:
            keyfile.slots[username] = slots.password_slot(username, value, key)
            keyfile.failures.pop(username, None)
        else:
            keyfile.slots.pop(username, None)
    keyfiles.save(path, keyfile)
