"""Back up to a USB stick or any folder, optionally encrypted with a passphrase."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.backup.storage import removable_drives
from khoi_desktop.gui.alt_letters import row_label
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.file_dialogs import ask_folder
from khoi_desktop.gui.gating import tag

MIN_PASSPHRASE = 8


class UsbBackupDialog(QDialog):
    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Sao lưu ra USB")
        self.setMinimumWidth(640)
        intro = QLabel("Chọn ổ USB hoặc một thư mục bất kỳ. Bản sao lưu được ghi dưới tên tạm, ghi hẳn xuống "
                       "đĩa, đổi tên rồi đọc lại để kiểm tra; chỉ khi đó mới báo có thể rút USB.", self)
        intro.setWordWrap(True)
        self.target = QComboBox(self)
        self.target.setObjectName("usb_target")
        self.target.setMinimumContentsLength(28)
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        rescan = tag(QPushButton("Tìm lại ổ USB", self), Permission.BACKUP)
        rescan.clicked.connect(self.scan_drives)
        other = tag(QPushButton("Chọn thư mục khác…", self), Permission.BACKUP)
        other.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(rescan)
        row.addWidget(other)
        self.encrypt = QCheckBox("Mã hóa bằng mật khẩu (AES-256)", self)
        self.passphrase = QLineEdit(self)
        self.repeat = QLineEdit(self)
        for edit in (self.passphrase, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setEnabled(False)
        self.encrypt.toggled.connect(self.passphrase.setEnabled)
        self.encrypt.toggled.connect(self.repeat.setEnabled)
        hint = QLabel("Quên mật khẩu thì không ai mở được bản sao lưu này, kể cả bộ phận kỹ thuật. "
                      "Hãy ghi mật khẩu ở nơi an toàn, tách khỏi USB.", self)
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(row_label("Lưu vào:", self.target), row)
        form.addRow("", self.encrypt)
        form.addRow("Mật khẩu:", self.passphrase)
        form.addRow("Nhập lại mật khẩu:", self.repeat)
        self.error = QLabel(self)
        self.error.setObjectName("usb_error")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.buttons = vietnamese_buttons(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sao lưu")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.scan_drives()

    def scan_drives(self) -> None:
        self.target.clear()
        for drive in removable_drives():
            self.target.addItem(f"{drive.label} ({drive.path})", drive.path)
        if self.target.count() == 0:
            self.target.addItem("(Không thấy ổ USB nào)", None)
            self.target.setItemData(0, "Cắm USB rồi bấm «Tìm lại ổ USB», hoặc chọn một thư mục khác.",
                                    Qt.ItemDataRole.ToolTipRole)

    def set_folder(self, folder: Path) -> None:
        self.target.addItem(f"Thư mục {folder}", folder)
        self.target.setCurrentIndex(self.target.count() - 1)

    def _choose_folder(self) -> None:
        folder = ask_folder(self, "Chọn thư mục lưu bản sao lưu")
        if folder is not None:
            self.set_folder(folder)

    def folder(self) -> Path | None:
        data = self.target.currentData()
        return Path(data) if data else None

    def _problem(self) -> str | None:
        if self.folder() is None:
            return "Hãy chọn ổ USB hoặc thư mục."
        if self.encrypt.isChecked():
            if len(self.passphrase.text()) < MIN_PASSPHRASE:
                return f"Mật khẩu cần ít nhất {MIN_PASSPHRASE} ký tự."
            if self.passphrase.text() != self.repeat.text():
                return "Hai lần nhập mật khẩu không giống nhau."
        return None

    def accept(self) -> None:
        problem = self._problem()
        if problem:
            self.error.setText(problem)
            return
        folder = self.folder()
        assert folder is not None
        self.controller.back_up_to(folder, self.passphrase.text() if self.encrypt.isChecked() else None)
        super().accept()
