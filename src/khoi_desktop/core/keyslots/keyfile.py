"""The key file beside an encrypted database (`office.db` → `office.db.keys`): the database key wrapped once
per account and once for the recovery key, and the count of wrong passwords. JSON, readable before the
database is decrypted; written atomically (a temporary file, fsync, rename), so a power cut leaves either the
old or the new file.

Nothing in it is secret on its own: each slot needs its account's password (Argon2id) or the recovery key.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from khoi_desktop.core.errors import DatabaseError

SUFFIX = ".keys"
FORMAT = "khoi-desktop-keyslots"
VERSION = 1


def keyfile_path(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


@dataclass
class Slot:
    """One wrapped copy of the database key. kdf: "argon2id" (a password, its own salt), "argon2id-hash" (a
    converted file: the account's stored password hash is the key-encryption key, until its first sign-in
    rewraps it with a fresh salt) or "hkdf-sha256" (the recovery key)."""

    kdf: str
    salt: str
    nonce: str
    wrapped: str
    time_cost: int = 0
    memory_cost: int = 0
    parallelism: int = 0
    hash_len: int = 32


@dataclass
class Failures:
    """Wrong passwords in a row for one account name, and until when it is locked (ISO, UTC)."""

    count: int = 0
    locked_until: str | None = None


@dataclass
class KeyFile:
    slots: dict[str, Slot] = field(default_factory=dict)  # by account name
    recovery: Slot | None = None
    failures: dict[str, Failures] = field(default_factory=dict)
    # Refused attempts not yet in the audit trail (it can only be written once the file is open).
    pending_audit: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> str:
        data = {"format": FORMAT, "version": VERSION, "cipher": "sqlcipher4",
                "slots": {name: asdict(slot) for name, slot in sorted(self.slots.items())},
                "recovery": asdict(self.recovery) if self.recovery else None,
                "failures": {name: asdict(f) for name, f in sorted(self.failures.items()) if f.count or f.locked_until},
                "pending_audit": self.pending_audit[-100:]}
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str, name: str) -> KeyFile:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError("format")
            if data.get("version") != VERSION:
                raise DatabaseError(f"Tệp khóa {name} do phiên bản mới hơn của phần mềm tạo: hãy cài phiên bản mới "
                                    "nhất rồi mở lại.", code="keyfile_newer")
            return cls(slots={k: Slot(**v) for k, v in data["slots"].items()},
                       recovery=Slot(**data["recovery"]) if data.get("recovery") else None,
                       failures={k: Failures(**v) for k, v in data.get("failures", {}).items()},
                       pending_audit=list(data.get("pending_audit", [])))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DatabaseError(f"Tệp khóa {name} bị hỏng hoặc không phải tệp khóa của phần mềm: không mở được tệp "
                                "dữ liệu. Hãy chép lại tệp khóa từ nơi cất giữ, hoặc khôi phục từ bản sao lưu.",
                                code="keyfile_damaged") from exc


def has_keyfile(database: Path) -> bool:
    return keyfile_path(database).is_file()


def load(database: Path) -> KeyFile:
    path = keyfile_path(database)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        from khoi_desktop.core.keyslots.copies import missing_message

        raise DatabaseError(missing_message(database), code="keyfile_missing") from None
    return KeyFile.from_json(text, path.name)


def save(database: Path, keyfile: KeyFile) -> None:
    """Write the key file, and a copy in the data folder whenever its slots changed (copies.py)."""
    from khoi_desktop.core.keyslots.copies import keep_copy

    write_atomically(keyfile_path(database), keyfile.to_json().encode("utf-8"))
    keep_copy(database, keyfile)


def copy_keyfile(database: Path, copy: Path) -> None:
    """A copy of an encrypted file (kept aside before a restore or a migration) gets the key file it opens with."""
    source = keyfile_path(database)
    if source.is_file():
        write_atomically(keyfile_path(copy), source.read_bytes())


def write_atomically(path: Path, data: bytes) -> None:
    import tempfile  # only to write a key file; reading one (every start) does not need it

    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if os.name == "posix":  # the rename itself survives a power cut
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
