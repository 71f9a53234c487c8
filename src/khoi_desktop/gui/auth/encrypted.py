"""An encrypted office file in the window: the login that unlocks it before it opens, and the recovery key
shown once after the first administrator was created."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from khoi_desktop.core.auth.current import CurrentUser
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.db import Database
from khoi_desktop.gui.auth import ops
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.worker import DbWorker

ENCRYPTED_HINT = "Tệp dữ liệu được mã hóa: mật khẩu của đồng chí mở khóa tệp."


def login_before_opening(worker: DbWorker, parent: QWidget | None = None) -> QDialog:
    """The login for a worker made without a database (DbWorker(None, path=…)) on an encrypted file: the
    password unlocks the file, which then opens on the worker signed in."""
    from khoi_desktop.gui.auth.login_dialog import LoginDialog

    def opened(db: Database) -> None:
        worker.attach(db)

    return LoginDialog(worker.submit, parent, file_name=worker.path.name, hint=ENCRYPTED_HINT,
                       opener=ops.open_signed_in(worker.path, opened), remember_for=worker.path)


def sign_in_encrypted(worker: DbWorker, parent: QWidget | None = None) -> CurrentUser | None:
    """Before the main window works: who opens the encrypted file (None = the clerk left)."""
    dialog = login_before_opening(worker, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return worker.db.user if worker.db is not None else None


class RecoveryKeyDialog(QDialog):
    """The recovery key, shown once: closing needs the box ticked that says it was written down."""

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recovery_key_dialog")
        self.setWindowTitle("Mã khôi phục của tệp dữ liệu")
        intro = QLabel(
            "Tệp dữ liệu được <b>mã hóa</b>: chỉ mở được bằng mật khẩu của một tài khoản. Nếu mọi mật khẩu quản "
            "trị đều bị quên, chỉ <b>mã khôi phục</b> dưới đây mở được tệp để đặt lại mật khẩu. Mã này chỉ hiện "
            "<b>một lần</b>: hãy chép tay hoặc in ra giấy và cất trong két của văn phòng; không lưu trên máy tính.",
            self)
        intro.setWordWrap(True)
        self.key_label = QLabel(recovery_key, self)
        self.key_label.setObjectName("recovery_key")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(font.pointSize() + 4 if font.pointSize() > 0 else 14)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.written = QCheckBox("Tôi đã chép mã khôi phục và sẽ cất giữ an toàn", self)
        self.written.setObjectName("recovery_written")
        buttons = QDialogButtonBox(self)
        self.ok_button = tag(buttons.addButton("Đã cất giữ mã", QDialogButtonBox.ButtonRole.AcceptRole),
                             Permission.READ)
        self.ok_button.setObjectName("recovery_ok")
        self.ok_button.setEnabled(False)
        self.written.toggled.connect(self.ok_button.setEnabled)
        self.ok_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.key_label)
        layout.addSpacing(8)
        layout.addWidget(self.written)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def reject(self) -> None:  # Escape or the close box: only the ticked box ends it
        if self.written.isChecked():
            super().reject()


def show_recovery_key(recovery_key: str, parent: QWidget | None = None) -> None:
    RecoveryKeyDialog(recovery_key, parent).exec()
