"""The office's thresholds (thời gian dự bị, chỉ tiêu kết nạp, the Charter's figures on organizations): shown
from the settings, edited and saved by an administrator (core/threshold_edit.py checks each range)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import Area
from khoi_desktop.core.threshold_edit import FIELDS
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.core.db import Database
    from khoi_desktop.core.settings import Thresholds
    from khoi_desktop.gui.main_window import MainWindow


def save_job(values: dict[str, float]):  # type: ignore[no-untyped-def]
    def job(db: Database) -> Thresholds:
        from khoi_desktop.core.threshold_edit import update_thresholds

        with db.writing() as session:
            return update_thresholds(session, values)

    return job


class ThresholdsDialog(QDialog):
    saved = Signal(object)  # the Thresholds saved

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.setWindowTitle("Ngưỡng theo quy định và chỉ tiêu")
        current = window.settings.thresholds
        layout = QVBoxLayout(self)
        note = QLabel("Các con số theo Điều lệ Đảng và hướng dẫn thi hành, chỉ tiêu của Đại hội: sửa khi quy định "
                      "thay đổi. Áp dụng cho các kiểm tra, danh sách và quyết định lập từ nay.", self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.edits: dict[str, QSpinBox | QDoubleSpinBox] = {}
        groups: dict[str, QFormLayout] = {}
        for field in FIELDS:
            if field.group not in groups:
                box = QGroupBox(field.group, self)
                groups[field.group] = QFormLayout(box)
                layout.addWidget(box)
            value = getattr(current, field.name)
            edit: QSpinBox | QDoubleSpinBox
            if isinstance(value, float):
                edit = QDoubleSpinBox(self)
                edit.setDecimals(1)
                edit.setSingleStep(0.5)
            else:
                edit = QSpinBox(self)
            edit.setObjectName(field.name)
            edit.setRange(field.low, field.high)  # type: ignore[arg-type]
            edit.setValue(value)
            edit.setSuffix(f" {field.unit}" if field.unit != "%" else " %")
            edit.setMinimumWidth(150)
            groups[field.group].addRow(f"{field.label}:", edit)
            self.edits[field.name] = edit
        self.buttons = vietnamese_buttons(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self))
        self.save_button = tag(self.buttons.button(QDialogButtonBox.StandardButton.Save), Permission.SETTINGS)
        self.save_button.setText("Lưu")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(900, 600)

    def values(self) -> dict[str, float]:
        return {name: edit.value() for name, edit in self.edits.items()}

    def save(self) -> None:
        self.save_button.setEnabled(False)
        self.main_window.worker.submit(save_job(self.values()), self._saved, self._failed)

    def _saved(self, thresholds: Thresholds) -> None:
        self.main_window.notify_changed(frozenset({Area.SETTINGS}))
        self.saved.emit(thresholds)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        present_error(self, error)
