"""Drafts and issued decisions: numbering per document type per committee term, immutability, audit.

Issuing assigns the next number of the decision's type in the term that contains the issue date,
applies the decision's effects and writes the audit trail, all in the caller's one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.current import current_user
from khoi_desktop.core.auth.permissions import Permission, allowed, require
from khoi_desktop.core.decision_content import DecisionContent, PrintInfo
from khoi_desktop.core.errors import DecisionNotFound, ValidationError
from khoi_desktop.core.models import Decision, DecisionStatus, Term
from khoi_desktop.core.text import show_date

# What issuing a decision changes in the office: (session, decision, effective date) -> None.
Effect = Callable[[Session, Decision, dt.date], None]
# Renders the immutable PDF at issue (the documents package's party format; the face that issues hands it in).
PdfRenderer = Callable[[DecisionContent, PrintInfo], bytes]


@dataclass(frozen=True)
class DecisionSummary:
    id: int
    code: str | None
    number: int | None
    status: str
    type: str
    action: str
    subject: str
    issued_on: dt.date | None
    term: str | None
    signer: str | None


def summary(decision: Decision) -> DecisionSummary:
    return DecisionSummary(decision.id, decision.code, decision.number, decision.status.value, decision.doc_type,
                           decision.action, decision.subject, decision.issued_on,
                           decision.term.name if decision.term else None, decision.signer)


def create_draft(session: Session, *, action: str, content: DecisionContent, request_json: str | None,
                 effective_on: dt.date | None, actor: str) -> Decision:
    require(session, Permission.DRAFT_ISSUE)
    decision = Decision(
        doc_type=content.header.doc_type_code, action=action, status=DecisionStatus.DRAFT,
        subject=content.subject, content=content.to_json(), request=request_json,
        signer=content.signature.name, effective_on=effective_on, created_at=dt.datetime.now().replace(microsecond=0),
    )
    session.add(decision)
    session.flush()
    record(session, actor=actor, action="decision.draft", target=f"decision:{decision.id}",
           after={"action": action, "subject": decision.subject})
    return decision


def find_decision(session: Session, ref: str | int) -> Decision:
    """A decision by id ('12') or code ('12-QĐ/ĐUK'); among equal codes the newest term's."""
    text = str(ref).strip()
    decision = None
    if text.isdigit():
        decision = session.get(Decision, int(text))
    else:
        decision = session.scalars(
            select(Decision).where(Decision.code == text).order_by(Decision.issued_on.desc())
        ).first()
    if decision is None:
        raise DecisionNotFound(text)
    require_readable(session, decision)
    return decision


def require_readable(session: Session, decision: Decision) -> None:
    """Drafts (and discarded ones) are for the roles that draft; issued decisions are for every role."""
    if decision.status is not DecisionStatus.ISSUED:
        require(session, Permission.VIEW_DRAFTS)


def _require_draft(decision: Decision) -> None:
    if decision.status is DecisionStatus.ISSUED:
        raise ValidationError(f"Quyết định số {decision.code} đã ban hành, không thể sửa hay hủy; "
                              "muốn đính chính phải ban hành quyết định mới.", code="decision_issued")
    if decision.status is DecisionStatus.DISCARDED:
        raise ValidationError(f"Dự thảo số {decision.id} đã bị hủy.", code="decision_discarded")


def update_draft(session: Session, decision: Decision, content: DecisionContent, actor: str) -> None:
    require(session, Permission.DRAFT_ISSUE)
    _require_draft(decision)
    before = decision.subject
    decision.content = content.to_json()
    decision.subject = content.subject
    decision.signer = content.signature.name
    record(session, actor=actor, action="decision.edit", target=f"decision:{decision.id}",
           before={"subject": before}, after={"subject": decision.subject})


def discard_draft(session: Session, decision: Decision, actor: str) -> None:
    require(session, Permission.DRAFT_ISSUE)
    _require_draft(decision)
    decision.status = DecisionStatus.DISCARDED
    record(session, actor=actor, action="decision.discard", target=f"decision:{decision.id}",
           before={"subject": decision.subject})


def term_on(session: Session, day: dt.date) -> Term:
    term = session.scalars(select(Term).where(Term.starts_on <= day, Term.ends_on >= day)).first()
    if term is None:
        raise ValidationError(f"Chưa khai báo nhiệm kỳ của cấp ủy chứa ngày {show_date(day)}: "
                              "hãy thêm nhiệm kỳ trong phần cài đặt trước khi ban hành.", code="no_term")
    return term


def next_number(session: Session, doc_type: str, term: Term) -> int:
    current = session.scalar(select(func.max(Decision.number)).where(
        Decision.doc_type == doc_type, Decision.term_id == term.id))
    return (current or 0) + 1


def issue(session: Session, decision: Decision, *, on: dt.date, actor: str, render: PdfRenderer,
          effect: Effect | None) -> Decision:
    """Number the draft, apply its effect (None: a document only) and freeze it with its PDF.

    The caller's transaction makes it atomic; core/apply.py issue_draft finds the effect of a stored draft.
    """
    require(session, Permission.DRAFT_ISSUE)
    _require_draft(decision)
    term = term_on(session, on)
    content = DecisionContent.from_json(decision.content)
    number = next_number(session, decision.doc_type, term)
    decision.term_id = term.id
    decision.number = number
    decision.code = f"{number}-{content.header.doc_type_code}/{content.header.issuer_code}"
    decision.issued_on = on
    decision.effective_on = decision.effective_on or on
    decision.status = DecisionStatus.ISSUED
    session.flush()  # the unique (type, term, number) constraint guards against a racing writer
    if effect is not None:
        effect(session, decision, decision.effective_on)
    decision.pdf = render(content, PrintInfo(number, on, draft=False))
    decision.pdf_sha256 = hashlib.sha256(decision.pdf).hexdigest()
    record(session, actor=actor, action="decision.issue", target=decision.code,
           after={"id": decision.id, "action": decision.action, "subject": decision.subject,
                  "term": term.name, "issued_on": on.isoformat()})
    return decision


def list_decisions(session: Session, *, term: str | None = None) -> list[DecisionSummary]:
    query = select(Decision).where(Decision.status != DecisionStatus.DISCARDED)
    if not allowed(current_user(session), Permission.VIEW_DRAFTS):
        query = query.where(Decision.status == DecisionStatus.ISSUED)
    if term:
        query = query.join(Term, Term.id == Decision.term_id).where(Term.name == term)
    query = query.order_by(Decision.issued_on.is_(None), Decision.issued_on, Decision.number, Decision.id)
    return [summary(d) for d in session.scalars(query)]
