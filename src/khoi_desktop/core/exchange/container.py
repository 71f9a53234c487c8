"""The `.khoipkg` file: a zip holding a signed manifest and the (optionally sealed) content.

    manifest.json   format, version, kind, package id, sender (code, name, key fingerprint), receiver,
                    sequence number, counts, the content's size and SHA-256, how it is sealed
    manifest.sig    Ed25519 signature of manifest.json's exact bytes, by the sender's key
    content.bin     an inner zip (records.json + files/<sha256>: PDFs, workbooks), plain or sealed with AES-256-GCM,
                    to the receiver's X25519 key or to a passphrase (scrypt)

The signature covers the manifest, the manifest carries the content's hash, the inner zip's own hash and
every attachment's hash: one changed byte anywhere is found before anything is read into the database.
Pure: no database; the caller says which keys it trusts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from khoi_desktop.core.backup.crypto import SCRYPT_N, KdfParams, Keys, b64, new_params, unb64
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.exchange.keys import KeyPair, PublicKeys

# scrypt cost of a package sealed to a passphrase (the starter package): written in its manifest, which the reader
# follows. The tests lower it (tests/core/test_exchange_round_trip.cheap_kdf); the product never changes it.
PASSPHRASE_KDF_N = SCRYPT_N

FORMAT = "khoipkg"
VERSION = 1
KINDS = {"starter": "gói khởi tạo", "up": "gói báo cáo lên", "down": "gói gửi xuống"}
MAX_PACKAGE = 1024**3  # a package is read whole; a month's reports with scans is a few megabytes
MAX_MEMBER = 1024**3
_NONCE = 12
_HKDF_INFO = b"khoipkg v1 x25519"


class PackageRefused(ValidationError):
    """A package that is not taken in: damaged, altered, foreign, replayed or out of order. Nothing changed."""

    code = "package_refused"


@dataclass(frozen=True)
class Party:
    code: str | None  # the organization's code; None: the provincial office
    name: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name}


@dataclass
class Record:
    """One thing a package carries: a JSON object of a kind, at most one unnamed file (a decision's PDF, a
    workbook) and named files (a submission's scans, as (name, bytes))."""

    kind: str
    data: dict[str, Any]
    attachment: bytes | None = None
    files: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def attachment_sha256(self) -> str | None:
        return hashlib.sha256(self.attachment).hexdigest() if self.attachment is not None else None

    def hashes(self) -> list[str]:
        """SHA-256 of every file the record carries."""
        own = [hashlib.sha256(self.attachment).hexdigest()] if self.attachment is not None else []
        return [*own, *(hashlib.sha256(content).hexdigest() for _, content in self.files)]


@dataclass(frozen=True)
class Envelope:
    """What the signed manifest says (readable before the content is opened)."""

    kind: str
    package_id: str
    created_at: dt.datetime
    sender: Party
    sender_key: str  # fingerprint of the key that signed
    receiver: Party
    sequence: int
    counts: dict[str, Any]
    sealed: str | None  # None, "x25519" or "passphrase"
    sha256: str  # of the whole file

    @property
    def label(self) -> str:
        return f"{KINDS.get(self.kind, self.kind)} số {self.sequence} của {self.sender.name}"


@dataclass
class Opened:
    envelope: Envelope
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    content: bytes
    records: list[Record] = field(default_factory=list)


def _canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _inner_zip(records: list[Record]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as inner:
        rows = []
        for record in records:
            sha = record.attachment_sha256
            if sha is not None:
                assert record.attachment is not None
                name = f"files/{sha}"
                if name not in inner.namelist():
                    inner.writestr(name, record.attachment)
            row: dict[str, Any] = {"kind": record.kind, "data": record.data, "attachment": sha}
            if record.files:
                row["files"] = []
                for file_name, content in record.files:
                    digest = hashlib.sha256(content).hexdigest()
                    if f"files/{digest}" not in inner.namelist():
                        inner.writestr(f"files/{digest}", content)
                    row["files"].append({"name": file_name, "sha256": digest})
            rows.append(row)
        inner.writestr("records.json", _canonical({"records": rows}))
    return buffer.getvalue()


def _x25519_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO + ephemeral + recipient).derive(shared)


def _raw(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _seal(plain: bytes, package_id: str, seal_to: PublicKeys | None,
          passphrase: str | None) -> tuple[bytes, dict[str, Any] | None]:
    nonce = os.urandom(_NONCE)
    aad = package_id.encode("ascii")
    if seal_to is not None:
        ephemeral = X25519PrivateKey.generate()
        recipient = seal_to.box_key()
        key = _x25519_key(ephemeral.exchange(recipient), _raw(ephemeral.public_key()), _raw(recipient))
        return AESGCM(key).encrypt(nonce, plain, aad), {
            "scheme": "x25519-aes256gcm", "ephemeral": b64(_raw(ephemeral.public_key())), "nonce": b64(nonce),
            "recipient_key": seal_to.fingerprint}
    if passphrase is not None:
        params = new_params(PASSPHRASE_KDF_N)
        keys = Keys.derive(passphrase, params)
        return AESGCM(keys.cipher).encrypt(nonce, plain, aad), {
            "scheme": "passphrase-aes256gcm", "kdf": params.to_json(), "check": b64(keys.check), "nonce": b64(nonce)}
    return plain, None


def write_package(*, kind: str, sender: Party, receiver: Party, sequence: int, records: list[Record],
                  keys: KeyPair, seal_to: PublicKeys | None = None, passphrase: str | None = None,
                  now: dt.datetime | None = None) -> bytes:
    """The package's bytes: records sealed (to `seal_to`'s key, or to `passphrase`), signed with `keys`."""
    if kind not in KINDS:
        raise ValueError(kind)
    package_id = uuid.uuid4().hex
    plain = _inner_zip(records)
    content, sealing = _seal(plain, package_id, seal_to, passphrase)
    by_kind: dict[str, int] = {}
    for record in records:
        by_kind[record.kind] = by_kind.get(record.kind, 0) + 1
    manifest = {
        "format": FORMAT, "version": VERSION, "kind": kind, "package_id": package_id,
        "created_at": (now or dt.datetime.now()).replace(microsecond=0).isoformat(),
        "sender": {**sender.to_json(), "key": keys.public.fingerprint}, "receiver": receiver.to_json(),
        "sequence": sequence,
        "counts": {"records": len(records), "attachments": sum(r.attachment is not None for r in records),
                   "by_kind": by_kind},
        # Every attached file's hash, under the signature: a scan swapped inside the sealed content is found
        # even by a reader holding the receiver's key.
        "files": sorted({sha for r in records for sha in r.hashes()}),
        "content": {"file": "content.bin", "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
                    "plain_sha256": hashlib.sha256(plain).hexdigest()},
        "encryption": sealing,
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    signature = keys.signer().sign(manifest_bytes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as outer:
        outer.writestr("manifest.json", manifest_bytes)
        outer.writestr("manifest.sig", b64(signature))
        outer.writestr(zipfile.ZipInfo("content.bin"), content, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


# --- reading ----------------------------------------------------------------------------------------

def _not_a_package(name: str) -> PackageRefused:
    return PackageRefused(f"Tệp {name} không phải gói trao đổi của phần mềm (.khoipkg) hoặc đã bị hỏng: "
                          "không nhập gì. Hãy yêu cầu gửi lại gói.", code="not_a_package")


def _tampered(label: str, what: str) -> PackageRefused:
    return PackageRefused(f"{label[:1].upper()}{label[1:]} đã bị thay đổi sau khi ký ({what}): không nhập gì. "
                          "Hãy yêu cầu gửi lại gói, và báo cho người phụ trách an toàn thông tin nếu gói được "
                          "chuyển qua tay người khác.", code="package_tampered")


def _read_member(archive: zipfile.ZipFile, name: str, file_name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise _not_a_package(file_name) from None
    if info.file_size > MAX_MEMBER:
        raise _not_a_package(file_name)
    return archive.read(info)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def open_package(data: bytes, file_name: str = "gói") -> Opened:
    """Read the manifest and the content; nothing is trusted yet (see verify, unseal)."""
    if len(data) > MAX_PACKAGE:
        raise _not_a_package(file_name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest_bytes = _read_member(archive, "manifest.json", file_name)
            signature = unb64(_read_member(archive, "manifest.sig", file_name).decode("ascii").strip())
            content = _read_member(archive, "content.bin", file_name)
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (zipfile.BadZipFile, ValueError, UnicodeDecodeError, EOFError, OSError):
        raise _not_a_package(file_name) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_a_package(file_name)
    version = manifest.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise PackageRefused(f"Gói {file_name} được tạo bởi phiên bản mới hơn của phần mềm (định dạng {version}): "
                             "hãy cài phiên bản mới nhất rồi nhập lại.", code="package_too_new")
    try:
        sender, receiver = manifest["sender"], manifest["receiver"]
        envelope = Envelope(
            kind=_text(manifest["kind"]), package_id=_text(manifest["package_id"]),
            created_at=dt.datetime.fromisoformat(manifest["created_at"]),
            sender=Party(sender.get("code"), _text(sender.get("name"))), sender_key=_text(sender.get("key")),
            receiver=Party(receiver.get("code"), _text(receiver.get("name"))), sequence=int(manifest["sequence"]),
            counts=dict(manifest["counts"]),
            sealed=(None if manifest.get("encryption") is None
                    else "x25519" if manifest["encryption"].get("scheme") == "x25519-aes256gcm" else "passphrase"),
            sha256=hashlib.sha256(data).hexdigest())
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _not_a_package(file_name) from None
    if envelope.kind not in KINDS or len(envelope.package_id) != 32:
        raise _not_a_package(file_name)
    return Opened(envelope, manifest, manifest_bytes, signature, content)


def verify(opened: Opened, trusted: PublicKeys, trusted_name: str) -> None:
    """The package was signed by `trusted` and not changed since: else refused, foreign or altered."""
    envelope = opened.envelope
    if envelope.sender_key != trusted.fingerprint:
        raise PackageRefused(
            f"{envelope.label[:1].upper()}{envelope.label[1:]} được ký bằng khóa "
            f"{envelope.sender_key or '(không rõ)'}, "
            f"không phải khóa của {trusted_name} đã đăng ký ở đây ({trusted.fingerprint}): gói lạ, không nhập gì.",
            code="package_foreign")
    try:
        trusted.verifier().verify(opened.signature, opened.manifest_bytes)
    except InvalidSignature:
        raise _tampered(envelope.label, "chữ ký không khớp") from None
    content = opened.manifest.get("content") or {}
    size = len(opened.content)
    if hashlib.sha256(opened.content).hexdigest() != content.get("sha256") or size != content.get("size"):
        raise _tampered(envelope.label, "mã băm nội dung không khớp")


def _unseal(opened: Opened, box: KeyPair | None, passphrase: str | None) -> bytes:
    sealing = opened.manifest.get("encryption")
    label = opened.envelope.label
    if sealing is None:
        return opened.content
    aad = opened.envelope.package_id.encode("ascii")
    try:
        nonce = unb64(sealing.get("nonce"))
        if sealing.get("scheme") == "x25519-aes256gcm":
            if box is None or sealing.get("recipient_key") != box.public.fingerprint:
                raise PackageRefused(f"{label[:1].upper()}{label[1:]} được mã hóa cho "
                                     f"{opened.envelope.receiver.name}: máy này không có khóa để mở.",
                                     code="package_not_for_us")
            ephemeral = unb64(sealing.get("ephemeral"))
            mine = box.box_key()
            key = _x25519_key(mine.exchange(X25519PublicKey.from_public_bytes(ephemeral)), ephemeral,
                              _raw(mine.public_key()))
            return AESGCM(key).decrypt(nonce, opened.content, aad)
        if sealing.get("scheme") == "passphrase-aes256gcm":
            if not passphrase:
                raise PackageRefused(f"{label[:1].upper()}{label[1:]} được bảo vệ bằng mật khẩu: hãy nhập mật khẩu "
                                     "mà Văn phòng đã giao cùng gói.", code="passphrase_needed")
            keys = Keys.derive(passphrase, KdfParams.from_json(sealing.get("kdf")))
            if not keys.matches(unb64(sealing.get("check"))):
                raise PackageRefused(f"Mật khẩu của {label} không đúng.", code="wrong_passphrase")
            return AESGCM(keys.cipher).decrypt(nonce, opened.content, aad)
    except InvalidTag:
        raise _tampered(label, "nội dung mã hóa không giải được") from None
    except (ValueError, TypeError, AttributeError):
        raise _tampered(label, "thông số mã hóa hỏng") from None
    raise PackageRefused(f"{label[:1].upper()}{label[1:]} dùng cách mã hóa phần mềm không biết.",
                         code="package_too_new")


def unseal(opened: Opened, *, box: KeyPair | None = None, passphrase: str | None = None) -> list[Record]:
    """The records, after the inner zip's hash, the counts and every attachment's hash are checked."""
    plain = _unseal(opened, box, passphrase)
    label = opened.envelope.label
    if hashlib.sha256(plain).hexdigest() != (opened.manifest.get("content") or {}).get("plain_sha256"):
        raise _tampered(label, "mã băm nội dung không khớp")
    try:
        with zipfile.ZipFile(io.BytesIO(plain)) as inner:
            rows = json.loads(_read_member(inner, "records.json", label))["records"]
            records = []
            for row in rows:
                sha = row.get("attachment")
                attachment = _read_member(inner, f"files/{sha}", label) if sha else None
                if attachment is not None and hashlib.sha256(attachment).hexdigest() != sha:
                    raise _tampered(label, "mã băm tệp đính kèm không khớp")
                if not isinstance(row.get("data"), dict) or not isinstance(row.get("kind"), str):
                    raise _tampered(label, "bản ghi không đúng dạng")
                files = []
                for named in row.get("files") or []:
                    content = _read_member(inner, f"files/{named['sha256']}", label)
                    if hashlib.sha256(content).hexdigest() != named["sha256"]:
                        raise _tampered(label, "mã băm tệp đính kèm không khớp")
                    files.append((str(named["name"]), content))
                records.append(Record(row["kind"], row["data"], attachment, files))
    except (zipfile.BadZipFile, ValueError, KeyError, TypeError, AttributeError):
        raise _tampered(label, "nội dung không đúng dạng") from None
    counts = opened.envelope.counts
    if len(records) != counts.get("records") or sum(r.attachment is not None for r in records) != counts.get(
            "attachments"):
        raise _tampered(label, "số bản ghi không khớp với bản kê")
    listed = opened.manifest.get("files")  # absent in packages written before files were listed
    if listed is not None and sorted({sha for r in records for sha in r.hashes()}) != listed:
        raise _tampered(label, "tệp đính kèm không khớp với bản kê")
    opened.records = records
    return records
