"""Document operations the screens ask for: each returns a job for the database worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from khoi_desktop.core.actions import DOCUMENT_LABELS
from khoi_desktop.core.db import Database
from khoi_desktop.core.decision_content import PrintInfo
from khoi_desktop.core.decisions import find_decision
from khoi_desktop.core.models import DecisionStatus
from khoi_desktop.core.register import RegisterRow, register_rows, term_names
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.wording.compounds import load_compounds, save_compounds
from khoi_desktop.core.wording.template_store import (
    customized_actions,
    load_templates,
    reset_template,
    save_template,
)
from khoi_desktop.core.wording.templates import sample_values, wording
from khoi_desktop.documents.copies import decision_docx, decision_pdf
from khoi_desktop.documents.pdf import render_pdf
from khoi_desktop.documents.sample import sample_content
from khoi_desktop.gui.worker import Job
from khoi_desktop.spreadsheets.exports import register_workbook


@dataclass(frozen=True)
class PdfCopy:
    """A rendered decision for the preview: its bytes and how to name it."""

    title: str
    file_stem: str
    pdf: bytes
    decision_id: int | None = None


def _file_stem(code: str | None, decision_id: int, prefix: str = "QD") -> str:
    return f"{prefix}-{code.replace('/', '-')}" if code else f"Du-thao-QD-{decision_id}"


def load_pdf(*, decision_id: int) -> Job:
    def job(db: Database) -> PdfCopy:
        with db.reading() as session:
            decision = find_decision(session, decision_id)
            pdf = decision_pdf(session, decision)
            document = DOCUMENT_LABELS.get(decision.action)  # a giấy giới thiệu is no decision
            if document is not None and decision.code:
                return PdfCopy(f"{document} số {decision.code}", _file_stem(decision.code, decision.id, "GT"),
                               pdf, decision.id)
            if decision.status is DecisionStatus.ISSUED:
                title = f"Quyết định số {decision.code} – {decision.subject}"
            else:
                title = f"Dự thảo quyết định – {decision.subject}"
            return PdfCopy(title, _file_stem(decision.code, decision.id), pdf, decision.id)

    return job


def load_docx(*, decision_id: int) -> Job:
    def job(db: Database) -> bytes:
        with db.reading() as session:
            return decision_docx(session, find_decision(session, decision_id))

    return job


@dataclass(frozen=True)
class RegisterData:
    rows: list[RegisterRow]
    terms: list[str]


def load_register(*, term: str | None = None, text: str | None = None, action: str | None = None,
                  date_from: dt.date | None = None, date_to: dt.date | None = None) -> Job:
    def job(db: Database) -> RegisterData:
        with db.reading() as session:
            rows = register_rows(session, term=term, text=text, action=action, date_from=date_from,
                                 date_to=date_to)
            return RegisterData(rows, term_names(session))

    return job


def export_register(*, rows: list[RegisterRow], subtitle: str = "") -> Job:
    def job(db: Database) -> bytes:
        with db.reading() as session:
            return register_workbook(session, rows, subtitle)

    return job


@dataclass(frozen=True)
class TemplatesData:
    texts: dict[str, str]
    customized: set[str]


def load_template_texts() -> Job:
    def job(db: Database) -> TemplatesData:
        with db.reading() as session:
            return TemplatesData(load_templates(session), customized_actions(session))

    return job


def store_template(*, action: str, text: str, actor: str) -> Job:
    def job(db: Database) -> str:
        with db.writing() as session:
            return save_template(session, action, text, actor=actor)

    return job


def restore_default_template(*, action: str, actor: str) -> Job:
    def job(db: Database) -> str:
        with db.writing() as session:
            return reset_template(session, action, actor=actor)

    return job


def load_line_compounds() -> Job:
    def job(db: Database) -> list[str]:
        with db.reading() as session:
            return load_compounds(session)

    return job


def store_line_compounds(*, compounds: list[str], actor: str) -> Job:
    def job(db: Database) -> list[str]:
        with db.writing() as session:
            return save_compounds(session, compounds, actor=actor)

    return job


def sample_pdf(*, action: str, text: str) -> Job:
    """The template applied to sample values, printed as a draft with this office's header."""

    def job(db: Database) -> PdfCopy:
        with db.reading() as session:
            settings = load_settings(session)
        words = wording(action, sample_values(action), text)
        content = sample_content(settings, subject=words.subject, articles=words.articles)
        return PdfCopy("Bản in mẫu", f"Mau-{action}", render_pdf(content, PrintInfo(None, None, draft=True)))

    return job
