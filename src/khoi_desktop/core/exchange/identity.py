"""Who this database is in the exchange (the office, or one enrolled body in grassroots mode) and whom it
trusts: the rows of exchange_peers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.exchange.container import Party
from khoi_desktop.core.exchange.keys import KeyPair, PublicKeys, new_key_pair
from khoi_desktop.core.exchange.mode import grassroots_code, grassroots_org_id  # noqa: F401  (re-exported)
from khoi_desktop.core.exchange.models import BODY, OFFICE, ExchangePackage, ExchangePeer


def self_peer(session: Session) -> ExchangePeer | None:
    return session.scalars(select(ExchangePeer).where(ExchangePeer.is_self.is_(True),
                                                      ExchangePeer.revoked_at.is_(None))).first()


def key_pair(peer: ExchangePeer, *, passphrase: str | None = None) -> KeyPair:
    """This database's own keys; at the grassroots they are unwrapped with the key passphrase."""
    if peer.sealed_keys is not None:
        from khoi_desktop.core.exchange.key_lock import open_keys

        sign, box = open_keys(peer.code or "", peer.sealed_keys, passphrase)
        return KeyPair(public_keys(peer), sign, box)
    assert peer.sign_private is not None and peer.box_private is not None
    return KeyPair(public_keys(peer), peer.sign_private, peer.box_private)


def keys_locked(peer: ExchangePeer | None) -> bool:
    """Whether using this database's keys needs the key passphrase (a grassroots database)."""
    return peer is not None and peer.sealed_keys is not None


def public_keys(peer: ExchangePeer) -> PublicKeys:
    return PublicKeys(peer.sign_public, peer.box_public)


def party(peer: ExchangePeer) -> Party:
    return Party(peer.code if peer.role == BODY else None, peer.name)


def office_self(session: Session, name: str, actor: str) -> ExchangePeer:
    """The office's own key pair, made at the first enrollment."""
    me = self_peer(session)
    if me is not None:
        if me.role != OFFICE:
            raise in_grassroots_mode(me.name)
        return me
    keys = new_key_pair()
    me = ExchangePeer(role=OFFICE, code=None, name=name, sign_public=keys.public.sign, box_public=keys.public.box,
                      sign_private=keys.sign_private, box_private=keys.box_private, is_self=True,
                      enrolled_at=dt.datetime.now().replace(microsecond=0), enrolled_by=actor)
    session.add(me)
    session.flush()
    return me


def in_grassroots_mode(body: str) -> ValidationError:
    return ValidationError(f"Cơ sở dữ liệu này là của {body} (chế độ cơ sở): việc này chỉ làm được ở Văn phòng "
                           "Đảng ủy Khối.", code="grassroots_mode")


def office_peer(session: Session) -> ExchangePeer | None:
    """At the grassroots: the office this body reports to."""
    return session.scalars(select(ExchangePeer).where(ExchangePeer.role == OFFICE, ExchangePeer.is_self.is_(False),
                                                      ExchangePeer.revoked_at.is_(None))).first()


def body_peer(session: Session, code: str) -> ExchangePeer | None:
    """At the office: the enrolled body with this code (its current keys)."""
    return session.scalars(select(ExchangePeer).where(ExchangePeer.role == BODY, ExchangePeer.code == code,
                                                      ExchangePeer.is_self.is_(False),
                                                      ExchangePeer.revoked_at.is_(None))).first()


def last_sequence(session: Session, direction: str, peer: ExchangePeer) -> int | None:
    """The last sequence number sent to / received from this peer since its keys were made (None: none yet)."""
    return session.scalar(select(func.max(ExchangePackage.sequence)).where(
        ExchangePackage.direction == direction, ExchangePackage.peer_code.is_(peer.code) if peer.code is None
        else ExchangePackage.peer_code == peer.code, ExchangePackage.handled_at >= peer.enrolled_at))
