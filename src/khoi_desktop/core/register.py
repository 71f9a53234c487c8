"""The outgoing register (sổ đăng ký văn bản đi): every issued document with number, date, subject,
signer and recipients; filtered by term, action and date range (the Excel copy: spreadsheets.exports)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.actions import action_label
from khoi_desktop.core.models import Decision, DecisionStatus, Term
from khoi_desktop.core.text import fold


@dataclass(frozen=True)
class RegisterRow:
    id: int
    number: int | None
    code: str | None
    issued_on: dt.date | None
    doc_type: str
    action: str
    subject: str
    signer: str
    recipients: tuple[str, ...]
    term: str | None

    @property
    def action_label(self) -> str:
        return action_label(self.action)


def _recipients(content: str) -> tuple[str, ...]:
    try:
        return tuple(json.loads(content).get("recipients", []))
    except (ValueError, AttributeError):
        return ()


def register_rows(session: Session, *, term: str | None = None, text: str | None = None,
                  action: str | None = None, date_from: dt.date | None = None,
                  date_to: dt.date | None = None) -> list[RegisterRow]:
    # This office's documents only: decisions of a đảng ủy cơ sở it records have their own register
    # (core/registers.py).
    query = select(Decision, Term.name).outerjoin(Term, Term.id == Decision.term_id).where(
        Decision.status == DecisionStatus.ISSUED, Decision.issuer_id.is_(None))
    if term:
        query = query.where(Term.name == term)
    if action:
        query = query.where(Decision.action == action)
    if date_from:
        query = query.where(Decision.issued_on >= date_from)
    if date_to:
        query = query.where(Decision.issued_on <= date_to)
    query = query.order_by(Decision.issued_on, Decision.number, Decision.id)
    needle = fold(text)
    rows = []
    for decision, term_name in session.execute(query):
        row = RegisterRow(decision.id, decision.number, decision.code, decision.issued_on, decision.doc_type,
                          decision.action, decision.subject, decision.signer or "",
                          _recipients(decision.content), term_name)
        if needle and needle not in fold(" ".join([row.code or "", row.subject, row.signer, *row.recipients])):
            continue
        rows.append(row)
    return rows


def term_names(session: Session) -> list[str]:
    return list(session.scalars(select(Term.name).order_by(Term.starts_on.desc())))
