"""Select and expand the largest đảng bộ in the main window (members shown), beside raw SQL + a plain Qt model."""

from __future__ import annotations

from bench.common import Result, demo_database, median, run_child


def run(scale: int, repeat: int) -> list[Result]:
    _, line = run_child(["-m", "bench.gui_child", "expand", str(demo_database(scale)), str(repeat)])
    _, app, base, members, shown, orgs = line.split()
    app_times = [float(t) for t in app.split(",")]
    base_times = [float(t) for t in base.split(",")]
    return [Result("expand_largest", median(app_times) * 1000, median(base_times) * 1000, "ms", scale,
                   note=f"{orgs} organizations, {members} members listed (bare: sqlite3 + QStandardItemModel)")]
