"""Export from the window: on the worker with a progress bar, and a Dừng button that leaves no file."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from khoi_desktop.core.db import open_database
from khoi_desktop.gui.worker import DbWorker
from khoi_desktop.spreadsheets.kinds import ExportKind


@pytest.fixture
def worker(demo_path: Path, qapp: QApplication) -> Iterator[DbWorker]:
    from khoi_desktop.gui.app import make_application

    make_application()
    worker = DbWorker(open_database(demo_path))
    yield worker
    worker.close()


def dialog_for(qtbot, worker: DbWorker, target: Path):  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.spreadsheets.export_dialog import ExportDialog

    dialog = ExportDialog(worker, as_of=dt.date.today())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.org.count() > 1, timeout=10_000)
    dialog.kind.setCurrentIndex(dialog.kind.findData(ExportKind.MEMBERS.value))
    dialog.path.setText(str(target))
    return dialog


def test_progress_reaches_every_member(qtbot, worker: DbWorker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_for(qtbot, worker, tmp_path / "ds.xlsx")
    seen: list[tuple[int, int]] = []
    original = dialog._progressed

    def spy(done: int, total: int) -> None:
        seen.append((done, total))
        original(done, total)

    dialog._progressed = spy  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as signal:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert dialog.stop_button.isVisible() and dialog.progress.isVisible()
    rows = signal.args[0].rows
    assert rows > 5000 and seen and seen[-1] == (rows, rows)
    assert not dialog.stop_button.isVisible() and not dialog.progress.isVisible()


def test_stop_leaves_no_file(qtbot, worker: DbWorker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "ds.xlsx"
    dialog = dialog_for(qtbot, worker, target)
    gate = threading.Event()
    worker.submit(lambda _db: gate.wait(10), lambda _r: None, lambda _e: None)  # the worker is busy
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: worker.pending == 0, timeout=30_000)
    qtbot.waitUntil(lambda: "Đã dừng xuất Excel" in dialog.result_label.text(), timeout=10_000)
    assert not target.exists() and list(tmp_path.glob("*.dang-ghi")) == []
    assert dialog.export_button.isEnabled() and not dialog.stop_button.isVisible()
