"""Making and opening slots of a key file: a password's, a converted account's, the recovery key's."""

from __future__ import annotations

import base64
import hashlib
import os

from khoi_desktop.core.keyslots import crypto
from khoi_desktop.core.keyslots.keyfile import KeyFile, Slot

RECOVERY_LABEL = "#recovery"


def slot_digest(slot: Slot) -> str:
    """Names one slot (its salt, nonce and wrapped key: no secret): the account row records the digest of the
    slot its current password wrapped, so a sign-in that opened that very slot has proven the password."""
    text = "|".join((slot.kdf, slot.salt, slot.nonce, slot.wrapped))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def password_slot(username: str, password: str, database_key: bytes,
                  cost: crypto.Argon2Cost | None = None) -> Slot:
    cost = cost or crypto.Argon2Cost()
    salt = os.urandom(16)
    nonce, wrapped = crypto.wrap(crypto.password_kek(password, salt, cost), database_key, username)
    return Slot("argon2id", crypto.b64(salt), crypto.b64(nonce), crypto.b64(wrapped),
                cost.time_cost, cost.memory_cost, cost.parallelism, cost.hash_len)


def _phc_b64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def hash_slot(username: str, password_hash: str, database_key: bytes) -> Slot | None:
    """A slot for an account whose password is not known, only its Argon2id hash ($argon2id$v=19$m=…,t=…,p=…$
    salt$hash, as core/auth/passwords stores it): recomputing that hash from the password opens it. Used when a
    plain file is encrypted, so every account keeps its password; its first sign-in rewraps it with a fresh
    salt. None for a hash of another form."""
    parts = password_hash.split("$")
    if len(parts) != 6 or parts[1] != "argon2id":
        return None
    try:
        cost = dict(item.split("=", 1) for item in parts[3].split(","))
        salt, digest = _phc_b64(parts[4]), _phc_b64(parts[5])
        params = crypto.Argon2Cost(int(cost["t"]), int(cost["m"]), int(cost["p"]), len(digest))
    except (ValueError, KeyError):
        return None
    kek = crypto.kek_from_raw(digest, salt)
    nonce, wrapped = crypto.wrap(kek, database_key, username)
    return Slot("argon2id-hash", crypto.b64(salt), crypto.b64(nonce), crypto.b64(wrapped),
                params.time_cost, params.memory_cost, params.parallelism, params.hash_len)


def open_password_slot(slot: Slot, username: str, password: str) -> bytes | None:
    """The database key, or None for a wrong password."""
    if slot.kdf not in ("argon2id", "argon2id-hash"):
        return None
    cost = crypto.Argon2Cost(slot.time_cost, slot.memory_cost, slot.parallelism, slot.hash_len)
    kek = crypto.password_kek(password, crypto.unb64(slot.salt), cost)
    return crypto.unwrap(kek, crypto.unb64(slot.nonce), crypto.unb64(slot.wrapped), username)


def recovery_slot(database_key: bytes) -> tuple[Slot, str]:
    """(the slot, the recovery key to print once)."""
    secret, salt = crypto.new_recovery_secret(), os.urandom(16)
    nonce, wrapped = crypto.wrap(crypto.recovery_kek(secret, salt), database_key, RECOVERY_LABEL)
    return (Slot("hkdf-sha256", crypto.b64(salt), crypto.b64(nonce), crypto.b64(wrapped)),
            crypto.format_recovery_key(secret))


def open_recovery_slot(keyfile: KeyFile, recovery_key: str) -> bytes | None:
    slot = keyfile.recovery
    secret = crypto.parse_recovery_key(recovery_key)
    if slot is None or secret is None:
        return None
    kek = crypto.recovery_kek(secret, crypto.unb64(slot.salt))
    return crypto.unwrap(kek, crypto.unb64(slot.nonce), crypto.unb64(slot.wrapped), RECOVERY_LABEL)
