"""The login dialog: before the main window, when another file is opened, and as the idle lock's prompt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.accounts import DEMO_PASSWORD, DEMO_USERNAME
from khoi_desktop.core.auth.current import CurrentUser
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.gui.auth import ops
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.worker import Job

ERROR_STYLE = "color: #b00020;"
DEMO_HINT = f"Dữ liệu mẫu: tên đăng nhập <b>{DEMO_USERNAME}</b>, mật khẩu <b>{DEMO_PASSWORD}</b>."


class LoginDialog(QDialog):
    """Asks for a user name and password; `user` is set when accepted.

    With `locked_user` it is the idle lock: that user's password is asked, Escape does nothing, and the
    other button leaves the program instead of cancelling. A colleague may type their own user name there
    and sign in instead (a failed attempt then counts against the name typed, not the locked account).
    With `signed_out` too, the user signed out: the name is empty and anyone may sign in.
    With `server` (a server office), the server is named beside the database (`file_name`).
    With `remember_for` (the office file), the name signed in is remembered for that file and filled in next
    time (core/auth/last_user.py), the cursor then on the password.
    """

    def __init__(self, submit: ops.Submit, parent: QWidget | None = None, *, file_name: str = "",
                 username: str = "", hint: str = "", locked_user: CurrentUser | None = None,
                 signed_out: bool = False, clock: ops.Clock = dt.datetime.now,
                 opener: Callable[..., Job] | None = None, remember_for: Path | None = None,
                 server: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("lock_dialog" if locked_user else "login_dialog")
        self.submit, self.clock, self.locked_user = submit, clock, locked_user
        self.opener = opener or ops.log_in  # an encrypted file not yet open: ops.open_signed_in
        self.remember_for = remember_for
        if remember_for is not None and not username and locked_user is None:
            from khoi_desktop.core.auth.last_user import last_user

            username = last_user(remember_for)
        self.user: CurrentUser | None = None
        self.quit_requested = False
        if locked_user is None:
            self.setWindowTitle("Đăng nhập – Quản lý tổ chức đảng")
            if server:  # a server office: its database and the server it is on (postgres.ServerAddress.server_name)
                text = (f"Đăng nhập để làm việc với cơ sở dữ liệu <b>{escape(file_name)}</b> trên máy chủ "
                        f"<b>{escape(server)}</b>.")
            else:
                text = "Đăng nhập để làm việc với dữ liệu" + (f" <b>{file_name}</b>" if file_name else "") + "."
        elif signed_out:
            self.setWindowTitle("Đăng nhập – Quản lý tổ chức đảng")
            text = f"{locked_user.display} đã đăng xuất. Đăng nhập để làm việc tiếp."
        else:
            self.setWindowTitle("Màn hình đã khóa")
            text = (f"Màn hình đã khóa để bảo vệ dữ liệu. Nhập mật khẩu của <b>{locked_user.display}</b> "
                    "để làm việc tiếp, hoặc tên đăng nhập và mật khẩu của người khác để đổi người dùng.")
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        if locked_user is not None and not signed_out:
            username = locked_user.username
        self.username = QLineEdit(username, self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("login_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Mật khẩu:", self.password)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = tag(self.buttons.addButton("Mở khóa" if locked_user and not signed_out else "Đăng nhập",
                                                    QDialogButtonBox.ButtonRole.AcceptRole), Permission.READ)
        self.ok_button.setObjectName("login_button")
        self.ok_button.setDefault(True)
        self.cancel_button = tag(self.buttons.addButton("Thoát" if locked_user is None else "Thoát chương trình",
                                                        QDialogButtonBox.ButtonRole.RejectRole), Permission.READ)
        self.cancel_button.setObjectName("cancel_button")
        self.ok_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self._leave)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        if hint:
            hint_label = QLabel(hint, self)
            hint_label.setObjectName("login_hint")
            hint_label.setWordWrap(True)
            hint_label.setStyleSheet("color: #555;")
            layout.addWidget(hint_label)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.message.setMinimumHeight(self.message.fontMetrics().height() * 2)  # the fields keep their size
        self.message.setText(" ")
        (self.password if username else self.username).setFocus()
        for edit in (self.username, self.password):
            edit.textEdited.connect(lambda _text: self.message.setText(" "))  # an old refusal no longer holds

    def switches_user(self) -> bool:
        """The lock's prompt answered with another user's name: sign that user in instead."""
        return self.locked_user is not None and \
            self.username.text().strip().casefold() != self.locked_user.username.casefold()

    def _submit(self) -> None:
        if not self.username.text().strip() or not self.password.text():
            self.show_message("Hãy nhập tên đăng nhập và mật khẩu.")
            return
        self.ok_button.setEnabled(False)
        self.submit(self.opener(username=self.username.text(), password=self.password.text(), now=self.clock(),
                               action="unlock" if self.locked_user and not self.switches_user() else "login"),
                    self._logged_in, self._refused)

    def _logged_in(self, user: CurrentUser) -> None:
        self.user = user
        if self.remember_for is not None:
            from khoi_desktop.core.auth.last_user import remember_user

            remember_user(self.remember_for, user.username)
        self.password.clear()
        self.ok_button.setEnabled(True)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.ok_button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        if isinstance(error, KhoiError):
            self.show_message(error.message)
        else:
            present_error(self, error)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        if self.isVisible():  # a long explanation (a key file missing: where its copies are) is shown whole
            needed = self.message.heightForWidth(self.message.width())
            if needed > self.message.height():
                self.resize(self.width(), self.height() + needed - self.message.height())

    def _leave(self) -> None:
        self.quit_requested = True
        super().reject()

    # The idle lock cannot be dismissed: only the password or leaving the program ends it.
    def reject(self) -> None:
        if self.locked_user is None:
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.locked_user is not None and event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked_user is not None and not self.quit_requested:
            event.ignore()
            return
        super().closeEvent(event)
