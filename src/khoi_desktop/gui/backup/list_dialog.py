"""The backups in the backups folder, newest first; back up now or restore the selected one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.gui.backup import ops
from khoi_desktop.gui.backup.list_model import BackupListModel
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag

USB_NOTE = ("Bản sao lưu ra USB nằm trên USB, không liệt kê ở đây; để khôi phục từ USB, dùng Sao lưu › Khôi phục… "
            "rồi «Chọn tệp…».")


class BackupListDialog(QDialog):
    loaded = Signal()

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Danh sách bản sao lưu")
        self.resize(900, 460)
        self.folder_label = QLabel(self)
        self.folder_label.setWordWrap(True)
        self.model = BackupListModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("backup_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(BackupListModel.COL_FILE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 140), (1, 90), (2, 70), (3, 80), (4, 80), (5, 70)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _index: self._restore_selected())
        backup = tag(QPushButton("Sao lưu ngay", self), Permission.BACKUP)
        backup.setObjectName("backup_now_button")
        backup.clicked.connect(controller.backup_now)
        self.restore_button = tag(QPushButton("Khôi phục bản đã chọn…", self), Permission.RESTORE)
        self.restore_button.clicked.connect(self._restore_selected)
        reveal = tag(QPushButton("Mở thư mục", self), Permission.BACKUP)
        reveal.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.controller.folder))))
        refresh = tag(QPushButton("Làm mới", self), Permission.BACKUP)
        refresh.clicked.connect(self.reload)
        close = vietnamese_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self))
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (backup, self.restore_button, reveal, refresh):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        controller.backup_finished.connect(self._on_backup)
        self.reload()

    def reload(self) -> None:
        folder = self.controller.folder
        self.folder_label.setText(f"Thư mục sao lưu tự động: {folder}")
        self.controller.main_window.worker.submit(ops.list_backups(folder=folder), self._show,
                                             lambda error: present_error(self, error))

    def _on_backup(self, _done: object) -> None:
        self.reload()

    def _show(self, rows: list[ops.BackupRow]) -> None:
        self.model.set_rows(rows)
        count = len(rows)
        # Only this folder is listed: right after «Sao lưu ra USB…» it said «chưa có bản sao lưu nào», as if the
        # copy just made had gone nowhere.
        listed = f"{count} bản sao lưu tự động" if count else "chưa có bản sao lưu tự động nào"
        self.folder_label.setText(f"Thư mục sao lưu tự động: {self.controller.folder} — {listed}. {USB_NOTE}")
        self.loaded.emit()

    def _restore_selected(self) -> None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return
        self.controller.open_restore_dialog(self.model.row_at(indexes[0].row()).path)
