"""The yearly quality rating in the GUI: a "Xếp loại chất lượng" menu (the year's dialog, returns by Excel),
entries on the tree's and the findings' context menus."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.core.rules import Finding
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.ratings.year_dialog import RatingsYearDialog

MENU_TITLE = "Xếp loại chất lượng"
RATING_RULES = ("rating_cap_exceeded", "rating_inconsistent", "rating_missing")


def open_year(window: MainWindow, year: int | None = None) -> RatingsYearDialog:
    from khoi_desktop.gui.ratings.year_dialog import RatingsYearDialog

    dialog = RatingsYearDialog(window, year)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def _action(window: MainWindow, name: str, label: str, permission: Permission, run: Callable[[], object]) -> QAction:
    action = tag(QAction(label, window), permission)
    action.setObjectName(f"ratings_{name}")
    action.triggered.connect(lambda _checked=False: run())
    return action


def install(window: MainWindow) -> None:
    from khoi_desktop.gui.ratings import returns

    menu = window.menuBar().addMenu("Xếp &loại chất lượng")
    menu.setObjectName("ratings_menu")
    entries: list[tuple[str, str, Permission, Callable[[], object]] | None] = [
        ("year", "Xếp loại chất lượng của năm…", Permission.READ, lambda: open_year(window)),
        None,
        ("template", "Lập báo cáo xếp loại (Excel) cho tổ chức cơ sở đảng đang chọn…", Permission.READ,
         lambda: returns.make_template(window, window.selected_node())),
        ("template_all", "Lập báo cáo xếp loại (Excel) cho tất cả tổ chức cơ sở đảng…", Permission.READ,
         lambda: returns.make_all_templates(window)),
        ("import", "Nhập báo cáo xếp loại từ Excel…", Permission.RATINGS, lambda: returns.import_workbook(window)),
    ]
    for entry in entries:
        if entry is None:
            menu.addSeparator()
        else:
            menu.addAction(_action(window, *entry))

    def tree_entries(context: QMenu, node: OrgNode | None) -> None:
        if node is not None and node.active and node.kind.is_tccsd:
            context.addAction(_action(window, "template_here", "Lập báo cáo xếp loại chất lượng (Excel)…",
                                      Permission.READ, lambda: returns.make_template(window, node)))

    window.tree_menu_providers.append(tree_entries)

    def finding_entries(context: QMenu, finding: Finding) -> None:
        if finding.rule in RATING_RULES:
            context.addAction(_action(window, "year_finding", "Xem xếp loại chất lượng…", Permission.READ,
                                      lambda: open_year(window)))

    window.finding_menu_providers.append(finding_entries)
