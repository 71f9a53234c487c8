"""Operations the screens ask for: each returns a job for the database worker, which returns plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from khoi_desktop.core.db import Database
from khoi_desktop.core.stats import Counts, counts_from
from khoi_desktop.core.tree import OrgSnapshot, ended_orgs, load_snapshot
from khoi_desktop.gui.worker import Job

# The jobs import the ORM-backed core modules when they run, on the worker: the main window imports this
# module and shows before SQLAlchemy has loaded.
if TYPE_CHECKING:
    from khoi_desktop.core.members import MemberDetail, MemberRow
    from khoi_desktop.core.organizations import OrgDetail
    from khoi_desktop.core.rules import Finding
    from khoi_desktop.core.settings import OfficeSettings


@dataclass(frozen=True)
class EndedOrg:
    """An organization that no longer exists (dissolved, merged, split): named in a picker's refusal."""

    code: str
    name: str
    ended_on: dt.date


@dataclass(frozen=True)
class Overview:
    """Everything the main window shows for one date, loaded in one go."""

    snapshot: OrgSnapshot
    counts: Counts
    settings: OfficeSettings
    ended: tuple[EndedOrg, ...] = ()


def load_overview(*, as_of: dt.date) -> Job:
    def job(db: Database) -> Overview:
        from khoi_desktop.core.settings import load_settings

        # Plain SQL in one read transaction (sqlite3, or psycopg alone on a server): the first tree and counts need
        # no ORM nor SQLAlchemy (start-up). The findings come with the second job (load_findings), which the findings
        # panel waits for anyway.
        with db.plain_snapshot() as conn:
            settings = load_settings(conn)
            snapshot = load_snapshot(conn, as_of)
            ended = tuple(EndedOrg(*row) for row in ended_orgs(conn, as_of))
        return Overview(snapshot, counts_from(snapshot), settings, ended)

    return job


def load_findings(*, overview: Overview) -> Job:
    """The findings for an overview already shown: the Charter's (core.rules), then the meeting, rating and
    member rules' (they need the ORM): a second job, so the first tree and counts do not wait for them."""

    def job(db: Database) -> list[Finding]:
        from khoi_desktop.core.meetings.findings import meeting_findings
        from khoi_desktop.core.member_events.findings import member_findings
        from khoi_desktop.core.ratings.findings import rating_findings
        from khoi_desktop.core.rules import check

        snapshot = overview.snapshot
        charter = check(snapshot, overview.settings.thresholds)
        with db.reading() as session:
            return (charter + meeting_findings(session, snapshot) + rating_findings(session, snapshot.as_of)
                    + member_findings(session, snapshot))

    return job


def load_members(*, org_ids: list[int], as_of: dt.date) -> Job:
    def job(db: Database) -> list[MemberRow]:
        from khoi_desktop.core.members import members_of

        with db.reading() as session:
            return members_of(session, org_ids, as_of)

    return job


def find_members(*, text: str, as_of: dt.date) -> Job:
    def job(db: Database) -> list[MemberRow]:
        from khoi_desktop.core.members import search_members

        with db.reading() as session:
            return search_members(session, text, as_of)

    return job


def load_member_detail(*, code: str, as_of: dt.date) -> Job:
    def job(db: Database) -> MemberDetail:
        from khoi_desktop.core.members import member_detail

        with db.reading() as session:
            return member_detail(session, code, as_of)

    return job


def load_org_detail(*, org_id: int, as_of: dt.date, committee_name: str) -> Job:
    def job(db: Database) -> OrgDetail:
        from khoi_desktop.core.organizations import org_detail

        with db.reading() as session:
            return org_detail(session, org_id, as_of, committee_name)

    return job
