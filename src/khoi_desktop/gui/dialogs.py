"""Opening tool windows: one of each kind at a time, brought forward when asked for again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def raise_or_open(parent: QWidget, kind: type[W], make: Callable[[], W]) -> W:
    """The open window of this kind brought forward, or a new one (deleted when closed)."""
    dialog = parent.findChild(kind)
    if dialog is not None and dialog.isVisible():
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    dialog = make()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
