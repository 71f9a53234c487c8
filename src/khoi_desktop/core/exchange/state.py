"""At the grassroots: what was last sent up (so a package carries only what is new or changed) and the member
records as of the last exchange (the base that shows who changed a member: this body, the office, or both)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.exchange.models import ExchangeState
from khoi_desktop.core.exchange.rows import MEMBER_FIELDS, digest, row_json
from khoi_desktop.core.models import Member

MEMBER_BASE = "member_base"
SENT_DECISION = "sent_decision"
SENT_MEETING = "sent_meeting"
SENT_RATING = "sent_rating"
SENT_SUBMISSION = "sent_submission"


def stored(session: Session, kind: str) -> dict[str, ExchangeState]:
    return {row.key: row for row in session.scalars(select(ExchangeState).where(ExchangeState.kind == kind))}


def remember(session: Session, kind: str, key: str, data: Any, now: dt.datetime) -> None:
    row = session.get(ExchangeState, (kind, key))
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(ExchangeState(kind=kind, key=key, digest=digest(data), data=text, updated_at=now))
    else:
        row.digest, row.data, row.updated_at = digest(data), text, now


def member_record(member: Member) -> dict[str, Any]:
    return row_json(member, MEMBER_FIELDS)


def remember_members(session: Session, now: dt.datetime) -> None:
    for member in session.scalars(select(Member)):
        remember(session, MEMBER_BASE, member.code, member_record(member), now)
