"""What the role may see: menu entries, context-menu entries and buttons of every area, by permission.

Areas need not know about roles: their actions and buttons are recognized here by object name or by their
visible text (without the '&' mnemonic and the '…'), or an area may tag a widget or action itself with
`setProperty("permission", Permission.X.value)`. Anything not recognized is treated as reading (open to
all); tests/gui/test_auth_gui.py checks that every entry of the main window's menus is listed, so a new
write action cannot slip in unnoticed. Core refuses what the role may not do in any case.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QMenu, QMenuBar

from khoi_desktop.core.auth.current import CurrentUser
from khoi_desktop.core.auth.permissions import Permission, allowed

P = Permission
RULES: dict[str, Permission] = {
    # Tệp, Xem, Trợ giúp (main window)
    "Mở tệp dữ liệu": P.READ, "Thoát": P.READ, "Làm mới": P.READ, "Tìm đảng viên": P.READ, "Giới thiệu": P.READ,
    # Sắp xếp tổ chức (menu, tree and findings context menus, decisions view, wizards)
    "Thành lập tổ chức": P.DRAFT_ISSUE, "Tiếp nhận tổ chức, đảng viên từ nơi khác": P.DRAFT_ISSUE,
    "Danh sách quyết định": P.VIEW_DRAFTS, "Sắp xếp tổ chức": P.DRAFT_ISSUE, "Tách chi bộ": P.DRAFT_ISSUE,
    "Thành lập đảng bộ trên cơ sở chi bộ này": P.DRAFT_ISSUE, "Thành lập tổ chức trực thuộc": P.DRAFT_ISSUE,
    "Hợp nhất với tổ chức khác": P.DRAFT_ISSUE, "Sáp nhập vào tổ chức khác": P.DRAFT_ISSUE,
    "Chuyển trực thuộc": P.DRAFT_ISSUE, "Chuyển giao ra ngoài Đảng bộ": P.DRAFT_ISSUE, "Giải thể": P.DRAFT_ISSUE,
    "Đến tổ chức này": P.READ, "Sửa dự thảo": P.DRAFT_ISSUE, "Ban hành": P.DRAFT_ISSUE,
    "Hủy dự thảo": P.DRAFT_ISSUE, "Lưu dự thảo": P.DRAFT_ISSUE, "draft_button": P.DRAFT_ISSUE,
    "issue_button": P.DRAFT_ISSUE, "Chỉ định cấp ủy": P.DRAFT_ISSUE,
    # Văn bản
    "open_register": P.READ, "open_templates": P.TEMPLATES, "Khôi phục mẫu mặc định": P.TEMPLATES,
    # Sao lưu
    "Sao lưu ngay": P.BACKUP, "Sao lưu ra USB": P.BACKUP, "Danh sách bản sao lưu": P.BACKUP,
    "Khôi phục": P.RESTORE, "Khôi phục bản đã chọn": P.RESTORE, "Cài đặt sao lưu": P.SETTINGS,
    # Bảng tính
    "Nhập danh sách đảng viên": P.IMPORT, "Xuất Excel": P.READ, "Thống kê": P.READ,
    # Cấp ủy (menu by object name; tree entries and the committee panel's buttons by text)
    "appointments_show_committee": P.READ, "appointments_appoint": P.DRAFT_ISSUE,
    "appointments_approve_election": P.DRAFT_ISSUE, "appointments_end_seat": P.DRAFT_ISSUE,
    "appointments_submissions": P.READ, "appointments_new_submission": P.DRAFT_ISSUE,
    "appointments_alerts": P.READ, "appointments_summary": P.READ, "Cấp ủy": P.READ,
    "Chỉ định, chuẩn y": P.DRAFT_ISSUE, "appoint_button": P.DRAFT_ISSUE, "Chuẩn y kết quả bầu cử": P.DRAFT_ISSUE,
    "end_seat_button": P.DRAFT_ISSUE, "Cho thôi giữ chức": P.DRAFT_ISSUE,
    "Ghi số lượng Đại hội quyết định": P.DRAFT_ISSUE, "Vào sổ tờ trình": P.DRAFT_ISSUE,
    "Chỉ định, chuẩn y theo tờ trình": P.DRAFT_ISSUE, "Trả lại": P.DRAFT_ISSUE,
}


def normalized(text: str) -> str:
    return text.replace("&", "").replace("…", "").replace("...", "").strip()


def permission_of(item: QObject) -> Permission | None:
    """The permission an action or button needs: its own tag, else its object name, else its text."""
    tag = item.property("permission")
    if tag:
        return Permission(str(tag))
    if item.objectName() in RULES:
        return RULES[item.objectName()]
    text = item.text() if isinstance(item, QAction | QAbstractButton) else ""
    return RULES.get(normalized(text))


def gate_menu(menu: QMenu | QMenuBar, user: CurrentUser | None) -> bool:
    """Show the entries `user` may use, hide the others and the menus left empty; True if any shows."""
    shown = False
    for action in menu.actions():
        if action.isSeparator():
            continue
        submenu = action.menu()
        permission = permission_of(action)
        if permission is not None and not allowed(user, permission):
            action.setVisible(False)
            continue
        if isinstance(submenu, QMenu):
            visible = gate_menu(submenu, user)
            action.setVisible(visible)
            shown = shown or visible
            continue
        if permission is not None:
            action.setVisible(True)
        shown = shown or action.isVisible()
    return shown


def refuse_button(button: QAbstractButton, user: CurrentUser | None) -> bool:
    """True when the button is for an action `user` may not do (the caller hides it)."""
    permission = permission_of(button)
    return permission is not None and not allowed(user, permission)
