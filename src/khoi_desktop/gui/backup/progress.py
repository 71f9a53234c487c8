"""Progress for long backup work: a dialog fed from any thread, and background tasks off the worker."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

SHOW_AFTER_MS = 400


def progress_dialog(parent: QWidget | None, title: str, label: str) -> QProgressDialog:
    dialog = QProgressDialog(label, "", 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)  # stopping half-way through a write or a swap is not safe
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    return dialog


class ProgressRelay(QObject):
    """`report` may be called from any thread; the dialog is updated on the GUI thread."""

    changed = Signal(float, str)

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.changed.connect(self._show)

    def report(self, fraction: float, label: str) -> None:
        self.changed.emit(fraction, label)

    @Slot(float, str)
    def _show(self, fraction: float, label: str) -> None:
        self.dialog.setLabelText(label)
        self.dialog.setValue(max(0, min(99, int(fraction * 100))))


class BackgroundTask(QObject):
    """Runs `work(report)` on a plain thread (file work with no database worker, e.g. a restore while
    the worker is closed); the outcome comes back on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Callable[[float, str], None]], Any], *,
                 on_done: Callable[[Any], None], on_error: Callable[[Exception], None],
                 relay: ProgressRelay | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._on_done, self._on_error = on_done, on_error
        self._relay = relay
        self.finished = False
        self.succeeded.connect(self._done)
        self.failed.connect(self._failed)
        self._thread = threading.Thread(target=self._run, name="khoi-backup-task", daemon=True)

    def start(self) -> BackgroundTask:
        self._thread.start()
        return self

    def _report(self, fraction: float, label: str) -> None:
        if self._relay is not None:
            self._relay.report(fraction, label)

    def _run(self) -> None:
        try:
            result = self._work(self._report)
        except Exception as exc:  # handed to the GUI thread's presenter
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)

    @Slot(object)
    def _done(self, result: object) -> None:
        self.finished = True
        self._on_done(result)

    @Slot(object)
    def _failed(self, error: object) -> None:
        self.finished = True
        assert isinstance(error, Exception)
        self._on_error(error)
