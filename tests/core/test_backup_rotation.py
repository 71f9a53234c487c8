"""Rotation over a synthetic two-year series: exactly 12 daily, 10 weekly and 9 monthly kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from khoi_desktop.core.backup.rotation import (
    RotationPolicy,
    backup_name,
    backups_of,
    parse_backup_name,
    plan_rotation,
    rotate,
)

START = dt.datetime(2023, 1, 1, 8, 0)
END = dt.datetime(2024, 12, 31, 17, 0)


def series(step: dt.timedelta) -> list[dt.datetime]:
    stamps, when = [], START
    while when <= END:
        stamps.append(when)
        when += step
    return stamps


def test_names_round_trip() -> None:
    when = dt.datetime(2025, 1, 5, 14, 30, 0)
    assert backup_name("khoi", when) == "khoi-20250105-143000.khoibak"
    assert parse_backup_name("khoi-20250105-143000.khoibak") == ("khoi", when)
    assert parse_backup_name("văn-phòng-20250105-143000-3.khoibak") is not None
    assert parse_backup_name("văn-phòng-20250105-143000-3.khoibak")[0] == "văn-phòng"  # type: ignore[index]
    for other in ("khoi.db", "khoi-2025-01-05.khoibak", "khoi-20251305-143000.khoibak", "x.khoibak.dang-ghi"):
        assert parse_backup_name(other) is None


def test_two_years_every_five_hours_keeps_exactly_the_policy() -> None:
    stamps = series(dt.timedelta(hours=5))
    plan = plan_rotation(stamps, RotationPolicy(daily=12, weekly=10, monthly=9))
    assert (len(plan.daily), len(plan.weekly), len(plan.monthly)) == (12, 10, 9)
    newest = max(stamps)
    # Daily: the newest backup of each of the last 12 days that have one.
    assert [d.date() for d in plan.daily] == [newest.date() - dt.timedelta(days=i) for i in range(12)]
    assert all(d == max(s for s in stamps if s.date() == d.date()) for d in plan.daily)
    # Weekly: ISO weeks, newest first, the newest backup of each.
    weeks = [w.isocalendar()[:2] for w in plan.weekly]
    assert len(set(weeks)) == 10 and weeks == sorted(weeks, reverse=True)
    assert all(w == max(s for s in stamps if s.isocalendar()[:2] == w.isocalendar()[:2]) for w in plan.weekly)
    # Monthly: April .. December 2024.
    assert [(m.year, m.month) for m in plan.monthly] == [(2024, month) for month in range(12, 3, -1)]
    assert all(m == max(s for s in stamps if (s.year, s.month) == (m.year, m.month)) for m in plan.monthly)
    assert plan.keep == set(plan.daily) | set(plan.weekly) | set(plan.monthly)
    assert len(plan.keep) + len(plan.delete) == len(stamps)
    assert newest in plan.keep and min(stamps) in plan.delete
    assert len(plan.keep) == len(set(plan.daily) | set(plan.weekly) | set(plan.monthly)) < 12 + 10 + 9


def test_gaps_count_only_periods_that_have_backups() -> None:
    stamps = [dt.datetime(2024, 1, d, 9) for d in (1, 2, 20)] + [dt.datetime(2024, 3, 1, 9)]
    plan = plan_rotation(stamps, RotationPolicy(daily=3, weekly=0, monthly=0))
    assert plan.daily == [dt.datetime(2024, 3, 1, 9), dt.datetime(2024, 1, 20, 9), dt.datetime(2024, 1, 2, 9)]
    assert plan.delete == [dt.datetime(2024, 1, 1, 9)]


def test_the_newest_backup_is_never_deleted() -> None:
    stamps = series(dt.timedelta(days=30))
    plan = plan_rotation(stamps, RotationPolicy(0, 0, 0))
    assert plan.keep == {max(stamps)} and len(plan.delete) == len(stamps) - 1


def test_rotate_deletes_files_of_one_database_only(tmp_path: Path) -> None:
    stamps = series(dt.timedelta(days=1))  # 731 files, no sleeping: the time is in the name
    for when in stamps:
        (tmp_path / backup_name("khoi", when)).write_bytes(b"")
    (tmp_path / backup_name("demo", START)).write_bytes(b"")
    (tmp_path / "ghi-chu.txt").write_text("giữ")
    deleted = rotate(tmp_path, "khoi", RotationPolicy())
    kept = backups_of(tmp_path, "khoi")
    assert set(kept) == plan_rotation(stamps, RotationPolicy()).keep
    assert len(kept) + len(deleted) == len(stamps)
    assert len({k.date() for k in kept if k.date() > END.date() - dt.timedelta(days=12)}) == 12
    assert (tmp_path / backup_name("demo", START)).exists() and (tmp_path / "ghi-chu.txt").exists()
