"""Jobs of the meeting screens for the database worker: plain data in, plain data out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from khoi_desktop.core.db import Database
from khoi_desktop.core.meetings.forms import MeetingForm, meeting_form, tccsd_choices
from khoi_desktop.core.meetings.models import MeetingKind
from khoi_desktop.core.meetings.recording import MeetingInput, record_meeting, roster
from khoi_desktop.core.meetings.status import chi_bo_year, month_grid, month_status, year_summary
from khoi_desktop.core.members import MemberRow
from khoi_desktop.gui.worker import Job


def load_meeting_form(*, org_id: int, kind: MeetingKind, month: dt.date, day: dt.date) -> Job:
    def job(db: Database) -> MeetingForm:
        with db.reading() as session:
            return meeting_form(session, org_id, kind, month, day)

    return job


def load_roster(*, org_id: int, day: dt.date) -> Job:
    def job(db: Database) -> list[MemberRow]:
        with db.reading() as session:
            return roster(session, org_id, day)

    return job


def save_meeting(*, meeting: MeetingInput, replace: bool) -> Job:
    def job(db: Database) -> int:
        with db.writing() as session:
            return record_meeting(session, meeting, replace=replace)

    return job


def load_tccsd(*, month: dt.date) -> Job:
    def job(db: Database) -> list[tuple[str, str]]:
        with db.reading() as session:
            return tccsd_choices(session, month)

    return job


def load_grid(*, last_month: dt.date, org_code: str | None, count: int = 12) -> Job:
    def job(db: Database) -> Any:
        with db.reading() as session:
            return month_grid(session, last_month, count, org_code), month_status(session, last_month, org_code)

    return job


def load_history(*, org_code: str, year: int) -> Job:
    def job(db: Database) -> Any:
        with db.reading() as session:
            return chi_bo_year(session, org_code, year)

    return job


def load_year(*, year: int, org_code: str | None) -> Job:
    def job(db: Database) -> Any:
        with db.reading() as session:
            return year_summary(session, year, org_code)

    return job


def export_year(*, year: int, org_code: str | None, path: Path) -> Job:
    def job(db: Database) -> Path:
        from khoi_desktop.spreadsheets.meeting_reports import write_year_summary

        with db.reading() as session:
            write_year_summary(session, year_summary(session, year, org_code), path)
        return path

    return job


def write_template(*, org_code: str, month: dt.date, path: Path) -> Job:
    def job(db: Database) -> int:
        from khoi_desktop.spreadsheets.meeting_template import write_template as write

        with db.reading() as session:
            return write(session, org_code, month, path)

    return job


def analyze_return(*, path: Path) -> Job:
    def job(db: Database) -> Any:
        from khoi_desktop.spreadsheets.meeting_returns import analyze_return as analyze

        with db.reading() as session:
            return analyze(session, path)

    return job


def import_return(*, path: Path, replace: bool) -> Job:
    def job(db: Database) -> Any:
        from khoi_desktop.spreadsheets.meeting_returns import import_return as do_import

        with db.writing() as session:
            return do_import(session, path, replace=replace)

    return job


def load_criteria() -> Job:
    def job(db: Database) -> Any:
        from khoi_desktop.core.meetings.criteria import load_sheets

        with db.reading() as session:
            return load_sheets(session)

    return job


def save_criteria(*, sheet: Any) -> Job:
    def job(db: Database) -> Any:
        from khoi_desktop.core.meetings.criteria import save_sheet

        with db.writing() as session:
            return save_sheet(session, sheet)

    return job
