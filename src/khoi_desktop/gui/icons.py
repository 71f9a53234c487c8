"""Organization kind icons, drawn so they need no image files and stay crisp at any scale."""

from __future__ import annotations

import functools

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from khoi_desktop.core.kinds import OrgKind

_STYLE = {
    OrgKind.DANG_BO_CO_SO: ("#b71c1c", "Đ"),
    OrgKind.CHI_BO_CO_SO: ("#e65100", "C"),
    OrgKind.DANG_BO_BO_PHAN: ("#6a1b9a", "B"),
    OrgKind.CHI_BO_TRUC_THUOC: ("#1565c0", "c"),
}
_SEVERITY = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}


def _badge(color: str, letter: str, size: int = 32, round_: bool = False) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(Qt.PenStyle.NoPen)
    rect = QRectF(1, 1, size - 2, size - 2)
    if round_:
        painter.drawEllipse(rect)
    else:
        painter.drawRoundedRect(rect, 6, 6)
    painter.setPen(QColor("white"))
    font = QFont("Liberation Sans")
    font.setPixelSize(int(size * 0.6))
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, letter)
    painter.end()
    return QIcon(pixmap)


@functools.cache
def kind_icon(kind: OrgKind) -> QIcon:
    color, letter = _STYLE[kind]
    return _badge(color, letter)


@functools.cache
def severity_icon(severity: str) -> QIcon:
    return _badge(_SEVERITY.get(severity, "#555555"), "!", round_=True)
