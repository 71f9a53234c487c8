"""Spreadsheets in the GUI: a "Bảng tính" menu with the member import wizard, Excel export and statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import MEMBERS_ADDED
from khoi_desktop.gui.dialogs import raise_or_open
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.qt_values import python_date

if TYPE_CHECKING:
    import datetime as dt

    from khoi_desktop.gui.main_window import MainWindow


def _as_of(window: MainWindow) -> dt.date:
    return python_date(window.as_of_edit.date())



def open_import(window: MainWindow) -> QDialog:
    from khoi_desktop.gui.spreadsheets.import_wizard import ImportWizard

    def make() -> ImportWizard:
        wizard = ImportWizard(window.worker, window)
        wizard.imported.connect(lambda _count: window.notify_changed(MEMBERS_ADDED))
        return wizard

    return raise_or_open(window, ImportWizard, make)


def open_export(window: MainWindow) -> QDialog:
    from khoi_desktop.gui.spreadsheets.export_dialog import ExportDialog

    return raise_or_open(window, ExportDialog, lambda: ExportDialog(window.worker, window, as_of=_as_of(window)))


def open_statistics(window: MainWindow) -> QDialog:
    from khoi_desktop.gui.spreadsheets.statistics_view import StatisticsDialog

    return raise_or_open(window, StatisticsDialog,
                          lambda: StatisticsDialog(window.worker, window, as_of=_as_of(window)))


def install(window: MainWindow) -> None:
    menu = QMenu("&Bảng tính", window)
    menu.setObjectName("spreadsheets_menu")
    for text, permission, opener in (("&Nhập danh sách đảng viên…", Permission.IMPORT, open_import),
                                     ("&Xuất Excel…", Permission.READ, open_export),
                                     ("&Thống kê…", Permission.READ, open_statistics)):
        action = tag(QAction(text, window), permission)
        action.triggered.connect(lambda _checked=False, o=opener: o(window))
        menu.addAction(action)
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    window.spreadsheets_menu = menu  # type: ignore[attr-defined]
