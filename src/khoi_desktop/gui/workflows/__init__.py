"""Restructuring in the GUI: wizards from the menu, the tree's and the findings' context menus, and the
decisions view."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.rules import Finding
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.gui.gating import add_entry, tag
from khoi_desktop.gui.workflows.decisions_dialog import DecisionsDialog
from khoi_desktop.gui.workflows.form_wizards import (
    AbsorbWizard,
    ConsolidateWizard,
    DissolveWizard,
    FoundWizard,
    HandOverWizard,
    TransferWizard,
)
from khoi_desktop.gui.workflows.receive_wizard import ReceiveWizard
from khoi_desktop.gui.workflows.split_wizard import SplitWizard, UpgradeWizard

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


def show(dialog: QWidget) -> QWidget:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog


def open_decisions(window: MainWindow) -> DecisionsDialog:
    dialog = DecisionsDialog(window)
    show(dialog)
    return dialog


def actions_for(window: MainWindow, node: OrgNode) -> list[tuple[str, Callable[[], QWidget]]]:
    """The restructuring a clerk can start from an organization, by its kind."""
    items: list[tuple[str, Callable[[], QWidget]]] = []
    if node.kind.is_chi_bo:
        items.append(("Tách chi bộ…", lambda: show(SplitWizard(window, node))))
        items.append(("Thành lập đảng bộ trên cơ sở chi bộ này…", lambda: show(UpgradeWizard(window, node))))
    else:
        items.append(("Thành lập tổ chức trực thuộc…", lambda: show(FoundWizard(window, node))))
    items.append(("Hợp nhất với tổ chức khác…", lambda: show(ConsolidateWizard(window, node))))
    items.append(("Sáp nhập vào tổ chức khác…", lambda: show(AbsorbWizard(window, node))))
    if node.kind in (OrgKind.CHI_BO_TRUC_THUOC, OrgKind.DANG_BO_BO_PHAN):
        items.append(("Chuyển trực thuộc…", lambda: show(TransferWizard(window, node))))
    items.append(("Chuyển giao ra ngoài Đảng bộ…", lambda: show(HandOverWizard(window, node))))
    items.append(("Giải thể…", lambda: show(DissolveWizard(window, node))))
    return items


DRAFT = Permission.DRAFT_ISSUE  # every restructuring starts a draft decision

FINDING_ACTIONS = {
    "chi_bo_over_30": ["Tách chi bộ…", "Thành lập đảng bộ trên cơ sở chi bộ này…"],
    "tccsd_should_be_dang_bo": ["Thành lập đảng bộ trên cơ sở chi bộ này…"],
    "too_few_full_members": ["Sáp nhập vào tổ chức khác…", "Giải thể…"],
    "dang_bo_without_chi_bo": ["Thành lập tổ chức trực thuộc…", "Giải thể…"],
}


def install(window: MainWindow) -> None:
    menu = window.menuBar().addMenu("&Sắp xếp tổ chức")
    window.today_only_actions += [
        add_entry(menu, "Thành lập tổ chức…", DRAFT, lambda: show(FoundWizard(window, window.selected_node()))),
        add_entry(menu, "Tiếp nhận tổ chức, đảng viên từ nơi khác…", DRAFT, lambda: show(ReceiveWizard(window))),
    ]
    menu.addSeparator()
    decisions = tag(QAction("&Danh sách quyết định…", window), Permission.VIEW_DRAFTS)
    decisions.setShortcut("Ctrl+D")
    decisions.triggered.connect(lambda: open_decisions(window))
    menu.addAction(decisions)

    def tree_entries(context: QMenu, node: OrgNode | None) -> None:
        if not window.viewing_today():  # the tree shows another day: nothing to restructure there
            tag(context.addAction("Sắp xếp tổ chức: chỉ khi xem ngày hôm nay"), DRAFT).setEnabled(False)
            return
        if node is None:
            add_entry(context, "Thành lập tổ chức…", DRAFT, lambda: show(FoundWizard(window, None)))
            add_entry(context, "Tiếp nhận tổ chức, đảng viên từ nơi khác…", DRAFT, lambda: show(ReceiveWizard(window)))
            return
        sub = context.addMenu("Sắp xếp tổ chức")
        for label, run in actions_for(window, node):
            add_entry(sub, label, DRAFT, run)

    def finding_entries(context: QMenu, finding: Finding) -> None:
        snapshot = window.tree_model.snapshot
        node = snapshot.nodes.get(finding.org_id) if snapshot else None
        wanted = FINDING_ACTIONS.get(finding.rule, [])
        if node is None or not wanted or not window.viewing_today():
            return
        context.addSeparator()
        for label, run in actions_for(window, node):
            if label in wanted:
                add_entry(context, label, DRAFT, run)

    window.tree_menu_providers.append(tree_entries)
    window.finding_menu_providers.append(finding_entries)
