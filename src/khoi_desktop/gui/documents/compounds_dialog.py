"""The office's list of compounds a printed subject line or list title never splits ("Bệnh viện")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from khoi_desktop.core.audit import os_user
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.documents import ops
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.worker import DbWorker


class CompoundsDialog(QDialog):
    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Từ ghép không ngắt dòng")
        self.resize(520, 560)
        self.worker = worker
        self._closed = False
        self.finished.connect(lambda _code: setattr(self, "_closed", True))
        hint = QLabel("Mỗi dòng một từ ghép (hai chữ trở lên, ví dụ «Bệnh viện», «Thái Nguyên»). Trích yếu và "
                      "tên danh sách kèm theo không bao giờ xuống dòng giữa một từ ghép; chữ hoa hay chữ "
                      "thường đều được.", self)
        hint.setWordWrap(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("compounds")
        self.status = QLabel(self)
        self.status.setObjectName("status")
        buttons = vietnamese_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                                      | QDialogButtonBox.StandardButton.Close, self))
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.worker.submit(ops.load_line_compounds(), self._live(self._show), self._present)

    def _live(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        return lambda result: None if self._closed else callback(result)

    def _present(self, error: Exception) -> None:
        if not self._closed:
            present_error(self, error)

    def _show(self, compounds: list[str]) -> None:
        self.editor.setPlainText("\n".join(compounds))
        self.status.setText(f"{len(compounds)} từ ghép.")

    def save(self) -> None:
        compounds = [line for line in self.editor.toPlainText().splitlines() if line.strip()]
        self.worker.submit(ops.store_line_compounds(compounds=compounds, actor=os_user()),
                           self._live(self._saved), self._present)

    def _saved(self, compounds: list[str]) -> None:
        self._show(compounds)
        self.status.setText(f"Đã lưu {len(compounds)} từ ghép.")
