"""Members' party lives in the GUI: the member table's context menu opens one small wizard per action
(built on the request wizard: live check, decision page, draft or issue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.kinds import OrgKind
from khoi_desktop.core.members import MemberRow
from khoi_desktop.gui.gating import add_entry, gate_menu
from khoi_desktop.gui.members.admit_wizards import AdmitWizard, ReceiveWizard
from khoi_desktop.gui.members.letters_dialog import LettersDialog
from khoi_desktop.gui.members.lists_dialog import BadgeDialog, ProbationDialog
from khoi_desktop.gui.members.target_dialog import AdmissionTargetDialog
from khoi_desktop.gui.members.thresholds_dialog import ThresholdsDialog
from khoi_desktop.gui.members.wizards import ConfirmFullWizard, ExemptWizard, LeaveWizard, TransferMemberWizard
from khoi_desktop.gui.workflows import show

if TYPE_CHECKING:
    from khoi_desktop.core.tree import OrgNode
    from khoi_desktop.gui.main_window import MainWindow

DRAFT = Permission.DRAFT_ISSUE


def open_letters(window: MainWindow, member: str | None = None) -> LettersDialog:
    """The transfers out waiting for their slip; `member` (a code) selected."""
    dialog = LettersDialog(window, member)
    show(dialog)
    return dialog


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
        # A member transferred out (found by the search) or away for a while: their letter and its slip.
        add_entry(menu, "Giấy giới thiệu sinh hoạt đảng, phiếu báo…", Permission.READ,
                  lambda: open_letters(window, member.code))
    gate_menu(menu, window.user)
    return menu


def set_authorization(code: str, authorized: bool):  # type: ignore[no-untyped-def]
    def job(db):  # type: ignore[no-untyped-def]
        from khoi_desktop.core.member_events.authority import set_admitting_bodies

        with db.writing() as session:
            return set_admitting_bodies(session, add=[code] if authorized else [],
                                        remove=[] if authorized else [code])

    return job


def authorization_entry(window: MainWindow, context: QMenu, node: OrgNode | None) -> None:
    """On a đảng bộ cơ sở: authorize it to admit members (its đảng ủy then decides its members' lives), or
    withdraw it (core/member_events/authority.py)."""
    if node is None or not node.active or node.kind is not OrgKind.DANG_BO_CO_SO or not window.viewing_today():
        return
    authorized = node.code in window.settings.admitting_bodies
    text = "Thôi ủy quyền kết nạp đảng viên" if authorized else "Ủy quyền kết nạp đảng viên cho đảng ủy này"

    def run() -> None:
        from khoi_desktop.core.changes import Area
        from khoi_desktop.gui.errors import present_error

        window.worker.submit(set_authorization(node.code, not authorized),
                             lambda _bodies: window.notify_changed(frozenset({Area.SETTINGS})),
                             lambda error: present_error(window, error))

    context.addSeparator()
    add_entry(context, text, Permission.SETTINGS, run)


def install(window: MainWindow) -> None:
    menu = window.menuBar().addMenu("Đả&ng viên")
    window.today_only_actions += [
        add_entry(menu, "Kết nạp đảng viên…", DRAFT, lambda: show(AdmitWizard(window))),
        add_entry(menu, "Tiếp nhận đảng viên từ ngoài Đảng bộ…", DRAFT, lambda: show(ReceiveWizard(window))),
    ]
    menu.addSeparator()
    add_entry(menu, "Đảng viên dự bị đến hạn xét chính thức…", Permission.READ,
              lambda: show(ProbationDialog(window)))
    add_entry(menu, "Đảng viên đề nghị tặng Huy hiệu Đảng…", Permission.READ, lambda: show(BadgeDialog(window)))
    add_entry(menu, "Kết nạp đảng viên so với chỉ tiêu…", Permission.READ,
              lambda: show(AdmissionTargetDialog(window)))
    add_entry(menu, "Giấy giới thiệu sinh hoạt đảng, phiếu báo…", Permission.READ,
              lambda: open_letters(window))
    menu.addSeparator()
    add_entry(menu, "Ngưỡng theo quy định và chỉ tiêu…", Permission.SETTINGS,
              lambda: show(ThresholdsDialog(window)))
    window.tree_menu_providers.append(lambda context, node: authorization_entry(window, context, node))
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
