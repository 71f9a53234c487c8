"""Small account forms: a new account, a new password (reset by the administrator), one's own password."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.accounts import MIN_PASSWORD_LENGTH, NO_USERNAME, normalize_username
from khoi_desktop.core.auth.current import Role
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.gui.auth import ops
from khoi_desktop.gui.auth.login_dialog import ERROR_STYLE
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.worker import Job


def _password_edit(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _Form(QDialog):
    """A form whose OK runs one job; refusals are shown inside the form, which stays open."""

    def __init__(self, submit: ops.Submit, parent: QWidget | None, title: str, intro: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit = submit
        self.result_value: object = None
        self._watching = False
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setObjectName("form_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.buttons = vietnamese_buttons(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self))
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def job(self) -> Job | None:
        """Each dialog of this family says what to run on the worker (an abstract hook, always overridden)."""
        raise NotImplementedError

    def _submit(self) -> None:
        try:
            job = self.job()
        except KhoiError as error:
            self.show_message(error.message)
            return
        if job is None:
            return
        self.ok_button.setEnabled(False)
        self.submit(job, self._done, self._refused)

    def _done(self, value: object) -> None:
        self.result_value = value
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, KhoiError):
            self.show_message(error.message)
        else:
            present_error(self, error)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def showEvent(self, event: QShowEvent) -> None:
        if not self._watching:  # the subclasses add their fields after __init__: watch them once shown
            self._watching = True
            for edit in self.findChildren(QLineEdit):
                edit.textEdited.connect(lambda _text: self.message.hide())  # an old refusal no longer holds
        super().showEvent(event)


def _matching(password: QLineEdit, confirm: QLineEdit) -> str:
    if password.text() != confirm.text():
        raise KhoiError("Hai lần nhập mật khẩu không khớp.")
    return password.text()


class NewAccountDialog(_Form):
    def __init__(self, submit: ops.Submit, parent: QWidget | None = None) -> None:
        super().__init__(submit, parent, "Thêm tài khoản",
                         f"Tên đăng nhập dùng chữ không dấu (ví dụ: nguyenvana). Mật khẩu ít nhất "
                         f"{MIN_PASSWORD_LENGTH} ký tự; người dùng nên đổi mật khẩu sau lần đăng nhập đầu tiên.")
        self.setObjectName("new_account_dialog")
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.full_name = QLineEdit(self)
        self.full_name.setObjectName("full_name")
        self.role = QComboBox(self)
        self.role.setObjectName("role")
        for role in (Role.CHUYEN_VIEN, Role.CHI_XEM, Role.QUAN_TRI, Role.SAO_LUU):
            self.role.addItem(role.label, role.value)
        # Chosen, not assumed: it opened on «Chuyên viên», so a leader's view-only account left as it was could
        # draft and issue decisions.
        self.role.setPlaceholderText("Chọn vai trò")
        self.role.setCurrentIndex(-1)
        self.password = _password_edit(self, "password")
        self.confirm = _password_edit(self, "confirm")
        self.form.addRow("Tên đăng nhập:", self.username)
        self.form.addRow("Họ và tên:", self.full_name)
        self.form.addRow("Vai trò:", self.role)
        self.form.addRow("Mật khẩu:", self.password)
        self.form.addRow("Nhập lại mật khẩu:", self.confirm)

    def job(self) -> Job:
        if not normalize_username(self.username.text()):
            raise KhoiError(NO_USERNAME)  # the fields' order: the name before the role
        if self.role.currentData() is None:
            raise KhoiError("Chưa chọn vai trò của tài khoản.")
        return ops.create_account(username=self.username.text(), full_name=self.full_name.text(),
                                  role=Role(self.role.currentData()), password=_matching(self.password, self.confirm))


class ResetPasswordDialog(_Form):
    def __init__(self, submit: ops.Submit, username: str, parent: QWidget | None = None) -> None:
        super().__init__(submit, parent, "Đặt lại mật khẩu",
                         f"Mật khẩu mới cho tài khoản <b>{username}</b> (tài khoản đang bị khóa cũng được mở khóa). "
                         "Hãy báo mật khẩu cho người dùng và đề nghị họ đổi lại ngay.")
        self.setObjectName("reset_password_dialog")
        self.username = username
        self.password = _password_edit(self, "password")
        self.confirm = _password_edit(self, "confirm")
        self.form.addRow("Mật khẩu mới:", self.password)
        self.form.addRow("Nhập lại mật khẩu:", self.confirm)

    def job(self) -> Job:
        return ops.reset_password(username=self.username, password=_matching(self.password, self.confirm))


class RoleDialog(_Form):
    def __init__(self, submit: ops.Submit, username: str, role: Role, parent: QWidget | None = None) -> None:
        super().__init__(submit, parent, "Đổi vai trò", f"Vai trò mới của tài khoản <b>{username}</b>.")
        self.setObjectName("role_dialog")
        self.username = username
        self.role = QComboBox(self)
        self.role.setObjectName("role")
        for choice in Role:
            self.role.addItem(choice.label, choice.value)
        self.role.setCurrentIndex(self.role.findData(role.value))
        self.form.addRow("Vai trò:", self.role)

    def job(self) -> Job:
        return ops.set_role(username=self.username, role=Role(self.role.currentData()))


class ChangePasswordDialog(_Form):
    """A user changes their own password."""

    def __init__(self, submit: ops.Submit, username: str, parent: QWidget | None = None) -> None:
        super().__init__(submit, parent, "Đổi mật khẩu", f"Đổi mật khẩu của tài khoản <b>{username}</b>.")
        self.setObjectName("change_password_dialog")
        self.username = username
        self.old = _password_edit(self, "old_password")
        self.password = _password_edit(self, "password")
        self.confirm = _password_edit(self, "confirm")
        self.form.addRow("Mật khẩu hiện tại:", self.old)
        self.form.addRow("Mật khẩu mới:", self.password)
        self.form.addRow("Nhập lại mật khẩu mới:", self.confirm)

    def job(self) -> Job:
        return ops.change_password(username=self.username, old=self.old.text(),
                                   new=_matching(self.password, self.confirm))
