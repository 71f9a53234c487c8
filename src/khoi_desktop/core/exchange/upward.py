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
from khoi_desktop.core.models import Decision, DecisionStatus, Member, Membership, MoveReason, Organization
from khoi_desktop.core.text import fold


def meeting_json(view: dict[str, Any]) -> dict[str, Any]:
    """A stored meeting (recording.stored_view) in the shape meeting_from_json reads."""
    keys = ("org", "kind", "month", "planned_on", "held_on", "topic", "chair", "summary", "resolutions", "scores")
    data = {key: view.get(key) for key in keys}
    data["attendance"] = [{"member": code, "status": status, "reason": reason}
                          for code, (status, reason) in sorted(view.get("attendance", {}).items())]
    return data


# What a member's decisions set (admission, recognition, exemption, re-admission): they travel with the
# decision itself, not again as a change of the member's record.
DECIDED_FIELDS = ("admitted_on", "full_member_on", "exempt_since", "exempt_until", "party_age_from",
                  "party_age_gap_days")


def _person_key(data: dict[str, Any]) -> tuple[str, str] | None:
    names = [data.get(k) for k in ("family_name", "middle_name", "given_name")]
    if not isinstance(data.get("birth_date"), str) or not all(isinstance(n, str) for n in names):
        return None
    return fold(" ".join(n for n in names if n)), data["birth_date"]


def with_codes(node: Any, codes: dict[str, str], people: dict[tuple[str, str], str]) -> Any:
    """The request with the codes the body gave its new organizations and the members it admitted, so the
    office founds and admits them under the same codes (the next free code at the office could differ)."""
    if isinstance(node, dict):
        out = {key: with_codes(value, codes, people) for key, value in node.items()}
        if isinstance(out.get("name"), str) and not out.get("code") and out["name"] in codes:
            out["code"] = codes[out["name"]]
        person = _person_key(out)
        if person is not None and not out.get("code") and person in people:
            out["code"] = people[person]
        return out
    if isinstance(node, list):
        return [with_codes(item, codes, people) for item in node]
    return node


def admitted_codes(session: Session, decision: Decision) -> dict[tuple[str, str], str]:
    """(folded full name, ISO birth date) -> code of each member the decision admitted here."""
    rows = session.execute(select(Member.search_key, Member.birth_date, Member.code).join(
        Membership, Membership.member_id == Member.id).where(Membership.decision_id == decision.id,
                                                             Membership.start_reason == MoveReason.KET_NAP))
    return {(key, born.isoformat()): code for key, born, code in rows if born is not None}


def decision_record(session: Session, decision: Decision, body_code: str) -> Record:
    request = json.loads(decision.request or "{}")
    founded = {name: code for name, code in session.execute(
        select(Organization.name, Organization.code).where(Organization.founded_by_id == decision.id))}
    request = with_codes(request, founded, admitted_codes(session, decision))
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
    decided: list[int] = []
    for decision in session.scalars(select(Decision).where(
            Decision.issuer_id == own, Decision.status == DecisionStatus.ISSUED).order_by(Decision.issued_on,
                                                                                            Decision.id)):
        if decision.code not in sent:
            records.append(decision_record(session, decision, me.code))
            remembered.append((SENT_DECISION, str(decision.code), {"id": decision.id}))
            decided.append(decision.id)
    touched = _members_decided(session, decided)
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
        before = json.loads(known.data or "{}") if known is not None else _as_admitted(session, member, now_data)
        if digest(before) != digest(now_data):
            changed = sorted(key for key in now_data if now_data[key] != before.get(key)
                             and not (member.id in touched and key in DECIDED_FIELDS))
            if changed:
                records.append(Record("member", {"code": member.code, "fields": changed,
                                                 "before": {k: before.get(k) for k in changed},
                                                 "after": {k: now_data[k] for k in changed}}))
            remembered.append((MEMBER_BASE, member.code, now_data))
    return records, remembered


def _as_admitted(session: Session, member: Member, now_data: dict[str, Any]) -> dict[str, Any]:
    """A member admitted here has no record as of the last exchange: the record the admission decision gives
    the office stands for it (the person as in the request, the decided dates), so what was changed since
    travels as a change."""
    request = session.scalar(select(Decision.request).join(Membership, Membership.decision_id == Decision.id).where(
        Membership.member_id == member.id, Membership.start_reason == MoveReason.KET_NAP))
    if request is None:
        return now_data
    data = json.loads(request)
    people = ([data["person"]] if isinstance(data.get("person"), dict) else []) + list(data.get("people") or [])
    key = (member.search_key, member.birth_date.isoformat() if member.birth_date else None)
    person = next((p for p in people if _person_key(p) == key), None)
    if person is None:
        return now_data
    return {k: (now_data[k] if k in ("code", *DECIDED_FIELDS) else person.get(k)) for k in now_data}


def _members_decided(session: Session, decision_ids: list[int]) -> set[int]:
    """The members whose records the decisions about to be sent changed (events and memberships)."""
    if not decision_ids:
        return set()
    from khoi_desktop.core.member_events.models import MemberEvent

    return set(session.scalars(select(MemberEvent.member_id).where(MemberEvent.decision_id.in_(decision_ids)))) | \
        set(session.scalars(select(Membership.member_id).where(Membership.decision_id.in_(decision_ids))))


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
