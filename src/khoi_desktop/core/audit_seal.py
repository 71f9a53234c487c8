"""The audit anchor's seal: an HMAC with a key the database does not hold.

The key is derived (HKDF-SHA256) from the database key, which the file itself never stores: it is unwrapped
from an account's key slot when that account signs in (core/keyslots). Someone who edits the file with a
database tool, without an account, can delete entries and copy hashes but cannot make a valid seal.
A file without key slots (a plain file from before, no account unlocked it) has no key: nothing is sealed
and verification says the seal could not be checked.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

ANCHOR_INFO = b"khoi-audit-anchor"
SEAL_FIELD = "seal"


def anchor_key(database_key: bytes) -> bytes:
    """HKDF(database key, info="khoi-audit-anchor"): a key of its own, so the seal reveals nothing of the other."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=ANCHOR_INFO).derive(database_key)


def _message(fields: dict[str, Any]) -> bytes:
    body = {k: v for k, v in fields.items() if k != SEAL_FIELD}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def seal(fields: dict[str, Any], key: bytes) -> str:
    return hmac.new(key, _message(fields), hashlib.sha256).hexdigest()


def seal_holds(fields: dict[str, Any], key: bytes) -> bool:
    stated = fields.get(SEAL_FIELD)
    return isinstance(stated, str) and hmac.compare_digest(stated, seal(fields, key))
