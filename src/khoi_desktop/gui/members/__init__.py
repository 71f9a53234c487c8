"""Members' party lives in the GUI: the member table's context menu opens one small wizard per action
(built on the request wizard: live check, decision page, draft or issue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.members import MemberRow
from khoi_desktop.gui.gating import add_entry, gate_menu
from khoi_desktop.gui.members.lists_dialog import BadgeDialog, ProbationDialog
from khoi_desktop.gui.members.target_dialog import AdmissionTargetDialog
from khoi_desktop.gui.members.wizards import ConfirmFullWizard, ExemptWizard, LeaveWizard, TransferMemberWizard
from khoi_desktop.gui.workflows import show

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

DRAFT = Permission.DRAFT_ISSUE


def member_menu(window: MainWindow, member: MemberRow) -> QMenu:
    menu = QMenu(window)
    if window.viewing_today():
        if member.status.value == "du_bi":
            add_entry(menu, "Công nhận đảng viên chính thức…", DRAFT,
                      lambda: show(ConfirmFullWizard(window, member)))
        add_entry(menu, "Chuyển sinh hoạt đảng…", DRAFT, lambda: show(TransferMemberWizard(window, member)))
        exempt = member.status.value == "mien_sinh_hoat"
        add_entry(menu, "Thôi miễn sinh hoạt đảng…" if exempt else "Miễn sinh hoạt đảng…", DRAFT,
                  lambda: show(ExemptWizard(window, member, end=exempt)))
        add_entry(menu, "Ra khỏi danh sách đảng viên…", DRAFT, lambda: show(LeaveWizard(window, member)))
    gate_menu(menu, window.user)
    return menu


def install(window: MainWindow) -> None:
    menu = window.menuBar().addMenu("Đả&ng viên")
    add_entry(menu, "Đảng viên dự bị đến hạn xét chính thức…", Permission.READ,
              lambda: show(ProbationDialog(window)))
    add_entry(menu, "Đảng viên đề nghị tặng Huy hiệu Đảng…", Permission.READ, lambda: show(BadgeDialog(window)))
    add_entry(menu, "Kết nạp đảng viên so với chỉ tiêu…", Permission.READ,
              lambda: show(AdmissionTargetDialog(window)))
    table = window.member_table
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def open_menu(position: QPoint) -> None:
        index = table.indexAt(position)
        if not index.isValid():
            return
        table.setCurrentIndex(index)
        menu = member_menu(window, window.member_model.row_at(index.row()))
        if not menu.isEmpty():
            menu.exec(table.viewport().mapToGlobal(position))

    table.customContextMenuRequested.connect(open_menu)
