"""Where the exchange stands: per body, the last package sent and received, the items awaiting review and
whether it has reported this month; at the grassroots, what is waiting to be sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoi_desktop.core.exchange.identity import public_keys, self_peer
from khoi_desktop.core.exchange.models import BODY, OFFICE, ExchangeItem, ExchangePackage, ExchangePeer


@dataclass
class BodyStatus:
    code: str | None
    name: str
    key: str
    enrolled_at: dt.datetime
    last_sent: dict[str, Any] | None
    last_received: dict[str, Any] | None
    pending: int
    reported_this_month: bool

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "key": self.key, "enrolled_at": self.enrolled_at.isoformat(),
                "last_sent": self.last_sent, "last_received": self.last_received, "pending": self.pending,
                "reported_this_month": self.reported_this_month}


@dataclass
class ExchangeStatus:
    mode: str  # "office", "grassroots" or "none"
    me: str | None
    key: str | None
    month: dt.date
    peers: list[BodyStatus] = field(default_factory=list)
    unsent: int | None = None  # grassroots: records the next package would carry

    @property
    def not_reported(self) -> list[str]:
        return [p.code or "" for p in self.peers if not p.reported_this_month]

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode, "self": self.me, "key": self.key, "month": self.month.isoformat()[:7],
                "bodies" if self.mode != "grassroots" else "office": [p.to_json() for p in self.peers],
                "not_reported": self.not_reported if self.mode == "office" else [], "unsent": self.unsent}


def _last(session: Session, peer: ExchangePeer, direction: str) -> dict[str, Any] | None:
    code_is = ExchangePackage.peer_code.is_(None) if peer.code is None else ExchangePackage.peer_code == peer.code
    row = session.scalars(select(ExchangePackage).where(
        ExchangePackage.direction == direction, code_is, ExchangePackage.handled_at >= peer.enrolled_at)
        .order_by(ExchangePackage.sequence.desc())).first()
    if row is None:
        return None
    return {"sequence": row.sequence, "kind": row.kind, "at": row.handled_at.isoformat(), "records": row.records}


def exchange_status(session: Session, today: dt.date) -> ExchangeStatus:
    month = today.replace(day=1)
    me = self_peer(session)
    if me is None:
        return ExchangeStatus("none", None, None, month)
    grassroots = me.role == BODY
    status = ExchangeStatus("grassroots" if grassroots else "office", me.code or me.name,
                            public_keys(me).fingerprint, month)
    wanted = OFFICE if grassroots else BODY
    peers = session.scalars(select(ExchangePeer).where(ExchangePeer.role == wanted, ExchangePeer.is_self.is_(False),
                                                       ExchangePeer.revoked_at.is_(None)).order_by(ExchangePeer.code))
    for peer in peers:
        received = _last(session, peer, "in")
        pending = session.scalar(select(func.count()).select_from(ExchangeItem).join(ExchangePackage).where(
            ExchangeItem.status == "pending", ExchangePackage.peer_code.is_(None) if peer.code is None
            else ExchangePackage.peer_code == peer.code)) or 0
        reported = received is not None and received["kind"] != "starter" and \
            dt.datetime.fromisoformat(received["at"]).date() >= month
        status.peers.append(BodyStatus(peer.code, peer.name, public_keys(peer).fingerprint, peer.enrolled_at,
                                       _last(session, peer, "out"), received, pending, reported))
    if grassroots:
        from khoi_desktop.core.exchange.upward import pending_records

        status.unsent = len(pending_records(session)[0])
    return status
