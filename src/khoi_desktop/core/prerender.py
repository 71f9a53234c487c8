"""Render an issued decision's PDF before the write lock is taken.

A decision's content is fixed before it is issued; only its number and day are added. So the PDF is rendered
from a read, and the issuing transaction (which numbers the decision, applies its effects and stores the PDF
and its hash) takes it as it is when it asks for exactly that content, number and day. If another writer
took the number meanwhile, it renders again inside: never a PDF with the wrong number.

A PDF that cannot be made stops the issue (PdfNotRendered) before anything is written when it fails ahead,
or rolls the whole transaction back when it fails inside: a decision is never issued without its PDF, and
the draft (or the request file) stays as it was, to be issued again.
"""

from __future__ import annotations

import copy
import datetime as dt

from sqlalchemy.orm import Session

from khoi_desktop.core import decisions
from khoi_desktop.core.apply import prepare
from khoi_desktop.core.decision_content import DecisionContent, PrintInfo
from khoi_desktop.core.decisions import PdfRenderer, render_or_refuse
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.models import DecisionStatus
from khoi_desktop.core.requests import Request


class PrerenderedPdf:
    """A PdfRenderer holding one PDF rendered ahead; anything else it renders when asked."""

    def __init__(self, render: PdfRenderer) -> None:
        self.render = render
        self._key: tuple[str, PrintInfo] | None = None
        self._pdf = b""
        self.hits = 0

    def prepare(self, content: DecisionContent, info: PrintInfo) -> None:
        self._pdf = render_or_refuse(self.render, content, info)
        self._key = (content.to_json(), info)

    def __call__(self, content: DecisionContent, info: PrintInfo) -> bytes:
        if self._key is not None and self._key == (content.to_json(), info):
            self.hits += 1
            return self._pdf
        return self.render(content, info)  # inside decisions.issue, which refuses on a fault


def prerender_draft(session: Session, decision_ref: int | str, *, on: dt.date,
                    render: PdfRenderer) -> PrerenderedPdf:
    """From a read session: the PDF the draft will have if issued on `on` with the next free number.
    Whatever cannot be foreseen here (not a draft, no term) is left to the issuing transaction to refuse."""
    ahead = PrerenderedPdf(render)
    try:
        decision = decisions.find_decision(session, decision_ref)
        if decision.status is not DecisionStatus.DRAFT or decision.issuer_id is not None:
            return ahead  # issued or discarded: refused inside; a đảng ủy cơ sở's: recorded with its scan
        term = decisions.term_on(session, on)
        number = decisions.next_number(session, decision.doc_type, term, lock=False)
    except KhoiError:
        return ahead
    ahead.prepare(DecisionContent.from_json(decision.content), PrintInfo(number, on, draft=False))
    return ahead


def prerender_request(session: Session, request: Request, *, today: dt.date,
                      render: PdfRenderer) -> PrerenderedPdf:
    """From a read session: the PDF `apply_request(issue=True)` will store for this request issued today,
    worded as it words it, with the next free number. A request it would refuse, or
    a đảng ủy cơ sở's decision recorded with its own scan, prepares nothing: the transaction decides."""
    ahead = PrerenderedPdf(render)
    if request.recorded is not None:
        return ahead
    request = copy.deepcopy(request)  # the caller's request goes on to the transaction untouched
    try:
        prepared = prepare(session, request, today=today)
        if prepared.issuer_id is not None:
            return ahead
        content = prepared.content  # drafted and issued in one transaction: printed as prepared
        term = decisions.term_on(session, today)
        number = decisions.next_number(session, content.header.doc_type_code, term, lock=False)
    except KhoiError:
        return ahead
    ahead.prepare(content, PrintInfo(number, today, draft=False))
    return ahead
