"""Backup settings: how many daily, weekly and monthly backups to keep; the automatic interval."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from khoi_desktop.core.backup.settings import BackupSettings
from khoi_desktop.gui.backup import ops
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.errors import present_error


class BackupSettingsDialog(QDialog):
    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Cài đặt sao lưu")
        current: BackupSettings = controller.settings

        def spin(value: int, maximum: int, suffix: str) -> QSpinBox:
            box = QSpinBox(self)
            box.setRange(0, maximum)
            box.setValue(value)
            box.setSuffix(suffix)
            return box

        self.daily = spin(current.keep_daily, 1000, " bản")
        self.weekly = spin(current.keep_weekly, 1000, " bản")
        self.monthly = spin(current.keep_monthly, 1000, " bản")
        self.interval = spin(current.interval_minutes, 24 * 60, " phút")
        self.interval.setSpecialValueText("chỉ khi đóng chương trình")
        form = QFormLayout()
        form.addRow("Giữ bản cuối của mỗi ngày, trong:", self.daily)
        form.addRow("Giữ bản cuối của mỗi tuần, trong:", self.weekly)
        form.addRow("Giữ bản cuối của mỗi tháng, trong:", self.monthly)
        form.addRow("Tự động sao lưu khi dữ liệu thay đổi, mỗi:", self.interval)
        folder = QLabel(f"Thư mục sao lưu tự động: {controller.folder}", self)
        folder.setWordWrap(True)
        buttons = vietnamese_buttons(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(folder)
        layout.addWidget(buttons)

    def value(self) -> BackupSettings:
        return dataclasses.replace(self.controller.settings, keep_daily=self.daily.value(),
                                   keep_weekly=self.weekly.value(), keep_monthly=self.monthly.value(),
                                   interval_minutes=self.interval.value())

    def accept(self) -> None:
        try:
            settings = self.value().validated()
        except Exception as error:
            present_error(self, error)
            return
        self.controller.main_window.worker.submit(ops.save_settings(settings=settings), self.controller.apply_settings,
                                             lambda error: present_error(self.controller.main_window, error))
        super().accept()
