"""Edit a draft's wording (subject, articles, basis) before it is issued."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.changes import DRAFTED
from khoi_desktop.core.decision_content import Article, DecisionContent
from khoi_desktop.core.text import nfc
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.escape_guard import guard_escape
from khoi_desktop.gui.workflows import jobs

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


class DraftEditor(QDialog):
    def __init__(self, window: MainWindow, decision_id: int, content: DecisionContent,
                 parent: QWidget | None = None, *, version: int | None = None) -> None:
        super().__init__(parent or window)
        self.main_window = window
        self.decision_id = decision_id
        self.version = version  # what was opened: a save over someone else's newer one is refused
        self.content = content
        self.setWindowTitle("Sửa nội dung dự thảo")
        self.escape_guard = guard_escape(self)  # Esc asks before throwing away what was typed
        self.subject = QLineEdit(content.subject, self)
        self.basis = QPlainTextEdit("\n".join(content.basis), self)
        self.basis.setFixedHeight(60)
        self.articles = [QPlainTextEdit("\n".join(a.paragraphs), self) for a in content.articles]
        form = QFormLayout()
        form.addRow("Trích yếu:", self.subject)
        form.addRow("Xét đề nghị:", self.basis)
        for number, editor in enumerate(self.articles, 1):
            editor.setMinimumHeight(110)
            form.addRow(f"Điều {number}.", editor)
        holder = QWidget(self)
        holder.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        buttons = vietnamese_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                                      | QDialogButtonBox.StandardButton.Cancel, self))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(820, 640)

    def edited(self) -> DecisionContent:
        def lines(editor: QPlainTextEdit) -> list[str]:
            return [nfc(line) for line in editor.toPlainText().splitlines() if nfc(line)]

        return dataclasses.replace(self.content, subject=nfc(self.subject.text()), basis=lines(self.basis),
                                   articles=[Article(lines(editor)) for editor in self.articles])

    def save(self) -> None:
        self.main_window.worker.submit(jobs.update_draft(decision_id=self.decision_id, content=self.edited(),
                                                         version=self.version),
                                       self._saved, lambda e: present_error(self, e))

    def _saved(self, _result: object) -> None:
        self.main_window.notify_changed(DRAFTED)
        self.accept()
