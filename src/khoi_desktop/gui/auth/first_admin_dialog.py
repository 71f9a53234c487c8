"""First start (or a file without accounts): create the administrator account, who is then signed in."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from khoi_desktop.core.auth.accounts import MIN_PASSWORD_LENGTH
from khoi_desktop.core.auth.current import CurrentUser
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.gui.auth import ops
from khoi_desktop.gui.auth.login_dialog import ERROR_STYLE
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag


class FirstAdminDialog(QDialog):
    def __init__(self, submit: ops.Submit, parent: QWidget | None = None, *, file_name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("first_admin_dialog")
        self.setWindowTitle("Tạo tài khoản quản trị")
        self.submit = submit
        self.user: CurrentUser | None = None
        intro = QLabel(
            f"Dữ liệu <b>{file_name}</b> chưa có tài khoản người dùng. Hãy tạo tài khoản <b>quản trị</b> đầu tiên: "
            "người quản trị tạo tài khoản cho các đồng chí khác (vai trò chuyên viên hoặc chỉ xem), đặt lại mật "
            f"khẩu khi cần. Mật khẩu có ít nhất {MIN_PASSWORD_LENGTH} ký tự; hãy ghi nhớ, vì không ai xem lại được.",
            self)
        intro.setWordWrap(True)
        self.username = QLineEdit("admin", self)
        self.username.setObjectName("username")
        self.full_name = QLineEdit(self)
        self.full_name.setObjectName("full_name")
        self.full_name.setPlaceholderText("Họ và tên người quản trị")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("admin_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        form = QFormLayout()
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Họ và tên:", self.full_name)
        form.addRow("Mật khẩu:", self.password)
        form.addRow("Nhập lại mật khẩu:", self.confirm)
        buttons = QDialogButtonBox(self)
        accept, reject = QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.RejectRole
        self.ok_button = tag(buttons.addButton("Tạo tài khoản và đăng nhập", accept), Permission.READ)
        self.ok_button.setObjectName("create_admin_button")
        tag(buttons.addButton("Thoát", reject), Permission.READ).clicked.connect(self.reject)
        self.ok_button.clicked.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.full_name.setFocus()
        for edit in (self.username, self.full_name, self.password, self.confirm):
            edit.textEdited.connect(lambda _text: self.message.hide())  # an old refusal no longer holds

    def _submit(self) -> None:
        if self.password.text() != self.confirm.text():
            self._show("Hai lần nhập mật khẩu không khớp.")
            return
        self.ok_button.setEnabled(False)
        self.submit(ops.create_first_admin(username=self.username.text(), full_name=self.full_name.text(),
                                           password=self.password.text()), self._created, self._refused)

    def _created(self, user: CurrentUser) -> None:
        self.user = user
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, KhoiError):
            self._show(error.message)
        else:
            present_error(self, error)

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
