"""A verified backup (snapshot in memory, checks, hash and compression side by side, write while hashing, one
structural check of the file) beside the bare sqlite3 backup API; and the chosen codec beside zlib level 6.

Codecs measured on the scale-20 demo office (94 MB snapshot; size × time, lower is better): zlib 1, 3, 6
gave 31.6, 30.6, 27.5 MB in 1.16, 1.48, 2.79 s; zstd 1, 3, 6, 9 gave 28.1, 25.7, 22.8, 22.0 MB in 0.22,
0.42, 1.18, 1.25 s; lz4 0 and 3 gave 39.3 and 32.0 MB in 0.16 and 0.75 s. zstd 1 has the lowest product
(6.1 against 76.7 for zlib 6) and inflates in 0.12 s against 0.38 s.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
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
        cpu: dict[str, list[float]] = {"app": [], "bare": []}

        def counted(name: str, work: Callable[[], None]) -> Callable[[], None]:
            def run_once() -> None:  # CPU of every thread of this process: the backup's run side by side
                start = time.process_time()
                work()
                cpu[name].append(time.process_time() - start)
            return run_once

        try:
            def app() -> None:
                result = create_backup(db, out, actor="bench", kind="manual")
                result.path.unlink()

            app_times, base_times = paired(counted("app", app),
                                           counted("bare", lambda: bare_backup(source, Path(folder) / "bare.db")),
                                           max(3, repeat))
        finally:
            db.close()
        codec_rows = _codec(source, repeat, scale)
    return [ratio_target(Result("backup", median(app_times) * 1000, median(base_times) * 1000, "ms", scale,
                                note=f"{size / 1e6:.0f} MB database; bare: Connection.backup to a file; CPU "
                                     f"{median(cpu['app']):.2f} s against {median(cpu['bare']):.2f} s"), 3),
            codec_rows]


def _codec(source: Path, repeat: int, scale: int) -> Result:
    """The snapshot compressed by the app's codec beside zlib level 6 (what backups used before)."""
    import zlib

    from khoi_desktop.core.backup import codec

    conn = sqlite3.connect(source)
    try:
        content = conn.serialize()
    finally:
        conn.close()
    sizes: dict[str, int] = {}

    def app() -> None:
        sizes["app"] = len(codec.compress(content))

    def base() -> None:
        sizes["base"] = len(zlib.compress(content, 6))

    app_times, base_times = paired(app, base, max(3, repeat))
    return ratio_target(Result(f"backup compression ({codec.DEFAULT} {codec.ZSTD_LEVEL})", median(app_times) * 1000,
                               median(base_times) * 1000, "ms", scale,
                               note=f"{len(content) / 1e6:.0f} MB → {sizes['app'] / 1e6:.1f} MB; "
                                    f"zlib 6: {sizes['base'] / 1e6:.1f} MB"), 0.5)
