"""The year summary as bars: meetings held, thematic meetings per quarter, attendance, ratings."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from khoi_desktop.core.meetings.models import Rating
from khoi_desktop.core.meetings.status import YearLine

RATING_COLOURS = {Rating.TOT: "#2e7d32", Rating.KHA: "#64b5f6", Rating.TRUNG_BINH: "#ffb300", Rating.KEM: "#e53935"}


class YearChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("year_chart")
        self.setMinimumHeight(230)
        self.line: YearLine | None = None

    def set_line(self, line: YearLine) -> None:
        self.line = line
        self.update()

    def bars(self) -> list[tuple[str, float, str]]:
        """(label, percent, colour) of each bar, in drawing order."""
        line = self.line
        if line is None:
            return []
        bars = [("Họp thường kỳ", line.held_percent, "#1565c0"), ("Dự họp", line.attendance_percent, "#00897b")]
        for quarter, (held, owed) in enumerate(line.thematic_quarters, start=1):
            if owed:
                bars.append((f"Chuyên đề quý {quarter}", 100.0 * held / owed, "#6a1b9a"))
        rated = sum(line.ratings.values())
        for rating in Rating:
            bars.append((f"Xếp loại {rating.label.lower()}", 100.0 * line.ratings.get(rating, 0) / rated if rated
                         else 0.0, RATING_COLOURS[rating]))
        return bars

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        bars = self.bars()
        if not bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Chưa có số liệu.")
            return
        left, top, bottom = 10.0, 24.0, 44.0
        width = (self.width() - 2 * left) / len(bars)
        height = self.height() - top - bottom
        painter.setPen(QColor("#999999"))
        painter.drawLine(int(left), int(top + height), int(self.width() - left), int(top + height))
        for n, (label, percent, colour) in enumerate(bars):
            x = left + n * width
            bar = height * max(0.0, min(percent, 100.0)) / 100.0
            painter.fillRect(QRectF(x + width * 0.2, top + height - bar, width * 0.6, bar), QColor(colour))
            painter.setPen(QColor("#000000"))
            painter.drawText(QRectF(x, top + height - bar - 18, width, 16), Qt.AlignmentFlag.AlignCenter,
                             f"{percent:.0f}%")
            painter.drawText(QRectF(x, top + height + 2, width, bottom - 2),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                             label)
        painter.end()
