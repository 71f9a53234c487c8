"""Database jobs of the workflow screens: they take plain requests and return plain results."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from khoi_desktop.core import apply, decisions
from khoi_desktop.core.audit import os_user
from khoi_desktop.core.db import Database
from khoi_desktop.core.decision_content import DecisionContent, content_text
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.members import MemberRow, members_of
from khoi_desktop.core.organizations import founded_by
from khoi_desktop.core.prerender import prerender_draft, prerender_request
from khoi_desktop.core.requests import Request
from khoi_desktop.core.workflows.issuer import WrongIssuer, issuer_names
from khoi_desktop.documents import render_pdf
from khoi_desktop.gui.worker import Job


@dataclass(frozen=True)
class Preview:
    text: str  # the decision's words, or "" when refused
    warnings: list[str]
    problems: list[str]
    codes: tuple[str, ...] = ()  # the problems' codes: which page of a wizard can fix them
    # Who decides, when it is a đảng ủy cơ sở: (its đảng bộ's code, the committee's name); None: this office.
    issuer: tuple[str, str] | None = None


@dataclass(frozen=True)
class Saved:
    decision: decisions.DecisionSummary
    warnings: list[str]
    created_org_ids: list[int]


def load_members(*, org_id: int, as_of: dt.date) -> Job:
    def job(db: Database) -> list[MemberRow]:
        with db.reading() as session:
            return members_of(session, [org_id], as_of)

    return job


def preview_request(*, request: Request, today: dt.date) -> Job:
    """Check and word a request without writing anything."""
    def job(db: Database) -> Preview:
        with db.reading() as session:
            wanted = request
            try:
                try:
                    prepared = apply.prepare(session, wanted, today=today)
                except WrongIssuer as wrong:  # the form proposes the body that decides
                    # A đảng ủy cơ sở's decision is not signed by this office's signer (core refuses that name
                    # since 59b8c32): the form asks its own signer only once it knows who decides.
                    wanted = dataclasses.replace(request, issuer=wrong.required,
                                                 signer=None if wrong.required else request.signer,
                                                 recorded=request.recorded if wrong.required else None)
                    prepared = apply.prepare(session, wanted, today=today)
            except RequestRefused as refused:
                return Preview("", [], [message for _, message in refused.problems],
                               tuple(code for code, _ in refused.problems))
            issuer = issuer_names(session, prepared.issuer_id)
            return Preview(content_text(prepared.content), [m for _, m in prepared.warnings], [], issuer=issuer)

    return job


def _discard_how(draft: int) -> str:  # the warning about a request drafted twice says how, in the window
    return f"Sắp xếp tổ chức › Danh sách quyết định (Ctrl+D), chọn dự thảo {draft}, bấm «Hủy dự thảo»"


def save_request(*, request: Request, issue: bool, today: dt.date) -> Job:
    """Draft the request's decision, and issue it when asked; one transaction either way."""
    def job(db: Database) -> Saved:
        pdf = None
        if issue:
            with db.reading() as session:  # the PDF is rendered before the write lock is taken
                pdf = prerender_request(session, request, today=today, render=render_pdf)
        with db.writing() as session:
            decision, warnings = apply.apply_request(session, request, actor=os_user(), issue=issue, today=today,
                                                     render=pdf or render_pdf, discard_how=_discard_how)
            created = [] if not issue else founded_by(session, decision.id)
            return Saved(decisions.summary(decision), warnings, created)

    return job


def list_decisions() -> Job:
    def job(db: Database) -> list[decisions.DecisionSummary]:
        with db.reading() as session:
            return decisions.list_decisions(session)

    return job


def load_content(*, decision_id: int) -> Job:
    def job(db: Database) -> DecisionContent:
        with db.reading() as session:
            return DecisionContent.from_json(decisions.find_decision(session, decision_id).content)

    return job


def issue_draft(*, decision_id: int, today: dt.date) -> Job:
    def job(db: Database) -> decisions.DecisionSummary:
        with db.reading() as session:  # the PDF is rendered before the write lock is taken
            pdf = prerender_draft(session, decision_id, on=today, render=render_pdf)
        with db.writing() as session:
            decision = decisions.find_decision(session, decision_id)
            apply.issue_draft(session, decision, on=today, actor=os_user(), render=pdf)
            return decisions.summary(decision)

    return job


def discard_draft(*, decision_id: int) -> Job:
    def job(db: Database) -> None:
        with db.writing() as session:
            decisions.discard_draft(session, decisions.find_decision(session, decision_id), os_user())

    return job


def load_draft(*, decision_id: int) -> Job:
    """The draft's content and the version the editor saves against."""
    def job(db: Database) -> tuple[DecisionContent, int]:
        with db.reading() as session:
            decision = decisions.find_decision(session, decision_id)
            return DecisionContent.from_json(decision.content), decision.version

    return job


def update_draft(*, decision_id: int, content: DecisionContent, version: int | None = None) -> Job:
    def job(db: Database) -> None:
        with db.writing() as session:
            decisions.update_draft(session, decisions.find_decision(session, decision_id), content, os_user(),
                                   expected_version=version)

    return job
