"""Database jobs of the appointment screens: keyword arguments in, plain data out, one session each.

Drafting and issuing go through the workflow screens' jobs (gui.workflows.jobs), like every request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from khoi_desktop.core.appointments.committees import (
    Candidate,
    CommitteeAlert,
    CommitteeView,
    candidates,
    committee_alerts,
    committee_view,
    record_committee_size,
)
from khoi_desktop.core.appointments.submissions import (
    SubmissionRow,
    list_submissions,
    register_submission,
    return_submission,
)
from khoi_desktop.core.appointments.summary import TermSummary, term_name_on, term_names, term_summary
from khoi_desktop.core.audit import os_user
from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.gui.worker import Job


@dataclass(frozen=True)
class CommitteeState:
    """What the appointment dialog needs about the organization when it opens."""

    view: CommitteeView
    submissions: list[SubmissionRow]  # pending ones of this organization
    office_term: str | None  # the issuing committee's term on the date (default for a first committee)


def load_committee(*, org_id: int, as_of: dt.date) -> Job:
    def job(db: Database) -> CommitteeView:
        with db.reading() as session:
            return committee_view(session, org_id, as_of)

    return job


def load_state(*, org_id: int, as_of: dt.date) -> Job:
    def job(db: Database) -> CommitteeState:
        with db.reading() as session:
            view = committee_view(session, org_id, as_of)
            pending = list_submissions(session, today=as_of, pending_only=True, org_id=org_id)
            return CommitteeState(view, pending, term_name_on(session, as_of))

    return job


def find_candidates(*, org_id: int, text: str, as_of: dt.date) -> Job:
    def job(db: Database) -> list[Candidate]:
        with db.reading() as session:
            return candidates(session, org_id, text, as_of)

    return job


def load_submissions(*, pending_only: bool, today: dt.date) -> Job:
    def job(db: Database) -> list[SubmissionRow]:
        with db.reading() as session:
            return list_submissions(session, today=today, pending_only=pending_only)

    return job


def add_submission(*, register_number: str, dated_on: dt.date | None, received_on: dt.date, org_code: str,
                   subject: str, members: list[str], today: dt.date, files: Sequence[Path] = ()) -> Job:
    """Registered with its attached files (PDF scans), read here on the worker."""

    def job(db: Database) -> SubmissionRow:
        from khoi_desktop.core.appointments.submission_files import read_pdf

        attached = [read_pdf(path) for path in files]
        with db.writing() as session:
            return register_submission(session, register_number=register_number, dated_on=dated_on,
                                       received_on=received_on, org_code=org_code, subject=subject,
                                       members=members, actor=os_user(), today=today, files=attached)

    return job


def submission_files(*, submission_id: int) -> Job:
    """(name, content) of each file attached to the submission, to open."""

    def job(db: Database) -> list[tuple[str, bytes]]:
        from khoi_desktop.core.appointments.submission_files import files_of

        with db.reading() as session:
            return [(f.name, f.content) for f in files_of(session, [submission_id]).get(submission_id, [])]

    return job


def send_back(*, submission_id: int, reason: str, today: dt.date) -> Job:
    def job(db: Database) -> None:
        with db.writing() as session:
            return_submission(session, submission_id, reason=reason, on=today, actor=os_user())

    return job


@dataclass(frozen=True)
class Terms:
    names: list[str]
    current: str | None


def load_terms(*, today: dt.date) -> Job:
    def job(db: Database) -> Terms:
        with db.reading() as session:
            return Terms(term_names(session), term_name_on(session, today))

    return job


def load_summary(*, term: str) -> Job:
    def job(db: Database) -> TermSummary:
        with db.reading() as session:
            return term_summary(session, term)

    return job


def load_alerts(*, as_of: dt.date) -> Job:
    def job(db: Database) -> list[CommitteeAlert]:
        with db.reading() as session:
            return committee_alerts(session, as_of)

    return job


def save_size(*, org_id: int, term: str, size: int) -> Job:
    def job(db: Database) -> None:
        if size < 1:
            raise ValidationError("Số lượng cấp ủy viên phải lớn hơn 0.", code="invalid_size")
        with db.writing() as session:
            record_committee_size(session, org_id, term, size, actor=os_user())

    return job
