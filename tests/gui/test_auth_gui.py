"""Accounts in the GUI: the login dialog (Vietnamese passwords typed as Unikey commits them, wrong password,
lockout), the first administrator, menus and buttons per role, the idle lock, user management and the
audit viewer."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox, QPushButton, QWidget
from sqlalchemy import select

from khoi_desktop.core.audit import verify_trail
from khoi_desktop.core.auth import accounts, passwords
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.auth.models import User
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.models import AuditEntry
from khoi_desktop.gui.auth import allowed, ops, sign_in_to_file
from khoi_desktop.gui.auth.first_admin_dialog import FirstAdminDialog
from khoi_desktop.gui.auth.login_dialog import LoginDialog
from khoi_desktop.gui.gating import permission_of, tag
from khoi_desktop.gui.worker import DbWorker

T0 = dt.datetime(2026, 3, 2, 8, 0, 0)
VIETNAMESE_PASSWORD = "Mật khẩu Đảng ủy"
WAIT = 20_000
WINDOW_ROLES = [r for r in Role if r is not Role.SAO_LUU]  # the backup account opens no window


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                              type=Type.ID))


def type_vietnamese(widget: QWidget, text: str) -> None:
    """Commit text the way Unikey does (keyClicks aborts on non-ASCII)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def accounts_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "khoi.db", create=True)
    with db.writing() as s:
        accounts.create_first_admin(s, username="admin", full_name="Quản trị", password="mat-khau-1")
    db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    with db.writing() as s:
        accounts.create_account(s, username="vanthu", full_name="Lê Thị Văn Thư", role=Role.CHUYEN_VIEN,
                                password=VIETNAMESE_PASSWORD)
    db.user = None
    yield db
    db.close()


def login_dialog(qtbot, db: Database, clock=lambda: T0) -> LoginDialog:  # type: ignore[no-untyped-def]
    dialog = LoginDialog(ops.run_now(db), file_name="khoi.db", clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def attempt(dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.clear()
    type_vietnamese(dialog.password, password)
    dialog.ok_button.click()


# --- login --------------------------------------------------------------------------------------

def test_login_with_a_vietnamese_password(qtbot, accounts_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = login_dialog(qtbot, accounts_db)
    assert dialog.windowTitle() == "Đăng nhập – Quản lý tổ chức đảng"
    type_vietnamese(dialog.password, VIETNAMESE_PASSWORD)
    assert dialog.password.text() == VIETNAMESE_PASSWORD
    dialog.username.setText("vanthu")
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user == accounts_db.user == CurrentUser("vanthu", "Lê Thị Văn Thư", Role.CHUYEN_VIEN)


def test_the_backup_account_opens_no_window(qtbot, accounts_db: Database) -> None:  # type: ignore[no-untyped-def]
    accounts_db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    with accounts_db.writing() as s:
        accounts.create_account(s, username="saoluu", full_name="Sao lưu theo lịch", role=Role.SAO_LUU,
                                password="mat-khau-sao-luu")
    accounts_db.user = None
    dialog = login_dialog(qtbot, accounts_db)
    attempt(dialog, "saoluu", "mat-khau-sao-luu")
    assert dialog.isVisible() and dialog.user is None and accounts_db.user is None
    assert dialog.message.text() == ("Tài khoản «saoluu» (Chỉ sao lưu) chỉ dùng để sao lưu theo lịch trên dòng "
                                     "lệnh, không mở được cửa sổ chương trình.")


def test_wrong_password_shows_why_and_keeps_the_dialog(qtbot, accounts_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = login_dialog(qtbot, accounts_db)
    attempt(dialog, "vanthu", "Mật khẩu sai")
    assert dialog.isVisible() and dialog.user is None and accounts_db.user is None
    assert dialog.message.text() == ("Sai tên đăng nhập hoặc mật khẩu. Còn 4 lần thử trước khi tài khoản bị "
                                     "khóa 5 phút.")
    assert dialog.password.text() == ""
    attempt(dialog, "", "x")
    assert dialog.message.text() == "Hãy nhập tên đăng nhập và mật khẩu."


def test_five_failures_lock_the_account_in_the_dialog(qtbot, accounts_db: Database) -> None:  # type: ignore[no-untyped-def]
    now = {"t": T0}
    dialog = login_dialog(qtbot, accounts_db, clock=lambda: now["t"])
    for _ in range(5):
        attempt(dialog, "vanthu", "sai")
    assert "Sai mật khẩu 5 lần liên tiếp" in dialog.message.text() and "đến 08:05" in dialog.message.text()
    attempt(dialog, "vanthu", VIETNAMESE_PASSWORD)
    assert dialog.user is None and "đang bị khóa" in dialog.message.text()
    now["t"] = T0 + dt.timedelta(minutes=5)
    attempt(dialog, "vanthu", VIETNAMESE_PASSWORD)
    assert dialog.user is not None and dialog.user.username == "vanthu"
    with accounts_db.reading() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))][-8:]
    assert actions == ["login.failed"] * 5 + ["login.lockout", "login.failed", "login"]


def test_the_first_administrator_is_created_and_signed_in(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "moi.db", create=True)
    dialog = FirstAdminDialog(ops.run_now(db), file_name="moi.db")
    qtbot.addWidget(dialog)
    type_vietnamese(dialog.full_name, "Nguyễn Thị Quản Trị")
    type_vietnamese(dialog.password, VIETNAMESE_PASSWORD)
    type_vietnamese(dialog.confirm, "khác")
    dialog.ok_button.click()
    assert dialog.message.text() == "Hai lần nhập mật khẩu không khớp."
    dialog.confirm.clear()
    type_vietnamese(dialog.confirm, VIETNAMESE_PASSWORD)
    assert dialog.message.isHidden(), "the mismatch was fixed: its message goes"
    dialog.ok_button.click()
    assert dialog.user == db.user == CurrentUser("admin", "Nguyễn Thị Quản Trị", Role.QUAN_TRI)
    with db.reading() as s:
        assert s.scalars(select(User.role)).all() == [Role.QUAN_TRI]
    db.close()


def test_opening_another_file_asks_for_its_own_login(qtbot, main_window, accounts_db: Database,  # type: ignore[no-untyped-def]
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[QDialog] = []

    def cancel(dialog: QDialog) -> int:
        seen.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(LoginDialog, "exec", cancel)
    path = accounts_db.path
    accounts_db.close()
    main_window.open_file(path)
    assert len(seen) == 1 and main_window.worker.db.path.name == "office.db"  # cancelled: the same file stays

    def log_in(dialog: LoginDialog) -> int:
        attempt(dialog, "vanthu", VIETNAMESE_PASSWORD)
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", log_in)
    main_window.open_file(path)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=WAIT)
    assert main_window.worker.db.path == path and main_window.user.username == "vanthu"


def test_the_same_file_reopened_after_a_restore_keeps_the_user(main_window) -> None:  # type: ignore[no-untyped-def]
    db = open_database(main_window.worker.db.path)
    try:
        assert sign_in_to_file(main_window, db)
        assert db.user == CurrentUser("admin", "Quản trị dữ liệu mẫu", Role.QUAN_TRI)
    finally:
        db.close()


# --- menus per role -----------------------------------------------------------------------------

def window_for(qtbot, demo_path: Path, role: Role):  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.main_window import MainWindow

    db = open_database(demo_path)
    db.user = CurrentUser(f"user_{role.value}", role.label, role)
    window = MainWindow(DbWorker(db))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.tree_model.snapshot is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT)
    return window


def visible_entries(menu: QMenu, path: str = "") -> set[str]:
    shown = set()
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        text = f"{path}{action.text().replace('&', '')}"
        shown.add(text)
        if action.menu():
            shown |= visible_entries(action.menu(), text + " › ")
    return shown


def menu_entries(window) -> set[str]:  # type: ignore[no-untyped-def]
    entries = set()
    for action in window.menuBar().actions():
        if action.isVisible():
            title = action.text().replace("&", "")
            entries |= {f"{title} › {e}" for e in visible_entries(action.menu())}
    return entries


ADMIN_ONLY = {"Văn bản › Mẫu văn bản…", "Sao lưu › Khôi phục…", "Sao lưu › Cài đặt sao lưu…",
              "Tài khoản › Quản lý người dùng…", "Tài khoản › Nhật ký thay đổi…",
              "Tài khoản › Kiểm tra toàn vẹn nhật ký"}
CLERK = {"Sắp xếp tổ chức › Thành lập tổ chức…", "Sắp xếp tổ chức › Danh sách quyết định…",
         "Sao lưu › Sao lưu ngay", "Sao lưu › Sao lưu ra USB…", "Sao lưu › Danh sách bản sao lưu…",
         "Bảng tính › Nhập danh sách đảng viên…", "Cấp ủy › Chỉ định, chuẩn y…", "Cấp ủy › Vào sổ tờ trình…"}
READER = {"Tệp › Mở tệp dữ liệu…", "Văn bản › Sổ văn bản đi…", "Bảng tính › Xuất Excel…", "Bảng tính › Thống kê…",
          "Cấp ủy › Sổ tờ trình…", "Cấp ủy › Tổng hợp chỉ định, chuẩn y theo nhiệm kỳ…",
          "Tài khoản › Đổi mật khẩu…", "Tài khoản › Khóa màn hình", "Xem › Tìm đảng viên"}


@pytest.mark.parametrize("role", WINDOW_ROLES, ids=[r.value for r in WINDOW_ROLES])
def test_menus_show_what_the_role_may_do(qtbot, demo_path: Path, role: Role) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, demo_path, role)
    entries = menu_entries(window)
    assert READER <= entries
    if role is Role.CHI_XEM:
        assert not CLERK & entries and not ADMIN_ONLY & entries
    elif role is Role.CHUYEN_VIEN:
        assert CLERK <= entries and not ADMIN_ONLY & entries
    else:
        assert CLERK | ADMIN_ONLY <= entries
    label = window.findChild(QWidget, "user_label").text()
    assert label == f"Người dùng: {role.label} (user_{role.value}, {role.label})"
    if role is Role.CHI_XEM:
        titles = {a.text().replace("&", "") for a in window.menuBar().actions() if a.isVisible()}
        assert "Sắp xếp tổ chức" not in titles and "Sao lưu" not in titles
    assert allowed(window, Permission.DRAFT_ISSUE) == (role is not Role.CHI_XEM)
    window.close()


@pytest.mark.parametrize("role", [Role.CHI_XEM, Role.CHUYEN_VIEN], ids=["chi_xem", "chuyen_vien"])
def test_context_menus_and_buttons_follow_the_role(qtbot, demo_path: Path, role: Role) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, demo_path, role)
    node = window.tree_model.snapshot.nodes[window.tree_model.snapshot.roots[0]]
    entries = visible_entries(window.tree_menu(node))
    assert ("Sắp xếp tổ chức" in entries) == (role is Role.CHUYEN_VIEN)
    assert ("Chỉ định, chuẩn y…" in entries) == (role is Role.CHUYEN_VIEN)
    assert "Cấp ủy…" in entries
    panel = window.committee_panel
    window.bottom_tabs.setCurrentWidget(panel)
    window.show()
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT)
    assert panel.appoint_button.isVisible() == (role is Role.CHUYEN_VIEN)
    window.close()


def test_every_menu_entry_is_classified(main_window) -> None:  # type: ignore[no-untyped-def]
    """A new menu entry must say, where it is created, which permission it needs (gating.tag)."""
    def walk(menu: QMenu) -> list[QAction]:
        found = []
        for action in menu.actions():
            if action.isSeparator():
                continue
            found.append(action)
            if action.menu():
                found += walk(action.menu())
        return found

    unclassified = [a.text() for top in main_window.menuBar().actions() for a in walk(top.menu())
                    if permission_of(a) is None and not a.menu()]
    assert unclassified == []


# --- idle lock ----------------------------------------------------------------------------------

def test_idle_lock_covers_the_window_until_the_password(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    window = main_window
    window.show()
    idle = window.idle_lock
    clock = {"t": 1000.0}
    idle.clock = lambda: clock["t"]
    idle.set_minutes(2)
    idle.timer.setInterval(20)
    from khoi_desktop.gui.documents import open_register

    register = open_register(window)
    qtbot.wait(60)
    assert not idle.is_locked
    clock["t"] += 119
    qtbot.wait(60)
    assert not idle.is_locked
    clock["t"] += 2
    qtbot.waitUntil(lambda: idle.is_locked, timeout=WAIT)
    dialog = idle.dialog
    assert dialog.objectName() == "lock_dialog" and dialog.isVisible()
    assert not window.centralWidget().isVisible() and not register.isVisible()
    assert not window.menuBar().isEnabled()
    assert dialog.username.text() == "admin"
    dialog.reject()  # Escape or the window's close button do not dismiss it
    assert dialog.isVisible()
    attempt(dialog, "admin", "sai mật khẩu")
    qtbot.waitUntil(lambda: dialog.message.text().strip() != "", timeout=WAIT)
    assert idle.is_locked and "Còn 4 lần thử" in dialog.message.text()
    attempt(dialog, "admin", "khoi-demo")
    qtbot.waitUntil(lambda: not idle.is_locked, timeout=WAIT)
    assert window.centralWidget().isVisible() and register.isVisible() and window.menuBar().isEnabled()
    with window.worker.db.reading() as s:
        assert s.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first() == "unlock"


def test_idle_minutes_zero_never_locks(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    idle = main_window.idle_lock
    idle.clock = lambda: 10_000_000.0
    idle.set_minutes(0)
    idle.check()
    assert not idle.is_locked


# --- user management and the audit viewer -------------------------------------------------------

def test_users_dialog_creates_and_disables_accounts(qtbot, main_window, answer_box) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.auth import open_users
    from khoi_desktop.gui.auth.account_dialogs import NewAccountDialog
    from khoi_desktop.gui.auth.users_dialog import UsersDialog

    with qtbot.waitSignal(main_window.worker.busy_changed, timeout=WAIT):
        dialog = open_users(main_window)
    assert isinstance(dialog, UsersDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.findChild(NewAccountDialog)
    assert isinstance(form, NewAccountDialog) and form.isVisible()
    form.username.setText("nguyenvana")
    type_vietnamese(form.full_name, "Nguyễn Văn A")
    form.role.setCurrentIndex(form.role.findData("chi_xem"))
    type_vietnamese(form.password, "ngắn")
    type_vietnamese(form.confirm, "ngắn")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.message.isVisible(), timeout=WAIT)
    assert "ít nhất 8 ký tự" in form.message.text()
    for edit in (form.password, form.confirm):
        edit.clear()
        type_vietnamese(edit, VIETNAMESE_PASSWORD)
    with qtbot.waitSignal(dialog.changed, timeout=WAIT):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=WAIT)
    dialog.select("nguyenvana")
    answered = answer_box("Vô hiệu hóa")
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert answered and "nguyenvana" in answered[0]
    assert [(a.username, a.role, a.active) for a in dialog.model.rows] == [
        ("admin", Role.QUAN_TRI, True), ("nguyenvana", Role.CHI_XEM, False)]
    dialog.select("admin")
    assert not dialog.active_button.isEnabled()  # an administrator cannot disable their own account
    dialog.idle_minutes.setValue(3)
    with qtbot.waitSignal(dialog.settings_saved, timeout=WAIT):
        qtbot.mouseClick(dialog.save_idle, Qt.MouseButton.LeftButton)
    assert main_window.idle_lock.minutes == 3


def test_audit_viewer_filters_verifies_and_exports(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.auth import open_audit

    with main_window.worker.db.writing() as s:
        accounts.login(s, "admin", "sai", now=T0)
    dialog = open_audit(main_window)
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= 3 and "nguyên vẹn" in dialog.integrity.text(), timeout=WAIT)
    assert dialog.model.row_at(0).action == "login.failed"
    dialog.action.setCurrentIndex(dialog.action.findData("login.failed"))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT)
    assert dialog.model.data(dialog.model.index(0, 3)) == "Đăng nhập sai"
    out = tmp_path / "nhat-ky.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=WAIT):
        dialog.export_to(out)
    values = [str(c.value) for row in load_workbook(out).active.iter_rows() for c in row if c.value]
    assert "Đăng nhập sai" in values and "Thao tác «Đăng nhập sai»" in values
    dialog.action.setCurrentIndex(0)
    # «Tổ chức» lists every organization: its name typed without accents, Enter takes the one entry offered
    from khoi_desktop.core.text import fold

    node = main_window.tree_model.snapshot.by_code("CS001")
    dialog.org.setFocus()
    dialog.org.lineEdit().selectAll()
    qtbot.keyClicks(dialog.org.lineEdit(), fold(node.name))
    qtbot.keyClick(dialog.org, Qt.Key.Key_Return)
    assert dialog.org.currentData() == "CS001", dialog.org.currentText()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=WAIT)

    conn = sqlite3.connect(main_window.worker.db.path)
    with conn:
        conn.execute("DELETE FROM audit_entries WHERE id = (SELECT max(id) FROM audit_entries)")
    conn.close()
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as checked:
        dialog.verify_button.click()
    assert not checked.args[0].ok
    assert dialog.integrity.text().startswith("✘ Nhật ký đã bị thay đổi ngoài ứng dụng.") and "#3" in \
        dialog.integrity.text()


def test_verify_action_reports_in_a_message(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.auth import verify_audit

    verify_audit(main_window)
    qtbot.waitUntil(lambda: main_window.findChild(QMessageBox, "audit_check_message") is not None, timeout=WAIT)
    box = main_window.findChild(QMessageBox, "audit_check_message")
    assert "nguyên vẹn" in box.text()
    box.close()
    with main_window.worker.db.reading() as s:
        assert verify_trail(s).ok


def test_a_read_only_user_cannot_reach_drafts_even_without_the_menu(qtbot, demo_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, demo_path, Role.CHI_XEM)
    errors: list[Exception] = []
    from khoi_desktop.gui.workflows import jobs

    window.worker.submit(jobs.list_decisions(), lambda rows: errors.append(rows), errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT)
    assert all(row.status == "issued" for row in errors[0])
    dialog = QDialog(window)  # a dialog some area opens later
    button, other = tag(QPushButton("Ban hành…", dialog), Permission.DRAFT_ISSUE), QPushButton("Ban hành…")
    dialog.show()
    other.show()
    assert not button.isVisible() and dialog.isVisible()  # hidden as it appears
    assert other.isVisible()  # not this window's: left alone
    other.close()
    window.close()


def test_sign_in_before_the_window(qtbot, accounts_db: Database, tmp_path: Path,  # type: ignore[no-untyped-def]
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """run_gui's step: a file with accounts asks for a login, a file without any for its administrator."""
    from khoi_desktop.gui.auth import sign_in

    def log_in(dialog: LoginDialog) -> int:  # the worker answers later: wait as exec's event loop would
        attempt(dialog, "vanthu", VIETNAMESE_PASSWORD)
        qtbot.waitUntil(lambda: dialog.user is not None, timeout=WAIT)
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", log_in)
    worker = DbWorker(open_database(accounts_db.path))
    try:
        assert sign_in(worker) == CurrentUser("vanthu", "Lê Thị Văn Thư", Role.CHUYEN_VIEN) == worker.db.user
    finally:
        worker.close()

    def create(dialog: FirstAdminDialog) -> int:
        dialog.full_name.setText("Quan Tri")
        for edit in (dialog.password, dialog.confirm):
            edit.setText("mat-khau-1")
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: dialog.user is not None, timeout=WAIT)
        return dialog.result()

    monkeypatch.setattr(FirstAdminDialog, "exec", create)
    worker = DbWorker(open_database(tmp_path / "trong.db", create=True))
    try:
        assert sign_in(worker) == CurrentUser("admin", "Quan Tri", Role.QUAN_TRI)
    finally:
        worker.close()
    monkeypatch.setattr(LoginDialog, "exec", lambda _dialog: QDialog.DialogCode.Rejected)
    worker = DbWorker(open_database(accounts_db.path))
    try:
        assert sign_in(worker) is None and worker.db.user is None
    finally:
        worker.close()


def test_the_audit_check_compares_with_the_backup_and_runs_deep(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The window's check is verify-audit's: a tail cut with its anchor rewritten shows against the newest
    backup, and a member edited outside the app shows with «Kiểm tra sâu»."""
    from khoi_desktop.core.backup.writer import create_backup
    from khoi_desktop.core.paths import backups_dir
    from khoi_desktop.gui.auth.audit_dialog import AuditDialog

    db = main_window.worker.db
    create_backup(db, backups_dir(), actor="admin", kind="manual")
    conn = sqlite3.connect(db.path)
    with conn:  # the last entries deleted and the anchor rewritten to match: the trail alone looks whole
        last = conn.execute("SELECT id, hash FROM audit_entries ORDER BY id DESC LIMIT 1 OFFSET 2").fetchone()
        conn.execute("DELETE FROM audit_entries WHERE id > ?", (last[0],))
        conn.execute("UPDATE settings SET value = json_set(value, '$.last_id', ?, '$.last_hash', ?, '$.count', ?) "
                     "WHERE key = 'audit_anchor'", (last[0], last[1], last[0]))
        conn.execute("UPDATE members SET family_name = 'Lê' WHERE id = (SELECT min(id) FROM members)")
    conn.close()
    dialog = AuditDialog(main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.with_backups.isChecked() and not dialog.deep.isChecked()
    qtbot.waitUntil(lambda: not dialog.integrity.text().startswith("Đang kiểm tra"), timeout=WAIT)  # on opening
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as checked:
        dialog.verify_button.click()
    report = checked.args[0]
    assert report.check.ok and not report.ok and [code for code, _ in report.problems] == ["backup_truncated"]
    assert "Đối chiếu với bản sao lưu" in dialog.integrity.text()
    dialog.deep.setChecked(True)
    with qtbot.waitSignal(dialog.checked, timeout=WAIT) as checked:
        dialog.verify_button.click()
    assert [code for code, _ in checked.args[0].problems] == ["backup_truncated", "rows_changed"]
    assert "Kiểm tra sâu" in dialog.integrity.text() and "ngoài ứng dụng" in dialog.integrity.text()
    qtbot.wait(50)
    dialog.grab().save(str(tmp_path / "audit-check.png"))


def test_an_account_without_a_username_is_told_to_type_one(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Đồng ý» on an empty «Thêm tài khoản» said «Tên đăng nhập «» không hợp lệ: …», a rule about an empty pair of
    quotes; now it asks for the name."""
    from khoi_desktop.gui.auth import open_users
    from khoi_desktop.gui.auth.account_dialogs import NewAccountDialog

    dialog = open_users(main_window)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.findChild(NewAccountDialog)
    qtbot.keyClicks(form.password, "matkhau12345")
    qtbot.keyClicks(form.confirm, "matkhau12345")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)  # the role unchosen too: the name is asked first
    qtbot.waitUntil(lambda: form.message.isVisible(), timeout=WAIT)
    assert form.message.text() == "Hãy nhập tên đăng nhập (chữ không dấu, ví dụ: nguyenvana)."
    assert form.isVisible() and form.password.text() == "matkhau12345", "nothing typed is lost"
    form.reject()
    dialog.close()


def test_a_new_accounts_role_is_chosen_not_assumed(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Vai trò» opened on «Chuyên viên»: a leader's view-only account left as it was could draft and issue
    decisions. Nothing is chosen now and «Đồng ý» asks for it, keeping what was typed."""
    from khoi_desktop.gui.auth import open_users
    from khoi_desktop.gui.auth.account_dialogs import NewAccountDialog

    dialog = open_users(main_window)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.findChild(NewAccountDialog)
    assert form.role.currentIndex() == -1 and form.role.currentText() == ""
    qtbot.keyClicks(form.username, "tranvand")
    form.full_name.setText("Trần Văn D")
    qtbot.keyClicks(form.password, "matkhau12345")
    qtbot.keyClicks(form.confirm, "matkhau12345")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert form.isVisible() and form.message.text() == "Chưa chọn vai trò của tài khoản."
    assert form.username.text() == "tranvand" and form.password.text() == "matkhau12345"
    form.role.setCurrentIndex(form.role.findData("chi_xem"))
    with qtbot.waitSignal(dialog.changed, timeout=WAIT):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=WAIT)
    assert [(a.username, a.role) for a in dialog.model.rows] == [("admin", Role.QUAN_TRI), ("tranvand", Role.CHI_XEM)]
    dialog.close()


def test_a_reset_password_says_it_was_done(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Đặt lại mật khẩu» closed its form and the list looked the same: the administrator could not tell it was
    done. The dialog now says what was done, under the list."""
    from khoi_desktop.gui.auth import open_users
    from khoi_desktop.gui.auth.account_dialogs import NewAccountDialog, ResetPasswordDialog

    dialog = open_users(main_window)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.findChild(NewAccountDialog)
    qtbot.keyClicks(form.username, "phamthie")
    form.full_name.setText("Phạm Thị E")
    form.role.setCurrentIndex(form.role.findData("chuyen_vien"))
    qtbot.keyClicks(form.password, "matkhau12345")
    qtbot.keyClicks(form.confirm, "matkhau12345")
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.done_label.isVisibleTo(dialog)
    assert dialog.done_label.text() == "Đã thêm tài khoản «phamthie» (Chuyên viên)."
    dialog.select("phamthie")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    reset = dialog.findChild(ResetPasswordDialog)
    qtbot.keyClicks(reset.password, "moimatkhau99")
    qtbot.keyClicks(reset.confirm, "moimatkhau99")
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        qtbot.mouseClick(reset.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.done_label.text().startswith("Đã đặt lại mật khẩu tài khoản «phamthie»")
    dialog.close()
