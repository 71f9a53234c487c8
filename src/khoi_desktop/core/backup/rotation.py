"""Backup file names and rotation: keep the newest backup of each of the last N days, weeks, months."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

SUFFIX = ".khoibak"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?" + re.escape(SUFFIX) + "$")


def backup_name(stem: str, when: dt.datetime, counter: int = 1) -> str:
    """'khoi-20250105-143000.khoibak' (a counter only when two land in the same second)."""
    extra = f"-{counter}" if counter > 1 else ""
    return f"{stem}-{when:%Y%m%d-%H%M%S}{extra}{SUFFIX}"


def parse_backup_name(name: str) -> tuple[str, dt.datetime] | None:
    """(database stem, time) of a backup file name; None for any other file."""
    match = _NAME.match(name)
    if not match:
        return None
    try:
        when = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    counter = int(match["n"] or 1)
    return match["stem"], when + dt.timedelta(microseconds=min(counter - 1, 999_999))  # keeps same-second ones apart


@dataclass(frozen=True)
class RotationPolicy:
    daily: int = 12
    weekly: int = 10
    monthly: int = 9


@dataclass
class RotationPlan:
    daily: list[dt.datetime] = field(default_factory=list)
    weekly: list[dt.datetime] = field(default_factory=list)
    monthly: list[dt.datetime] = field(default_factory=list)
    delete: list[dt.datetime] = field(default_factory=list)

    @property
    def keep(self) -> set[dt.datetime]:
        return set(self.daily) | set(self.weekly) | set(self.monthly)


def _newest_per_period(stamps: list[dt.datetime], count: int,
                       period: Callable[[dt.datetime], Hashable]) -> list[dt.datetime]:
    chosen: list[dt.datetime] = []
    seen: set[Hashable] = set()
    for stamp in stamps:  # newest first
        if len(chosen) >= count:
            break
        key = period(stamp)
        if key not in seen:
            seen.add(key)
            chosen.append(stamp)
    return chosen


def plan_rotation(stamps: Iterable[dt.datetime], policy: RotationPolicy) -> RotationPlan:
    """Each rule independently keeps the newest backup of each of its most recent periods."""
    ordered = sorted(set(stamps), reverse=True)
    plan = RotationPlan(
        daily=_newest_per_period(ordered, policy.daily, lambda s: s.date()),
        weekly=_newest_per_period(ordered, policy.weekly, lambda s: s.isocalendar()[:2]),
        monthly=_newest_per_period(ordered, policy.monthly, lambda s: (s.year, s.month)),
    )
    keep = plan.keep or set(ordered[:1])  # whatever the settings, the newest backup stays
    if not plan.keep and ordered:
        plan.daily = ordered[:1]
    plan.delete = [s for s in ordered if s not in keep]
    return plan


def backups_of(folder: Path, stem: str) -> dict[dt.datetime, Path]:
    """The backups of database `stem` in `folder`, by time."""
    found: dict[dt.datetime, Path] = {}
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        parsed = parse_backup_name(path.name)
        if parsed is not None and parsed[0] == stem and path.is_file():
            found[parsed[1]] = path
    return found


def rotate(folder: Path, stem: str, policy: RotationPolicy) -> list[Path]:
    """Delete the backups of `stem` in `folder` that the policy does not keep; returns them."""
    files = backups_of(folder, stem)
    deleted = []
    for stamp in plan_rotation(files, policy).delete:
        try:
            files[stamp].unlink()
        except OSError:
            continue  # a locked file is retried at the next rotation
        deleted.append(files[stamp])
    return deleted
