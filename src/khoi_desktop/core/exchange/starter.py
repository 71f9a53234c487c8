"""A grassroots database made from its starter package: the body's subtree, members, committees, the office's
settings and templates, the body's own keys and the office's public keys. It opens in grassroots mode."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.exchange.container import PackageRefused, Record, open_package, unseal, verify
from khoi_desktop.core.exchange.keys import PublicKeys
from khoi_desktop.core.exchange.models import BODY, OFFICE, ExchangePackage, ExchangePeer
from khoi_desktop.core.exchange.rows import column_values
from khoi_desktop.core.exchange.state import remember_members
from khoi_desktop.core.models import (
    Committee,
    CommitteeSeat,
    Member,
    Membership,
    Organization,
    OrgKind,
    Placement,
    Setting,
    Term,
)
from khoi_desktop.core.text import fold, name_sort_key


@dataclass(frozen=True)
class Started:
    code: str
    name: str
    office: str
    office_key: str  # fingerprint, to compare by telephone with the office's
    orgs: int
    members: int


def read_starter(data: bytes, passphrase: str, file_name: str) -> tuple[list[Record], dict[str, Any], str]:
    opened = open_package(data, file_name)
    if opened.envelope.kind != "starter":
        raise PackageRefused(f"Tệp {file_name} là {opened.envelope.label}, không phải gói khởi tạo: hãy dùng gói "
                             "khởi tạo mà Văn phòng Đảng ủy Khối cấp.", code="not_starter")
    records = unseal(opened, passphrase=passphrase)
    identity = next((r.data for r in records if r.kind == "identity"), None)
    if identity is None:
        raise PackageRefused(f"Gói {file_name} thiếu phần định danh: không dùng được.", code="not_starter")
    office = PublicKeys(identity["office"]["sign_public"], identity["office"]["box_public"])
    verify(opened, office, identity["office"]["name"])
    if identity["body"]["code"] != opened.envelope.receiver.code:
        raise PackageRefused(f"Gói {file_name} có phần định danh không khớp với người nhận: không dùng được.",
                             code="package_tampered")
    return records, identity, opened.envelope.package_id


def init_grassroots(session: Session, data: bytes, *, passphrase: str, key_passphrase: str, actor: str,
                    file_name: str, now: dt.datetime | None = None) -> Started:
    """Fill an empty database from the starter package (one transaction: the caller's). The body's private keys
    are kept wrapped with `key_passphrase` (core/exchange/key_lock.py), never in plain."""
    from khoi_desktop.core.exchange.key_lock import check_new_passphrase, seal_keys

    check_new_passphrase(key_passphrase)
    if key_passphrase == passphrase:
        raise ValidationError("Mật khẩu bảo vệ khóa của đơn vị phải khác mật khẩu của gói khởi tạo (Văn phòng biết "
                              "mật khẩu gói): hãy chọn một mật khẩu riêng của đơn vị.", code="weak_passphrase")
    if session.scalar(select(Organization.id).limit(1)) is not None:
        raise ValidationError(f"Tệp {file_name} đã có dữ liệu: cơ sở dữ liệu của tổ chức cơ sở chỉ được tạo trong "
                              "một tệp mới.", code="file_exists")
    records, identity, package_id = read_starter(data, passphrase, file_name)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for item in records:
        by_kind.setdefault(item.kind, []).append(item.data)
    for key, value in by_kind["settings"][0]["values"].items():
        session.add(Setting(key=key, value=value))
    for term in by_kind["terms"][0]["terms"]:
        session.add(Term(**column_values(Term, term)))
    orgs: dict[str, Organization] = {}
    for data_org in by_kind.get("org", []):
        org = Organization(**column_values(Organization, {k: v for k, v in data_org.items() if k not in (
            "parent", "placed_on")}), name_key=fold(data_org["name"]))
        org.kind = OrgKind(data_org["kind"])
        session.add(org)
        orgs[org.code] = org
    session.flush()
    for data_org in by_kind.get("org", []):
        parent = orgs[data_org["parent"]] if data_org.get("parent") else None
        session.add(Placement(org_id=orgs[data_org["code"]].id, parent_id=parent.id if parent else None,
                              valid_from=dt.date.fromisoformat(data_org["placed_on"])))
    members: dict[str, Member] = {}
    for data_member in by_kind.get("member", []):
        values = column_values(Member, data_member)
        member = Member(**values, search_key=fold(" ".join(p for p in (values["family_name"], values["middle_name"],
                                                                          values["given_name"]) if p)),
                        sort_key=name_sort_key(values["family_name"], values["middle_name"], values["given_name"]))
        session.add(member)
        members[member.code] = member
    session.flush()
    for data_member in by_kind.get("member", []):
        session.add(Membership(member_id=members[data_member["code"]].id, org_id=orgs[data_member["org"]].id,
                               valid_from=dt.date.fromisoformat(data_member["joined_on"]),
                               start_reason=data_member.get("start_reason")))
    for committee in by_kind.get("committee", []):
        session.add(Committee(org_id=orgs[committee["org"]].id, **column_values(Committee, committee)))
    for seat in by_kind.get("seat", []):
        session.add(CommitteeSeat(org_id=orgs[seat["org"]].id, member_id=members[seat["member"]].id,
                                  **column_values(CommitteeSeat, {k: v for k, v in seat.items() if k != "org"})))
    body, office = identity["body"], identity["office"]
    session.add(ExchangePeer(role=BODY, code=body["code"], name=body["name"], sign_public=body["sign_public"],
                             box_public=body["box_public"], is_self=True, enrolled_at=now, enrolled_by=actor,
                             sealed_keys=seal_keys(body["code"], body["sign_private"], body["box_private"],
                                                   key_passphrase)))
    session.add(ExchangePeer(role=OFFICE, code=None, name=office["name"], sign_public=office["sign_public"],
                             box_public=office["box_public"], is_self=False, enrolled_at=now, enrolled_by=actor))
    session.add(ExchangePackage(package_id=package_id, direction="in", kind="starter", peer_code=None, sequence=0,
                                sha256=hashlib.sha256(data).hexdigest(), created_at=now, handled_at=now,
                                handled_by=actor, records=len(records), attachments=0))
    session.flush()
    remember_members(session, now)
    started = Started(body["code"], body["name"], office["name"], PublicKeys(office["sign_public"],
                                                                               office["box_public"]).fingerprint,
                      len(orgs), len(members))
    record(session, actor=actor, action="exchange.init", target=f"{body['code']} – {body['name']}",
           after={"office_key": started.office_key, "orgs": started.orgs, "members": started.members})
    return started

