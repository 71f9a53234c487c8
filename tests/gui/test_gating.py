"""Permissions tagged where each entry and button is created, gated fail closed: for each role, every menu,
context menu and dialog button the role can reach shows exactly what the README's permission table allows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolBar,
    QWidget,
    QWidgetAction,
)

from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.auth.permissions import ROLE_PERMISSIONS, Permission
from khoi_desktop.core.db import open_database
from khoi_desktop.gui.gating import gate_menu, is_qt_own, may, permission_of, tag
from khoi_desktop.gui.worker import DbWorker

WAIT = 20_000
WINDOW_ROLES = [r for r in Role if r is not Role.SAO_LUU]  # the backup account opens no window
P = Permission
# The rows of the README's table ("Vai trò"): what each row grants.
README_ROWS = {
    "xem, tìm kiếm, thống kê, xuất Excel, in quyết định đã ban hành": {P.READ},
    "xem dự thảo; lập, sửa, hủy và ban hành quyết định (sắp xếp tổ chức, cấp ủy)": {P.VIEW_DRAFTS, P.DRAFT_ISSUE},
    "nhập danh sách đảng viên": {P.IMPORT},
    "sao lưu, xem danh sách bản sao lưu": {P.BACKUP},
    "khôi phục; cài đặt (cơ quan, sao lưu, đăng nhập); mẫu văn bản": {P.RESTORE, P.SETTINGS, P.TEMPLATES},
    "quản lý người dùng; xem, kiểm tra và xuất nhật ký thay đổi": {P.MANAGE_USERS, P.AUDIT},
    "ghi sinh hoạt chi bộ, nhập báo cáo sinh hoạt tháng": {P.MEETINGS},
    "ghi và nhập kết quả xếp loại chất lượng hằng năm": {P.RATINGS},
}


def readme_table() -> dict[Role, set[Permission]]:
    """Which role holds what, read from the README's ✓ columns."""
    lines = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| quyền |"))
    roles = [Role(cell.split("`")[1]) for cell in lines[header].strip("|").split("|")[1:]]
    table: dict[Role, set[Permission]] = {role: set() for role in roles}
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        for role, mark in zip(roles, cells[1:], strict=True):
            if mark == "✓":
                table[role] |= README_ROWS[cells[0]]
    return table


README_TABLE = readme_table()
# Entries that act at once (quit, lock, a backup, a modal box) rather than open a dialog to walk.
# What the buttons that change data need, by their text (a wrong tag shows a write to the wrong role).
BUTTON_SPEC = {"Ban hành…": P.DRAFT_ISSUE, "Hủy dự thảo": P.DRAFT_ISSUE, "Sửa dự thảo…": P.DRAFT_ISSUE,
               "Lưu dự thảo": P.DRAFT_ISSUE, "Chỉ định, chuẩn y…": P.DRAFT_ISSUE, "Trả lại…": P.DRAFT_ISSUE,
               "Cho thôi giữ chức…": P.DRAFT_ISSUE, "Vào sổ tờ trình…": P.DRAFT_ISSUE, "Sao lưu ngay": P.BACKUP,
               "Khôi phục bản đã chọn…": P.RESTORE, "Khôi phục mẫu mặc định": P.TEMPLATES,
               "Thêm tài khoản…": P.MANAGE_USERS, "Đặt lại mật khẩu…": P.MANAGE_USERS, "Đổi vai trò…": P.MANAGE_USERS,
               "Vô hiệu hóa": P.MANAGE_USERS, "Kiểm tra toàn vẹn": P.AUDIT}
NOT_TRIGGERED = {"Thoát", "Mở tệp dữ liệu…", "Làm mới", "Tìm đảng viên", "Giới thiệu", "Khóa màn hình",
                 "Sao lưu ngay", "Kiểm tra toàn vẹn nhật ký"}


def test_the_table_in_the_readme_is_what_core_enforces() -> None:
    assert set().union(*README_ROWS.values()) == set(Permission)  # every permission has its row
    assert README_TABLE[Role.CHI_XEM] == {P.READ} and README_TABLE[Role.QUAN_TRI] == set(Permission)
    assert {role: set(permissions) for role, permissions in ROLE_PERMISSIONS.items()} == README_TABLE


def test_fail_closed_without_a_tag_or_a_user(qtbot) -> None:  # type: ignore[no-untyped-def]
    admin = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    assert not may(None, P.READ) and not may(admin, None) and may(admin, P.RESTORE)
    menu = QMenu()
    untagged = menu.addAction("Một mục mới chưa gắn quyền")
    tagged = tag(menu.addAction("Xem"), P.READ)
    sub = menu.addMenu("Nhóm")
    only_untagged = sub.addAction("Mục con chưa gắn quyền")
    assert gate_menu(menu, admin)
    assert not untagged.isVisible() and tagged.isVisible()
    assert not only_untagged.isVisible() and not sub.menuAction().isVisible()  # an empty submenu hides too
    assert not gate_menu(menu, None) and not tagged.isVisible()


def window_for(qtbot, demo_path: Path, role: Role):  # type: ignore[no-untyped-def]
    from khoi_desktop.gui.main_window import MainWindow

    db = open_database(demo_path)
    db.user = CurrentUser(f"user_{role.value}", role.label, role)
    window = MainWindow(DbWorker(db))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.tree_model.snapshot is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT)
    return window


def entries(actions: list[QAction], path: str = "") -> Iterator[tuple[str, QAction]]:
    for action in actions:
        if action.isSeparator() or isinstance(action, QWidgetAction):
            continue
        text = f"{path}{action.text().replace('&', '')}"
        if action.menu() is not None and permission_of(action) is None:
            yield from entries(action.menu().actions(), text + " › ")
        else:
            yield text, action


def check_entries(actions: list[QAction], role: Role, where: str) -> list[QAction]:
    """Every entry tagged; shown exactly when the role holds its permission. Returns those shown."""
    shown = []
    for text, action in entries(actions):
        permission = permission_of(action)
        assert permission is not None, f"{where}: «{text}» says no permission"
        assert action.isVisible() == (permission in README_TABLE[role]), f"{where}: «{text}» for {role.value}"
        if action.isVisible():
            shown.append(action)
    return shown


def check_buttons(top: QWidget, role: Role, user: CurrentUser) -> int:
    """Every button of a shown dialog: tagged (or Qt's own frame), hidden unless the role may use it."""
    count = 0
    for button in top.findChildren(QAbstractButton):
        name = f"{top.objectName() or type(top).__name__}: «{button.text()}»"
        permission = permission_of(button)
        if permission is None:
            assert is_qt_own(button), f"{name} says no permission"
            continue
        count += 1
        assert BUTTON_SPEC.get(button.text(), permission) == permission, f"{name} tagged {permission}"
        parent = button.parentWidget()
        if parent is not None and parent.isVisible() and permission not in README_TABLE[role]:
            assert not button.isVisible(), f"{name} shown to {role.value}"
    for bar in top.findChildren(QToolBar):
        for text, action in entries(bar.actions()):
            permission = permission_of(action)
            assert permission is not None, f"toolbar «{text}» says no permission"
            assert action.isVisible() == (permission in README_TABLE[role])
    return count


def dialogs_now(window: QWidget) -> set[QWidget]:
    return {w for w in QApplication.topLevelWidgets() if w is not window and w.isVisible() and
            not isinstance(w, QMenu) and isinstance(w, QDialog | QWidget) and w.parentWidget() is window}


@pytest.mark.parametrize("role", WINDOW_ROLES, ids=[r.value for r in WINDOW_ROLES])
def test_every_menu_context_menu_and_button_follows_the_role(  # type: ignore[no-untyped-def]
        qtbot, demo_path: Path, role: Role, monkeypatch: pytest.MonkeyPatch) -> None:
    window = window_for(qtbot, demo_path, role)
    user = window.user
    modal: list[QDialog] = []

    def answer(dialog: QDialog) -> int:  # a modal dialog an entry opens: walked, then cancelled
        dialog.show()
        modal.append(dialog)
        check_buttons(dialog, role, user)
        dialog.hide()
        return 0

    for kind in (QDialog, QMessageBox, QFileDialog, QInputDialog):
        monkeypatch.setattr(kind, "exec", answer)
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, lambda *_a, **_k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: "")
    for name, cancelled in (("getItem", ""), ("getText", ""), ("getInt", 0)):
        monkeypatch.setattr(QInputDialog, name, lambda *_a, _c=cancelled, **_k: (_c, False))
    window.show()
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT)

    menus = [a for a in window.menuBar().actions()]
    shown_titles = {a.text().replace("&", "") for a in menus if a.isVisible()}
    assert {"Tệp", "Xem", "Cấp ủy", "Văn bản", "Bảng tính", "Tài khoản", "Trợ giúp"} <= shown_titles
    assert ("Sắp xếp tổ chức" in shown_titles) == ("Sao lưu" in shown_titles) == (role is not Role.CHI_XEM)
    reachable = check_entries(menus, role, "menu")

    snapshot = window.tree_model.snapshot
    kinds = {}
    for node in snapshot.nodes.values():
        kinds.setdefault((node.kind, node.active, node.parent_id is None), node)
    for node in [None, *kinds.values()]:
        if node is not None:
            window.select_org(node.id)
        reachable += check_entries(window.tree_menu(node).actions(), role, f"tree menu of {node and node.name}")
    rules = {}
    for finding in window.findings._findings:
        rules.setdefault(finding.rule, finding)
    for finding in rules.values():
        reachable += check_entries(window.finding_menu(finding).actions(), role, f"findings menu of {finding.rule}")

    assert check_buttons(window, role, user) >= 1  # the window itself: its toolbar and the committee tab
    panel = window.committee_panel
    window.bottom_tabs.setCurrentWidget(panel)
    window.select_org(snapshot.roots[0])
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT)
    assert panel.appoint_button.isVisible() == (role is not Role.CHI_XEM)

    walked: set[str] = set()
    buttons = 0
    window.select_org(next(n.id for n in snapshot.nodes.values() if n.kind.is_chi_bo and n.active))
    for action in reachable:
        text = action.text().replace("&", "")
        if text in NOT_TRIGGERED or text in walked:
            continue
        walked.add(text)
        before = dialogs_now(window)
        action.trigger()
        qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT)
        for dialog in dialogs_now(window) - before:
            buttons += check_buttons(dialog, role, user)
            dialog.close()
    expected_dialogs = {Role.CHI_XEM: 8, Role.CHUYEN_VIEN: 20, Role.QUAN_TRI: 25}[role]
    assert len(walked) >= expected_dialogs, sorted(walked)
    assert buttons >= len(walked)
    window.close()


def test_an_untagged_button_in_a_dialog_of_the_window_is_hidden(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    dialog = QDialog(main_window)
    untagged = QPushButton("Ban hành…", dialog)
    tagged = tag(QPushButton("Xem", dialog), P.READ)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    elsewhere = QPushButton("Ban hành…")  # another window's widget has its own user: left alone
    dialog.show()
    elsewhere.show()
    assert not untagged.isVisible() and tagged.isVisible()
    assert box.button(QDialogButtonBox.StandardButton.Close).isVisible()
    assert elsewhere.isVisible()
    elsewhere.close()
    dialog.close()
