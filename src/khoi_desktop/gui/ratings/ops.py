"""Jobs of the rating screens for the database worker: plain data in, plain data out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khoi_desktop.core.db import Database
from khoi_desktop.core.ratings.models import Level
from khoi_desktop.core.rules import Finding
from khoi_desktop.gui.worker import Job


@dataclass
class YearView:
    year: int
    summary: Any  # core.ratings.summary.YearSummary; None when the year has no round yet
    findings: list[Finding]
    decision: str | None  # the recognition decision's number, once issued
    trend: list[tuple[int, float | None, float | None]]  # (year, grassroots %, members %) of every round


def load_year(*, year: int) -> Job:
    def job(db: Database) -> YearView:
        from khoi_desktop.core.ratings.entry import find_round
        from khoi_desktop.core.ratings.findings import round_findings
        from khoi_desktop.core.ratings.rules import load_rules
        from khoi_desktop.core.ratings.summary import year_summary, year_trend
        from khoi_desktop.core.ratings.tally import load_round
        from khoi_desktop.core.settings import load_settings

        with db.reading() as session:
            rnd = find_round(session, year)
            trend = [(s.year, s.orgs.good_or_better_pct, s.members.good_or_better_pct)
                     for s in year_trend(session, year)]
            if rnd is None:
                return YearView(year, None, [], None, trend)
            findings = round_findings(load_round(session, rnd), load_rules(session),
                                      load_settings(session).issuing_body_short)
            from khoi_desktop.core.members import decision_code

            return YearView(year, year_summary(session, year), findings, decision_code(session, rnd.decision_id),
                            trend)

    return job


def open_round(*, year: int) -> Job:
    def job(db: Database) -> int:
        from khoi_desktop.core.ratings.entry import open_round as open_it

        with db.writing() as session:
            return open_it(session, year).id

    return job


def set_org_level(*, year: int, org_code: str, level: Level | None) -> Job:
    def job(db: Database) -> str:
        from khoi_desktop.core.ratings.entry import set_level

        with db.writing() as session:
            return set_level(session, year, org=org_code, decided=level)

    return job


def export_summary(*, year: int, path: Path) -> Job:
    def job(db: Database) -> Path:
        from khoi_desktop.core.ratings.summary import year_summary
        from khoi_desktop.spreadsheets.rating_reports import write_summary

        with db.reading() as session:
            write_summary(session, year_summary(session, year), path)
        return path

    return job


def write_template(*, org_code: str, year: int, path: Path) -> Job:
    def job(db: Database) -> tuple[int, int]:
        from khoi_desktop.spreadsheets.rating_template import write_template as write

        with db.reading() as session:
            return write(session, org_code, year, path)

    return job


def write_all_templates(*, year: int, folder: Path) -> Job:
    def job(db: Database) -> list[tuple[str, int, int]]:
        from khoi_desktop.spreadsheets.rating_template import write_all_templates as write_all

        with db.reading() as session:
            return write_all(session, year, folder)

    return job


def analyze_return(*, path: Path, year: int) -> Job:
    def job(db: Database) -> Any:
        from khoi_desktop.spreadsheets.rating_returns import analyze_return as analyze

        with db.reading() as session:
            return analyze(session, path, year)

    return job


def import_return(*, path: Path, year: int) -> Job:
    def job(db: Database) -> Any:
        from khoi_desktop.spreadsheets.rating_returns import import_return as do_import

        with db.writing() as session:
            return do_import(session, path, year)

    return job


def load_body_members(*, year: int, org_code: str) -> Job:
    def job(db: Database) -> Any:
        from khoi_desktop.core.ratings.summary import body_members

        with db.reading() as session:
            return body_members(session, year, org_code)

    return job


def set_member_level(*, year: int, member_code: str, level: Level | None) -> Job:
    def job(db: Database) -> str:
        from khoi_desktop.core.ratings.entry import set_level

        with db.writing() as session:
            return set_level(session, year, member=member_code, decided=level)

    return job
