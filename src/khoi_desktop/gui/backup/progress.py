"""Progress for long backup work: a dialog fed from any thread, and background tasks off the worker."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QProgressDialog, QWidget

SHOW_AFTER_MS = 400


class WorkProgressDialog(QProgressDialog):
    """Stays until the work is over (`finish()`): Escape or the title bar's × hid it while the backup (or the
    restore) went on, and the clerk believed it stopped, or done."""

    def __init__(self, label: str, parent: QWidget | None) -> None:
        super().__init__(label, "", 0, 100, parent)
        self._over = False

    def finish(self) -> None:
        """The work is over: the dialog may close."""
        self._over = True
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape and not self._over:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self._over:
            event.ignore()
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if self._over:
            super().reject()


def progress_dialog(parent: QWidget | None, title: str, label: str) -> WorkProgressDialog:
    dialog = WorkProgressDialog(label, parent)
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
