"""Percentages as coloured bars with their value above and their label below (QPainter: QtCharts is not in
PySide6-Essentials). The meeting year summary and the ratings chart say only which bars to draw."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

Bar = tuple[str, float, str]  # label, percent, colour
LABEL_FLAGS = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap


class PercentBarChart(QWidget):
    empty_text = "Chưa có số liệu."
    decimals = 0  # digits shown after the decimal comma
    label_room = 44.0  # pixels under the axis for the wrapped labels

    def bars(self) -> list[Bar]:
        """The bars in drawing order; none means the empty text is shown."""
        return []

    def percent_text(self, percent: float) -> str:
        return f"{percent:.{self.decimals}f}%".replace(".", ",")

    def _label_layout(self, painter: QPainter, labels: list[str], width: float) -> tuple[QFont, float]:
        """The labels' font and the room under the axis, so that every word fits its column and every line of
        every label shows: «TCCSĐ HTXSNV» ran into its neighbours and «Đảng viên HTTNV trở lên» lost its last
        line in a narrow dialog."""
        font = QFont(self.font())
        metrics = QFontMetricsF(font)
        words = [word for label in labels for word in label.split()] or [""]
        while max(metrics.horizontalAdvance(word) for word in words) > width - 2 and font.pointSizeF() > 6:
            font.setPointSizeF(font.pointSizeF() - 0.5)
            metrics = QFontMetricsF(font)
        painter.setFont(font)
        needed = max(painter.boundingRect(QRectF(0, 0, width, 1000), LABEL_FLAGS, label).height() for label in labels)
        room = max(self.label_room, needed + 4)
        return font, min(room, self.height() / 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        bars = self.bars()
        if not bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            painter.end()
            return
        left, top = 10.0, 24.0
        width = (self.width() - 2 * left) / len(bars)
        label_font, bottom = self._label_layout(painter, [bar[0] for bar in bars], width)
        height = self.height() - top - bottom
        painter.setPen(QColor("#999999"))
        painter.drawLine(int(left), int(top + height), int(self.width() - left), int(top + height))
        for n, (label, percent, colour) in enumerate(bars):
            x = left + n * width
            bar = height * max(0.0, min(percent, 100.0)) / 100.0
            painter.fillRect(QRectF(x + width * 0.2, top + height - bar, width * 0.6, bar), QColor(colour))
            painter.setPen(QColor("#000000"))
            painter.setFont(self.font())
            painter.drawText(QRectF(x, top + height - bar - 18, width, 16), Qt.AlignmentFlag.AlignCenter,
                             self.percent_text(percent))
            painter.setFont(label_font)
            painter.drawText(QRectF(x, top + height + 2, width, bottom - 2), LABEL_FLAGS, label)
        painter.end()
