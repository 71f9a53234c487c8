"""User management (administrators): accounts with their role and state; add, disable or enable, reset the
password, change the role; and the idle-lock setting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
)

from khoi_desktop.core.auth.accounts import Account, normalize_username
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.auth.settings import MAX_IDLE_MINUTES, AuthSettings
from khoi_desktop.gui.alt_letters import row_label
from khoi_desktop.gui.auth import ops
from khoi_desktop.gui.auth.account_dialogs import NewAccountDialog, ResetPasswordDialog, RoleDialog
from khoi_desktop.gui.auth.models import AccountTableModel
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


class UsersDialog(QDialog):
    loaded = Signal()
    changed = Signal()
    settings_saved = Signal(object)  # AuthSettings

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("users_dialog")
        self.setWindowTitle("Quản lý người dùng")
        self.window_ = window
        self._closed = False
        self.model = AccountTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("users_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(AccountTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (2, 100), (3, 150), (4, 140)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.add_button = tag(QPushButton("Thêm tài khoản…", self), Permission.MANAGE_USERS)
        self.add_button.setObjectName("add_account")
        self.reset_button = tag(QPushButton("Đặt lại mật khẩu…", self), Permission.MANAGE_USERS)
        self.reset_button.setObjectName("reset_password")
        self.role_button = tag(QPushButton("Đổi vai trò…", self), Permission.MANAGE_USERS)
        self.role_button.setObjectName("change_role")
        self.active_button = tag(QPushButton("Vô &hiệu hóa", self), Permission.MANAGE_USERS)
        self.active_button.setObjectName("toggle_active")
        close = tag(QPushButton("Đóng", self), Permission.READ)
        self.add_button.clicked.connect(self._add)
        self.reset_button.clicked.connect(self._reset)
        self.role_button.clicked.connect(self._role)
        self.active_button.clicked.connect(self._toggle_active)
        close.clicked.connect(self.close)
        actions = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.role_button, self.active_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(close)

        self.idle_minutes = QSpinBox(self)
        self.idle_minutes.setObjectName("idle_minutes")
        self.idle_minutes.setRange(0, MAX_IDLE_MINUTES)
        self.idle_minutes.setSuffix(" phút")
        self.idle_minutes.setSpecialValueText("không tự khóa")
        self.save_idle = tag(QPushButton("Lưu", self), Permission.SETTINGS)
        self.save_idle.setObjectName("save_idle")
        self.save_idle.clicked.connect(self._save_idle)
        idle = QHBoxLayout()
        idle.addWidget(row_label("Tự khóa màn hình sau khi không thao tác:", self.idle_minutes))
        idle.addWidget(self.idle_minutes)
        idle.addWidget(self.save_idle)
        idle.addStretch(1)

        note = QLabel("Tài khoản bị vô hiệu hóa không đăng nhập được nhưng vẫn giữ trong nhật ký. Nhập sai mật "
                      "khẩu 5 lần liên tiếp thì tài khoản bị khóa 5 phút; «Đặt lại mật khẩu» mở khóa ngay.", self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        # What the last action did: a reset password closed its form and changed nothing the list shows, so the
        # administrator could not tell it was done.
        self.done_label = QLabel(self)
        self.done_label.setObjectName("users_done")
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("color: #1b6e20;")
        self.done_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.done_label)
        layout.addWidget(note)
        layout.addLayout(idle)
        layout.addLayout(actions)
        self.resize(820, 440)
        self._update_buttons()
        self.reload()

    # --- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self.window_.worker.submit(ops.load_users(), self._show, self._present)

    def _show(self, view: ops.UsersView) -> None:
        if self._closed:
            return
        keep = self.selected()
        self.model.set_rows(view.accounts)
        self.idle_minutes.setValue(view.settings.idle_lock_minutes)
        if keep is not None:
            for row, account in enumerate(view.accounts):
                if account.username == keep.username:
                    self.table.selectRow(row)
        self._update_buttons()
        self.loaded.emit()

    def _present(self, error: Exception) -> None:
        if not self._closed:
            present_error(self, error)

    def selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, username: str) -> None:
        for row, account in enumerate(self.model.rows):
            if account.username == username:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        account = self.selected()
        for button in (self.reset_button, self.role_button, self.active_button):
            button.setEnabled(account is not None)
        me = self.window_.user
        if account is not None:
            # one Alt letter for both texts (alt_letters gives the others theirs when the dialog is shown)
            self.active_button.setText("Vô &hiệu hóa" if account.active else "Kích &hoạt lại")
            self.active_button.setEnabled(not (account.active and me is not None and me.username == account.username))

    # --- actions ---------------------------------------------------------------------------
    def _after_change(self, _value: object = None) -> None:
        if self._closed:
            return
        self.changed.emit()
        self.reload()

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.accepted.connect(self._after_change)
        dialog.open()
        return dialog

    def _add(self) -> QDialog:
        form = NewAccountDialog(self.window_.worker.submit, self)
        form.accepted.connect(lambda: self._said(f"Đã thêm tài khoản «{normalize_username(form.username.text())}» "
                                                 f"({form.role.currentText()})."))
        return self._open(form)

    def _reset(self) -> QDialog | None:
        account = self.selected()
        if account is None:
            return None
        form = ResetPasswordDialog(self.window_.worker.submit, account.username, self)
        form.accepted.connect(lambda: self._said(f"Đã đặt lại mật khẩu tài khoản «{account.username}» (và mở khóa "
                                                 "nếu đang bị khóa); hãy báo mật khẩu mới cho người dùng."))
        return self._open(form)

    def _said(self, text: str) -> None:
        self.done_label.setText(text)
        self.done_label.show()

    def _role(self) -> QDialog | None:
        account = self.selected()
        if account is None:
            return None
        return self._open(RoleDialog(self.window_.worker.submit, account.username, account.role, self))

    def _toggle_active(self) -> None:
        account = self.selected()
        if account is None:
            return
        if account.active and self.confirm(f"Vô hiệu hóa tài khoản «{account.username}» ({account.full_name})? "
                                           "Người này sẽ không đăng nhập được nữa.") is False:
            return
        self.window_.worker.submit(ops.set_active(username=account.username, active=not account.active),
                                   self._after_change, self._present)

    def confirm(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Vô hiệu hóa tài khoản", text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Vô hiệu hóa")
        box.button(QMessageBox.StandardButton.No).setText("Không")
        return box.exec() == QMessageBox.StandardButton.Yes

    def _save_idle(self) -> None:
        settings = AuthSettings(idle_lock_minutes=self.idle_minutes.value())

        def saved(value: AuthSettings) -> None:
            if not self._closed:
                self.settings_saved.emit(value)
                self._after_change()

        self.window_.worker.submit(ops.save_auth(settings=settings), saved, self._present)

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._closed = True
        super().closeEvent(event)
