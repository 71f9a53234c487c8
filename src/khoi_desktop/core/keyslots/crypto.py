"""Wrapping the database key: Argon2id (a password) or HKDF (the recovery key) gives a key-encryption key,
AES-256-GCM wraps the 256-bit database key with it. Pure functions, no files."""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from argon2.profiles import RFC_9106_LOW_MEMORY
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32  # SQLCipher 4's raw key: AES-256
RECOVERY_BYTES = 20  # 160 random bits: 32 base32 letters, printed in 8 groups
_AAD = b"khoi-desktop keyslot v1:"


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class Argon2Cost:
    """Argon2id parameters; the default is RFC 9106's low-memory profile (argon2-cffi's own default)."""

    time_cost: int = RFC_9106_LOW_MEMORY.time_cost
    memory_cost: int = RFC_9106_LOW_MEMORY.memory_cost  # KiB
    parallelism: int = RFC_9106_LOW_MEMORY.parallelism
    hash_len: int = KEY_BYTES


def password_kek(password: str, salt: bytes, cost: Argon2Cost) -> bytes:
    raw = hash_secret_raw(password.encode("utf-8"), salt, time_cost=cost.time_cost, memory_cost=cost.memory_cost,
                          parallelism=cost.parallelism, hash_len=cost.hash_len, type=Type.ID)
    return kek_from_raw(raw, salt)


def kek_from_raw(raw: bytes, salt: bytes) -> bytes:
    """Argon2id's output as an AES-256 key: a legacy slot (a converted file's stored hash) may be of another
    length than 32 bytes."""
    return raw if len(raw) == KEY_BYTES else _hkdf(raw, salt, b"khoi-desktop legacy kek")


def _hkdf(secret: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(secret)


def recovery_kek(secret: bytes, salt: bytes) -> bytes:
    """The recovery key is 160 random bits: no stretching needed, nobody guesses it."""
    return _hkdf(secret, salt, b"khoi-desktop recovery kek")


def wrap(kek: bytes, database_key: bytes, label: str) -> tuple[bytes, bytes]:
    """(nonce, ciphertext+tag); the slot's label is authenticated: a slot copied under another name fails."""
    nonce = os.urandom(12)
    return nonce, AESGCM(kek).encrypt(nonce, database_key, _AAD + label.encode("utf-8"))


def unwrap(kek: bytes, nonce: bytes, wrapped: bytes, label: str) -> bytes | None:
    """The database key, or None when the key-encryption key is wrong (a wrong password)."""
    try:
        return AESGCM(kek).decrypt(nonce, wrapped, _AAD + label.encode("utf-8"))
    except InvalidTag:
        return None


# --- the recovery key as printed ----------------------------------------------------------------

def new_recovery_secret() -> bytes:
    return secrets.token_bytes(RECOVERY_BYTES)


def format_recovery_key(secret: bytes) -> str:
    """ABCD-EFGH-…: base32 (no 0/1/8/9, no lower case to confuse), 8 groups of 4."""
    text = base64.b32encode(secret).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes | None:
    """The secret from what was typed (spaces, dashes and case ignored; O read as 0 is not guessed); None when
    it cannot be a recovery key."""
    letters = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(letters) != RECOVERY_BYTES * 8 // 5:
        return None
    try:
        return base64.b32decode(letters)
    except ValueError:
        return None
