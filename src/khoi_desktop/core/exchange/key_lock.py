"""The grassroots body's private keys at rest: wrapped with a passphrase the clerk chooses at `exchange init`
(Argon2id, then AES-256-GCM, as the key slots of an encrypted database file wrap its key: core/keyslots), so a
copy of the plain database file does not let anyone sign packages in the body's name or read what the office
sends it. The passphrase is asked whenever a package is exported or imported there."""

from __future__ import annotations

import json
import os
from typing import Any

from sqlalchemy.orm import Session

from khoi_desktop.core.backup.crypto import MIN_PASSPHRASE
from khoi_desktop.core.errors import ValidationError

SCHEME = "argon2id-aes256gcm"
# Argon2id cost of new sealed keys; None: crypto.Argon2Cost() (RFC 9106 low-memory). Written with the keys, which
# open_keys follows. The tests lower it (tests/core/test_exchange_round_trip.cheap_kdf); the product never does.
KEY_COST: Any = None


def _label(code: str) -> str:
    return f"exchange keys {code}"


def check_new_passphrase(passphrase: str | None) -> str:
    if not passphrase or len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(f"Mật khẩu bảo vệ khóa riêng của đơn vị phải dài ít nhất {MIN_PASSPHRASE} ký tự: khóa "
                              "này ký các gói gửi lên Văn phòng thay cho đơn vị.", code="weak_passphrase")
    return passphrase


def seal_keys(code: str, sign_private: str, box_private: str, passphrase: str) -> str:
    """The two private keys (base64) wrapped with the passphrase, as JSON text for exchange_peers.sealed_keys."""
    from khoi_desktop.core.keyslots import crypto

    cost = KEY_COST or crypto.Argon2Cost()
    salt = os.urandom(16)
    kek = crypto.password_kek(passphrase, salt, cost)
    plain = json.dumps({"sign": sign_private, "box": box_private}).encode("ascii")
    nonce, wrapped = crypto.wrap(kek, plain, _label(code))
    return json.dumps({"scheme": SCHEME, "salt": crypto.b64(salt), "t": cost.time_cost, "m": cost.memory_cost,
                       "p": cost.parallelism, "nonce": crypto.b64(nonce), "wrapped": crypto.b64(wrapped)})


def open_keys(code: str, sealed: str, passphrase: str | None) -> tuple[str, str]:
    """(sign_private, box_private); refused without the passphrase or with a wrong one."""
    from khoi_desktop.core.keyslots import crypto

    if not passphrase:
        raise ValidationError("Khóa riêng của đơn vị được bảo vệ bằng mật khẩu đặt khi khởi tạo: hãy nhập mật khẩu "
                              "khóa để ký, mở gói trao đổi.", code="key_passphrase_needed")
    data: dict[str, Any] = json.loads(sealed)
    salt = crypto.unb64(data["salt"])
    kek = crypto.password_kek(passphrase, salt, crypto.Argon2Cost(int(data["t"]), int(data["m"]), int(data["p"])))
    plain = crypto.unwrap(kek, crypto.unb64(data["nonce"]), crypto.unb64(data["wrapped"]), _label(code))
    if plain is None:
        raise ValidationError("Mật khẩu khóa của đơn vị không đúng.", code="wrong_key_passphrase")
    keys = json.loads(plain)
    return keys["sign"], keys["box"]


def set_key_passphrase(session: Session, *, new: str, old: str | None, actor: str) -> str:
    """Wrap the body's private keys with `new`: keys still in plain (a grassroots database made before they were
    wrapped), or a change of the passphrase (the old one needed). The fingerprint of the body's key."""
    from khoi_desktop.core.audit import record
    from khoi_desktop.core.auth.permissions import Permission, require
    from khoi_desktop.core.exchange.identity import key_pair, public_keys, self_peer
    from khoi_desktop.core.exchange.models import BODY

    require(session, Permission.SETTINGS)
    me = self_peer(session)
    if me is None or me.role != BODY:
        raise ValidationError("Chỉ cơ sở dữ liệu của tổ chức cơ sở (chế độ cơ sở) có khóa riêng cần mật khẩu: khóa "
                              "của Văn phòng được bảo vệ cùng tệp dữ liệu.", code="not_grassroots")
    check_new_passphrase(new)
    keys = key_pair(me, passphrase=old)
    me.sealed_keys = seal_keys(me.code or "", keys.sign_private, keys.box_private, new)
    me.sign_private = me.box_private = None
    session.flush()
    fingerprint = public_keys(me).fingerprint
    record(session, actor=actor, action="exchange.key_passphrase", target=f"{me.code} – {me.name}",
           after={"key": fingerprint})
    return fingerprint
