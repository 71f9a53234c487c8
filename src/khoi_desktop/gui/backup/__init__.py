"""Backups in the GUI: the "Sao lưu" menu, status-bar note, periodic and on-close backups, restore."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from khoi_desktop.gui.backup.controller import BackupController


def install(window: Any) -> None:
    controller = window.backup_controller = BackupController(window)
    menu = window.backup_menu = QMenu("&Sao lưu", window)
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    entries = (
        ("Sao lưu &ngay", controller.backup_now, QKeySequence("Ctrl+Shift+S")),
        ("Sao lưu ra &USB…", controller.open_usb_dialog, None),
        ("&Danh sách bản sao lưu…", controller.open_list_dialog, None),
        ("&Khôi phục…", controller.open_restore_dialog, None),
        (None, None, None),
        ("&Cài đặt sao lưu…", controller.open_settings_dialog, None),
    )
    for text, slot, shortcut in entries:
        if text is None:
            menu.addSeparator()
            continue
        action = QAction(text, window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False, slot=slot: slot())
        menu.addAction(action)
