"""The upward package (grassroots → office): the body's decisions with their signed copies, its submissions
(tờ trình), its chi bộ's meetings, its ratings of the year, and its changes to member records, each only once
or when changed since it was last sent."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.exchange.container import Record, write_package
from khoi_desktop.core.exchange.identity import key_pair, last_sequence, office_peer, party, public_keys, self_peer
from khoi_desktop.core.exchange.models import BODY, ExchangePackage
from khoi_desktop.core.exchange.rows import digest
from khoi_desktop.core.exchange.state import (
    MEMBER_BASE,
    SENT_DECISION,
    SENT_MEETING,
    SENT_RATING,
    SENT_SUBMISSION,
    member_record,
    remember,
    stored,
)
from khoi_desktop.core.meetings.models import Meeting
from khoi_desktop.core.meetings.recording import stored_view
from khoi_desktop.core.models import Decision, DecisionStatus, Member, Organization


def meeting_json(view: dict[str, Any]) -> dict[str, Any]:
    """A stored meeting (recording.stored_view) in the shape meeting_from_json reads."""
    keys = ("org", "kind", "month", "planned_on", "held_on", "topic", "chair", "summary", "resolutions", "scores")
    data = {key: view.get(key) for key in keys}
    data["attendance"] = [{"member": code, "status": status, "reason": reason}
                          for code, (status, reason) in sorted(view.get("attendance", {}).items())]
    return data


def _with_codes(node: Any, codes: dict[str, str]) -> Any:
    """The request with the codes the body gave its new organizations, so the office founds them under the
    same codes (the next free code at the office could differ)."""
    if isinstance(node, dict):
        out = {key: _with_codes(value, codes) for key, value in node.items()}
        if isinstance(out.get("name"), str) and not out.get("code") and out["name"] in codes:
            out["code"] = codes[out["name"]]
        return out
    if isinstance(node, list):
        return [_with_codes(item, codes) for item in node]
    return node


def decision_record(session: Session, decision: Decision, body_code: str) -> Record:
    request = json.loads(decision.request or "{}")
    founded = {name: code for name, code in session.execute(
        select(Organization.name, Organization.code).where(Organization.founded_by_id == decision.id))}
    request = _with_codes(request, founded)
    assert decision.issued_on is not None and decision.code is not None
    request["issuer"] = body_code
    request["recorded"] = {"number": decision.code, "signed_on": decision.issued_on.isoformat(),
                           "signer": decision.signer or ""}
    request["effective"] = (decision.effective_on or decision.issued_on).isoformat()
    return Record("decision", {"code": decision.code, "subject": decision.subject, "action": decision.action,
                               "issued_on": decision.issued_on.isoformat(), "request": request}, decision.pdf)


def pending_records(session: Session) -> tuple[list[Record], list[tuple[str, str, Any]]]:
    """What is new or changed since the last package, and the state to remember once it is sent."""
    me = self_peer(session)
    assert me is not None and me.code is not None
    own = session.scalar(select(Organization.id).where(Organization.code == me.code))
    records: list[Record] = []
    remembered: list[tuple[str, str, Any]] = []
    sent = stored(session, SENT_DECISION)
    for decision in session.scalars(select(Decision).where(
            Decision.issuer_id == own, Decision.status == DecisionStatus.ISSUED).order_by(Decision.issued_on,
                                                                                            Decision.id)):
        if decision.code not in sent:
            records.append(decision_record(session, decision, me.code))
            remembered.append((SENT_DECISION, str(decision.code), {"id": decision.id}))
    sent = stored(session, SENT_MEETING)
    for meeting_id, in session.execute(select(Meeting.id).order_by(Meeting.month, Meeting.org_id, Meeting.kind)):
        data = meeting_json(stored_view(session, meeting_id))
        key = f"{data['org']}|{data['month']}|{data['kind']}"
        if key not in sent or sent[key].digest != digest(data):
            records.append(Record("meeting", data))
            remembered.append((SENT_MEETING, key, data))
    sent = stored(session, SENT_SUBMISSION)
    from khoi_desktop.core.exchange.submissions import submission_records

    for submission in submission_records(session, me.code):
        key = f"{submission.data['number']}|{submission.data['dated_on']}"
        if key not in sent:
            records.append(submission)
            remembered.append((SENT_SUBMISSION, key, submission.data))
    sent = stored(session, SENT_RATING)
    from khoi_desktop.core.exchange.ratings import rating_records

    for rating in rating_records(session, me.code):
        key = str(rating.data["year"])
        if key not in sent or sent[key].digest != digest(rating.data):
            records.append(rating)
            remembered.append((SENT_RATING, key, rating.data))
    base = stored(session, MEMBER_BASE)
    for member in session.scalars(select(Member).order_by(Member.code)):
        now_data = member_record(member)
        known = base.get(member.code)
        if known is not None and known.digest != digest(now_data):
            before = json.loads(known.data or "{}")
            changed = sorted(key for key in now_data if now_data[key] != before.get(key))
            records.append(Record("member", {"code": member.code, "fields": changed,
                                             "before": {k: before.get(k) for k in changed},
                                             "after": {k: now_data[k] for k in changed}}))
            remembered.append((MEMBER_BASE, member.code, now_data))
    return records, remembered


def export_up(session: Session, code: str, *, actor: str, key_passphrase: str | None = None,
              now: dt.datetime | None = None) -> tuple[bytes, int]:
    """The body's next package to the office (signed with its key, unwrapped with `key_passphrase`, sealed to the
    office's) and its number."""
    require(session, Permission.IMPORT)  # the clerk's role, like importing
    me = self_peer(session)
    if me is None or me.role != BODY:
        raise ValidationError("Cơ sở dữ liệu này chưa được khởi tạo từ gói của Văn phòng Đảng ủy Khối: chưa gửi "
                              "báo cáo lên được.", code="not_enrolled")
    if me.code != code:
        raise ValidationError(f"Cơ sở dữ liệu này là của {me.name} ({me.code}): chỉ xuất gói của {me.code}.",
                              code="wrong_org")
    office = office_peer(session)
    assert office is not None
    keys = key_pair(me, passphrase=key_passphrase)  # first: a wrong passphrase refuses before anything is read
    now = (now or dt.datetime.now()).replace(microsecond=0)
    records, remembered = pending_records(session)
    sequence = (last_sequence(session, "out", office) or 0) + 1
    data = write_package(kind="up", sender=party(me), receiver=party(office), sequence=sequence, records=records,
                         keys=keys, seal_to=public_keys(office), now=now)
    from khoi_desktop.core.exchange.container import open_package

    session.add(ExchangePackage(package_id=open_package(data).envelope.package_id, direction="out", kind="up",
                                peer_code=None, sequence=sequence, sha256=hashlib.sha256(data).hexdigest(),
                                created_at=now, handled_at=now, handled_by=actor, records=len(records),
                                attachments=sum(len(r.hashes()) for r in records)))
    for kind, key, value in remembered:
        remember(session, kind, key, value, now)
    session.flush()
    by_kind: dict[str, int] = {}
    for item in records:
        by_kind[item.kind] = by_kind.get(item.kind, 0) + 1
    record(session, actor=actor, action="exchange.export", target=f"gói báo cáo lên số {sequence}",
           after={"records": len(records), "by_kind": by_kind})
    return data, sequence
