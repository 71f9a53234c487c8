"""Bundled fonts: identical text on every machine, and no boxes where a system lacks Vietnamese glyphs."""

from __future__ import annotations

import functools
import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from khoi_desktop.resource_files import FONT_DIR

UI_FAMILY = "Liberation Sans"
DOCUMENT_FAMILY = "Liberation Serif"
FIRST_FRAME_FONT = "LiberationSans-Regular.ttf"


def load_fonts(app: QApplication) -> None:
    """The window's own face (Liberation Sans, regular: the first frame has no bold text); the others (bold,
    the documents' Serif) follow with load_remaining_fonts."""
    QFontDatabase.addApplicationFont(str(FONT_DIR / FIRST_FRAME_FONT))
    if sys.platform != "win32":  # Windows' Segoe UI covers Vietnamese; elsewhere use the bundled face
        app.setFont(QFont(UI_FAMILY, 10))


@functools.cache  # once per process
def load_remaining_fonts() -> None:
    """The other bundled faces: after the window's first frame (MainWindow.start), not before it."""
    for path in sorted(FONT_DIR.glob("*.ttf")):
        if path.name != FIRST_FRAME_FONT:
            QFontDatabase.addApplicationFont(str(path))
