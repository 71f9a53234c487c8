"""Start-up (issue 15): the main window shows before the database is open, says it is loading, and then
shows the file's own numbers, never an empty or wrong count in between."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from khoi_desktop.core.stats import thousands
from khoi_desktop.gui.worker import DbWorker


def test_the_window_module_loads_neither_the_orm_nor_the_areas() -> None:
    # Nor the database's own modules and drivers, the jobs or the log file's handlers: the first frame is Qt
    # and plain data (bench/start.py start_window_shown).
    code = ("import sys; import khoi_desktop.gui.app, khoi_desktop.gui.main_window; "
            "import khoi_desktop.core.backup.leftovers, khoi_desktop.core.keyslots.opening; "
            "print(sorted(m for m in ('sqlalchemy', 'cryptography', 'argon2', 'reportlab', 'openpyxl', "
            "'khoi_desktop.gui.workflows', 'khoi_desktop.gui.auth', 'sqlcipher3', 'khoi_desktop.core.db', "
            "'khoi_desktop.core.tree', 'khoi_desktop.gui.ops', 'logging.handlers', 'platformdirs', "
            "'khoi_desktop.cli.common') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_first_frame_is_made_without_qts_namespace(tmp_path: Path) -> None:
    """Creating the `Qt` namespace's enums costs about what a bare PySide6 window takes to show: the first frame
    (the window saying it is loading) is made without it; the widgets that name it follow (MainWindow.build).
    So are the classes of the widgets that come with build() and of the status label's cut text: PySide
    creates a class (its enums with it) when it is first named, QStyle alone ≈ 6 ms."""
    later = "('QStyle', 'QDateEdit', 'QTableView', 'QHeaderView', 'QSplitter', 'QKeySequence', 'QProgressDialog')"
    code = ("import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'; from pathlib import Path; "
            "import PySide6.QtCore as core, PySide6.QtGui as gui, PySide6.QtWidgets as widgets; "
            "from khoi_desktop.gui.app import make_application; "
            "from khoi_desktop.gui.main_window import MainWindow; from khoi_desktop.gui.worker import DbWorker; "
            "app = make_application(alt_letters=False); "  # as run_gui: the letters' filter after the first frame
            "window = MainWindow(DbWorker(None, path=Path(sys.argv[1])), start=False); "
            "window.show(); app.processEvents(); first = 'Qt' in core.__dict__; text = window.totals_label.text(); "
            f"made = [n for n in {later} if n in widgets.__dict__ or n in gui.__dict__]; "
            "window.build(); print(first, made, text, 'Qt' in core.__dict__, window.tree_model.rowCount()); "
            "window.worker.close()")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "office.db")], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "[]", "Đang", "tải", "dữ", "liệu…", "True", "0"]


def test_the_real_start_shows_the_window_before_it_reads_the_file(tmp_path: Path) -> None:
    """Through the entry point (`khoi-desktop --db FILE`) up to the window's first show: the single-instance
    claim and the lock beside the file are taken, but nothing has read the file yet (leftovers of a restore,
    encrypted or not: after the first frame), and neither the socket module, OpenSSL's hashlib nor dataclasses
    have loaded for it (≈ 12 ms of CPU together, bench/start.py start_window_shown)."""
    import os

    database = tmp_path / "office.db"
    database.write_bytes(b"")
    leftover = tmp_path / "office.db.khoi-phuc-1.tmp"  # what a killed restore leaves: removed, after the frame
    leftover.write_bytes(b"x")
    code = ("import os, sys; from khoi_desktop.gui.main_window import MainWindow; original = MainWindow.showEvent\n"
            "unix = () if sys.platform == 'win32' else ('socket',)  # Windows names the computer through it\n"
            "def shown(self, event):\n"
            "    original(self, event)\n"
            "    print(sorted(m for m in ('hashlib', '_hashlib', 'dataclasses', 'khoi_desktop.core.keyslots',"
            " 'khoi_desktop.core.backup.leftovers', 'khoi_desktop.core.db', 'khoi_desktop.gui.alt_letters', *unix)"
            " if m in sys.modules), "
            "os.path.exists(sys.argv[2]), os.path.exists(sys.argv[1] + '.dang-mo'), flush=True)\n"
            "    os._exit(0)\n"
            "MainWindow.showEvent = shown\n"
            "from khoi_desktop.__main__ import main; main(['--db', sys.argv[1]])")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KHOI_DESKTOP_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", code, str(database), str(leftover)], capture_output=True, text=True,
                          check=True, env=env, timeout=60)
    assert done.stdout.split() == ["[]", "True", "True"]


def test_the_dialogs_alt_letters_come_after_the_first_frame_before_the_login(tmp_path: Path) -> None:
    """The Alt letters' event filter (gui/alt_letters.py, ≈ 6 ms of CPU) is installed after the window's first
    frame, and before the first dialog of the program (the login) shows."""
    import datetime as dt
    import os

    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.office import create_office
    from khoi_desktop.core.settings import OfficeSettings

    database = tmp_path / "office.db"
    db = open_database(database, create=True)
    with db.writing() as session:
        create_office(session, OfficeSettings(), term="2025-2030", term_starts_on=dt.date(2025, 10, 1), actor="test")
    db.close()
    code = ("import os, sys; from khoi_desktop.gui import app; from khoi_desktop.gui.main_window import MainWindow\n"
            "original = MainWindow.showEvent\n"
            "def shown(self, event):\n"
            "    original(self, event)\n"
            "    print('shown', 'khoi_desktop.gui.alt_letters' in sys.modules, flush=True)\n"
            "MainWindow.showEvent = shown\n"
            "def sign_in(worker):\n"
            "    from khoi_desktop.gui.alt_letters import AltLetters\n"
            "    print('login', AltLetters._installed is not None, flush=True)\n"
            "    os._exit(0)\n"
            "app.sign_in = sign_in\n"
            "from khoi_desktop.__main__ import main; main(['--db', sys.argv[1]])")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KHOI_DESKTOP_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", code, str(database)], capture_output=True, text=True, check=True,
                          env=env, timeout=60)
    assert done.stdout.split() == ["shown", "False", "login", "True"]


def test_window_first_then_the_file_then_the_data(qtbot, demo_path: Path, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.app import make_application, run_with_progress
    from khoi_desktop.gui.main_window import MainWindow

    make_application()
    worker = DbWorker(None, path=demo_path)
    window = MainWindow(worker, start=False)
    qtbot.addWidget(window)
    shown_texts: list[str] = []
    set_text = window.totals_label.setText

    def spy(text: str) -> None:
        shown_texts.append(text)
        set_text(text)

    window.totals_label.setText = spy  # type: ignore[method-assign]
    window.show()
    assert window.isVisible() and window.totals_label.text() == "Đang tải dữ liệu…"
    assert demo_path.name in window.windowTitle() and not window.built
    worker.db = run_with_progress(worker, worker.open_job(), "Đang mở tệp dữ liệu…")
    assert worker.db.path == demo_path
    assert not window.built and window.totals_label.text() == "Đang tải dữ liệu…"  # widgets come with start()
    assert not hasattr(window, "spreadsheets_menu")
    with qtbot.waitSignal(window.overview_loaded, timeout=30_000):
        window.start()
    assert window.tree_model.rowCount() > 0 and hasattr(window, "spreadsheets_menu")
    members = sum(window.tree_model.snapshot.nodes[r].members for r in window.tree_model.snapshot.roots)
    assert shown_texts and all(thousands(members) in t for t in shown_texts)  # straight to the real count
    window.close()


def test_start_up_shows_the_tree_then_installs_the_areas(qtbot, demo_path: Path, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.gui.app import make_application, run_with_progress
    from khoi_desktop.gui.main_window import MainWindow

    make_application()
    worker = DbWorker(None, path=demo_path)
    window = MainWindow(worker, start=False)
    qtbot.addWidget(window)
    window.show()
    worker.db = run_with_progress(worker, worker.open_job(), "Đang mở tệp dữ liệu…")
    worker.db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    areas_at_first_overview: list[bool] = []
    window.overview_loaded.connect(lambda: areas_at_first_overview.append(hasattr(window, "spreadsheets_menu")))
    window.start(data_first=True)
    qtbot.waitUntil(lambda: len(areas_at_first_overview) == 2, timeout=30_000)
    # The tree first, without the areas; then the areas, told once more of the overview already shown.
    assert areas_at_first_overview == [False, True] and window.tree_model.rowCount() > 0
    assert window.user_label.text()  # auth installed and applied the signed-in user's role
    window.close()


def test_the_first_overview_is_read_while_the_widgets_are_built(qtbot, demo_path: Path, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    """gui/app.py starts the window (data_first) after the file is open: the overview's job goes to the worker
    before the widgets are built on this thread, so the two run side by side (they ran one after the other)."""
    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.gui.app import make_application, open_in_window

    make_application()
    window, worker = open_in_window(demo_path)
    qtbot.addWidget(window)
    assert not window.built and window.totals_label.text() == "Đang tải dữ liệu…"
    worker.db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    built_when_asked: list[bool] = []
    worker._submit.connect(lambda *_job: built_when_asked.append(window.built))
    with qtbot.waitSignal(window.overview_loaded, timeout=30_000):
        window.start(data_first=True)
        assert window.built  # the widgets are there before the answer can be delivered
    assert built_when_asked[0] is False and window.tree_model.rowCount() > 0
    qtbot.waitUntil(lambda: window.areas_installed and not worker.pending, timeout=30_000)
    window.close()
    worker.close()


def test_an_existing_demo_chosen_at_first_start_opens_off_the_gui_thread(qtbot, demo_path: Path,  # type: ignore[no-untyped-def]
                                                                         qapp: QApplication,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """An older demo file migrates where every other file does: on the worker, while the window paints."""
    import threading

    import khoi_desktop.core.db as core_db
    from khoi_desktop.gui.app import open_demo

    threads: list[str] = []
    real = core_db.open_database

    def recording(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(core_db, "open_database", recording)  # the worker's open job imports it when it runs
    worker = open_demo(demo_path)
    try:
        assert worker.db is not None and worker.db.path == demo_path
        assert threads and threading.main_thread().name not in threads
    finally:
        worker.close()


def test_the_encryption_offer_waits_for_the_areas_not_the_tree(qtbot, demo_path: Path, qapp: QApplication,  # type: ignore[no-untyped-def]
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing the offer (gui/auth: SQLAlchemy, the models) before the event loop ran held the tree back
    seconds at start-up; it comes once the areas are in, after the tree has filled."""
    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.gui.app import make_application, offer_encryption_once_areas_are_in, run_with_progress
    from khoi_desktop.gui.auth import encrypt_file
    from khoi_desktop.gui.main_window import MainWindow

    offered: list[bool] = []
    monkeypatch.setattr(encrypt_file, "offer", lambda window: offered.append(window.areas_installed))
    make_application()
    worker = DbWorker(None, path=demo_path)
    window = MainWindow(worker, start=False)
    qtbot.addWidget(window)
    window.show()
    worker.db = run_with_progress(worker, worker.open_job(), "Đang mở tệp dữ liệu…")
    worker.db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    offered_at_tree: list[int] = []
    window.overview_loaded.connect(lambda: offered_at_tree.append(len(offered)))
    offer_encryption_once_areas_are_in(window)
    window.start(data_first=True)
    qtbot.waitUntil(lambda: offered == [True], timeout=30_000)
    assert offered_at_tree[0] == 0  # the tree filled with no offer yet
    window.overview_loaded.emit()  # a later reload: asked once only
    qtbot.wait(50)
    assert offered == [True]
    window.close()


def test_the_wait_dialog_is_made_only_for_a_job_that_takes_a_while(qtbot, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    """Opening the file at start-up takes less than the dialog's delay: no dialog is made for it (≈ 6 ms of the
    tree's time); a job that takes longer shows «Xin chờ» with its label, closed when it is done."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    from khoi_desktop.gui.app import PROGRESS_AFTER_MS, make_application, run_with_progress

    make_application()
    worker = DbWorker(None, path=Path("unused.db"))
    seen: dict[str, list[tuple[str, bool]]] = {}
    release = threading.Event()

    def look(when: str) -> None:
        seen[when] = [(w.labelText(), w.isVisible()) for w in QApplication.topLevelWidgets()
                      if isinstance(w, QProgressDialog)]
        if when == "later":
            release.set()

    QTimer.singleShot(0, lambda: look("at once"))
    QTimer.singleShot(PROGRESS_AFTER_MS + 300, lambda: look("later"))
    try:
        assert run_with_progress(worker, lambda _db: release.wait(10) and 42, "Đang mở tệp dữ liệu…") == 42
    finally:
        worker.close()
    assert seen["at once"] == [] and seen["later"] == [("Đang mở tệp dữ liệu…", True)]
    assert not any(isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_the_filled_tree_is_painted_before_the_areas_load(qtbot, demo_path: Path, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    """Qt paints with a low priority, after every timer: the areas' installation (a timer after the first
    overview, about half a second of imports) came before the filled tree's first paint. Now the tree is on
    screen first, and the jobs asked while it filled (findings, members, detail) start after that paint."""
    from PySide6.QtCore import QEvent, QObject

    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.gui.app import make_application, run_with_progress
    from khoi_desktop.gui.main_window import MainWindow

    make_application()
    worker = DbWorker(None, path=demo_path)
    window = MainWindow(worker, start=False)
    qtbot.addWidget(window)
    window.show()
    window.build()
    worker.db = run_with_progress(worker, worker.open_job(), "Đang mở tệp dữ liệu…")
    worker.db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    events: list[tuple[str, int, bool]] = []

    class Paints(QObject):
        def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                events.append(("paint", window.tree_model.rowCount(), window.areas_installed))
            return False

    paints = Paints()
    window.tree.viewport().installEventFilter(paints)
    worker._submit.connect(lambda *_job: events.append(("job", window.tree_model.rowCount(), window.areas_installed)))
    window.start(data_first=True)
    qtbot.waitUntil(lambda: window.areas_installed and not worker.pending, timeout=30_000)
    filled = [e for e in events if e[1] > 0]
    assert filled[0] == ("paint", window.tree_model.rowCount(), False)  # the tree on screen, areas still to come
    assert any(e[0] == "job" for e in filled)  # the findings, members and detail: after that paint
    assert "(…)" not in window.bottom_tabs.tabText(1) and window.member_model.rowCount() > 0  # all came
    window.tree.viewport().removeEventFilter(paints)
    window.close()
