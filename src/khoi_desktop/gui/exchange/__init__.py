"""The exchange with the grassroots organizations in the GUI: a "Trao đổi" menu opening the exchange window
(status per body, received items, review)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.gui.exchange.exchange_dialog import ExchangeDialog
    from khoi_desktop.gui.main_window import MainWindow

MENU_TITLE = "Trao đổi"


def open_exchange(window: MainWindow, *, choose: bool = False) -> ExchangeDialog:
    from khoi_desktop.gui.exchange.exchange_dialog import ExchangeDialog

    dialog = ExchangeDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    if choose:
        dialog.choose_package()
    return dialog


def _show_mode(window: MainWindow) -> None:
    """A grassroots database says so in the title: its body's committee, in grassroots mode."""
    from khoi_desktop.gui.exchange.ops import load_mode

    def shown(mode: tuple[str, str] | None) -> None:
        if mode is None:
            return
        from khoi_desktop.core.authority import committee_name

        _, _, rest = window.windowTitle().partition(" – ")
        window.setWindowTitle(f"{committee_name(mode[1])} (chế độ cơ sở) – {rest}")

    window.worker.submit(load_mode(), shown, lambda _error: None)


def install(window: MainWindow) -> None:
    window.overview_loaded.connect(lambda: _show_mode(window))
    menu = window.menuBar().addMenu("T&rao đổi")
    menu.setObjectName("exchange_menu")
    for name, label, permission, choose in (
            ("status", "Trao đổi với tổ chức cơ sở…", Permission.READ, False),
            ("import", "Nhập gói trao đổi (.khoipkg)…", Permission.IMPORT, True)):
        action = tag(QAction(label, window), permission)
        action.setObjectName(f"exchange_{name}")
        action.triggered.connect(lambda _checked=False, c=choose: open_exchange(window, choose=c))
        menu.addAction(action)
