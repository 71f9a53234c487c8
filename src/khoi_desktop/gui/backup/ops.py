"""Backup operations the screens ask for: each returns a job for the database worker."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from khoi_desktop.core.audit import os_user, record
from khoi_desktop.core.backup.errors import UNHEALTHY, BackupError
from khoi_desktop.core.backup.reader import BackupInfo, inspect_backup
from khoi_desktop.core.backup.rotation import SUFFIX, RotationPolicy, parse_backup_name, rotate
from khoi_desktop.core.backup.settings import BackupSettings, load_backup_settings, save_backup_settings
from khoi_desktop.core.backup.snapshot import health_problems
from khoi_desktop.core.backup.status import change_token, last_backup_at
from khoi_desktop.core.backup.writer import BackupResult, Progress, create_backup
from khoi_desktop.core.db import Database
from khoi_desktop.gui.worker import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupStatus:
    last_backup_at: dt.datetime | None
    token: int
    settings: BackupSettings


@dataclass(frozen=True)
class BackupDone:
    result: BackupResult
    token: int  # change token after the backup's own audit entry
    rotated: list[Path]


@dataclass(frozen=True)
class CloseOutcome:
    problems: list[str]  # quick_check and foreign_key_check findings; no backup was made when not empty
    done: BackupDone | None


@dataclass(frozen=True)
class BackupRow:
    path: Path
    size: int
    encrypted: bool
    created_at: dt.datetime | None
    info: BackupInfo | None
    problem: str | None  # why the file could not be read


def _status(db: Database) -> BackupStatus:
    with db.reading() as session:
        return BackupStatus(last_backup_at(session), change_token(session), load_backup_settings(session))


def load_status() -> Job:
    return _status


def _back_up(db: Database, folder: Path, kind: str, passphrase: str | None, policy: RotationPolicy | None,
             now: dt.datetime | None, progress: Progress | None) -> BackupDone:
    result = create_backup(db, folder, actor=os_user(), kind=kind, passphrase=passphrase, now=now,
                           progress=progress or (lambda _fraction, _text: None))
    rotated = rotate(folder, db.path.stem, policy) if policy is not None else []
    with db.reading() as session:
        return BackupDone(result, change_token(session), rotated)


def back_up(*, folder: Path, kind: str, passphrase: str | None = None, policy: RotationPolicy | None = None,
            now: dt.datetime | None = None, progress: Progress | None = None) -> Job:
    return lambda db: _back_up(db, folder, kind, passphrase, policy, now, progress)


def back_up_if_changed(*, baseline: int, folder: Path, policy: RotationPolicy,
                       now: dt.datetime | None = None) -> Job:
    """The automatic backup: only when something was recorded since `baseline`."""
    def job(db: Database) -> BackupDone | None:
        with db.reading() as session:
            if change_token(session) == baseline:
                return None
        return _back_up(db, folder, "auto", None, policy, now, None)

    return job


def check_and_back_up(*, baseline: int | None, folder: Path, policy: RotationPolicy,
                      now: dt.datetime | None = None) -> Job:
    """On close: PRAGMA quick_check and foreign_key_check, then a backup if the data changed since `baseline`.
    The backup makes those checks itself (of the state it copies): they run once, not twice (≈ 1 s of CPU at
    provincial scale)."""
    def job(db: Database) -> CloseOutcome:
        with db.reading() as session:
            unchanged = baseline is not None and change_token(session) == baseline
        if unchanged:  # a server checks its own pages
            return CloseOutcome([] if db.is_server else health_problems(db.path), None)
        try:
            return CloseOutcome([], _back_up(db, folder, "close", None, policy, now, None))
        except BackupError as error:
            if error.code != UNHEALTHY:
                raise
            return CloseOutcome(error.findings or [error.message], None)

    return job


def list_backups(*, folder: Path) -> Job:
    def job(_db: Database) -> list[BackupRow]:
        rows = []
        for path in sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []:
            parsed = parse_backup_name(path.name)
            try:
                info = inspect_backup(path)
            except BackupError as error:
                rows.append(BackupRow(path, path.stat().st_size, False, parsed[1] if parsed else None, None,
                                      error.message))
                continue
            created = info.manifest.created_at if info.manifest else (parsed[1] if parsed else None)
            rows.append(BackupRow(path, info.size, info.encrypted, created, info, None))
        rows.sort(key=lambda r: (r.created_at or dt.datetime.min, r.path.name), reverse=True)
        return rows

    return job


def save_settings(*, settings: BackupSettings) -> Job:
    def job(db: Database) -> BackupSettings:
        with db.writing() as session:
            before = load_backup_settings(session)
            saved = save_backup_settings(session, settings)
            record(session, actor=os_user(), action="backup_settings", before=before.__dict__,
                   after=saved.__dict__)
        return saved

    return job


def check_health() -> Job:
    """When a file is opened: the checks a backup makes, so a broken file is reported at once, not at the
    first backup that refuses it."""
    return lambda db: [] if db.is_server else health_problems(db.path)
