"""Committees and appointments in the GUI: a "Cấp ủy" menu, a "Cấp ủy" tab following the tree, entries on the
tree's context menu, and the dialogs (chỉ định / chuẩn y, chuẩn y kết quả bầu cử, thôi giữ chức, tờ trình,
tổng hợp nhiệm kỳ, cấp ủy còn khuyết).

`open_appoint_dialog(window, org_id)` is for other screens, e.g. right after founding, splitting or merging
an organization.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QPushButton, QVBoxLayout, QWidget

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import Area
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.gui.appointments.committee_panel import CommitteePanel
from khoi_desktop.gui.gating import add_entry, tag

if TYPE_CHECKING:
    from khoi_desktop.gui.appointments.alerts_dialog import AlertsDialog
    from khoi_desktop.gui.appointments.appoint_dialog import AppointDialog
    from khoi_desktop.gui.appointments.end_seat_dialog import EndSeatDialog
    from khoi_desktop.gui.appointments.submissions_dialog import SubmissionForm, SubmissionsDialog
    from khoi_desktop.gui.appointments.summary_dialog import SummaryDialog
    from khoi_desktop.gui.main_window import MainWindow

W = TypeVar("W", bound=QWidget)


def _show(dialog: W) -> W:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_appoint_dialog(window: MainWindow, org_id: int, *, election: bool = False,
                        submission: str | None = None) -> AppointDialog:
    """Chỉ định / chuẩn y for the organization (chuẩn y kết quả bầu cử with `election`), answering the
    organization's pending submission with that register number if given."""
    from khoi_desktop.gui.appointments.appoint_dialog import AppointDialog

    return _show(AppointDialog(window, org_id, election=election, submission=submission))


def open_end_seat_dialog(window: MainWindow, org_id: int, member_code: str | None = None) -> EndSeatDialog:
    from khoi_desktop.gui.appointments.end_seat_dialog import EndSeatDialog

    return _show(EndSeatDialog(window, org_id, member_code))


class CommitteeDialog(QDialog):
    def __init__(self, window: MainWindow, org_id: int) -> None:
        super().__init__(window)
        self.setObjectName("committee_dialog")
        self.setWindowTitle("Cấp ủy")
        self.panel = CommitteePanel(window, self)
        self.panel.loaded.connect(lambda: self.setWindowTitle(f"Cấp ủy – {self.panel.view.org_name}"
                                                              if self.panel.view else "Cấp ủy"))
        self.close_button = tag(QPushButton("Đóng", self), Permission.READ)
        self.close_button.setObjectName("close_button")
        self.close_button.clicked.connect(self.accept)
        self.panel.button_row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.resize(980, 560)
        self._window = window
        self._on_change = window.on_change(frozenset({Area.COMMITTEES, Area.ORGANIZATIONS}), self.panel.reload)
        self.panel.show_org(org_id)

    def done(self, result: int) -> None:
        try:
            self._window.data_changed.disconnect(self._on_change)
        except (RuntimeError, TypeError):
            pass
        super().done(result)


def open_committee_dialog(window: MainWindow, org_id: int) -> CommitteeDialog:
    return _show(CommitteeDialog(window, org_id))


def open_submissions(window: MainWindow) -> SubmissionsDialog:
    from khoi_desktop.gui.appointments.submissions_dialog import SubmissionsDialog

    existing = window.findChild(SubmissionsDialog)
    if isinstance(existing, SubmissionsDialog):
        existing.show()
        existing.activateWindow()
        return existing
    return _show(SubmissionsDialog(window))


def open_submission_form(window: MainWindow) -> SubmissionForm:
    from khoi_desktop.gui.appointments.submissions_dialog import SubmissionForm

    node = window.selected_node()
    return _show(SubmissionForm(window, node.id if node else None))


def open_summary(window: MainWindow) -> SummaryDialog:
    from khoi_desktop.gui.appointments.summary_dialog import SummaryDialog

    return _show(SummaryDialog(window))


def open_alerts(window: MainWindow) -> AlertsDialog:
    from khoi_desktop.gui.appointments.alerts_dialog import AlertsDialog

    return _show(AlertsDialog(window))


def _for_selected(window: MainWindow, run: Callable[[OrgNode], object]) -> Callable[[], None]:
    def go() -> None:
        node = window.selected_node()
        if node is None:
            QMessageBox.information(window, "Cấp ủy", "Hãy chọn một tổ chức đảng trong cây tổ chức trước.")
        else:
            run(node)

    return go


def _install_tab(window: MainWindow) -> CommitteePanel:
    """A "Cấp ủy" tab beside the details: it follows the tree, loading only while it is shown."""
    panel = CommitteePanel(window, window.bottom_tabs)
    window.bottom_tabs.addTab(panel, "Cấp ủy")
    stale = {"value": True}

    def selected() -> int | None:
        node = window.selected_node()
        return node.id if node else None

    def refresh() -> None:
        if window.bottom_tabs.currentWidget() is panel:
            stale["value"] = False
            panel.show_org(selected())
        else:
            stale["value"] = True

    window.tree.selectionModel().selectionChanged.connect(lambda *_: refresh())
    window.bottom_tabs.currentChanged.connect(lambda _i: refresh() if stale["value"] else None)
    window.on_change(frozenset({Area.COMMITTEES, Area.ORGANIZATIONS, Area.MEMBERS}), refresh)
    window.overview_loaded.connect(refresh)
    return panel


def install(window: MainWindow) -> None:
    window.committee_panel = _install_tab(window)  # type: ignore[attr-defined]
    menu = window.menuBar().addMenu("Cấ&p ủy")
    menu.setObjectName("appointments_menu")
    read, draft = Permission.READ, Permission.DRAFT_ISSUE
    entries: list[tuple[str, str, Permission, Callable[[], object]]] = [
        ("show_committee", "Cấp ủy của tổ chức đang chọn…", read,
         _for_selected(window, lambda n: open_committee_dialog(window, n.id))),
        ("appoint", "Chỉ định, chuẩn y…", draft,
         _for_selected(window, lambda n: open_appoint_dialog(window, n.id))),
        ("approve_election", "Chuẩn y kết quả bầu cử Đại hội…", draft,
         _for_selected(window, lambda n: open_appoint_dialog(window, n.id, election=True))),
        ("end_seat", "Cho thôi giữ chức…", draft,
         _for_selected(window, lambda n: open_end_seat_dialog(window, n.id))),
        ("", "", read, lambda: None),
        ("submissions", "Sổ tờ trình…", read, lambda: open_submissions(window)),
        ("new_submission", "Vào sổ tờ trình…", draft, lambda: open_submission_form(window)),
        ("", "", read, lambda: None),
        ("alerts", "Cấp ủy còn khuyết, sắp hết nhiệm kỳ…", read, lambda: open_alerts(window)),
        ("summary", "Tổng hợp chỉ định, chuẩn y theo nhiệm kỳ…", read, lambda: open_summary(window)),
    ]
    for name, label, permission, run in entries:
        if not name:
            menu.addSeparator()
            continue
        action = tag(QAction(label, window), permission)
        action.setObjectName(f"appointments_{name}")
        action.triggered.connect(lambda _checked=False, run=run: run())
        menu.addAction(action)
        if name in ("appoint", "approve_election", "end_seat"):
            window.today_only_actions.append(action)

    def tree_entries(context: QMenu, node: OrgNode | None) -> None:
        if node is None or not node.active:
            return
        context.addSeparator()
        add_entry(context, "Cấp ủy…", Permission.READ, lambda: open_committee_dialog(window, node.id))
        if window.viewing_today():
            add_entry(context, "Chỉ định, chuẩn y…", Permission.DRAFT_ISSUE,
                      lambda: open_appoint_dialog(window, node.id))

    window.tree_menu_providers.append(tree_entries)
