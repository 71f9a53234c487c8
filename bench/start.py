"""App start to the main window shown, and to the tree filled, beside a bare PySide6 window (fresh
processes, alternately)."""

from __future__ import annotations

from bench.common import Result, demo_database, median, ratio_target, run_child


def run(scale: int, repeat: int) -> list[Result]:
    db = str(demo_database(scale))
    run_child(["-m", "bench.gui_child", "bare"])  # warm the file cache for all three
    run_child(["-m", "bench.gui_child", "app", db])
    run_child(["-m", "bench.gui_child", "shown", db])
    app, shown, bare = [], [], []
    for _ in range(repeat):
        shown.append(run_child(["-m", "bench.gui_child", "shown", db])[0])
        app.append(run_child(["-m", "bench.gui_child", "app", db])[0])
        bare.append(run_child(["-m", "bench.gui_child", "bare"])[0])
    baseline = median(bare) * 1000
    return [
        ratio_target(Result("start_window_shown", median(shown) * 1000, baseline, "ms", scale,
                            note="spawn → main window shown vs bare QMainWindow+QTreeView shown"), 1.5),
        ratio_target(Result("start", median(app) * 1000, baseline, "ms", scale,
                            note="spawn → the filled tree's first paint vs bare QMainWindow+QTreeView shown"), 4),
    ]
