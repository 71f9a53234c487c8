"""Passphrase encryption: scrypt derives the keys, AES-256-GCM seals the payload.

A separate key-check value tells a wrong passphrase apart from a damaged file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Any

from khoi_desktop.core.text import nfc

SCRYPT_N = 2**15  # 32 MiB with r=8: about 0.1 s on an office PC, costly for a guesser
SCRYPT_R = 8
SCRYPT_P = 1
MAX_SCRYPT_MEMORY = 256 * 1024**2  # refuse absurd costs read from a (possibly hostile) header
MIN_PASSPHRASE = 8  # new backups; an older one made with a shorter passphrase still opens
SALT_BYTES = 16
NONCE_BYTES = 12
_CHECK_LABEL = b"khoi-desktop key check v1"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    def to_json(self) -> dict[str, Any]:
        return {"name": "scrypt", "n": self.n, "r": self.r, "p": self.p, "salt": b64(self.salt)}

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        """Raises ValueError on anything but sane scrypt parameters."""
        if not isinstance(data, dict) or data.get("name") != "scrypt":
            raise ValueError("unknown key derivation")
        n, r, p = data.get("n"), data.get("r"), data.get("p")
        if not all(isinstance(v, int) for v in (n, r, p)):
            raise ValueError("bad scrypt parameters")
        assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
        if n < 2 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16 or 128 * r * n > MAX_SCRYPT_MEMORY:
            raise ValueError("scrypt parameters out of range")
        salt = unb64(data.get("salt"))
        if len(salt) < 8:
            raise ValueError("salt too short")
        return cls(salt=salt, n=n, r=r, p=p)


def new_params(n: int = SCRYPT_N) -> KdfParams:
    return KdfParams(salt=os.urandom(SALT_BYTES), n=n)


@dataclass(frozen=True)
class Keys:
    cipher: bytes  # AES-256 key
    check: bytes  # stored in the header: matches only for the right passphrase

    @classmethod
    def derive(cls, passphrase: str, params: KdfParams) -> Keys:
        # cryptography loads when a key is made: reading a backup's header (verify-audit) needs none of it.
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        # NFC: the same Vietnamese passphrase typed with another input method must still match.
        material = Scrypt(salt=params.salt, length=64, n=params.n, r=params.r, p=params.p).derive(
            nfc(passphrase).encode("utf-8"))
        check = hmac.new(material[32:], _CHECK_LABEL, hashlib.sha256).digest()[:16]
        return cls(cipher=material[:32], check=check)

    def matches(self, stored_check: bytes) -> bool:
        return hmac.compare_digest(self.check, stored_check)


def derive_new(passphrase: str, n: int = SCRYPT_N) -> tuple[KdfParams, Keys]:
    """A new salt's scrypt parameters and the keys they derive from `passphrase` (≈ 0.1 s of CPU, the GIL held)."""
    params = new_params(n)
    return params, Keys.derive(passphrase, params)


def seal(keys: Keys, nonce: bytes, payload: bytes, aad: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(keys.cipher).encrypt(nonce, payload, aad)


def seal_parts(keys: Keys, nonce: bytes, parts: list[bytes], aad: bytes) -> list[bytes]:
    """`seal` of the payload b"".join(parts), the same bytes (ciphertext, then the 16-byte tag), without
    joining the parts into one more copy first."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor = Cipher(algorithms.AES(keys.cipher), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    sealed = [encryptor.update(part) for part in parts]
    sealed.append(encryptor.finalize())
    sealed.append(encryptor.tag)
    return sealed


def unseal(keys: Keys, nonce: bytes, sealed: bytes, aad: bytes) -> bytes | None:
    """The payload, or None when the ciphertext or the header was altered."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(keys.cipher).decrypt(nonce, sealed, aad)
    except InvalidTag:
        return None
