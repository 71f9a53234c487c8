"""Render an issued decision's PDF before the write lock is taken.

A draft's content is fixed before it is issued; only its number and day are added. So the PDF is rendered
from a read, and the issuing transaction (which numbers the draft, applies its effects and stores the PDF
and its hash) takes it as it is when it asks for exactly that content, number and day. If another writer
took the number meanwhile, it renders again inside: never a PDF with the wrong number.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from khoi_desktop.core import decisions
from khoi_desktop.core.decision_content import DecisionContent, PrintInfo
from khoi_desktop.core.decisions import PdfRenderer
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.models import DecisionStatus


class PrerenderedPdf:
    """A PdfRenderer holding one PDF rendered ahead; anything else it renders when asked."""

    def __init__(self, render: PdfRenderer) -> None:
        self.render = render
        self._key: tuple[str, PrintInfo] | None = None
        self._pdf = b""
        self.hits = 0

    def prepare(self, content: DecisionContent, info: PrintInfo) -> None:
        self._pdf = self.render(content, info)
        self._key = (content.to_json(), info)

    def __call__(self, content: DecisionContent, info: PrintInfo) -> bytes:
        if self._key is not None and self._key == (content.to_json(), info):
            self.hits += 1
            return self._pdf
        return self.render(content, info)


def prerender_draft(session: Session, decision_ref: int | str, *, on: dt.date,
                    render: PdfRenderer) -> PrerenderedPdf:
    """From a read session: the PDF the draft will have if issued on `on` with the next free number.
    Whatever cannot be foreseen here (not a draft, no term) is left to the issuing transaction to refuse."""
    ahead = PrerenderedPdf(render)
    try:
        decision = decisions.find_decision(session, decision_ref)
        if decision.status is not DecisionStatus.DRAFT:
            return ahead
        term = decisions.term_on(session, on)
        number = decisions.next_number(session, decision.doc_type, term, lock=False)
        ahead.prepare(DecisionContent.from_json(decision.content), PrintInfo(number, on, draft=False))
    except KhoiError:
        pass
    return ahead
