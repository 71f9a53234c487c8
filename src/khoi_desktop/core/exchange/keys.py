"""Key pairs of a party to the exchange: Ed25519 signs packages, X25519 receives packages sealed to it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from khoi_desktop.core.backup.crypto import b64, unb64

_RAW = serialization.Encoding.Raw
_RAW_PUBLIC = serialization.PublicFormat.Raw
_RAW_PRIVATE = serialization.PrivateFormat.Raw


@dataclass(frozen=True)
class PublicKeys:
    sign: str  # Ed25519 public key, base64
    box: str  # X25519 public key, base64

    @property
    def fingerprint(self) -> str:
        """What two people compare by telephone: 8 groups of 4 hex digits of the signing key's SHA-256."""
        return fingerprint(self.sign)

    def verifier(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(unb64(self.sign))

    def box_key(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(unb64(self.box))


@dataclass(frozen=True)
class KeyPair:
    public: PublicKeys
    sign_private: str
    box_private: str

    def signer(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(unb64(self.sign_private))

    def box_key(self) -> X25519PrivateKey:
        return X25519PrivateKey.from_private_bytes(unb64(self.box_private))


def fingerprint(sign_public: str) -> str:
    digest = hashlib.sha256(unb64(sign_public)).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def new_key_pair() -> KeyPair:
    sign = Ed25519PrivateKey.generate()
    box = X25519PrivateKey.generate()
    public = PublicKeys(b64(sign.public_key().public_bytes(_RAW, _RAW_PUBLIC)),
                        b64(box.public_key().public_bytes(_RAW, _RAW_PUBLIC)))
    return KeyPair(public, b64(sign.private_bytes(_RAW, _RAW_PRIVATE, serialization.NoEncryption())),
                   b64(box.private_bytes(_RAW, _RAW_PRIVATE, serialization.NoEncryption())))
