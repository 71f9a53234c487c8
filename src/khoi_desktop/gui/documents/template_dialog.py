"""Editor of the wording templates: one per decision type, checked as typed, previewed on a sample."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.actions import ACTION_LABELS
from khoi_desktop.core.audit import os_user
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.wording.templates import (
    PLACEHOLDER_HELP,
    allowed_placeholders,
    render_template,
    sample_values,
)
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.documents import ops
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.escape_guard import guard_escape
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.worker import DbWorker

ActionRole = Qt.ItemDataRole.UserRole + 1


class TemplateDialog(QDialog):
    loaded = Signal()
    saved = Signal(str)

    def __init__(self, worker: DbWorker, show_pdf: Callable[[ops.PdfCopy], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mẫu lời văn quyết định")
        # Esc asks before throwing away a template typed and not saved (this one or another in the list)
        self.escape_guard = guard_escape(self, lambda: any(text != self._stored.get(action)
                                                           for action, text in self._edited.items()))
        self.resize(1150, 680)
        self.worker = worker
        self._show_pdf = show_pdf
        self._stored: dict[str, str] = {}
        self._edited: dict[str, str] = {}
        self._customized: set[str] = set()
        self._action: str | None = None
        self._closed = False
        self._build()
        self.finished.connect(self._on_finished)
        self.worker.submit(ops.load_template_texts(), self._live(self._on_loaded), self._present)

    # Answers that arrive after the dialog closed touch no widget.
    def _on_finished(self) -> None:
        self._closed = True

    def _live(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        return lambda result: None if self._closed else callback(result)

    def _present(self, error: Exception) -> None:
        if not self._closed:
            present_error(self, error)

    def _build(self) -> None:
        self.action_list = QListWidget(self)
        self.action_list.setObjectName("actions")
        for action, label in ACTION_LABELS.items():
            item = QListWidgetItem(label)
            item.setData(ActionRole, action)
            self.action_list.addItem(item)
        self.action_list.currentItemChanged.connect(self._on_action_changed)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("editor")
        self.editor.textChanged.connect(self._on_text_changed)
        self.placeholders = QLabel(self)
        self.placeholders.setWordWrap(True)
        self.placeholders.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("preview")
        self.preview.setReadOnly(True)

        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Dòng đầu là trích yếu («về việc …»); mỗi Điều bắt đầu bằng «Điều N.»; "
                                "chỗ cần điền viết trong ngoặc nhọn.", self))
        column.addWidget(self.editor, 3)
        column.addWidget(self.placeholders)
        column.addWidget(self.status)
        column.addWidget(QLabel("Xem trước với dữ liệu mẫu:", self))
        column.addWidget(self.preview, 2)
        splitter = QSplitter(self)
        splitter.addWidget(self.action_list)
        splitter.addWidget(right)
        splitter.setSizes([240, 900])

        buttons = vietnamese_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                                      | QDialogButtonBox.StandardButton.Close, self))
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.clicked.connect(self.save_current)
        buttons.rejected.connect(self.reject)
        self.reset_button = tag(QPushButton("Khôi phục mẫu mặc định", self), Permission.TEMPLATES)
        self.reset_button.clicked.connect(self._confirm_reset)
        self.sample_button = tag(QPushButton("Xem bản in mẫu…", self), Permission.TEMPLATES)
        self.sample_button.clicked.connect(self.show_sample_pdf)
        self.compounds_button = tag(QPushButton("Từ ghép không ngắt dòng…", self), Permission.TEMPLATES)
        self.compounds_button.setObjectName("open_compounds")
        self.compounds_button.clicked.connect(self.open_compounds)
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(self.sample_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.compounds_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        bottom = QHBoxLayout()
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

    def open_compounds(self) -> QDialog:
        from khoi_desktop.gui.documents.compounds_dialog import CompoundsDialog

        dialog = CompoundsDialog(self.worker, self)
        dialog.open()
        return dialog

    # --- state ---------------------------------------------------------------------------------
    @property
    def action(self) -> str | None:
        return self._action

    def select_action(self, action: str) -> None:
        for row in range(self.action_list.count()):
            if self.action_list.item(row).data(ActionRole) == action:
                self.action_list.setCurrentRow(row)
                return

    def _on_loaded(self, data: ops.TemplatesData) -> None:
        self._stored = dict(data.texts)
        self._customized = set(data.customized)
        self._refresh_labels()
        if self.action_list.currentRow() < 0:
            self.action_list.setCurrentRow(0)
        self.loaded.emit()

    def _refresh_labels(self) -> None:
        for row in range(self.action_list.count()):
            item = self.action_list.item(row)
            action = item.data(ActionRole)
            mark = " (đã sửa)" if action in self._customized else ""
            unsaved = " *" if action in self._edited and self._edited[action] != self._stored.get(action) else ""
            item.setText(f"{ACTION_LABELS[action]}{mark}{unsaved}")

    def _on_action_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        self._action = current.data(ActionRole)
        names = allowed_placeholders(self._action)
        self.placeholders.setText("Chỗ cần điền: " + "; ".join(
            f"{{{name}}} – {PLACEHOLDER_HELP.get(name, '')}" for name in names))
        text = self._edited.get(self._action, self._stored.get(self._action, ""))
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.blockSignals(False)
        self._update_preview()

    def _on_text_changed(self) -> None:
        if self._action is not None:
            self._edited[self._action] = self.editor.toPlainText()
            self._refresh_labels()
        self._update_preview()

    def _update_preview(self) -> None:
        if self._action is None:
            return
        try:
            rendered = render_template(self._action, sample_values(self._action), self.editor.toPlainText())
        except KhoiError as error:
            self.status.setStyleSheet("color: #b00020;")
            self.status.setText(error.message)
            self.preview.setPlainText("")
            return
        self.status.setStyleSheet("color: #1b5e20;")
        self.status.setText("Mẫu hợp lệ.")
        self.preview.setPlainText(rendered)

    # --- actions -------------------------------------------------------------------------------
    def save_current(self) -> None:
        action, text = self._action, self.editor.toPlainText()
        if action is None:
            return

        def done(stored: str) -> None:
            self._stored[action] = stored
            self._edited.pop(action, None)
            if action == self._action:
                self.editor.document().setModified(False)  # saved: Esc closes at once again
            self._customized.add(action)
            self._refresh_labels()
            self.saved.emit(action)

        self.worker.submit(ops.store_template(action=action, text=text, actor=os_user()), self._live(done),
                           self._present)

    def _confirm_reset(self) -> None:
        if self._action is None:
            return
        answer = QMessageBox.question(self, "Khôi phục mẫu",
                                      f"Trả mẫu «{ACTION_LABELS[self._action]}» về lời văn mặc định?")
        if answer == QMessageBox.StandardButton.Yes:
            self.reset_current()

    def reset_current(self) -> None:
        action = self._action
        if action is None:
            return

        def done(text: str) -> None:
            self._stored[action] = text
            self._edited.pop(action, None)
            self._customized.discard(action)
            self._refresh_labels()
            if self._action == action:
                self.editor.setPlainText(text)
            self.saved.emit(action)

        self.worker.submit(ops.restore_default_template(action=action, actor=os_user()), self._live(done),
                           self._present)

    def show_sample_pdf(self) -> None:
        if self._action is not None:
            self.worker.submit(ops.sample_pdf(action=self._action, text=self.editor.toPlainText()),
                               self._show_pdf, self._present)
