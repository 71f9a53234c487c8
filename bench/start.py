"""App start to the main window with the tree loaded, beside a bare PySide6 window (fresh processes)."""

from __future__ import annotations

from bench.common import Result, demo_database, median, ratio_target, run_child


def run(scale: int, repeat: int) -> list[Result]:
    db = str(demo_database(scale))
    run_child(["-m", "bench.gui_child", "bare"])  # warm the file cache for both
    run_child(["-m", "bench.gui_child", "app", db])
    app, bare = [], []
    for _ in range(repeat):
        app.append(run_child(["-m", "bench.gui_child", "app", db])[0])
        bare.append(run_child(["-m", "bench.gui_child", "bare"])[0])
    return [ratio_target(Result("start", median(app) * 1000, median(bare) * 1000, "ms", scale,
                                note="spawn → overview_loaded (tree filled) vs bare QMainWindow+QTreeView shown"), 2)]
