"""The register of recorded decisions: decisions of the đảng ủy cơ sở (chi bộ trực thuộc, their committees)
that this office keeps in its records with their own numbers. The outgoing register
(core/register.py) lists only this office's own documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.actions import action_label
from khoi_desktop.core.authority import committee_name
from khoi_desktop.core.models import Decision, DecisionStatus, Organization


@dataclass(frozen=True)
class RecordedRow:
    id: int
    code: str  # their number, "05-QĐ/ĐU"
    signed_on: dt.date
    effective: dt.date | None
    issuer_code: str
    issuer: str  # "Đảng ủy Sở Y tế"
    action: str
    subject: str
    signer: str
    scan_sha256: str | None  # the signed copy kept, if any

    @property
    def action_label(self) -> str:
        return action_label(self.action)


def recorded_rows(session: Session, *, issuer: str | None = None, date_from: dt.date | None = None,
                  date_to: dt.date | None = None) -> list[RecordedRow]:
    query = (select(Decision, Organization.code, Organization.name)
             .join(Organization, Organization.id == Decision.issuer_id)
             .where(Decision.status == DecisionStatus.ISSUED, Decision.recorded.is_(True)))
    if issuer:
        query = query.where(Organization.code == issuer)
    if date_from:
        query = query.where(Decision.issued_on >= date_from)
    if date_to:
        query = query.where(Decision.issued_on <= date_to)
    query = query.order_by(Decision.issued_on, Organization.code, Decision.id)
    return [RecordedRow(d.id, d.code or "", d.issued_on, d.effective_on, code,  # type: ignore[arg-type]
                        committee_name(name), d.action, d.subject, d.signer or "", d.pdf_sha256)
            for d, code, name in session.execute(query)]
