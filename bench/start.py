"""App start to the main window shown, and to the tree filled, beside a bare PySide6 window (fresh
processes, alternately)."""

from __future__ import annotations

from bench.common import Result, demo_database, median, ratio_target, run_child, run_child_cpu

# A round is three short processes (≈ 0.2 + 0.2 + 0.5 s unloaded at scale 1): at least this many rounds, whatever
# --repeat says. With 5 a single slow spawn of a loaded machine moved the median of the window shown by 10-20 %
# (1.31x and 1.58x for the same code in two full runs of 3 December, the row first in the run); the same
# medians of more samples.
MIN_ROUNDS = 11


def run(scale: int, repeat: int) -> list[Result]:
    db = str(demo_database(scale))
    run_child(["-m", "bench.gui_child", "bare"])  # warm the file cache for all three
    run_child(["-m", "bench.gui_child", "app", db])
    run_child(["-m", "bench.gui_child", "shown", db])
    wall: dict[str, list[float]] = {"shown": [], "app": [], "bare": []}
    cpu: dict[str, list[float]] = {"shown": [], "app": [], "bare": []}
    for _ in range(max(repeat, MIN_ROUNDS)):
        for mode in ("shown", "app", "bare"):
            elapsed, used, _line = run_child_cpu(["-m", "bench.gui_child", mode, *([db] if mode != "bare" else [])])
            wall[mode].append(elapsed)
            cpu[mode].append(used)
    baseline = median(wall["bare"]) * 1000
    bare_cpu = median(cpu["bare"])

    def cpu_note(mode: str) -> str:
        return f"; CPU {median(cpu[mode]):.2f} s against {bare_cpu:.2f} s"

    return [
        ratio_target(Result("start_window_shown", median(wall["shown"]) * 1000, baseline, "ms", scale,
                            note="spawn → main window shown vs bare QMainWindow+QTreeView shown"
                                 + cpu_note("shown")), 1.5),
        ratio_target(Result("start", median(wall["app"]) * 1000, baseline, "ms", scale,
                            note="spawn → the filled tree's first paint vs bare QMainWindow+QTreeView shown"
                                 + cpu_note("app")), 4),
    ]
