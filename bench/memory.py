"""Peak RSS of the GUI process with the office open (largest đảng bộ expanded, a search run)."""

from __future__ import annotations

from bench.common import Result, absolute_target, demo_database, run_child


def run(scale: int, repeat: int) -> list[Result]:
    _, app_line = run_child(["-m", "bench.gui_child", "memory-app", str(demo_database(scale))])
    _, bare_line = run_child(["-m", "bench.gui_child", "memory-bare"])
    app_mb, bare_mb = float(app_line.split()[1]), float(bare_line.split()[1])
    note = "peak RSS (VmHWM) after open, expand, search; bare: a PySide6 window process"
    return [absolute_target(Result("peak_rss_gui", app_mb, bare_mb, "MB", scale, note=note), 300)]
