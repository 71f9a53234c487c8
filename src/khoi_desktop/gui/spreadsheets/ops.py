"""Spreadsheet operations the screens ask for: each returns a job for the database worker."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from khoi_desktop.core.audit import os_user
from khoi_desktop.core.db import Database
from khoi_desktop.core.reports import Bieu1, Bieu5, admissions_per_year, bieu1, bieu5, probationary_due
from khoi_desktop.core.tree import OrgSnapshot, ended_orgs, load_snapshot
from khoi_desktop.gui.ops import EndedOrg
from khoi_desktop.gui.worker import Job
from khoi_desktop.spreadsheets.exports import ExportKind, ExportOptions, ExportResult, export
from khoi_desktop.spreadsheets.mapping import Mapping, propose_mapping
from khoi_desktop.spreadsheets.member_import import ImportOptions, ImportReport, analyze, import_members
from khoi_desktop.spreadsheets.reader import SheetTable, read_table, sheet_names


def org_tree(*, as_of: dt.date) -> Job:
    """The tree on `as_of` (for a picker of the organizations) and the organizations ended by then."""

    def job(db: Database) -> tuple[OrgSnapshot, list[EndedOrg]]:
        with db.reading() as session:
            return load_snapshot(session, as_of), [EndedOrg(*row) for row in ended_orgs(session, as_of)]

    return job


def list_sheets(*, path: Path) -> Job:
    return lambda _db: sheet_names(path)


@dataclass
class LoadedSheet:
    table: SheetTable
    mapping: Mapping


def load_sheet(*, path: Path, sheet: str | None) -> Job:
    def job(_db: Database) -> LoadedSheet:
        table = read_table(path, sheet)
        return LoadedSheet(table, propose_mapping(table))

    return job


def dry_run(*, table: SheetTable, mapping: Mapping, options: ImportOptions) -> Job:
    def job(db: Database) -> ImportReport:
        with db.reading() as session:
            return analyze(session, table, mapping, options)

    return job


def recheck(*, loaded: LoadedSheet, options: ImportOptions) -> Job:
    """Read the file again (the clerk may have fixed it in Excel) and run the dry run again.

    The confirmed mapping is kept while the columns are unchanged; otherwise it is proposed anew.
    """

    def job(db: Database) -> tuple[LoadedSheet, ImportReport]:
        table = read_table(loaded.table.path, loaded.table.sheet)
        same = [(c.letter, c.header) for c in table.columns] == [(c.letter, c.header) for c in loaded.mapping.columns]
        mapping = loaded.mapping if same else propose_mapping(table)
        with db.reading() as session:
            return LoadedSheet(table, mapping), analyze(session, table, mapping, options)

    return job


class ImportRun(QObject):
    """Progress of an import (or an export) running on the worker, and the clerk's wish to cancel it."""

    progressed = Signal(int, int)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


def run_import(*, table: SheetTable, mapping: Mapping, options: ImportOptions, run: ImportRun) -> Job:
    """All or nothing: the rows are checked again and added in one transaction; cancel rolls it back."""

    def job(db: Database) -> ImportReport:
        with db.writing() as session:
            return import_members(session, table, mapping, options, actor=os_user(),
                                  progress=run.progressed.emit, cancelled=lambda: run.cancelled)

    return job


def run_export(*, kind: ExportKind, path: Path, options: ExportOptions, run: ImportRun | None = None) -> Job:
    """On the worker, streamed to the file; `run` carries the progress and the clerk's cancel."""

    def job(db: Database) -> ExportResult:
        with db.reading() as session:
            if run is None:
                return export(session, kind, path, options)
            return export(session, kind, path, options, progress=run.progressed.emit,
                          cancelled=lambda: run.cancelled)

    return job


@dataclass(frozen=True)
class Statistics:
    start: dt.date
    end: dt.date
    bieu1: Bieu1
    bieu5: Bieu5
    admissions: list[tuple[int, int]]
    due: list[tuple[str, int]]


def load_statistics(*, start: dt.date, end: dt.date) -> Job:
    """Biểu 1 over the period, Biểu 5 and the charts as of its end."""

    def job(db: Database) -> Statistics:
        with db.reading() as session:
            return Statistics(start, end, bieu1(session, start, end), bieu5(session, end),
                              admissions_per_year(session, end), probationary_due(session, end))

    return job


ExportRun = ImportRun  # the same pair: progress (done, total) and a cancel flag the worker reads
