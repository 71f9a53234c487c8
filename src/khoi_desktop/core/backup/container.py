"""The single-file container: a small header, then the payload, plain or sealed.

    prefix   magic "KHOIBAK\\0" | format version (u8) | flags (u8) | header length (u16, big endian)
    header   JSON: {} when plain; KDF name, parameters and salt, nonce and key check when encrypted
    digest   SHA-256 of prefix + header (a damaged header is told apart from a wrong passphrase)
    body     plain: payload + SHA-256 of the payload;
             encrypted: AES-256-GCM(payload), with prefix + header as associated data
    payload  manifest length (u32) | manifest JSON | compressed SQLite snapshot (zstd; zlib before)

Format 1: plain, or sealed with a passphrase (scrypt). Format 2 (office_key.py): sealed with a key derived
from an encrypted office's database key, the header carrying the office's wrapped key slots; format 1 files
are still written for the other two kinds, so older versions keep reading them.

The manifest travels inside the payload, so encryption covers and authenticates it too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
from dataclasses import dataclass
from typing import Any

from khoi_desktop.core.backup import crypto, office_key
from khoi_desktop.core.backup.errors import (
    PASSPHRASE_REQUIRED,
    UNSUPPORTED,
    WRONG_PASSPHRASE,
    BackupError,
    damaged,
    foreign,
)

MAGIC = b"KHOIBAK\x00"
FORMAT_VERSION = 2
PASSPHRASE_FORMAT = 1  # plain and passphrase backups keep the first format
FLAG_ENCRYPTED = 0x01
_PREFIX = struct.Struct(">8sBBH")
_DIGEST = 32
_LENGTH = struct.Struct(">I")
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Header:
    encrypted: bool
    fields: dict[str, Any]
    aad: bytes  # prefix + header JSON
    body_offset: int


def read_header(data: bytes, name: str) -> Header:
    """Parse the header; a foreign, damaged or too-new file is refused here."""
    if len(data) < _PREFIX.size or not data.startswith(MAGIC):
        if data.startswith(SQLITE_MAGIC):
            # Said to the window and to the command line alike (`restore khoi.db --to …` was told of a menu).
            raise foreign(name, "Đây là một tệp cơ sở dữ liệu SQLite: không cần khôi phục, hãy dùng thẳng tệp đó "
                                f"(trong cửa sổ phần mềm: «Mở tệp dữ liệu…»; trên dòng lệnh: ghi {name} ở chỗ TỆP "
                                f"của lệnh, ví dụ khoi-desktop stats {name}).")
        if MAGIC.startswith(data[: len(MAGIC)]) and data:
            raise damaged(name, "tệp bị cắt cụt ngay từ phần đầu")
        raise foreign(name)
    _magic, version, flags, header_len = _PREFIX.unpack_from(data)
    end = _PREFIX.size + header_len
    if len(data) < end + _DIGEST:
        raise damaged(name, "tệp bị cắt cụt")
    aad = data[:end]
    # The digest first: a flipped version byte is damage, not a file from a newer version.
    if hashlib.sha256(aad).digest() != data[end:end + _DIGEST]:
        raise damaged(name, "phần đầu tệp không khớp mã kiểm tra")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"Bản sao lưu {name} được tạo bởi phiên bản mới hơn của phần mềm (định dạng {version}). "
            "Hãy cài phiên bản mới nhất để dùng nó.", code=UNSUPPORTED)
    try:
        fields = json.loads(aad[_PREFIX.size:].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise damaged(name, "phần đầu tệp không đọc được") from None
    if not isinstance(fields, dict) or version < 1:
        raise damaged(name, "phần đầu tệp không hợp lệ")
    return Header(bool(flags & FLAG_ENCRYPTED), fields, aad, end + _DIGEST)


def _prefix_and_header(flags: int, fields: dict[str, Any], version: int = PASSPHRASE_FORMAT) -> bytes:
    header = json.dumps(fields, sort_keys=True).encode("utf-8")
    if len(header) > 0xFFFF:
        raise ValueError("backup header too large")
    return _PREFIX.pack(MAGIC, version, flags, len(header)) + header


def is_office_keyed(header: Header) -> bool:
    return header.encrypted and header.fields.get("key") == office_key.MODE


def office_key_matches(header: Header, database_key: bytes) -> bool:
    try:
        salt, check = crypto.unb64(header.fields.get("salt")), crypto.unb64(header.fields.get("check"))
    except ValueError:
        return False
    return hmac.compare_digest(office_key.backup_cipher_key(database_key, salt)[1], check)


def pack(payload: bytes, passphrase: str | None = None, *, kdf_n: int = crypto.SCRYPT_N,
         public: dict[str, Any] | None = None, database_key: bytes | None = None,
         carried_keys: dict[str, Any] | None = None) -> bytes:
    """`public`: header fields readable without the passphrase (the audit anchor, sealed on its own).
    `database_key` (no passphrase): an encrypted office's backup, sealed with a key derived from it.
    `carried_keys`: an encrypted office's wrapped key slots, carried by its backups of either kind (a lost
    key file comes back from them: core/keyslots/copies.py)."""
    return b"".join(pack_parts([payload], passphrase, kdf_n=kdf_n, public=public, database_key=database_key,
                               carried_keys=carried_keys))


def pack_parts(payload: list[bytes], passphrase: str | None = None, *, kdf_n: int = crypto.SCRYPT_N,
               public: dict[str, Any] | None = None, database_key: bytes | None = None,
               carried_keys: dict[str, Any] | None = None,
               derived: tuple[crypto.KdfParams, crypto.Keys] | None = None) -> list[bytes]:
    """`pack` of the payload b"".join(payload), as the pieces of the file in order: written one after the
    other, no copy of the whole is made in memory. `derived`: the passphrase's scrypt parameters and keys,
    already derived (crypto.derive_new) while the payload was being made."""
    if passphrase is None and database_key is not None:
        salt, nonce = office_key.new_salt(), os.urandom(crypto.NONCE_BYTES)
        cipher, check = office_key.backup_cipher_key(database_key, salt)
        fields = {**(public or {}), "cipher": "AES-256-GCM", "key": office_key.MODE, "salt": crypto.b64(salt),
                  "nonce": crypto.b64(nonce), "check": crypto.b64(check), "keyslots": carried_keys}
        aad = _prefix_and_header(FLAG_ENCRYPTED, fields, FORMAT_VERSION)
        return [aad, hashlib.sha256(aad).digest(),
                *crypto.seal_parts(crypto.Keys(cipher, check), nonce, payload, aad)]
    if passphrase is None:
        aad = _prefix_and_header(0, dict(public or {}))
        digest = hashlib.sha256()
        for part in payload:
            digest.update(part)
        return [aad, hashlib.sha256(aad).digest(), *payload, digest.digest()]
    params, keys = derived or crypto.derive_new(passphrase, kdf_n)
    nonce = os.urandom(crypto.NONCE_BYTES)
    fields = {**(public or {}), "cipher": "AES-256-GCM", "kdf": params.to_json(), "nonce": crypto.b64(nonce),
              "check": crypto.b64(keys.check), **({"keyslots": carried_keys} if carried_keys else {})}
    aad = _prefix_and_header(FLAG_ENCRYPTED, fields)
    return [aad, hashlib.sha256(aad).digest(), *crypto.seal_parts(keys, nonce, payload, aad)]


def unpack(data: bytes, name: str, passphrase: str | None, database_key: bytes | None = None
           ) -> tuple[Header, bytes]:
    """The header and the authenticated payload. `database_key`: the office's, for a format-2 backup."""
    header = read_header(data, name)
    body = data[header.body_offset:]
    if is_office_keyed(header):
        return header, _unpack_office_keyed(header, body, name, database_key)
    if not header.encrypted:
        if len(body) < _DIGEST:
            raise damaged(name, "tệp bị cắt cụt")
        payload, digest = body[:-_DIGEST], body[-_DIGEST:]
        if hashlib.sha256(payload).digest() != digest:
            raise damaged(name, "nội dung bị cắt cụt hoặc bị sửa đổi")
        return header, payload
    try:
        params = crypto.KdfParams.from_json(header.fields.get("kdf"))
        nonce = crypto.unb64(header.fields.get("nonce"))
        check = crypto.unb64(header.fields.get("check"))
    except ValueError:
        raise damaged(name, "thông số mã hóa không hợp lệ") from None
    if not passphrase:
        raise BackupError(f"Bản sao lưu {name} được mã hóa: hãy nhập mật khẩu.", code=PASSPHRASE_REQUIRED)
    keys = crypto.Keys.derive(passphrase, params)
    if not keys.matches(check):
        raise BackupError(f"Sai mật khẩu của bản sao lưu {name}. Hãy nhập lại (phân biệt chữ hoa, chữ thường).",
                          code=WRONG_PASSPHRASE)
    opened = crypto.unseal(keys, nonce, body, header.aad)
    if opened is None:
        raise damaged(name, "mật khẩu đúng nhưng nội dung đã bị cắt cụt hoặc bị sửa đổi")
    return header, opened


def _unpack_office_keyed(header: Header, body: bytes, name: str, database_key: bytes | None) -> bytes:
    if database_key is None:
        raise office_key.sign_in_required(name)
    try:
        salt, nonce = crypto.unb64(header.fields.get("salt")), crypto.unb64(header.fields.get("nonce"))
    except ValueError:
        raise damaged(name, "thông số mã hóa không hợp lệ") from None
    if not office_key_matches(header, database_key):
        raise BackupError(f"Bản sao lưu {name} là của một tệp dữ liệu khác: khóa của tệp dữ liệu đang mở không mở "
                          "được nó. Hãy đăng nhập bằng một tài khoản của tệp dữ liệu trong bản sao lưu.",
                          code=office_key.WRONG_ACCOUNT)
    cipher, check = office_key.backup_cipher_key(database_key, salt)
    opened = crypto.unseal(crypto.Keys(cipher, check), nonce, body, header.aad)
    if opened is None:
        raise damaged(name, "khóa đúng nhưng nội dung đã bị cắt cụt hoặc bị sửa đổi")
    return opened


def join_payload(manifest: bytes, compressed: bytes) -> bytes:
    return b"".join(payload_parts(manifest, compressed))


def payload_parts(manifest: bytes, compressed: bytes) -> list[bytes]:
    return [_LENGTH.pack(len(manifest)) + manifest, compressed]


def split_payload(payload: bytes, name: str) -> tuple[bytes, bytes]:
    if len(payload) < _LENGTH.size:
        raise damaged(name, "thiếu bảng kê")
    (length,) = _LENGTH.unpack_from(payload)
    if len(payload) < _LENGTH.size + length:
        raise damaged(name, "bảng kê bị cắt cụt")
    return payload[_LENGTH.size:_LENGTH.size + length], payload[_LENGTH.size + length:]


def peek_manifest(data: bytes, name: str) -> tuple[Header, bytes | None]:
    """Header and, for a plain file, the manifest bytes (unverified: for showing in a list)."""
    header = read_header(data, name)
    if header.encrypted:
        return header, None
    manifest, _rest = split_payload(data[header.body_offset:], name)
    return header, manifest
