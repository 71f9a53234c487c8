"""A plain bar chart drawn with QPainter (QtCharts is not in PySide6-Essentials; not worth +161 MB)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from khoi_desktop.core.stats import thousands

BAR_COLOR = QColor("#b22222")  # the party red, muted
GRID_COLOR = QColor("#d0d0d0")


class BarChart(QWidget):
    """Vertical bars with their value above and their label below; a title on top."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[tuple[str, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 220)

    def set_bars(self, bars: list[tuple[str, int]]) -> None:
        self.bars = list(bars)
        self.setToolTip("\n".join(f"{label}: {thousands(value)}" for label, value in self.bars))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 280)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        title_font = self.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.drawText(QRectF(0, 4, self.width(), line + 4), Qt.AlignmentFlag.AlignHCenter, self.title)
        painter.setFont(self.font())
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Chưa có số liệu")
            return
        left, right, top, bottom = 12.0, 12.0, line * 2.6, line * 2.4
        area = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        painter.setPen(GRID_COLOR)
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        peak = max(value for _, value in self.bars) or 1
        slot = area.width() / len(self.bars)
        width = max(4.0, slot * 0.62)
        for i, (label, value) in enumerate(self.bars):
            height = area.height() * value / peak
            x = area.left() + i * slot + (slot - width) / 2
            painter.fillRect(QRectF(x, area.bottom() - height, width, height), BAR_COLOR)
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(QRectF(x - slot / 2, area.bottom() - height - line - 2, width + slot, line),
                             Qt.AlignmentFlag.AlignHCenter, thousands(value))
            parts = [label] if metrics.horizontalAdvance(label) <= slot else _two_lines(label)
            lines = [metrics.elidedText(part, Qt.TextElideMode.ElideRight, int(slot)) for part in parts]
            painter.drawText(QRectF(area.left() + i * slot, area.bottom() + 4, slot, bottom - 4),
                             Qt.AlignmentFlag.AlignHCenter, "\n".join(lines))
        painter.end()


def _two_lines(label: str) -> list[str]:
    """'Chi bộ trực thuộc' -> ['Chi bộ', 'trực thuộc']: the break that balances the two lines."""
    words = label.split()
    if len(words) < 2:
        return [label]
    best = min(range(1, len(words)), key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]
