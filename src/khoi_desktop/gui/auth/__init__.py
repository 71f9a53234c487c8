"""Accounts in the GUI: the login before the main window (or the first administrator's account), a
"Tài khoản" menu (own password, lock, user management, audit viewer and its integrity check), the idle
lock, and role-dependent menus and buttons for every area (gui/gating.py).

`allowed(window, permission)` is for any screen that wants to ask; core refuses the rest anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMenu, QMessageBox, QWidget

from khoi_desktop.core.auth.accounts import account_user, has_accounts
from khoi_desktop.core.auth.current import CurrentUser
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.auth.settings import AuthSettings
from khoi_desktop.core.db import Database
from khoi_desktop.core.paths import demo_database
from khoi_desktop.gui.auth import encrypt_file, ops
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import WindowGate, gate_menu, may, tag
from khoi_desktop.gui.worker import DbWorker, Job

if TYPE_CHECKING:
    from khoi_desktop.core.audit_report import AuditReport
    from khoi_desktop.gui.auth.idle_lock import IdleLock
    from khoi_desktop.gui.main_window import MainWindow


def allowed(window: MainWindow, permission: Permission) -> bool:
    return may(window.user, permission)


# --- signing in --------------------------------------------------------------------------------

def _wait(worker: DbWorker, job: Job) -> Any:
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def finish(key: str, value: Any) -> None:
        outcome[key] = value
        loop.quit()

    worker.submit(job, lambda result: finish("result", result), lambda error: finish("error", error))
    if not outcome:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _is_demo(db: Database) -> bool:
    try:
        return db.path.resolve() == demo_database().resolve()
    except OSError:
        return False


def make_login_dialog(submit: ops.Submit, db: Database, any_accounts: bool, parent: QWidget | None = None) -> QDialog:
    """The login, or the first administrator's account when the file has none."""
    from khoi_desktop.gui.auth.first_admin_dialog import FirstAdminDialog
    from khoi_desktop.gui.auth.login_dialog import DEMO_HINT, LoginDialog

    if not any_accounts:
        return FirstAdminDialog(submit, parent, file_name=db.path.name)
    demo = _is_demo(db)
    return LoginDialog(submit, parent, file_name=db.path.name, username="admin" if demo else "",
                       hint=DEMO_HINT if demo else "", remember_for=None if db.is_server else db.path,
                       server=db.server.server_name if db.server is not None else "")


def sign_in(worker: DbWorker) -> CurrentUser | None:
    """Before the main window: who works on the worker's database (None = the clerk left)."""
    dialog = make_login_dialog(worker.submit, worker.db, _wait(worker, ops.has_accounts()))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return worker.db.user


def sign_in_to_file(window: MainWindow, db: Database) -> bool:
    """Another file opened in the window: its own accounts decide. After a restore (the same file reopened)
    the signed-in user goes on if the restored data has their account active, with the role it holds there."""
    current = window.user
    if current is None:  # a window built without a login (tests) goes on without one
        return True
    same_file = window.worker.db.path.resolve() == db.path.resolve()
    if same_file:
        with db.reading() as session:
            carried = account_user(session, current.username)
        if carried is not None:
            db.user = carried
            return True
    with db.reading() as session:
        any_accounts = has_accounts(session)
    dialog = make_login_dialog(ops.run_now(db), db, any_accounts, window)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        # an administrator signed in to a plain file: offered once to encrypt it, once the window shows it
        QTimer.singleShot(0, lambda: encrypt_file.offer(window))
        return True
    if same_file:  # the window's own file was replaced: nothing to go back to
        QTimer.singleShot(0, QApplication.quit)
    return False


# --- the window --------------------------------------------------------------------------------

def _raise_or_open(window: MainWindow, kind: type[QDialog], make: Any) -> QDialog:
    dialog = window.findChild(kind)
    if dialog is not None and dialog.isVisible():
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    dialog = make()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_users(window: MainWindow) -> QDialog:
    from khoi_desktop.gui.auth.users_dialog import UsersDialog

    def make() -> QDialog:
        dialog = UsersDialog(window)
        dialog.settings_saved.connect(lambda settings: apply_auth_settings(window, settings))
        return dialog

    return _raise_or_open(window, UsersDialog, make)


def open_audit(window: MainWindow) -> QDialog:
    from khoi_desktop.gui.auth.audit_dialog import AuditDialog

    return _raise_or_open(window, AuditDialog, lambda: AuditDialog(window))


def open_change_password(window: MainWindow) -> QDialog | None:
    from khoi_desktop.gui.auth.account_dialogs import ChangePasswordDialog

    user = window.user
    if user is None:
        return None
    dialog = ChangePasswordDialog(window.worker.submit, user.username, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: QMessageBox.information(window, "Đổi mật khẩu", "Đã đổi mật khẩu."))
    dialog.open()
    return dialog


def show_check(window: MainWindow, report: AuditReport) -> QMessageBox:
    if report.ok:
        box = QMessageBox(QMessageBox.Icon.Information, "Kiểm tra nhật ký", "\n\n".join(report.lines),
                          QMessageBox.StandardButton.Close, window)
    else:
        box = QMessageBox(QMessageBox.Icon.Warning, "Kiểm tra nhật ký",
                          "Nhật ký thay đổi hoặc dữ liệu đã bị thay đổi ngoài ứng dụng.\n\n"
                          + "\n\n".join(text for _code, text in report.problems)
                          + "\n\nHãy báo lãnh đạo văn phòng và so sánh với bản sao lưu gần nhất.",
                          QMessageBox.StandardButton.Close, window)
    box.setObjectName("audit_check_message")
    box.button(QMessageBox.StandardButton.Close).setText("Đóng")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def verify_audit(window: MainWindow) -> None:
    window.worker.submit(ops.verify_audit(), lambda check: show_check(window, check),
                         lambda error: present_error(window, error))


def apply_auth_settings(window: MainWindow, settings: AuthSettings) -> None:
    idle: IdleLock = window.idle_lock  # type: ignore[attr-defined]
    idle.set_minutes(settings.idle_lock_minutes)


def _load_auth_settings(window: MainWindow) -> None:
    window.worker.submit(ops.load_auth(), lambda settings: apply_auth_settings(window, settings),
                         lambda error: present_error(window, error))


def apply_role(window: MainWindow) -> None:
    """Menus for the signed-in user's role, and the name in the status bar."""
    user = window.user
    gate_menu(window.menuBar(), user)
    label: QLabel = window.user_label  # type: ignore[attr-defined]
    label.setText(f"Người dùng: {user.display}" if user else "")


def install(window: MainWindow) -> None:
    from khoi_desktop.gui.auth.idle_lock import IdleLock

    menu = QMenu("Tài &khoản", window)
    menu.setObjectName("account_menu")
    entries = (
        ("change_password", "Đổi &mật khẩu…", Permission.READ, lambda: open_change_password(window), None),
        ("lock_screen", "&Khóa màn hình", Permission.READ, lambda: window.idle_lock.lock(), "Ctrl+L"),
        ("sign_out", "Đăng &xuất (đổi người dùng)", Permission.READ, lambda: window.idle_lock.lock(sign_out=True),
         None),
        (None, None, None, None, None),
        ("manage_users", "&Quản lý người dùng…", Permission.MANAGE_USERS, lambda: open_users(window), None),
        ("open_audit", "&Nhật ký thay đổi…", Permission.AUDIT, lambda: open_audit(window), None),
        ("verify_audit", "Kiểm &tra toàn vẹn nhật ký", Permission.AUDIT, lambda: verify_audit(window), None),
        (None, None, None, None, None),
        ("encrypt_file", "Mã &hóa tệp dữ liệu…", Permission.MANAGE_USERS, lambda: encrypt_file.start(window), None),
        ("discard_plain_copy", "Xóa &bản chưa mã hóa để riêng…", Permission.MANAGE_USERS,
         lambda: encrypt_file.start_discard(window), None),
    )
    for name, text, permission, run, shortcut in entries:
        if name is None or text is None or permission is None:
            menu.addSeparator()
            continue
        action = tag(QAction(text, window), permission)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False, run=run: run())
        menu.addAction(action)
    encrypt_entry = window.findChild(QAction, "encrypt_file")
    discard_entry = window.findChild(QAction, "discard_plain_copy")
    assert encrypt_entry is not None and discard_entry is not None
    menu.aboutToShow.connect(lambda: encrypt_file.update_entries(window, encrypt_entry, discard_entry))
    encrypt_file.update_entries(window, encrypt_entry, discard_entry)
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    window.account_menu = menu  # type: ignore[attr-defined]
    window.user_label = QLabel(window)  # type: ignore[attr-defined]
    window.user_label.setObjectName("user_label")  # type: ignore[attr-defined]
    window.statusBar().addPermanentWidget(window.user_label)  # type: ignore[attr-defined]
    window.idle_lock = IdleLock(window)  # type: ignore[attr-defined]
    window.sign_in = lambda db: sign_in_to_file(window, db)
    window.gate = WindowGate(window, lambda: window.user)  # type: ignore[attr-defined]
    shown_for: dict[str, Any] = {"user": object()}

    def on_overview() -> None:  # first load, and after another file was opened
        if shown_for["user"] != window.user or shown_for.get("db") is not window.worker.db:
            shown_for.update(user=window.user, db=window.worker.db)
            apply_role(window)
            _load_auth_settings(window)

    window.overview_loaded.connect(on_overview)
    apply_role(window)
