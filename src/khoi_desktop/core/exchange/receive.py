"""Taking in a package: checked (signature, hashes, sender, sequence) before anything is written, then its
items kept for review. The same package a second time, an older one (replayed) or one that skips a number
(out of order) is refused, nothing changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.exchange.container import Envelope, PackageRefused, open_package, unseal, verify
from khoi_desktop.core.exchange.identity import body_peer, key_pair, last_sequence, public_keys, self_peer
from khoi_desktop.core.exchange.models import OFFICE, ExchangeItem, ExchangeItemFile, ExchangePackage, ExchangePeer
from khoi_desktop.core.exchange.preview import Preview, preview
from khoi_desktop.core.text import show_date

PENDING, ACCEPTED, RETURNED = "pending", "accepted", "returned"
STATUS_LABELS = {PENDING: "chờ xét", ACCEPTED: "đã chấp nhận", RETURNED: "đã trả lại", "received": "đã nhận"}


@dataclass
class ItemView:
    id: int | None
    kind: str
    status: str
    preview: Preview
    reason: str | None = None
    result: str | None = None
    files: list[tuple[str, str]] = field(default_factory=list)  # (name, SHA-256) of the files it carries

    def to_json(self) -> dict[str, Any]:
        p = self.preview
        return {"id": self.id, "kind": self.kind, "ref": p.ref, "title": p.title, "status": self.status,
                "changes": p.changes, "conflict": p.conflict, "problems": p.problems, "reason": self.reason,
                "result": self.result, "files": [{"name": name, "sha256": sha} for name, sha in self.files]}


@dataclass
class Imported:
    envelope: Envelope
    items: list[ItemView] = field(default_factory=list)
    stored: bool = False


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sender(session: Session, envelope: Envelope) -> ExchangePeer:
    code = envelope.sender.code
    peer = body_peer(session, code) if code else None
    if peer is not None:
        return peer
    raise PackageRefused(f"{_capital(envelope.label)} gửi từ {envelope.sender.name or 'một nơi không rõ'} "
                         f"({code or 'không có mã'}), tổ chức chưa được cấp gói trao đổi ở đây: gói lạ, không nhập gì.",
                         code="package_foreign")


def _refuse_revoked_key(session: Session, peer: ExchangePeer, envelope: Envelope) -> None:
    if envelope.sender_key == public_keys(peer).fingerprint:
        return
    for old in session.scalars(select(ExchangePeer).where(ExchangePeer.role == peer.role, ExchangePeer.code.is_(
            peer.code) if peer.code is None else ExchangePeer.code == peer.code, ExchangePeer.revoked_at.is_not(None))):
        if public_keys(old).fingerprint == envelope.sender_key:
            assert old.revoked_at is not None
            raise PackageRefused(f"{_capital(envelope.label)} được ký bằng khóa đã thu hồi ngày "
                                 f"{show_date(old.revoked_at.date())}, khi cấp lại gói khởi tạo cho {old.name}: gói "
                                 "lạ, không nhập gì.", code="package_foreign")


def check_sequence(session: Session, peer: ExchangePeer, envelope: Envelope) -> None:
    twin = session.scalars(select(ExchangePackage).where(ExchangePackage.package_id == envelope.package_id,
                                                         ExchangePackage.direction == "in")).first()
    if twin is not None:
        raise PackageRefused(f"{_capital(envelope.label)} đã được nhập ngày {show_date(twin.handled_at.date())}: "
                             "nhập lại không thay đổi gì.", code="already_imported")
    last = last_sequence(session, "in", peer) or 0
    if envelope.sequence <= last:
        raise PackageRefused(f"{_capital(envelope.label)} cũ hơn gói đã nhận gần nhất (số {last}): gói gửi lại hoặc "
                             "giả mạo, không nhập gì.", code="package_replayed")
    if envelope.sequence > last + 1:
        raise PackageRefused(f"{_capital(envelope.label)} đến trước gói số {last + 1} của {peer.name}: hãy nhập gói "
                             f"số {last + 1} trước (thiếu {envelope.sequence - last - 1} gói).",
                             code="package_out_of_order")


def import_package(session: Session, data: bytes, file_name: str, *, actor: str, today: dt.date,
                   dry_run: bool = False, key_passphrase: str | None = None,
                   now: dt.datetime | None = None) -> Imported:
    """Check a package and keep its items for review (with `dry_run` only list them: nothing is written). At the
    grassroots the body's keys are unwrapped with `key_passphrase`."""
    require(session, Permission.IMPORT)
    me = self_peer(session)
    if me is None:
        raise ValidationError("Cơ sở dữ liệu này chưa tham gia trao đổi: hãy cấp gói khởi tạo cho một tổ chức cơ sở "
                              "trước.", code="not_enrolled")
    opened = open_package(data, file_name)
    envelope = opened.envelope
    if me.role == OFFICE:
        if envelope.kind != "up" or envelope.receiver.code is not None:
            raise PackageRefused(f"{_capital(envelope.label)} gửi cho {envelope.receiver.name}, không phải gói báo cáo "
                                 "lên Văn phòng: không nhập gì.", code="package_not_for_us")
        peer = _sender(session, envelope)
    else:
        from khoi_desktop.core.exchange.downward import check_downward

        peer = check_downward(session, me, envelope)
    _refuse_revoked_key(session, peer, envelope)
    verify(opened, public_keys(peer), peer.name)
    check_sequence(session, peer, envelope)
    records = unseal(opened, box=key_pair(me, passphrase=key_passphrase))
    result = Imported(envelope)
    if me.role != OFFICE:
        from khoi_desktop.core.exchange.downward import take_downward

        return take_downward(session, me, opened, records, actor=actor, dry_run=dry_run, now=now,  # type: ignore[no-any-return]
                             today=today)
    sender = envelope.sender.code or ""
    previews = [preview(session, r.kind, r.data, sender, today) for r in records]
    if dry_run:
        result.items = [ItemView(None, r.kind, PENDING, p) for r, p in zip(records, previews, strict=True)]
        return result
    now = (now or dt.datetime.now()).replace(microsecond=0)
    package = ExchangePackage(package_id=envelope.package_id, direction="in", kind=envelope.kind,
                              peer_code=peer.code, sequence=envelope.sequence, sha256=envelope.sha256,
                              created_at=envelope.created_at, handled_at=now, handled_by=actor, records=len(records),
                              attachments=sum(len(r.hashes()) for r in records))
    session.add(package)
    session.flush()
    for position, (item, shown) in enumerate(zip(records, previews, strict=True), start=1):
        row = ExchangeItem(package_row_id=package.id, position=position, kind=item.kind, ref=shown.ref[:200],
                           title=shown.title, payload=json.dumps(item.data, ensure_ascii=False, sort_keys=True),
                           attachment=item.attachment, attachment_sha256=item.attachment_sha256, status=PENDING)
        session.add(row)
        session.flush()
        for number, (name, content) in enumerate(item.files, start=1):
            session.add(ExchangeItemFile(item_id=row.id, position=number, name=name[:255], content=content,
                                         sha256=hashlib.sha256(content).hexdigest()))
        from khoi_desktop.core.exchange.review import item_files

        result.items.append(ItemView(row.id, item.kind, PENDING, shown, files=item_files(row)))
    result.stored = True
    record(session, actor=actor, action="exchange.import", target=envelope.label,
           after={"package": envelope.package_id, "sha256": envelope.sha256, "items": len(records),
                  "conflicts": sum(p.conflict is not None for p in previews)})
    return result
