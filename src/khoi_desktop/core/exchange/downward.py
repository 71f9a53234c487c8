"""The downward package (office → grassroots): the office's decisions concerning that body (their PDFs), its
subtree as the office holds it, the office's answers to the items it reviewed, notices or guidance documents
(PDF), and the return workbooks to fill in (this month's meetings, the year's ratings). At the grassroots
nothing of it overwrites the body's own records: the decisions, documents and workbooks are kept to read or
save, and the office's subtree is compared with the body's and the differences shown."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.exchange.container import Envelope, Opened, PackageRefused, Record, open_package, write_package
from khoi_desktop.core.exchange.enroll import subtree_records
from khoi_desktop.core.exchange.identity import (
    body_peer,
    in_grassroots_mode,
    key_pair,
    last_sequence,
    office_peer,
    party,
    public_keys,
    self_peer,
)
from khoi_desktop.core.exchange.models import OFFICE, ExchangeItem, ExchangePackage, ExchangePeer
from khoi_desktop.core.exchange.preview import Preview
from khoi_desktop.core.exchange.state import remember, stored
from khoi_desktop.core.models import (
    CommitteeSeat,
    Decision,
    DecisionStatus,
    Member,
    Membership,
    Organization,
    Placement,
)
from khoi_desktop.core.text import show_date
from khoi_desktop.core.tree import load_snapshot

SENT_DOWN = "sent_down_decision"
ANSWERED = "answered_item"
RECEIVED = "received"
PENDING = "pending"  # an office decision the body records (review: accept)
SUBTREE_KINDS = ("org", "member", "committee", "seat")


def _decisions_concerning(session: Session, org_ids: list[int]) -> list[Decision]:
    ids: set[int] = set()
    links = ((Organization.founded_by_id, Organization.id), (Organization.ended_by_id, Organization.id),
             (Organization.consent_decision_id, Organization.id), (Placement.decision_id, Placement.org_id),
             (Membership.decision_id, Membership.org_id), (CommitteeSeat.decision_id, CommitteeSeat.org_id))
    for column, owner in links:
        ids |= {i for i in session.scalars(select(column).where(owner.in_(org_ids))) if i is not None}
    return list(session.scalars(select(Decision).where(
        Decision.id.in_(ids), Decision.issuer_id.is_(None), Decision.status == DecisionStatus.ISSUED)
        .order_by(Decision.issued_on, Decision.id)))


def _after_enrollment(decision: Decision, peer: ExchangePeer) -> bool:
    """Issued after the body's starter package was made (whose subtree already shows what came before)."""
    assert decision.issued_on is not None
    return decision.created_at >= peer.enrolled_at or decision.issued_on > peer.enrolled_at.date()


def office_request(session: Session, decision: Decision) -> dict[str, Any]:
    """The office's request as the grassroots records it: the codes the office gave the organizations it
    founded and the members it admitted, the number, signing date and signer it carries."""
    from khoi_desktop.core.exchange.upward import admitted_codes, with_codes

    request = json.loads(decision.request or "{}")
    founded = {name: code for name, code in session.execute(
        select(Organization.name, Organization.code).where(Organization.founded_by_id == decision.id))}
    request = with_codes(request, founded, admitted_codes(session, decision))
    assert decision.issued_on is not None
    request.pop("issuer", None)
    request["recorded"] = {"number": decision.code, "signed_on": decision.issued_on.isoformat(),
                           "signer": decision.signer or ""}
    request["effective"] = (decision.effective_on or decision.issued_on).isoformat()
    return request


def export_down(session: Session, code: str, *, actor: str, today: dt.date,
                documents: list[tuple[str, bytes]] | None = None,
                returns: list[tuple[str, str, bytes]] | None = None,
                now: dt.datetime | None = None) -> tuple[bytes, int]:
    """The office's next package to the body `code` (signed with the office's key, sealed to the body's).

    `documents`: notices and guidance, (title, PDF); `returns`: the return workbooks to fill in (the month's
    meetings, the year's ratings), (title, file name, xlsx), made by the face that exports.
    """
    require(session, Permission.IMPORT)  # the clerk's role, like importing
    me = self_peer(session)
    if me is not None and me.role != OFFICE:
        raise in_grassroots_mode(me.name)
    peer = body_peer(session, code)
    if me is None or peer is None:
        raise ValidationError(f"{code} chưa được cấp gói khởi tạo: hãy cấp gói (exchange … enroll) trước.",
                              code="not_enrolled")
    now = (now or dt.datetime.now()).replace(microsecond=0)
    org, records = subtree_records(session, code, today)
    snapshot = load_snapshot(session, today, include_ended=True)
    node = snapshot.by_code(code)
    assert node is not None
    remembered: list[tuple[str, str, Any]] = []
    sent = stored(session, SENT_DOWN)
    for decision in _decisions_concerning(session, snapshot.subtree_ids(node.id)):
        key = f"{code}|{decision.id}"
        if key in sent or decision.pdf is None or decision.issued_on is None:
            continue
        data: dict[str, Any] = {"code": decision.code, "subject": decision.subject,
                                "issued_on": decision.issued_on.isoformat(), "action": decision.action}
        if _after_enrollment(decision, peer):  # its effects are not in the starter package: the body records it
            data["request"] = office_request(session, decision)
        records.append(Record("decision", data, decision.pdf))
        remembered.append((SENT_DOWN, key, {"id": decision.id}))
    answered = stored(session, ANSWERED)
    for item in session.scalars(select(ExchangeItem).join(ExchangePackage).where(
            ExchangePackage.peer_code == code, ExchangeItem.status.in_(("accepted", "returned")))
            .order_by(ExchangeItem.id)):
        if str(item.id) in answered:
            continue
        records.append(Record("answer", {"status": item.status, "title": item.title, "ref": item.ref,
                                         "reason": item.reason, "result": item.result}))
        remembered.append((ANSWERED, str(item.id), {"status": item.status}))
    for title, pdf in documents or []:
        if not pdf.startswith(b"%PDF-"):
            raise ValidationError(f"Văn bản gửi kèm «{title}» không phải tệp PDF.", code="not_pdf")
        records.append(Record("document", {"title": title, "file_name": f"{title}.pdf"}, pdf))
    for title, file_name, workbook in returns or []:
        records.append(Record("return", {"title": title, "file_name": file_name}, workbook))
    # Whether its đảng ủy is authorized to admit members today: the body's copy of the office's list follows it.
    from khoi_desktop.core.settings import load_settings

    records.append(Record("authorization", {"admitting": code in load_settings(session).admitting_bodies}))
    sequence = (last_sequence(session, "out", peer) or 0) + 1
    package = write_package(kind="down", sender=party(me), receiver=party(peer), sequence=sequence, records=records,
                         keys=key_pair(me), seal_to=public_keys(peer), now=now)
    session.add(ExchangePackage(package_id=open_package(package).envelope.package_id, direction="out", kind="down",
                                peer_code=code, sequence=sequence, sha256=hashlib.sha256(package).hexdigest(),
                                created_at=now, handled_at=now, handled_by=actor, records=len(records),
                                attachments=sum(r.attachment is not None for r in records)))
    for kind, key, value in remembered:
        remember(session, kind, key, value, now)
    session.flush()
    record(session, actor=actor, action="exchange.export", target=f"gói gửi xuống số {sequence} cho {org.code} – "
                                                                   f"{org.name}", after={"records": len(records)})
    return package, sequence


# --- at the grassroots ----------------------------------------------------------------------------------

def check_downward(session: Session, me: ExchangePeer, envelope: Envelope) -> ExchangePeer:
    if envelope.kind != "down" or envelope.receiver.code != me.code:
        raise PackageRefused(f"{envelope.label[:1].upper()}{envelope.label[1:]} gửi cho "
                             f"{envelope.receiver.name or 'nơi khác'}, không phải cho {me.name}: không nhập gì.",
                             code="package_not_for_us")
    office = office_peer(session)
    if office is None or envelope.sender.code is not None:
        raise PackageRefused(f"{envelope.label[:1].upper()}{envelope.label[1:]} không do Văn phòng Đảng ủy Khối gửi: "
                             "gói lạ, không nhập gì.", code="package_foreign")
    return office


def subtree_differences(session: Session, records: list[Record], today: dt.date) -> list[str]:
    """How the office's view of the subtree differs from this database's, one line each."""
    snapshot = load_snapshot(session, today)
    ours = {n.code: (n.name, snapshot.parent_code(n)) for n in snapshot.nodes.values()}
    theirs = {r.data["code"]: (r.data["name"], r.data.get("parent")) for r in records if r.kind == "org"}
    lines = [f"Văn phòng có {theirs[c][0]} ({c}), ở cơ sở không có." for c in sorted(set(theirs) - set(ours))]
    lines += [f"Ở cơ sở có {ours[c][0]} ({c}), Văn phòng chưa có." for c in sorted(set(ours) - set(theirs))]
    for c in sorted(set(ours) & set(theirs)):
        if ours[c][0] != theirs[c][0]:
            lines.append(f"{c}: tên ở cơ sở «{ours[c][0]}», ở Văn phòng «{theirs[c][0]}».")
        elif ours[c][1] != theirs[c][1]:
            lines.append(f"{c}: trực thuộc {ours[c][1] or 'Đảng ủy Khối'} ở cơ sở, {theirs[c][1] or 'Đảng ủy Khối'} "
                         "ở Văn phòng.")
    where: dict[str, str] = dict(session.execute(select(Member.code, Organization.code)  # type: ignore[arg-type]
                                 .join(Membership, Membership.member_id == Member.id)
                                 .join(Organization, Organization.id == Membership.org_id)
                                 .where(Membership.valid_from <= today,
                                        or_(Membership.valid_to.is_(None), Membership.valid_to > today))).all())
    for r in records:
        if r.kind == "member" and where.get(r.data["code"]) != r.data.get("org"):
            name = " ".join(p for p in (r.data.get("family_name"), r.data.get("middle_name"), r.data.get("given_name"))
                            if p)
            here = where.get(r.data["code"]) or "(không có)"
            lines.append(f"Đảng viên {name} ({r.data['code']}): ở cơ sở thuộc {here}, ở Văn phòng thuộc "
                         f"{r.data.get('org')}.")
    return lines


def subtree_preview(differences: list[str]) -> Preview:
    return Preview("Tổ chức và đảng viên theo số liệu của Văn phòng", "subtree",
                   differences or ["Khớp với số liệu ở cơ sở."],
                   conflict={"message": "Số liệu ở cơ sở và ở Văn phòng khác nhau.", "office": None,
                             "package": None, "differences": differences} if differences else None)


def _preview(session: Session, item: Record, today: dt.date) -> Preview:
    data = item.data
    if item.kind == "decision":
        issued = show_date(dt.date.fromisoformat(data["issued_on"]))
        title = f"Quyết định số {data['code']} ngày {issued} của Ban Thường vụ {data['subject']}"
        if "request" not in data:
            return Preview(title, str(data["code"]))
        from khoi_desktop.core.exchange.preview import preview_decision

        shown = preview_decision(session, data, "", today)
        shown.title = title
        return shown
    if item.kind == "document":
        return Preview(f"Văn bản: {data['title']}", str(data["title"])[:200])
    if item.kind == "return":
        return Preview(f"Mẫu báo cáo: {data['title']}", str(data.get("file_name") or "")[:200])
    if item.kind == "answer":
        verdict = "đã chấp nhận" if data["status"] == "accepted" else "đã trả lại"
        changes = [f"Lý do: {data['reason']}"] if data.get("reason") else []
        return Preview(f"Văn phòng {verdict}: {data['title']}", str(data.get("ref") or ""), changes)
    return Preview(f"Mục loại «{item.kind}» phần mềm chưa biết", item.kind)


def _authorization(session: Session, me: ExchangePeer, record: Record) -> Preview | None:
    """The office's authorization to admit, when it is not what this database has (None: nothing changes)."""
    from khoi_desktop.core.authority import committee_name
    from khoi_desktop.core.settings import load_settings

    admitting = bool(record.data.get("admitting"))
    if admitting == (me.code in load_settings(session).admitting_bodies):
        return None
    body = committee_name(me.name)
    if admitting:
        return Preview(f"Văn phòng đã ủy quyền kết nạp đảng viên cho {body}", "authorization",
                       ["Từ nay đảng ủy quyết định kết nạp, công nhận đảng viên chính thức, miễn sinh hoạt … cho các "
                        "chi bộ trực thuộc."])
    return Preview(f"Văn phòng đã thôi ủy quyền kết nạp đảng viên cho {body}", "authorization",
                   ["Từ nay việc kết nạp, công nhận đảng viên chính thức … của các chi bộ trực thuộc đề nghị lên "
                    "Đảng ủy Khối."])


def _take_authorization(session: Session, me: ExchangePeer, record: Record) -> None:
    import dataclasses

    from khoi_desktop.core.settings import load_settings, save_settings

    settings = load_settings(session)
    codes = [c for c in settings.admitting_bodies if c != me.code] + ([me.code or ""] if record.data.get("admitting")
                                                                      else [])
    save_settings(session, dataclasses.replace(settings, admitting_bodies=codes))


def take_downward(session: Session, me: ExchangePeer, opened: Opened, records: list[Record], *, actor: str,
                  dry_run: bool, now: dt.datetime | None = None, today: dt.date | None = None) -> Any:
    from khoi_desktop.core.exchange.receive import Imported, ItemView

    today = today or dt.date.today()
    envelope = opened.envelope
    result = Imported(envelope)
    shown: list[tuple[Record | None, Preview]] = []
    for r in records:
        if r.kind == "authorization":
            changed = _authorization(session, me, r)
            if changed is not None:
                shown.append((r, changed))
        elif r.kind not in SUBTREE_KINDS:
            shown.append((r, _preview(session, r, today)))
    differences = subtree_differences(session, records, today)
    shown.append((None, subtree_preview(differences)))
    if dry_run:
        result.items = [ItemView(None, r.kind if r else "subtree", PENDING if r is not None and r.kind == "decision"
                                 and "request" in r.data else RECEIVED, p) for r, p in shown]
        return result
    now = (now or dt.datetime.now()).replace(microsecond=0)
    package = ExchangePackage(package_id=envelope.package_id, direction="in", kind=envelope.kind, peer_code=None,
                              sequence=envelope.sequence, sha256=envelope.sha256, created_at=envelope.created_at,
                              handled_at=now, handled_by=actor, records=len(records),
                              attachments=sum(r.attachment is not None for r in records))
    session.add(package)
    session.flush()
    for position, (item, preview) in enumerate(shown, start=1):
        payload = item.data if item is not None else {"differences": differences}
        status = PENDING if item is not None and item.kind == "decision" and "request" in item.data else RECEIVED
        row = ExchangeItem(package_row_id=package.id, position=position, kind=item.kind if item else "subtree",
                           ref=preview.ref[:200], title=preview.title,
                           payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
                           attachment=item.attachment if item else None,
                           attachment_sha256=item.attachment_sha256 if item else None, status=status,
                           reason="\n".join(preview.changes) if item is not None and item.kind == "answer" else None)
        session.add(row)
        session.flush()
        if item is not None and item.kind == "authorization":
            _take_authorization(session, me, item)
        result.items.append(ItemView(row.id, row.kind, status, preview))
    result.stored = True
    record(session, actor=actor, action="exchange.import", target=envelope.label,
           after={"package": envelope.package_id, "sha256": envelope.sha256, "items": len(records),
                  "differences": len(differences)})
    return result
