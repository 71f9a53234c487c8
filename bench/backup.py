"""A verified backup (snapshot, check, compress, write, re-read) beside the bare sqlite3 backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.common import Result, fresh_copy, median, paired, ratio_target, scratch


def bare_backup(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def run(scale: int, repeat: int) -> list[Result]:
    from khoi_desktop.core.backup.writer import create_backup
    from khoi_desktop.core.db import open_database

    with scratch() as folder:
        source = fresh_copy(scale, Path(folder))
        db = open_database(source)
        out = Path(folder) / "backups"
        size = source.stat().st_size
        try:
            def app() -> None:
                result = create_backup(db, out, actor="bench", kind="manual")
                result.path.unlink()

            app_times, base_times = paired(app, lambda: bare_backup(source, Path(folder) / "bare.db"),
                                           max(3, repeat))
        finally:
            db.close()
    return [ratio_target(Result("backup", median(app_times) * 1000, median(base_times) * 1000, "ms", scale,
                                note=f"{size / 1e6:.0f} MB database; bare: Connection.backup to a file"), 3)]
