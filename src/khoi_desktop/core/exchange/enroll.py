"""Enrollment: the office makes a body's key pair and its starter package (its subtree, members, committees,
the settings and templates, the office's public keys). The body's private keys are written only into that
package, sealed with a passphrase the office hands over separately; the office keeps the public keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.backup.crypto import MIN_PASSPHRASE
from khoi_desktop.core.errors import OrgNotFound, ValidationError
from khoi_desktop.core.exchange.container import Party, Record, write_package
from khoi_desktop.core.exchange.identity import body_peer, key_pair, office_self, party
from khoi_desktop.core.exchange.keys import new_key_pair
from khoi_desktop.core.exchange.models import BODY, ExchangePackage, ExchangePeer
from khoi_desktop.core.exchange.rows import MEMBER_FIELDS, row_json, to_json_value
from khoi_desktop.core.models import (
    Committee,
    CommitteeSeat,
    Member,
    Membership,
    Organization,
    Placement,
    Setting,
    Term,
)
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.tree import load_snapshot

# Settings a grassroots database takes from the office: wording, templates, thresholds, criteria; never the
# sign-in, backup or audit settings of the office.
SHARED_SETTINGS = ("office", "document_templates", "line_compounds", "meeting_criteria", "rating_rules")


def subtree_records(session: Session, code: str, today: dt.date) -> tuple[Organization, list[Record]]:
    """The organization, everything under it, its members and committees as they stand today."""
    snapshot = load_snapshot(session, today)
    node = snapshot.by_code(code)
    if node is None:
        raise OrgNotFound(code)
    if not node.kind.is_tccsd or node.parent_id is not None:
        raise ValidationError(f"{node.name} không phải tổ chức cơ sở đảng trực thuộc Đảng ủy Khối: chỉ đảng bộ cơ sở "
                              "hoặc chi bộ cơ sở mới được cấp gói trao đổi.", code="not_tccsd")
    ids = snapshot.subtree_ids(node.id)
    org = session.get(Organization, node.id)
    assert org is not None
    records: list[Record] = []
    for org_id in ids:
        current = snapshot.nodes[org_id]
        row = session.get(Organization, org_id)
        assert row is not None
        placement = session.scalars(select(Placement).where(Placement.org_id == org_id, Placement.valid_to.is_(None))
                                    ).first()
        records.append(Record("org", {
            **row_json(row, ("code", "name", "kind", "agency", "founded_on", "consent_note")),
            "kind": current.kind.value,
            "parent": snapshot.nodes[current.parent_id].code if org_id != node.id and current.parent_id else None,
            "placed_on": to_json_value(placement.valid_from if placement else row.founded_on)}))
    memberships = session.execute(
        select(Member, Membership, Organization.code).join(Membership, Membership.member_id == Member.id)
        .join(Organization, Organization.id == Membership.org_id)
        .where(Membership.org_id.in_(ids), Membership.valid_to.is_(None)).order_by(Member.code)).all()
    for member, membership, org_code in memberships:
        records.append(Record("member", {**row_json(member, MEMBER_FIELDS), "org": org_code,
                                         "joined_on": to_json_value(membership.valid_from),
                                         "start_reason": membership.start_reason}))
    committees = session.execute(
        select(Committee, Organization.code).join(Organization, Organization.id == Committee.org_id)
        .where(Committee.org_id.in_(ids), or_(Committee.ends_on.is_(None), Committee.ends_on > today))).all()
    for committee, org_code in committees:
        records.append(Record("committee", {**row_json(committee, ("term", "size", "starts_on", "ends_on")),
                                            "org": org_code}))
    seats = session.execute(
        select(CommitteeSeat, Organization.code, Member.code)
        .join(Organization, Organization.id == CommitteeSeat.org_id)
        .join(Member, Member.id == CommitteeSeat.member_id)
        .where(CommitteeSeat.org_id.in_(ids), CommitteeSeat.valid_to.is_(None))).all()
    for seat, org_code, member_code in seats:
        records.append(Record("seat", {**row_json(seat, ("role", "term", "valid_from")), "org": org_code,
                                       "member": member_code}))
    return org, records


def enroll(session: Session, code: str, *, passphrase: str, actor: str, today: dt.date,
           now: dt.datetime | None = None) -> tuple[bytes, str]:
    """The starter package of the body `code` and the fingerprint of its new signing key.

    Enrolling a body again makes new keys: its old ones are revoked (a package signed with them is refused).
    """
    require(session, Permission.SETTINGS)
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(f"Mật khẩu của gói khởi tạo phải dài ít nhất {MIN_PASSPHRASE} ký tự: gói chứa khóa "
                              "riêng của tổ chức.", code="weak_passphrase")
    now = (now or dt.datetime.now()).replace(microsecond=0)
    settings = load_settings(session)
    office = office_self(session, settings.issuing_body_short, actor)
    org, records = subtree_records(session, code, today)
    old = body_peer(session, code)
    if old is not None:
        old.revoked_at = now
    keys = new_key_pair()
    peer = ExchangePeer(role=BODY, code=org.code, name=org.name, sign_public=keys.public.sign,
                        box_public=keys.public.box, is_self=False, enrolled_at=now, enrolled_by=actor)
    session.add(peer)
    shared = {row.key: row.value for row in session.scalars(select(Setting).where(Setting.key.in_(SHARED_SETTINGS)))}
    terms = [row_json(t, ("name", "starts_on", "ends_on")) for t in session.scalars(select(Term))]
    identity: dict[str, Any] = {
        "body": {"code": org.code, "name": org.name, "sign_public": keys.public.sign, "box_public": keys.public.box,
                 "sign_private": keys.sign_private, "box_private": keys.box_private},
        "office": {"name": office.name, "sign_public": office.sign_public, "box_public": office.box_public},
        "as_of": today.isoformat()}
    head = [Record("identity", identity), Record("settings", {"values": shared}), Record("terms", {"terms": terms})]
    data = write_package(kind="starter", sender=party(office), receiver=Party(org.code, org.name), sequence=0,
                         records=head + records, keys=key_pair(office), passphrase=passphrase, now=now)
    session.add(ExchangePackage(package_id=_package_id(data), direction="out", kind="starter", peer_code=org.code,
                                sequence=0, sha256=_sha(data), created_at=now, handled_at=now, handled_by=actor,
                                records=len(head) + len(records), attachments=0))
    session.flush()
    record(session, actor=actor, action="exchange.enroll", target=f"{org.code} – {org.name}",
           after={"key": keys.public.fingerprint, "revoked": old is not None, "records": len(records)})
    return data, keys.public.fingerprint


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _package_id(data: bytes) -> str:
    from khoi_desktop.core.exchange.container import open_package

    return open_package(data).envelope.package_id
