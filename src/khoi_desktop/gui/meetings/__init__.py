"""Chi bộ meetings in the GUI: a "Sinh hoạt chi bộ" menu, entries on the tree's context menu, the meeting
dialog, the month grid, a chi bộ's history, the year summary with its chart, and monthly returns by Excel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.meetings.models import MeetingKind
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.core.rules import Finding
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.meetings.criteria_dialog import CriteriaDialog
    from khoi_desktop.gui.meetings.grid_dialog import GridDialog
    from khoi_desktop.gui.meetings.history_dialog import HistoryDialog
    from khoi_desktop.gui.meetings.meeting_dialog import MeetingDialog
    from khoi_desktop.gui.meetings.year_dialog import YearDialog

W = TypeVar("W", bound=QWidget)
MENU_TITLE = "Sinh hoạt chi bộ"
MEETING_RULES = ("meeting_missing", "no_thematic_meeting", "member_absent_3_times")


def _show(dialog: W) -> W:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_meeting_dialog(window: MainWindow, org_id: int, *, month: dt.date | None = None,
                        kind: MeetingKind = MeetingKind.THUONG_KY) -> MeetingDialog:
    from khoi_desktop.gui.meetings.meeting_dialog import MeetingDialog

    return _show(MeetingDialog(window, org_id, month=month, kind=kind))


def open_grid(window: MainWindow, org_code: str | None = None) -> GridDialog:
    from khoi_desktop.gui.meetings.grid_dialog import GridDialog

    return _show(GridDialog(window, org_code))


def open_history(window: MainWindow, node: OrgNode) -> HistoryDialog:
    from khoi_desktop.gui.meetings.history_dialog import HistoryDialog

    return _show(HistoryDialog(window, node.code, node.id))


def open_year(window: MainWindow) -> YearDialog:
    from khoi_desktop.gui.meetings.year_dialog import YearDialog

    return _show(YearDialog(window))


def open_criteria(window: MainWindow) -> CriteriaDialog:
    from khoi_desktop.gui.meetings.criteria_dialog import CriteriaDialog

    return _show(CriteriaDialog(window))


def _for_chi_bo(window: MainWindow, run: Callable[[OrgNode], object]) -> Callable[[], None]:
    def go() -> None:
        node = window.selected_node()
        if node is None or not node.kind.is_chi_bo:
            QMessageBox.information(window, MENU_TITLE, "Hãy chọn một chi bộ trong cây tổ chức trước.")
        else:
            run(node)

    return go


def _action(window: MainWindow, name: str, label: str, permission: Permission, run: Callable[[], object]) -> QAction:
    action = tag(QAction(label, window), permission)
    action.setObjectName(f"meetings_{name}")
    action.triggered.connect(lambda _checked=False: run())
    return action


def install(window: MainWindow) -> None:
    from khoi_desktop.gui.meetings import returns

    menu = window.menuBar().addMenu("Sinh hoạt &chi bộ")
    menu.setObjectName("meetings_menu")
    entries: list[tuple[str, str, Permission, Callable[[], object]] | None] = [
        ("grid", "Tình hình sinh hoạt chi bộ toàn Đảng bộ…", Permission.READ, lambda: open_grid(window)),
        ("record", "Ghi sinh hoạt của chi bộ đang chọn…", Permission.MEETINGS,
         _for_chi_bo(window, lambda n: open_meeting_dialog(window, n.id))),
        ("history", "Lịch sử sinh hoạt của chi bộ đang chọn…", Permission.READ,
         _for_chi_bo(window, lambda n: open_history(window, n))),
        ("year", "Tổng hợp sinh hoạt chi bộ cả năm…", Permission.READ, lambda: open_year(window)),
        None,
        ("template", "Lập báo cáo tháng (Excel) cho đảng bộ đang chọn…", Permission.READ,
         lambda: returns.make_template(window, window.selected_node())),
        ("import", "Nhập báo cáo tháng từ Excel…", Permission.MEETINGS, lambda: returns.import_workbook(window)),
        None,
        ("criteria", "Phiếu chấm điểm…", Permission.SETTINGS, lambda: open_criteria(window)),
    ]
    for entry in entries:
        if entry is None:
            menu.addSeparator()
        else:
            menu.addAction(_action(window, *entry))

    def tree_entries(context: QMenu, node: OrgNode | None) -> None:
        if node is None or not node.active:
            return
        context.addSeparator()
        if node.kind.is_chi_bo:
            context.addAction(_action(window, "record_here", "Ghi sinh hoạt chi bộ…", Permission.MEETINGS,
                                      lambda: open_meeting_dialog(window, node.id)))
            context.addAction(_action(window, "history_here", "Lịch sử sinh hoạt…", Permission.READ,
                                      lambda: open_history(window, node)))
        if node.kind.is_tccsd:
            context.addAction(_action(window, "grid_here", "Tình hình sinh hoạt chi bộ…", Permission.READ,
                                      lambda: open_grid(window, node.code)))
            context.addAction(_action(window, "template_here", "Lập báo cáo sinh hoạt tháng (Excel)…",
                                      Permission.READ, lambda: returns.make_template(window, node)))

    window.tree_menu_providers.append(tree_entries)

    def finding_entries(context: QMenu, finding: Finding) -> None:
        if finding.rule in MEETING_RULES:
            context.addAction(_action(window, "record_finding", "Ghi sinh hoạt chi bộ…", Permission.MEETINGS,
                                      lambda: open_meeting_dialog(window, finding.org_id)))
            node = window.tree_model.snapshot.nodes.get(finding.org_id) if window.tree_model.snapshot else None
            if node is not None:
                context.addAction(_action(window, "history_finding", "Lịch sử sinh hoạt…", Permission.READ,
                                          lambda: open_history(window, node)))

    window.finding_menu_providers.append(finding_entries)
