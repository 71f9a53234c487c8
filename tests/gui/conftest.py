"""GUI fixtures: one demo office generated per session, copied fresh for each test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths

from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import backup_copy, open_database
from khoi_desktop.gui.worker import DbWorker

QStandardPaths.setTestModeEnabled(True)
ADMIN = CurrentUser("admin", "Quản trị dữ liệu mẫu", Role.QUAN_TRI)  # the demo office's administrator


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from khoi_desktop.core.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(path, create=True)
    generate_demo(db, scale=1, seed=1, today=dt.date.today())
    db.close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "office.db"
    backup_copy(demo_template, path)
    return path


@pytest.fixture
def main_window(qtbot, demo_path: Path, qapp):  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.app import make_application
    from khoi_desktop.gui.main_window import MainWindow

    make_application()
    db = open_database(demo_path)
    db.user = ADMIN  # the GUI always works for a signed-in user (gui/auth)
    worker = DbWorker(db)
    window = MainWindow(worker)
    qtbot.addWidget(window)
    # The first reads of the window (a second or so): generous, for a loaded machine running `pytest -n`
    # (a full run at load 14 once waited 20 s here); a window that never settles still fails.
    qtbot.waitUntil(lambda: window.tree_model.snapshot is not None, timeout=60_000)
    qtbot.waitUntil(lambda: worker.pending == 0, timeout=60_000)
    yield window
    window.close()


@pytest.fixture
def answer_box(qtbot):  # type: ignore[no-untyped-def]
    """Arm a handler that answers the next modal message box by clicking its button named `text`, as a clerk
    would; returns the texts of the boxes answered (empty if none was shown)."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    answered: list[str] = []

    def arm(text: str) -> list[str]:
        def click() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(20, click)
                return
            answered.append(box.text())
            button = next(b for b in box.buttons() if b.text().replace("&", "") == text)
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

        QTimer.singleShot(0, click)
        return answered

    return arm
