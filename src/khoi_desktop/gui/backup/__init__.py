"""Backups in the GUI: the "Sao lưu" menu, status-bar note, periodic and on-close backups, restore."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.gui.backup.controller import BackupController
from khoi_desktop.gui.gating import tag


def install(window: Any) -> None:
    controller = window.backup_controller = BackupController(window)
    menu = window.backup_menu = QMenu("S&ao lưu", window)
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    entries = (
        ("Sao lưu &ngay", Permission.BACKUP, controller.backup_now, QKeySequence("Ctrl+Shift+S")),
        ("Sao lưu ra &USB…", Permission.BACKUP, controller.open_usb_dialog, None),
        ("&Danh sách bản sao lưu…", Permission.BACKUP, controller.open_list_dialog, None),
        ("&Khôi phục…", Permission.RESTORE, controller.open_restore_dialog, None),
        (None, None, None, None),
        ("&Cài đặt sao lưu…", Permission.SETTINGS, controller.open_settings_dialog, None),
    )
    for text, permission, slot, shortcut in entries:
        if text is None or permission is None:
            menu.addSeparator()
            continue
        action = tag(QAction(text, window), permission)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False, slot=slot: slot())
        menu.addAction(action)
