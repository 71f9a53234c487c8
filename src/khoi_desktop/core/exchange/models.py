"""Tables of the exchange with the grassroots organizations (.khoipkg packages).

`exchange_peers`: the parties this database exchanges with, and itself (`is_self`). The office keeps its
own private keys here (protected at rest with the database file) and only the public keys of the bodies it
enrolled: a body's private keys leave the office once, inside its passphrase-sealed starter package.
`exchange_packages`: every package sent or received, with its per-sender sequence number, so a replayed,
foreign or out-of-order package is refused and the same package imported twice changes nothing.
`exchange_items`: what a received package asks, kept for review (accept or return, with a reason).
`exchange_state`: at the grassroots, what was last sent and the member records as of the last exchange (the
base that tells a change here from a change at the office).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from khoi_desktop.core.models import Base

OFFICE = "office"  # ExchangePeer.role of the provincial office
BODY = "body"  # ExchangePeer.role of an enrolled đảng bộ cơ sở or chi bộ cơ sở


class ExchangePeer(Base):
    __tablename__ = "exchange_peers"
    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # OFFICE or BODY
    code: Mapped[str | None] = mapped_column(String(32), index=True)  # the body's organization code; None: office
    name: Mapped[str] = mapped_column(String(300))
    sign_public: Mapped[str] = mapped_column(String(64))  # Ed25519, base64
    box_public: Mapped[str] = mapped_column(String(64))  # X25519, base64
    sign_private: Mapped[str | None] = mapped_column(String(64))  # only on the row of this database itself
    box_private: Mapped[str | None] = mapped_column(String(64))
    # At the grassroots the two private keys are kept only wrapped with the key passphrase chosen at init
    # (core/exchange/key_lock.py), and sign_private / box_private stay empty.
    sealed_keys: Mapped[str | None] = mapped_column(Text)
    is_self: Mapped[bool] = mapped_column(Boolean, default=False)
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime)
    enrolled_by: Mapped[str] = mapped_column(String(120))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # a new enrollment replaces the keys


class ExchangePackage(Base):
    __tablename__ = "exchange_packages"
    __table_args__ = (UniqueConstraint("package_id", "direction", name="uq_exchange_packages_package_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[str] = mapped_column(String(32))
    direction: Mapped[str] = mapped_column(String(8))  # "in" or "out"
    kind: Mapped[str] = mapped_column(String(16))  # starter, up, down
    peer_code: Mapped[str | None] = mapped_column(String(32), index=True)  # the body; None: the office
    sequence: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)  # as written in the package
    handled_at: Mapped[dt.datetime] = mapped_column(DateTime)  # sent or imported here
    handled_by: Mapped[str] = mapped_column(String(120))
    records: Mapped[int] = mapped_column(Integer, default=0)
    attachments: Mapped[int] = mapped_column(Integer, default=0)

    items: Mapped[list[ExchangeItem]] = relationship(back_populates="package", order_by="ExchangeItem.position")


class ExchangeItem(Base):
    __tablename__ = "exchange_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    package_row_id: Mapped[int] = mapped_column(ForeignKey("exchange_packages.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # decision, meeting, member, rating, document, subtree
    ref: Mapped[str] = mapped_column(String(200))  # what it is about, for people: "05-QĐ/ĐU", "CB0001 03/2026"
    title: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)  # JSON record as sent
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)  # PDF (scan of a decision, a document)
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending, accepted, returned
    reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    result: Mapped[str | None] = mapped_column(String(200))  # e.g. the recorded decision's number

    package: Mapped[ExchangePackage] = relationship(back_populates="items")
    files: Mapped[list[ExchangeItemFile]] = relationship(order_by="ExchangeItemFile.position")


class ExchangeItemFile(Base):
    """The named files an item carries besides its one attachment: a submission's scans and enclosures."""

    __tablename__ = "exchange_item_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_items.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))


class ExchangeState(Base):
    __tablename__ = "exchange_state"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)  # sent_decision, sent_meeting, member_base …
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    data: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
