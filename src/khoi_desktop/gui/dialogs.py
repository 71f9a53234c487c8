"""Tool windows: one of each kind at a time, brought forward when asked for again; saving their files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)
FRAME = QSize(16, 40)  # a window's borders and title bar, outside the size asked for


def raise_or_open(parent: QWidget, kind: type[W], make: Callable[[], W]) -> W:
    """The open window of this kind brought forward, or a new one (deleted when closed)."""
    dialog = parent.findChild(kind)
    if dialog is not None and dialog.isVisible():
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    from PySide6.QtCore import Qt  # here: the main window's first frame (fit_to_screen) is made without Qt's enums

    dialog = make()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def screen_room(widget: QWidget) -> QSize | None:
    """The room on the widget's screen, less the taskbar (None without a screen)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else None


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Open at this size, or smaller when the screen (less its taskbar) has less room."""
    room = screen_room(widget) or QSize(width + FRAME.width(), height + FRAME.height())
    widget.resize(min(width, room.width() - FRAME.width()), min(height, room.height() - FRAME.height()))


def ask_xlsx_path(parent: QWidget, title: str, suggested_name: str) -> Path | None:
    """Where to save an Excel file; the .xlsx ending is added when the clerk leaves it out."""
    from khoi_desktop.gui.file_dialogs import ask_save_path

    return ask_save_path(parent, title, suggested_name, "Bảng tính Excel (*.xlsx)", "xlsx")


def write_file(parent: QWidget, path: Path, data: bytes) -> bool:
    """Write bytes made on the worker; a failure (file open in Excel, no permission) is said, not raised."""
    try:
        path.write_bytes(data)
    except OSError as error:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, "Không lưu được", f"Không ghi được tệp {path}: {error.strerror or error}.")
        return False
    from khoi_desktop.gui.file_dialogs import tell_saved

    tell_saved(parent, path)
    return True
