"""A wizard page whose "Next" first runs a job on the database worker and moves on when it is done."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWizardPage

from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.worker import Job

if TYPE_CHECKING:
    from khoi_desktop.gui.spreadsheets.import_wizard import ImportState, ImportWizard


class WorkerPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self._busy = False
        self._advance = False
        self.busy_label = QLabel("", self)
        self.busy_label.setObjectName("busy")
        self.busy_label.setStyleSheet("color: #555; font-style: italic;")

    @property
    def state(self) -> ImportState:
        return self._wizard.state

    @property
    def busy(self) -> bool:
        return self._busy

    def run(self, job: Job, on_done: Callable[[Any], None], label: str, *, then_next: bool = False) -> None:
        """Run `job` on the worker with the page's buttons held; on success `on_done`, then Next if asked."""
        self._busy = True
        self.busy_label.setText(label)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.completeChanged.emit()

        def done(result: Any) -> None:
            self._finish()
            on_done(result)
            if then_next:
                self._advance = True
                self._wizard.next()
                self._advance = False

        def failed(error: Exception) -> None:
            self._finish()
            present_error(self, error)

        self._wizard.worker.submit(job, done, failed)

    def _finish(self) -> None:
        self._busy = False
        self.busy_label.setText("")
        self.unsetCursor()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self._busy and super().isComplete()

    def advancing(self) -> bool:
        """True inside the Next that follows a finished job: validatePage may let it through."""
        return self._advance
