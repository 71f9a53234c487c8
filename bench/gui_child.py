"""Subprocess side of the GUI benchmarks (offscreen): prints one 'ready …' line when done.

python -m bench.gui_child bare               a bare QMainWindow with a QTreeView, shown
python -m bench.gui_child app DB             the app's own entry point on DB, until the filled tree is painted
python -m bench.gui_child expand DB N        expand the largest đảng bộ N times (app and bare, timed)
python -m bench.gui_child memory-app DB      open, expand the largest đảng bộ, search; peak RSS
python -m bench.gui_child memory-bare        peak RSS of the bare window process
python -m bench.gui_child memory-export DB   open the window, export every member through the dialog's job; peak RSS
python -m bench.gui_child shown DB           the app's own entry point on DB, until the main window is shown
"""

from __future__ import annotations

import os
import resource
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# BENCH_PROFILE=out.txt: a pyinstrument profile of the child, written when it is ready.
_PROFILER = None
if os.environ.get("BENCH_PROFILE"):
    from pyinstrument import Profiler

    _PROFILER = Profiler(interval=0.001)
    _PROFILER.start()


def _ready(*values: object) -> None:
    if _PROFILER is not None:
        _PROFILER.stop()
        with open(os.environ["BENCH_PROFILE"], "w", encoding="utf-8") as out:
            out.write(_PROFILER.output_text(unicode=True, color=False))
    print("ready", *values, flush=True)
    sys.stdout.flush()
    os._exit(0)  # no teardown: the measurement is over


def _peak_mb() -> float:
    """Peak RSS of this process in MB. On Linux VmHWM: getrusage's ru_maxrss keeps the peak of the process
    that forked this one (the benchmark runner, hundreds of MB after the export) across exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux and BSD: KiB


def bare(report_memory: bool = False) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTreeView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTreeView(window))
    window.resize(1360, 820)
    window.show()
    QTimer.singleShot(0, lambda: _ready(_peak_mb() if report_memory else ""))
    app.exec()


def _sign_in_as_administrator() -> None:
    """Where the app asks for a login before the main window, answer it as an administrator: a person's
    typing is no part of start-up (the password hash check is left out with it)."""
    from khoi_desktop.gui import app as gui_app

    if not hasattr(gui_app, "sign_in"):
        return

    def sign_in(worker):  # type: ignore[no-untyped-def]
        # Imported here, when the app asks: the app itself loads no account class before its first frame, and the
        # `shown` clock must not count the bench's own import (≈ 1.5-2.7 ms CPU).
        from khoi_desktop.core.auth.current import CurrentUser, Role  # type: ignore[import-not-found]

        worker.db.user = CurrentUser("admin", "Quản trị (đo hiệu năng)", Role.QUAN_TRI)
        return worker.db.user

    gui_app.sign_in = sign_in  # type: ignore[attr-defined]


def _hook_first_filled_paint(done) -> None:  # type: ignore[no-untyped-def]
    """Call `done` right after the tree's first paint with rows in it (what the clerk sees), not when its model
    was filled (overview_loaded): Qt paints after its timers, so what the app runs before that paint counts.
    The tree's own paintEvent is overridden on the instance when it is built (before its first paint); an
    event filter would need its viewport() (≈ 13 ms the first time, for the bench alone)."""
    from PySide6.QtWidgets import QTreeView

    from khoi_desktop.gui.main_window import MainWindow

    original = MainWindow._build_widgets

    def build_widgets(self) -> None:  # type: ignore[no-untyped-def]
        original(self)
        tree, model = self.tree, self.tree_model

        def paint_event(event) -> None:  # type: ignore[no-untyped-def]
            QTreeView.paintEvent(tree, event)
            if model.rowCount() > 0:
                done()

        tree.paintEvent = paint_event

    MainWindow._build_widgets = build_widgets  # type: ignore[method-assign]


def app(db: str) -> None:
    """The real entry point (`khoi-desktop --db DB`), stopped when the filled tree has first been painted."""
    _hook_first_filled_paint(_ready)
    _sign_in_as_administrator()
    from khoi_desktop.__main__ import main

    main(["--db", db])


def _open_window(db: str):  # type: ignore[no-untyped-def]
    from khoi_desktop.core.db import open_database
    from khoi_desktop.gui.app import make_application
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.worker import DbWorker

    qt_app = make_application()
    window = MainWindow(DbWorker(open_database(db)))
    window.show()
    _wait(qt_app, window.overview_loaded)
    _idle(qt_app, window)
    return qt_app, window


def _wait(qt_app, signal, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def _idle(qt_app, window) -> None:  # type: ignore[no-untyped-def]
    while window.worker.pending:
        qt_app.processEvents()
        time.sleep(0.002)
    qt_app.processEvents()


def _largest_dang_bo(window):  # type: ignore[no-untyped-def]
    snapshot = window.tree_model.snapshot
    return max((n for n in snapshot.nodes.values() if not n.kind.is_chi_bo and n.parent_id is None),
               key=lambda n: n.members)


def _select(qt_app, window, org_id: int) -> None:  # type: ignore[no-untyped-def]
    if window._selected_org == org_id:
        return  # no change, no new member list
    window.select_org(org_id)
    window.tree.expand(window.tree_model.index_of(org_id))
    _wait(qt_app, window.members_loaded)
    _idle(qt_app, window)


def expand(db: str, repeat: int) -> None:
    import sqlite3

    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    qt_app, window = _open_window(db)
    node = _largest_dang_bo(window)
    other = next(r for r in window.tree_model.snapshot.roots if r != node.id)
    ids = window.tree_model.snapshot.subtree_ids(node.id)
    day = window._as_of.isoformat()
    on_server = db.startswith("postgresql://")  # the app alone (bench/server.py compares it with the file)
    conn = sqlite3.connect(":memory:" if on_server else db)
    sql = ("SELECT m.code, m.family_name, m.middle_name, m.given_name, m.sex, m.birth_date, m.job_title, o.name "
           "FROM memberships ms JOIN members m ON m.id = ms.member_id JOIN organizations o ON o.id = ms.org_id "
           f"WHERE ms.org_id IN ({','.join('?' * len(ids))}) AND ms.valid_from <= ? "
           "AND (ms.valid_to IS NULL OR ms.valid_to > ?) ORDER BY m.sort_key, m.code")
    table = QTableView()
    app_times, base_times = [], []
    for _ in range(repeat):
        _select(qt_app, window, other)
        start = time.perf_counter()
        _select(qt_app, window, node.id)
        app_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        rows = [] if on_server else conn.execute(sql, [*ids, day, day]).fetchall()
        model = QStandardItemModel(len(rows), 8)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                model.setItem(r, c, QStandardItem("" if value is None else str(value)))
        table.setModel(model)
        qt_app.processEvents()
        base_times.append(time.perf_counter() - start)
    members = window.member_model.rowCount()
    _ready(",".join(f"{t:.6f}" for t in app_times), ",".join(f"{t:.6f}" for t in base_times), node.members,
           members, len(ids))


def memory_export(db: str) -> None:
    import tempfile
    from pathlib import Path

    from khoi_desktop.gui.spreadsheets import ops
    from khoi_desktop.spreadsheets.exports import ExportKind, ExportOptions

    qt_app, window = _open_window(db)
    outcome: list[object] = []
    with tempfile.TemporaryDirectory(prefix="khoi-bench-") as folder:
        job = ops.run_export(kind=ExportKind.MEMBERS, path=Path(folder) / "ds.xlsx", options=ExportOptions(),
                             run=ops.ExportRun())
        window.worker.submit(job, outcome.append, outcome.append)
        _idle(qt_app, window)
    result = outcome[0]
    if isinstance(result, Exception):
        raise result
    _ready(_peak_mb(), result.rows)  # type: ignore[attr-defined]


def shown(db: str) -> None:
    """The real entry point, stopped when the main window has been shown (before its data, if it can)."""
    from PySide6.QtCore import QTimer

    from khoi_desktop.gui.main_window import MainWindow

    original = MainWindow.showEvent

    def show_event(self, event) -> None:  # type: ignore[no-untyped-def]
        original(self, event)
        QTimer.singleShot(0, _ready)  # after the show is processed, like the bare window

    MainWindow.showEvent = show_event  # type: ignore[method-assign]
    _sign_in_as_administrator()
    from khoi_desktop.__main__ import main

    main(["--db", db])


def memory_app(db: str) -> None:
    qt_app, window = _open_window(db)
    _select(qt_app, window, _largest_dang_bo(window).id)
    window.search_edit.setText("nguyen van")
    _wait(qt_app, window.members_loaded)
    _idle(qt_app, window)
    _ready(_peak_mb(), window.member_model.rowCount())


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "bare":
        bare()
    elif mode == "memory-bare":
        bare(report_memory=True)
    elif mode == "app":
        app(rest[0])
    elif mode == "expand":
        expand(rest[0], int(rest[1]))
    elif mode == "memory-app":
        memory_app(rest[0])
    elif mode == "memory-export":
        memory_export(rest[0])
    elif mode == "shown":
        shown(rest[0])
    else:
        raise SystemExit(f"unknown mode {mode}")
